"""What an import changed, tool by tool, and why: the report printed on stderr (text) or as data (json).

Strict mode cannot say everything JSON Schema can, and a spec is not a copy of its source:
every difference between what came in and what the spec says is a Change with a reason, so
that a reviewer can check each one. Nothing is changed or dropped without one.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from toolspec.compile.shapes.incoming import Change
from toolspec.ground.diagnostics import Diagnostic, format_text


@dataclass
class ToolReport:
    """The import of one tool."""

    source: str
    """The tool's place in its source: `file#pointer`."""
    shape: str
    name: str
    """The tool's name in the spec."""
    source_name: str
    """Its name in the source (differs when it was no legal tool name)."""
    kind: str = "function"
    strict: bool | None = None
    """None for custom tools, which strict mode does not concern."""
    changes: list[Change] = field(default_factory=list)

    def as_data(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "shape": self.shape,
            "name": self.name,
            "source_name": self.source_name,
            "kind": self.kind,
            "strict": self.strict,
            "changes": [{"kind": c.kind, "at": c.at, "message": c.message} for c in self.changes],
        }


@dataclass
class ImportReport:
    toolset: str
    tools: list[ToolReport] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """What holds for the whole import (e.g. effects the sources do not state)."""
    findings: Sequence[Diagnostic] = ()
    """What `toolspec lint` says of the spec written."""
    output: str | None = None
    """Where the spec went; None: stdout."""

    def as_data(self) -> dict[str, Any]:
        return {
            "toolset": self.toolset,
            "output": self.output,
            "tools": [tool.as_data() for tool in self.tools],
            "notes": list(self.notes),
            "findings": [d.as_json() for d in self.findings],
        }


def render_json(report: ImportReport) -> str:
    return json.dumps(report.as_data(), indent=2, ensure_ascii=False)


def render_text(report: ImportReport) -> str:
    """One line per tool, then one per change: the same change at several places is one line
    (a pydantic model has a `title` on every field; one line says it of all of them)."""
    lines: list[str] = []
    for tool in report.tools:
        lines.append(_tool_line(tool))
        grouped: dict[tuple[str, str], list[str]] = {}
        for change in tool.changes:
            grouped.setdefault((change.kind, change.message), []).append(change.at)
        for (kind, message), places in grouped.items():
            shown = ", ".join(places[:3]) + (f" and {len(places) - 3} more" if len(places) > 3 else "")
            lines.append(f"  {kind}: {shown}: {message}")
    lines.extend(f"note: {note}" for note in report.notes)
    lines.extend(format_text(diagnostic) for diagnostic in report.findings)
    lines.append(_summary(report))
    return "\n".join(lines)


def _tool_line(tool: ToolReport) -> str:
    renamed = f"{tool.source_name!r} -> {tool.name}" if tool.source_name != tool.name else tool.name
    if tool.strict is None:
        mode = "custom tool"
    else:
        mode = "strict" if tool.strict else "strict: false"
    changes = f"{len(tool.changes)} change{'s' * (len(tool.changes) != 1)}" if tool.changes else "as it was"
    return f"{tool.source} ({tool.shape}) {renamed}: {mode}, {changes}"


def _summary(report: ImportReport) -> str:
    tools = len(report.tools)
    strict = sum(tool.strict is True for tool in report.tools)
    loose = sum(tool.strict is False for tool in report.tools)
    changes = sum(len(tool.changes) for tool in report.tools)
    where = report.output if report.output is not None else "stdout"
    errors = sum(d.severity.value == "error" for d in report.findings)
    lint = (
        f"; lint: {errors} error{'s' * (errors != 1)}, {len(report.findings) - errors} warnings"
        if report.findings
        else ""
    )
    return (
        f"Imported {tools} tool{'s' * (tools != 1)} into toolset {report.toolset} ({where}): "
        f"{strict} strict, {loose} strict: false, {changes} change{'s' * (changes != 1)}{lint}."
    )
