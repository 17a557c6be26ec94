"""One incoming tool made a spec tool: a legal name, its schemas converted, strict unless it cannot be.

A tool is made strict whenever its schema allows: that is what toolspec is for, and the report
says what it took. It stays `strict: false` when its schema needs it (the reasons are named), or
when its source says `strict: false` (kept, since the author chose it; the report says when
nothing needs it).
"""

from __future__ import annotations

import re
from collections.abc import Set
from typing import TYPE_CHECKING, Any

from toolspec.compile.shapes.incoming import Change
from toolspec.importing.report import ToolReport
from toolspec.importing.schema import SchemaConverter

if TYPE_CHECKING:
    from toolspec.compile.shapes.incoming import Incoming
    from toolspec.importing.named_types import NamedTypes

LEGAL_NAME = re.compile(r"^[a-zA-Z0-9_-]{1,64}$")
"""What both OpenAI APIs take as a tool's name (TS301)."""


def legal_name(name: str, taken: Set[str]) -> str:
    """name, or the nearest legal tool name not taken: each other character an underscore, at most 64."""
    if LEGAL_NAME.match(name):
        return name
    base = re.sub(r"[^a-zA-Z0-9_-]", "_", name)[:64] or "tool"
    candidate, number = base, 2
    while candidate in taken:
        suffix = f"_{number}"
        candidate, number = base[: 64 - len(suffix)] + suffix, number + 1
    return candidate


def normalise(tool: Incoming, types: NamedTypes, taken: set[str]) -> tuple[dict[str, Any], ToolReport]:
    """The spec of tool, and what was changed to make it one; taken: the names of the toolset so far."""
    name = legal_name(tool.name, taken)
    taken.add(name)
    report = ToolReport(str(tool.where), tool.shape, name, tool.name, kind=tool.kind, changes=list(tool.changes))
    if name != tool.name:
        report.changes.insert(
            0,
            Change(
                "renamed",
                "/name",
                f"{tool.name!r} is no legal tool name (letters, digits, _ and -, at most 64): named {name}; "
                "the spec keeps the original in a comment",
            ),
        )
    spec: dict[str, Any] = {"name": name}
    if tool.kind == "custom":
        spec["kind"] = "custom"
    if tool.description is not None:
        spec["description"] = tool.description
    if tool.kind == "function":
        _function(tool, types, spec, report)
    else:
        _effect(tool, spec)
        spec["format"] = tool.format
    return spec, report


def _function(tool: Incoming, types: NamedTypes, spec: dict[str, Any], report: ToolReport) -> None:
    converter = SchemaConverter(tool, types=types, tool_name=report.name)
    parameters = converter.parameters(tool.parameters, tool.parameters_at or tool.where)
    reasons = converter.non_strict_reasons()
    report.strict = not reasons and tool.strict is not False
    converter.settle_strictness(report.strict)
    report.changes.extend(converter.changes)
    _effect(tool, spec)
    if not report.strict:
        spec["strict"] = False
    if tool.strict is False and not reasons:
        report.changes.append(
            Change(
                "strict",
                "/",
                "strict: false kept, as the source says, though strict mode could take it: "
                "remove it to make the tool strict",
            )
        )
    elif tool.strict is True and reasons:
        report.changes.append(
            Change("strict", "/", f"strict: false, though the source says strict: true: {'; '.join(reasons)}")
        )
    elif reasons and not any("strict: false" in change.message for change in converter.changes):
        report.changes.append(Change("strict", "/", f"strict: false: {'; '.join(reasons)}"))  # types met before
    if parameters:
        spec["parameters"] = parameters
    if tool.returns is not None:
        spec["returns"] = _returns(tool, types, report)
    if tool.http is not None:
        spec["http"] = tool.http


def _returns(tool: Incoming, types: NamedTypes, report: ToolReport) -> dict[str, Any]:
    """What the tool returns, as a spec schema: the API never sees it, so nothing strict mode
    cannot take makes the tool `strict: false`."""
    converter = SchemaConverter(tool, types=types, tool_name=report.name, in_result=True)
    returns = converter.node(tool.returns, tool.returns_at or tool.where, "result")
    report.changes.extend(converter.changes)
    return returns


def _effect(tool: Incoming, spec: dict[str, Any]) -> None:
    """effect, always written: `write` where the source does not say (an unknown effect is no
    read, and the reviewer sees it); idempotent, where the source says it and it is not the
    language's default for the effect."""
    effect = tool.effect or "write"
    spec["effect"] = effect
    if tool.idempotent is not None and tool.idempotent != (effect == "read"):
        spec["idempotent"] = tool.idempotent
