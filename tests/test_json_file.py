"""json_file writes exactly what `json.dumps(value, indent=2, ensure_ascii=False)` writes, with a
final newline, for any JSON value, frozen or not, and for what json.dumps writes its own way."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolspec.ground.frozen import FrozenDict, freeze, thaw
from toolspec.ground.json_file import json_file

SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=-(2**80), max_value=2**80)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text()
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=40,
)


def reference(value: Any) -> bytes:
    return (json.dumps(thaw(value), indent=2, ensure_ascii=False) + "\n").encode("utf-8")


@settings(max_examples=400, deadline=None)
@given(VALUES)
def test_any_json_value_is_written_as_json_dumps_writes_it(value: Any) -> None:
    assert json_file(value) == reference(value)
    assert json_file(freeze(value)) == reference(value)  # FrozenDicts and tuples, as the definitions hold them


@pytest.mark.parametrize(
    "value",
    [
        {},
        [],
        [{}],
        {"a": []},
        {'quote"back\\slash\nline\ttab\x00\x1f': "é ✓ 𝄞 \u2028 \ud7ff"},
        [1.0, -0.0, 1e16, 1.5e-7, 123456789012345678901234567890, True, False, None],
        {"deep": [[[[{"x": [{"y": {}}]}]]]]},
        FrozenDict({"a": (1, FrozenDict({"b": ()}))}),
    ],
)
def test_edge_values(value: Any) -> None:
    assert json_file(value) == reference(value)


@pytest.mark.parametrize(
    "value",
    [
        {2: "a", 2.5: "b", True: "c", None: "d"},  # keys json.dumps turns into strings its own way
        [float("nan"), float("inf"), -float("inf")],  # numbers it writes as NaN, Infinity
        {"nested": {3: [float("nan")]}},
    ],
)
def test_what_json_dumps_writes_its_own_way_is_left_to_it(value: Any) -> None:
    assert json_file(value) == reference(value)


def test_what_is_no_json_fails_as_json_dumps_fails() -> None:
    with pytest.raises(TypeError):
        json_file({"a": object()})
