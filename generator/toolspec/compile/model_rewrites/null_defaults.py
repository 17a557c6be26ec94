"""`null` for an optional parameter means its default, as strict mode sends it."""

from __future__ import annotations

import ast

from toolspec.compile.model_rewrites.source_edits import ByteEdits, annotated, base_import, importing
from toolspec.runtime._base import NULL_DEFAULT_KEY


def null_means_default(source: str, package: str) -> str:
    """source with a `NullMeansDefault(default)` of _base.py after the `Field` of each parameter
    whose null stands for its default (its `json_schema_extra` has NULL_DEFAULT_KEY).

    In the annotation, pydantic finds it whenever it builds the field: in the model's own
    (deferred) build, in the build of a model that holds it, and after a forward reference is
    resolved, when pydantic collects the field again.
    """
    module = ast.parse(source)
    edits = ByteEdits(source)
    for node in annotated(module):
        assert isinstance(node.slice, ast.Tuple)
        default = next(filter(None, map(_null_default, node.slice.elts[1:])), None)
        if default is not None:
            end = edits.span(node.slice.elts[-1])[1]
            edits.replace(end, end, f", NullMeansDefault({edits.text(default)})")
    if not edits.edits:
        return source
    base = base_import(module, package)
    assert base is not None, "a model with a null default imports ToolArguments from _base"
    return importing(edits, base, package, "NullMeansDefault")


def _null_default(node: ast.expr) -> ast.expr | None:
    """The value of NULL_DEFAULT_KEY in the `json_schema_extra` of a `Field(...)` call."""
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "Field"):
        return None
    for keyword in node.keywords:
        if keyword.arg == "json_schema_extra" and isinstance(keyword.value, ast.Dict):
            for key, value in zip(keyword.value.keys, keyword.value.values, strict=True):
                if isinstance(key, ast.Constant) and key.value == NULL_DEFAULT_KEY:
                    return value
    return None
