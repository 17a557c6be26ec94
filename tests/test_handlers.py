"""The implementation side cannot drift: `toolspec scaffold` writes a starting subclass,
`[tool.toolspec] handlers` makes `toolspec check` hold each implementation to its spec, and a
tool's `timeout` (or the configured default) reaches the generated bindings.

`check` imports the handler modules, which the tests then change: it runs in a fresh interpreter
each time, as for a user; generate, scaffold and lint run cli.main in the test's process
(conftest.run_toolspec_here)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import REPO, run_toolspec, run_toolspec_here

WEATHER = (REPO / "specs" / "weather.yaml").read_text("utf-8")
IMPLEMENTATION = """\
from __future__ import annotations

from generated.weather import GetHoroscopeArguments, GetWeatherArguments, GetWeatherResult, WeatherHandlers


class Weather(WeatherHandlers):
    def get_weather(self, args: GetWeatherArguments) -> GetWeatherResult:
        return GetWeatherResult(location=args.location, temperature=18.0, units=args.units, conditions="sunny")

    async def get_horoscope(self, args: GetHoroscopeArguments) -> str:
        return "a good day"
"""


def make_project(root: Path, *, config: str = "", spec: str = WEATHER) -> Path:
    (root / "specs").mkdir(parents=True)
    (root / "specs" / "weather.yaml").write_text(spec, "utf-8")
    (root / "pyproject.toml").write_text(f"[tool.toolspec]\n{config}", "utf-8")
    (root / "app").mkdir()
    (root / "app" / "__init__.py").write_text("", "utf-8")
    assert run_toolspec_here("generate", "--quiet", cwd=root).returncode == 0
    return root


def test_scaffold_writes_a_starting_subclass_that_type_checks_and_never_overwrites(tmp_path: Path) -> None:
    root = make_project(tmp_path, config='handlers = {weather = "app.weather:Weather"}\n')
    printed = run_toolspec_here("scaffold", "weather", cwd=root)
    assert printed.returncode == 0, printed.stderr
    assert "class Weather(WeatherHandlers):" in printed.stdout
    assert "def get_weather(self, args: GetWeatherArguments) -> GetWeatherResult:" in printed.stdout
    assert "def get_horoscope(self, args: GetHoroscopeArguments) -> HandlerResult:" in printed.stdout

    written = run_toolspec_here("scaffold", "weather", "-o", "app/weather.py", cwd=root)
    assert written.returncode == 0, written.stderr
    assert (root / "app" / "weather.py").read_text("utf-8") == printed.stdout
    check = run_toolspec("check", cwd=root)  # its annotations resolve, as check resolves them
    assert check.returncode == 0, check.stdout + check.stderr
    # Written as a handler is (its result model returned), the scaffold still type-checks.
    written_out = printed.stdout.replace(
        'raise ToolError("get_weather is not implemented yet")',
        'return GetWeatherResult(location=args.location, temperature=21, units="celsius", conditions="clear")',
    )
    assert written_out != printed.stdout
    (root / "app" / "weather.py").write_text(written_out, "utf-8")
    mypy = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(REPO / ".mypy_cache"), "app"],
        cwd=root,
        capture_output=True,
        text=True,
    )
    assert mypy.returncode == 0, mypy.stdout
    runs = subprocess.run(
        [sys.executable, "-c", "from app.weather import Weather; from generated import Dispatcher; "
         "print(Dispatcher(Weather()).run_responses([{'type': 'function_call', 'call_id': 'c', "
         "'name': 'get_horoscope', 'arguments': '{\"sign\": \"Leo\"}'}])[0]['output'])"],
        cwd=root, capture_output=True, text=True,
    )  # fmt: skip
    assert runs.returncode == 0 and "get_horoscope is not implemented yet" in runs.stdout, runs.stderr

    (root / "app" / "weather.py").write_text("# mine\n", "utf-8")
    again = run_toolspec_here("scaffold", "weather", "-o", "app/weather.py", cwd=root)
    assert again.returncode == 2, "the status of import's refusal to overwrite"
    assert again.stderr == "toolspec: error: app/weather.py exists: toolspec scaffold never overwrites a file\n"
    assert (root / "app" / "weather.py").read_text("utf-8") == "# mine\n"
    unknown = run_toolspec_here("scaffold", "wether", cwd=root)
    assert unknown.returncode == 2 and "no toolset 'wether'" in unknown.stderr and "weather" in unknown.stderr


def test_check_passes_when_the_handlers_implement_every_tool(tmp_path: Path) -> None:
    root = make_project(tmp_path, config='handlers = {weather = "app.weather:Weather"}\n')
    (root / "app" / "weather.py").write_text(IMPLEMENTATION, "utf-8")
    result = run_toolspec("check", cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "; 1 handler class implements its toolset." in result.stderr


def test_check_fails_naming_the_tool_when_the_implementation_drifts(tmp_path: Path) -> None:
    root = make_project(tmp_path, config='handlers = {weather = "app.weather:Weather"}\n')
    missing = IMPLEMENTATION.replace("    async def get_horoscope", "    async def horoscope")
    (root / "app" / "weather.py").write_text(missing, "utf-8")
    result = run_toolspec("check", cwd=root)
    assert result.returncode == 1
    assert "tool 'get_horoscope' is not implemented: define Weather.get_horoscope" in result.stdout

    wrong = IMPLEMENTATION.replace(
        "get_horoscope(self, args: GetHoroscopeArguments)", "get_horoscope(self, args: GetWeatherArguments)"
    )
    (root / "app" / "weather.py").write_text(wrong, "utf-8")
    result = run_toolspec("check", cwd=root)
    assert result.returncode == 1
    assert (
        "tool 'get_horoscope': Weather.get_horoscope takes generated.weather.models.GetWeatherArguments"
        in result.stdout
    )
    assert "are generated.weather.models.GetHoroscopeArguments" in result.stdout

    # A new tool in the spec, and no implementation of it: CI fails.
    added = WEATHER.replace(
        "tools:\n",
        "tools:\n  - name: get_uv_index\n    description: The UV index.\n    parameters:\n"
        "      location: {type: string, description: Where.}\n",
        1,
    )
    (root / "specs" / "weather.yaml").write_text(added, "utf-8")
    (root / "app" / "weather.py").write_text(IMPLEMENTATION, "utf-8")
    assert run_toolspec_here("generate", "--quiet", cwd=root).returncode == 0
    result = run_toolspec("check", cwd=root)
    assert result.returncode == 1 and "tool 'get_uv_index' is not implemented" in result.stdout


def mypy_strict(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(REPO / ".mypy_cache"), "app"],
        cwd=root,
        capture_output=True,
        text=True,
    )


def test_mypy_and_check_fail_on_a_handler_that_returns_another_shape(tmp_path: Path) -> None:
    """get_weather says what it returns (`returns` in the spec): its handler is held to GetWeatherResult."""
    root = make_project(tmp_path, config='handlers = {weather = "app.weather:Weather"}\n')
    (root / "app" / "weather.py").write_text(IMPLEMENTATION, "utf-8")
    assert mypy_strict(root).returncode == 0, mypy_strict(root).stdout

    # Annotated as a dict: the override's return type is not the result model's.
    as_dict = IMPLEMENTATION.replace(
        "-> GetWeatherResult:\n        return GetWeatherResult(location=args.location, temperature=18.0, "
        'units=args.units, conditions="sunny")',
        '-> dict[str, object]:\n        return {"location": args.location}',
    )
    assert as_dict != IMPLEMENTATION
    (root / "app" / "weather.py").write_text(as_dict, "utf-8")
    typed = mypy_strict(root)
    assert typed.returncode == 1 and 'Return type "dict[str, object]" of "get_weather" incompatible' in typed.stdout
    checked = run_toolspec("check", cwd=root)
    assert checked.returncode == 1
    assert (
        "tool 'get_weather': Weather.get_weather returns dict[str, object], but the tool's result is "
        "generated.weather.models.GetWeatherResult: annotate it so" in checked.stdout
    )

    # Annotated right, returning a dict: mypy flags the return, the Dispatcher would refuse it.
    wrong_value = IMPLEMENTATION.replace(
        'return GetWeatherResult(location=args.location, temperature=18.0, units=args.units, conditions="sunny")',
        'return {"location": args.location}',
    )
    (root / "app" / "weather.py").write_text(wrong_value, "utf-8")
    typed = mypy_strict(root)
    assert typed.returncode == 1 and "Incompatible return value type" in typed.stdout, typed.stdout

    # Not annotated at all: check says so.
    unannotated = as_dict.replace(" -> dict[str, object]:", ":")
    (root / "app" / "weather.py").write_text(unannotated, "utf-8")
    checked = run_toolspec("check", cwd=root)
    assert checked.returncode == 1 and "Weather.get_weather has no return annotation" in checked.stdout


def test_check_formats_carry_every_handler_problem_at_its_file_and_line(tmp_path: Path) -> None:
    """A pull request shows an annotation for a handler problem: json and github carry each one
    at the method (a wrong argument) or the class (a missing method), text names the line too."""
    root = make_project(tmp_path, config='handlers = {weather = "app.weather:Weather"}\n')
    wrong = IMPLEMENTATION.replace("async def get_horoscope(self, args: GetHoroscopeArguments)", "def horoscope(self)")
    wrong = wrong.replace("get_weather(self, args: GetWeatherArguments)", "get_weather(self, args: str)")
    (root / "app" / "weather.py").write_text(wrong, "utf-8")
    lines = wrong.splitlines()
    class_line = lines.index("class Weather(WeatherHandlers):") + 1
    method_line = next(n for n, line in enumerate(lines, 1) if "def get_weather" in line)

    found = run_toolspec("check", "--format", "json", cwd=root)
    assert found.returncode == 1 and found.stderr == "", found.stderr
    assert json.loads(found.stdout) == [
        {
            "path": "app/weather.py",
            "line": method_line,
            "status": "handler",
            "message": "app.weather:Weather: tool 'get_weather': Weather.get_weather takes builtins.str, but the "
            "tool's arguments are generated.weather.models.GetWeatherArguments: annotate it so",
        },
        {
            "path": "app/weather.py",
            "line": class_line,
            "status": "handler",
            "message": "app.weather:Weather: tool 'get_horoscope' is not implemented: define Weather.get_horoscope",
        },
    ]
    github = run_toolspec("check", "--format", "github", cwd=root)
    assert github.returncode == 1 and github.stderr == ""
    assert github.stdout.splitlines() == [
        f"::error file=app/weather.py,line={method_line},title=toolspec check::app.weather:Weather: tool "
        "'get_weather': Weather.get_weather takes builtins.str, but the tool's arguments are "
        "generated.weather.models.GetWeatherArguments: annotate it so",
        f"::error file=app/weather.py,line={class_line},title=toolspec check::app.weather:Weather: tool "
        "'get_horoscope' is not implemented: define Weather.get_horoscope",
    ]
    text = run_toolspec("check", cwd=root)
    assert f"app/weather.py:{class_line}: error: app.weather:Weather: tool 'get_horoscope'" in text.stdout

    # An entry that names no usable class is reported at its line of pyproject.toml.
    (root / "pyproject.toml").write_text(
        '[tool.toolspec]\n\n[tool.toolspec.handlers]\nweather = "app.nothere:Weather"\n', "utf-8"
    )
    entry = json.loads(run_toolspec("check", "--format", "json", cwd=root).stdout)
    assert [(e["path"], e["line"], e["status"]) for e in entry] == [("pyproject.toml", 4, "handler")]
    assert entry[0]["message"].startswith("handlers.weather: cannot import app.nothere: ModuleNotFoundError")


def test_check_reports_handlers_it_cannot_use(tmp_path: Path) -> None:
    root = make_project(tmp_path, config='handlers = {weather = "app.nothere:Weather", shop = "app.shop:Shop"}\n')
    result = run_toolspec("check", cwd=root)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "handlers.weather: cannot import app.nothere: ModuleNotFoundError" in result.stdout
    assert "handlers.shop: there is no toolset 'shop' in the specs" in result.stdout
    (root / "pyproject.toml").write_text('[tool.toolspec]\nhandlers = {weather = "app.weather"}\n', "utf-8")
    bad = run_toolspec("check", cwd=root)
    assert bad.returncode == 2 and 'handlers.weather must name a class as "package.module:Class"' in bad.stderr


def test_timeouts_reach_the_bindings(tmp_path: Path) -> None:
    spec = WEATHER.replace("    name: get_horoscope\n", "    name: get_horoscope\n    timeout: 2.5\n")
    spec = spec.replace("  - name: get_horoscope\n", "  - name: get_horoscope\n    timeout: 2.5\n")
    assert "timeout: 2.5" in spec
    root = make_project(tmp_path, config="timeout = 10\n", spec=spec)
    check = subprocess.run(
        [sys.executable, "-c", "from generated.weather import WeatherHandlers as H; "
         "print({b.name: b.timeout for b in H.TOOLS})"],
        cwd=root, capture_output=True, text=True,
    )  # fmt: skip
    assert check.stdout.strip() == "{'get_weather': 10.0, 'get_horoscope': 2.5}", check.stderr
    (root / "pyproject.toml").write_text("[tool.toolspec]\ntimeout = 0\n", "utf-8")
    bad = run_toolspec_here("generate", cwd=root)
    assert bad.returncode == 2 and "timeout must be a number of seconds above 0" in bad.stderr
    (root / "pyproject.toml").write_text("[tool.toolspec]\n", "utf-8")
    (root / "specs" / "weather.yaml").write_text(spec.replace("timeout: 2.5", "timeout: -1"), "utf-8")
    lint = run_toolspec_here("lint", cwd=root)
    assert lint.returncode == 1 and "TS103" in lint.stdout and "timeout" in lint.stdout
