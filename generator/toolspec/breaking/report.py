"""Which changes are accepted, and the report in text, JSON or GitHub annotations.

A breaking change is accepted by a `# toolspec: ignore[CODE] reason` comment on its line of the
new spec (as for lint: without a reason it accepts nothing), or by its code in
`breaking.ignore` of `[tool.toolspec]`. Accepted changes are still listed, marked allowed.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from toolspec.ground.change_rules import ChangeClass
from toolspec.ground.diagnostics import Diagnostic, Position, Severity, format_text, github_escape
from toolspec.lint.checker import SUPPRESSION

if TYPE_CHECKING:
    from toolspec.breaking.changes import Change
    from toolspec.breaking.git import Ref
    from toolspec.breaking.sides import Side

_FOR = {
    ChangeClass.MODEL: "for the model",
    ChangeClass.PYTHON: "for the Python API",
    ChangeClass.RUNTIME: "for how calls run",
}
"""The summary's count of each breaking class (of those it has)."""

CONFIGURED = "listed in breaking.ignore"
"""The reason of a change accepted by the configuration."""


@dataclass(frozen=True)
class Reported:
    change: Change
    allowed: str | None = None
    """Why the change is accepted (the comment's reason), or None."""

    @property
    def failing(self) -> bool:
        return self.change.change_class.breaking and self.allowed is None


def accept(changes: Iterable[Change], new: Mapping[str, Side], ignore: Sequence[str]) -> list[Reported]:
    """changes, each with the reason it is accepted, if it is."""
    comments: dict[tuple[str, int], tuple[frozenset[str], str]] = {}
    for side in new.values():
        for number, text in enumerate(side.source.lines, start=1):
            match = SUPPRESSION.search(text)
            if match and match.group(2).strip():
                codes = frozenset(code.strip() for code in match.group(1).split(",") if code.strip())
                comments[(side.source.path, number)] = (codes, match.group(2).strip())
    reported: list[Reported] = []
    for change in changes:
        allowed = CONFIGURED if any(change.code.startswith(code) for code in ignore) else None
        if allowed is None and change.anchor is not None:
            codes, reason = comments.get((change.anchor.path, change.anchor.line), (frozenset(), ""))
            allowed = reason if change.code in codes else None
        reported.append(Reported(change, allowed))
    return reported


def _message(item: Reported, ref: str) -> str:
    change = item.change
    text = f"{change.change_class.label}: {change.message}"
    if change.in_old:
        text += f" (it was at line {change.position.line} of {change.path} at {ref})"
    if change.tokens_delta:  # a change that costs nothing says nothing of it
        text += f" ({change.tokens_delta:+d} tokens per request)"
    if item.allowed is not None and change.change_class.breaking:
        text += f" (allowed: {item.allowed})"
    return text


def _place(change: Change) -> tuple[str, Position]:
    """Where text and annotations point: in the new spec, so that an editor or a pull request
    finds the line; something removed at the line that held it (where a comment accepts it), its
    old place said in the message. A removed toolset, with no new spec, at its old place."""
    if change.in_old and change.anchor is not None:
        return change.anchor.path, Position(change.anchor.line, change.anchor.column)
    return change.path, change.position


def _diagnostic(item: Reported, ref: str) -> Diagnostic:
    severity = Severity.ERROR if item.failing else Severity.WARNING
    path, position = _place(item.change)
    return Diagnostic(path, position, item.change.code, severity, _message(item, ref))


def as_json(items: Sequence[Reported], against: Ref) -> list[dict[str, object]]:
    """One object per change; each names the commit compared with (against), where a place on
    the old side is."""
    return [
        {
            "code": item.change.code,
            "name": item.change.rule.name,
            "class": item.change.change_class.value,
            "breaking": item.change.change_class.breaking,
            "allowed": item.allowed is not None,
            "reason": item.allowed,
            "path": item.change.path,
            "side": "old" if item.change.in_old else "new",
            "line": item.change.position.line,
            "column": item.change.position.column,
            "message": item.change.message,
            "toolset": item.change.toolset,
            "tool": item.change.tool,
            "tokens_delta": item.change.tokens_delta,
            "against": against.commit,
        }
        for item in items
    ]


def _github(item: Reported, ref: str) -> str:
    change = item.change
    level = "error" if item.failing else "warning" if change.change_class.breaking else "notice"
    text = github_escape(f"{change.code} {_message(item, ref)}", data=True)
    path, position = _place(change)
    return (
        f"::{level} file={github_escape(path, data=False)},line={position.line},"
        f"col={position.column},title={change.code}::{text}"
    )


def render(items: Sequence[Reported], output_format: str, *, against: Ref, colour: bool = False) -> str:
    """The report in one of diagnostics.FORMATS, without a trailing newline; against is the commit
    compared with, named for the places in its specs."""
    if output_format == "json":
        return json.dumps(as_json(items, against), indent=2, ensure_ascii=False)
    if output_format == "github":
        return "\n".join(_github(item, against.short) for item in items)
    return "\n".join(format_text(_diagnostic(item, against.short), colour=colour, severity=False) for item in items)


def github_summary(items: Sequence[Reported], against: Ref) -> str:
    """The summary as a GitHub notice, so that a pull request's checks say what was compared with."""
    return f"::notice title=toolspec breaking::{github_escape(summary(items, against), data=True)}"


def summary(items: Sequence[Reported], ref: Ref) -> str:
    against = f"{ref.label} ({ref.short})"
    if not items:
        return f"No changes to the specs since {against}."
    failing = [item for item in items if item.failing]
    allowed = sum(item.change.change_class.breaking and not item.failing for item in items)
    safe = sum(not item.change.change_class.breaking for item in items)
    counts = f"{len(failing)} breaking change{'s' * (len(failing) != 1)}"
    if failing:
        by_class = [(sum(item.change.change_class is kind for item in failing), kind) for kind in _FOR]
        counts += f" ({', '.join(f'{count} {_FOR[kind]}' for count, kind in by_class if count)})"
    return f"{counts}, {allowed} allowed, {safe} safe, since {against}."
