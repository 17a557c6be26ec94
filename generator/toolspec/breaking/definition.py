"""What a part of a spec defines, apart from where it stands: to tell a rename from a removal
and an addition, and to compare values as JSON compares them (1 is not true)."""

from __future__ import annotations

import dataclasses
import enum
import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from toolspec.ground.frozen import thaw

T = TypeVar("T")


def definition(value: Any, *, without: tuple[str, ...] = ()) -> str:
    """value as canonical JSON, without its YAML paths (`at`) and the fields named in without."""
    return json.dumps(_plain(value, ("at", *without)), sort_keys=True, ensure_ascii=False)


def _plain(value: Any, without: tuple[str, ...]) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {f.name: _plain(getattr(value, f.name), ("at",)) for f in dataclasses.fields(value)}
        return {"": type(value).__name__, **{k: v for k, v in fields.items() if k not in without}}
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, tuple | list):
        return [_plain(item, ("at",)) for item in value]
    if isinstance(value, Mapping):  # a dict, or the frozen IR's FrozenDict
        return {str(key): _plain(item, ("at",)) for key, item in value.items()}
    return value


def json_key(value: Any) -> str:
    """A JSON value as a key, so that 1, 1.0 and true stay apart as JSON keeps them."""
    return json.dumps(thaw(value), sort_keys=True, ensure_ascii=False)  # the IR's values are frozen


def pair_renames(removed: Sequence[T], added: Sequence[T], key: Callable[[T], str]) -> list[tuple[T, T]]:
    """The removed and added items that are one renamed: the only removed and the only added
    item with a definition. Two removed or two added alike are ambiguous: no pair is made."""
    removed_by: dict[str, list[T]] = {}
    added_by: dict[str, list[T]] = {}
    for item in removed:
        removed_by.setdefault(key(item), []).append(item)
    for item in added:
        added_by.setdefault(key(item), []).append(item)
    return [
        (olds[0], added_by[found][0])
        for found, olds in removed_by.items()
        if len(olds) == 1 and len(added_by.get(found, ())) == 1
    ]
