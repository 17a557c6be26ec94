"""Read a YAML spec into plain data, remembering where every key and value stands.

PyYAML alone would silently keep the last of two duplicate keys, build Python objects
from tags, expand alias bombs and read `no` as false. This loader reads YAML 1.2's core
schema, refuses what a reviewed spec has no use for, and returns every problem as a
Diagnostic with the line and column where it is.
"""

from __future__ import annotations

import pickle
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias

import yaml
from yaml import nodes

from toolspec.ground.diagnostics import START, Position
from toolspec.ground.fixed_codes import fixed_diagnostic

if TYPE_CHECKING:
    from toolspec.ground.diagnostics import Diagnostic

MAX_SPEC_BYTES = 2 * 1024 * 1024
"""Specs are hand-written: anything bigger is a mistake, and must not cost minutes."""

MAX_VALUES = 200_000
"""The most values a spec may expand to, so that an alias bomb stops early."""

YamlPath: TypeAlias = tuple[str | int, ...]

_CORE = "tag:yaml.org,2002:"
_COLLECTION_TAGS: dict[type[nodes.Node], str] = {nodes.MappingNode: f"{_CORE}map", nodes.SequenceNode: f"{_CORE}seq"}
_STANDARD_TAGS = {f"{_CORE}{name}" for name in ("str", "int", "float", "bool", "null", "seq", "map")}
_STR = f"{_CORE}str"


class _Core12Resolver(yaml.resolver.Resolver):
    """YAML 1.2 core schema: `yes`, `on`, `1:20` and `2024-01-01` stay strings."""

    yaml_implicit_resolvers: dict[str, list[tuple[str, re.Pattern[str]]]] = {}


for _tag, _pattern, _first in (
    ("bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    ("int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789"),
    (
        "float",
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        "-+0123456789.",
    ),
):
    _Core12Resolver.add_implicit_resolver(_CORE + _tag, re.compile(_pattern), list(_first))


class _DocumentResolver(_Core12Resolver):
    """The YAML 1.2 core schema's tags, each remembered for the document being read: a spec says
    `type`, `string` and `description` hundreds of times, and PyYAML matches each against the
    patterns."""

    def __init__(self) -> None:
        super().__init__()
        self._resolved: dict[tuple[type[nodes.Node], Any, Any], str] = {}

    def resolve(self, kind: type[nodes.Node], value: Any, implicit: Any) -> str:
        key = (kind, value, implicit)
        tag = self._resolved.get(key)
        if tag is None:
            tag = self._resolved[key] = super().resolve(kind, value, implicit)  # type: ignore[no-untyped-call]
        return tag


class _PureLoader(
    yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser, yaml.composer.Composer, _DocumentResolver
):
    """Composes nodes only; values are built by `_Builder`, never by PyYAML's constructors."""

    def __init__(self, text: str) -> None:
        yaml.reader.Reader.__init__(self, text)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)
        yaml.composer.Composer.__init__(self)
        _DocumentResolver.__init__(self)


if yaml.__with_libyaml__:
    from yaml._yaml import CParser

    class _FastLoader(CParser, _DocumentResolver):
        """libyaml's parser and composer (several times faster), with the same resolver."""

        def __init__(self, text: str) -> None:
            CParser.__init__(self, text)
            _DocumentResolver.__init__(self)

    _Loader: type[Any] = _FastLoader
else:  # PyYAML built without libyaml
    _Loader = _PureLoader


class _LoadError(Exception):
    def __init__(self, code: str, message: str, position: Position) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.position = position


class SourceMap:
    """Where each value of a document stands, by its path of keys and indexes.

    A map is most of what a read spec holds (a position per key and per value) and is read only
    to place findings, few or none: once its toolset's own rules have run it is packed (pack) into
    one blob, unpacked when a position is next asked for. The spec cache pickles the blob.
    """

    __slots__ = ("_values", "_keys", "_packed")

    def __init__(self) -> None:
        self._values: dict[YamlPath, Position] = {}
        self._keys: dict[YamlPath, Position] = {}
        self._packed: bytes | None = None

    @property
    def values(self) -> dict[YamlPath, Position]:
        """Path -> the position of the value there."""
        self._unpack()
        return self._values

    @property
    def keys(self) -> dict[YamlPath, Position]:
        """Path -> the position of the key that introduces it."""
        self._unpack()
        return self._keys

    def value(self, path: YamlPath) -> Position:
        """The value at path, or the nearest enclosing one that has a place."""
        return self._nearest(self.values, path)

    def key(self, path: YamlPath) -> Position:
        """The key that introduces path (for an item of a list, the item itself)."""
        if path in self.keys:
            return self.keys[path]
        return self.value(path)

    @staticmethod
    def _nearest(table: dict[YamlPath, Position], path: YamlPath) -> Position:
        while path:
            if path in table:
                return table[path]
            path = path[:-1]
        return table.get((), START)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SourceMap) and (self.values, self.keys) == (other.values, other.keys)

    __hash__ = None  # type: ignore[assignment]  # mutable while a document is read

    def pack(self) -> None:
        """Hold the positions as one blob until one is asked for."""
        self._packed = self._blob()
        self._values, self._keys = {}, {}

    def __reduce__(self) -> tuple[Callable[[bytes], SourceMap], tuple[bytes]]:
        return (_packed_source_map, (self._blob(),))

    def _blob(self) -> bytes:
        if self._packed is not None:
            return self._packed
        tables = [[(p, at.line, at.column) for p, at in table.items()] for table in (self._values, self._keys)]
        return pickle.dumps(tables, protocol=pickle.HIGHEST_PROTOCOL)

    def _unpack(self) -> None:
        if self._packed is not None:
            values, keys = pickle.loads(self._packed)  # packed by _blob (or read from the user's own cache)
            self._values = {path: Position(line, column) for path, line, column in values}
            self._keys = {path: Position(line, column) for path, line, column in keys}
            self._packed = None


def _packed_source_map(packed: bytes) -> SourceMap:
    source = SourceMap()
    source._packed = packed
    return source


@dataclass(frozen=True)
class Document:
    """A spec file's data and the places of its parts."""

    path: str
    data: Any
    source: SourceMap
    lines: tuple[str, ...]


def load_document(path: Path, display: str) -> Document | Diagnostic:
    """Read one spec file; a problem with its contents comes back as a Diagnostic instead of a
    Document. A file that cannot be read at all raises OSError: an I/O error, not a finding."""
    with path.open("rb") as stream:
        raw = stream.read(MAX_SPEC_BYTES + 1)  # no more: a huge file must cost nothing
    return parse_document(raw, display)


def parse_document(raw: bytes, display: str) -> Document | Diagnostic:
    """Parse the bytes of a spec file named display."""
    if len(raw) > MAX_SPEC_BYTES:
        return _fatal(
            display,
            "TS001",
            f"the file is larger than {MAX_SPEC_BYTES:,} bytes, the most a spec may be: split it into several toolsets",
            START,
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        before = raw[: error.start]
        where = Position(before.count(b"\n") + 1, error.start - (before.rfind(b"\n") + 1) + 1)
        return _fatal(
            display,
            "TS002",
            f"the file is not UTF-8 (byte 0x{raw[error.start]:02x}): save it as UTF-8",
            where,
        )
    try:
        return _compose(text, display)
    except _LoadError as error:
        return _fatal(display, error.code, error.message, error.position)


def _compose(text: str, display: str) -> Document:
    try:
        root = _single_node(text)
    except yaml.MarkedYAMLError as error:
        raise _LoadError("TS003", *_describe_yaml_error(error, text)) from None
    except yaml.reader.ReaderError as error:
        before = text[: error.position]
        where = Position(before.count("\n") + 1, error.position - (before.rfind("\n") + 1) + 1)
        raise _LoadError(
            "TS003", f"invalid YAML: the control character {chr(error.character)!r} is not allowed; remove it", where
        ) from None
    except RecursionError:
        raise _LoadError("TS003", "invalid YAML: nested too deeply", START) from None
    builder = _Builder()
    data = builder.build(root, ())
    return Document(display, data, builder.source, tuple(text.splitlines()))


def _single_node(text: str) -> nodes.Node:
    """The one document of text, composed; PyYAML's errors pass through."""
    loader = _Loader(text)
    try:
        if not loader.check_node():
            raise _LoadError("TS005", "the file is empty: a spec needs at least `toolset` and `tools`", START)
        root = loader.get_node()
        if not loader.check_event(yaml.events.StreamEndEvent):
            raise _LoadError(
                "TS006",
                "the file holds several YAML documents: put each toolset in a file of its own",
                _position(loader.peek_event().start_mark),
            )
    finally:
        loader.dispose()
    if root is None:
        raise _LoadError("TS005", "the file is empty: a spec needs at least `toolset` and `tools`", START)
    node: nodes.Node = root
    return node


class _Builder:
    """Turns composed nodes into dicts, lists and scalars, recording positions."""

    def __init__(self) -> None:
        self.source = SourceMap()
        self._values, self._keys = self.source.values, self.source.keys  # filled here, never packed meanwhile
        self._count = 0
        self._open: set[int] = set()

    def build(self, node: nodes.Node, path: YamlPath) -> Any:
        self._count += 1
        if self._count > MAX_VALUES:
            raise _LoadError(
                "TS007",
                f"the spec expands to more than {MAX_VALUES:,} values (an alias/anchor bomb?): "
                "use named types instead of aliases",
                _position(node.start_mark),
            )
        self._values.setdefault(path, _position(node.start_mark))
        _check_tag(node)
        if id(node) in self._open:
            raise _LoadError("TS007", "an alias refers to the node that contains it", _position(node.start_mark))
        if isinstance(node, nodes.ScalarNode):
            return _scalar(node)
        self._open.add(id(node))
        try:
            if isinstance(node, nodes.SequenceNode):
                return [self.build(item, (*path, index)) for index, item in enumerate(node.value)]
            assert isinstance(node, nodes.MappingNode)
            return self._mapping(node, path)
        finally:
            self._open.discard(id(node))

    def _mapping(self, node: nodes.MappingNode, path: YamlPath) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            where = _position(key_node.start_mark)
            if key_node.value == "<<" and not key_node.style:  # plain, not "<<" quoted
                raise _LoadError(
                    "TS008", "YAML merge keys (<<) are not supported: use a named type under `types`", where
                )
            _check_tag(key_node)
            if not isinstance(key_node, nodes.ScalarNode):
                raise _LoadError("TS008", "a key must be a plain string, not a list or a mapping", where)
            key = key_node.value
            if key in result:
                first = self._keys[(*path, key)]
                raise _LoadError(
                    "TS009",
                    f"duplicate key {key!r} (first at line {first.line}): YAML would silently keep "
                    "only the last one; remove or rename one of them",
                    where,
                )
            child = (*path, key)
            self._keys[child] = where
            result[key] = self.build(value_node, child)
        return result


def _check_tag(node: nodes.Node) -> None:
    """Refuse tags that would build objects (`!!python/object`), custom tags, and standard tags on
    the wrong kind of value (`!!str {a: 1}`). Untagged values carry the tag the resolver gave them."""
    tag = node.tag
    if tag == _STR and type(node) is nodes.ScalarNode:
        return  # most values of a spec: nothing to check
    if tag not in _STANDARD_TAGS:
        raise _LoadError(
            "TS004",
            f"YAML tag {tag!r} is not allowed in a spec: specs are plain data; remove the tag",
            _position(node.start_mark),
        )
    expected = _COLLECTION_TAGS.get(type(node))
    if tag != expected if expected else tag in _COLLECTION_TAGS.values():
        raise _LoadError(
            "TS004", f"YAML tag {tag!r} does not fit this kind of value: remove the tag", _position(node.start_mark)
        )


_SURROGATE = re.compile("[\ud800-\udfff]")
"""Half of a UTF-16 surrogate pair, which a YAML escape can write and UTF-8 cannot."""


def _scalar(node: nodes.ScalarNode) -> Any:
    tag = node.tag
    value: str = node.value
    surrogate = _SURROGATE.search(value)
    if surrogate is not None:
        raise _LoadError(
            "TS008",
            f"the escape \\u{ord(surrogate.group()):04x} is half of a UTF-16 surrogate pair, which YAML does not join: "
            "write the character itself, or a \\UXXXXXXXX escape",
            _position(node.start_mark),
        )
    if tag == _CORE + "null":
        return None
    if tag == _CORE + "bool":
        return value.lower() == "true"
    try:
        if tag == _CORE + "int":
            return int(value, 0) if value[:2] in ("0o", "0x") else int(value)
        if tag == _CORE + "float":
            if value.lower().lstrip("+-") in (".inf", ".nan"):
                raise _LoadError(
                    "TS008", f"{value} is not a JSON number: JSON has no infinity or NaN", _position(node.start_mark)
                )
            return float(value)
    except ValueError:
        raise _LoadError("TS008", f"{value!r} is not a {tag.rsplit(':', 1)[-1]}", _position(node.start_mark)) from None
    return value


def _describe_yaml_error(error: yaml.MarkedYAMLError, text: str) -> tuple[str, Position]:
    """PyYAML's message, at the place that explains it: an unclosed quote or bracket is
    reported where it opens, not at the end of the file."""
    problem = error.problem or error.context or "invalid YAML"
    if "escape" in problem and "Unicode" in problem:
        problem += (
            " (JSON-style surrogate pairs such as \\ud83d\\ude00 are two escapes in YAML:"
            " write the character itself, or a \\UXXXXXXXX escape)"
        )
    mark = error.problem_mark or error.context_mark
    context = error.context_mark
    if context is not None and error.context and mark is not None and context.index < mark.index >= len(text.rstrip()):
        opened = _position(context)
        return f"invalid YAML: {problem} {error.context} (opened at line {opened.line}, never closed)", opened
    if mark is not None and _character_at(text, mark.line, mark.column) == "\t":
        problem += ": it is a tab, and YAML does not allow tabs for indentation; indent with spaces"
    return f"invalid YAML: {problem}", _position(mark)


def _character_at(text: str, line: int, column: int) -> str:
    """The character at a 0-based line and column of text, or "" past its end."""
    lines = text.splitlines()
    return lines[line][column : column + 1] if line < len(lines) else ""


def _position(mark: Any) -> Position:
    """The 1-based position of a PyYAML mark (of its pure-Python or C flavour)."""
    return START if mark is None else Position(mark.line + 1, mark.column + 1)


def _fatal(path: str, code: str, message: str, position: Position) -> Diagnostic:
    return fixed_diagnostic(path, position, code, message)
