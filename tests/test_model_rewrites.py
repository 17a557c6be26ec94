"""The generated models read as hand-written code, and validate as they did: the models of the
example toolsets before the passes that made them so (tests/data/models_before/) and after them
(generated/, which `toolspec check` holds to the specs)."""

from __future__ import annotations

import importlib.machinery
import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pydantic
import pytest
import yaml

from conftest import REPO

TOOLSETS = ["calendar", "shop", "weather"]  # the example toolsets with function tools
BEFORE = REPO / "tests" / "data" / "models_before"
THREE_LINE_DOCSTRING = re.compile(r'^ *"""\n *[^\n]*\n *"""$', re.MULTILINE)


def _isort_problems(source: str) -> str:
    """What ruff's isort rules say of source, the generated package being the first party."""
    done = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--isolated", "--select", "I", "--stdin-filename", "models.py",
         "--config", 'lint.isort.known-first-party = ["generated"]', "--output-format", "concise", "-"],
        input=source, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode in (0, 1), done.stderr
    return done.stdout if done.returncode else ""


@pytest.mark.parametrize("toolset", TOOLSETS)
def test_the_models_read_as_hand_written(toolset: str) -> None:
    before = (BEFORE / f"{toolset}.py.txt").read_text("utf-8")
    after = (REPO / "generated" / toolset / "models.py").read_text("utf-8")
    assert 'model_config = ConfigDict(\n        extra="forbid",\n    )' in before
    assert "model_config" not in after and "ConfigDict" not in after  # ToolArguments says extra="forbid"
    assert THREE_LINE_DOCSTRING.search(before)
    assert not THREE_LINE_DOCSTRING.search(after), THREE_LINE_DOCSTRING.findall(after)
    assert re.search(r'^    """[^\n"]+"""$', after, re.MULTILINE)
    assert "x-toolspec-null-default" in before
    assert "json_schema_extra" not in after and "x-toolspec" not in after  # NullMeansDefault says it
    assert _isort_problems(before)
    assert _isort_problems(after) == ""
    groups = r"^from typing import [^\n]*\n\n(from pydantic import [^\n]*\n\n)?from generated\._base"
    assert re.search(groups, after, re.MULTILINE)


def _module(path: Path, name: str) -> ModuleType:
    loader = importlib.machinery.SourceFileLoader(name, str(path))
    spec = importlib.util.spec_from_loader(name, loader)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


def _outcome(model: type[pydantic.BaseModel], text: str) -> Any:
    """What validating text gives: the values, or the errors' types and places."""
    try:
        return model.model_validate_json(text).model_dump(mode="json")
    except pydantic.ValidationError as error:
        return sorted((e["type"], e["loc"]) for e in error.errors())


def _calls(toolset: str) -> dict[str, list[str]]:
    """Arguments for each tool: its spec's examples, each with an unknown key and with every
    optional value null, and none at all."""
    spec = yaml.safe_load((REPO / "specs" / f"{toolset}.yaml").read_text("utf-8"))
    calls: dict[str, list[str]] = {}
    for tool in spec["tools"]:
        examples = tool.get("examples", [])
        nulls = {name for name, p in tool.get("parameters", {}).items() if p.get("optional")}
        variants = [{}, *examples, *({**e, "unknown": 1} for e in examples)]
        variants += [{k: None if k in nulls else v for k, v in e.items()} for e in examples]
        calls[tool["name"]] = [json.dumps(v) for v in variants]
    return calls


@pytest.mark.parametrize("toolset", TOOLSETS)
def test_the_models_validate_as_they_did(toolset: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(REPO))
    after = importlib.import_module(f"generated.{toolset}")
    before = _module(BEFORE / f"{toolset}.py.txt", f"toolspec_models_before_{toolset}")
    checked, calls = 0, _calls(toolset)
    for name, texts in calls.items():
        new = after.ARGUMENT_MODELS[name]
        old = getattr(before, new.__name__)
        assert old.null_defaults == new.null_defaults
        assert _without_null_key(old.model_json_schema()) == _without_null_key(new.model_json_schema())
        for text in texts:
            assert _outcome(old, text) == _outcome(new, text), (name, text)
            checked += 1
    assert checked > 2 * len(calls)


def _without_null_key(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_null_key(v) for k, v in value.items() if k != "x-toolspec-null-default"}
    if isinstance(value, list):
        return [_without_null_key(v) for v in value]
    return value


def test_every_generated_module_imports_in_isort_order() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--isolated", "--select", "I", "--output-format", "concise",
         "--config", 'lint.isort.known-first-party = ["generated"]', str(REPO / "generated")],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
