"""An object written in place whose class name is already another's.

## What it does
Flags an object with properties, written in place in a tool's parameters or a named type,
whose generated class name (the tool's or type's name, then the property names that lead to
it: `options` of tool `export_report` is `ExportReportOptions`) is also the name of a named
type, of an argument model, of a name models.py imports, or of an object of another tool or type.
A constrained value that is an array's item, a map's value or a branch of anyOf is a type
alias named the same way (`CreateEventReminderVariant1 = Annotated[int, Field(ge=0)]`),
and flagged the same way.

## Why
Class and alias names of what is written in place depend only on their tool and their path,
so that adding, removing or reordering tools never renames a name that code imports. Two owners that
want the same name cannot both have it: one would get a number, and which one would depend on
the order of the tools.

## How to fix
Rename the property or the tool, or make one of the objects a named type under `types`
(a named type keeps its name).

## Example
```yaml
# Flagged: both objects would be the class ExportReportOptions
tools:
  - name: export_report
    parameters:
      options: {type: object, properties: {...}}
  - name: export
    parameters:
      report_options: {type: object, properties: {...}}
```
"""

from collections.abc import Iterator

from toolspec.ground.diagnostics import Severity
from toolspec.lint.rule import Finding, ToolsetContext

CODE = "TS308"
NAME = "class-name-clash"
SEVERITY = Severity.ERROR


def check_toolset(context: ToolsetContext) -> Iterator[Finding]:
    for inline in context.compiled.inline_classes.values():
        if inline.clashes_with is not None:
            what = "value of {} would be the type alias {}" if inline.alias else "object of {} would be the class {}"
            yield Finding(
                inline.at,
                f"this {what.format(inline.owner, inline.wanted)}, "
                f"which is also {inline.clashes_with}: rename the property or the tool, "
                f"or make the {'value' if inline.alias else 'object'} a named type under `types`",
            )
