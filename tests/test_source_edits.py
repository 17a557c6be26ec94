"""ByteEdits, the edits the tree rewrites of the generated models share: one parse, spans
replaced at the tree's byte positions, an edit made of the text of a span with edits inside
it, and several rewrites editing one import."""

from __future__ import annotations

import ast

import pytest

from toolspec.compile.model_rewrites.source_edits import ByteEdits, all_nodes, drop_import, importing

SOURCE = """from pydantic import ConfigDict, Field, RootModel
from generated._base import ToolArguments


class Événement(ToolArguments):
    when: Annotated[Later | None, Field(description="à l'heure")]
"""


def _annotation(edits: ByteEdits) -> ast.Subscript:
    node = next(n for n in edits.nodes if isinstance(n, ast.Subscript) and isinstance(n.value, ast.Name))
    assert isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Tuple)
    return node


def test_an_edit_made_of_the_text_of_a_span_keeps_the_edits_inside_it() -> None:
    edits = ByteEdits(SOURCE)
    annotated = _annotation(edits)
    assert isinstance(annotated.slice, ast.Tuple)
    union, field = annotated.slice.elts
    later = next(n for n in all_nodes(union) if isinstance(n, ast.Name) and n.id == "Later")
    edits.replace(*edits.span(later), '"Later"')  # a forward reference, as evaluated-annotations writes it
    assert edits.text(union) == '"Later" | None'
    edits.replace(*edits.span(annotated.slice), f"{edits.text(union)}, NullMeansDefault(None)")
    assert edits.applied().decode("utf-8") == SOURCE.replace(
        """Later | None, Field(description="à l'heure")""", '"Later" | None, NullMeansDefault(None)'
    )


def test_an_edit_that_would_undo_another_is_refused() -> None:
    edits = ByteEdits(SOURCE)
    annotated = _annotation(edits)
    assert isinstance(annotated.slice, ast.Tuple)
    union = annotated.slice.elts[0]
    edits.replace(*edits.span(union), "Sooner")
    with pytest.raises(AssertionError, match="undo"):
        edits.replace(*edits.span(annotated.slice), "int")  # not made of what text() read: Sooner would be lost
    start, end = edits.span(union)
    with pytest.raises(AssertionError, match="same text"):
        edits.replace(start + 1, end + 2, "x")  # across the edge of the one made
    with pytest.raises(AssertionError, match="same text"):
        edits.replace(start - 2, end - 1, "x")


def test_edits_are_made_at_byte_offsets_whatever_their_order() -> None:
    edits = ByteEdits(SOURCE)
    class_body = next(n for n in edits.module.body if isinstance(n, ast.ClassDef))
    names = [n for n in all_nodes(class_body) if isinstance(n, ast.Name)]
    for node in reversed(names):  # after the non-ASCII class name: byte offsets, not characters
        edits.replace(*edits.span(node), node.id.upper())
    assert edits.applied().decode("utf-8").splitlines()[4:] == [
        "class Événement(TOOLARGUMENTS):",
        """    WHEN: ANNOTATED[LATER | None, FIELD(description="à l'heure")]""",
    ]


def test_rewrites_that_edit_one_import_rewrite_it_once() -> None:
    edits = ByteEdits(SOURCE)
    drop_import(edits, "pydantic", "ConfigDict")
    drop_import(edits, "pydantic", "Field")
    base = next(n for n in edits.module.body if isinstance(n, ast.ImportFrom) and n.module == "generated._base")
    importing(edits, base, "NullMeansDefault")
    lines = edits.applied().decode("utf-8").splitlines()
    assert lines[:2] == [
        "from pydantic import RootModel",
        "from generated._base import NullMeansDefault, ToolArguments",
    ]
    edits = ByteEdits(SOURCE)
    for name in ("ConfigDict", "Field", "RootModel"):
        drop_import(edits, "pydantic", name)
    assert edits.applied().decode("utf-8").startswith("from generated._base import ToolArguments\n")


def test_every_node_is_listed_in_ast_walks_order() -> None:
    module = ast.parse(SOURCE)
    assert all(a is b for a, b in zip(all_nodes(module), ast.walk(module), strict=True))
