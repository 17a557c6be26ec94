"""Deeply immutable, hashable JSON values, for the IR and the compiled toolsets.

`freeze` turns objects into FrozenDicts and arrays into tuples, all the way down; `thaw`
turns them back into plain dicts and lists, for what reads JSON as such: json.dumps,
jsonschema (for which a tuple is no array), datamodel-code-generator, the output files.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, TypeAlias

JsonValue: TypeAlias = Any


class FrozenDict(Mapping[Any, Any]):
    """A mapping that cannot change, hashable when its values are: a JSON object, frozen."""

    __slots__ = ("_items", "_hash")

    def __init__(self, items: Mapping[Any, Any] | None = None) -> None:
        self._items: dict[Any, Any] = dict(items or {})
        self._hash: int | None = None

    def __getstate__(self) -> tuple[None, dict[str, Any]]:
        # Pickled (the spec cache, worker processes) without its hash: str hashes differ by process.
        # The slots' state is set back by pickle itself, without a call of __init__: faster to load.
        return (None, {"_items": self._items, "_hash": None})

    def __getitem__(self, key: Any) -> Any:
        return self._items[key]

    def __iter__(self) -> Iterator[Any]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __eq__(self, other: object) -> bool:
        # Mapping's own __eq__ copies both sides into new dicts, at every depth of a schema.
        if isinstance(other, FrozenDict):
            return self._items == other._items
        return self._items == other if isinstance(other, dict) else Mapping.__eq__(self, other)

    def __hash__(self) -> int:
        if self._hash is None:
            self._hash = hash(frozenset(self._items.items()))
        return self._hash

    def __repr__(self) -> str:
        return f"FrozenDict({self._items!r})"


EMPTY: FrozenDict = FrozenDict()


_SCALARS = (str, int, float, type(None))
"""The JSON values that are neither objects nor arrays (bool is an int): checked first, and by
their concrete classes, since the ABC check of Mapping costs several times more."""


_FROZEN_ALREADY = (*_SCALARS, FrozenDict)


def freeze(value: JsonValue) -> JsonValue:
    """value with every dict a FrozenDict and every list a tuple, at every depth. A FrozenDict
    (frozen all the way down already) is taken as it is, not copied: so a compiled schema is
    shared by the definitions of every shape that sends it, once in memory and in the cache."""
    if isinstance(value, _FROZEN_ALREADY):
        return value
    if isinstance(value, dict | Mapping):
        return FrozenDict({key: freeze(item) for key, item in value.items()})
    if isinstance(value, list | tuple):
        return tuple(freeze(item) for item in value)
    return value


def thaw(value: JsonValue) -> JsonValue:
    """value as plain JSON again, a fresh copy: dicts and lists at every depth."""
    if isinstance(value, _SCALARS):
        return value
    if isinstance(value, FrozenDict):
        return {key: thaw(item) for key, item in value._items.items()}
    if isinstance(value, list | tuple):
        return [thaw(item) for item in value]
    if isinstance(value, Mapping):
        return {key: thaw(item) for key, item in value.items()}
    return value


def plain_json(value: object) -> object:
    """json.dumps's `default` for frozen values: a FrozenDict as the dict it holds (tuples are
    arrays to json already), so that frozen JSON is written without a thawed copy."""
    if isinstance(value, FrozenDict):
        return value._items
    raise TypeError(f"{type(value).__name__} is not JSON")
