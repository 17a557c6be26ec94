"""compile_toolset: a toolset's IR compiled, once, into the value every later stage reads.

Lint rules, templates, `check` and `generate` all read a CompiledToolset; none of them calls
the schema emitter, the name allocators or the shapes again. Its schemas and definitions are
frozen (toolspec.ground.frozen), so that no reader can change what another reads or what is
written: shape_list gives plain JSON, a fresh copy, and shape_files the package's JSON files.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from toolspec.compile.argument_models import argument_models_source
from toolspec.compile.field_names import FieldNames, field_names
from toolspec.compile.json_schema import parameters_schema, result_schema
from toolspec.compile.names import (
    ARGUMENT_MODELS,
    inline_class_names,
    pascal_case,
    toolset_names,
)
from toolspec.compile.python_literal import PythonName
from toolspec.compile.shapes import SHAPES, with_result
from toolspec.ground.frozen import EMPTY, FrozenDict, freeze, plain_json, thaw
from toolspec.ground.json_file import json_file
from toolspec.spec import ir

if TYPE_CHECKING:
    from toolspec.compile.names import (
        InlineClass,
        NameClash,
        ToolsetNames,
    )
    from toolspec.compile.shapes import Shape
    from toolspec.compile.shapes.common import Definition
    from toolspec.spec.yaml_source import YamlPath


@dataclass(frozen=True)
class CompiledFunction:
    """What a function tool has besides its definitions: its schema and its Python names."""

    parameters: Mapping[str, Any]
    """The strict `parameters` schema sent to the API, named types under `$defs` (frozen)."""
    argument_class: str
    """The argument model's class, in models.py."""
    parameters_constant: str
    """The constant of tools.py that holds parameters."""
    result_class: str | None = None
    """The result model in models.py; None for a tool without `returns`."""
    result: Mapping[str, Any] | None = None
    """`returns` in plain JSON Schema, named types under `$defs` (frozen): MCP's `outputSchema`."""

    @property
    def defs(self) -> Mapping[str, Any]:
        """The named types the schema uses, by name."""
        defs: Mapping[str, Any] = self.parameters.get("$defs", EMPTY)
        return defs


@dataclass(frozen=True)
class CompiledTool:
    tool: ir.Tool
    method: str
    """The handler method that runs the tool: its Python name."""
    definitions: Mapping[str, Mapping[str, Any] | None]
    """Shape name -> the tool's definition in it (None where the API does not take the tool), frozen."""
    python_definitions: Mapping[str, Mapping[str, Any] | None]
    """The same, with a function tool's parameters standing as the name of its constant."""
    function: CompiledFunction | None
    """None for a custom tool."""
    timeout: float | None
    """Seconds a call may run: the spec's, else the configured default; None: no limit."""
    digest: str
    """The sha256 of what the API is sent of the tool (its name, description, parameters and
    definitions): equal digests, equal definitions. Project rules and the token counts compare
    digests instead of walking the definitions again on every run."""

    @property
    def name(self) -> str:
        return self.tool.name


@dataclass(frozen=True)
class CompiledToolset:
    toolset: ir.Toolset
    tools: tuple[CompiledTool, ...]
    shapes: tuple[Shape, ...]
    package: str
    """The import name of the generated package (the models import its `_base`)."""
    spec_path: str
    """The spec file, from the project root: the generated files name it."""
    handlers_class: str
    """The class a team subclasses to implement the toolset: `<Toolset>Handlers`."""
    inline_classes: Mapping[YamlPath, InlineClass] = field(default_factory=dict)
    """The class of each object with properties written in place, and the alias of each
    constrained item, map value or branch, by its YAML path."""
    type_classes: Mapping[str, str] = field(default_factory=dict)
    """The class of each named type in models.py, by the type's name."""
    name_clashes: tuple[NameClash, ...] = ()
    """Tools and types that would get a Python name another already has: lint reports them (TS309)."""
    fields: FieldNames = FieldNames({}, (), ())
    """The fields the spec names (python_name), properties that would be one field, and python_names
    that cannot be used: lint reports the last two (TS309)."""

    @property
    def name(self) -> str:
        return self.toolset.name

    @property
    def http_handlers_class(self) -> str | None:
        """The class whose methods call the API the tools' `http` keys describe:
        `<Toolset>HttpHandlers`; None when no tool has one."""
        if not self.http_tools:
            return None
        return self.handlers_class.removesuffix("Handlers") + "HttpHandlers"

    @property
    def http_tools(self) -> tuple[tuple[CompiledTool, ir.HttpBinding], ...]:
        """The function tools with an `http` key, each with it."""
        return tuple(
            (tool, tool.tool.http)
            for tool in self.tools
            if isinstance(tool.tool, ir.FunctionTool) and tool.tool.http is not None
        )

    @property
    def functions(self) -> tuple[tuple[CompiledTool, CompiledFunction], ...]:
        return tuple((tool, tool.function) for tool in self.tools if tool.function is not None)

    def shape_list(self, shape: Shape) -> list[Definition]:
        """The toolset's tools in shape, as the API takes them: plain JSON, a copy of its own."""
        return [thaw(definition) for tool in self.tools if (definition := tool.definitions[shape.name]) is not None]

    def python_shape_list(self, shape: Shape) -> tuple[Mapping[str, Any], ...]:
        """The toolset's tools in shape as tools.py writes them (python_literal): frozen, shared."""
        return tuple(d for tool in self.tools if (d := tool.python_definitions[shape.name]) is not None)

    @functools.cached_property
    def shape_files(self) -> Mapping[str, bytes]:
        """Each shape's list of the toolset's tools, as the package's JSON file of it holds them:
        made once, where the models are made (made_for_rendering)."""
        return {
            shape.name: json_file([d for tool in self.tools if (d := tool.definitions[shape.name]) is not None])
            for shape in self.shapes
        }

    @functools.cached_property
    def models_source(self) -> str:
        """The body of models.py, from datamodel-code-generator: made at most once, when first read.

        Linting never reads it; generating and checking do, so a run that only lints does not
        pay for the model generator.
        """
        classes = {tool.name: function.argument_class for tool, function in self.functions}
        results = {tool.name: function.result_class for tool, function in self.functions if function.result_class}
        inline = {at: inline.name for at, inline in self.inline_classes.items()}
        return argument_models_source(
            self.toolset, self.package, classes, inline, self.type_classes, self.fields.aliases, result_classes=results
        )


MADE_FOR_RENDERING = ("models_source", "shape_files")
"""The cached properties of a CompiledToolset whose toolset's files are to be rendered that a
worker process makes (speed/model_pool.py), the costliest parts of its files: the models
(datamodel-code-generator) and the JSON lists. They travel back with the toolset."""


def made_for_rendering(toolset: CompiledToolset) -> dict[str, object]:
    """The values of MADE_FOR_RENDERING, by name: made here if not made yet."""
    return {name: getattr(toolset, name) for name in MADE_FOR_RENDERING}


def compile_toolset(
    toolset: ir.Toolset,
    *,
    package: str,
    spec_path: str,
    shapes: Sequence[Shape] = SHAPES,
    default_timeout: float | None = None,
) -> CompiledToolset:
    """Compile toolset for the generated package package; spec_path names its spec file."""
    names = toolset_names(toolset, [*(shape.constant for shape in shapes), ARGUMENT_MODELS])
    classes = names.argument_classes
    tools = tuple(_compiled_tool(tool, toolset, shapes, names, default_timeout) for tool in toolset.tools)
    handlers_class = pascal_case(toolset.name) + "Handlers"
    inline = inline_class_names(toolset, classes, names.result_classes)
    inline_names = {at: inline.name for at, inline in inline.items()}
    fields = field_names(toolset, classes, inline_names, names.type_classes, names.result_classes)
    return CompiledToolset(
        toolset,
        tools,
        tuple(shapes),
        package,
        spec_path,
        handlers_class,
        FrozenDict(inline),
        names.type_classes,
        names.clashes,
        fields,
    )


def _compiled_tool(
    tool: ir.Tool,
    toolset: ir.Toolset,
    shapes: Sequence[Shape],
    names: ToolsetNames,
    default_timeout: float | None,
) -> CompiledTool:
    function, constant, plain = None, None, None
    if isinstance(tool, ir.FunctionTool):
        function = _function(tool, toolset, names)
        constant = PythonName(function.parameters_constant)
        if any(shape.plain for shape in shapes):
            loose = parameters_schema(replace(tool, strict=False), toolset) if tool.strict else None
            plain = function.parameters if loose is None else freeze(loose)
    parameters = function.parameters if function is not None else None
    result = function.result if function is not None else None

    def shaped(shape: Shape, stands_for: Any) -> Definition | None:
        definition = shape.definition(tool, stands_for)
        return definition if definition is None else with_result(definition, shape.result_key, result)

    definitions = {shape.name: shaped(shape, plain if shape.plain else parameters) for shape in shapes}
    # tools.py names the strict schema by its constant; a plain one is written out where it differs.
    # The schemas are frozen, and shared by the shapes' definitions: freeze takes them as they are.
    differs = plain is not parameters and plain != parameters
    in_python = {shape.name: (plain if shape.plain and differs else constant) for shape in shapes}
    return CompiledTool(
        tool=tool,
        method=names.methods[tool.name],
        definitions=freeze(definitions),
        python_definitions=FrozenDict({shape.name: freeze(shaped(shape, in_python[shape.name])) for shape in shapes}),
        function=function,
        timeout=tool.timeout if tool.timeout is not None else default_timeout,
        digest=_digest(tool, parameters, definitions),
    )


def _function(tool: ir.FunctionTool, toolset: ir.Toolset, names: ToolsetNames) -> CompiledFunction:
    result = result_schema(tool, toolset)
    return CompiledFunction(
        freeze(parameters_schema(tool, toolset)),
        names.argument_classes[tool.name],
        names.constants[tool.name],
        names.result_classes.get(tool.name),
        None if result is None else freeze(result),
    )


def _digest(tool: ir.Tool, parameters: Mapping[str, Any] | None, definitions: Mapping[str, Any]) -> str:
    sent = [tool.name, tool.description, parameters, definitions]
    text = json.dumps(sent, sort_keys=True, ensure_ascii=False, default=plain_json)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
