"""Python names for things named in specs, chosen once so that no template has to.

Each name is unique where it lives and never a keyword: a clash gets a number, in the order
of the tools.
"""

from __future__ import annotations

import keyword
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import assert_never

from toolspec.spec import ir
from toolspec.spec.walk import Step, walk
from toolspec.yaml_source import YamlPath

ARGUMENT_MODELS = "ARGUMENT_MODELS"
"""The constant of tools.py that maps each function tool's name to its argument model."""

_WORDS = re.compile(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])")


def pascal_case(name: str) -> str:
    """`get_weather`, `get-weather` and `getWeather` all become `GetWeather`."""
    joined = "".join(word[:1].upper() + word[1:] for word in _WORDS.findall(name))
    return joined if joined and not joined[0].isdigit() else "Tool" + joined


def snake_case(name: str) -> str:
    """`get_weather`, `get-weather` and `getWeather` all become `get_weather`."""
    joined = "_".join(word.lower() for word in _WORDS.findall(name))
    return joined if joined and not joined[0].isdigit() else "tool_" + joined


def argument_class_names(toolset: ir.Toolset) -> dict[str, str]:
    """Function tool name -> the class name of its argument model, unique within the toolset."""
    taken = {named.name for named in toolset.types} | {"ToolArguments"}
    return _allocate(_function_tools(toolset), taken, lambda name: pascal_case(name) + "Arguments", "{}{}")


def parameters_constant_names(toolset: ir.Toolset, module_constants: Iterable[str]) -> dict[str, str]:
    """Function tool name -> the constant of tools.py that holds its parameters schema."""

    def constant(name: str) -> str:
        base = re.sub(r"[^A-Za-z0-9]+", "_", name).strip("_").upper() or "TOOL"
        return f"{'_' if base[0].isdigit() else ''}{base}_PARAMETERS"

    return _allocate(_function_tools(toolset), set(module_constants), constant, "{}_{}")


def method_names(toolset: ir.Toolset) -> dict[str, str]:
    """Tool name -> the name of the handler method that runs it."""
    return _allocate([tool.name for tool in toolset.tools], set(), snake_case, "{}_{}")


def _function_tools(toolset: ir.Toolset) -> list[str]:
    return [tool.name for tool in toolset.tools if isinstance(tool, ir.FunctionTool)]


def _allocate(names: Iterable[str], taken: set[str], base_of: Callable[[str], str], numbered: str) -> dict[str, str]:
    allocated: dict[str, str] = {}
    for name in names:
        if name in allocated:
            continue  # a duplicate tool name is an error of its own (TS302)
        base = base_of(name)
        candidate, number = base, 2
        while candidate in taken or keyword.iskeyword(candidate):
            candidate, number = numbered.format(base, number), number + 1
        taken.add(candidate)
        allocated[name] = candidate
    return allocated


@dataclass(frozen=True)
class InlineClass:
    """The class of an object written in place (not a named type), in models.py."""

    name: str
    owner: str
    """The tool, or the named type, whose parameters or schema hold the object."""
    at: YamlPath
    wanted: str
    """The name the owner and the path give; name differs only when it clashes."""
    clashes_with: str | None = None
    """What else wanted the name, when the name had to be numbered: lint reports it (TS308)."""


def inline_class_names(toolset: ir.Toolset, argument_classes: Mapping[str, str]) -> dict[YamlPath, InlineClass]:
    """The YAML path of every object with properties written in place -> its class.

    The name is its owner's followed by the property names that lead to it: `options` of tool
    `export_report` is `ExportReportOptions`, an array's item adds `Item`, a map's value
    `Value`, a branch of anyOf `Variant<n>`. It depends on nothing but the owner and the path,
    so adding, removing or reordering other tools renames no class. Two places of one owner
    that give the same name are numbered in the owner's order; a name another owner, a named
    type or an argument model already has is numbered too, and reported as a clash (TS308).
    """
    owners: list[tuple[str, str, ir.Schema]] = [
        (f"tool {tool.name!r}", _owner_prefix(argument_classes[tool.name]), tool.parameters)
        for tool in toolset.tools
        if isinstance(tool, ir.FunctionTool) and tool.name in argument_classes
    ]
    owners += [(f"type {named.name!r}", pascal_case(named.name), named.schema) for named in toolset.types]
    reserved = {name: f"the named type {named.name!r}" for named in toolset.types for name in _type_names(named)}
    reserved |= {name: f"the argument model of tool {tool!r}" for tool, name in argument_classes.items()}
    reserved |= {name: "a name models.py imports" for name in MODULE_NAMES}
    wanted: list[tuple[str, str, YamlPath]] = []
    for owner, prefix, root in owners:
        for at, segments in _inline_objects(root):
            wanted.append((owner, prefix + "".join(segments), at))
    by_name: dict[str, list[str]] = {}
    for owner, name, _ in wanted:
        by_name.setdefault(name, []).append(owner)
    allocated: dict[YamlPath, InlineClass] = {}
    taken = set(reserved)
    for owner, name, at in wanted:
        if at in allocated:
            continue  # one node reached twice (a YAML alias): one class
        others = [other for other in by_name[name] if other != owner]
        clash = reserved.get(name) or (f"an object of {others[0]}" if others else None)
        candidate, number = name, 2
        while candidate in taken:
            candidate, number = f"{name}{number}", number + 1
        taken.add(candidate)
        allocated[at] = InlineClass(candidate, owner, at, name, clash)
    return allocated


MODULE_NAMES = frozenset(
    {
        "Annotated", "Any", "AnyUrl", "AwareDatetime", "BaseModel", "ConfigDict", "Field", "Literal",
        "RootModel", "StrictBool", "StrictBytes", "StrictFloat", "StrictInt", "StrictStr", "ToolArguments",
        "UUID", "annotations", "date", "datetime", "time", "timedelta",
    }
)  # fmt: skip
"""Names models.py may import: a class of the same name would shadow the import."""


def _type_names(named: ir.NamedType) -> set[str]:
    """The named type's name, and the class name datamodel-code-generator may make of it."""
    return {named.name, pascal_case(named.name)}


def _segment(name: str) -> str:
    return "".join(word[:1].upper() + word[1:] for word in _WORDS.findall(name)) or "Property"


def _owner_prefix(argument_class: str) -> str:
    suffix = "Arguments"
    return argument_class[: -len(suffix)] if argument_class.endswith(suffix) else argument_class


def _inline_objects(root: ir.Schema) -> list[tuple[YamlPath, tuple[str, ...]]]:
    """Every object with properties below root (not root itself, nor inside named types), in
    the order of the spec, with the name segments that lead to it."""
    return [
        (visit.schema.at, tuple(_step_segment(step) for step in visit.route))
        for visit in walk(root)
        if isinstance(visit.schema, ir.Object) and visit.schema.properties and visit.route
    ]


def _step_segment(step: Step) -> str:
    """What a step adds to the name of an inline class: a property's name, `Item`, `Value` or `Variant<n>`."""
    match step.kind:
        case "property":
            return _segment(str(step.key))
        case "items":
            return "Item"
        case "additional":
            return "Value"
        case "branch":
            assert isinstance(step.key, int)
            return f"Variant{step.key + 1}"
        case "type":
            raise AssertionError("the walk follows no reference without a toolset")
        case _:
            assert_never(step.kind)
