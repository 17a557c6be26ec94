"""The tool catalogue: what a reviewer reads of a toolset, decided here and laid out by templates.

`generate` writes docs/<toolset>.md per toolset (catalogue.md.jinja) and docs/index.md
(catalogue_index.md.jinja). Every value here is Markdown already, made by markdown.py from
the compiled toolset: names and values as code, descriptions as escaped text. The templates
only place them, putting table cells through the `table_cell` filter.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from toolspec.compile import tokens
from toolspec.ground.frozen import thaw
from toolspec.output.markdown import code, fence, json_code, text
from toolspec.spec import ir

if TYPE_CHECKING:
    from toolspec.compile.outline import ToolsetOutline
    from toolspec.compile.toolset import CompiledTool, CompiledToolset


@dataclass(frozen=True)
class Row:
    """A parameter, or a property of a named type."""

    name: str
    type: str
    requirement: str
    constraints: str
    description: str


@dataclass(frozen=True)
class CodeBlock:
    fence: str
    language: str
    body: str


@dataclass(frozen=True)
class Result:
    """What a tool returns: its type in words, and a row per property of an object written in place."""

    summary: str
    properties: tuple[Row, ...]


@dataclass(frozen=True)
class Tool:
    heading: str
    description: str
    facts: tuple[tuple[str, str], ...]
    """Label -> value: kind, effect, strict mode, tokens."""
    parameters: tuple[Row, ...]
    note: str
    """Said in place of the parameter table of a function tool that has none."""
    grammar: CodeBlock | None
    examples: tuple[CodeBlock, ...]
    result: Result | None = None
    """None for a tool that does not say what it returns."""


@dataclass(frozen=True)
class NamedType:
    heading: str
    description: str
    type: str
    constraints: str
    properties: tuple[Row, ...]


@dataclass(frozen=True)
class Summary:
    """A tool's line in the table at the top of its toolset's page."""

    name: str
    effect: str
    strict: str
    tokens: str


@dataclass(frozen=True)
class Page:
    title: str
    source: str
    description: str
    cost: str
    """What the toolset's definitions cost, in a sentence."""
    notes: tuple[str, ...]
    """What strict mode means for the arguments, where a tool is strict; how a custom tool is
    counted, where there is one."""
    summary: tuple[Summary, ...]
    tools: tuple[Tool, ...]
    types: tuple[NamedType, ...]


@dataclass(frozen=True)
class IndexEntry:
    link: str
    description: str
    tools: str
    tokens: str


@dataclass(frozen=True)
class Index:
    source: str
    """The specs directory."""
    entries: tuple[IndexEntry, ...]


def toolset_page(compiled: CompiledToolset) -> Page:
    """docs/<toolset>.md of a toolset."""
    cost = tokens.toolset_tokens(compiled)
    toolset = compiled.toolset
    return Page(
        title=code(compiled.name),
        source=code(compiled.spec_path),
        description=text(toolset.description or ""),
        cost=_cost_sentence(cost),
        notes=_notes(toolset),
        summary=tuple(_summary(tool, cost.tools[tool.name]) for tool in compiled.tools),
        tools=tuple(_tool(tool, cost.tools[tool.name]) for tool in compiled.tools),
        types=tuple(_named_type(named) for named in toolset.types),
    )


def index_entry(toolset: ToolsetOutline) -> IndexEntry:
    """A toolset's line of docs/index.md."""
    return IndexEntry(
        link=f"[{code(toolset.name)}]({toolset.name}.md)",
        description=text(_first_line(toolset.description or "")),
        tools=f"{len(toolset.tools):,}",
        tokens=f"{toolset.tokens:,}",
    )


def index(entries: Sequence[IndexEntry], specs_dir: str) -> Index:
    """docs/index.md: the toolsets' lines (index_entry), in name order."""
    return Index(code(specs_dir), tuple(entries))


STRICT_NOTE = (
    "In a strict tool the API holds the model's arguments to the schema, and an optional parameter is sent as "
    "required and nullable: null stands for leaving it out."
)


CUSTOM_NOTE = (
    "A custom tool is counted by its name and description: harmony renders no grammar, which the API applies "
    "to what the model writes."
)


def _notes(toolset: ir.Toolset) -> tuple[str, ...]:
    strict = any(isinstance(tool, ir.FunctionTool) and tool.strict for tool in toolset.tools)
    custom = any(isinstance(tool, ir.CustomTool) for tool in toolset.tools)
    return (*((STRICT_NOTE,) if strict else ()), *((CUSTOM_NOTE,) if custom else ()))


def _first_line(value: str) -> str:
    return value.strip().splitlines()[0] if value.strip() else ""


def _cost_sentence(cost: tokens.ToolsetTokens) -> str:
    count = len(cost.tools)
    if count == 0:
        return "The toolset has no tools: it adds nothing to a request."
    each = sum(cost.tools.values())
    if count == 1:
        return f"Its definition adds **{cost.total:,} tokens** to every request that offers it."
    return (
        f"The definitions of its {count} tools add **{cost.total:,} tokens** to every request that offers them "
        f"all; offered one at a time they come to {each:,}, as each then carries the `namespace functions` "
        "around it."
    )


def _summary(compiled: CompiledTool, cost: int) -> Summary:
    tool = compiled.tool
    strict = ("yes" if tool.strict else "no") if isinstance(tool, ir.FunctionTool) else "custom tool"
    return Summary(code(tool.name), _effect(tool), strict, f"{cost:,}")


def _effect(tool: ir.Tool) -> str:
    return f"{tool.effect.value}, {'idempotent' if tool.idempotent else 'not idempotent'}"


def _tool(compiled: CompiledTool, cost: int) -> Tool:
    tool = compiled.tool
    facts: list[tuple[str, str]] = [("Effect", _effect(tool))]
    if isinstance(tool, ir.FunctionTool):
        facts += [("Kind", "function"), ("Strict", "yes" if tool.strict else "no")]
        if tool.http is not None:
            facts.append(("HTTP", code(f"{tool.http.method} {tool.http.path}")))
    else:
        facts += [("Kind", "custom"), ("Input", _custom_input(tool))]
    facts.append(("Tokens per request", f"{cost:,}"))
    return Tool(
        heading=code(tool.name),
        description=text(tool.description or ""),
        facts=tuple(facts),
        parameters=_rows(tool.parameters, "") if isinstance(tool, ir.FunctionTool) else (),
        note="No parameters." if isinstance(tool, ir.FunctionTool) and not tool.parameters.properties else "",
        grammar=_grammar(tool) if isinstance(tool, ir.CustomTool) else None,
        examples=tuple(_example(example) for example in tool.examples) if isinstance(tool, ir.FunctionTool) else (),
        result=_result(tool.returns) if isinstance(tool, ir.FunctionTool) and tool.returns is not None else None,
    )


def _result(schema: ir.Schema) -> Result:
    said = [type_text(schema), constraints_text(schema)]
    summary = ", ".join(part for part in said if part)
    if schema.description:
        summary += f": {text(schema.description)}"
    return Result(summary, _rows(schema, "") if isinstance(schema, ir.Object) else ())


def _custom_input(tool: ir.CustomTool) -> str:
    if isinstance(tool.format, ir.TextFormat):
        return "free text"
    language = {"lark": "in a Lark grammar", "regex": "that matches a regular expression"}[tool.format.syntax]
    where = f" (from {code(tool.format.file)})" if tool.format.file else ""
    return f"text {language}{where}"


def _grammar(tool: ir.CustomTool) -> CodeBlock | None:
    if not isinstance(tool.format, ir.GrammarFormat):
        return None
    body = tool.format.definition.rstrip("\n")
    return CodeBlock(fence(body), "lark" if tool.format.syntax == "lark" else "text", body)


def _example(example: ir.Example) -> CodeBlock:
    body = json.dumps(thaw(example.arguments), indent=2, ensure_ascii=False)
    return CodeBlock(fence(body), "json", body)


def _named_type(named: ir.NamedType) -> NamedType:
    schema = named.schema
    properties = _rows(schema, "") if isinstance(schema, ir.Object) else ()
    return NamedType(
        heading=code(named.name),
        description=text(schema.description or ""),
        type=type_text(schema),
        constraints=constraints_text(schema),
        properties=properties,
    )


def _rows(parent: ir.Object, prefix: str) -> tuple[Row, ...]:
    """A row per property of parent, and below each object written in place a row per property
    of it (`a.b`; `a[].b` for an array of objects)."""
    rows: list[Row] = []
    for prop in parent.properties:
        name = f"{prefix}{prop.name}"
        rows.append(
            Row(
                name=code(name),
                type=type_text(prop.schema),
                requirement=_requirement(prop),
                constraints=constraints_text(prop.schema),
                description=text(prop.schema.description or ""),
            )
        )
        inner, path = prop.schema, name
        while isinstance(inner, ir.Array):
            inner, path = inner.items, f"{path}[]"
        if isinstance(inner, ir.Object):
            rows.extend(_rows(inner, f"{path}."))
    return tuple(rows)


def _requirement(prop: ir.Property) -> str:
    if not prop.optional:
        return "required"
    return f"optional, default {json_code(prop.default)}" if prop.has_default else "optional"


def type_text(schema: ir.Schema) -> str:
    """The type of a schema in words: `string`, `array of Money`, `integer or string or null`."""
    shown: str
    match schema:
        case ir.Scalar():
            shown = schema.kind
        case ir.Array():
            shown = f"array of {type_text(schema.items)}"
        case ir.Object():
            shown = _object_type(schema)
        case ir.Reference():
            shown = code(schema.name)
        case ir.AnyValue():
            shown = "any"
        case ir.Union():
            shown = " or ".join(type_text(branch) for branch in schema.any_of)
    return f"{shown} or null" if schema.nullable and not shown.endswith(" null") else shown


def _object_type(schema: ir.Object) -> str:
    additional = schema.additional
    if schema.properties or additional is None or additional is False:
        return "object"
    return "map of any" if additional is True else f"map of {type_text(additional)}"


def constraints_text(schema: ir.Schema) -> str:
    """What a schema holds its values to beyond their type, in words; empty when nothing."""
    return ", ".join(_constraints(schema))


def _constraints(schema: ir.Schema) -> list[str]:
    found: list[str] = []
    match schema:
        case ir.Scalar():
            found = _scalar_constraints(schema)
        case ir.Array():
            found = _bounds(schema.min_items, schema.max_items, "item")
            inner = constraints_text(schema.items)
            found += [f"each item: {inner}"] if inner else []
        case ir.Object() if schema.properties and not isinstance(schema.additional, bool | None):
            found = [f"other keys: {type_text(schema.additional)}"]
        case ir.Union():
            branches = [f"{type_text(b)}: {inner}" for b in schema.any_of if (inner := constraints_text(b))]
            found = ["; ".join(branches)] if branches else []
    return found + [f"{code(key)}: {json_code(value)}" for key, value in schema.forbidden.items()]


def _scalar_constraints(schema: ir.Scalar) -> list[str]:
    found: list[str] = []
    if schema.enum is not None:
        found.append("one of " + ", ".join(json_code(value) for value in schema.enum))
    if schema.has_const:
        found.append(f"always {json_code(schema.const)}")
    if schema.pattern is not None:
        found.append(f"pattern {code(schema.pattern)}")
    if schema.format is not None:
        found.append(f"format {code(schema.format)}")
    found += _bounds(schema.min_length, schema.max_length, "character")
    for bound, sign in (
        (schema.minimum, "≥"),
        (schema.exclusive_minimum, ">"),
        (schema.maximum, "≤"),
        (schema.exclusive_maximum, "<"),
    ):
        if bound is not None:
            found.append(f"{sign} {_number(bound)}")
    if schema.multiple_of is not None:
        found.append(f"multiple of {_number(schema.multiple_of)}")
    return found


def _bounds(least: int | None, most: int | None, unit: str) -> list[str]:
    found = [f"at least {least:,} {unit}{'s' * (least != 1)}"] if least is not None else []
    return found + ([f"at most {most:,} {unit}{'s' * (most != 1)}"] if most is not None else [])


def _number(value: Any) -> str:
    """A bound as the spec would write it: 0, not 0.0."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return str(int(value))
    return json.dumps(thaw(value))
