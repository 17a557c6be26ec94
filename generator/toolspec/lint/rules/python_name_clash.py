"""Tools, named types or properties of one object with one Python name, or a bad `python_name`.

## What it does
Flags a tool or a named type whose generated Python name another tool or type of the toolset
already has: the argument model's class (`get_item` is `GetItemArguments`), a named type's
class (`money` and `Money` are both `Money`), the handler method (`get-item`, `get_item` and
`getItem` are all `get_item`) or the constant of its parameters in tools.py. A name that is
also one the generated module imports gets `Model` appended (a type `Field` is the class
`FieldModel`, a tool `tool` the argument model `ToolArgumentsModel`), so a type or tool of
that name clashes too.

Flags a property (a parameter, or a property of an object) whose field another property of the
same object already has: a name that is no Python identifier is made one (`first-name` is the
field `first_name`, `class` is `class_`), and may become another's.

Flags a `python_name` that cannot be used: one that is no Python identifier, is a keyword,
starts with `_`, or (on a property) is a name every argument model has, such as `model_dump`.

## Why
Each generated name depends only on the tool's, type's or property's own name, so that adding,
removing or reordering them renames nothing that code imports, overrides or reads. Two that
want one name cannot both have it: one would get a number, and which one would depend on their
order. Exactly equal tool names are TS302; tool names that differ only in case, `-` or `_` are
also warned about for the model's sake (TS306).

## How to fix
Rename one of the two: a named type freely (only the spec uses its name), a tool or a property
if the model can still tell what it does. Where the names must stay (they are what the model
knows), give one of them a `python_name`: the Python name of a tool (its handler method, and
the base of its argument model and constant), or of a property's field. `toolspec import`
does that for the tools and parameters it brings in.

## Example
```yaml
# Flagged: both types would be the class FieldModel
types:
  Field: {type: object, properties: {...}}
  FieldModel: {type: object, properties: {...}}
tools:
  # Flagged: both tools would be GetItemArguments and get_item
  - name: get_item
  - name: get-item
  # Not flagged: the second is the method calculate_bmi_2
  - name: calculate_bmi
  - name: calculate_BMI
    python_name: calculate_bmi_2
  - name: send
    parameters:
      first_name: {type: string}
      first-name: {type: string}  # Flagged: the field first_name too
      last-name: {type: string, python_name: surname}  # Not flagged
```
"""

from collections.abc import Iterator

from toolspec.ground.diagnostics import Severity
from toolspec.lint.rule import Finding, ToolsetContext

CODE = "TS309"
NAME = "python-name-clash"
SEVERITY = Severity.ERROR

_ORDER = "(a number would tell them apart, but which one got it would depend on the order of the spec)"


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
            else "rename one of the tools, or give one a `python_name`"
        )
        yield Finding(
            clash.at,
            f"{clash.subject} would get the same Python {'names' if len(clash.names) > 1 else 'name'} as "
            f"{clash.other} (line {line}): {names}{notes}; {fix} {_ORDER}",
            at_key=not clash.is_tool,
        )
    fields = context.compiled.fields
    for field in fields.clashes:
        line = context.source.position(field.other_at, at_key=True).line
        of = f" of {field.class_name}" if field.class_name else ""
        yield Finding(
            field.at,
            f"{field.subject} would get the same Python field as {field.other} (line {line}): "
            f"{field.field}{of}; rename one, or give one a `python_name` {_ORDER}",
            at_key=field.at[-1] != "python_name",
        )
    for invalid in fields.invalid:
        yield Finding(
            invalid.at,
            f"python_name {invalid.name!r} {invalid.why}: it cannot name a Python "
            f"{'method' if invalid.of_tool else 'field'}",
            at_key=False,
        )


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"
