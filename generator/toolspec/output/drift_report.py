"""The report of `toolspec check`: the drift in text, JSON or GitHub annotations, and its
summary line. Beside the drift it reports (drift.py), as breaking/ and importing/ keep theirs:
the command line only prints it.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from toolspec.ground.diagnostics import github_escape

if TYPE_CHECKING:
    from toolspec.output.drift import Drift

DRIFT_STATUSES = ("changed", "missing", "orphaned", "stray")
"""What `check --format json` says of a file; orphaned: generate wrote it once, no longer."""

_WHY = {
    "changed": "is not what the specs compile to: run `toolspec generate`",
    "missing": "is missing: run `toolspec generate`",
    "orphaned": "is no longer generated: run `toolspec generate` to remove it",
    "stray": "was not written by toolspec generate: move it out of the output directory, or remove it "
    "(`toolspec generate --prune` removes every such file)",
}
"""What a GitHub annotation says of a file, by its status."""


def render(drift: Drift, output: str, output_format: str) -> str:
    """The drift in json (a list of {"path", "status"}) or github (an error per file) format."""
    found = [
        (f"{output}/{path}", status)
        for status, paths in zip(
            DRIFT_STATUSES, (drift.changed, drift.missing, drift.orphaned, drift.stray), strict=True
        )
        for path in paths
    ]
    if output_format == "json":
        return json.dumps([{"path": path, "status": status} for path, status in found], indent=2, ensure_ascii=False)
    return "\n".join(
        f"::error file={github_escape(path, data=False)},title=toolspec check::"
        + github_escape(f"{path} {_WHY[status]}", data=True)
        for path, status in found
    )


def text(drift: Drift, output: str) -> str:
    """The drift as text: the diff of each changed file, then a line per other file."""
    lines = [f"missing: {output}/{path}\n" for path in drift.missing]
    lines += [f"orphaned (no longer generated): {output}/{path}\n" for path in drift.orphaned]
    lines += [f"stray (not generated): {output}/{path}\n" for path in drift.stray]
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
        return f"{uncovered} problems with the handlers: implement every tool as its spec says."
    covered = f"; {handlers} handler classes implement their toolsets" if handlers else ""
    return f"{output} matches the specs ({drift.compared} files){covered}."
