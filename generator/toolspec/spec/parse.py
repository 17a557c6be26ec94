"""Turn a loaded document into a Toolset, or into diagnostics saying what is wrong where.

The language's JSON Schema (language.schema.json) is the one description of what a spec
may hold: it is checked first, and its errors become messages at the offending key. What a
schema cannot say (references to named types, `optional` outside a property, grammar
files) is checked while building the intermediate representation (build.py).
"""

from __future__ import annotations

import copy
import difflib
import functools
import json
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from toolspec.spec.build import BUILTIN_TYPES, DROPPED, Builder
from toolspec.spec.problems import Problems
from toolspec.spec.yaml_source import Document

if TYPE_CHECKING:
    import jsonschema

    from toolspec.ground.diagnostics import Diagnostic
    from toolspec.spec import ir
    from toolspec.spec.yaml_source import YamlPath


@functools.cache
def language_schema() -> dict[str, Any]:
    """The JSON Schema of the spec language, as shipped in the package."""
    text = resources.files("toolspec.spec").joinpath("language.schema.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


@functools.cache
def _validator() -> jsonschema.Draft202012Validator:
    import jsonschema  # for a spec the fast validator refuses: most runs never import it

    return jsonschema.Draft202012Validator(language_schema())


@functools.cache
def _fast_validator() -> Any:
    """jsonschema-rs: ~200 times faster than jsonschema on a valid spec, which most are. It only
    answers whether a spec is valid; jsonschema, whose errors say where and why, reads the
    others. tests/test_parse_validators.py holds the two to the same verdicts."""
    import jsonschema_rs

    return jsonschema_rs.Draft202012Validator(language_schema(), validate_formats=False)


def language_errors(data: Any) -> list[jsonschema.ValidationError]:
    """What is wrong with data as a spec, by the language schema; the fast validator first."""
    if _fast_validator().is_valid(data):
        return []
    return list(_validator().iter_errors(data))


@functools.cache
def _known_keys() -> frozenset[str]:
    """Every key the language knows, for "did you mean" suggestions."""
    keys: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("properties"), dict):
                keys.update(node["properties"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(language_schema())
    return frozenset(keys - {"type"} | {"type"})


@dataclass(frozen=True)
class Parsed:
    """What a document says: its toolset, built from the parts that are valid (None when too
    little of it is), the errors, and the parts left out of the toolset because they are wrong."""

    toolset: ir.Toolset | None
    diagnostics: list[Diagnostic]
    dropped: tuple[YamlPath, ...] = ()


_MAX_ROUNDS = 1000


def parse_toolset(document: Document, base_dir: Path) -> Parsed:
    """Check a document against the language and build its Toolset.

    Every error is reported, as ruff and mypy do, not only the first kind found: the parts
    the language schema rejects are left out (an unknown key, a wrong value, or the node
    that lacks a required key), and the toolset is built from the rest, so that the checks
    of the IR and the lint rules still see it. The toolset of a document with errors is
    linted, never generated.
    """
    problems = Problems(document)
    if not isinstance(document.data, dict):
        problems.add("TS103", "a spec is a mapping with the keys `toolset` and `tools`", (), at_key=False)
        return Parsed(None, problems.found)
    for error in language_errors(document.data):
        _report(error, problems)
    _drop_unknown_key_noise(problems)
    reported = list(problems.found)
    seen = {(d.code, d.position, d.message) for d in reported}
    data = document.data
    to_drop = list(problems.paths)
    dropped: list[YamlPath] = []
    for _ in range(_MAX_ROUNDS):
        if to_drop and data is document.data:
            data = copy.deepcopy(data)  # the parts are left out of a copy: the document keeps what it read
        if not _drop_all(data, to_drop, dropped):
            return Parsed(None, reported, tuple(dropped))
        builder = Builder(document, data, base_dir, Problems(document))
        toolset = builder.toolset()
        for diagnostic in builder.problems.found:
            if (diagnostic.code, diagnostic.position, diagnostic.message) not in seen:
                seen.add((diagnostic.code, diagnostic.position, diagnostic.message))
                reported.append(diagnostic)
        to_drop = builder.unusable
        if not to_drop:
            return Parsed(toolset, reported, tuple(dropped))
    return Parsed(None, reported, tuple(dropped))  # pragma: no cover - each round drops a part


def _drop_all(data: dict[str, Any], paths: list[YamlPath], dropped: list[YamlPath]) -> bool:
    """Leave the parts at paths out of data, then whatever that makes invalid, until data
    passes the language schema; False when the whole document would go."""
    for _ in range(_MAX_ROUNDS):
        if not paths:
            return True
        progress = False
        for path in paths:
            if not path:
                return False
            progress |= _drop(data, path)
            dropped.append(path)
        if not progress:
            return False
        compact = _compact(data)
        silent = Problems(Document("", compact, None, ()), silent=True)  # type: ignore[arg-type]
        for error in language_errors(compact):
            _report(error, silent)
        _drop_unknown_key_noise(silent)
        paths = [_original_path(data, path) for path in silent.paths]
    return False  # pragma: no cover - each round drops a part


def _drop(data: Any, path: YamlPath) -> bool:
    """Leave out the part at path; False when it is already gone."""
    node = data
    for part in path[:-1]:
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            node = node[part]
        else:
            return False
        if node is DROPPED:
            return False
    key = path[-1]
    if isinstance(node, dict) and key in node:
        del node[key]
        return True
    if isinstance(node, list) and isinstance(key, int) and key < len(node) and node[key] is not DROPPED:
        node[key] = DROPPED
        return True
    return False


def _compact(node: Any) -> Any:
    """node without the stand-ins of dropped list items: what the language schema checks."""
    if isinstance(node, dict):
        return {key: _compact(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_compact(value) for value in node if value is not DROPPED]
    return node


def _original_path(data: Any, path: YamlPath) -> YamlPath:
    """The path in data (with stand-ins) of a path in its compact form."""
    original: list[str | int] = []
    node = data
    for part in path:
        if isinstance(node, list) and isinstance(part, int):
            part = [index for index, value in enumerate(node) if value is not DROPPED][part]
        original.append(part)
        node = node[part]
    return tuple(original)


def _report(error: jsonschema.ValidationError, problems: Problems) -> None:
    """Say what a jsonschema error means for the author of a spec."""
    path: YamlPath = tuple(error.absolute_path)
    instance = error.instance
    if error.schema is False:
        # A keyword that does not apply to this type: the language maps it to `false`, and
        # jsonschema's error names neither the keyword nor its path: find them in the node.
        node = _at(problems.document.data, path)
        if _names_an_unknown_type(node, problems.document.data):
            return  # TS106 says the one thing wrong: the type; its keywords are judged once it is known
        for key in sorted(_inapplicable_keywords(node) & set(node)):
            problems.add("TS102", _unknown_key_message(key, node, problems.document, path), (*path, key))
        return
    if error.validator in ("unevaluatedProperties", "additionalProperties") and isinstance(instance, dict):
        for key in re.findall(r"'((?:[^'\\]|\\.)*)'", error.message.split("(", 1)[-1]):
            if key in instance:
                problems.add("TS102", _unknown_key_message(key, instance, problems.document, path), (*path, key))
        return
    if error.validator == "required":
        missing = re.findall(r"'([^']*)' is a required property", error.message)
        for key in missing:
            problems.add("TS101", _missing_key_message(key, instance), path, at_key=False)
        return
    if error.validator in ("if", "then", "else", "allOf") or error.validator == "not" and path[-1:] != ("not",):
        if error.validator == "not" and isinstance(instance, dict) and "anyOf" in instance:
            problems.add("TS103", "a schema has either `type` or `anyOf`, not both", (*path, "type"))
            return
        for sub in error.context if isinstance(error.context, list) else ():
            _report(sub, problems)
        return
    problems.add("TS103", _value_message(error, path), path, at_key=False)


@functools.cache
def _inapplicable_by_kind() -> dict[str, frozenset[str]]:
    """For each kind of schema node (a built-in type, "reference", "anyOf"), the keywords that
    the language's schema forbids on it, read from the `false` entries of its conditions."""
    table: dict[str, frozenset[str]] = {}
    for condition in language_schema()["$defs"]["schema"]["allOf"]:
        forbidden = frozenset(k for k, v in condition.get("then", {}).get("properties", {}).items() if v is False)
        if not forbidden:
            continue
        type_condition = condition["if"].get("properties", {}).get("type", {})
        kind = type_condition.get("const", "reference" if "not" in type_condition else "anyOf")
        table[kind] = forbidden
    return table


def _names_an_unknown_type(node: Any, data: Any) -> bool:
    """Whether node's `type` names neither a built-in type nor a type under `types` (a typo)."""
    kind = node.get("type") if isinstance(node, dict) and "anyOf" not in node else None
    types = data.get("types") if isinstance(data, dict) else None
    return isinstance(kind, str) and kind not in BUILTIN_TYPES and not (isinstance(types, dict) and kind in types)


def _inapplicable_keywords(node: Any) -> frozenset[str]:
    if not isinstance(node, dict):
        return frozenset()
    if "anyOf" in node:
        kind = "anyOf"
    else:
        kind = node.get("type") or "null"
        kind = kind if kind in BUILTIN_TYPES else "reference"
    return _inapplicable_by_kind().get(kind, frozenset())


def _at(data: Any, path: YamlPath) -> Any:
    for part in path:
        data = data[part]
    return data


def _drop_unknown_key_noise(problems: Problems) -> None:
    """A keyword whose value is wrong is also "unevaluated" to jsonschema: keep the precise finding
    (the noise is an unknown key with another problem inside it)."""
    noise = [
        any(len(other) > len(path) and other[: len(path)] == path for other in problems.paths)
        for path in problems.paths
    ]
    keep = [not (is_noise and code == "TS102") for is_noise, code in zip(noise, problems.codes, strict=True)]
    problems.paths = [path for path, kept in zip(problems.paths, keep, strict=True) if kept]
    problems.codes = [code for code, kept in zip(problems.codes, keep, strict=True) if kept]
    if not problems.silent:
        problems.found = [d for d, kept in zip(problems.found, keep, strict=True) if kept]


def _missing_key_message(key: str, instance: Any) -> str:
    if key == "type" and isinstance(instance, dict):
        combinators = [k for k in ("oneOf", "allOf") if k in instance]
        if combinators:
            return (
                f"a schema needs `type` or `anyOf`: `{combinators[0]}` alone does not say what the value is; "
                "write `anyOf` for a value of any of several schemas"
            )
        return "missing required key `type` (or `anyOf`)"
    return f"missing required key `{key}`"


def _unknown_key_message(key: str, instance: dict[str, Any], document: Document, path: YamlPath) -> str:
    if key == "required" and instance.get("type") == "object":
        return (
            "`required` is not a key: every property is required unless `optional: true`; for keys "
            "that a free-form object must have, list them under `properties` and add `additionalProperties: true`"
        )
    if key in _known_keys() and "anyOf" in instance:
        return f"`{key}` does not apply to an `anyOf`: put it in the branches"
    if key in _known_keys() and "type" in instance:
        kind = instance["type"] or "null"
        what = f"type {kind}" if kind in BUILTIN_TYPES else f"a reference to the named type {kind} (set it in the type)"
        return f"`{key}` does not apply to {what}"
    if key in _known_keys():
        what = "a custom tool" if instance.get("kind") == "custom" else "here"
        return f"`{key}` does not apply to {what}"
    close = difflib.get_close_matches(key, sorted(_known_keys()), n=1, cutoff=0.75)
    hint = f" (did you mean `{close[0]}`?)" if close else _flow_comma_hint(key, instance, document, path)
    return f"unknown key `{key}`{hint}"


def _flow_comma_hint(key: str, instance: dict[str, Any], document: Document, path: YamlPath) -> str:
    """In `{description: First line, 1-based.}` the comma ends the plain value and `1-based.`
    becomes a key without a value: when an unknown key is that, say how to keep the comma."""
    keys = list(instance)
    position = keys.index(key)
    if position == 0 or instance[key] is not None or not isinstance(instance[keys[position - 1]], str):
        return ""
    value = document.source.value((*path, keys[position - 1]))
    key_at = document.source.key((*path, key))
    line = document.lines[key_at.line - 1] if key_at.line == value.line else ""
    before, text = line[value.column - 1 : key_at.column - 1], line[value.column - 1 : key_at.column - 1 + len(key)]
    if not before.rstrip().endswith(",") or before[:1] in ("'", '"') or not text.endswith(key):
        return ""
    return f": a comma inside `{{...}}` separates keys; quote the value ({json.dumps(text, ensure_ascii=False)})"


_YAML_11_BOOLEANS = {
    **dict.fromkeys(("yes", "y", "on"), "true"),
    **dict.fromkeys(("no", "n", "off"), "false"),
}
"""The words YAML 1.1 took for booleans, which YAML 1.2 (toolspec's reader) keeps as strings."""


def _value_message(error: jsonschema.ValidationError, path: YamlPath) -> str:
    where = f"`{path[-1]}`" if path and isinstance(path[-1], str) else "this value"
    if path[-1:] == ("type",):
        return (
            f"{json.dumps(error.instance)} is not a type: use one of {', '.join(BUILTIN_TYPES)}, "
            "or the name of a type under `types`"
        )
    if path[-1:] == ("format",) and len(path) == 3:
        return "`format` is `text` or a grammar: {syntax: lark|regex, definition: ...} or {syntax: ..., file: ...}"
    if path[-1:] == ("toolset",):
        return "the toolset name must be lower-case letters, digits and underscores, starting with a letter"
    if len(path) == 2 and path[0] == "types":
        return f"type name {path[1]!r} must be a Python-style identifier"
    if error.validator == "type":
        return _type_message(where, error)
    if error.validator in ("enum", "const"):
        value: Any = error.validator_value
        allowed = value if error.validator == "enum" else [value]
        return f"{where} must be one of {', '.join(json.dumps(v) for v in allowed)}"
    if error.validator == "oneOf" and isinstance(error.instance, dict):
        return "a grammar has either `definition` or `file`, not both and not neither"
    return f"{where}: {error.message}"


def _type_message(where: str, error: jsonschema.ValidationError) -> str:
    """A value of the wrong JSON type; for `yes` where a boolean belongs, why it is a string."""
    meant = _YAML_11_BOOLEANS.get(error.instance.lower()) if isinstance(error.instance, str) else None
    if error.validator_value == "boolean" and meant is not None:
        return (
            f"{where} must be true or false: YAML reads `{error.instance}` as a string here (the YAML 1.2 "
            f"that toolspec reads, unlike YAML 1.1's readers); write `{meant}`"
        )
    return f"{where} must be {_article(str(error.validator_value))}"


def _article(kind: str) -> str:
    return {"object": "a mapping", "array": "a list", "integer": "an integer"}.get(kind, f"a {kind}")
