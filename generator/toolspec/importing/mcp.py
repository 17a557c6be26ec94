"""MCP tools, `{"name", "title"?, "description"?, "inputSchema", "annotations"?}`, as a server's
`tools/list` result lists them.

The annotations say what a tool does: readOnlyHint, destructiveHint and idempotentHint become
`effect` and `idempotent`. Where they are left out, MCP's own defaults apply (a tool is not
read-only, and may be destructive and not idempotent), and the report says so: an importer that
took a silent tool for a harmless reader would be wrong in the dangerous direction.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from toolspec.importing.incoming import Incoming, describe, drop_unknown, mapping, text
from toolspec.importing.report import Change
from toolspec.importing.where import SourceError, Where

NAME = "mcp"
HINTS = ("readOnlyHint", "destructiveHint", "idempotentHint")


def matches(data: Mapping[str, Any]) -> bool:
    return "inputSchema" in data


def read(data: Mapping[str, Any], where: Where) -> Incoming:
    name = text(data.get("name"), where / "name", "a tool's `name`", required=True)
    assert name is not None
    description = text(data.get("description"), where / "description", "`description`", required=False)
    tool = Incoming(NAME, where, name, description, parameters=data.get("inputSchema"))
    tool.parameters_at = where / "inputSchema"
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
