"""`toolspec import`: tool definitions in the shapes people have them, as one reviewed spec.

sources.py reads each SOURCE, detect.py finds its tools and tells their shapes (one module per
shape reads it), normalise.py and schema.py make each tool a spec tool, and writer.py writes
the spec. What was changed to make a tool strict, and why, is the report (report.py): the
import never changes or drops anything without saying so.
"""

from __future__ import annotations

import json
import keyword
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from toolspec.compile.names import ARGUMENT_MODELS, method_name, toolset_names
from toolspec.compile.shapes import SHAPES as OUTPUT_SHAPES
from toolspec.compile.shapes.incoming import Change
from toolspec.compile.shapes.where import SourceError
from toolspec.ground.diagnostics import counted
from toolspec.importing.named_types import NamedTypes
from toolspec.importing.normalise import legal_name, normalise
from toolspec.importing.openapi import ALL, Selection
from toolspec.importing.report import ImportReport
from toolspec.importing.sources import read_source
from toolspec.importing.writer import spec_text
from toolspec.lint.api_limits import MAX_TOOLS
from toolspec.spec import ir

if TYPE_CHECKING:
    from toolspec.compile.names import NameClash
    from toolspec.compile.shapes.incoming import Incoming

__all__ = ["Imported", "Selection", "SourceError", "import_by_tag", "import_sources", "toolset_name"]

TOOLSET_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass
class Imported:
    spec: dict[str, Any]
    """The spec, as data."""
    text: str
    """The spec, as the YAML written."""
    report: ImportReport


def import_sources(
    sources: Sequence[str], *, toolset: str | None = None, shape: str | None = None, selection: Selection = ALL
) -> Imported:
    """One spec of the tools of every source, in order; toolset: its name (default: from the first
    source); shape: read every tool as this shape (a name `--from` takes) instead of telling each's;
    selection: the operations of an OpenAPI document to import."""
    name = toolset if toolset is not None else toolset_name(sources[0])
    _check_name(name, "--toolset")
    incoming = [tool for source in sources for tool in read_source(source, shape, selection)]
    _check_count(incoming, "in one toolset", "or write one toolset per tag with --split-by-tag")
    return _imported(name, incoming, sources)


def import_by_tag(sources: Sequence[str], *, shape: str | None = None, selection: Selection = ALL) -> list[Imported]:
    """One spec per tag of the operations of OpenAPI documents (an operation goes to its first
    tag's; one without tags to `default`'s), each toolset named after its tag, in the order the
    tags are first met."""
    incoming = [tool for source in sources for tool in read_source(source, shape, selection)]
    if any(tool.http is None for tool in incoming):
        raise SourceError(sources[0], "--split-by-tag splits the operations of OpenAPI documents, and this is none")
    groups: dict[str, list[Incoming]] = {}
    for tool in incoming:
        groups.setdefault(tool.tags[0] if tool.tags else "default", []).append(tool)
    names: dict[str, str] = {}
    for tag in groups:
        base = toolset_name(tag + ".yaml")
        name, number = base, 2
        while name in names.values():
            name, number = f"{base}_{number}", number + 1
        names[tag] = name
    for tag, tools in groups.items():
        _check_count(tools, f"with the tag {tag!r}", f"leaving {tag!r} out or taking part of it with --operation")
    return [_imported(names[tag], tools, sources, tag=tag) for tag, tools in groups.items()]


def _check_name(name: str, option: str) -> None:
    if not TOOLSET_NAME.match(name) or keyword.iskeyword(name):
        raise SourceError(
            option, f"{name!r} cannot name a toolset: lower-case letters, digits and _, starting with a letter"
        )


def _check_count(incoming: Sequence[Incoming], where: str, otherwise: str) -> None:
    """An OpenAPI import past the API's limit of tools is refused: the advice is how to select."""
    operations = [tool for tool in incoming if tool.http is not None]
    if len(operations) > MAX_TOOLS:
        raise SourceError(
            operations[0].where.file,
            f"{len(operations)} operations {where}: past {MAX_TOOLS} tools the API refuses a request. Choose "
            f"some with --tag TAG or --operation ID (each repeatable), {otherwise}",
        )


def _imported(name: str, incoming: Sequence[Incoming], sources: Sequence[str], *, tag: str | None = None) -> Imported:
    types = NamedTypes()
    taken = {tool.name for tool in incoming if legal_name(tool.name, set()) == tool.name}
    tools, report = [], ImportReport(name)
    comments: dict[int, str] = {}
    for index, tool in enumerate(incoming):
        try:
            spec, tool_report = normalise(tool, types, taken - {tool.name})
        except RecursionError:
            raise SourceError(tool.where, "its schema is nested too deeply to import") from None
        taken.add(tool_report.name)
        if tool_report.name != tool.name:
            comments[index] = f"was {json.dumps(tool.name, ensure_ascii=False)} in {tool.where}"
        tools.append(spec)
        report.tools.append(tool_report)
    _python_names(tools, list(types.nodes), report)
    spec_data: dict[str, Any] = {"toolset": name}
    if tag is not None:
        spec_data["description"] = f"The operations tagged {tag!r}."
    base_urls = list(dict.fromkeys(tool.base_url for tool in incoming if tool.base_url is not None))
    if base_urls:
        spec_data["http"] = {"base_url": base_urls[0]}
    if len(base_urls) > 1:
        report.notes.append(
            f"the sources name several base URLs: the first is the toolset's, not {', '.join(base_urls[1:])}"
        )
    if types.nodes:
        spec_data["types"] = types.nodes
    spec_data["tools"] = tools
    report.notes.extend(dict.fromkeys(note for tool in incoming for note in tool.notes))
    report.notes.extend(_notes(incoming, [tool.name for tool in report.tools]))
    header = [f"Imported by `toolspec import` from {', '.join(sources)}: review it, and the report the import printed."]
    return Imported(spec_data, spec_text(spec_data, header=header, name_comments=comments), report)


def toolset_name(source: str) -> str:
    """The toolset a source's tools go to when --toolset is not given: its file's name, made legal."""
    stem = source.partition(":")[0].rsplit(".", 1)[-1] if ":" in source else Path(source).stem
    name = re.sub(r"[^a-z0-9_]+", "_", stem.lower()).strip("_") or "tools"
    name = name if name[0].isalpha() else f"tools_{name}"
    return f"{name}_tools" if keyword.iskeyword(name) else name


_NO_ARGUMENTS = ir.Object(at=())
_MODULE_CONSTANTS = (*(shape.constant for shape in OUTPUT_SHAPES), ARGUMENT_MODELS)


def _python_names(tools: list[dict[str, Any]], type_names: Sequence[str], report: ImportReport) -> None:
    """A `python_name` for each tool whose Python names (handler method, argument model, constant)
    a tool or type before it has (`calculate_BMI` after `calculate_bmi`): without one, lint
    refuses the spec (TS309). The name is the tool's method numbered, and no method another tool
    has or would have by its own name; it is said in the tool's report."""
    while clashes := sorted((clash for clash in _clashes(tools, type_names) if clash.is_tool), key=_index):
        clash = clashes[0]  # in the order of the spec
        index = _index(clash)
        tool = tools[index]
        methods = {method_name(other["name"]) for other in tools} | {other.get("python_name") for other in tools}
        base, number = method_name(tool["name"]), 2
        while True:
            tool["python_name"] = f"{base}_{number}"
            if tool["python_name"] not in methods and not any(
                other.at[:2] == clash.at[:2] for other in _clashes(tools, type_names)
            ):
                break
            number += 1
        tools[index] = {key: tool[key] for key in ("name", "python_name", *tool) if key in tool}
        report.tools[index].changes.append(
            Change(
                "python_name",
                "/name",
                f"{tool['name']!r} would get the Python names of {clash.other} ({', '.join(clash.names)}): "
                f"python_name: {tool['python_name']} (the API keeps the name)",
            )
        )


def _index(clash: NameClash) -> int:
    return int(clash.at[1])


def _clashes(tools: list[dict[str, Any]], type_names: Sequence[str]) -> tuple[NameClash, ...]:
    stubs: list[ir.Tool] = [
        ir.CustomTool(name=tool["name"], description=None, format=ir.TextFormat(), at=("tools", index),
                      python_name=tool.get("python_name"))
        if tool.get("kind") == "custom"
        else ir.FunctionTool(name=tool["name"], description=None, parameters=_NO_ARGUMENTS, at=("tools", index),
                             python_name=tool.get("python_name"))
        for index, tool in enumerate(tools)
    ]  # fmt: skip
    types = tuple(ir.NamedType(name, _NO_ARGUMENTS, ("types", name)) for name in type_names)
    return toolset_names(ir.Toolset("import", None, types, tuple(stubs)), _MODULE_CONSTANTS).clashes


def _notes(incoming: Sequence[Incoming], names: Sequence[str]) -> list[str]:
    """names: each incoming tool's name in the spec."""
    unknown = [name for tool, name in zip(incoming, names, strict=True) if tool.effect is None]
    if not unknown:
        return []
    count = f"{counted(len(unknown), 'tool')} {'does' if len(unknown) == 1 else 'do'}"
    return [
        f"effect: the sources do not say what {count}, so they are `effect: write` (run in order, never "
        "advertised read-only): mark `effect: read` on those that change nothing, so that they run together, "
        f"and `destructive` on those that destroy: {', '.join(unknown)}"
    ]
