"""Edits of a generated module's text that the rewrites share: byte spans of its syntax
tree replaced, names renamed, imports added and taken away."""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterator, Mapping


class ByteEdits:
    """Edits of a module's UTF-8 bytes at ast positions (whose columns count bytes), applied
    together from the end, so that none moves another's offsets."""

    def __init__(self, source: str) -> None:
        self.encoded = source.encode("utf-8")
        self.offset = _byte_offsets(source)
        self.edits: list[tuple[int, int, str]] = []

    def span(self, node: ast.stmt | ast.expr | ast.keyword) -> tuple[int, int]:
        """Where node starts and ends, as byte offsets."""
        assert node.end_lineno is not None and node.end_col_offset is not None
        return self.offset(node.lineno, node.col_offset), self.offset(node.end_lineno, node.end_col_offset)

    def text(self, node: ast.expr | ast.keyword) -> str:
        """node as the module writes it."""
        start, end = self.span(node)
        return self.encoded[start:end].decode("utf-8")

    def replace(self, start: int, end: int, text: str) -> None:
        self.edits.append((start, end, text))

    def applied(self) -> bytes:
        encoded = self.encoded
        for start, end, text in sorted(self.edits, reverse=True):
            encoded = encoded[:start] + text.encode("utf-8") + encoded[end:]
        return encoded


def _byte_offsets(source: str) -> Callable[[int, int], int]:
    """The offset in source's UTF-8 bytes of an ast position (line, column)."""
    starts = [0]
    for line in source_lines(source):
        starts.append(starts[-1] + len(line.encode("utf-8")))

    def offset(line: int, column: int) -> int:
        return starts[line - 1] + column  # ast's columns count bytes

    return offset


def source_lines(source: str) -> list[str]:
    """The lines of source as ast numbers them (str.splitlines also breaks at \\x0c, \\u2028, ...)."""
    return re.split(r"(?<=\n)", source)


def not_importing(source: str, module: str, name: str) -> str:
    """source without name in its `from module import ...` line (without the line, if name was
    all it imported)."""
    line = re.search(rf"^from {re.escape(module)} import (.*)\n", source, re.MULTILINE)
    if line is None:
        return source
    names = [imported for imported in line.group(1).split(", ") if imported != name]
    kept = f"from {module} import {', '.join(names)}\n" if names else ""
    return source[: line.start()] + kept + source[line.end() :]


def rename(source: str, renames: Mapping[str, str]) -> str:
    """source with every use of the names renames maps (not a field of that name) renamed."""
    if not renames:
        return source
    fields: set[int] = set()
    for node in ast.walk(module := ast.parse(source)):
        if isinstance(node, ast.ClassDef):
            fields |= {id(s.target) for s in node.body if isinstance(s, ast.AnnAssign)}
    places: dict[int, list[tuple[int, int, str]]] = {}
    for node in ast.walk(module):
        if isinstance(node, ast.Name) and node.id in renames and id(node) not in fields:
            assert node.end_col_offset is not None
            places.setdefault(node.lineno - 1, []).append((node.col_offset, node.end_col_offset, renames[node.id]))
    lines = source_lines(source)
    for number, spots in places.items():
        line = lines[number].encode("utf-8")  # ast's columns count bytes
        for start, end, name in sorted(spots, reverse=True):
            line = line[:start] + name.encode("utf-8") + line[end:]
        lines[number] = line.decode("utf-8")
    return "".join(lines)


def base_import(module: ast.Module, package: str) -> ast.ImportFrom | None:
    """The module's `from <package>._base import ...`, if it has one."""
    return next(
        (node for node in module.body if isinstance(node, ast.ImportFrom) and node.module == f"{package}._base"),
        None,
    )


def importing(edits: ByteEdits, base: ast.ImportFrom, package: str, name: str) -> str:
    """The module, edited, with name imported from _base too (an edit of the import itself)."""
    names = ", ".join(sorted([*map(ast.unparse, base.names), name]))
    edits.replace(*edits.span(base), f"from {package}._base import {names}")
    return edits.applied().decode("utf-8")


def annotated(module: ast.Module) -> Iterator[ast.Subscript]:
    """Each `Annotated[T, ...]` of the module."""
    for node in ast.walk(module):
        if (
            isinstance(node, ast.Subscript)
            and isinstance(node.value, ast.Name)
            and node.value.id == "Annotated"
            and isinstance(node.slice, ast.Tuple)
        ):
            yield node
