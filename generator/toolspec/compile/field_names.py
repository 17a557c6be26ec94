"""The Python field of each property of a toolset's objects, and the python_names that cannot be used.

A property's field is its name where that is a plain identifier, else the name
datamodel-code-generator derives (BaseModel's own names and ToolArguments' get `_`); a
`python_name` overrides it. Two properties of one object with one field are a clash (TS309),
as is a python_name that is no usable Python name.
"""

from __future__ import annotations

import functools
import keyword
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from pydantic import BaseModel

from toolspec.compile.argument_models import BASE_CLASS_NAMES
from toolspec.compile.names import HANDLER_CLASS_NAMES
from toolspec.ground.frozen import FrozenDict
from toolspec.spec import ir
from toolspec.spec.walk import walk
from toolspec.spec.yaml_source import YamlPath


@dataclass(frozen=True)
class FieldClash:
    """A property whose field another property of the same object has first."""

    at: YamlPath
    """Where to report it: the property's key, or its python_name."""
    subject: str
    """`parameter 'first_name' of tool 'f'`, `property 'b' of type 'T'`."""
    field: str
    class_name: str | None
    other: str
    other_at: YamlPath


@dataclass(frozen=True)
class InvalidPythonName:
    at: YamlPath
    """The python_name's value."""
    name: str
    why: str
    of_tool: bool
    """A tool's python_name (a method), not a property's (a field)."""


@dataclass(frozen=True)
class FieldNames:
    """The Python fields of a toolset's objects, where the spec's names do not give them alone."""

    aliases: Mapping[str, str]
    """`Class.property` -> its python_name, for datamodel-code-generator."""
    clashes: tuple[FieldClash, ...]
    invalid: tuple[InvalidPythonName, ...]
    """python_names of tools and properties that cannot be used (TS309)."""


_PLAIN_FIELD = re.compile(r"[A-Za-z][A-Za-z0-9_]*\Z")


def field_name(prop: ir.Property, siblings: Iterable[str] = ()) -> str:
    """The Python name of a property's field in its class: its python_name, else its name made
    an identifier as datamodel-code-generator makes it (`first-name` is `first_name`, `class`
    `class_`, `json` `json_`), without the number it adds where two would be one. siblings: the
    names of the object's properties (a name of ToolArguments' own gets `_` until it is none of them,
    as argument_models does)."""
    return prop.python_name if prop.python_name is not None else derived_field_name(prop.name, siblings)


def derived_field_name(name: str, siblings: Iterable[str] = ()) -> str:
    """The field a property of this name gets without a python_name (see field_name)."""
    if name in BASE_CLASS_NAMES:
        taken, target = set(siblings), f"{name}_"
        while target in taken:
            target += "_"
        return target
    if _PLAIN_FIELD.match(name) and not keyword.iskeyword(name) and not hasattr(BaseModel, name):
        return name
    return _generator_field_name(name)


@functools.cache
def _generator_field_name(name: str) -> str:
    from datamodel_code_generator.model.field_name import PydanticFieldNameResolver

    return str(PydanticFieldNameResolver().get_valid_name(name))


def field_names(
    toolset: ir.Toolset,
    argument_classes: Mapping[str, str],
    inline_classes: Mapping[YamlPath, str],
    type_classes: Mapping[str, str],
) -> FieldNames:
    """The fields of every object with properties, and what is wrong with them: two properties
    of one object that would be one field, and python_names that cannot be used."""
    roots: list[tuple[str, ir.Schema, str | None]] = []
    invalid: list[InvalidPythonName] = []
    for tool in toolset.tools:
        if tool.python_name is not None:
            invalid += _invalid(tool.python_name, (*tool.at, "python_name"), tool=True)
        if isinstance(tool, ir.FunctionTool):
            roots.append((f"tool {tool.name!r}", tool.parameters, argument_classes.get(tool.name)))
    roots += [(f"type {named.name!r}", named.schema, type_classes.get(named.name)) for named in toolset.types]
    aliases: dict[str, str] = {}
    clashes: list[FieldClash] = []
    seen: set[YamlPath] = set()
    for owner, root, root_class in roots:
        for visit in walk(root):
            node = visit.schema
            if not isinstance(node, ir.Object) or not node.properties or node.at in seen:
                continue
            seen.add(node.at)
            class_name = root_class if not visit.route else inline_classes.get(node.at)
            what = "parameter" if not visit.route and owner.startswith("tool") else "property"
            first: dict[str, ir.Property] = {}
            siblings = [prop.name for prop in node.properties]
            for prop in node.properties:
                if prop.python_name is not None:
                    invalid += _invalid(prop.python_name, (*prop.at, "python_name"), tool=False)
                    if class_name is not None:
                        aliases[f"{class_name}.{prop.name}"] = prop.python_name
                name = field_name(prop, siblings)
                if name in first:
                    other = first[name]
                    at = (*prop.at, "python_name") if prop.python_name is not None else prop.at
                    clashes.append(
                        FieldClash(at, f"{what} {prop.name!r} of {owner}", name, class_name, repr(other.name), other.at)
                    )
                first.setdefault(name, prop)
    return FieldNames(FrozenDict(aliases), tuple(clashes), tuple(invalid))


def python_name_problem(name: str, *, tool: bool) -> str | None:
    """Why name cannot be a tool's python_name (tool) or a property's; None: it can."""
    found = _invalid(name, (), tool=tool)
    return found[0].why if found else None


def _invalid(name: str, at: YamlPath, *, tool: bool) -> list[InvalidPythonName]:
    if not name.isidentifier():
        why = "is not a Python identifier"
    elif keyword.iskeyword(name):
        why = "is a Python keyword"
    elif name.startswith("_"):
        why = "starts with `_`, which Python and pydantic keep for private names"
    elif tool and name in HANDLER_CLASS_NAMES:
        why = "is a name the generated handlers class uses"
    elif not tool and (hasattr(BaseModel, name) or name in BASE_CLASS_NAMES):
        why = "is a name every argument model has (pydantic's, or toolspec's)"
    else:
        return []
    return [InvalidPythonName(at, name, why, tool)]
