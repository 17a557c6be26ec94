"""Commands and documentation that agree with each other (issue 7, point 19)."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import REPO, load
from toolspec.cli import main

WEATHER = """\
toolset: weather
tools:
  - name: get_weather
    description: The weather now.
    parameters:
      city: {type: string, description: The city.}
  - name: get-weather
    description: The weather, again.
    parameters:
      town: {type: string, description: The town.}
"""


def _project(root: Path, specs: dict[str, str]) -> Path:
    (root / "pyproject.toml").write_text('[tool.toolspec]\noutput = "out"\npackage = "out"\n', "utf-8")
    (root / "specs").mkdir()
    for name, text in specs.items():
        (root / "specs" / name).write_text(text, "utf-8")
    return root


@pytest.mark.parametrize(("command", "what"), [("lint", "check"), ("generate", "generate"), ("check", "compare")])
def test_an_empty_specs_directory_is_the_same_error_for_every_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], command: str, what: str
) -> None:
    monkeypatch.chdir(_project(tmp_path, {}))
    assert main([command]) == 2
    assert capsys.readouterr().err == f"toolspec: error: no spec files (*.yaml, *.yml) in specs: nothing to {what}\n"
    assert not (tmp_path / "out").exists()


def test_an_empty_directory_named_on_the_command_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(_project(tmp_path, {}))
    (tmp_path / "more").mkdir()
    assert main(["lint", "more"]) == 2
    assert "no spec files (*.yaml, *.yml) in more: nothing to check" in capsys.readouterr().err


def test_tool_names_that_differ_only_in_case_hyphen_or_underscore_are_flagged(tmp_path: Path) -> None:
    """The model may confuse them (TS306, a warning), and their Python names are the same (TS309,
    an error): numbering one would make its name depend on the order of the tools."""
    built = load(tmp_path, {"weather.yaml": WEATHER})
    assert [(d.position.line, d.code) for d in built.diagnostics] == [(7, "TS306"), (7, "TS309")]
    assert "differs from 'get_weather' (line 3)" in built.diagnostics[0].message
    assert "the argument model GetWeatherArguments, the handler method get_weather" in built.diagnostics[1].message


def test_the_docs_say_a_keyword_toolset_name_is_an_error(tmp_path: Path) -> None:
    built = load(tmp_path, {"class.yaml": "toolset: class\ntools: []\n"})
    assert [(d.code, d.message) for d in built.diagnostics] == [
        ("TS103", "'class' is a Python keyword and cannot name a package")
    ]
    docs = " ".join((REPO / "docs" / "spec-language.md").read_text("utf-8").split())
    assert "Avoid Python keywords" not in docs
    assert "A Python keyword (`class`, `import`, ...) is an error (TS103)" in docs
