"""Frozen JSON values compare as the plain values they stand for, with each other and with
plain dicts, at any depth."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from test_json_file import VALUES
from toolspec.ground.frozen import FrozenDict, freeze, thaw


@settings(max_examples=300, deadline=None)
@given(VALUES, VALUES)
def test_frozen_values_are_equal_where_the_plain_ones_are(first: Any, second: Any) -> None:
    plain = thaw(freeze(first)) == thaw(freeze(second))  # tuples and lists alike: as frozen values hold them
    assert (freeze(first) == freeze(second)) is plain
    assert (freeze(first) != freeze(second)) is not plain
    if isinstance(first, dict):  # a FrozenDict and a dict of the same (frozen) items, either way round
        assert freeze(first) == dict(freeze(first)) and dict(freeze(first)) == freeze(first)


@given(st.dictionaries(st.text(max_size=3), st.integers(), max_size=3))
def test_a_frozen_dict_is_equal_to_any_mapping_of_the_same_items(items: dict[str, int]) -> None:
    class Plain(dict[str, int]):
        """A dict subclass: compared as a dict."""

    assert FrozenDict(items) == Plain(items) == FrozenDict(FrozenDict(items))
    assert FrozenDict(items) != [*items.items()]
    assert FrozenDict({**items, "extra": 1}) != items
