"""Compare the Python API of one toolset on both sides: the classes of models.py, their fields'
Python names and types. The classes are read from the generated source itself (as
datamodel-code-generator writes it), so the names are the ones handler code uses."""

from __future__ import annotations

import ast
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from toolspec.compile.names import pascal_case
from toolspec.spec import ir

if TYPE_CHECKING:
    from toolspec.breaking.changes import ObjectPair, Recorder
    from toolspec.compile.toolset import CompiledToolset
    from toolspec.spec.yaml_source import YamlPath


@dataclass(frozen=True)
class PythonField:
    name: str
    """Its Python name (the spec's name is its alias when they differ)."""
    annotation: str
    """Its type as models.py writes it, without the `Field(...)` of `Annotated`."""


@dataclass(frozen=True)
class PythonClass:
    name: str
    fields: Mapping[str, PythonField]
    """By the spec's name of each property."""


def python_classes(compiled: CompiledToolset) -> dict[YamlPath, PythonClass]:
    """The class of each object of the toolset that has one, by the object's YAML path: argument
    models, the classes of objects written in place, and named types."""
    parsed = _classes(compiled.models_source)
    names: dict[YamlPath, str] = {at: inline.name for at, inline in compiled.inline_classes.items()}
    for tool, function in compiled.functions:
        if isinstance(tool.tool, ir.FunctionTool):
            names[tool.tool.parameters.at] = function.argument_class
    for named in compiled.toolset.types:
        found = next((name for name in (named.name, pascal_case(named.name)) if name in parsed), None)
        if found is not None:
            names[named.schema.at] = found
    return {at: PythonClass(name, parsed[name]) for at, name in names.items() if name in parsed}


def _classes(source: str) -> dict[str, dict[str, PythonField]]:
    classes: dict[str, dict[str, PythonField]] = {}
    for node in ast.parse(source).body:
        if isinstance(node, ast.ClassDef):
            fields = classes.setdefault(node.name, {})
            for statement in node.body:
                if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
                    key, field = _field(statement.target.id, statement.annotation)
                    fields[key] = field
    return classes


def _field(name: str, annotation: ast.expr) -> tuple[str, PythonField]:
    """(the spec's name, the field) of a field declared `name: annotation`."""
    alias = None
    if (
        isinstance(annotation, ast.Subscript)
        and isinstance(annotation.value, ast.Name)
        and annotation.value.id == "Annotated"
        and isinstance(annotation.slice, ast.Tuple)
    ):
        kind, *extras = annotation.slice.elts
        for extra in extras:
            if isinstance(extra, ast.Call):
                alias = next((k.value for k in extra.keywords if k.arg == "alias"), None)
        annotation = kind
    spec_name = alias.value if isinstance(alias, ast.Constant) and isinstance(alias.value, str) else name
    return spec_name, PythonField(name, ast.unparse(annotation))


def compare_classes(rec: Recorder, old: Mapping[YamlPath, PythonClass], new: Mapping[YamlPath, PythonClass]) -> None:
    """The classes of the objects paired on the way through the schemas: renamed classes, and
    fields removed, renamed or of another type (a type that only names a renamed class is the same)."""
    pairs: dict[tuple[YamlPath, YamlPath], ObjectPair] = {}
    for pair in rec.objects:
        pairs.setdefault((pair.old.at, pair.new.at), pair)
    known = [(pair, old[o], new[n]) for (o, n), pair in pairs.items() if o in old and n in new]
    renamed = {before.name: after.name for _, before, after in known if before.name != after.name}
    for pair, before, after in known:
        if before.name != after.name:
            _class_renamed(rec, pair, before.name, after.name)
        kept = {old_property.name for old_property, _ in pair.properties}
        for gone in pair.old.properties:
            field = before.fields.get(gone.name)
            if gone.name not in kept and field is not None:
                message = f"field `{field.name}` of `{after.name}` was removed"
                rec.at_old("TS726", gone.at, message, pair.tool, anchor=pair.new.at)
        for old_property, new_property in pair.properties:
            was, now = before.fields.get(old_property.name), after.fields.get(new_property.name)
            if was is None or now is None:
                continue
            where = f"field `{now.name}` of `{after.name}`"
            if was.name != now.name:
                message = f"field `{was.name}` of `{after.name}` is now `{now.name}`"
                rec.at_new("TS722", new_property.at, message, pair.tool)
            if _with_names(was.annotation, renamed) != now.annotation:
                message = f"{where} is now `{now.annotation}` (it was `{was.annotation}`)"
                rec.at_new("TS724", new_property.at, message, pair.tool)


def _class_renamed(rec: Recorder, pair: ObjectPair, old: str, new: str) -> None:
    at = pair.new.at
    if len(at) == 3 and at[0] == "tools" and at[2] == "parameters":
        message = f"tool {pair.tool!r}: the argument model is now `{new}` (it was `{old}`)"
        rec.at_new("TS721", (*at[:2], "name"), message, pair.tool)
    else:
        rec.at_new("TS721", at, f"class `{old}` is now `{new}`", pair.tool)


def _with_names(annotation: str, renamed: Mapping[str, str]) -> str:
    """annotation with the classes of renamed called by their new names."""
    if not renamed:
        return annotation
    tree = ast.parse(annotation, mode="eval")
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id in renamed:
            node.id = renamed[node.id]
    return ast.unparse(tree)
