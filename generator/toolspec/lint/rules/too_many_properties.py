"""A strict tool whose schema has more object properties than strict mode allows.

## What it does
Counts the properties of every object in a strict tool's schema, named types included, and
flags more than 5,000.

## Why
Strict mode allows at most 5,000 object properties in all (100 when it launched).

## How to fix
Split the tool into several smaller ones.

## Example
```yaml
# Flagged: a tool whose objects have 5,001 properties between them
```
"""

from toolspec.ground.diagnostics import Severity
from toolspec.lint.strict_limits import PROPERTIES, limit_check

CODE = "TS206"
NAME = "too-many-properties"
SEVERITY = Severity.ERROR
OPTIONS = {"max": PROPERTIES.api_limit}
OPTION_LIMITS = OPTIONS
"""The API's limit: the option may only lower it."""

check_tool = limit_check(
    CODE,
    "max",
    PROPERTIES,
    lambda count, allowed: f"the schema has {count:,} properties; strict mode allows {allowed:,}",
)
