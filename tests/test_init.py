"""`toolspec init` sets a project up as a user expects: it creates or appends to pyproject.toml
and .pre-commit-config.yaml, writes an example spec that lints and generates, and refuses, with
exit status 2 and nothing written, to overwrite anything."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest
import yaml

from conftest import run_toolspec
from toolspec.cli import main
from toolspec.spec.parse import language_schema

OTHER_HOOKS = """\
repos:
    # formatting
    -   repo: https://github.com/astral-sh/ruff-pre-commit
        rev: v0.17.6
        hooks:
            -   id: ruff-format
"""


def _files(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): p.read_text("utf-8") for p in sorted(root.rglob("*")) if p.is_file()}


def test_init_in_an_empty_directory_gives_a_project_that_lints_and_generates(tmp_path: Path) -> None:
    done = run_toolspec("init", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "wrote pyproject.toml" in done.stderr and "wrote specs/example.yaml" in done.stderr
    config = tomllib.loads((tmp_path / "pyproject.toml").read_text("utf-8"))
    assert config["tool"]["toolspec"] == {"specs": "specs", "output": "generated"}

    spec = (tmp_path / "specs" / "example.yaml").read_text("utf-8")
    comment = spec.splitlines()[0]
    assert comment.startswith("# yaml-language-server: $schema=")
    schema = (tmp_path / "specs" / comment.split("$schema=", 1)[1]).resolve()
    assert json.loads(schema.read_text("utf-8")) == language_schema()

    hooks = yaml.safe_load((tmp_path / ".pre-commit-config.yaml").read_text("utf-8"))
    [repo] = hooks["repos"]
    assert [hook["id"] for hook in repo["hooks"]] == ["toolspec-lint", "toolspec-check"]
    assert [hook["entry"].split()[-1] for hook in repo["hooks"]] == ["lint", "check"]

    assert run_toolspec("lint", cwd=tmp_path).returncode == 0
    generated = run_toolspec("generate", cwd=tmp_path)
    assert generated.returncode == 0, generated.stderr
    assert (tmp_path / "generated" / "example" / "handlers.py").is_file()
    assert "class Example(ExampleHandlers):" in run_toolspec("scaffold", "example", cwd=tmp_path).stdout


def _init(
    root: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str
) -> tuple[int, str]:
    """`toolspec init` run in root, in this process: its exit status and what it said."""
    monkeypatch.chdir(root)
    status = main(["init", *args])
    return status, capsys.readouterr().err


def test_init_appends_to_an_existing_pyproject_and_pre_commit_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    project = '[project]\nname = "weather-bot"\n\n[tool.ruff]\nline-length = 100'  # no final newline
    (tmp_path / "pyproject.toml").write_text(project, "utf-8")
    (tmp_path / ".pre-commit-config.yaml").write_text(OTHER_HOOKS, "utf-8")
    status, said = _init(tmp_path, monkeypatch, capsys, "--toolset", "weather")
    assert status == 0, said
    assert "appended to pyproject.toml" in said and "appended to .pre-commit-config.yaml" in said

    text = (tmp_path / "pyproject.toml").read_text("utf-8")
    assert text.startswith(project + "\n\n[tool.toolspec]\n")
    config = tomllib.loads(text)
    assert config["project"] == {"name": "weather-bot"} and config["tool"]["ruff"] == {"line-length": 100}
    assert config["tool"]["toolspec"] == {"specs": "specs", "output": "generated"}

    hooks_text = (tmp_path / ".pre-commit-config.yaml").read_text("utf-8")
    assert hooks_text.startswith(OTHER_HOOKS)
    repos = yaml.safe_load(hooks_text)["repos"]
    assert repos[0] == yaml.safe_load(OTHER_HOOKS)["repos"][0]
    assert [hook["id"] for hook in repos[1]["hooks"]] == ["toolspec-lint", "toolspec-check"]
    assert (tmp_path / "specs" / "weather.yaml").read_text("utf-8").count("toolset: weather\n") == 1


@pytest.mark.parametrize(
    ("path", "content", "reason"),
    [
        ("pyproject.toml", '[tool.toolspec]\nspecs = "tools"\n', "has a [tool.toolspec] section already"),
        ("pyproject.toml", '[tool.toolspec.options.many-tools]\nmax = 5\n', "has a [tool.toolspec] section already"),
        ("specs/example.yaml", "toolset: mine\n", "specs/example.yaml exists: toolspec init never overwrites a file"),
        (".pre-commit-config.yaml", "repos:\n  - repo: local\n    hooks:\n      - id: toolspec-check\n",
         "has toolspec's hooks already"),
        (".pre-commit-config.yaml", "repos: []\n", "cannot be appended"),
        ("pyproject.toml", "tool = {ruff = {}}\n", "cannot be appended"),
        ("pyproject.toml", "[project\n", "is not valid TOML"),
    ],
)  # fmt: skip
def test_init_refuses_to_overwrite_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], path: str, content: str,
    reason: str,
) -> None:  # fmt: skip
    (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / path).write_text(content, "utf-8")
    before = _files(tmp_path)
    status, said = _init(tmp_path, monkeypatch, capsys)
    assert status == 2 and said.startswith("toolspec: error: ") and reason in said, said
    assert _files(tmp_path) == before


def test_init_refuses_a_toolset_name_the_language_refuses(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    status, said = _init(tmp_path, monkeypatch, capsys, "--toolset", "Weather-Bot")
    assert status == 2 and "'Weather-Bot' is not a toolset name" in said
    assert _files(tmp_path) == {}
