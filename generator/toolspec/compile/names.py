"""Python names for things named in specs, chosen once so that no template has to.

Each name depends only on the thing it names (its tool, type or path), never on the order of
the tools or on what else the toolset has: adding, removing or reordering tools renames
nothing else. A name that is also one models.py imports (`Field`, `ToolArguments`) gets
`Model` appended, a method name that is a keyword `_`. Two things the user named that would
still get the same Python name are an error (TS308 for objects written in place, TS309 for
tools, types and the fields of one object); only when that error is turned off does the later
one get a number. A tool's or a property's `python_name` is the way out the spec has: the tool's
Python names are made from it instead of its name (its handler method is the python_name
itself), a property's field is the python_name (field_names.py).
"""

from __future__ import annotations

import keyword
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import assert_never

from toolspec.compile.model_rewrites.string_checks import FORMAT_TYPES
from toolspec.spec import ir
from toolspec.spec.walk import Step, walk
from toolspec.spec.yaml_source import YamlPath

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


def module_class_name(base: str) -> str:
    """base as a class of models.py: with `Model` appended where models.py imports (or Python
    reserves) that name, as datamodel-code-generator would do, but whether or not the import is
    needed, so that the name never depends on the rest of the toolset."""
    return f"{base}Model" if base in MODULE_NAMES or keyword.iskeyword(base) else base


def type_class_name(name: str) -> str:
    """The class of a named type: its name in PascalCase (`money` and `Money` are `Money`)."""
    return module_class_name(_words(name) or "Type")


def argument_class_name(tool_name: str) -> str:
    """The class of a function tool's argument model: `get_weather` is `GetWeatherArguments`."""
    return module_class_name(pascal_case(tool_name) + "Arguments")


def method_name(tool_name: str) -> str:
    """The handler method of a tool: `get-weather` is `get_weather`, `class` is `class_`."""
    base = snake_case(tool_name)
    return f"{base}_" if keyword.iskeyword(base) or base in HANDLER_CLASS_NAMES else base


def parameters_constant_name(tool_name: str) -> str:
    """The constant of tools.py that holds a function tool's parameters schema."""
    base = re.sub(r"[^A-Za-z0-9]+", "_", tool_name).strip("_").upper() or "TOOL"
    return f"{'_' if base[0].isdigit() else ''}{base}_PARAMETERS"


HANDLER_CLASS_NAMES = frozenset({"abstractmethod"})
"""Names the body of a generated handlers class uses after its methods are defined."""


@dataclass(frozen=True)
class NameClash:
    """A tool or named type whose Python names another tool or type of the toolset has first."""

    at: YamlPath
    """Where to report it: the tool's name (its value), or the type's key under `types`."""
    subject: str
    """`tool 'get_item'` or `type 'FieldModel'`."""
    names: tuple[str, ...]
    """What it would be, each a name the other has: `the argument model GetItemArguments`."""
    other: str
    other_at: YamlPath
    is_tool: bool
    other_is_tool: bool
    notes: tuple[str, ...] = ()
    """Why a name is more than the case change of its tool's or type's name."""


@dataclass(frozen=True)
class ToolsetNames:
    """The Python names of a toolset's tools and named types, and the clashes among them."""

    argument_classes: Mapping[str, str]
    """Function tool name -> the class of its argument model, in models.py."""
    type_classes: Mapping[str, str]
    """Named type name -> its class in models.py."""
    methods: Mapping[str, str]
    """Tool name -> the handler method that runs it."""
    constants: Mapping[str, str]
    """Function tool name -> the constant of tools.py that holds its parameters schema."""
    clashes: tuple[NameClash, ...]


@dataclass(frozen=True)
class _Named:
    name: str
    subject: str
    at: YamlPath
    is_tool: bool
    python_name: str | None = None
    """A tool's python_name: its method, and the base of its other names."""

    @property
    def base(self) -> str:
        return self.python_name or self.name

    @property
    def method(self) -> str:
        given = self.python_name
        return given if given is not None and valid_python_name(given) else method_name(self.base)


@dataclass(frozen=True)
class _Wanted:
    owner: _Named
    name: str
    what: str
    note: str = ""


class _Allocator:
    """Gives each thing its wanted name; a later thing that wants a name already given is a
    clash, and gets a number only so that the code can still be written."""

    def __init__(self) -> None:
        self.clashes: dict[tuple[_Named, _Named], list[_Wanted]] = {}

    def allocate(self, wanted: Iterable[_Wanted], reserved: Iterable[str], numbered: str) -> dict[_Named, str]:
        first: dict[str, _Wanted] = {}
        taken = set(reserved)
        allocated: dict[_Named, str] = {}
        for want in wanted:
            if want.name in first:
                other = first[want.name]
                self.clashes.setdefault((want.owner, other.owner), []).extend((want, other))
            first.setdefault(want.name, want)
            candidate, number = want.name, 2
            while candidate in taken:
                candidate, number = numbered.format(want.name, number), number + 1
            taken.add(candidate)
            allocated[want.owner] = candidate
        return allocated

    def found(self) -> tuple[NameClash, ...]:
        return tuple(
            NameClash(
                owner.at,
                owner.subject,
                tuple(dict.fromkeys(want.what for want in wanted if want.owner == owner)),
                other.subject,
                other.at,
                owner.is_tool,
                other.is_tool,
                tuple(dict.fromkeys(want.note for want in wanted if want.note)),
            )
            for (owner, other), wanted in self.clashes.items()
        )


def toolset_names(toolset: ir.Toolset, module_constants: Iterable[str] = ()) -> ToolsetNames:
    """Every Python name of the toolset's tools and named types (module_constants: the constants
    of tools.py that are not a tool's)."""
    tools: dict[str, tuple[_Named, bool]] = {}
    for tool in toolset.tools:  # of two tools with one name (TS302), the first
        subject = f"tool {tool.name!r}" + (f" (python_name {tool.python_name})" if tool.python_name else "")
        at = (*tool.at, "python_name" if tool.python_name else "name")
        named = _Named(tool.name, subject, at, True, tool.python_name)
        tools.setdefault(tool.name, (named, isinstance(tool, ir.FunctionTool)))
    functions = [named for named, function in tools.values() if function]
    tools_named = [named for named, _ in tools.values()]
    types = [_Named(named.name, f"type {named.name!r}", named.at, False) for named in toolset.types]
    allocator = _Allocator()
    classes = allocator.allocate(
        [
            *(_class(named, _words(named.name) or "Type", "the class {}") for named in types),
            *(_class(named, pascal_case(named.base) + "Arguments", "the argument model {}") for named in functions),
        ],
        MODULE_NAMES,
        "{}{}",
    )
    methods = allocator.allocate(
        [_Wanted(named, named.method, f"the handler method {named.method}") for named in tools_named],
        (),
        "{}_{}",
    )
    constants = allocator.allocate(
        [
            _Wanted(named, name, f"the constant {name} of tools.py")
            for named, name in ((named, parameters_constant_name(named.base)) for named in functions)
        ],
        module_constants,
        "{}_{}",
    )
    return ToolsetNames(
        argument_classes={named.name: classes[named] for named in functions},
        type_classes={named.name: classes[named] for named in types},
        methods={named.name: name for named, name in methods.items()},
        constants={named.name: name for named, name in constants.items()},
        clashes=allocator.found(),
    )


def _class(owner: _Named, base: str, what: str) -> _Wanted:
    name = module_class_name(base)
    why = "is a Python keyword" if keyword.iskeyword(base) else "is a name models.py imports"
    note = "" if name == base else f"`{base}` {why}, so {owner.subject} is {what.format(name)}"
    return _Wanted(owner, name, what.format(name), note)


def _words(name: str) -> str:
    return "".join(word[:1].upper() + word[1:] for word in _WORDS.findall(name))


def argument_class_names(toolset: ir.Toolset) -> dict[str, str]:
    """Function tool name -> the class name of its argument model."""
    return dict(toolset_names(toolset).argument_classes)


@dataclass(frozen=True)
class InlineClass:
    """The class of an object written in place (not a named type), or the type alias of a
    constrained value written in place (an array's item, a map's value, a branch of anyOf:
    `CreateEventReminderVariant1 = Annotated[int, Field(ge=0)]`), in models.py."""

    name: str
    owner: str
    """The tool, or the named type, whose parameters or schema hold the object."""
    at: YamlPath
    wanted: str
    """The name the owner and the path give; name differs only when it clashes."""
    clashes_with: str | None = None
    """What else wanted the name, when the name had to be numbered: lint reports it (TS308)."""
    alias: bool = False
    """A type alias of a constrained value, not the class of an object."""


def inline_class_names(toolset: ir.Toolset, argument_classes: Mapping[str, str]) -> dict[YamlPath, InlineClass]:
    """The YAML path of every object with properties, and of every constrained value that is
    an array's item, a map's value or a branch of anyOf, written in place -> its class or alias.

    The name is its owner's followed by the property names that lead to it: `options` of tool
    `export_report` is `ExportReportOptions`, an array's item adds `Item`, a map's value
    `Value`, a branch of anyOf `Variant<n>`. It depends on nothing but the owner and the path,
    so adding, removing or reordering other tools renames no class. Two places of one owner
    that give the same name are numbered in the owner's order; a name another owner, a named
    type or an argument model already has is numbered too, and reported as a clash (TS308).
    """
    owners: list[tuple[str, str, ir.Schema]] = [
        (f"tool {tool.name!r}", pascal_case(tool.python_name or tool.name), tool.parameters)
        for tool in toolset.tools
        if isinstance(tool, ir.FunctionTool) and tool.name in argument_classes
    ]
    owners += [(f"type {named.name!r}", pascal_case(named.name), named.schema) for named in toolset.types]
    reserved = {type_class_name(named.name): f"the class of the named type {named.name!r}" for named in toolset.types}
    reserved |= {name: f"the argument model of tool {tool!r}" for tool, name in argument_classes.items()}
    reserved |= {name: "a name models.py imports" for name in MODULE_NAMES}
    wanted: list[tuple[str, str, YamlPath, bool]] = []
    for owner, prefix, root in owners:
        for at, segments in _inline_objects(root):
            wanted.append((owner, prefix + "".join(segments), at, False))
        for at, segments in _constrained_values(root):
            wanted.append((owner, prefix + "".join(segments), at, True))
    by_name: dict[str, list[str]] = {}
    for owner, name, _, _ in wanted:
        by_name.setdefault(name, []).append(owner)
    allocated: dict[YamlPath, InlineClass] = {}
    taken = set(reserved)
    for owner, name, at, alias in wanted:
        if at in allocated:
            continue  # one node reached twice (a YAML alias): one class
        others = [other for other in by_name[name] if other != owner]
        clash = reserved.get(name) or (f"{'a value' if alias else 'an object'} of {others[0]}" if others else None)
        candidate, number = name, 2
        while candidate in taken:
            candidate, number = f"{name}{number}", number + 1
        taken.add(candidate)
        allocated[at] = InlineClass(candidate, owner, at, name, clash, alias)
    return allocated


def valid_python_name(name: str | None) -> bool:
    """Whether a python_name can be used as it is: an identifier, no keyword, not private."""
    return name is not None and name.isidentifier() and not keyword.iskeyword(name) and not name.startswith("_")


MODULE_NAMES = frozenset(
    {
        "Annotated", "Any", "AnyUrl", "AwareDatetime", "BaseModel", "ConfigDict", "Field", "JsonDate",
        "JsonDateTime", "JsonDuration", "JsonIPv4", "JsonIPv6", "JsonString", "JsonTime", "JsonUUID", "Literal",
        "RootModel", "StrictBool", "StrictBytes", "StrictFloat", "StrictInt", "StrictStr", "ToolArguments",
        "TypeAliasType", "UUID", "annotations", "date", "datetime", "time", "timedelta",
    }
)  # fmt: skip
"""Names models.py may import: a class of the same name would shadow the import. (The Strict
types are no longer imported, since the models' configuration makes them strict; they stay here so
that a type named `StrictInt` keeps its class name, StrictIntModel, across toolspec versions.)"""


def _segment(name: str) -> str:
    return "".join(word[:1].upper() + word[1:] for word in _WORDS.findall(name)) or "Property"


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


def _constrained_values(root: ir.Schema) -> list[tuple[YamlPath, tuple[str, ...]]]:
    """Every constrained scalar below root that is an array's item, a map's value or a branch
    of anyOf, or a string of a format FORMAT_TYPES types (not inside named types), with the name
    segments that lead to it: the places datamodel-code-generator makes a RootModel for, which
    become type aliases."""
    found: list[tuple[YamlPath, tuple[str, ...]]] = []
    for visit in walk(root):
        schema = visit.schema
        if not (isinstance(schema, ir.Scalar) and visit.route and _constrained(schema)):
            continue
        inner = visit.route[-1].kind != "property"
        # A nullable string of a format with a Python type of its own is a union too.
        formatted = schema.kind == "string" and schema.format in FORMAT_TYPES
        if inner or formatted:
            found.append((schema.at, tuple(_step_segment(step) for step in visit.route)))
    return found


def _constrained(schema: ir.Scalar) -> bool:
    bounds = (schema.pattern, schema.min_length, schema.max_length, schema.minimum, schema.maximum)
    exclusive = (schema.exclusive_minimum, schema.exclusive_maximum, schema.multiple_of)
    return any(bound is not None for bound in (*bounds, *exclusive))
