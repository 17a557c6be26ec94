"""`null` for an optional parameter means its default, as strict mode sends it."""

from __future__ import annotations

import ast

from toolspec.compile.model_rewrites.source_edits import ByteEdits, base_import, drop_import, importing, is_annotated
from toolspec.runtime._base import NULL_DEFAULT_KEY


def null_means_default(edits: ByteEdits, package: str) -> None:
    """Edits that put a `NullMeansDefault(default)` of _base.py in place of the NULL_DEFAULT_KEY
    of the `json_schema_extra` of each parameter whose null stands for its default: the metadata
    carries the default, and no key is left for a reader to decode (an empty `Field()` goes).

    In the annotation, pydantic finds it whenever it builds the field: in the model's own
    (deferred) build, in the build of a model that holds it, and after a forward reference is
    resolved, when pydantic collects the field again. Each annotation is written from what
    edits.text reads of its parts: the edits made inside them before (forward references) stay.
    """
    fields_left = 0
    changed = False
    for node in edits.nodes:
        if isinstance(node, ast.Name) and node.id == "Field":
            fields_left += 1
        if not is_annotated(node):
            continue
        assert isinstance(node.slice, ast.Tuple)
        found = next(filter(None, map(_null_default, node.slice.elts[1:])), None)
        if found is None:
            continue
        field, default = found
        elements = [edits.text(element) for element in node.slice.elts if element is not field]
        rest = _without_the_key(field, edits)
        if rest is not None:
            elements.insert(node.slice.elts.index(field), rest)
        else:
            fields_left -= 1
        edits.replace(*edits.span(node.slice), ", ".join([*elements, f"NullMeansDefault({edits.text(default)})"]))
        changed = True
    if not changed:
        return
    base = base_import(edits.module, package)
    assert base is not None, "a model with a null default imports ToolArguments from _base"
    importing(edits, base, "NullMeansDefault")
    if not fields_left:
        drop_import(edits, "pydantic", "Field")


def _null_default(node: ast.expr) -> tuple[ast.Call, ast.expr] | None:
    """A `Field(...)` call whose `json_schema_extra` has NULL_DEFAULT_KEY, and the key's value."""
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "Field"):
        return None
    for keyword in node.keywords:
        if keyword.arg == "json_schema_extra" and isinstance(keyword.value, ast.Dict):
            for key, value in zip(keyword.value.keys, keyword.value.values, strict=True):
                if isinstance(key, ast.Constant) and key.value == NULL_DEFAULT_KEY:
                    return node, value
    return None


def _without_the_key(field: ast.Call, edits: ByteEdits) -> str | None:
    """The `Field(...)` call without NULL_DEFAULT_KEY (nor a `json_schema_extra` left empty);
    None when nothing is left of it."""
    arguments = [edits.text(argument) for argument in field.args]
    for keyword in field.keywords:
        if keyword.arg == "json_schema_extra" and isinstance(keyword.value, ast.Dict):
            entries = [
                f"**{edits.text(value)}" if key is None else f"{edits.text(key)}: {edits.text(value)}"
                for key, value in zip(keyword.value.keys, keyword.value.values, strict=True)
                if not (isinstance(key, ast.Constant) and key.value == NULL_DEFAULT_KEY)
            ]
            if entries:
                arguments.append(f"json_schema_extra={{{', '.join(entries)}}}")
        else:
            arguments.append(edits.text(keyword))
    return f"Field({', '.join(arguments)})" if arguments else None
