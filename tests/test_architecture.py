"""The imports go one way (docs/architecture.md): each layer of the package imports only its own
layer and those below it, so the tree reads as the pipeline runs and the shared ground at the
bottom imports nothing above it; the runtime, copied into every generated package, imports
nothing of the generator. Every import counts, those inside functions too."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import REPO

PACKAGE = REPO / "generator" / "toolspec"
LAYERS = (
    ("toolspec.__init__", "toolspec.__version__", "toolspec.ground", "toolspec.runtime"),
    ("toolspec.spec",),
    ("toolspec.compile",),
    ("toolspec.lint", "toolspec.output"),
    ("toolspec.project",),
    ("toolspec.speed", "toolspec.breaking", "toolspec.importing"),
    ("toolspec.pipeline",),
    ("toolspec.cli", "toolspec.__main__"),
)
"""From the bottom up: the shared ground; the IR; the compiled toolset; the checks and the
output; the user's project (its configuration, its spec files, its handlers); what runs on
top of it (the speed machinery, `breaking`, `import`); the orchestrator; the command line.
The root package itself holds only the version: a module put beside pipeline.py is in no layer
until it is given one here."""


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


def layer(name: str) -> int:
    """The layer of module name: that of the longest package of LAYERS it is in."""
    name = "toolspec.__init__" if name == "toolspec" else name
    found = [
        (len(package), index)
        for index, packages in enumerate(LAYERS)
        for package in packages
        if name == package or name.startswith(package + ".")
    ]
    assert found, f"{name} is in no layer: add its package to LAYERS and to docs/architecture.md"
    return max(found)[1]


def test_every_module_has_a_layer() -> None:
    for path in MODULES:
        layer(module_name(path))


def test_a_module_beside_the_orchestrator_has_no_layer() -> None:
    with pytest.raises(AssertionError, match="toolspec.helpers is in no layer"):
        layer("toolspec.helpers")


def test_no_import_goes_up_a_layer() -> None:
    wrong = [
        f"{path.relative_to(REPO)}:{line} imports {target}, a layer above"
        for path in MODULES
        for line, target in imports(path)
        if within(target, ("toolspec",)) and layer(target) > layer(module_name(path))
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
        ("toolspec.runtime._x", "from toolspec.ground.frozen import thaw", "toolspec.ground.frozen.thaw"),
    ],
    ids=["absolute", "relative", "inside-a-function", "runtime"],
)
def test_the_checks_see_each_kind_of_import(module: str, source: str, expected: str) -> None:
    """What the tests above would catch: an import written any of these ways."""
    assert expected in {name for _, name in imports_of(source, module)}


@pytest.mark.parametrize(
    ("module", "target", "allowed"),
    [
        ("toolspec.lint.rules.x", "toolspec.pipeline", False),
        ("toolspec.ground.frozen", "toolspec.spec.ir", False),
        ("toolspec.project.config", "toolspec.breaking.run", False),
        ("toolspec.compile.shapes.mcp", "toolspec.importing.report", False),
        ("toolspec.cli.app", "toolspec.pipeline", True),
        ("toolspec.output.catalogue", "toolspec.lint.checker", True),
        ("toolspec.speed.workers", "toolspec.ground.errors", True),
        ("toolspec.output.versions", "toolspec", True),
    ],
)
def test_the_layers_order_the_packages(module: str, target: str, allowed: bool) -> None:
    assert (layer(target) <= layer(module)) is allowed
