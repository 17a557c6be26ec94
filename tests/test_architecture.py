"""The imports go one way (docs/architecture.md): the stages never import the orchestrator or the
command line, and the runtime, copied into every generated package, imports nothing of the
generator. Every import counts, those inside functions too."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import REPO

PACKAGE = REPO / "generator" / "toolspec"
ABOVE_THE_STAGES = ("toolspec.pipeline", "toolspec.cli", "toolspec.cli_import", "toolspec.cli_options")
"""The orchestrator and the command line: they import the stages, never the other way."""
STAGES = ("toolspec.spec", "toolspec.lint", "toolspec.compile", "toolspec.output")


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> Iterator[tuple[int, str]]:
    """(line, absolute module name) of each import in the module at path."""
    return imports_of(path.read_text("utf-8"), module_name(path), is_package=path.name == "__init__.py")


def imports_of(source: str, name: str, *, is_package: bool = False) -> Iterator[tuple[int, str]]:
    """(line, absolute module name) of each import in the source of module name, relative ones
    resolved; for `from a import b`, both a and a.b (b may be a module)."""
    package = name.split(".") if is_package else name.split(".")[:-1]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            yield from ((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            anchor = package[: len(package) - node.level + 1] if node.level else []
            base = ".".join([*anchor, *([node.module] if node.module else [])])
            yield node.lineno, base
            yield from ((node.lineno, f"{base}.{alias.name}") for alias in node.names)


def within(name: str, packages: tuple[str, ...]) -> bool:
    return any(name == package or name.startswith(package + ".") for package in packages)


MODULES = sorted(PACKAGE.rglob("*.py"))


def test_the_stages_never_import_the_orchestrator_or_the_command_line() -> None:
    wrong = [
        f"{path.relative_to(REPO)}:{line} imports {target}"
        for path in MODULES
        if within(module_name(path), STAGES)
        for line, target in imports(path)
        if within(target, ABOVE_THE_STAGES)
    ]
    assert wrong == []


def test_the_runtime_imports_nothing_of_the_generator() -> None:
    """It is copied as it is into packages that have no toolspec installed."""
    wrong = [
        f"{path.relative_to(REPO)}:{line} imports {target}"
        for path in sorted((PACKAGE / "runtime").glob("*.py"))
        for line, target in imports(path)
        if within(target, ("toolspec",)) and not within(target, ("toolspec.runtime",))
    ]
    assert wrong == []


@pytest.mark.parametrize(
    ("module", "source", "expected"),
    [
        ("toolspec.lint.rules.x", "from toolspec.pipeline import build", "toolspec.pipeline.build"),
        ("toolspec.lint.rules.x", "from ...pipeline import build", "toolspec.pipeline.build"),
        ("toolspec.output.x", "def f():\n    import toolspec.cli\n", "toolspec.cli"),
        ("toolspec.runtime._x", "from toolspec.frozen import thaw", "toolspec.frozen.thaw"),
    ],
    ids=["absolute", "relative", "inside-a-function", "runtime"],
)
def test_the_checks_see_each_kind_of_import(module: str, source: str, expected: str) -> None:
    """What the two tests above would catch: an import written any of these ways."""
    assert expected in {name for _, name in imports_of(source, module)}
