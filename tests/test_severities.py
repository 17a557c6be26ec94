"""A diagnostic's severity is its code's, in the table of codes: none is set by hand."""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import load
from toolspec.cli.codes import CODES
from toolspec.ground.change_rules import CHANGE_RULES

TESTS = Path(__file__).resolve().parent
SOURCE = TESTS.parent / "generator" / "toolspec"


def _corpus() -> dict[str, dict[str, str | bytes]]:
    """Spec sets that, between them, make every code of the table."""
    corpus: dict[str, dict[str, str | bytes]] = {
        path.name: {path.name: path.read_text("utf-8")} for path in sorted((TESTS / "broken").glob("*.yaml"))
    }
    corpus |= {
        path.name: {"fixture.yaml": path.read_text("utf-8")} for path in sorted((TESTS / "rules").glob("*.yaml"))
    }
    corpus["TS303"] = {
        path.name: path.read_text("utf-8") for path in sorted((TESTS / "rules" / "TS303").glob("*.yaml"))
    }
    tool = "toolset: {name}\ntools:\n  - {{name: pick, description: Pick.}}\n"
    corpus |= {
        "not utf-8": {"latin.yaml": b"toolset: caf\xe9\n"},
        "yaml tag": {"tag.yaml": "toolset: !custom x\ntools: []\n"},
        "empty": {"empty.yaml": ""},
        "documents": {"two.yaml": "toolset: a\ntools: []\n---\ntoolset: b\ntools: []\n"},
        "alias bomb": {"bomb.yaml": "a: &a [*a]\n"},
        "merge key": {"merge.yaml": "base: &b {x: 1}\ntoolset: m\n<<: *b\ntools: []\n"},
        "duplicate toolset": {"one.yaml": tool.format(name="same"), "two.yaml": tool.format(name="same")},
        "suppressions": {
            "quiet.yaml": "toolset: quiet\ntools:\n"
            "  - {name: pick}  # toolspec: ignore[TS401]\n"
            "  - {name: take, description: Take.}  # toolspec: ignore[TS401] it has one\n"
        },
        "large": {"large.yaml": "toolset: large\n# " + "x" * (2 * 1024 * 1024) + "\ntools: []\n"},
        "optional outside": {
            "optional.yaml": tool.format(name="o").replace(
                "tools:", "types:\n  T: {type: string, description: T., optional: true}\ntools:"
            )
        },
        "wrong value": {"wrong.yaml": "toolset: w\ntools: {}\n"},
    }
    return corpus


def test_every_diagnostic_has_the_severity_of_its_code(tmp_path: Path) -> None:
    made: set[str] = set()
    for number, (name, files) in enumerate(_corpus().items()):
        for diagnostic in load(tmp_path / str(number), files).diagnostics:
            made.add(diagnostic.code)
            expected = CODES[diagnostic.code].severity
            assert diagnostic.severity is expected, f"{name}: {diagnostic.code} is {diagnostic.severity.value}"
    # The codes of `toolspec breaking` describe changes between two versions, not a spec, and
    # are errors or not by whether the change is accepted: tests/test_breaking.py makes each.
    lint_codes = set(CODES) - {rule.code for rule in CHANGE_RULES}
    assert not lint_codes - made, f"the corpus makes no {sorted(lint_codes - made)}"


def test_no_severity_is_set_by_hand() -> None:
    """Diagnostics of fixed codes come from fixed_diagnostic, of rules from the rule: no
    `Diagnostic(...)` names a Severity of its own."""
    hand_set = []
    for module in sorted(SOURCE.rglob("*.py")):
        for node in ast.walk(ast.parse(module.read_text("utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "Diagnostic"
                and any(
                    isinstance(arg, ast.Attribute) and ast.unparse(arg).startswith("Severity.") for arg in node.args
                )
            ):
                hand_set.append(f"{module.relative_to(SOURCE)}:{node.lineno}")
    assert not hand_set, f"severities set by hand: {hand_set}"
