"""The IR's node kinds are dispatched on with match and assert_never: a kind a function does
not know fails loudly, never being taken for another."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import pytest

from toolspec.compile.names import inline_class_names
from toolspec.compile.shapes import SHAPES
from toolspec.compile.shapes.common import custom_body
from toolspec.lint.rules import endless_recursion, invalid_default
from toolspec.spec import ir


@dataclass(frozen=True, kw_only=True)
class _Strange(ir.Node):
    """A node kind no function knows: what a new kind is until every dispatch handles it."""


@dataclass(frozen=True)
class _StrangeFormat:
    """A custom tool format no function knows."""


_STRANGE: Any = _Strange(at=("types", "Odd"))
_PARAMETERS = ir.Object(at=("tools", 0, "parameters"), properties=(ir.Property(name="odd", schema=_STRANGE, at=()),))
_TOOL = ir.FunctionTool(name="pick", description="Pick.", parameters=_PARAMETERS, at=("tools", 0))
_TOOLSET = ir.Toolset("odd", None, (ir.NamedType("Odd", _STRANGE, ("types", "Odd")),), (_TOOL,))
_STRANGE_TOOL: Any = SimpleNamespace(name="odd", description=None, at=("tools", 0))
_STRANGE_CUSTOM: Any = SimpleNamespace(name="odd", description=None, format=_StrangeFormat())


UNKNOWN_KINDS: dict[str, Callable[[], object]] = {
    "inline class names": lambda: inline_class_names(_TOOLSET, {"pick": "PickArguments"}),
    "endless recursion": lambda: endless_recursion._finite_types(_TOOLSET),
    "invalid default": lambda: list(invalid_default._defaults(_PARAMETERS, {"properties": {"odd": {}}}, {})),
    "shape definition": lambda: SHAPES[0].definition(_STRANGE_TOOL, None),
    "custom tool body": lambda: custom_body(_STRANGE_CUSTOM, grammar_nested=False),
}


@pytest.mark.parametrize("use", UNKNOWN_KINDS.values(), ids=UNKNOWN_KINDS)
def test_an_unknown_kind_is_refused_not_taken_for_another(use: Callable[[], object]) -> None:
    with pytest.raises(AssertionError, match="unreachable"):
        use()
