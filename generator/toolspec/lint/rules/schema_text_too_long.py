"""A strict tool whose names and enum values are too long in total.

## What it does
Adds up the characters of every property name, definition name, enum value and const value in
a strict tool's schema and flags more than 120,000.

## Why
Strict mode limits that total to 120,000 characters (15,000 when it launched).

## How to fix
Shorten names and values, or split the tool.

## Example
```yaml
# Flagged: enums and names adding up to 120,001 characters
```
"""

from toolspec.ground.diagnostics import Severity
from toolspec.lint.strict_limits import SCHEMA_TEXT, limit_check

CODE = "TS209"
NAME = "schema-text-too-long"
SEVERITY = Severity.ERROR
OPTIONS = {"max-characters": SCHEMA_TEXT.api_limit}
OPTION_LIMITS = OPTIONS
"""The API's limit: the option may only lower it."""

check_tool = limit_check(
    CODE,
    "max-characters",
    SCHEMA_TEXT,
    lambda count, allowed: f"names, enum and const values total {count:,} characters; strict mode allows {allowed:,}",
)
