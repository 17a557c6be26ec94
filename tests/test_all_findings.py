"""Lint reports everything that can be checked in one run, as ruff and mypy do: an error in the
structure of a spec (an unknown key, a wrong value, a node without a required key) no longer
hides the findings in the rest of the file. The parts with errors are left out, the toolset is
built from the rest and linted; findings that the left-out parts could have caused are
withheld; and nothing is ever generated from a spec with errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import load, project_config
from toolspec import pipeline

MANY_MISTAKES = """\
toolset: library
description: A lending library.
types:
  Member: {type: object, description: A member., properties: {id: {type: string, description: Id.}}}
tools:
  - name: borrow_book
    descripton: Borrow a book.
    parameters:
      isbn: {type: string, description: The ISBN.}
  - description: A tool without a name.
  - name: renew.loan
    description: Renew a loan.
    parameters:
      isbn: {type: strng, description: The ISBN.}
      link: {type: string, format: uri, description: A link to the loan.}
      member: {type: Member, description: Who renews.}
  - name: return_book
    description: Return a book.
    parameters:
      when: {type: string, format: uri, description: When, colour: red}
"""


def _found(built: pipeline.Build) -> list[tuple[int, int, str]]:
    return [(d.position.line, d.position.column, d.code) for d in built.diagnostics]


def test_every_finding_of_a_file_in_one_run(tmp_path: Path) -> None:
    built = load(tmp_path, {"library.yaml": MANY_MISTAKES})
    assert _found(built) == [
        (7, 5, "TS102"),  # the misspelt key
        (10, 5, "TS101"),  # the tool without a name: later tools keep their positions
        (11, 11, "TS301"),  # the invalid tool name, in a tool that is otherwise fine
        (14, 20, "TS106"),  # the unknown type
        (15, 36, "TS203"),  # the unsupported format, next to the unknown type
        (20, 36, "TS203"),  # and next to an unknown key
        (20, 60, "TS102"),
    ]
    messages = [d.message for d in built.diagnostics]
    assert messages[0] == "unknown key `descripton` (did you mean `description`?)"
    assert messages[3] == "unknown type `strng` (did you mean `string`?)"


def test_a_spec_with_errors_is_linted_but_never_generated(tmp_path: Path) -> None:
    built = load(tmp_path, {"library.yaml": MANY_MISTAKES})
    assert [c.toolset.name for c in built.toolsets] == ["library"]
    rendered = pipeline.render(built, project_config(tmp_path))
    assert isinstance(rendered, pipeline.Refused)


def test_the_same_findings_appear_once_the_errors_are_fixed(tmp_path: Path) -> None:
    fixed = (
        MANY_MISTAKES.replace("descripton", "description")
        .replace("  - description: A tool without a name.\n", "")
        .replace("strng", "string")
        .replace(", colour: red", "")
    )
    built = load(tmp_path, {"library.yaml": fixed})
    assert {code for _, _, code in _found(built)} == {"TS301", "TS203"}


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        # A property left out must not make an example or a default that names it wrong.
        (
            "toolset: t\ntools:\n  - name: a\n    description: A.\n    parameters:\n"
            "      x: {type: Nope, description: X.}\n    examples:\n      - {x: 1}\n",
            [(6, 17, "TS106")],
        ),
        # An object whose only property is left out is not a free-form object.
        (
            "toolset: t\ntools:\n  - name: a\n    description: A.\n    parameters:\n"
            "      o:\n        type: object\n        description: O.\n"
            "        properties: {p: {type: 7, description: P.}}\n",
            [(9, 32, "TS103")],
        ),
        # A type used only where a part is left out is not reported as unused.
        (
            "toolset: t\ntypes:\n  T: {type: string, description: T.}\ntools:\n  - description: A.\n"
            "    parameters:\n      x: {type: T, description: X.}\n  - {name: b, description: B.}\n",
            [(5, 5, "TS101")],
        ),
        # Every branch of an anyOf left out: the property goes, the rest is still checked.
        (
            "toolset: t\ntools:\n  - name: a\n    description: A.\n    parameters:\n"
            "      u: {anyOf: [{type: 1}], description: U.}\n      f: {type: string, format: uri, description: F.}\n",
            [(6, 26, "TS103"), (7, 33, "TS203")],
        ),
    ],
)
def test_parts_left_out_cause_no_false_findings(
    tmp_path: Path, spec: str, expected: list[tuple[int, int, str]]
) -> None:
    assert _found(load(tmp_path, {"t.yaml": spec})) == expected


@pytest.mark.parametrize(
    "spec",
    [
        "toolset: t\ntools: 3\n",
        "toolset: Bad Name\ntools: []\n",
        "tools:\n  - name: a\n",
        "toolset: t\ntools:\n  - 3\n  - [1]\n  - name: b\n    kind: custom\n    format: {syntax: lark}\n",
        "toolset: t\ntypes: {1x: {type: string}}\ntools:\n  - {name: a, parameters: {p: {type: 1x}}}\n",
    ],
)
def test_broken_structure_is_reported_without_a_crash(tmp_path: Path, spec: str) -> None:
    built = load(tmp_path, {"t.yaml": spec})
    assert built.has_errors
