"""What the generated argument models accept and what the handler gets: null defaults,
free-form objects, untyped values, union branches, and construction from Python."""

from __future__ import annotations

import importlib
import json
import typing
from pathlib import Path
from types import ModuleType
from typing import Any

import pydantic

from conftest import build_package


def _models(tmp_path: Path, tools: str, *, types: str = "") -> ModuleType:
    spec = f"toolset: t\ndescription: Test.\n{types}tools:\n{tools}"
    package = build_package(tmp_path, {"t.yaml": spec})
    return importlib.import_module(f"{package.__name__}.t")


def _accepts(model: type[pydantic.BaseModel], value: Any) -> bool:
    try:
        model.model_validate_json(json.dumps(value))
    except pydantic.ValidationError:
        return False
    return True


NULL_DEFAULT = """\
  - name: find
    description: Find.
    parameters:
      query:
        type: string
        description: Words.
        optional: true
        default: null
  - name: loose
    description: Find, not strict.
    strict: false
    parameters:
      query:
        type: string
        description: Words.
        optional: true
        default: null
"""


def test_a_null_default_accepts_null_and_gives_none(tmp_path: Path) -> None:
    t = _models(tmp_path, NULL_DEFAULT)
    assert t.FindArguments.model_validate_json('{"query": null}').query is None
    assert t.FindArguments.model_validate_json('{"query": "x"}').query == "x"
    assert type(None) in typing.get_args(t.FindArguments.model_fields["query"].annotation), "typed str | None"
    assert not _accepts(t.FindArguments, {"query": 5})
    assert t.LooseArguments.model_validate_json("{}").query is None
    assert t.LooseArguments.model_validate_json('{"query": null}').query is None
    loose = next(tool for tool in t.RESPONSES_TOOLS if tool["name"] == "loose")
    assert loose["parameters"]["properties"]["query"] == {
        "type": ["string", "null"],
        "description": "Words.",
        "default": None,
    }
