"""The command-line habits of ruff and mypy (issue 7, point 17): --quiet, check --format,
--select/--ignore/--config, colour on a terminal, generate's summary when nothing changed, and
progress from the first second."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from toolspec.cli import app, main
from toolspec.ground.diagnostics import use_colour

WEATHER = """\
toolset: weather
tools:
  - name: get_weather
    parameters:
      city: {type: string, description: The city.}
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "pyproject.toml").write_text('[tool.toolspec]\noutput = "out"\npackage = "out"\n', "utf-8")
    (tmp_path / "specs").mkdir()
    (tmp_path / "specs" / "weather.yaml").write_text(WEATHER, "utf-8")
    monkeypatch.chdir(tmp_path)
    for name in ("NO_COLOR", "FORCE_COLOR"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def _without_warnings(project: Path) -> None:
    spec = project / "specs" / "weather.yaml"
    spec.write_text(
        WEATHER.replace("  - name: get_weather\n", "  - name: get_weather\n    description: The weather.\n")
    )


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def test_lint_quiet_prints_the_findings_only(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = _run(capsys, "lint", "--quiet")
    assert status == 1 and "TS401" in out and err == ""
    assert _run(capsys, "lint")[2] == "Found 0 errors and 1 warning in 1 spec file.\n"


def test_select_and_ignore_on_the_command_line_override_the_configuration(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "pyproject.toml").write_text('[tool.toolspec]\nignore = ["TS401"]\n', "utf-8")
    assert _run(capsys, "lint")[0] == 0
    assert _run(capsys, "lint", "--ignore", "TS2")[0] == 1  # replaces the configured ignore
    assert _run(capsys, "lint", "--select", "TS2, TS3")[0] == 0
    assert _run(capsys, "generate", "-q", "--select", "TS4")[0] == 0  # a warning does not stop generate
    status, _, err = _run(capsys, "lint", "--ignore", "TS401,TS5O1")
    assert status == 2 and err == (
        "toolspec: error: --ignore names 'TS5O1', which is no rule code or prefix (did you mean 'TS501'?)\n"
    )


def test_config_names_the_pyproject_to_read(
    project: Path, tmp_path_factory: pytest.TempPathFactory, capsys: pytest.CaptureFixture[str], monkeypatch
) -> None:
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    monkeypatch.chdir(elsewhere)
    status, out, _ = _run(capsys, "lint", "--config", str(project / "pyproject.toml"))
    assert status == 1 and out.startswith(
        f"{Path('..') / project.name}/specs/weather.yaml:3:5: warning: TS401".replace("\\", "/")
    )
    status, _, err = _run(capsys, "check", "--config", "missing.toml")
    assert status == 2 and err == f"toolspec: error: {elsewhere / 'missing.toml'}: no such file\n"


def test_generate_says_when_nothing_changed(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _without_warnings(project)
    status, out, _ = _run(capsys, "generate")
    assert status == 0 and "added out/weather/models.py" in out and "up to date" not in out
    status, out, _ = _run(capsys, "generate")
    count = sum(1 for path in (project / "out").rglob("*") if path.is_file())  # the manifest too
    assert status == 0 and out == f"out is up to date ({count} files).\n"
    assert _run(capsys, "generate", "--quiet")[1:] == ("", "")


def _drift(project: Path) -> None:
    _without_warnings(project)
    (project / "out" / "weather" / "tools.py").write_text("# edited\n", "utf-8")
    (project / "out" / "weather" / "models.py").unlink()
    (project / "out" / "notes.py").write_text("", "utf-8")


def test_check_format_json_lists_each_file_with_its_status(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _without_warnings(project)
    _run(capsys, "generate")
    assert _run(capsys, "check", "--format", "json") == (0, "[]\n", "")
    _drift(project)
    status, out, err = _run(capsys, "check", "--format", "json")
    assert status == 1 and err == ""
    assert json.loads(out) == [
        {"path": "out/weather/tools.py", "status": "changed"},
        {"path": "out/weather/models.py", "status": "missing"},
        {"path": "out/notes.py", "status": "stray"},
    ]


def test_check_format_github_annotates_each_file(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _without_warnings(project)
    _run(capsys, "generate")
    assert _run(capsys, "check", "--format", "github") == (0, "", "")
    _drift(project)
    status, out, _ = _run(capsys, "check", "--format", "github")
    assert status == 1
    assert out.splitlines() == [
        "::error file=out/weather/tools.py,title=toolspec check::out/weather/tools.py is not what the specs "
        "compile to: run `toolspec generate`",
        "::error file=out/weather/models.py,title=toolspec check::out/weather/models.py is missing: run "
        "`toolspec generate`",
        "::error file=out/notes.py,title=toolspec check::out/notes.py was not written by toolspec generate: "
        "move it out of the output directory, or remove it (`toolspec generate --prune` removes every such file)",
    ]


def test_check_quiet_prints_only_the_drift(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _without_warnings(project)
    _run(capsys, "generate")
    assert _run(capsys, "check", "--quiet") == (0, "", "")
    _drift(project)
    status, out, err = _run(capsys, "check", "-q")
    assert status == 1 and "missing: out/weather/models.py" in out and err == ""


def test_colour_only_on_a_terminal_without_no_color(project: Path, capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    plain = _run(capsys, "lint")[1]
    assert "\033[" not in plain
    monkeypatch.setenv("FORCE_COLOR", "1")
    coloured = _run(capsys, "lint")[1]
    assert "\033[33m\033[1mTS401\033[0m" in coloured
    assert "\033[" not in _run(capsys, "lint", "--format", "json")[1]
    monkeypatch.setenv("NO_COLOR", "1")
    assert _run(capsys, "lint")[1] == plain


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_use_colour_follows_the_stream_and_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("NO_COLOR", "FORCE_COLOR", "TERM"):
        monkeypatch.delenv(name, raising=False)
    assert use_colour(_Terminal()) and not use_colour(io.StringIO())
    monkeypatch.setenv("NO_COLOR", "")  # empty: as if unset
    assert use_colour(_Terminal())
    monkeypatch.setenv("NO_COLOR", "1")
    assert not use_colour(_Terminal())


@pytest.mark.parametrize(("after", "shown"), [(0.0, True), (1000.0, False)])
def test_progress_on_a_terminal_once_the_run_takes_a_second(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, after: float, shown: bool
) -> None:
    monkeypatch.setattr(app, "PROGRESS_AFTER", after)
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    err = _run(capsys, "generate")[2]
    assert ("\rgenerating 1/1 toolsets" in err) is shown  # one toolset is enough, if it is slow
    assert err.endswith("\n") or not err
