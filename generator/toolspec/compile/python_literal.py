"""Write JSON values as Python source that evaluates to exactly those values."""

from __future__ import annotations

from typing import Any


def python_literal(value: Any) -> str:
    """Python source for a JSON value; strings go through repr(), so any text is safe."""
    if isinstance(value, dict):
        items = ", ".join(f"{python_literal(key)}: {python_literal(item)}" for key, item in value.items())
        return "{" + items + "}"
    if isinstance(value, list):
        return "[" + ", ".join(python_literal(item) for item in value) + ("," if len(value) == 1 else "") + "]"
    if value is None or isinstance(value, (bool, int, float, str)):
        return repr(value)
    raise TypeError(f"not a JSON value: {type(value).__name__}")
