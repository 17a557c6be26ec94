"""`toolspec generate` and `toolspec check`: what is written, what is owned, determinism, drift.

The first test and the determinism test run `python -m toolspec` as a user does; the others run
cli.main in the test's process, which says the same (conftest.run_toolspec_here)."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, run_toolspec, run_toolspec_here
from toolspec.cli import app, main
from toolspec.output import render

WEATHER = (REPO / "specs" / "weather.yaml").read_text("utf-8")
SHOP = (REPO / "specs" / "shop.yaml").read_text("utf-8")


def make_project(root: Path, specs: dict[str, str], *, extra_config: str = "") -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "pyproject.toml").write_text(
        f'[tool.toolspec]\nspecs = "specs"\noutput = "out"\npackage = "out"\n{extra_config}', "utf-8"
    )
    (root / "specs").mkdir(exist_ok=True)
    for name, text in specs.items():
        (root / "specs" / name).write_text(text, "utf-8")
    return root


def snapshot(directory: Path) -> dict[str, bytes]:
    return {
        path.relative_to(directory).as_posix(): path.read_bytes()
        for path in sorted(directory.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts
    }


def run(monkeypatch: pytest.MonkeyPatch, root: Path, *args: str) -> int:
    monkeypatch.chdir(root)
    return main(list(args))


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = make_project(tmp_path, {"weather.yaml": WEATHER, "shop.yaml": SHOP})
    assert run(monkeypatch, root, "generate", "--quiet") == 0
    return root


def test_generate_writes_the_package_and_reports_changes(tmp_path: Path) -> None:
    root = make_project(tmp_path, {"weather.yaml": WEATHER})
    first = run_toolspec("generate", cwd=root)
    assert first.returncode == 0, first.stderr
    assert "added out/weather/models.py" in first.stdout
    assert sorted(snapshot(root / "out")) == [
        "__init__.py",
        "_agents.py",
        "_arguments.py",
        "_base.py",
        "_bindings.py",
        "_calls.py",
        "_dispatch.py",
        "_http.py",
        "_mcp.py",
        "_outcomes.py",
        "_outputs.py",
        "_policies.py",
        "_problems.py",
        "_records.py",
        "_results.py",
        "_runners.py",
        "_streams.py",
        "_tool_choice.py",
        "docs/index.md",
        "docs/weather.md",
        "toolspec.manifest.json",
        "weather/__init__.py",
        "weather/handlers.py",
        "weather/models.py",
        "weather/tools.py",
        "weather/weather.chat_completions.json",
        "weather/weather.mcp.json",
        "weather/weather.responses.json",
    ]
    again = run_toolspec("generate", cwd=root)
    assert again.returncode == 0 and again.stdout == "out is up to date (28 files).\n", "nothing changed: one line"
    (root / "specs" / "weather.yaml").write_text(WEATHER.replace("Retrieves current", "Gets current"), "utf-8")
    changed = run_toolspec("generate", cwd=root)
    assert set(changed.stdout.splitlines()) == {
        "changed out/toolspec.manifest.json",  # it records the hash of every file
        "changed out/docs/weather.md",  # the catalogue shows the description (its token count is the same)
        "changed out/weather/handlers.py",  # the method's docstring is the tool's description
        "changed out/weather/models.py",
        "changed out/weather/tools.py",
        "changed out/weather/weather.chat_completions.json",
        "changed out/weather/weather.mcp.json",
        "changed out/weather/weather.responses.json",
    }


def test_output_is_byte_identical_across_hash_seeds_and_file_order(tmp_path: Path) -> None:
    outputs = []
    for seed, specs in (
        ("0", {"weather.yaml": WEATHER, "shop.yaml": SHOP}),
        ("4242", {"shop.yaml": SHOP, "weather.yaml": WEATHER}),
    ):
        root = make_project(tmp_path / seed, specs)  # written, and so listed, in another order
        env = {**os.environ, "PYTHONHASHSEED": seed, "TOOLSPEC_CACHE_DIR": str(tmp_path / f"cache{seed}")}
        result = subprocess.run(
            [sys.executable, "-m", "toolspec", "generate"], cwd=root, env=env, capture_output=True, text=True
        )
        assert result.returncode == 0, result.stderr
        files = snapshot(root / "out")
        outputs.append(files)
        text = b"".join(files.values()).decode("utf-8")
        assert str(tmp_path) not in text, "no absolute paths in the output"
        assert not re.search(r"20\d\d-\d\d-\d\d[ T]\d\d:\d\d", text), "no timestamps in the output"
    assert outputs[0] == outputs[1]


def test_a_removed_tool_or_toolset_loses_its_files_and_nothing_else_is_touched(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    mine = project / "out" / "shop" / "notes.txt"
    mine.write_text("mine", "utf-8")
    (project / "out" / "README.md").write_text("also mine", "utf-8")
    (project / "specs" / "weather.yaml").write_text(WEATHER.split("  - name: get_horoscope")[0], "utf-8")
    (project / "specs" / "shop.yaml").unlink()
    out = io.StringIO()
    monkeypatch.setattr(sys, "stdout", out)
    assert run(monkeypatch, project, "generate") == 0
    assert "removed out/shop/models.py" in out.getvalue()
    assert not (project / "out" / "shop" / "models.py").exists()
    assert mine.read_text("utf-8") == "mine" and (project / "out" / "README.md").exists()
    assert "GetHoroscope" not in (project / "out" / "weather" / "models.py").read_text("utf-8")
    assert "get_horoscope" not in (project / "out" / "weather" / "tools.py").read_text("utf-8")


def test_an_emptied_toolset_directory_is_removed(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (project / "specs" / "shop.yaml").unlink()
    assert run(monkeypatch, project, "generate", "-q") == 0
    assert not (project / "out" / "shop").exists()


def test_the_program_exits_with_its_status_its_output_whole_and_its_temporary_files_removed(
    tmp_path: Path,
) -> None:
    """The program skips the interpreter's teardown (cli.run): what an exit must do is still done."""
    root = make_project(tmp_path / "project", {"weather.yaml": WEATHER})
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    env = {**os.environ, "TMPDIR": str(scratch), "TOOLSPEC_CACHE_DIR": str(tmp_path / "cache")}

    def toolspec(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "toolspec", *args]
        return subprocess.run(command, cwd=root, env=env, capture_output=True, text=True, check=False)

    generated = toolspec("generate")
    assert generated.returncode == 0, generated.stderr
    lines = generated.stdout.splitlines()
    assert len(lines) == 28 and lines[-1] == "added out/weather/weather.responses.json", "every line, the last too"
    assert list(scratch.iterdir()) == [], "the files staged while rendering are removed at exit"
    (root / "specs" / "weather.yaml").write_text(WEATHER.replace("type: string", "type: strin", 1), "utf-8")
    refused = toolspec("generate")
    assert refused.returncode == 1 and "nothing was generated" in refused.stderr
    assert list(scratch.iterdir()) == []


def test_the_program_runs_the_exit_handlers_before_it_ends(tmp_path: Path) -> None:
    root = make_project(tmp_path, {"weather.yaml": WEATHER})
    script = (
        "import atexit, sys\n"
        "atexit.register(lambda: print('exit handlers ran'))\n"
        "sys.argv = ['toolspec', 'lint', 'specs']\n"
        "from toolspec.cli import run\n"
        "run()\n"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=root, capture_output=True, text=True, check=False)
    assert (done.returncode, done.stdout) == (0, "exit handlers ran\n"), done.stderr


def test_generate_warns_of_stray_files_and_prune_removes_them_and_nothing_else(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out = project / "out"
    (out / "weather" / "helpers.py").write_text("x = 1\n", "utf-8")
    (out / "notes" / "deep").mkdir(parents=True)
    (out / "notes" / "deep" / "todo.txt").write_text("later\n", "utf-8")
    (out / "weather" / "__pycache__").mkdir(exist_ok=True)
    (out / "weather" / "__pycache__" / "helpers.cpython-311.pyc").write_bytes(b"")
    (project / "keep.txt").write_text("outside\n", "utf-8")
    capsys.readouterr()
    for options in ([], ["--quiet"]):  # a problem, said with --quiet too
        assert run(monkeypatch, project, "generate", *options) == 0
        warnings = [line for line in capsys.readouterr().err.splitlines() if "warning" in line]
        assert warnings == [
            f"toolspec: warning: out/{path} was not written by toolspec generate, and toolspec check fails on it: "
            "remove it, move it out of the output directory, or run `toolspec generate --prune`"
            for path in ("notes/deep/todo.txt", "weather/helpers.py")
        ]
    assert (out / "weather" / "helpers.py").exists()
    assert run(monkeypatch, project, "check", "--quiet") == 1
    assert "Run `toolspec generate --prune`." in run_toolspec_here("check", cwd=project).stderr
    capsys.readouterr()

    assert run(monkeypatch, project, "generate", "--prune") == 0
    printed = capsys.readouterr()
    assert printed.out.splitlines() == ["pruned out/notes/deep/todo.txt", "pruned out/weather/helpers.py"]
    assert "warning" not in printed.err
    assert not (out / "notes").exists() and not (out / "weather" / "helpers.py").exists()
    assert (out / "weather" / "models.py").exists() and (project / "keep.txt").read_text("utf-8") == "outside\n"
    assert run(monkeypatch, project, "check", "--quiet") == 0


def test_prune_follows_no_link(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A link in the output stops generate before anything is pruned: the file it leads to stays."""
    outside = project / "outside"
    outside.mkdir()
    (outside / "precious.txt").write_text("keep\n", "utf-8")
    (project / "out" / "weather" / "stray.txt").write_text("x\n", "utf-8")
    (project / "out" / "linked").symlink_to(outside, target_is_directory=True)
    result = run_toolspec_here("generate", "--prune", cwd=project)
    assert result.returncode == 2 and "symbolic links in the output directory" in result.stderr
    assert (outside / "precious.txt").read_text("utf-8") == "keep\n"
    assert (project / "out" / "weather" / "stray.txt").exists()


def test_generate_refuses_to_overwrite_a_file_it_does_not_own(tmp_path: Path) -> None:
    root = make_project(tmp_path, {"weather.yaml": WEATHER})
    (root / "out" / "weather").mkdir(parents=True)
    (root / "out" / "weather" / "tools.py").write_text("# hand-written", "utf-8")
    before = snapshot(root / "out")
    result = run_toolspec_here("generate", cwd=root)
    assert result.returncode == 1
    assert "was not written by toolspec" in result.stderr and "Traceback" not in result.stderr
    assert snapshot(root / "out") == before


def test_a_failure_half_way_leaves_the_output_as_it_was(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = snapshot(project / "out")
    (project / "specs" / "weather.yaml").write_text(WEATHER.replace("Retrieves", "Fetches"), "utf-8")
    calls = {"n": 0}
    original = render.format_files

    def failing(root: Path, paths: list[str]) -> None:
        calls["n"] += 1
        original(root, paths)
        raise RuntimeError(f"the formatter crashed after {len(paths)} modules")

    monkeypatch.setattr(render, "format_files", failing)
    with pytest.raises(RuntimeError):
        run(monkeypatch, project, "generate")
    assert snapshot(project / "out") == before


def test_a_failure_while_writing_leaves_the_output_as_it_was(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = snapshot(project / "out")
    (project / "specs" / "weather.yaml").write_text(WEATHER.replace("Retrieves", "Fetches"), "utf-8")
    real_fdopen = os.fdopen
    opened = {"n": 0}

    def fdopen(fd: int, *args: object, **kwargs: object) -> object:
        opened["n"] += 1
        if opened["n"] == 2:
            raise OSError(28, "No space left on device")
        return real_fdopen(fd, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(os, "fdopen", fdopen)
    assert run(monkeypatch, project, "generate") == 2
    assert snapshot(project / "out") == before
    assert not [p for p in (project / "out").rglob("*.tmp")], "staged files are cleaned up"


@pytest.mark.parametrize("umask", [0o022, 0o027], ids=["umask022", "umask027"])
def test_new_files_get_the_umask_mode_and_rewritten_files_keep_theirs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, umask: int
) -> None:
    """Others (a web server, a Docker build as another user) must be able to import the package."""
    root = make_project(tmp_path, {"weather.yaml": WEATHER})
    previous = os.umask(umask)
    try:
        assert run(monkeypatch, root, "generate", "-q") == 0
        files = [path for path in (root / "out").rglob("*") if path.is_file() and "__pycache__" not in path.parts]
        assert {oct(stat.S_IMODE(path.stat().st_mode)) for path in files} == {oct(0o666 & ~umask)}
        tools = root / "out" / "weather" / "tools.py"
        tools.chmod(0o604)
        (root / "specs" / "weather.yaml").write_text(WEATHER.replace("Retrieves", "Fetches"), "utf-8")
        assert run(monkeypatch, root, "generate", "-q") == 0
        assert "Fetches" in tools.read_text("utf-8") and stat.S_IMODE(tools.stat().st_mode) == 0o604
    finally:
        os.umask(previous)


def _add_to_manifest(out: Path, entry: str) -> None:
    manifest = out / "toolspec.manifest.json"
    data = json.loads(manifest.read_text("utf-8"))
    data["files"].append(entry)
    manifest.write_text(json.dumps(data), "utf-8")


@pytest.mark.parametrize(
    "entry",
    [
        "../specs/weather.yaml",
        "VICTIM",
        "weather/../../victim.txt",
        "./weather/models.py",
        "weather//models.py",
        "weather/models.py/",
        "",
        ".",
        "weather\\models.py",
        "C:/victim.txt",
        "weather",
    ],
)
def test_a_manifest_entry_outside_the_output_stops_generate_and_check(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], entry: str
) -> None:
    """The manifest is committed, so a pull request can put anything in it: generate must not
    delete what it names unless it is a file inside the output directory."""
    victim = project / "victim.txt"
    victim.write_text("keep me", "utf-8")
    entry = entry.replace("VICTIM", str(victim))
    _add_to_manifest(project / "out", entry)
    (project / "specs" / "weather.yaml").write_text(WEATHER.replace("Retrieves", "Fetches"), "utf-8")
    (project / "specs" / "shop.yaml").unlink()
    before = snapshot(project)
    capsys.readouterr()
    for command in ("generate", "check"):
        assert run(monkeypatch, project, command) == 2, command
        error = capsys.readouterr().err
        assert str(project / "out" / "toolspec.manifest.json") in error and json.dumps(entry) in error, error
        assert "restore the manifest from version control, or delete the output directory" in error
    assert snapshot(project) == before


def test_check_passes_on_a_current_package(project: Path) -> None:
    result = run_toolspec_here("check", cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "matches the specs" in result.stderr


@pytest.mark.parametrize(
    "drift",
    [
        "spec edited",
        "generated file edited",
        "generated file deleted",
        "stray file",
        "manifest deleted",
        "spec deleted",
    ],
)
def test_check_catches_drift(project: Path, drift: str) -> None:
    out = project / "out"
    if drift == "spec edited":
        (project / "specs" / "weather.yaml").write_text(WEATHER.replace("Retrieves", "Fetches"), "utf-8")
    elif drift == "generated file edited":
        path = out / "shop" / "models.py"
        path.write_text(path.read_text("utf-8") + "# edited by hand\n", "utf-8")
    elif drift == "generated file deleted":
        (out / "weather" / "weather.responses.json").unlink()
    elif drift == "stray file":
        (out / "weather" / "helpers.py").write_text("x = 1\n", "utf-8")
    elif drift == "spec deleted":
        (project / "specs" / "shop.yaml").unlink()
    else:
        (out / "toolspec.manifest.json").unlink()
    result = run_toolspec_here("check", cwd=project)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    if drift in ("spec edited", "generated file edited"):
        assert "--- out/" in result.stdout and "+++ out/" in result.stdout
    if drift == "spec edited":
        assert '-        "description": "Retrieves' in result.stdout
        assert '+        "description": "Fetches' in result.stdout
    if drift in ("generated file deleted", "manifest deleted"):
        assert "missing: out/" in result.stdout
    if drift == "stray file":
        assert "stray (not generated): out/weather/helpers.py" in result.stdout
    if drift == "spec deleted":
        assert "orphaned (no longer generated): out/shop/models.py" in result.stdout


def test_check_catches_a_changed_template(project: Path, tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    original = (REPO / "templates" / "tools.py.jinja").read_text("utf-8")
    (templates / "tools.py.jinja").write_text(original.replace("Tool definitions of", "Tools of"), "utf-8")
    assert run_toolspec_here("check", "--templates", str(templates), cwd=project).returncode == 1
    assert run_toolspec_here("generate", "--templates", str(templates), cwd=project).returncode == 0
    assert "Tools of toolset weather" in (project / "out" / "weather" / "tools.py").read_text("utf-8")
    assert run_toolspec_here("check", "--templates", str(templates), cwd=project).returncode == 0
    assert run_toolspec_here("check", cwd=project).returncode == 1


def test_check_catches_a_formatter_that_formats_differently(
    project: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A new formatter release is a new build: nothing the record says of the old one is trusted."""
    from toolspec import pipeline
    from toolspec.output import versions

    real_format, real_versions = render.format_files, versions.running_versions
    monkeypatch.setattr(pipeline, "running_versions", lambda: {**real_versions(), "ruff": "99.0-test"})

    def formatting_differently(root: Path, paths: list[str]) -> None:
        real_format(root, paths)
        for path in paths:
            source = (root / path).read_text("utf-8")
            (root / path).write_text(source.replace("\n\n\n", "\n\n", 1), "utf-8")

    monkeypatch.setattr(render, "format_files", formatting_differently)
    assert run(monkeypatch, project, "check") == 1


def test_check_fails_when_there_is_nothing_to_compare(tmp_path: Path) -> None:
    root = make_project(tmp_path, {})
    result = run_toolspec_here("check", cwd=root)
    assert result.returncode == 2
    assert "no spec files (*.yaml, *.yml) in specs: nothing to compare" in result.stderr


def test_generate_stops_on_lint_errors_and_writes_nothing(project: Path) -> None:
    before = snapshot(project / "out")
    broken = WEATHER.replace("type: string\n        description: City", "type: object\n        description: City")
    (project / "specs" / "weather.yaml").write_text(broken, "utf-8")
    result = run_toolspec_here("generate", cwd=project)
    assert result.returncode == 1
    assert "TS201" in result.stdout and "nothing was generated" in result.stderr
    assert snapshot(project / "out") == before


def test_progress_is_shown_on_a_terminal_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    specs = {f"w{i}.yaml": WEATHER.replace("toolset: weather", f"toolset: weather{i}") for i in range(6)}
    root = make_project(tmp_path, specs)

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(app, "PROGRESS_AFTER", 0.0)  # shown once a run takes that long
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert run(monkeypatch, root, "generate") == 0
    assert "generating 6/6 toolsets" in terminal.getvalue()
    (root / "specs" / "w0.yaml").unlink()
    quiet = Terminal()
    monkeypatch.setattr(sys, "stderr", quiet)
    assert run(monkeypatch, root, "generate", "--quiet") == 0
    assert quiet.getvalue() == ""
    piped = io.StringIO()
    monkeypatch.setattr(sys, "stderr", piped)
    (root / "specs" / "w1.yaml").unlink()
    assert run(monkeypatch, root, "generate") == 0
    assert "generating" not in piped.getvalue()


def test_generated_package_needs_only_pydantic_and_the_standard_library(tmp_path: Path) -> None:
    import annotated_types
    import pydantic
    import pydantic_core
    import typing_extensions
    import typing_inspection

    deps = tmp_path / "deps"
    deps.mkdir()
    for module in (pydantic, pydantic_core, annotated_types, typing_inspection):
        os.symlink(Path(module.__file__).parent, deps / module.__name__)
    os.symlink(typing_extensions.__file__, deps / "typing_extensions.py")
    code = (
        "import sys, json\n"
        "import generated.weather, generated.shop, generated.calendar, generated.code\n"
        "models = generated.weather.ARGUMENT_MODELS\n"
        'args = models[\'get_weather\'].model_validate_json(\'{"location": "Oslo", "units": null}\')\n'
        "assert args.units == 'celsius'\n"
        "assert json.dumps(generated.calendar.RESPONSES_TOOLS)\n"
        "loaded = {name.split('.')[0] for name in sys.modules}\n"
        "assert not loaded & {'toolspec', 'openai', 'jinja2', 'yaml', 'datamodel_code_generator', 'black'}, loaded\n"
        "print('ok')\n"
    )
    env = {"PYTHONPATH": os.pathsep.join([str(deps), str(REPO)]), "PATH": os.environ.get("PATH", "")}
    result = subprocess.run([sys.executable, "-S", "-c", code], env=env, capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 0 and result.stdout.strip() == "ok", result.stderr


def test_repository_generated_package_is_current() -> None:
    result = run_toolspec_here("check", cwd=REPO)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr


def test_package_name_is_configurable(tmp_path: Path) -> None:
    root = make_project(tmp_path, {"weather.yaml": WEATHER})
    (root / "pyproject.toml").write_text('[tool.toolspec]\noutput = "app/tools"\npackage = "app.tools"\n', "utf-8")
    (root / "app").mkdir()
    (root / "app" / "__init__.py").write_text("", "utf-8")
    assert run_toolspec_here("generate", cwd=root).returncode == 0
    result = subprocess.run(
        [sys.executable, "-c",
         "import app.tools.weather as w; print(w.ARGUMENT_MODELS['get_horoscope'].__mro__[1].__module__)"],
        cwd=root, capture_output=True, text=True,
    )  # fmt: skip
    assert result.stdout.strip() == "app.tools._base", result.stderr
    shutil.rmtree(root / "app" / "tools")


def test_a_broken_template_is_reported_with_its_place(project: Path, tmp_path: Path) -> None:
    before = snapshot(project / "out")
    templates = tmp_path / "broken-templates"
    templates.mkdir()
    (templates / "tools.py.jinja").write_text('"""Tools."""\n{% for x in %}\n', "utf-8")
    result = run_toolspec_here("generate", "--templates", str(templates), cwd=project)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "tools.py.jinja:2" in result.stderr
    assert snapshot(project / "out") == before


def test_a_missing_templates_directory_is_a_usage_error(project: Path) -> None:
    result = run_toolspec_here("generate", "--templates", "no/such/dir", cwd=project)
    assert result.returncode == 2 and "templates directory" in result.stderr
