"""The named types of an import: each `$ref` target of the sources becomes one entry of `types`.

Named types are shared by every tool of a toolset, and their names must be unique, so the
`Address` of two pydantic models is one type when both say the same, and `Address` and
`Address2` when they differ. A named type that strict mode cannot take (a free-form object in
it) makes every tool that uses it, directly or through another type, `strict: false`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from toolspec.spec.build import BUILTIN_TYPES


@dataclass
class Scope:
    """What converting one tool, or one named type, found: why it cannot be strict, and the
    named types it refers to."""

    reasons: list[str] = field(default_factory=list)
    refs: set[str] = field(default_factory=set)


class NamedTypes:
    def __init__(self) -> None:
        self.nodes: dict[str, dict[str, Any]] = {}
        """Name -> its spec schema, in the order the types were first used."""
        self.scopes: dict[str, Scope] = {}
        self.by_ref: dict[tuple[str, str], str] = {}
        """(file, `$ref`) -> its named type, for the `$ref`s into a document every tool shares."""
        self.pending: set[str] = set()
        """Names handed out for types still being converted (a recursive type refers to its own)."""

    def provisional(self, suggested: str) -> str:
        """A free name for a type about to be converted."""
        base = type_name(suggested)
        name, number = base, 2
        while name in self.nodes:
            name, number = f"{base}{number}", number + 1
        self.nodes[name] = {}
        self.pending.add(name)
        return name

    def settle(self, name: str, node: dict[str, Any], scope: Scope, suggested: str) -> str:
        """Keep the converted type under name, or, when an earlier type of the same base name says
        exactly the same (and neither is still being converted), use that one: the name to refer by."""
        self.pending.discard(name)
        if not _mentions(node, self.pending | {name}):
            base = type_name(suggested)
            for existing in self.nodes:
                if (
                    existing != name
                    and re.fullmatch(rf"{re.escape(base)}\d*", existing)
                    and self.nodes[existing] == node
                ):
                    del self.nodes[name]
                    return existing
        self.nodes[name] = node
        self.scopes[name] = scope
        return name

    def reasons(self, refs: Iterable[str]) -> list[str]:
        """Why the types named (and those they refer to) cannot be strict."""
        found: list[str] = []
        seen: set[str] = set()
        todo = list(refs)
        while todo:
            name = todo.pop(0)
            if name in seen or name not in self.scopes:
                continue
            seen.add(name)
            found.extend(f"it uses the named type {name}, and {reason}" for reason in self.scopes[name].reasons)
            todo.extend(sorted(self.scopes[name].refs))
        return found


def type_name(suggested: str) -> str:
    """A legal type name (`^[A-Za-z_][A-Za-z0-9_]*$`, not a built-in type) close to suggested."""
    name = re.sub(r"[^A-Za-z0-9_]", "_", suggested) or "Type"
    if name[0].isdigit():
        name = "_" + name
    return name[0].upper() + name[1:] if name in BUILTIN_TYPES else name


def _mentions(node: Any, names: set[str]) -> bool:
    if isinstance(node, dict):
        kind = node.get("type")
        return (isinstance(kind, str) and kind in names) or any(_mentions(value, names) for value in node.values())
    if isinstance(node, list):
        return any(_mentions(item, names) for item in node)
    return False
