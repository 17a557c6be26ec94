"""Two tools or named types of one toolset that would get the same Python name.

## What it does
Flags a tool or a named type whose generated Python name another tool or type of the toolset
already has: the argument model's class (`get_item` is `GetItemArguments`), a named type's
class (`money` and `Money` are both `Money`), the handler method (`get-item`, `get_item` and
`getItem` are all `get_item`) or the constant of its parameters in tools.py. A name that is
also one the generated module imports gets `Model` appended (a type `Field` is the class
`FieldModel`, a tool `tool` the argument model `ToolArgumentsModel`), so a type or tool of
that name clashes too.

## Why
Each generated name depends only on the tool's or type's own name, so that adding, removing
or reordering tools renames nothing that code imports or overrides. Two that want one name
cannot both have it: one would get a number, and which one would depend on their order.
Exactly equal tool names are TS302; tool names that differ only in case, `-` or `_` are also
warned about for the model's sake (TS306).

## How to fix
Rename one of the two: a named type freely (only the spec uses its name), a tool if the model
can still tell what it does.

## Example
```yaml
# Flagged: both types would be the class FieldModel
types:
  Field: {type: object, properties: {...}}
  FieldModel: {type: object, properties: {...}}
# Flagged: both tools would be GetItemArguments and get_item
tools:
  - name: get_item
  - name: get-item
```
"""

from collections.abc import Iterator

from toolspec.diagnostics import Severity
from toolspec.lint.rule import Finding, ToolsetContext

CODE = "TS309"
NAME = "python-name-clash"
SEVERITY = Severity.ERROR


def check_toolset(context: ToolsetContext) -> Iterator[Finding]:
    for clash in context.compiled.name_clashes:
        line = context.source.position(clash.other_at, at_key=not clash.other_is_tool).line
        names = _and(list(clash.names))
        notes = f" ({'; '.join(clash.notes)})" if clash.notes else ""
        fix = (
            "rename one of the types"
            if not clash.is_tool and not clash.other_is_tool
            else "rename the type"
            if not clash.other_is_tool or not clash.is_tool
            else "rename one of the tools"
        )
        yield Finding(
            clash.at,
            f"{clash.subject} would get the same Python {'names' if len(clash.names) > 1 else 'name'} as "
            f"{clash.other} (line {line}): {names}{notes}; {fix} "
            "(a number would tell them apart, but which one got it would depend on the order of the spec)",
            at_key=not clash.is_tool,
        )


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"
