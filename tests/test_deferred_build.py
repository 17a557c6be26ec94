"""The argument models are built when first used, not when their module is imported.

Importing a generated package makes its classes only (pydantic's `defer_build`): no validator
is built, none is rebuilt, until a model validates. What a model does once built stays the same:
null stands for the default (in a recursive type, and in a type that refers to one defined after
it), validation is strict.
"""

from __future__ import annotations

import concurrent.futures
import importlib
import inspect
import json
import threading
from pathlib import Path
from types import ModuleType
from typing import Annotated, Any

import pydantic
import pytest
from pydantic import ConfigDict, Field

from conftest import build_package
from toolspec.runtime._base import NULL_DEFAULT_KEY, NullMeansDefault, ToolArguments

SPEC = """\
toolset: t
description: Test.
types:
  Branch:
    type: object
    description: A branch, with its own branches (a recursive type).
    properties:
      name: {type: string, description: The name.}
      weight:
        type: integer
        description: How much it counts.
        optional: true
        default: 1
      branches:
        type: array
        items: {type: Branch}
        description: Its branches.
  Left:
    type: object
    description: Refers to Right, which refers back to it.
    properties:
      right:
        type: Right
        description: The other side.
        optional: true
      label:
        type: string
        description: A label.
        optional: true
        default: left
  Right:
    type: object
    description: Refers to Left.
    properties:
      lefts:
        type: array
        items: {type: Left}
        description: The other sides.
      size:
        type: integer
        description: A size.
        optional: true
        default: 7
tools:
  - name: plant
    description: Plant a tree.
    parameters:
      tree: {type: Branch, description: The tree.}
      pair: {type: Left, description: A pair.}
      depth:
        type: integer
        description: How deep.
        optional: true
        default: 3
      tags:
        type: array
        items: {type: string}
        description: Tags.
        optional: true
        default: [a, b]
"""


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    return build_package(tmp_path_factory.mktemp("deferred"), {"t.yaml": SPEC})


def _model_classes(models: ModuleType) -> list[type[pydantic.BaseModel]]:
    return [
        value
        for value in vars(models).values()
        if inspect.isclass(value) and issubclass(value, pydantic.BaseModel) and value.__module__ == models.__name__
    ]


def test_importing_the_models_builds_no_validator(package: ModuleType) -> None:
    models = importlib.import_module(f"{package.__name__}.t.models")
    classes = _model_classes(models)
    assert {"PlantArguments", "Branch", "Left", "Right"} <= {cls.__name__ for cls in classes}
    assert [cls.__name__ for cls in classes if cls.__pydantic_complete__] == []
    source = Path(models.__file__ or "").read_text(encoding="utf-8")
    assert "model_rebuild(" not in source
    assert "from __future__ import annotations" not in source, "annotations are evaluated as the class is made"
    assert "NullMeansDefault(3)" in source


def test_null_means_default_after_a_deferred_build(package: ModuleType) -> None:
    models = importlib.import_module(f"{package.__name__}.t.models")
    plant = models.PlantArguments
    assert plant.null_defaults == {"depth": 3, "tags": ["a", "b"]}
    assert models.Branch.null_defaults == {"weight": 1}
    assert models.Left.null_defaults == {"label": "left"}
    assert models.Right.null_defaults == {"size": 7}
    call = {
        "tree": {"name": "root", "weight": None, "branches": [{"name": "leaf", "weight": None, "branches": []}]},
        "pair": {"right": {"lefts": [{"right": None, "label": None}], "size": None}, "label": None},
        "depth": None,
        "tags": None,
    }
    arguments = plant.model_validate_json(json.dumps(call))
    assert plant.__pydantic_complete__
    assert arguments.depth == 3 and arguments.tags == ["a", "b"]
    assert arguments.tree.weight == 1 and arguments.tree.branches[0].weight == 1
    assert arguments.pair.label == "left" and arguments.pair.right is not None
    assert arguments.pair.right.size == 7 and arguments.pair.right.lefts[0].label == "left"
    again = plant.model_validate_json(json.dumps(call))
    assert again.tags == ["a", "b"] and again.tags is not arguments.tags, "a list default is never shared"
    # Strict still: "5" is no integer, in the model and in a nested, recursive one.
    for wrong in ({**call, "depth": "5"}, {**call, "tree": {**call["tree"], "weight": "5"}}):
        with pytest.raises(pydantic.ValidationError):
            plant.model_validate_json(json.dumps(wrong))
    # Each model, built on its own when first used, holds the same defaults.
    assert models.Right.model_validate_json('{"lefts": [], "size": null}').size == 7
    assert models.Left.model_validate_json('{"right": null, "label": null}').label == "left"
    assert models.Branch.model_validate({"name": "x", "weight": None, "branches": []}).weight == 1


def test_a_model_written_by_hand_gets_null_means_default_from_the_key_alone() -> None:
    class Deferred(ToolArguments):
        count: Annotated[int, Field(json_schema_extra={NULL_DEFAULT_KEY: 3})] = 3

    class Eager(ToolArguments):
        model_config = ConfigDict(defer_build=False)
        count: Annotated[int, Field(json_schema_extra={NULL_DEFAULT_KEY: 4})] = 4

    class Given(ToolArguments):
        count: Annotated[int, Field(json_schema_extra={NULL_DEFAULT_KEY: 5}), NullMeansDefault(5)] = 5

    assert not Deferred.__pydantic_complete__ and Eager.__pydantic_complete__
    expected: dict[type[ToolArguments], Any] = {Deferred: 3, Eager: 4, Given: 5}
    for model, default in expected.items():
        assert model.model_validate_json('{"count": null}').count == default  # type: ignore[attr-defined]
        assert model.null_defaults == {"count": default}
    assert sum(isinstance(item, NullMeansDefault) for item in Given.model_fields["count"].metadata) == 1


def test_first_calls_in_threads_build_each_model_once_and_right(tmp_path: Path) -> None:
    # A package of its own: no model of it has been built.
    models = importlib.import_module(f"{build_package(tmp_path, {'t.yaml': SPEC}).__name__}.t.models")
    call = json.dumps(
        {
            "tree": {"name": "r", "weight": None, "branches": []},
            "pair": {"right": None, "label": None},
            "depth": None,
            "tags": None,
        }
    )
    start = threading.Barrier(8)

    def first_call(_: int) -> Any:
        start.wait()
        return models.PlantArguments.model_validate_json(call)

    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        results = list(pool.map(first_call, range(8)))
    assert [(r.depth, r.tags, r.tree.weight, r.pair.label) for r in results] == [(3, ["a", "b"], 1, "left")] * 8


def test_model_rebuild_still_resolves_names_in_the_callers_frame() -> None:
    class Outer(ToolArguments):
        inner: Inner

    class Inner(ToolArguments):
        count: Annotated[int, Field(json_schema_extra={NULL_DEFAULT_KEY: 2})] = 2

    assert Outer.model_rebuild() is True
    assert Outer.model_validate_json('{"inner": {"count": null}}').inner.count == 2  # type: ignore[attr-defined]


def test_a_subclass_fills_its_own_nulls_and_those_of_its_bases() -> None:
    # A model with no null default validates without a validator of toolspec's; its subclasses
    # still get one for the nulls they add, and for those they inherit.
    class Named(ToolArguments):
        name: str

    class Counted(Named):
        count: Annotated[int, NullMeansDefault(2)] = 2

    class Sized(Counted):
        size: Annotated[int, NullMeansDefault(9)] = 9
        tags: Annotated[list[str], NullMeansDefault(["a"])] = ["a"]  # noqa: RUF012 - a default pydantic copies

    assert Named.model_validate_json('{"name": "n"}').name == "n"  # type: ignore[attr-defined]
    assert Counted.model_validate_json('{"name": "n", "count": null}').count == 2  # type: ignore[attr-defined]
    sized: Any = Sized.model_validate_json('{"name": "n", "count": null, "size": null, "tags": null}')
    assert (sized.count, sized.size, sized.tags) == (2, 9, ["a"])
    sized.tags.append("b")
    assert Sized.model_validate_json('{"name": "n", "tags": null}').tags == ["a"]  # type: ignore[attr-defined]
