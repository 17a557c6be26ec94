"""The API's hard limits, as published (see docs/rules.md and the rules that check them).

A rule that checks one takes it as the default of an option; the configuration may lower such
an option, never raise it (project/config.py refuses), and TS506 (schema-rejected) holds to the limits
themselves whatever the options, or whether those rules run.
"""

from __future__ import annotations

MAX_NESTING = 10
"""Levels of object nesting in a strict schema, the parameters being level 1."""
MAX_PROPERTIES = 5000
"""Object properties in one strict schema, in all."""
MAX_ENUM_VALUES = 1000
"""Enum values in one strict schema, across all enums."""
LONG_ENUM_VALUES = 250
"""A string enum of more values than this one is held to LONG_ENUM_CHARACTERS."""
LONG_ENUM_CHARACTERS = 15_000
"""The characters of all the values of such an enum."""
MAX_SCHEMA_TEXT = 120_000
"""Property names, definition names, enum and const values of one strict schema, in characters."""
MAX_TOOLS = 128
"""Tools in one request."""
