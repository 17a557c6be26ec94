"""Edits of a generated module's text that the rewrites share: byte spans of its syntax
tree replaced, names renamed, imports added and taken away."""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterator
from typing import TypeGuard


class ByteEdits:
    """Edits of a module's UTF-8 bytes at ast positions (whose columns count bytes), applied
    together from the end, so that none moves another's offsets. The tree rewrites that run one
    after another (model_rewrites.TreeRewrite) put theirs in one ByteEdits: one parse for all."""

    def __init__(self, source: str) -> None:
        self.encoded = source.encode("utf-8")
        self.lines = source_lines(source)
        self.offset = _byte_offsets(self.lines)
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

    def replace_lines(self, node: ast.stmt, text: str) -> None:
        """The whole lines of a statement replaced by text (which ends with a newline, or is empty)."""
        assert node.end_lineno is not None
        self.replace(self.offset(node.lineno, 0), self.offset(node.end_lineno + 1, 0), text)

    def applied(self) -> bytes:
        """The module with every edit made; no two edits may overlap."""
        encoded = self.encoded
        following = len(encoded)
        for start, end, text in sorted(self.edits, reverse=True):
            assert end <= following, "two rewrites edited the same text: they cannot share a parse"
            encoded = encoded[:start] + text.encode("utf-8") + encoded[end:]
            following = start
        return encoded


def _byte_offsets(lines: list[str]) -> Callable[[int, int], int]:
    """The offset in the module's UTF-8 bytes of an ast position (line, column)."""
    starts = [0]
    for line in lines:
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


def drop_import(module: ast.Module, edits: ByteEdits, source: str, name: str) -> None:
    """An edit that takes name out of the module's `from source import ...` (the whole statement,
    if name was all it imported)."""
    for node in module.body:
        if isinstance(node, ast.ImportFrom) and node.module == source and any(a.name == name for a in node.names):
            kept = [ast.unparse(alias) for alias in node.names if alias.name != name]
            edits.replace_lines(node, f"from {source} import {', '.join(kept)}\n" if kept else "")


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
    return filter(is_annotated, ast.walk(module))


def is_annotated(node: ast.AST) -> TypeGuard[ast.Subscript]:
    """`Annotated[T, ...]`."""
    return (
        isinstance(node, ast.Subscript)
        and isinstance(node.value, ast.Name)
        and node.value.id == "Annotated"
        and isinstance(node.slice, ast.Tuple)
    )
