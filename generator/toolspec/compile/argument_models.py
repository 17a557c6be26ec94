"""The pydantic argument models of a toolset, written by datamodel-code-generator.

One call per toolset: its tools' argument schemas and its named types go in together as the
`$defs` of one schema, so that shared types become one class, and the generator's start-up
cost is paid once.
"""

from __future__ import annotations

import ast
import json
import re
import warnings
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from pydantic import BaseModel

from toolspec.compile.json_schema import model_definitions
from toolspec.runtime._base import NULL_DEFAULT_KEY, ToolArguments
from toolspec.spec import ir
from toolspec.yaml_source import YamlPath

BASE_CLASS_NAMES = tuple(
    sorted(name for name in vars(ToolArguments) if not name.startswith("_") and not hasattr(BaseModel, name))
)
"""What ToolArguments adds to BaseModel (`null_defaults`): a field of that name would shadow it.
datamodel-code-generator renames fields that shadow BaseModel's own names (`json` -> `json_`);
these get the same treatment."""


class ModelGenerationError(Exception):
    """datamodel-code-generator could not produce the models a toolset needs."""


def argument_models_source(
    toolset: ir.Toolset,
    package: str,
    class_names: Mapping[str, str],
    inline_classes: Mapping[YamlPath, str] | None = None,
    type_classes: Mapping[str, str] | None = None,
    field_aliases: Mapping[str, str] | None = None,
) -> str:
    """The body of `<toolset>/models.py` (unformatted: the caller runs black on the whole module).

    class_names: function tool name -> the class of its argument model; inline_classes: the YAML
    path of each object written in place -> its class, and of each constrained item, map value
    or branch -> its type alias; type_classes: named type -> its class; field_aliases:
    `Class.property` -> the Python name of its field, where the spec gives one (python_name)."""
    types = {named.name: (type_classes or {}).get(named.name, named.name) for named in toolset.types}
    schema = model_definitions(toolset, class_names, inline_classes, types)
    schema = _string_format_types(schema, package)
    if not schema["$defs"]:
        return ""
    aliases = {**_base_class_aliases(schema["$defs"]), **(field_aliases or {})}
    try:
        source = _generate(json.dumps(schema), base_class=f"{package}._base.ToolArguments", aliases=aliases)
    except ModelGenerationError:
        raise
    except Exception as error:  # datamodel-code-generator's own errors: a message, not a traceback
        if type(error).__module__.split(".")[0] != "datamodel_code_generator":
            raise
        raise ModelGenerationError(
            f"datamodel-code-generator could not write the models of toolset {toolset.name!r}: {error}"
        ) from None
    if source is None:
        raise ModelGenerationError(f"datamodel-code-generator returned no module for toolset {toolset.name!r}")
    source = re.sub(r"\A(#[^\n]*\n)+\n*", "", source)
    # Written for the types of FORMAT_TYPES, which pydantic knows: the option is not needed.
    source = re.sub(r"^ *arbitrary_types_allowed=True,\n", "", source, flags=re.MULTILINE)
    alias_names = set((inline_classes or {}).values())
    source = _strict_root_models(_inline_made_up_root_models(source, set(types.values()), alias_names))
    source = _string_checks_on_the_string(source, package)
    source = _null_means_default(source, package)
    source = _evaluated_annotations(source)
    # An alias that replaced a class right after the imports: one blank line, as black has it
    # (ruff, which formats, keeps the two a class had).
    source = re.sub(r"^((?:from|import) [^\n]*\n)\n{2,}(?=\w+ = )", r"\1\n", source, count=1, flags=re.MULTILINE)
    for tool_name, class_name in class_names.items():
        if not re.search(rf"^class {class_name}\(", source, re.MULTILINE):
            raise ModelGenerationError(
                f"the argument model of tool {tool_name!r} did not come out as class {class_name}: "
                "a named type of the toolset may clash with it; rename the type"
            )
    return source


FORMAT_TYPES = {
    "date-time": "JsonDateTime",
    "date": "JsonDate",
    "time": "JsonTime",
    "duration": "JsonDuration",
    "uuid": "JsonUUID",
    "ipv4": "JsonIPv4",
    "ipv6": "JsonIPv6",
}
"""The string formats whose Python type is not str -> its type in _base.py, which takes, in
Python, an instance or a str as JSON does (strict mode alone takes only the instance there)."""

STRING_CHECKS = ("pattern", "min_length", "max_length")
"""The constraints of a string (`Field` keywords) that only a str has: on a type of FORMAT_TYPES
they go to _base.JsonString, which checks the string before it is parsed."""


def _string_format_types(node: Any, package: str) -> Any:
    """node with each string format of FORMAT_TYPES typed by its _base.py type."""
    if isinstance(node, list):
        return [_string_format_types(item, package) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: _string_format_types(value, package) for key, value in node.items()}
    form = node.get("format")  # in `properties`, "format" may be a parameter's name
    if not isinstance(form, str) or form not in FORMAT_TYPES or node.get("type") not in ("string", ["string", "null"]):
        return out
    string = {"type": "string", "customTypePath": f"{package}._base.{FORMAT_TYPES[node['format']]}"}
    if node["type"] == "string":
        return {**out, **string}
    # datamodel-code-generator would drop the null of ["string", "null"] beside a customTypePath.
    inner = ("type", "format", "pattern", "minLength", "maxLength")
    string.update({key: value for key, value in out.items() if key in inner[2:]})
    outer = {key: value for key, value in out.items() if key not in inner}
    return {**outer, "anyOf": [string, {"type": "null"}]}


def _base_class_aliases(definitions: Mapping[str, Any]) -> dict[str, str]:
    """`Class.field` -> a Python name, for each property named like what ToolArguments adds.

    The name is the property's with `_` appended (as datamodel-code-generator does for
    BaseModel's own names), and more `_` while the class has a property of that name already:
    it depends on the class alone.
    """
    aliases: dict[str, str] = {}
    for class_name, definition in definitions.items():
        properties = definition.get("properties", {}) if isinstance(definition, dict) else {}
        for name in BASE_CLASS_NAMES:
            if name in properties:
                target = f"{name}_"
                while target in properties:
                    target += "_"
                aliases[f"{class_name}.{name}"] = target
    return aliases


def load_model_generator() -> None:
    """Import what datamodel-code-generator imports on its first call (most of it, ~0.3 s), by
    making the models of a one-class schema: a worker process does it before any toolset comes."""
    tiny = {"$defs": {"Tiny": {"type": "object", "properties": {}, "additionalProperties": False}}}
    _generate(json.dumps(tiny), base_class="pydantic.BaseModel", aliases={})


def _generate(schema: str, *, base_class: str, aliases: Mapping[str, str]) -> str | None:
    """datamodel-code-generator's pydantic module for a JSON Schema, as toolspec configures it."""
    from datamodel_code_generator import generate
    from datamodel_code_generator.enums import DataModelType, InputFileType
    from datamodel_code_generator.format import PythonVersion
    from datamodel_code_generator.parser import LiteralType

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # its deprecation notices are for its own CLI users
        source = generate(
            schema,
            input_file_type=InputFileType.JsonSchema,
            output_model_type=DataModelType.PydanticV2BaseModel,
            target_python_version=PythonVersion.PY_311,
            base_class=base_class,
            use_annotated=True,
            field_constraints=True,
            use_union_operator=True,
            use_standard_collections=True,
            use_schema_description=True,
            # A field's description as its docstring, not in its Field(): the model reads it in
            # the tool's definition, a person reads it here, and pydantic need not make a
            # FieldInfo for it (~10 % of importing a large package).
            use_field_description=True,
            use_double_quotes=True,
            enum_field_as_literal=LiteralType.All,
            # Plain `str`, `int`...: every model is strict (ToolArguments' config, and
            # _strict_root_models'), so "5" is no integer and true no number without StrictInt,
            # whose Annotated pydantic would unpack in every field (~3 % of an import).
            strict_nullable=True,
            # email-validator is not a dependency of the generated code: emails and host
            # names stay plain strings.
            type_mappings=["email=string", "hostname=string"],
            field_extra_keys={NULL_DEFAULT_KEY},
            aliases=dict(aliases),
            skip_root_model=True,
            disable_timestamp=True,
            formatters=[],
        )
    return source if isinstance(source, str) else None


def _inline_made_up_root_models(source: str, type_classes: set[str], alias_names: set[str]) -> str:
    """Turn the RootModel classes (and TypeAliasTypes) datamodel-code-generator makes up for a
    constrained union branch, array item or map value into plain type aliases, so that the
    handler gets plain values: `int | timedelta`, not `Reminder | timedelta` with the int in
    `Reminder.root`.

    `CreateEventReminderVariant1 = Annotated[int, Field(ge=0)]` keeps the constraint, and
    the model's strict configuration applies to it. The alias is named by the `title` the schema
    gave the value (its tool or type and path, names.inline_class_names), not by the generator,
    whose names depend on the other tools. Named types stay classes: the spec names them.
    """
    # No `X.model_rebuild()`: the models are built when first used (ToolArguments defers the
    # build), when every class of the module is defined; a rebuild at import would build X then.
    source = re.sub(r"^\w+\.model_rebuild\(\)$\n?", "", source, flags=re.MULTILINE)
    module = ast.parse(source)
    lines = _lines(source)
    renames: dict[str, str] = {}
    replacements: list[tuple[int, int, str]] = []
    for node in module.body:
        made_up = _made_up_alias(node, type_classes)
        if made_up is None:
            continue
        name, annotation = made_up
        title = _title(annotation)
        renames[name] = title if title in alias_names else name
        assert node.end_lineno is not None
        replacements.append((node.lineno - 1, node.end_lineno, f"{name} = {_without_description(annotation)}\n"))
    if not renames:
        return _without_titles(source, alias_names)
    for start, end, text in reversed(replacements):
        lines[start:end] = [text]
    source = "".join(lines)
    source = _rename(_without_titles(source, alias_names), {old: new for old, new in renames.items() if old != new})
    if not re.search(r"\bRootModel\[", source):
        source = _not_importing(source, "pydantic", "RootModel")
    if "TypeAliasType(" not in source:
        source = _not_importing(source, "typing_extensions", "TypeAliasType")
    return source


def _not_importing(source: str, module: str, name: str) -> str:
    """source without name in its `from module import ...` line (without the line, if name was
    all it imported)."""
    line = re.search(rf"^from {re.escape(module)} import (.*)\n", source, re.MULTILINE)
    if line is None:
        return source
    names = [imported for imported in line.group(1).split(", ") if imported != name]
    kept = f"from {module} import {', '.join(names)}\n" if names else ""
    return source[: line.start()] + kept + source[line.end() :]


def _lines(source: str) -> list[str]:
    """The lines of source as ast numbers them (str.splitlines also breaks at \\x0c, \\u2028, ...)."""
    return re.split(r"(?<=\n)", source)


def _made_up_alias(node: ast.stmt, type_classes: set[str]) -> tuple[str, ast.expr] | None:
    """The name and type of a RootModel class, or a `X = TypeAliasType("X", ...)`, that the
    generator made up (not a named type's)."""
    if isinstance(node, ast.ClassDef) and _is_root_model(node) and node.name not in type_classes:
        root = next(s for s in node.body if isinstance(s, ast.AnnAssign) and ast.unparse(s.target) == "root")
        return node.name, root.annotation
    if (
        isinstance(node, ast.Assign)
        and len(node.targets) == 1
        and isinstance(target := node.targets[0], ast.Name)
        and target.id not in type_classes
        and isinstance(node.value, ast.Call)
        and ast.unparse(node.value.func) == "TypeAliasType"
        and len(node.value.args) == 2
    ):
        return target.id, node.value.args[1]
    return None


def _title(annotation: ast.expr) -> str | None:
    for node in ast.walk(annotation):
        if isinstance(node, ast.Call) and ast.unparse(node.func) == "Field":
            for k in node.keywords:
                if k.arg == "title" and isinstance(k.value, ast.Constant) and isinstance(k.value.value, str):
                    return k.value.value
    return None


def _without_titles(source: str, alias_names: set[str]) -> str:
    """source without the `title=` keywords of the alias names, where a title reached a field
    (a string of a format that turned out not to be nullable, so no alias was made of it)."""
    if "title=" not in source:
        return source
    edits = _ByteEdits(source)
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Call) and ast.unparse(node.func) == "Field"):
            continue
        arguments: list[ast.expr | ast.keyword] = [*node.args, *node.keywords]
        for index, argument in enumerate(arguments):
            if not (
                isinstance(argument, ast.keyword)
                and argument.arg == "title"
                and isinstance(argument.value, ast.Constant)
                and argument.value.value in alias_names
            ):
                continue
            start, end = edits.span(argument)
            if index > 0:  # from the end of the argument before: `, title='X'`
                start = edits.span(arguments[index - 1])[1]
            elif index + 1 < len(arguments):  # to the start of the one after: `title='X', `
                end = edits.span(arguments[index + 1])[0]
            edits.replace(start, end, "")
    return edits.applied().decode("utf-8")


class _ByteEdits:
    """Edits of a module's UTF-8 bytes at ast positions (whose columns count bytes), applied
    together from the end, so that none moves another's offsets."""

    def __init__(self, source: str) -> None:
        self.encoded = source.encode("utf-8")
        self.offset = _byte_offsets(source)
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

    def applied(self) -> bytes:
        encoded = self.encoded
        for start, end, text in sorted(self.edits, reverse=True):
            encoded = encoded[:start] + text.encode("utf-8") + encoded[end:]
        return encoded


def _byte_offsets(source: str) -> Callable[[int, int], int]:
    """The offset in source's UTF-8 bytes of an ast position (line, column)."""
    starts = [0]
    for line in _lines(source):
        starts.append(starts[-1] + len(line.encode("utf-8")))

    def offset(line: int, column: int) -> int:
        return starts[line - 1] + column  # ast's columns count bytes

    return offset


def _string_checks_on_the_string(source: str, package: str) -> str:
    """source with the string checks (STRING_CHECKS) of each type of FORMAT_TYPES moved from
    its `Field` to a `JsonString` of _base.py.

    datamodel-code-generator writes `Annotated[JsonDateTime, Field(description=..., max_length=40)]`
    wherever such a string is (a field, a named type's root, the alias of an item, a branch or a
    nullable string), and pydantic would check the length of the datetime it parsed, a TypeError.
    `Annotated[JsonDateTime, JsonString(max_length=40), Field(description=...)]` checks the JSON
    string, as the API schema does, and still gives the handler the datetime. An optional
    parameter of a non-strict tool is `JsonDateTime | None`: its checks go with the datetime,
    `Annotated[Annotated[JsonDateTime, JsonString(max_length=40)] | None, Field(...)]`.
    """
    module = ast.parse(source)
    base = _base_import(module, package)
    if base is None:
        return source
    format_types = {alias.asname or alias.name for alias in base.names} & set(FORMAT_TYPES.values())
    edits = _ByteEdits(source)
    for node in _checked_annotations(module, format_types):
        edits.replace(*edits.span(node), _checks_apart(node, edits.text))
    if not edits.edits:
        return source
    return _importing(edits, base, package, "JsonString")


def _base_import(module: ast.Module, package: str) -> ast.ImportFrom | None:
    """The module's `from <package>._base import ...`, if it has one."""
    return next(
        (node for node in module.body if isinstance(node, ast.ImportFrom) and node.module == f"{package}._base"),
        None,
    )


def _importing(edits: _ByteEdits, base: ast.ImportFrom, package: str, name: str) -> str:
    """The module, edited, with name imported from _base too (an edit of the import itself)."""
    names = ", ".join(sorted([*map(ast.unparse, base.names), name]))
    edits.replace(*edits.span(base), f"from {package}._base import {names}")
    return edits.applied().decode("utf-8")


def _checked_annotations(module: ast.Module, format_types: set[str]) -> Iterator[ast.Subscript]:
    """Each `Annotated[T, ..., Field(...)]` whose T is a type of format_types (or it or None)
    and whose Field has string checks."""
    for node in _annotated(module):
        assert isinstance(node.slice, ast.Tuple)
        typed, *metadata = node.slice.elts
        if isinstance(typed, ast.BinOp) and isinstance(typed.op, ast.BitOr) and _is_none(typed.right):
            typed = typed.left
        if isinstance(typed, ast.Name) and typed.id in format_types and any(_checks(m) for m in metadata):
            yield node


def _annotated(module: ast.Module) -> Iterator[ast.Subscript]:
    """Each `Annotated[T, ...]` of the module."""
    for node in ast.walk(module):
        if (
            isinstance(node, ast.Subscript)
            and isinstance(node.value, ast.Name)
            and node.value.id == "Annotated"
            and isinstance(node.slice, ast.Tuple)
        ):
            yield node


def _checks(node: ast.expr) -> list[ast.keyword]:
    """The string checks of a `Field(...)` call."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "Field":
        return [k for k in node.keywords if k.arg in STRING_CHECKS]
    return []


def _is_none(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value is None


def _checks_apart(annotated: ast.Subscript, text: Callable[[ast.expr | ast.keyword], str]) -> str:
    """The Annotated (from _checked_annotations) with the string checks of its Field in a
    `JsonString` beside the type (and the Field left out when nothing else is left in it), each
    argument written as it was."""
    assert isinstance(annotated.slice, ast.Tuple)
    typed, *metadata = annotated.slice.elts
    checks: list[str] = []
    kept: list[str] = []
    for node in metadata:
        if not (found := _checks(node)):
            kept.append(text(node))
            continue
        assert isinstance(node, ast.Call)
        checks += map(text, found)
        rest = [*map(text, node.args), *(text(k) for k in node.keywords if k not in found)]
        kept += [f"Field({', '.join(rest)})"] if rest else []
    checked = f"JsonString({', '.join(checks)})"
    if isinstance(typed, ast.Name):
        return f"Annotated[{', '.join([text(typed), checked, *kept])}]"
    assert isinstance(typed, ast.BinOp)  # `T | None`: the checks go with T
    optional = f"Annotated[{text(typed.left)}, {checked}] | None"
    return f"Annotated[{', '.join([optional, *kept])}]" if kept else optional


def _rename(source: str, renames: Mapping[str, str]) -> str:
    """source with every use of the names renames maps (not a field of that name) renamed."""
    if not renames:
        return source
    fields: set[int] = set()
    for node in ast.walk(module := ast.parse(source)):
        if isinstance(node, ast.ClassDef):
            fields |= {id(s.target) for s in node.body if isinstance(s, ast.AnnAssign)}
    places: dict[int, list[tuple[int, int, str]]] = {}
    for node in ast.walk(module):
        if isinstance(node, ast.Name) and node.id in renames and id(node) not in fields:
            assert node.end_col_offset is not None
            places.setdefault(node.lineno - 1, []).append((node.col_offset, node.end_col_offset, renames[node.id]))
    lines = _lines(source)
    for number, spots in places.items():
        line = lines[number].encode("utf-8")  # ast's columns count bytes
        for start, end, name in sorted(spots, reverse=True):
            line = line[:start] + name.encode("utf-8") + line[end:]
        lines[number] = line.decode("utf-8")
    return "".join(lines)


def _is_root_model(node: ast.ClassDef) -> bool:
    return any(isinstance(b, ast.Subscript) and ast.unparse(b.value) == "RootModel" for b in node.bases)


def _without_description(annotation: ast.expr) -> str:
    """The annotation of a RootModel's root, without the description and extra keys
    datamodel-code-generator copied from the parent (they are the field's), and the title that
    names it."""
    for node in ast.walk(annotation):
        if isinstance(node, ast.Call) and ast.unparse(node.func) == "Field":
            node.keywords = [k for k in node.keywords if k.arg not in ("description", "json_schema_extra", "title")]
    return ast.unparse(annotation)


_ROOT_MODEL = re.compile(r"^class \w+\(RootModel\[.*\]\):\n(    \"\"\"(?:.|\n)*?\"\"\"\n)?", re.MULTILINE)


def _strict_root_models(source: str) -> str:
    """Make every RootModel validate strictly and build when first used, as ToolArguments does.

    datamodel-code-generator writes a RootModel for a constrained union member or array item,
    and a RootModel does not inherit the base class's `strict=True`: in lax mode it would take
    `0` for a duration or `"5"` for a number inside it.
    """
    if not _ROOT_MODEL.search(source):
        return source
    if not re.search(r"^from pydantic import [^\n]*\bConfigDict\b", source, re.MULTILINE):
        source = source.replace("from pydantic import ", "from pydantic import ConfigDict, ", 1)
    config = "    model_config = ConfigDict(strict=True, defer_build=True)\n"
    return _ROOT_MODEL.sub(lambda match: match.group(0) + config, source)


def _null_means_default(source: str, package: str) -> str:
    """source with a `NullMeansDefault(default)` of _base.py after the `Field` of each parameter
    whose null stands for its default (its `json_schema_extra` has NULL_DEFAULT_KEY).

    In the annotation, pydantic finds it whenever it builds the field: in the model's own
    (deferred) build, in the build of a model that holds it, and after a forward reference is
    resolved, when pydantic collects the field again.
    """
    module = ast.parse(source)
    edits = _ByteEdits(source)
    for node in _annotated(module):
        assert isinstance(node.slice, ast.Tuple)
        default = next(filter(None, map(_null_default, node.slice.elts[1:])), None)
        if default is not None:
            end = edits.span(node.slice.elts[-1])[1]
            edits.replace(end, end, f", NullMeansDefault({edits.text(default)})")
    if not edits.edits:
        return source
    base = _base_import(module, package)
    assert base is not None, "a model with a null default imports ToolArguments from _base"
    return _importing(edits, base, package, "NullMeansDefault")


def _null_default(node: ast.expr) -> ast.expr | None:
    """The value of NULL_DEFAULT_KEY in the `json_schema_extra` of a `Field(...)` call."""
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "Field"):
        return None
    for keyword in node.keywords:
        if keyword.arg == "json_schema_extra" and isinstance(keyword.value, ast.Dict):
            for key, value in zip(keyword.value.keys, keyword.value.values, strict=True):
                if isinstance(key, ast.Constant) and key.value == NULL_DEFAULT_KEY:
                    return value
    return None


def _evaluated_annotations(source: str) -> str:
    """source without `from __future__ import annotations`, each name of a class it defines at or
    after the annotation that uses it written as a string (a forward reference).

    With postponed annotations, pydantic compiles and evaluates every annotation's string when
    it makes the class: most of the cost of importing a large package. Evaluated by Python as the
    class body runs, they cost a fraction of that; only a reference to a class not yet defined
    (the class itself, in a recursive type) is left to pydantic to resolve, at the model's build.
    A string stands for the smallest expression around the name that is not a union, so that
    `Node | None` becomes `"Node | None"` (a str has no `|`) and `list[Node]`, `list["Node"]`.
    """
    source = re.sub(r"^from __future__ import annotations\n", "", source, count=1, flags=re.MULTILINE)
    module = ast.parse(source)
    defined = _definition_order(module)
    spans: list[ast.expr] = []
    for index, statement in enumerate(module.body):
        if not isinstance(statement, ast.ClassDef):
            continue
        later = {name for name, at in defined.items() if at >= index}
        for item in statement.body:
            if isinstance(item, ast.AnnAssign):
                spans += _forward_references(item.annotation, later)
    if not spans:
        return source
    edits = _ByteEdits(source)
    for node in spans:
        edits.replace(*edits.span(node), json.dumps(ast.unparse(node)))
    return edits.applied().decode("utf-8")


def _definition_order(module: ast.Module) -> dict[str, int]:
    """Each name the module defines (a class, an alias) -> the index of its first definition."""
    defined: dict[str, int] = {}
    for index, statement in enumerate(module.body):
        if isinstance(statement, ast.ClassDef):
            defined.setdefault(statement.name, index)
        elif isinstance(statement, ast.Assign | ast.AnnAssign):
            targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
            for target in targets:
                if isinstance(target, ast.Name):
                    defined.setdefault(target.id, index)
    return defined


def _forward_references(annotation: ast.expr, later: set[str]) -> Iterator[ast.expr]:
    """The parts of annotation to write as strings: each name of later, with the union it is in.

    Not inside a call (`Field(...)`, `NullMeansDefault(...)`): its arguments are values.
    """
    if isinstance(annotation, ast.Call | ast.Constant):
        return
    if isinstance(annotation, ast.BinOp) and isinstance(annotation.op, ast.BitOr):
        if any(isinstance(node, ast.Name) and node.id in later for node in _union_members(annotation)):
            yield annotation
            return
    if isinstance(annotation, ast.Name):
        if annotation.id in later:
            yield annotation
        return
    for child in ast.iter_child_nodes(annotation):
        if isinstance(child, ast.expr):
            yield from _forward_references(child, later)


def _union_members(union: ast.expr) -> Iterator[ast.expr]:
    """The members of `A | B | C`, each as written (a subscript, a name...)."""
    if isinstance(union, ast.BinOp) and isinstance(union.op, ast.BitOr):
        yield from _union_members(union.left)
        yield from _union_members(union.right)
    else:
        yield union
