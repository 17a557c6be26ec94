"""Annotations that pydantic evaluates where they stand: names defined later, written as strings."""

from __future__ import annotations

import ast
import json
from collections.abc import Iterator

from toolspec.compile.model_rewrites.source_edits import ByteEdits


def evaluated_annotations(edits: ByteEdits) -> None:
    """No `from __future__ import annotations`: each name of a class the module defines at or
    after the annotation that uses it written as a string (a forward reference).

    With postponed annotations, pydantic compiles and evaluates every annotation's string when
    it makes the class: most of the cost of importing a large package. Evaluated by Python as the
    class body runs, they cost a fraction of that; only a reference to a class not yet defined
    (the class itself, in a recursive type) is left to pydantic to resolve, at the model's build.
    A string stands for the smallest expression around the name that is not a union, so that
    `Node | None` becomes `"Node | None"` (a str has no `|`) and `list[Node]`, `list["Node"]`.
    """
    defined = _definition_order(edits.module)
    for index, statement in enumerate(edits.module.body):
        if _postponing(statement):
            edits.replace_lines(statement, "")
        if not isinstance(statement, ast.ClassDef):
            continue
        later = {name for name, at in defined.items() if at >= index}
        for item in statement.body:
            if isinstance(item, ast.AnnAssign):
                for node in _forward_references(item.annotation, later):
                    edits.replace(*edits.span(node), json.dumps(ast.unparse(node)))


def _postponing(statement: ast.stmt) -> bool:
    """`from __future__ import annotations`."""
    return (
        isinstance(statement, ast.ImportFrom)
        and statement.module == "__future__"
        and [alias.name for alias in statement.names] == ["annotations"]
    )


def _definition_order(module: ast.Module) -> dict[str, int]:
    """Each name the module defines (a class, an alias) -> the index of its first definition."""
    defined: dict[str, int] = {}
    for index, statement in enumerate(module.body):
        if isinstance(statement, ast.ClassDef):
            defined.setdefault(statement.name, index)
        elif isinstance(statement, ast.Assign | ast.AnnAssign):
            targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
            for target in targets:
                if isinstance(target, ast.Name):
                    defined.setdefault(target.id, index)
    return defined


def _forward_references(annotation: ast.expr, later: set[str]) -> Iterator[ast.expr]:
    """The parts of annotation to write as strings: each name of later, with the union it is in.

    Not inside a call (`Field(...)`, `NullMeansDefault(...)`): its arguments are values.
    """
    if isinstance(annotation, ast.Call | ast.Constant):
        return
    if isinstance(annotation, ast.BinOp) and isinstance(annotation.op, ast.BitOr):
        if any(isinstance(node, ast.Name) and node.id in later for node in _union_members(annotation)):
            yield annotation
            return
    if isinstance(annotation, ast.Name):
        if annotation.id in later:
            yield annotation
        return
    for child in ast.iter_child_nodes(annotation):
        if isinstance(child, ast.expr):
            yield from _forward_references(child, later)


def _union_members(union: ast.expr) -> Iterator[ast.expr]:
    """The members of `A | B | C`, each as written (a subscript, a name...)."""
    if isinstance(union, ast.BinOp) and isinstance(union.op, ast.BitOr):
        yield from _union_members(union.left)
        yield from _union_members(union.right)
    else:
        yield union
