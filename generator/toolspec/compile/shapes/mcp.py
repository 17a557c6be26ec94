"""MCP's tool shape: the tools of a server's `tools/list` result.

`{"name", "title"?, "description"?, "inputSchema", "outputSchema"?, "annotations"?}`, the
schemas in plain JSON Schema as for Anthropic (PLAIN): MCP has no strict mode, and its clients
leave optional arguments out. The generated package carries this shape: the Dispatcher's MCP
server lists it. `outputSchema` is a tool's `returns`, where that is an object (MCP allows no
other: TS507); import reads it back as `returns`.

MCP has no free-text tools: a custom tool is a tool of one required string argument, `input`,
whose description says the format (free text, or the grammar); the server hands that string to
the handler as a custom tool's input. The import reads it back as the function tool it looks like.

The annotations say what a tool does: export states `effect` and `idempotent` as readOnlyHint,
destructiveHint and idempotentHint, all three always stated (an MCP client takes a tool without
them to be destructive), and import reads them back. Where a source leaves them out, MCP's own
defaults apply (a tool is not read-only, and may be destructive and not idempotent), and the
import's report says so: an importer that took a silent tool for a harmless reader would be
wrong in the dangerous direction.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from toolspec.compile.shapes.incoming import Change, describe, drop_unknown, flat_function, mapping
from toolspec.compile.shapes.where import SourceError
from toolspec.spec import ir

if TYPE_CHECKING:
    from toolspec.compile.shapes.incoming import Incoming
    from toolspec.compile.shapes.where import Where

NAME = "mcp"
CONSTANT = "MCP_TOOLS"
USAGE = '{"tools": MCP_TOOLS}, the result of tools/list'
GENERATED = True
PLAIN = True
CUSTOM_INPUT = "input"
"""The one argument of a custom tool in MCP: its input text."""
HINTS = ("readOnlyHint", "destructiveHint", "idempotentHint")
RESULT_KEY = "outputSchema"
"""Where export writes a tool's `returns` (an object schema only), and import reads it."""


def function_tool(tool: ir.FunctionTool, parameters: Any) -> dict[str, Any]:
    return _tool(tool, parameters)


def custom_tool(tool: ir.CustomTool) -> dict[str, Any]:
    match tool.format:
        case ir.TextFormat():
            format_text = "Free text."
        case ir.GrammarFormat():
            format_text = f"Text in this {tool.format.syntax} grammar:\n{tool.format.definition}"
    text = {"type": "string", "description": format_text}
    schema = {
        "type": "object",
        "properties": {CUSTOM_INPUT: text},
        "required": [CUSTOM_INPUT],
        "additionalProperties": False,
    }
    return _tool(tool, schema)


def _tool(tool: ir.Tool, schema: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"name": tool.name}
    if tool.description is not None:
        body["description"] = tool.description
    body["inputSchema"] = schema
    body["annotations"] = {
        "readOnlyHint": tool.effect is ir.Effect.READ,
        "destructiveHint": tool.effect is ir.Effect.DESTRUCTIVE,
        "idempotentHint": tool.idempotent,
    }
    return body


TOLD_BY = "`inputSchema` (MCP)"


def matches(data: Mapping[str, Any]) -> bool:
    return "inputSchema" in data


def read(data: Mapping[str, Any], where: Where) -> Incoming:
    tool = flat_function(NAME, data, where, "inputSchema")
    if "outputSchema" in data:
        tool.returns, tool.returns_at = data["outputSchema"], where / RESULT_KEY
    annotations = mapping(data.get("annotations", {}), where / "annotations", "`annotations`")
    tool.effect, tool.idempotent = _effect(annotations, where / "annotations", where, tool.changes)
    drop_unknown(data, ("name", "description", "inputSchema", RESULT_KEY, "annotations"), where, where, tool.changes)
    drop_unknown(annotations, HINTS, where, where / "annotations", tool.changes)
    return tool


def _effect(annotations: Mapping[str, Any], at: Where, tool: Where, changes: list[Change]) -> tuple[str, bool]:
    hints = {}
    for hint in HINTS:
        value = annotations.get(hint)
        if value is not None and not isinstance(value, bool):
            raise SourceError(at / hint, f"`{hint}` must be true or false, not {describe(value)}")
        hints[hint] = value
    read_only, destructive, idempotent = (hints[hint] for hint in HINTS)
    if read_only:
        effect = "read"
    else:
        effect = "write" if destructive is False else "destructive"
    missing = [hint for hint in HINTS[: 1 if read_only else 2] if hints[hint] is None]
    if missing:
        meaning = "not read-only" + (", may destroy" if destructive is None else "")
        changes.append(
            Change(
                "effect",
                at.relative_to(tool),
                f"effect: {effect}: {' and '.join(missing)} left out, which MCP takes to mean {meaning}; "
                "set `effect` if the tool does less",
            )
        )
    return effect, idempotent if idempotent is not None else effect == "read"
