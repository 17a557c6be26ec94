"""The report of `toolspec check`: the drift in text, JSON or GitHub annotations, and its
summary line. Beside the drift it reports (drift.py), as breaking/ and importing/ keep theirs:
the command line only prints it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from toolspec.ground.diagnostics import counted, github_escape

if TYPE_CHECKING:
    from toolspec.output.drift import Drift

DRIFT_STATUSES = ("changed", "missing", "orphaned", "stray")
"""What `check --format json` says of a file; orphaned: generate wrote it once, no longer."""

HANDLER_STATUS = "handler"
"""The status of a handler class's problem in `check --format json`, which adds its line and message."""


@dataclass(frozen=True)
class HandlerProblem:
    """A reason check fails that is no file of the output: one thing wrong with a configured
    handler class (project/coverage.py finds them), at the place to fix it."""

    path: str
    """The file, as the user knows it: the method's, else the class's, else (an entry that names
    no class, a class Python knows no file of) the pyproject.toml that configures it."""
    line: int
    message: str


_WHY = {
    "changed": "is not what the specs compile to: run `toolspec generate`",
    "missing": "is missing: run `toolspec generate`",
    "orphaned": "is no longer generated: run `toolspec generate` to remove it",
    "stray": "was not written by toolspec generate: move it out of the output directory, or remove it "
    "(`toolspec generate --prune` removes every such file)",
}
"""What a GitHub annotation says of a file, by its status."""


def render(drift: Drift, output: str, output_format: str, handlers: Sequence[HandlerProblem] = ()) -> str:
    """Every reason check fails, in json (a list of {"path", "status"}, and for a handler's problem
    {"path", "line", "status": "handler", "message"}) or github (an error per file or problem)."""
    found = [
        (f"{output}/{path}", status)
        for status, paths in zip(
            DRIFT_STATUSES, (drift.changed, drift.missing, drift.orphaned, drift.stray), strict=True
        )
        for path in paths
    ]
    if output_format == "json":
        entries: list[dict[str, object]] = [{"path": path, "status": status} for path, status in found]
        entries += [
            {"path": problem.path, "line": problem.line, "status": HANDLER_STATUS, "message": problem.message}
            for problem in handlers
        ]
        return json.dumps(entries, indent=2, ensure_ascii=False)
    return "\n".join(
        [
            *(
                f"::error file={github_escape(path, data=False)},title=toolspec check::"
                + github_escape(f"{path} {_WHY[status]}", data=True)
                for path, status in found
            ),
            *(
                f"::error file={github_escape(problem.path, data=False)},line={problem.line},"
                f"title=toolspec check::{github_escape(problem.message, data=True)}"
                for problem in handlers
            ),
        ]
    )


def text(drift: Drift, output: str, handlers: Sequence[HandlerProblem] = ()) -> str:
    """The drift as text: the diff of each changed file, then a line per other file, then a line
    per handler problem as mypy writes one (`path:line: error: message`)."""
    lines = [f"missing: {output}/{path}\n" for path in drift.missing]
    lines += [f"orphaned (no longer generated): {output}/{path}\n" for path in drift.orphaned]
    lines += [f"stray (not generated): {output}/{path}\n" for path in drift.stray]
    lines += [f"{problem.path}:{problem.line}: error: {problem.message}\n" for problem in handlers]
    return "".join(drift.diffs) + "".join(lines)


def summary(drift: Drift, output: str, uncovered: int, handlers: int) -> str:
    """One line on the whole comparison: the drift, else the handlers' problems, else all well."""
    if not drift.clean:
        return (
            f"{output} is not what the specs compile to: {len(drift.diffs)} changed, {len(drift.missing)} missing, "
            f"{len(drift.orphaned)} orphaned, {len(drift.stray)} stray. Run `toolspec generate"
            f"{' --prune' if drift.stray else ''}`."
        )
    if uncovered:
        return f"{counted(uncovered, 'problem')} with the handlers: implement every tool as its spec says."
    implement = "implements its toolset" if handlers == 1 else "implement their toolsets"
    covered = f"; {counted(handlers, 'handler class', 'handler classes')} {implement}" if handlers else ""
    return f"{output} matches the specs ({counted(drift.compared, 'file')}){covered}."
