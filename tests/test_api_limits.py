"""The API's limits cannot be configured away: an option that stands for one may lower it, never
raise it, and the limit itself stays an error (TS506) when the rule that checks it is off."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import write_specs
from toolspec import pipeline
from toolspec.cli import main
from toolspec.lint import api_limits
from toolspec.lint.rules import RULES
from toolspec.project.config import ConfigError, load_config

LIMITED = {rule.code: rule for rule in RULES if rule.option_limits}


def test_the_rules_of_the_api_limits_say_which_options_are_limits() -> None:
    assert set(LIMITED) == {"TS205", "TS206", "TS207", "TS208", "TS209", "TS305"}
    for rule in LIMITED.values():
        assert rule.option_limits == rule.options, f"{rule.code}: its defaults are the API's limits"
    assert LIMITED["TS305"].option_limits == {"max": api_limits.MAX_TOOLS}


@pytest.mark.parametrize(
    ("code", "option"),
    [(code, option) for code, rule in LIMITED.items() for option in rule.option_limits],
    ids=lambda value: str(value),
)
def test_an_option_may_not_raise_an_api_limit(code: str, option: str, tmp_path: Path) -> None:
    rule = LIMITED[code]
    limit = rule.option_limits[option]
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text(f"[tool.toolspec.options.{rule.name}]\n{option} = {limit + 1}\n", "utf-8")
    with pytest.raises(ConfigError) as error:
        load_config(tmp_path)
    message = str(error.value)
    assert str(pyproject) in message
    assert f"[tool.toolspec.options.{rule.name}] {option} = {limit + 1}" in message
    assert f"the API's limit of {limit}" in message
    pyproject.write_text(f"[tool.toolspec.options.{rule.name}]\n{option} = {limit}\n", "utf-8")
    assert load_config(tmp_path).options[code][option] == limit


def _nested(levels: int) -> str:
    schema = "type: string"
    for _ in range(levels - 1):
        schema = f"type: object, properties: {{inner: {{{schema}, description: Inner.}}}}"
    tool = "  - name: pick\n    description: Pick.\n    parameters:\n"
    return f"toolset: deep\ntools:\n{tool}      value: {{{schema}, description: V.}}\n"


def test_an_option_may_lower_a_limit(tmp_path: Path) -> None:
    write_specs(tmp_path, {"deep.yaml": _nested(6)})
    (tmp_path / "pyproject.toml").write_text("[tool.toolspec.options.nesting-too-deep]\nmax-depth = 5\n", "utf-8")
    built = pipeline.build([tmp_path / "specs"], load_config(tmp_path))
    assert [(d.code, d.message) for d in built.diagnostics] == [
        ("TS205", "this object is at nesting level 6; strict mode allows 5")
    ]


def test_ignoring_too_many_tools_still_refuses_129(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    tools = "".join(f"  - {{name: tool_{n}, description: Tool {n}.}}\n" for n in range(129))
    write_specs(tmp_path, {"crowded.yaml": f"toolset: crowded\ntools:\n{tools}"})
    (tmp_path / "pyproject.toml").write_text(
        '[tool.toolspec]\noutput = "out"\npackage = "out"\nignore = ["TS305"]\n', "utf-8"
    )
    monkeypatch.chdir(tmp_path)
    assert main(["generate"]) == 1
    out = capsys.readouterr().out
    assert "TS506 the API would refuse the request: 129 tools; it accepts at most 128" in out
    assert not (tmp_path / "out").exists()
