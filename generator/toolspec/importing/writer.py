"""The spec as YAML a reviewer reads: block style, keys in the order they were built, long
descriptions as block scalars, lists of scalars on one line, and comments on renamed tools.

Strings are quoted wherever YAML 1.1 or 1.2 would read them as something else (`yes`, `1e3`,
`0o17`), so that the spec means the same to toolspec's YAML 1.2 loader and to any other
reader. The text is read back with toolspec's own loader before it is returned: what is
written is what was built, or the plain form (JSON, which is YAML too) is written instead.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

import yaml

from toolspec.ground.diagnostics import Diagnostic
from toolspec.spec.yaml_source import _Core12Resolver, parse_document

WIDTH = 100
BLOCK_FROM = 80
"""A description this long, or with a line break, is written as a block scalar."""
_STR = "tag:yaml.org,2002:str"


_CORE_12 = _Core12Resolver()
"""How toolspec's loader reads a plain scalar: one resolver for them all (a scalar's resolution
keeps no state in it), not a new one for each scalar written."""


class _Dumper(yaml.SafeDumper):
    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)  # `tools:` then `  - name:`, as the specs of this repository

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        """A plain scalar that either YAML 1.1 or YAML 1.2 reads as no string is quoted."""
        tag = super().resolve(kind, value, implicit)  # type: ignore[no-untyped-call]
        if kind is yaml.ScalarNode and implicit[0] and tag == _STR:
            core = _CORE_12.resolve(kind, value, implicit)  # type: ignore[no-untyped-call]
            if core != _STR:
                return core
        return tag


def _string(dumper: _Dumper, value: str) -> yaml.ScalarNode:
    if "\n" in value and not _trailing_space(value):
        return dumper.represent_scalar(_STR, value, style="|")
    if len(value) >= BLOCK_FROM and not _trailing_space(value) and "  " not in value and "\t" not in value:
        return dumper.represent_scalar(_STR, value, style=">")
    return dumper.represent_scalar(_STR, value)


def _trailing_space(value: str) -> bool:
    """Block scalars cannot keep spaces at the end of a line safely (editors strip them): quoted instead."""
    return any(line != line.rstrip(" \t") for line in value.split("\n")) or value.startswith((" ", "\t"))


def _list(dumper: _Dumper, value: list[Any]) -> yaml.SequenceNode:
    scalars = all(isinstance(item, str | int | float | bool) or item is None for item in value)
    short = all(len(json.dumps(item, ensure_ascii=False)) <= 40 for item in value)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=bool(value) and scalars and short)


class _Flow(dict[str, Any]):
    """A small mapping written on one line: `items: {type: string}`, as the specs of this repository."""


def _flow(dumper: _Dumper, value: _Flow) -> yaml.MappingNode:
    return dumper.represent_mapping("tag:yaml.org,2002:map", value, flow_style=True)


_Dumper.add_representer(str, _string)
_Dumper.add_representer(list, _list)
_Dumper.add_representer(_Flow, _flow)

FLOW_WITHIN = 72
"""An array's items, a map's values or an anyOf branch this short, of scalars only, goes on one line."""


def _styled(node: Any, key: str | None = None) -> Any:
    """node with the small schemas of items, values and branches made _Flow."""
    if isinstance(node, list):
        return [_styled(item, "anyOf" if key == "anyOf" else None) for item in node]
    if not isinstance(node, dict):
        return node
    if key == "http" and isinstance(node.get("parameters"), dict):  # a tool's: where each parameter goes
        return {**node, "parameters": {name: _Flow(where) for name, where in node["parameters"].items()}}
    styled = {name: _styled(value, name) for name, value in node.items()}
    scalars = all(isinstance(value, str | int | float | bool) or value is None for value in styled.values())
    if key in ("items", "additionalProperties", "anyOf") and scalars and len(json.dumps(styled)) <= FLOW_WITHIN:
        return _Flow(styled)
    return styled


def spec_text(spec: Mapping[str, Any], *, header: Sequence[str] = (), name_comments: Mapping[int, str] = {}) -> str:
    """spec as YAML, with header as comment lines, and a comment after the name of each tool
    whose index is in name_comments."""
    text = yaml.dump(_styled(dict(spec)), Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=WIDTH, indent=2)
    if not _reads_back(text, spec):
        text = json.dumps(spec, indent=2, ensure_ascii=False) + "\n"
    lines = text.splitlines()
    tools = [index for index, line in enumerate(lines) if line.startswith("  - name: ")]
    for tool, comment in name_comments.items():
        if tool < len(tools):
            lines[tools[tool]] += f"  # {comment}"
    return "".join(f"# {line}\n" for line in header) + "\n".join(lines) + "\n"


def _reads_back(text: str, spec: Mapping[str, Any]) -> bool:
    document = parse_document(text.encode("utf-8"), "<import>")
    return not isinstance(document, Diagnostic) and _same(document.data, spec)


def _same(a: Any, b: Any) -> bool:
    """Equal as JSON values: 1 and 1.0 are the same number, true and 1 are not."""
    return json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)
