"""Write JSON values as Python source that evaluates to exactly those values."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class PythonName(str):
    """A name to write as itself, not as a string: a constant the generated module defines."""

    def __new__(cls, name: str) -> PythonName:
        if not name.isidentifier():
            raise ValueError(f"not a Python identifier: {name!r}")
        return super().__new__(cls, name)


def python_literal(value: Any) -> str:
    """Python source for a JSON value, plain or frozen (a FrozenDict is written as a dict, a
    tuple as a list); strings go through repr(), so any text is safe."""
    if isinstance(value, PythonName):
        return str(value)
    if isinstance(value, Mapping):
        items = ", ".join(f"{python_literal(key)}: {python_literal(item)}" for key, item in value.items())
        return "{" + items + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(python_literal(item) for item in value) + "]"
    if value is None or isinstance(value, (bool, int, float, str)):
        return repr(value)
    raise TypeError(f"not a JSON value: {type(value).__name__}")
