"""Write JSON values as Python source that evaluates to exactly those values."""

from __future__ import annotations

from typing import Any

from toolspec.ground.frozen import thaw


class PythonName(str):
    """A name to write as itself, not as a string: a constant the generated module defines."""

    def __new__(cls, name: str) -> PythonName:
        if not name.isidentifier():
            raise ValueError(f"not a Python identifier: {name!r}")
        return super().__new__(cls, name)

    def __repr__(self) -> str:
        return str(self)  # what python_literal writes: the name itself


def python_literal(value: Any) -> str:
    """Python source for a JSON value, plain or frozen (a FrozenDict is written as a dict, a
    tuple as a list): the repr() of the value as plain JSON, since the repr of a dict, list,
    str, number, bool or None is Python source that evaluates to it (any text is safe), and a
    PythonName's is its name. repr does in C what a walk here did in Python, node by node."""
    return repr(thaw(value))
