"""MCP's tool shape: the tools of a server's `tools/list` result.

`{"name", "title"?, "description"?, "inputSchema", "annotations"?}`, the schema in plain JSON
Schema as for Anthropic. Not generated: the package does not carry this shape; export writes it
on demand.

The annotations say what a tool does: export states `effect` and `idempotent` as readOnlyHint,
destructiveHint and idempotentHint, all three always stated (an MCP client takes a tool without
them to be destructive), and import reads them back. Where a source leaves them out, MCP's own
defaults apply (a tool is not read-only, and may be destructive and not idempotent), and the
import's report says so: an importer that took a silent tool for a harmless reader would be
wrong in the dangerous direction.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from toolspec.compile.shapes.incoming import Change, Incoming, describe, drop_unknown, flat_function, mapping
from toolspec.compile.shapes.where import SourceError, Where
from toolspec.spec import ir

NAME = "mcp"
CONSTANT = "MCP_TOOLS"
USAGE = '{"tools": MCP_TOOLS}, the result of tools/list'
HINTS = ("readOnlyHint", "destructiveHint", "idempotentHint")


def function_tool(tool: ir.FunctionTool, parameters: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"name": tool.name}
    if tool.description is not None:
        body["description"] = tool.description
    body["inputSchema"] = parameters
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
    annotations = mapping(data.get("annotations", {}), where / "annotations", "`annotations`")
    tool.effect, tool.idempotent = _effect(annotations, where / "annotations", where, tool.changes)
    drop_unknown(data, ("name", "description", "inputSchema", "annotations"), where, where, tool.changes)
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
