"""The pydantic argument models of a toolset, written by datamodel-code-generator.

One call per toolset: its tools' argument schemas and its named types go in together as the
`$defs` of one schema, so that shared types become one class, and the generator's start-up
cost is paid once.
"""

from __future__ import annotations

import json
import re
import warnings
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from toolspec.compile.json_schema import model_definitions
from toolspec.compile.model_rewrites import Toolset, rewritten
from toolspec.compile.model_rewrites.string_checks import FORMAT_TYPES
from toolspec.runtime._base import NULL_DEFAULT_KEY, ToolArguments

if TYPE_CHECKING:
    from toolspec.spec import ir
    from toolspec.spec.yaml_source import YamlPath

BASE_CLASS_NAMES = tuple(
    sorted(name for name in vars(ToolArguments) if not name.startswith("_") and not hasattr(BaseModel, name))
)
"""What ToolArguments adds to BaseModel (`null_defaults`): a field of that name would shadow it.
datamodel-code-generator renames fields that shadow BaseModel's own names (`json` -> `json_`);
these get the same treatment."""


_CLASS = re.compile(r"^class (\w+)\(", re.MULTILINE)
_ALIAS = re.compile(r"^(\w+) = ", re.MULTILINE)
"""The classes and the type aliases a generated module defines, by name."""


class ModelGenerationError(Exception):
    """datamodel-code-generator could not produce the models a toolset needs."""


def argument_models_source(  # noqa: PLR0913 - the toolset and each of its name maps
    toolset: ir.Toolset,
    package: str,
    class_names: Mapping[str, str],
    inline_classes: Mapping[YamlPath, str] | None = None,
    type_classes: Mapping[str, str] | None = None,
    field_aliases: Mapping[str, str] | None = None,
    *,
    result_classes: Mapping[str, str] | None = None,
) -> str:
    """The body of `<toolset>/models.py` (unformatted: the caller runs black on the whole module):
    datamodel-code-generator's module, after the rewrites of model_rewrites.REWRITES.

    class_names: function tool name -> the class of its argument model; inline_classes: the YAML
    path of each object written in place -> its class, and of each constrained item, map value
    or branch -> its type alias; type_classes: named type -> its class; field_aliases:
    `Class.property` -> the Python name of its field, where the spec gives one (python_name);
    result_classes: function tool name -> its result model (a class for an object with
    properties, else a type alias: `ListPlacesResult = list[Place]`)."""
    types = {named.name: (type_classes or {}).get(named.name, named.name) for named in toolset.types}
    schema = model_definitions(toolset, class_names, inline_classes, types, result_classes)
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
    source = rewritten(source, Toolset(package, set(types.values()), set((inline_classes or {}).values())))
    classes = set(_CLASS.findall(source))  # found once: a search for each tool would read the module each time
    for tool_name, class_name in class_names.items():
        if class_name not in classes:
            raise ModelGenerationError(
                f"the argument model of tool {tool_name!r} did not come out as class {class_name}: "
                "a named type of the toolset may clash with it; rename the type"
            )
    type_aliases = set(_ALIAS.findall(source)) if result_classes else set()
    for tool_name, result_name in (result_classes or {}).items():
        if result_name not in classes and result_name not in type_aliases:
            raise ModelGenerationError(f"the result model of tool {tool_name!r} did not come out as {result_name}")
    return source


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
