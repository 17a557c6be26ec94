"""A docstring of one line written on one line, as by hand."""

from __future__ import annotations

import ast

from toolspec.compile.model_rewrites.source_edits import ByteEdits

LINE_LENGTH = 88
"""The formatter's line length (output/formatting.py): a longer docstring keeps its three lines."""


def one_line_docstrings(edits: ByteEdits) -> None:
    """Each docstring datamodel-code-generator wrote as three lines (quotes, the text, quotes)
    on one line, where it fits and its text can end the string."""
    module = edits.module
    bodies = [module.body, *(node.body for node in module.body if isinstance(node, ast.ClassDef))]
    for statement in (statement for body in bodies for statement in body):
        if (
            isinstance(statement, ast.Expr)
            and isinstance(statement.value, ast.Constant)
            and isinstance(statement.value.value, str)
            and statement.end_lineno == statement.lineno + 2
        ):
            first = statement.lineno - 1
            one_line = _one_line(edits.lines[first : first + 3], statement.value.value)
            if one_line is not None:
                edits.replace_lines(statement, one_line)


def _one_line(three: list[str], value: str) -> str | None:
    """The docstring of three lines on one, or None where that would change or break it."""
    opening, text, closing = (line.rstrip("\n") for line in three)
    indent = opening[: len(opening) - len(opening.lstrip(" "))]
    if opening != f'{indent}"""' or closing != f'{indent}"""' or not text.startswith(indent):
        return None
    text = text[len(indent) :]
    one_line = f'{indent}"""{text}"""'
    if not text or text != text.strip() or text.endswith(('"', "\\")) or len(one_line) > LINE_LENGTH:
        return None
    as_written = ast.literal_eval(one_line.strip()) if "\\" in text else text  # no escape: the text is the value
    if value != "\n" + indent + as_written + "\n" + indent:
        return None  # an escape in the text: the value is not the text as written
    return one_line + "\n"
