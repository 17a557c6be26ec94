"""Every tool of a corpus of real tool lists, written as a spec by a script, keeps its meaning.

The corpus is ../shared/corpora/bfcl-multi-turn: 162 Chat Completions function tools of the
Berkeley Function Calling Leaderboard, one JSON file per API. Each file becomes one spec (a
parameter not in `required` is `optional`, with its `default`; a tool with a free-form object
is `strict: false`); the specs must lint without errors and generate; the parameters schema
toolspec emits must say what the source says (names, descriptions, types, enums, which
parameters are required, defaults); and sample arguments must be accepted or refused by the
generated models as by the source schema. (`toolspec import` will be the real converter; this
one is only as complete as the corpus needs.)
"""

from __future__ import annotations

import importlib
import json
from pathlib import Path
from types import ModuleType
from typing import Any

import pydantic
import pytest
import yaml
from jsonschema import Draft202012Validator

from conftest import build_package, load

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpora" / "bfcl-multi-turn"
FILES = sorted(CORPUS.glob("*.json"))
pytestmark = pytest.mark.skipif(not FILES, reason=f"the bfcl-multi-turn corpus was not found: {CORPUS}")


def _property(schema: dict[str, Any], required: bool) -> tuple[dict[str, Any], bool]:
    """The spec of a source property, and whether it has a free-form object in it."""
    out: dict[str, Any] = {}
    free = False
    for key, value in schema.items():
        if key in ("properties", "required"):
            continue
        if key == "items":
            out["items"], inner = _property(value, True)
            free = free or inner
        else:
            out[key] = value
    if schema.get("type") == "object":
        if schema.get("properties"):
            names = set(schema.get("required", []))
            out["properties"] = {}
            for name, inner_schema in schema["properties"].items():
                out["properties"][name], inner = _property(inner_schema, name in names)
                free = free or inner
        else:
            free = True  # any keys: only a non-strict tool can say so (TS201)
            if schema.get("required"):
                out["properties"] = {name: {"type": "any", "description": name} for name in schema["required"]}
            out["additionalProperties"] = True
    if not required:
        out["optional"] = True
    elif "default" in out:
        del out["default"]  # a default means nothing on a required parameter (TS105)
    return out, free


def convert(tools: list[dict[str, Any]], toolset: str) -> dict[str, Any]:
    """A spec of a Chat Completions tool list."""
    spec_tools = []
    for tool in tools:
        function = tool["function"]
        parameters = function.get("parameters", {})
        required = set(parameters.get("required", []))
        converted = {}
        free = False
        for name, schema in parameters.get("properties", {}).items():
            converted[name], inner = _property(schema, name in required)
            free = free or inner
        spec_tool: dict[str, Any] = {"name": function["name"], "description": function["description"]}
        if free:
            spec_tool["strict"] = False
        spec_tool["parameters"] = converted
        spec_tools.append(spec_tool)
    return {"toolset": toolset, "description": f"{toolset} (bfcl-multi-turn)", "tools": spec_tools}


FREE_FORM_TOOLS = [
    {
        "type": "function",
        "function": {
            "name": "set_metadata",
            "description": "Not from the corpus (which has no free-form object): what makes a tool non-strict.",
            "parameters": {
                "type": "object",
                "properties": {
                    "key": {"type": "string", "description": "The key."},
                    "values": {"type": "object", "description": "Any keys."},
                    "options": {"type": "object", "description": "Any keys, mode among them.", "required": ["mode"]},
                    "limit": {"type": "integer", "description": "At most.", "default": None},
                    "tags": {"type": "array", "description": "Tags.", "items": {"type": "string"}, "default": []},
                },
                "required": ["key", "values", "options"],
            },
        },
    }
]


def _source_tools() -> dict[str, list[dict[str, Any]]]:
    sources = {path.stem: json.loads(path.read_text("utf-8")) for path in FILES}
    return sources | {"free_form_sample": FREE_FORM_TOOLS}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, list[dict[str, Any]]], ModuleType]:
    """The source tools by toolset, and the package generated from their specs."""
    sources = _source_tools()
    specs = {f"{name}.yaml": yaml.safe_dump(convert(tools, name), sort_keys=False) for name, tools in sources.items()}
    built = load(tmp_path_factory.mktemp("lint"), specs)
    errors = [
        f"{d.path}:{d.position.line}: {d.code} {d.message}" for d in built.diagnostics if d.severity.value == "error"
    ]
    assert not errors, "\n".join(errors)
    return sources, build_package(tmp_path_factory.mktemp("corpus"), specs)


def _meaning(schema: dict[str, Any], required: bool, *, strict: bool) -> dict[str, Any]:
    """What a property's schema says, in either form: null is how a strict schema marks an
    optional property, so it is taken out of types and enums and read as not required."""
    kind = schema.get("type")
    nullable = isinstance(kind, list) and "null" in kind
    if isinstance(kind, list):
        kind = [k for k in kind if k != "null"]
        kind = kind[0] if len(kind) == 1 else kind
    out: dict[str, Any] = {"type": kind, "required": required and not (strict and nullable)}
    for key in ("description", "default"):
        if key in schema:
            out[key] = schema[key]
    if "enum" in schema:
        out["enum"] = [value for value in schema["enum"] if not (nullable and value is None)]
    if "items" in schema:
        out["items"] = _meaning(schema["items"], True, strict=strict)
    if schema.get("properties"):
        names = set(schema.get("required", []))
        out["properties"] = {
            name: _meaning(inner, name in names, strict=strict) for name, inner in schema["properties"].items()
        }
    if kind == "object" and (not schema.get("properties") or schema.get("additionalProperties") is True):
        # Any keys (an object with properties is read as having those only, as the API reads it);
        # a key a free-form object must have is an untyped property of the spec.
        out["free-form"] = True
        keys = out.pop("properties", {})
        assert all(set(inner) <= {"type", "required", "description"} and not inner["type"] for inner in keys.values())
        out["keys"] = sorted(schema.get("required", []))
    return out


def _parameters_meaning(parameters: dict[str, Any], *, strict: bool) -> dict[str, Any]:
    names = set(parameters.get("required", []))
    return {name: _meaning(schema, name in names, strict=strict) for name, schema in parameters["properties"].items()}


def _without_defaults(meaning: dict[str, Any]) -> dict[str, Any]:
    """A strict schema sends no defaults (the model applies them): compare the rest."""
    out = {key: value for key, value in meaning.items() if key != "default"}
    if "items" in out:
        out["items"] = _without_defaults(out["items"])
    if "properties" in out:
        out["properties"] = {name: _without_defaults(inner) for name, inner in out["properties"].items()}
    return out


def test_every_tool_keeps_its_name_description_and_parameters(corpus: tuple[dict, ModuleType]) -> None:
    sources, package = corpus
    assert sum(len(tools) for tools in sources.values()) >= 150
    for toolset, tools in sources.items():
        module = importlib.import_module(f"{package.__name__}.{toolset}")
        emitted = {tool["function"]["name"]: tool for tool in module.CHAT_COMPLETIONS_TOOLS}
        assert list(emitted) == [tool["function"]["name"] for tool in tools], toolset
        for tool in tools:
            function = tool["function"]
            out = emitted[function["name"]]["function"]
            assert out["description"] == function["description"], function["name"]
            strict = out.get("strict", False)
            want = _parameters_meaning(function["parameters"], strict=False)
            got = _parameters_meaning(out["parameters"], strict=strict)
            if strict:
                assert set(out["parameters"]["required"]) == set(out["parameters"]["properties"])
                assert got == {name: _without_defaults(meaning) for name, meaning in want.items()}, function["name"]
            else:
                assert got == want, function["name"]


def _sample(schema: dict[str, Any]) -> Any:
    """A value the source schema accepts."""
    if "enum" in schema:
        return schema["enum"][-1]
    kind = schema.get("type")
    if kind == "object":
        if properties := schema.get("properties"):
            return {name: _sample(inner) for name, inner in properties.items()}
        return {"k": [1, "v"]} | {name: "any value" for name in schema.get("required", [])}
    samples = {"string": "text", "number": 2.5, "integer": 3, "boolean": True, "null": None}
    return [_sample(schema["items"]), _sample(schema["items"])] if kind == "array" else samples[kind]


WRONG = {"string": 5, "number": "2.5", "integer": 2.5, "boolean": "true", "array": "x", "object": [1]}
"""A value of another JSON type, for each type."""


def _accepts(model: type[pydantic.BaseModel], arguments: dict[str, Any]) -> pydantic.BaseModel | None:
    try:
        return model.model_validate_json(json.dumps(arguments))
    except pydantic.ValidationError:
        return None


def test_the_models_accept_and_refuse_what_the_source_schema_does(corpus: tuple[dict, ModuleType]) -> None:
    sources, package = corpus
    checked = 0
    for toolset, tools in sources.items():
        module = importlib.import_module(f"{package.__name__}.{toolset}")
        models = module.ARGUMENT_MODELS
        emitted = {tool["function"]["name"]: tool["function"] for tool in module.CHAT_COMPLETIONS_TOOLS}
        for tool in tools:
            function = tool["function"]
            name, parameters = function["name"], function["parameters"]
            source, model = Draft202012Validator(parameters), models[name]
            strict = emitted[name].get("strict", False)
            api = Draft202012Validator(emitted[name]["parameters"])
            required = set(parameters.get("required", []))
            properties = parameters.get("properties", {})
            full = {key: _sample(schema) for key, schema in properties.items()}
            assert source.is_valid(full) and api.is_valid(full), name
            accepted = _accepts(model, full)
            assert accepted is not None, (name, full)
            assert accepted.model_dump(mode="json", by_alias=True) == full, name
            # What the model sends for "left out": nothing in a non-strict tool, null in a strict one.
            least = {key: value for key, value in full.items() if key in required}
            sent = least | ({key: None for key in properties if key not in required} if strict else {})
            assert source.is_valid(least) and api.is_valid(sent), name
            accepted = _accepts(model, sent)
            assert accepted is not None, (name, sent)
            values = accepted.model_dump(by_alias=True)
            for key in set(properties) - required:
                assert values[key] == properties[key].get("default"), (name, key)
            for key, schema in properties.items():
                wrong = {**full, key: WRONG[schema["type"]]}
                assert not source.is_valid(wrong) and not api.is_valid(wrong), (name, key)
                assert _accepts(model, wrong) is None, (name, key, wrong)
                if key in required:
                    missing = {other: value for other, value in full.items() if other != key}
                    assert not source.is_valid(missing) and _accepts(model, missing) is None, (name, key)
            checked += 1
    assert checked >= 150
