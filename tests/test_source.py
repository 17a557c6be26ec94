"""The generator's own source keeps to the project's standards: every code it can report is in
the table of codes and documented, and no function is longer than 50 lines."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from toolspec.cli.codes import CODES

SOURCE = Path(__file__).resolve().parent.parent / "generator" / "toolspec"
MODULES = sorted(SOURCE.rglob("*.py"))


def test_every_code_in_the_source_is_in_the_table_and_documented() -> None:
    written = {code for module in MODULES for code in re.findall(r"\bTS\d{3}\b", module.read_text("utf-8"))}
    assert {"TS001", "TS009", "TS107", "TS901", "TS902"} <= written  # the search finds them
    missing = sorted(written - set(CODES))
    assert not missing, f"codes written in the source but missing from toolspec.cli.codes: {missing}"
    for code in CODES.values():
        assert code.summary and "## How to fix" in code.doc, f"{code.code} is not documented"


@pytest.mark.parametrize("module", MODULES, ids=[str(m.relative_to(SOURCE)) for m in MODULES])
def test_no_function_is_longer_than_50_lines(module: Path) -> None:
    tree = ast.parse(module.read_text("utf-8"))
    long = [
        f"{node.name} ({node.end_lineno - node.lineno + 1} lines)"
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.end_lineno is not None
        and node.end_lineno - node.lineno + 1 > 50
    ]
    assert not long, f"{module.name}: {', '.join(long)}"


def test_modules_copied_into_the_output_are_what_black_makes_of_them() -> None:
    import black

    from toolspec.output.artefacts import PACKAGE_ARTEFACTS, Copy

    copied = [a for a in PACKAGE_ARTEFACTS if isinstance(a, Copy)]
    assert copied
    for artefact in copied:
        text = (SOURCE / artefact.package.removeprefix("toolspec.").replace(".", "/") / artefact.file).read_text(
            "utf-8"
        )
        assert black.format_str(text, mode=black.Mode()) == text, f"{artefact.file} is not black-formatted"


_NOT_IR_WALKS = {
    "compile/json_schema.py": "the emitter, which turns each node into JSON from its own fields",
    "compile/python_literal.py": "writes JSON values",
    "compile/argument_models.py": "walks the JSON Schema of the models",
    "compile/model_rewrites/forward_references.py": "walks the Python annotations of the models",
    "lint/rules/schema_rejected.py": "walks the compiled JSON, as the API reads it",
    "lint/json_validation.py": "looks for keywords in the compiled JSON Schema a value is checked against",
}


def _calls_super(call: ast.Call) -> bool:
    """`super().name(...)`: the parent's method of the same name, not a call of the function itself."""
    receiver = call.func.value if isinstance(call.func, ast.Attribute) else None
    return isinstance(receiver, ast.Call) and isinstance(receiver.func, ast.Name) and receiver.func.id == "super"


def _recursive_functions(tree: ast.AST) -> list[str]:
    """Functions that call themselves, directly or from a function nested in them."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef):
            calls = {
                call.func.id if isinstance(call.func, ast.Name) else getattr(call.func, "attr", None)
                for call in ast.walk(node)
                if isinstance(call, ast.Call) and not _calls_super(call)
            }
            if node.name in calls:
                found.append(node.name)
    return found


@pytest.mark.parametrize(
    "module",
    [m for m in MODULES if m.parent.name in ("lint", "rules", "compile", "shapes", "model_rewrites")],
    ids=lambda m: str(m.relative_to(SOURCE)),
)
def test_only_spec_walk_walks_the_ir(module: Path) -> None:
    """Every walk over schema nodes is spec/walk.py's (walk, children): no function of the
    linter or the compiler recurses through the IR on its own."""
    if str(module.relative_to(SOURCE)) in _NOT_IR_WALKS:
        return
    recursive = _recursive_functions(ast.parse(module.read_text("utf-8")))
    assert not recursive, f"{module.name}: {', '.join(recursive)} walk the IR themselves; build on spec/walk.py"
