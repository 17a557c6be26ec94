"""Edits of a generated module's text that the rewrites share: byte spans of its syntax
tree replaced, names renamed, imports added and taken away."""

from __future__ import annotations

import ast
import bisect
import functools
import re
from collections.abc import Callable, Iterator
from typing import TypeGuard


class ByteEdits:
    """One parse of a module (its tree, and every node of it listed once), and edits of its
    UTF-8 bytes at the tree's positions, applied together at the end, so that none moves
    another's offsets. The tree rewrites that run one after another (model_rewrites.TreeRewrite)
    share one ByteEdits: one parse, and one walk, for all.

    Edits may not overlap, with one exception: an edit may replace a span holding edits made
    before it when its text was made of what `text` read of that span, edits included."""

    def __init__(self, source: str) -> None:
        self.module = ast.parse(source)
        self.encoded = source.encode("utf-8")
        self.lines = source_lines(source)
        self.offset = _byte_offsets(self.lines)
        self.edits: list[tuple[int, int, str]] = []
        """(start, end, text), sorted."""
        self._read: set[tuple[int, int, str]] = set()
        """The edits whose text `text` has given out: an edit around them may take their place."""
        self._imports: dict[int, tuple[ast.ImportFrom, list[str]]] = {}
        """id of a `from ... import` statement -> it, and the names it is to import."""

    @functools.cached_property
    def nodes(self) -> list[ast.AST]:
        """Every node of the tree, in ast.walk's order (walked once, for every rewrite)."""
        return all_nodes(self.module)

    def span(self, node: ast.stmt | ast.expr | ast.keyword) -> tuple[int, int]:
        """Where node starts and ends, as byte offsets."""
        assert node.end_lineno is not None and node.end_col_offset is not None
        return self.offset(node.lineno, node.col_offset), self.offset(node.end_lineno, node.end_col_offset)

    def text(self, node: ast.expr | ast.keyword) -> str:
        """node as the module writes it, with the edits made inside it so far."""
        start, end = self.span(node)
        inside = self._inside(start, end)
        self._read.update(inside)
        return _edited(self.encoded, start, end, inside).decode("utf-8")

    def replace(self, start: int, end: int, text: str) -> None:
        inside = self._inside(start, end)
        assert self._read.issuperset(inside), "an edit would undo another: the rewrites cannot share a parse"
        for edit in inside:
            self.edits.remove(edit)  # its text is in this one's
            self._read.discard(edit)
        bisect.insort(self.edits, (start, end, text))

    def replace_lines(self, node: ast.stmt, text: str) -> None:
        """The whole lines of a statement replaced by text (which ends with a newline, or is empty)."""
        assert node.end_lineno is not None
        self.replace(self.offset(node.lineno, 0), self.offset(node.end_lineno + 1, 0), text)

    def imported(self, statement: ast.ImportFrom) -> list[str]:
        """The names statement imports, with the edits of import_names so far."""
        held = self._imports.get(id(statement))
        return list(held[1]) if held is not None else [ast.unparse(alias) for alias in statement.names]

    def import_names(self, statement: ast.ImportFrom, names: list[str]) -> None:
        """statement to import names, in that order (none: the statement goes). Several rewrites
        may change one import: it is rewritten once, when the edits are applied."""
        self._imports[id(statement)] = (statement, names)

    def applied(self) -> bytes:
        """The module with every edit made."""
        for statement, names in self._imports.values():
            if names:
                imports = f"from {'.' * statement.level}{statement.module or ''} import {', '.join(names)}"
                self.replace(*self.span(statement), imports)
            else:
                self.replace_lines(statement, "")
        self._imports.clear()
        return _edited(self.encoded, 0, len(self.encoded), self.edits)

    def _inside(self, start: int, end: int) -> list[tuple[int, int, str]]:
        """The edits within start..end; an edit across either end cannot be made (an assertion)."""
        first = bisect.bisect_left(self.edits, (start,))
        inside = []
        for edit in self.edits[first:]:
            if edit[0] >= end and edit[0] != start:
                break
            assert edit[1] <= end, "two rewrites edited the same text: they cannot share a parse"
            inside.append(edit)
        assert first == 0 or self.edits[first - 1][1] <= start, "two rewrites edited the same text"
        return inside


def _edited(encoded: bytes, start: int, end: int, edits: list[tuple[int, int, str]]) -> bytes:
    """encoded[start:end] with edits (sorted, none overlapping, all within it) made."""
    pieces: list[bytes] = []
    position = start
    for edit_start, edit_end, text in edits:
        assert edit_start >= position, "two rewrites edited the same text: they cannot share a parse"
        pieces += [encoded[position:edit_start], text.encode("utf-8")]
        position = edit_end
    pieces.append(encoded[position:end])
    return b"".join(pieces)


def all_nodes(tree: ast.AST) -> list[ast.AST]:
    """tree and every node inside it, in ast.walk's order: a list, twice as fast to make."""
    nodes = [tree]
    for node in nodes:  # the list grows as it is read: breadth first, as ast.walk goes
        for name in node._fields:
            value = getattr(node, name, None)
            if isinstance(value, list):
                nodes.extend(item for item in value if isinstance(item, ast.AST))
            elif isinstance(value, ast.AST):
                nodes.append(value)
    return nodes


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


def drop_import(edits: ByteEdits, source: str, name: str) -> None:
    """An edit that takes name out of the module's `from source import ...` (the whole statement,
    if name was all it imported)."""
    for node in edits.module.body:
        if isinstance(node, ast.ImportFrom) and node.module == source and any(a.name == name for a in node.names):
            edits.import_names(node, [imported for imported in edits.imported(node) if imported != name])


def base_import(module: ast.Module, package: str) -> ast.ImportFrom | None:
    """The module's `from <package>._base import ...`, if it has one."""
    return next(
        (node for node in module.body if isinstance(node, ast.ImportFrom) and node.module == f"{package}._base"),
        None,
    )


def importing(edits: ByteEdits, base: ast.ImportFrom, name: str) -> None:
    """An edit that imports name from _base too (base: its `from <package>._base import ...`)."""
    edits.import_names(base, sorted([*edits.imported(base), name]))


def annotated(edits: ByteEdits) -> Iterator[ast.Subscript]:
    """Each `Annotated[T, ...]` of the module."""
    return filter(is_annotated, edits.nodes)


def is_annotated(node: ast.AST) -> TypeGuard[ast.Subscript]:
    """`Annotated[T, ...]`."""
    return (
        isinstance(node, ast.Subscript)
        and isinstance(node.value, ast.Name)
        and node.value.id == "Annotated"
        and isinstance(node.slice, ast.Tuple)
    )
