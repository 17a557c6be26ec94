"""A strict tool whose enums have more values between them than strict mode allows.

## What it does
Adds up the values of every `enum` in a strict tool's schema, named types included, and flags
more than 1,000.

## Why
Strict mode allows at most 1,000 enum values across all enum properties (500 when it
launched).

## How to fix
Replace a large enum with a `pattern`, or with a string that the handler checks.

## Example
```yaml
# Flagged: country: {type: string, enum: [... 1,200 codes ...]}
# Instead:
country: {type: string, pattern: "^[A-Z]{2}$", description: ISO 3166 country code.}
```
"""

from toolspec.ground.diagnostics import Severity
from toolspec.lint.strict_limits import ENUM_VALUES, limit_check

CODE = "TS207"
NAME = "too-many-enum-values"
SEVERITY = Severity.ERROR
OPTIONS = {"max": ENUM_VALUES.api_limit}
OPTION_LIMITS = OPTIONS
"""The API's limit: the option may only lower it."""

check_tool = limit_check(
    CODE,
    "max",
    ENUM_VALUES,
    lambda count, allowed: f"the schema has {count:,} enum values; strict mode allows {allowed:,}",
)
