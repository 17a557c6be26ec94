"""Sequences whose items are made as they are reached, not held: toolsets read back from disk
one at a time (ToolsetStore), and views of them."""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar, overload

T = TypeVar("T")


class LazySequence(Sequence[T]):
    """A sequence that makes item i with _item(i) each time it is asked for it."""

    @abstractmethod
    def __len__(self) -> int: ...

    @abstractmethod
    def _item(self, index: int) -> T:
        """Item index, 0 <= index < len(self)."""

    @overload
    def __getitem__(self, index: int) -> T: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[T]: ...

    def __getitem__(self, index: int | slice) -> T | Sequence[T]:
        if isinstance(index, slice):
            return [self._item(i) for i in range(*index.indices(len(self)))]
        if not -len(self) <= index < len(self):
            raise IndexError(index)
        return self._item(index % len(self))

    def __iter__(self) -> Iterator[T]:
        return (self._item(index) for index in range(len(self)))


class View(LazySequence[T]):
    """length items, item i made by item(i)."""

    def __init__(self, length: int, item: Callable[[int], T]) -> None:
        self._length = length
        self._make = item

    def __len__(self) -> int:
        return self._length

    def _item(self, index: int) -> T:
        return self._make(index)
