"""TS107: two spec files that define toolsets of one name.

A project check of lint's, yet not a rule of the registry: TS107 is a fixed code (it cannot be
turned off, for the generated package would hold one toolset twice), and it is reported at the
later file, which a rule's finding, placed by its toolset's name, cannot tell from the first.
It reads only names, so that a run need not read back every toolset (ToolsetStore) to find it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from toolspec.ground.diagnostics import Diagnostic
from toolspec.ground.fixed_codes import fixed_diagnostic
from toolspec.spec.source import SpecSource


def duplicate_toolsets(names: Sequence[tuple[str, str]], source: Callable[[int], SpecSource]) -> list[Diagnostic]:
    """TS107 for each toolset whose name an earlier one has. names: each toolset's name and the
    path of its spec; source: the source of the toolset at an index (only a duplicate's is read)."""
    first: dict[str, str] = {}
    found: list[Diagnostic] = []
    for index, (name, path) in enumerate(names):
        if name in first:
            where = source(index).position(("toolset",), at_key=False)
            message = f"toolset {name!r} is already defined in {first[name]}: give each toolset a name"
            found.append(fixed_diagnostic(path, where, "TS107", message))
        else:
            first[name] = path
    return found
