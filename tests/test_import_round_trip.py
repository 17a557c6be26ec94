"""`toolspec export` then `toolspec import` gives back the spec: for the repository's specs and
for the specs imported from the bfcl corpus, in every shape, up to what the shape cannot carry
(cli/exporting.py says what). And exporting the spec imported back gives the same JSON again.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import REPO, project_config, run_toolspec
from test_import_corpus import FILES
from toolspec import pipeline
from toolspec.cli.exporting import export_shapes, export_tools
from toolspec.compile.toolset import CompiledToolset
from toolspec.importing import import_sources

REPO_SPECS = sorted((REPO / "specs").glob("*.yaml"))


def compiled(text: str, directory: Path) -> CompiledToolset:
    """The toolset of a spec's text, linted without errors."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "spec.yaml").write_text(text, "utf-8")
    return compiled_file(directory / "spec.yaml")


def compiled_file(path: Path) -> CompiledToolset:
    built = pipeline.build([path], project_config(path.parent))
    errors = [f"{d.code} {d.message}" for d in built.diagnostics if d.severity.value == "error"]
    assert not errors, errors
    return built.compiled[0]


def round_trip(toolset: CompiledToolset, shape: str, directory: Path) -> tuple[list[Any], Any]:
    """The tools exported in shape, and the spec imported from them."""
    tools = export_tools(toolset, shape).tools
    if not tools:
        return tools, None
    source = directory / f"{toolset.name}.{shape}.json"
    source.write_text(json.dumps(tools), "utf-8")
    return tools, import_sources([str(source)], toolset=toolset.name)


def canonical(spec: dict[str, Any], base: Path, shape: str) -> dict[str, Any]:
    """What a spec says that shape carries, written one way: defaults stated, grammar files read."""
    spec = copy.deepcopy(spec)
    tools = []
    for tool in spec["tools"]:
        tool.pop("examples", None)
        tool.pop("timeout", None)
        tool.setdefault("kind", "function")
        tool.setdefault("effect", "write")  # the language's default: an unknown effect is a write
        tool.setdefault("idempotent", tool["effect"] == "read")
        if tool["kind"] == "custom":
            if shape in ("anthropic", "mcp"):
                continue
            grammar = tool.setdefault("format", "text")
            if isinstance(grammar, dict) and "file" in grammar:
                grammar["definition"] = (base / grammar.pop("file")).read_text("utf-8")
        else:
            tool.setdefault("strict", True)
            tool.setdefault("parameters", {})
        if shape != "mcp":
            del tool["effect"], tool["idempotent"]
        tools.append(tool)
    strict_uses = any(t.get("strict") for t in tools)
    for tool in tools:
        if shape in ("responses", "chat_completions") and tool.get("strict"):
            _each_property(tool.get("parameters", {}), _strict_form)
    if shape in ("responses", "chat_completions") and strict_uses:
        for named in spec.get("types", {}).values():
            _each_property(named.get("properties", {}), _strict_form)
    return {"toolset": spec["toolset"], "types": spec.get("types", {}), "tools": tools}


def _strict_form(schema: dict[str, Any]) -> None:
    """In OpenAI's strict form an optional argument is a required nullable one: no default is sent,
    and `nullable` and `optional` read the same."""
    if schema.pop("nullable", False) or schema.get("optional"):
        schema["optional"] = True
        schema.pop("default", None)


def _each_property(properties: dict[str, Any], change: Callable[[dict[str, Any]], None]) -> None:
    for schema in properties.values():
        change(schema)
        _each_schema(schema, change)


def _each_schema(schema: dict[str, Any], change: Callable[[dict[str, Any]], None]) -> None:
    if isinstance(schema.get("properties"), dict):
        _each_property(schema["properties"], change)
    for key in ("items", "additionalProperties"):
        if isinstance(schema.get(key), dict):
            _each_schema(schema[key], change)
    for branch in schema.get("anyOf", []):
        _each_schema(branch, change)


@pytest.mark.parametrize("shape", export_shapes())
@pytest.mark.parametrize("path", REPO_SPECS, ids=[path.stem for path in REPO_SPECS])
def test_the_repository_specs_come_back(path: Path, shape: str, tmp_path: Path) -> None:
    original = yaml.safe_load(path.read_text("utf-8"))
    toolset = compiled_file(path)
    tools, imported = round_trip(toolset, shape, tmp_path)
    if not tools:
        assert shape in ("anthropic", "mcp"), "only custom tools, which these shapes do not take"
        return
    assert canonical(imported.spec, path.parent, shape) == canonical(original, path.parent, shape)
    again = compiled(imported.text, tmp_path / "again")
    assert export_tools(again, shape).tools == tools, "the spec imported back exports the same JSON"


@pytest.mark.skipif(not FILES, reason="the bfcl-multi-turn corpus is not there")
@pytest.mark.parametrize("shape", export_shapes())
def test_the_imported_corpus_specs_come_back(shape: str, tmp_path: Path) -> None:
    for index, path in enumerate(FILES):
        first = import_sources([str(path)])
        toolset = compiled(first.text, tmp_path / f"{index}")
        tools, imported = round_trip(toolset, shape, tmp_path)
        assert canonical(imported.spec, path.parent, shape) == canonical(first.spec, path.parent, shape), path.stem
        if shape in ("mcp", "anthropic"):  # these carry every default: the same text, but the first comment line
            assert imported.text.split("\n", 1)[1] == first.text.split("\n", 1)[1], path.stem


def test_export_then_import_on_the_command_line(tmp_path: Path) -> None:
    exported = run_toolspec("export", "weather", "--shape", "mcp", cwd=REPO)
    assert exported.returncode == 0, exported.stderr
    (tmp_path / "tools.json").write_text(exported.stdout, "utf-8")
    imported = run_toolspec("import", "tools.json", "--toolset", "weather", "-o", "specs/weather.yaml", cwd=tmp_path)
    assert imported.returncode == 0, imported.stderr
    spec = yaml.safe_load((tmp_path / "specs" / "weather.yaml").read_text("utf-8"))
    original = yaml.safe_load((REPO / "specs" / "weather.yaml").read_text("utf-8"))
    assert canonical(spec, tmp_path, "mcp") == canonical(original, REPO / "specs", "mcp")


def test_plain_shapes_say_a_named_types_optional_property_may_be_left_out(tmp_path: Path) -> None:
    """What the runtime accepts (a left-out optional key, in a named type too, or its null) is
    what MCP and Anthropic are told; the OpenAI shapes of a strict tool still send every key."""
    toolset = compiled(
        """\
toolset: shop
description: A shop.
types:
  Address:
    type: object
    description: Where to send it.
    properties:
      street: {type: string, description: The street.}
      floor: {type: integer, optional: true, default: 0, description: The floor.}
tools:
  - name: ship
    description: Ship an order.
    parameters:
      to: {type: Address}
""",
        tmp_path,
    )
    for shape in ("mcp", "anthropic"):
        tool = export_tools(toolset, shape).tools[0]
        schema = tool["inputSchema" if shape == "mcp" else "input_schema"]
        assert schema["$defs"]["Address"]["required"] == ["street"], shape
        assert schema["$defs"]["Address"]["properties"]["floor"] == {
            "type": ["integer", "null"],
            "description": "The floor.",
            "default": 0,
        }, "null or left out, the shared class takes it as its default"
    strict = export_tools(toolset, "responses").tools[0]["parameters"]["$defs"]["Address"]
    assert strict["required"] == ["street", "floor"]
