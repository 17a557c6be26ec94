"""The one walk over schema nodes that linting, compiling and counting share."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import assert_never

from toolspec.spec import ir


@dataclass(frozen=True)
class Visit:
    schema: ir.Schema
    depth: int
    """Objects from the root of the walk down to this schema, the root being 1."""


def children(schema: ir.Schema) -> tuple[tuple[ir.Schema, bool], ...]:
    """The schemas directly inside schema, each with whether it is a level of object nesting."""
    match schema:
        case ir.Array():
            return ((schema.items, False),)
        case ir.Object():
            inside = tuple((prop.schema, True) for prop in schema.properties)
            if not isinstance(schema.additional, bool | None):
                inside += ((schema.additional, True),)
            return inside
        case ir.Union():
            return tuple((branch, False) for branch in schema.any_of)
        case ir.Scalar() | ir.Reference() | ir.AnyValue():
            return ()
        case _:
            assert_never(schema)


def walk(root: ir.Schema, toolset: ir.Toolset | None = None) -> Iterator[Visit]:
    """root and every schema inside it, parents first, in the order of the spec.

    With a toolset, a reference is followed into its named type at every place it is used,
    but not again inside that type itself: a recursive type is walked once per place.
    """
    pending: list[tuple[ir.Schema, int, frozenset[str]]] = [(root, 1, frozenset())]
    while pending:
        schema, depth, within = pending.pop()
        yield Visit(schema, depth)
        inside = [(child, depth + nests, within) for child, nests in children(schema)]
        if toolset is not None and isinstance(schema, ir.Reference) and schema.name not in within:
            named = toolset.named_type(schema.name)
            if named is not None:
                inside.append((named.schema, depth, within | {schema.name}))
        pending.extend(reversed(inside))


def referenced_types(schema: ir.Schema, toolset: ir.Toolset) -> list[ir.NamedType]:
    """The named types schema uses, directly or through other named types, in `types` order."""
    used: set[str] = set()
    pending = [schema]
    while pending:
        for visit in walk(pending.pop()):
            node = visit.schema
            if isinstance(node, ir.Reference) and node.name not in used:
                named = toolset.named_type(node.name)
                if named is not None:
                    used.add(node.name)
                    pending.append(named.schema)
    return [named for named in toolset.types if named.name in used]
