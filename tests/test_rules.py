"""Every rule has a fixture (tests/rules/<CODE>.yaml) whose `# expect: CODE` comments mark the
lines it must flag; the rule alone must flag exactly those lines, and with the rule turned off
they must not be flagged: each of these tests fails without its rule."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import load
from toolspec.lint.rule import DOC_SECTIONS
from toolspec.lint.rules import RULES

FIXTURES = Path(__file__).parent / "rules"
EXPECT = re.compile(r"#\s*expect:\s*([A-Z0-9, ]+)")


def _expected_lines(text: str, code: str) -> list[int]:
    return [
        number
        for number, line in enumerate(text.splitlines(), start=1)
        if (match := EXPECT.search(line)) and code in {c.strip() for c in match.group(1).split(",")}
    ]


@pytest.mark.parametrize("rule", RULES, ids=[rule.code for rule in RULES])
def test_rule_flags_exactly_the_marked_lines(rule, tmp_path: Path) -> None:
    fixture = FIXTURES / f"{rule.code}.yaml"
    assert fixture.is_file(), f"{rule.code} has no fixture {fixture.name}"
    files = {"fixture.yaml": fixture.read_text("utf-8")}
    extra = FIXTURES / rule.code
    if extra.is_dir():  # rules that look across toolsets read several files
        files = {path.name: path.read_text("utf-8") for path in sorted(extra.glob("*.yaml"))}
    expected = sorted((name, line) for name, text in files.items() for line in _expected_lines(text, rule.code))
    assert expected, f"the fixture of {rule.code} marks no line"
    project = load(tmp_path, files, rules=[rule])
    fatal = [d for d in project.diagnostics if not d.code.startswith("TS9") and d.code != rule.code]
    assert not fatal, f"the fixture does not parse: {fatal}"
    found = sorted((Path(d.path).name, d.position.line) for d in project.diagnostics if d.code == rule.code)
    assert found == expected

    others = [r for r in RULES if r.code != rule.code]
    without = load(tmp_path, files, rules=others)
    assert not [d for d in without.diagnostics if d.code == rule.code]


@pytest.mark.parametrize("rule", RULES, ids=[rule.code for rule in RULES])
def test_rule_documentation_has_every_section(rule) -> None:
    for section in DOC_SECTIONS:
        assert section in rule.doc, f"{rule.code} lacks {section!r}"
    assert rule.summary and not rule.summary.startswith("#")


def test_codes_and_names_are_unique() -> None:
    assert len({r.code for r in RULES}) == len(RULES)
    assert len({r.name for r in RULES}) == len(RULES)


def test_docs_rules_md_is_built_from_the_rules() -> None:
    from toolspec.cli.rules_doc import rules_markdown

    docs = Path(__file__).parent.parent / "docs" / "rules.md"
    assert docs.read_text("utf-8") == rules_markdown(), (
        "docs/rules.md is stale: run `toolspec rule --markdown > docs/rules.md`"
    )
