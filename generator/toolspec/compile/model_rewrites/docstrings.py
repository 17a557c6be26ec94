"""A docstring of one line written on one line, as by hand."""

from __future__ import annotations

import ast

from toolspec.compile.model_rewrites.source_edits import source_lines

LINE_LENGTH = 88
"""The formatter's line length (output/formatting.py): a longer docstring keeps its three lines."""


def one_line_docstrings(source: str) -> str:
    """source with each docstring datamodel-code-generator wrote as three lines (quotes, the
    text, quotes) on one line, where it fits and its text can end the string."""
    lines = source_lines(source)
    joined: dict[int, str] = {}
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            first = node.lineno - 1
            if node.end_lineno == node.lineno + 2:
                one_line = _one_line(lines[first : first + 3], node.value.value)
                if one_line is not None:
                    joined[first] = one_line
    dropped = {first + 1 for first in joined} | {first + 2 for first in joined}
    return "".join(joined.get(number, line) for number, line in enumerate(lines) if number not in dropped)


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
    if value != "\n" + indent + ast.literal_eval(one_line.strip()) + "\n" + indent:
        return None  # an escape in the text: the value is not the text as written
    return one_line + "\n"
