"""Rule precedence is data: a rule yields to another only where that other rule reported, so
turning a rule off never lets through a schema the API refuses. For every rule that yields,
and every rule it yields to, a spec that both flag: with both on, only the precise one
reports; with the precise one off, the other reports, and the spec still has an error."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import load
from toolspec.lint.rules import BY_CODE, RULES

TOOL = """\
toolset: precedence
tools:
  - name: pick
    description: Pick.
    parameters:
      value: {{{schema}, description: The value.}}
"""

CASES = {
    ("TS501", "TS502"): "type: string, pattern: '^(?!admin).*$'",
    ("TS506", "TS502"): "type: string, pattern: '^(?!admin).*$'",
    ("TS506", "TS501"): 'type: string, pattern: "[a-z"',
    ("TS506", "TS202"): "type: array, items: {type: string, description: An item.}, uniqueItems: true",
    ("TS506", "TS203"): "type: string, format: uri",
}


def test_every_yield_has_a_case() -> None:
    pairs = {(rule.code, precise) for rule in RULES for precise in rule.yields_to}
    assert pairs - {("TS304", "TS305")} == set(CASES)


@pytest.mark.parametrize(("yielding", "precise"), list(CASES), ids=[f"{a}-yields-to-{b}" for a, b in CASES])
def test_a_rule_yields_only_where_the_precise_one_reported(yielding: str, precise: str, tmp_path: Path) -> None:
    spec = {"spec.yaml": TOOL.format(schema=CASES[yielding, precise])}
    both = load(tmp_path / "both", spec, rules=[BY_CODE[yielding], BY_CODE[precise]])
    assert [d.code for d in both.diagnostics] == [precise]

    alone = load(tmp_path / "alone", spec, rules=[BY_CODE[yielding]])
    assert [d.code for d in alone.diagnostics] == [yielding]
    assert alone.has_errors

    without = load(tmp_path / "without", spec, rules=[r for r in RULES if r.code != precise])
    assert without.has_errors, f"with {precise} off the schema the API refuses passed lint"


def test_the_lookaround_pattern_is_an_error_whatever_rule_is_ignored(tmp_path: Path) -> None:
    spec = {"spec.yaml": TOOL.format(schema=CASES["TS501", "TS502"])}
    for ignored in RULES:
        built = load(tmp_path / ignored.code, spec, rules=[r for r in RULES if r is not ignored])
        assert built.has_errors, f"with {ignored.code} ignored the API-refused pattern passed lint"


def test_many_tools_yields_to_too_many_tools(tmp_path: Path) -> None:
    tools = "".join(f"  - {{name: tool_{n}, description: Tool {n}.}}\n" for n in range(129))
    spec = {"spec.yaml": f"toolset: crowded\ntools:\n{tools}"}
    both = load(tmp_path / "both", spec)
    assert [d.code for d in both.diagnostics] == ["TS305"]
    without = load(tmp_path / "without", spec, rules=[r for r in RULES if r.code != "TS305"])
    assert [d.code for d in without.diagnostics] == ["TS304"]
