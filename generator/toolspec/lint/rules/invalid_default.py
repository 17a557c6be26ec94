"""An optional parameter's default that its own schema rejects.

## What it does
Validates every `default` against the schema of its property, as the spec means it: a
property that is `optional` may be left out of a default (or be null), as a caller may leave
it out, and is then given its own default; strict mode's wire form, where every key is
sent, is not what a default is held to.

## Why
When an optional parameter is left out or sent as null, the handler receives the default: a
default the schema rejects makes the argument model fail on a call the model made correctly.

## How to fix
Change the default to a value of the property's type and constraints.

## Example
```yaml
# Flagged:
units: {type: string, enum: [celsius, fahrenheit], optional: true, default: kelvin}
# Not flagged: Content-Type is optional, so {} leaves it out, and it is application/json
headers:
  type: object
  properties:
    Content-Type: {type: string, optional: true, default: application/json}
  optional: true
  default: {}
```
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any, assert_never

from toolspec.ground.diagnostics import Severity
from toolspec.ground.frozen import thaw
from toolspec.lint.rule import Finding
from toolspec.spec import ir
from toolspec.spec.walk import Route, referenced_types, walk

if TYPE_CHECKING:
    from toolspec.compile.toolset import CompiledTool
    from toolspec.lint.rule import ToolsetContext

CODE = "TS602"
NAME = "invalid-default"
SEVERITY = Severity.ERROR


def check_tool(compiled: CompiledTool, context: ToolsetContext) -> Iterator[Finding]:
    tool = compiled.tool
    if compiled.function is None or not isinstance(tool, ir.FunctionTool):
        return
    named_types = referenced_types(tool.parameters, context.toolset)
    roots = [_objects(tool.parameters), *(_objects(named.schema) for named in named_types)]
    if not any(prop.has_default for objects in roots for _, node in objects for prop in node.properties):
        return  # nothing to validate: no copy of the schema made
    schema: dict[str, Any] = thaw(compiled.function.parameters)
    definitions: dict[str, Any] = schema.get("$defs", {})
    compiled_roots = [schema, *(definitions[named.name] for named in named_types)]
    for objects, root in zip(roots, compiled_roots, strict=True):
        _leave_optional_out(objects, root)
    for objects, root in zip(roots, compiled_roots, strict=True):
        yield from _defaults(objects, root, definitions)


_Objects = list[tuple[Route, ir.Object]]
"""The objects of a schema (array items, map values and anyOf branches too), each with its route."""


def _objects(root: ir.Schema) -> _Objects:
    return [(visit.route, visit.schema) for visit in walk(root) if isinstance(visit.schema, ir.Object)]


def _leave_optional_out(objects: _Objects, schema: Mapping[str, Any]) -> None:
    """Take the optional properties of each of objects out of the `required` of its compiled
    form (schema: a copy of the schema sent to the API, where strict mode requires them all):
    what the spec means, and what the argument model accepts."""
    for route, node in objects:
        if not any(prop.optional for prop in node.properties):
            continue
        compiled = _compiled_at(schema, route)
        if isinstance(compiled, dict) and isinstance(compiled.get("required"), list):
            optional = {prop.name for prop in node.properties if prop.optional}
            compiled["required"] = [name for name in compiled["required"] if name not in optional]


def _defaults(objects: _Objects, schema: Mapping[str, Any], definitions: Mapping[str, Any]) -> Iterator[Finding]:
    """The defaults of objects, schema being their root's compiled form."""
    from toolspec.lint.json_validation import validation_errors  # here: the configuration imports the rules

    for route, node in objects:
        if not any(prop.has_default for prop in node.properties):
            continue
        compiled = _compiled_at(schema, route)
        if compiled is None or "properties" not in compiled:
            continue
        for prop in node.properties:
            if prop.has_default:
                prop_schema = {**compiled["properties"][prop.name], "$defs": definitions}
                for message in validation_errors(prop.default, prop_schema)[:1]:
                    yield Finding(
                        (*prop.at, "default"), f"the default does not match the schema: {message}", at_key=False
                    )


def _compiled_at(schema: Mapping[str, Any], route: Route) -> Mapping[str, Any] | None:
    """The part of the compiled schema that route leads to, or None where it compiled to
    something else (an object without properties, say)."""
    here: Any = schema
    for step in route:
        match step.kind:
            case "property":
                here = here.get("properties", {}).get(step.key)
            case "items":
                here = here.get("items")
            case "additional":
                here = here.get("additionalProperties")
            case "branch":
                branches = here.get("anyOf", ())  # null may be added after the branches
                here = branches[step.key] if isinstance(step.key, int) and step.key < len(branches) else None
            case "type":
                return None  # the walk follows no reference without a toolset
            case _:
                assert_never(step.kind)
        if not isinstance(here, Mapping):
            return None
    found: Mapping[str, Any] = here
    return found
