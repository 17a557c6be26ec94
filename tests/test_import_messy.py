"""Real definitions are messier than ours: each mess gets a fix the report names (with the place
in the source), or a lint finding with a rule code, and never a traceback. The tools imported
still mean what they meant: instances of their ORIGINAL schemas are accepted by the models.
"""

from __future__ import annotations

import importlib
import json
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import build_package, load
from import_fidelity import check_original_accepted
from toolspec.importing import Imported, SourceError, import_sources
from toolspec.spec.build import TYPE_ALIASES


def chat(name: str, properties: dict[str, Any], required: list[str] | None = None, **more: Any) -> dict[str, Any]:
    parameters = {"type": "object", "properties": properties, "required": required or [], **more}
    return {
        "type": "function",
        "function": {"name": name, "description": f"The {name} tool.", "parameters": parameters},
    }


LONG = ("Searches the archive. " * 250).strip()
MESSY = [
    chat("files.read file", {"path": {"type": "string", "description": "A path."}}, ["path"]),
    chat("aliases", {"ratio": {"type": "float", "description": "R."}, "opts": {"type": "dict", "description": "O."}}),
    chat("ghosts", {"a": {"type": "string", "description": "A."}}, ["a", "b"]),
    chat("bad_default", {"mode": {"type": "string", "enum": ["r", "w"], "default": "rw", "description": "M."}}),
    chat("mixed_enum", {"level": {"enum": [1, "high", None], "description": "L."}}, ["level"]),
    chat("python_none", {"name": {"type": "string", "default": "None", "description": "N."}}),
    {
        "type": "function",
        "function": {
            **chat("long_text", {"q": {"type": "string", "description": LONG}}, ["q"])["function"],
            "description": LONG,
        },
    },
    chat("free_form", {"meta": {"type": "object", "additionalProperties": {"type": "integer"}, "description": "M."}}),
    chat(
        "refs",
        {"home": {"$ref": "#/definitions/Place"}, "work": {"$ref": "#/definitions/Place", "description": "Work."}},
        ["home"],
        definitions={"Place": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}},
    ),
    chat(
        "keywords",
        {
            "tags": {"type": "array", "items": {"type": "string"}, "uniqueItems": True, "description": "T."},
            "site": {"type": "string", "format": "uri", "title": "Site", "examples": ["https://a.b"]},
            "n": {"type": "integer", "minimum": 0, "exclusiveMinimum": True, "description": "N."},
            "either": {"oneOf": [{"type": "string"}, {"type": "integer"}], "description": "E."},
            "both": {"allOf": [{"type": "object", "properties": {"x": {"type": "integer"}}}, {"required": ["x"]}]},
            "maybe": {"type": ["string", "null"], "description": "M."},
        },
        ["tags", "site", "n", "either", "both", "maybe"],
    ),
    chat("kept", {"code": {"type": "string", "not": {"const": "x"}, "description": "C."}}, ["code"]),
]
CHANGES = {
    "files.read file": [("renamed", "/name")],
    "aliases": [
        ("type", "/function/parameters/properties/ratio/type"),
        ("free-form", "/function/parameters/properties/opts"),
    ],
    "ghosts": [("required", "/function/parameters/required")],
    "bad_default": [("default", "/function/parameters/properties/mode/default")],
    "mixed_enum": [("anyOf", "/function/parameters/properties/level")],
    "python_none": [("default", "/function/parameters/properties/name/default")],
    "free_form": [("free-form", "/function/parameters/properties/meta")],
    "long_text": [("long", "/function/parameters/properties/q/description")],
    "refs": [("named-type", "/function/parameters/properties/home/$ref")],
    "keywords": [
        ("described", "/function/parameters/properties/tags/uniqueItems"),
        ("described", "/function/parameters/properties/site/format"),
        ("described", "/function/parameters/properties/site/examples"),
        ("title", "/function/parameters/properties/site/title"),
        ("type", "/function/parameters/properties/n/exclusiveMinimum"),
        ("anyOf", "/function/parameters/properties/either/oneOf"),
        ("allOf", "/function/parameters/properties/both/allOf"),
    ],
    "kept": [("kept", "/function/parameters/properties/code/not")],
}


@pytest.fixture(scope="module")
def messy(tmp_path_factory: pytest.TempPathFactory) -> Imported:
    path = tmp_path_factory.mktemp("messy") / "messy.json"
    path.write_text(json.dumps(MESSY), "utf-8")
    return import_sources([str(path)], toolset="messy")


def test_each_mess_is_a_change_the_report_names_where_it_is(messy: Imported) -> None:
    reports = {tool.source_name: tool for tool in messy.report.tools}
    for name, expected in CHANGES.items():
        found = {(change.kind, change.at) for change in reports[name].changes}
        assert set(expected) <= found, (name, found)
    strict = {tool.source_name: tool.strict for tool in messy.report.tools}
    assert [name for name, is_strict in strict.items() if not is_strict] == ["aliases", "free_form", "kept"]


def test_what_each_fix_writes(messy: Imported) -> None:
    tools = {tool["name"]: tool for tool in messy.spec["tools"]}
    assert "files_read_file" in tools and '# was "files.read file"' in messy.text
    assert tools["aliases"]["parameters"]["ratio"]["type"] == "number"
    assert list(tools["ghosts"]["parameters"]) == ["a"]
    assert tools["bad_default"]["parameters"]["mode"] == {
        "type": "string", "enum": ["r", "w"], "description": 'M. Default: "rw".', "optional": True
    }  # fmt: skip
    assert tools["python_none"]["parameters"]["name"] == {
        "type": "string", "description": "N.", "optional": True
    }, 'default "None" is Python\'s None: no default'  # fmt: skip
    level = tools["mixed_enum"]["parameters"]["level"]
    assert (
        level["anyOf"] == [{"type": "integer", "enum": [1]}, {"type": "string", "enum": ["high"]}] and level["nullable"]
    )
    assert tools["long_text"]["parameters"]["q"]["description"] == LONG, "a long description is kept as it is"
    assert tools["long_text"]["description"] == LONG
    assert messy.spec["types"] == {"Place": {"type": "object", "properties": {"city": {"type": "string"}}}}
    keywords = tools["keywords"]["parameters"]
    assert keywords["site"]["description"] == 'Format: uri. Examples: "https://a.b".', (
        "pydantic-like titles say nothing"
    )
    assert keywords["n"] == {"type": "integer", "exclusiveMinimum": 0, "description": "N."}
    assert keywords["both"]["properties"]["x"] == {"type": "integer"}
    assert tools["kept"]["parameters"]["code"]["not"] == {"const": "x"}


def test_the_spec_lints_without_errors_and_long_text_is_a_finding_with_a_code(messy: Imported, tmp_path: Path) -> None:
    built = load(tmp_path, {"messy.yaml": messy.text})
    assert not [d for d in built.diagnostics if d.severity.value == "error"], built.diagnostics
    assert {d.code for d in built.diagnostics} == {"TS402", "TS403"}, "no description here; a long one there"
    assert ">-\n" in messy.text, "long descriptions are block scalars"


@pytest.fixture(scope="module")
def package(messy: Imported, tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    return build_package(tmp_path_factory.mktemp("messy_package"), {"messy.yaml": messy.text})


def _as_json_schema(schema: Any) -> Any:
    """The original with the type names other tools write (dict, float) as JSON Schema's, for hypothesis."""
    if isinstance(schema, list):
        return [_as_json_schema(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    out = {key: _as_json_schema(value) for key, value in schema.items() if key != "definitions"}
    if isinstance(schema.get("type"), str):
        out["type"] = TYPE_ALIASES.get(schema["type"], schema["type"])
    if "definitions" in schema:
        out["$defs"] = _as_json_schema(schema["definitions"])
    return json.loads(json.dumps(out).replace("#/definitions/", "#/$defs/"))


@pytest.mark.parametrize("index", range(len(MESSY)), ids=[tool["function"]["name"] for tool in MESSY])
def test_the_model_accepts_what_the_original_accepted(package: ModuleType, messy: Imported, index: int) -> None:
    module = importlib.import_module(f"{package.__name__}.messy")
    definition = module.RESPONSES_TOOLS[index]
    original = _as_json_schema(MESSY[index]["function"]["parameters"])
    if "site" in original["properties"]:  # hypothesis draws no `uri` format
        original["properties"]["site"].pop("format")
    check_original_accepted(original, definition["parameters"], module.ARGUMENT_MODELS[definition["name"]], examples=10)


JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-5, 5)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=4),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3),
    max_leaves=12,
)
KEYWORDS = [
    "type", "properties", "required", "items", "enum", "default", "anyOf", "oneOf", "allOf", "$ref", "not",
    "additionalProperties", "format", "minimum", "exclusiveMinimum", "description", "title", "const",
    "uniqueItems", "nullable", "definitions", "$defs", "examples", "minItems", "pattern", "prefixItems",
]  # fmt: skip
VALUES = (
    JSON
    | st.sampled_from(["#", "#/", "#/definitions/A", "#/$defs/A", "#/properties/p", "#/x", "http://a/b"])
    | st.sampled_from(["string", "object", "array", "null", "dict", "float", ["string", "null"], ["integer", "string"]])
)
SCHEMAS = st.recursive(
    st.dictionaries(st.sampled_from(KEYWORDS), VALUES, max_size=4),
    lambda inner: st.dictionaries(
        st.sampled_from(KEYWORDS),
        inner
        | VALUES
        | st.lists(inner, max_size=2)
        | st.dictionaries(st.sampled_from(["A", "p", "q"]), inner, max_size=2),
        max_size=5,
    ),
    max_leaves=10,
)
TOOL_KEYS = [
    "type",
    "name",
    "description",
    "parameters",
    "function",
    "input_schema",
    "inputSchema",
    "annotations",
    "strict",
    "format",
    "custom",
    "tools",
    "result",
]
DOCUMENTS = st.lists(st.dictionaries(st.sampled_from(TOOL_KEYS), SCHEMAS | VALUES, max_size=5), max_size=3) | JSON
FUZZ = settings(
    max_examples=200, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck)
)


def _spec_or_message(document: Any, directory: Path) -> None:
    path = directory / "tools.json"
    path.write_text(json.dumps(document), "utf-8")
    try:
        result = import_sources([str(path)], toolset="anything")
    except SourceError as error:
        assert str(error).startswith(str(path)), error
        return
    assert result.text.startswith("# Imported by")


@FUZZ
@given(schema=SCHEMAS)
def test_any_schema_is_a_spec_or_a_message_never_a_traceback(
    schema: dict[str, Any], tmp_path_factory: pytest.TempPathFactory
) -> None:
    directory = tmp_path_factory.mktemp("any")
    parameters = {"type": "object", "properties": {"p": schema}, "definitions": {"A": schema}, "required": ["p"]}
    _spec_or_message([{"name": "t", "parameters": parameters}], directory)
    _spec_or_message([{"name": "t", "parameters": schema}], directory)


@FUZZ
@given(document=DOCUMENTS)
def test_any_document_is_a_spec_or_a_message_never_a_traceback(
    document: Any, tmp_path_factory: pytest.TempPathFactory
) -> None:
    _spec_or_message(document, tmp_path_factory.mktemp("any"))
