"""`toolspec breaking`: the specs at a git ref against the working tree, every change classified."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

from toolspec.breaking import git
from toolspec.breaking.changes import Anchor, Change, Recorder
from toolspec.breaking.model import compare_tools
from toolspec.breaking.python_api import compare_classes, python_classes
from toolspec.breaking.report import Reported, accept
from toolspec.breaking.sides import Side, new_side, old_side
from toolspec.breaking.tokens import tokens_delta
from toolspec.compile.argument_models import ModelGenerationError
from toolspec.project.config import Config
from toolspec.speed.model_pool import make_models

UNSEEN_BY_PYTHON = frozenset({"TS741", "TS748"})
"""Codes of changes that leave models.py's names and types as they are."""


@dataclass(frozen=True)
class Result:
    ref: git.Ref
    changes: tuple[Reported, ...]
    notes: tuple[str, ...]
    """What could not be compared, for stderr."""

    @property
    def failing(self) -> bool:
        return any(item.failing for item in self.changes)


def breaking_changes(config: Config, against: str | None) -> Result:
    """Compare the configured specs at against (see git.resolve) with those of the working tree."""
    root = git.repository_root(config.root)
    ref = git.resolve(root, against)
    new = new_side(config)
    old, notes = old_side(config, root, ref.commit)
    notes = [f"at {ref.short}: {note}" for note in notes]
    changes = compare_sides(old, new, notes)
    return Result(ref, tuple(accept(changes, new, config.breaking_ignore)), tuple(notes))


def compare_sides(old: dict[str, Side], new: dict[str, Side], notes: list[str]) -> list[Change]:
    """Every change between the toolsets of the two sides, in toolset and file order."""
    pairs, changes = _match_toolsets(old, new)
    recorders = [
        Recorder(before, after) for before, after in pairs if before.compiled.toolset != after.compiled.toolset
    ]
    for rec in recorders:
        compare_tools(rec)
    seen_by_python = [rec for rec in recorders if _python_may_differ(rec)]
    make_models([side.compiled for rec in seen_by_python for side in (rec.old, rec.new)])
    for rec in seen_by_python:
        try:
            compare_classes(rec, python_classes(rec.old.compiled), python_classes(rec.new.compiled))
        except ModelGenerationError as error:
            notes.append(f"the Python API of toolset {rec.new.name!r} was not compared: {error}")
    for rec in recorders:
        changes += [_with_tokens(change, rec) for change in rec.found]
    unique = {(c.code, c.path, c.position, c.message): c for c in reversed(changes)}  # a type used by many tools
    return sorted(unique.values(), key=Change.sort_key)


def _python_may_differ(rec: Recorder) -> bool:
    names = {named.name for named in rec.old.compiled.toolset.types}
    if names != {named.name for named in rec.new.compiled.toolset.types}:
        return True
    if rec.old.compiled.fields.aliases != rec.new.compiled.fields.aliases:
        return True  # a property's python_name: the model sees nothing, Python a field renamed
    return any(change.code not in UNSEEN_BY_PYTHON for change in rec.found)


def _with_tokens(change: Change, rec: Recorder) -> Change:
    if change.tool is not None and change.tool in rec.tools:
        before, after = rec.tools[change.tool]
        delta = tokens_delta([before] if before else [], [after] if after else [])
    else:
        delta = tokens_delta(rec.old.compiled.tools, rec.new.compiled.tools)
    return dataclasses.replace(change, tokens_delta=delta)


def _match_toolsets(old: dict[str, Side], new: dict[str, Side]) -> tuple[list[tuple[Side, Side]], list[Change]]:
    """Toolsets by name; one that went and one that came in the same spec file are one, renamed."""
    pairs = [(old[name], side) for name, side in new.items() if name in old]
    came = {side.compiled.spec_path: side for name, side in new.items() if name not in old}
    changes: list[Change] = []
    for name, side in old.items():
        if name in new:
            continue
        after = came.pop(side.compiled.spec_path, None)
        if after is None:
            message = f"toolset {name!r} was removed, and its {len(side.compiled.tools)} tools with it"
            changes.append(_toolset_change("TS712", side, message, [side], []))
            continue
        pairs.append((side, after))
        message = (
            f"toolset {name!r} was renamed to {after.name!r}: its package and its handlers class "
            f"(now `{after.compiled.handlers_class}`) have new names"
        )
        changes.append(_toolset_change("TS725", after, message, [side], [after]))
    for side in came.values():
        changes.append(_toolset_change("TS749", side, f"toolset {side.name!r} was added", [], [side]))
    return pairs, changes


def _toolset_change(code: str, side: Side, message: str, old: Sequence[Side], new: Sequence[Side]) -> Change:
    position = side.source.position(("toolset",), at_key=True)
    anchor = Anchor(side.source.path, position.line) if new else None
    delta = tokens_delta([t for s in old for t in s.compiled.tools], [t for s in new for t in s.compiled.tools])
    return Change(code, message, side.name, None, side.source.path, position, anchor, delta, in_old=not new)
