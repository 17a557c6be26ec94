"""The one walk over schema nodes that linting, compiling and counting share.

Every function that goes through the schemas of a spec builds on `walk` (parents first) or
`children`, so that a new kind of node is handled in one place; a kind they do not know
fails with assert_never rather than being taken for another.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal, TypeAlias, assert_never

from toolspec.spec import ir

StepKind: TypeAlias = Literal["property", "items", "additional", "branch", "type"]


@dataclass(frozen=True)
class Step:
    """How a schema is reached from the schema it is inside."""

    kind: StepKind
    key: str | int | None = None
    """The property's name ("property"), the branch's index from 0 ("branch"), the named
    type's name ("type": a reference followed into its type); None for items and additional."""


ITEMS = Step("items")
ADDITIONAL = Step("additional")

Route: TypeAlias = tuple[Step, ...]


@dataclass(frozen=True)
class Child:
    schema: ir.Schema
    step: Step
    nests: bool
    """Whether the child is one level of object nesting deeper (a property, or a map's value)."""


@dataclass(frozen=True)
class Visit:
    schema: ir.Schema
    depth: int
    """Objects from the root of the walk down to this schema, the root being 1."""
    route: Route = ()
    """The steps from the root of the walk to this schema: () for the root itself."""


def children(schema: ir.Schema) -> tuple[Child, ...]:
    """The schemas directly inside schema, in the order of the spec."""
    match schema:
        case ir.Array():
            return (Child(schema.items, ITEMS, nests=False),)
        case ir.Object():
            inside = tuple(Child(prop.schema, Step("property", prop.name), nests=True) for prop in schema.properties)
            if not isinstance(schema.additional, bool | None):
                inside += (Child(schema.additional, ADDITIONAL, nests=True),)
            return inside
        case ir.Union():
            return tuple(
                Child(branch, Step("branch", index), nests=False) for index, branch in enumerate(schema.any_of)
            )
        case ir.Scalar() | ir.Reference() | ir.AnyValue():
            return ()
        case _:
            assert_never(schema)


def walk(root: ir.Schema, toolset: ir.Toolset | None = None) -> Iterator[Visit]:
    """root and every schema inside it, parents first, in the order of the spec.

    With a toolset, a reference is followed into its named type at every place it is used,
    but not again inside that type itself: a recursive type is walked once per place.
    """
    pending: list[tuple[Visit, frozenset[str]]] = [(Visit(root, 1), frozenset())]
    while pending:
        visit, within = pending.pop()
        yield visit
        schema, depth, route = visit.schema, visit.depth, visit.route
        inside = [
            (Visit(child.schema, depth + int(child.nests), (*route, child.step)), within) for child in children(schema)
        ]
        if toolset is not None and isinstance(schema, ir.Reference) and schema.name not in within:
            named = toolset.named_type(schema.name)
            if named is not None:
                inside.append((Visit(named.schema, depth, (*route, Step("type", schema.name))), within | {schema.name}))
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


def dereferenced(schema: ir.Schema, toolset: ir.Toolset) -> ir.Schema:
    """schema, or the schema of the named type it refers to (through references to references),
    where it adds nothing to the type: not nullable. A reference to no type, or a cycle of
    references, stays a reference."""
    seen: set[str] = set()
    while isinstance(schema, ir.Reference) and not schema.nullable and schema.name not in seen:
        seen.add(schema.name)
        named = toolset.named_type(schema.name)
        if named is None:
            break
        schema = named.schema
    return schema
