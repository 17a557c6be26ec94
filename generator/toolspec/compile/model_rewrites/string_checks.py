"""A string's checks on the string, where its Python type is not str (FORMAT_TYPES)."""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterator

from toolspec.compile.model_rewrites.source_edits import ByteEdits, annotated, base_import, importing

FORMAT_TYPES = {
    "date-time": "JsonDateTime",
    "date": "JsonDate",
    "time": "JsonTime",
    "duration": "JsonDuration",
    "uuid": "JsonUUID",
    "ipv4": "JsonIPv4",
    "ipv6": "JsonIPv6",
}
"""The string formats whose Python type is not str -> its type in _base.py, which takes, in
Python, an instance or a str as JSON does (strict mode alone takes only the instance there)."""

STRING_CHECKS = ("pattern", "min_length", "max_length")
"""The constraints of a string (`Field` keywords) that only a str has: on a type of FORMAT_TYPES
they go to _base.JsonString, which checks the string before it is parsed."""


_CHECKED_FORMAT = re.compile(
    rf"^(?!from ).*\b(?:{'|'.join(FORMAT_TYPES.values())})\b.*\b(?:{'|'.join(STRING_CHECKS)})=", re.MULTILINE
)
"""A line with a type of FORMAT_TYPES and a string check after it: datamodel-code-generator writes
each annotation on one line, so a module without one has nothing to move."""


def string_checks_on_the_string(source: str, package: str) -> str:
    """source with the string checks (STRING_CHECKS) of each type of FORMAT_TYPES moved from
    its `Field` to a `JsonString` of _base.py.

    datamodel-code-generator writes `Annotated[JsonDateTime, Field(description=..., max_length=40)]`
    wherever such a string is (a field, a named type's root, the alias of an item, a branch or a
    nullable string), and pydantic would check the length of the datetime it parsed, a TypeError.
    `Annotated[JsonDateTime, JsonString(max_length=40), Field(description=...)]` checks the JSON
    string, as the API schema does, and still gives the handler the datetime. An optional
    parameter of a non-strict tool is `JsonDateTime | None`: its checks go with the datetime,
    `Annotated[Annotated[JsonDateTime, JsonString(max_length=40)] | None, Field(...)]`.
    """
    if not _CHECKED_FORMAT.search(source):
        return source  # no parse where nothing is to move: the usual case
    edits = ByteEdits(source)
    base = base_import(edits.module, package)
    if base is None:
        return source
    format_types = {alias.asname or alias.name for alias in base.names} & set(FORMAT_TYPES.values())
    for node in _checked_annotations(edits, format_types):
        edits.replace(*edits.span(node), _checks_apart(node, edits.text))
    if not edits.edits:
        return source
    importing(edits, base, "JsonString")
    return edits.applied().decode("utf-8")


def _checked_annotations(edits: ByteEdits, format_types: set[str]) -> Iterator[ast.Subscript]:
    """Each `Annotated[T, ..., Field(...)]` whose T is a type of format_types (or it or None)
    and whose Field has string checks."""
    for node in annotated(edits):
        assert isinstance(node.slice, ast.Tuple)
        typed, *metadata = node.slice.elts
        if isinstance(typed, ast.BinOp) and isinstance(typed.op, ast.BitOr) and _is_none(typed.right):
            typed = typed.left
        if isinstance(typed, ast.Name) and typed.id in format_types and any(_checks(m) for m in metadata):
            yield node


def _checks(node: ast.expr) -> list[ast.keyword]:
    """The string checks of a `Field(...)` call."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "Field":
        return [k for k in node.keywords if k.arg in STRING_CHECKS]
    return []


def _is_none(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value is None


def _checks_apart(annotated: ast.Subscript, text: Callable[[ast.expr | ast.keyword], str]) -> str:
    """The Annotated (from _checked_annotations) with the string checks of its Field in a
    `JsonString` beside the type (and the Field left out when nothing else is left in it), each
    argument written as it was."""
    assert isinstance(annotated.slice, ast.Tuple)
    typed, *metadata = annotated.slice.elts
    checks: list[str] = []
    kept: list[str] = []
    for node in metadata:
        if not (found := _checks(node)):
            kept.append(text(node))
            continue
        assert isinstance(node, ast.Call)
        checks += map(text, found)
        rest = [*map(text, node.args), *(text(k) for k in node.keywords if k not in found)]
        kept += [f"Field({', '.join(rest)})"] if rest else []
    checked = f"JsonString({', '.join(checks)})"
    if isinstance(typed, ast.Name):
        return f"Annotated[{', '.join([text(typed), checked, *kept])}]"
    assert isinstance(typed, ast.BinOp)  # `T | None`: the checks go with T
    optional = f"Annotated[{text(typed.left)}, {checked}] | None"
    return f"Annotated[{', '.join([optional, *kept])}]" if kept else optional
