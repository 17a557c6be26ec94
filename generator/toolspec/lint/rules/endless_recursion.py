"""A named type that refers to itself in a way no value can ever end.

## What it does
Flags a named type every value of which would have to contain another value of the same type:
a recursion through properties that are required and not nullable, with no way out through an
empty list, a null or another branch of an `anyOf`.

## Why
Strict mode makes every property required, so the model must always write the recursive
property, forever: no finite JSON value matches the schema. Constrained decoding cannot finish
such a call, and the argument model can never be built.

## How to fix
Give the recursion an end: make the recursive property `nullable: true` or `optional: true`,
or hold the children in an array (which may be empty).

## Example
```yaml
# Flagged:
types:
  Node:
    type: object
    properties:
      next: {type: Node, description: The next node.}
# Instead:
      next: {type: Node, nullable: true, description: The next node, or null at the end.}
```
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, assert_never

from toolspec.ground.diagnostics import Severity
from toolspec.lint.rule import Finding
from toolspec.spec import ir
from toolspec.spec.walk import ITEMS, Step, walk

if TYPE_CHECKING:
    from toolspec.lint.rule import ToolsetContext
    from toolspec.spec.walk import Route, Visit

CODE = "TS210"
NAME = "endless-recursion"
SEVERITY = Severity.ERROR


def check_toolset(context: ToolsetContext) -> Iterator[Finding]:
    toolset = context.toolset
    finite = _finite_types(toolset)  # once: it grows a set over all the named types
    for named in toolset.types:
        if named.name not in finite:
            yield Finding(
                named.at,
                f"no value of type {named.name} can end: it always contains another {named.name}; "
                "make the recursive property nullable or optional, or a list",
            )


def _finite_types(toolset: ir.Toolset) -> set[str]:
    """The named types that have at least one finite value, found by growing the set to a fixpoint."""
    finite: set[str] = set()
    changed = True
    while changed:
        changed = False
        for named in toolset.types:
            if named.name not in finite and _has_finite_value(named.schema, finite):
                finite.add(named.name)
                changed = True
    return finite


def _has_finite_value(schema: ir.Schema, finite: set[str]) -> bool:
    """Whether schema has a finite value, the named types in finite having one: decided for
    every node of the walk, children (later in the walk) before their parents."""
    found: dict[Route, bool] = {}
    for visit in reversed(list(walk(schema))):
        found[visit.route] = _finite(visit, found, finite)
    return found[()]


def _finite(visit: Visit, found: Mapping[Route, bool], finite: set[str]) -> bool:
    schema = visit.schema

    def inside(step: Step) -> bool:
        return found[(*visit.route, step)]

    if schema.nullable:
        return True
    match schema:
        case ir.Scalar() | ir.AnyValue():
            return True
        case ir.Reference():
            return schema.name in finite
        case ir.Array():
            return not schema.min_items or inside(ITEMS)
        case ir.Union():
            return any(inside(Step("branch", index)) for index in range(len(schema.any_of)))
        case ir.Object():  # a map may be empty: only the properties count
            return all(prop.optional or inside(Step("property", prop.name)) for prop in schema.properties)
        case _:
            assert_never(schema)
