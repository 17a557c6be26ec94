"""The IR's node kinds are dispatched on with match and assert_never: a kind a function does
not know fails loudly, never being taken for another."""

from __future__ import annotations

import json
import pickle
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from conftest import load
from toolspec.compile.names import inline_class_names
from toolspec.compile.shapes import SHAPES
from toolspec.compile.shapes.common import custom_body
from toolspec.ground.frozen import thaw
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
    "invalid default": lambda: invalid_default._objects(_PARAMETERS),
    "shape definition": lambda: SHAPES[0].definition(_STRANGE_TOOL, None),
    "custom tool body": lambda: custom_body(_STRANGE_CUSTOM, grammar_nested=False),
}


@pytest.mark.parametrize("use", UNKNOWN_KINDS.values(), ids=UNKNOWN_KINDS)
def test_an_unknown_kind_is_refused_not_taken_for_another(use: Callable[[], object]) -> None:
    with pytest.raises(AssertionError, match="unreachable"):
        use()


_FROZEN_SPEC = """\
toolset: frozen
types:
  Point:
    type: object
    description: A point.
    properties:
      x: {type: number, description: X.}
tools:
  - name: plot
    description: Plot points.
    strict: false
    parameters:
      points:
        type: array
        description: The points.
        items: {type: Point}
        uniqueItems: true
        optional: true
        default: [{x: 1}]
      origin:
        type: object
        description: The origin.
        properties:
          at: {type: array, items: {type: integer}, description: Where., minItems: 2}
      style: {type: string, enum: [line, dots], description: The style.}
    examples:
      - {points: [{x: 1}, {x: 2}], origin: {at: [0, 0]}, style: line}
"""


def test_the_ir_is_hashable_and_compared_by_value(tmp_path: Path) -> None:
    one = load(tmp_path / "one", {"spec.yaml": _FROZEN_SPEC}).toolsets[0].toolset
    two = load(tmp_path / "two", {"spec.yaml": _FROZEN_SPEC}).toolsets[0].toolset
    assert one == two and hash(one) == hash(two)
    assert len({one, two}) == 1


def test_the_ir_cannot_be_changed_deep_down(tmp_path: Path) -> None:
    tool = load(tmp_path, {"spec.yaml": _FROZEN_SPEC}).toolsets[0].toolset.tools[0]
    assert isinstance(tool, ir.FunctionTool)
    points = tool.parameters.properties[0]
    with pytest.raises(TypeError):
        points.schema.forbidden["uniqueItems"] = False  # type: ignore[index]
    with pytest.raises(TypeError):
        tool.examples[0].arguments["style"] = "dots"  # type: ignore[index]
    with pytest.raises((TypeError, AttributeError)):
        points.default[0]["x"] = 2
    assert thaw(tool.examples[0].arguments) == {
        "points": [{"x": 1}, {"x": 2}],
        "origin": {"at": [0, 0]},
        "style": "line",
    }


def test_a_compiled_schema_cannot_be_changed_by_what_reads_it(tmp_path: Path) -> None:
    """The parameters a lint rule reads are the ones the definitions hold and the output
    writes: changing them must fail, not change the output."""
    compiled = load(tmp_path, {"spec.yaml": _FROZEN_SPEC}).compiled[0]
    tool = compiled.tools[0]
    assert tool.function is not None
    parameters = tool.function.parameters
    written = compiled.shape_list(compiled.shapes[0])
    with pytest.raises(AttributeError):
        parameters["properties"]["style"]["enum"].append("bars")
    with pytest.raises(TypeError):
        parameters["properties"]["points"]["default"] = []  # type: ignore[index]
    with pytest.raises(TypeError):
        tool.definitions["responses"] = None  # type: ignore[index]
    definition = tool.definitions["responses"]
    assert definition is not None
    with pytest.raises(TypeError):
        definition["parameters"]["required"] += ("extra",)
    with pytest.raises(TypeError):
        compiled.inline_classes[("x",)] = compiled.inline_classes[next(iter(compiled.inline_classes))]  # type: ignore[index]
    written[0]["parameters"]["properties"].clear()  # a copy of its own: plain JSON, for the output
    assert compiled.shape_list(compiled.shapes[0]) != written
    assert json.dumps(compiled.shape_list(compiled.shapes[0]))


def test_a_toolset_read_back_from_a_pickle_is_the_same_value(tmp_path: Path) -> None:
    """What the spec cache and the model workers get: equal IR, equal hashes (recomputed in the
    process that reads it), and every place of the spec where it was."""
    context = load(tmp_path, {"spec.yaml": _FROZEN_SPEC}).toolsets[0]
    again = pickle.loads(pickle.dumps(context, protocol=pickle.HIGHEST_PROTOCOL))
    assert again.toolset == context.toolset and hash(again.toolset) == hash(context.toolset)
    assert again.compiled.tools[0].definitions == context.compiled.tools[0].definitions
    assert hash(again.compiled.tools[0].definitions) == hash(context.compiled.tools[0].definitions)
    places = context.source.positions
    assert again.source.positions.values == places.values and again.source.positions.keys == places.keys
    deep = ("tools", 0, "parameters", "origin", "properties", "at", "minItems")
    placed = again.source.position(deep, at_key=True)
    assert placed == context.source.position(deep, at_key=True) and placed.line > 1


def test_the_shapes_share_one_compiled_schema(tmp_path: Path) -> None:
    """Each shape's definition holds the tool's parameters schema itself, not a copy of it."""
    tool = load(tmp_path, {"spec.yaml": _FROZEN_SPEC}).compiled[0].tools[0]
    assert tool.function is not None
    assert tool.definitions["responses"]["parameters"] is tool.function.parameters
    assert tool.definitions["chat_completions"]["function"]["parameters"] is tool.function.parameters
