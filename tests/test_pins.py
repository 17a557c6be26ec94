"""Pins that mutation testing found missing (issue 19): what the drift check ignores in the
output, the exact form of its diffs, TS506's messages and its regex and Lark branches, and the
long-enum limit on both sides of each of its two figures. Each assertion fails for a mutant
that survived the suite before."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

import pytest

from conftest import load
from test_precedence import _custom, _value
from toolspec.lint import api_limits
from toolspec.lint.rules import BY_CODE
from toolspec.output.drift import find_drift

CURRENT = {PurePosixPath("pkg/models.py"): b"x = 1\n"}


def _drift_with(output: Path, extra: str) -> list[PurePosixPath]:
    """The stray files check finds in an output holding the current files and extra."""
    for path, content in {**CURRENT, PurePosixPath(extra): b"junk"}.items():
        (output / path).parent.mkdir(parents=True, exist_ok=True)
        (output / path).write_bytes(content)
    drift = find_drift(CURRENT, output, "out")
    assert not (drift.diffs or drift.missing or drift.orphaned)
    return drift.stray


@pytest.mark.parametrize(
    "ignored",
    [
        ".mypy_cache/3.11/models.data.json",
        "pkg/.pytest_cache/v/cache/lastfailed",
        "pkg/__pycache__/notes.txt",
        "pkg/models.cpython-311.pyc",
    ],
)
def test_the_caches_of_tools_run_on_the_output_are_no_drift(tmp_path: Path, ignored: str) -> None:
    """mypy, pytest and Python leave these in a package they check, test or import."""
    assert _drift_with(tmp_path, ignored) == []


@pytest.mark.parametrize("stray", [".mypy_cache.old/a.json", "pkg/pytest_cache/a", "pkg/models.pyc.txt", "pkg/pyc"])
def test_names_that_only_look_like_caches_are_stray(tmp_path: Path, stray: str) -> None:
    assert _drift_with(tmp_path, stray) == [PurePosixPath(stray)]


@pytest.mark.parametrize(
    ("on_disk", "expected", "diff"),
    [
        (
            b"x = 1\ny = 3",
            b"x = 1\ny = 2\n",
            "--- out/a.py (on disk)\n+++ out/a.py (from the specs)\n@@ -1,2 +1,2 @@\n"
            " x = 1\n-y = 3\n\\ No newline at end of file\n+y = 2\n",
        ),
        (
            b"x = 1\n",
            b"x = 1\ny = 2",
            "--- out/a.py (on disk)\n+++ out/a.py (from the specs)\n@@ -1 +1,2 @@\n"
            " x = 1\n+y = 2\n\\ No newline at end of file\n",
        ),
    ],
    ids=["on-disk-without-newline", "expected-without-newline"],
)
def test_a_diff_is_unified_and_marks_a_missing_newline_as_diff_does(
    tmp_path: Path, on_disk: bytes, expected: bytes, diff: str
) -> None:
    (tmp_path / "a.py").write_bytes(on_disk)
    drift = find_drift({PurePosixPath("a.py"): expected}, tmp_path, "out")
    assert drift.diffs == [diff] and drift.changed == [PurePosixPath("a.py")]


SCHEMA = "the API would refuse the compiled schema: "
GRAMMAR = "the API would refuse the grammar: "


@pytest.mark.parametrize(
    ("spec", "found"),
    [
        (_custom("regex", "'^(?!a).*$'"), [(8, 19, f"{GRAMMAR}it uses a lookaround `(?!`")]),
        (_custom("regex", r"'^(a)\1$'"), [(8, 19, f"{GRAMMAR}it uses a backreference `\\1`")]),
        (_custom("regex", "'^a+?b$'"), []),
        (_custom("lark", "'%declare FOO\\nstart: \"a\"'"), [(8, 19, f"{GRAMMAR}it uses `%declare`")]),
        (
            _custom("lark", "'start: \"a\" +++'"),
            [(8, 19, f"{GRAMMAR}llguidance refuses it: 1(13): Expected value (at \"+\" ('+' or '*' or '?'))")],
        ),
        (_value("type: any"), [(5, 5, f"{SCHEMA}strict mode needs a type on every value (`type: any` has none)")]),
        (
            _value("type: integer, minimum: 5, maximum: 1"),
            [
                (
                    5,
                    5,
                    f"{SCHEMA}llguidance refuses it: Unsatisfiable schema: required property 'value' is unsatisfiable",
                )
            ],
        ),
    ],
    ids=[
        "regex-lookaround",
        "regex-backreference",
        "regex-lazy",
        "lark-declare",
        "lark-llguidance",
        "strict",
        "schema",
    ],
)
def test_ts506_says_what_the_api_refuses_and_where(
    tmp_path: Path, spec: str, found: list[tuple[int, int, str]]
) -> None:
    """A lazy quantifier in a regex grammar is read otherwise by the API (TS505), not refused."""
    built = load(tmp_path, {"spec.yaml": spec}, rules=[BY_CODE["TS506"]])
    assert [(d.position.line, d.position.column, d.message) for d in built.diagnostics] == found


def _long_enum(values: int, characters: int) -> str:
    """A parameter whose string enum has values values of characters characters in all."""
    length, extra = divmod(characters, values)
    texts = [f"v{n:03d}".ljust(length + (n < extra), "x") for n in range(values)]
    assert len(texts) == values and sum(map(len, texts)) == characters
    return _value("type: string, enum: [" + ", ".join(texts) + "]")


MANY, MOST = api_limits.LONG_ENUM_VALUES, api_limits.LONG_ENUM_CHARACTERS
OVER_BOTH = {
    "TS208": (
        6,  # at `enum`
        f"this enum has {MANY + 1} values of {MOST + 1:,} characters in all; strict mode allows {MOST:,} characters "
        f"for an enum of more than {MANY} values",
    ),
    "TS506": (
        5,  # at `parameters`
        f"{SCHEMA}an enum of {MANY + 1} values of {MOST + 1:,} characters; strict mode allows {MOST:,} for an enum "
        f"of more than {MANY} values",
    ),
}
"""What each rule that holds to the limit says of an enum just over both its figures."""


@pytest.mark.parametrize(
    ("values", "characters"),
    [(MANY, 2 * MOST), (MANY + 1, MOST), (MANY + 1, MOST + 1)],
    ids=["at-the-count-any-length", "over-the-count-at-the-length", "over-both"],
)
@pytest.mark.parametrize("code", OVER_BOTH)
def test_the_long_enum_limit_holds_on_both_sides(tmp_path: Path, code: str, values: int, characters: int) -> None:
    """Strict mode limits the characters of an enum of more than 250 values to 15,000: more
    values or more characters alone are no refusal."""
    built = load(tmp_path, {"spec.yaml": _long_enum(values, characters)}, rules=[BY_CODE[code]])
    over = values > MANY and characters > MOST
    assert [(d.code, d.position.line, d.message) for d in built.diagnostics] == (
        [(code, *OVER_BOTH[code])] if over else []
    )
