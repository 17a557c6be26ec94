"""compile_toolset: a toolset's IR compiled, once, into the value every later stage reads.

Lint rules, templates, `check` and `generate` all read a CompiledToolset; none of them calls
the schema emitter, the name allocators or the shapes again. Its schemas and definitions are
frozen (toolspec.ground.frozen), so that no reader can change what another reads or what is
written: shape_list gives plain JSON, a fresh copy, for the output files.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from toolspec.compile.argument_models import argument_models_source
from toolspec.compile.field_names import FieldNames, field_names
from toolspec.compile.json_schema import parameters_schema
from toolspec.compile.names import (
    ARGUMENT_MODELS,
    InlineClass,
    NameClash,
    inline_class_names,
    pascal_case,
    toolset_names,
)
from toolspec.compile.python_literal import PythonName
from toolspec.compile.shapes import SHAPES, Shape
from toolspec.compile.shapes.common import Definition
from toolspec.ground.frozen import EMPTY, FrozenDict, freeze, thaw
from toolspec.spec import ir
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
    def functions(self) -> tuple[tuple[CompiledTool, CompiledFunction], ...]:
        return tuple((tool, tool.function) for tool in self.tools if tool.function is not None)

    def shape_list(self, shape: Shape, *, python: bool = False) -> list[Definition]:
        """The toolset's tools in shape, as the API takes them (python: as tools.py writes them):
        plain JSON, a copy of its own."""
        return [
            thaw(definition)
            for tool in self.tools
            if (definition := (tool.python_definitions if python else tool.definitions)[shape.name]) is not None
        ]

    @functools.cached_property
    def models_source(self) -> str:
        """The body of models.py, from datamodel-code-generator: made at most once, when first read.

        Linting never reads it; generating and checking do, so a run that only lints does not
        pay for the model generator.
        """
        classes = {tool.name: function.argument_class for tool, function in self.functions}
        inline = {at: inline.name for at, inline in self.inline_classes.items()}
        return argument_models_source(
            self.toolset, self.package, classes, inline, self.type_classes, self.fields.aliases
        )


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
    classes, constants, methods = names.argument_classes, names.constants, names.methods
    tools: list[CompiledTool] = []
    for tool in toolset.tools:
        function, constant = None, None
        if isinstance(tool, ir.FunctionTool):
            schema = freeze(parameters_schema(tool, toolset))
            function = CompiledFunction(schema, classes[tool.name], constants[tool.name])
            constant = PythonName(function.parameters_constant)
        parameters = function.parameters if function is not None else None
        definitions = {shape.name: shape.definition(tool, parameters) for shape in shapes}
        tools.append(
            CompiledTool(
                tool=tool,
                method=methods[tool.name],
                definitions=freeze(definitions),
                python_definitions=FrozenDict(
                    {shape.name: freeze(shape.definition(tool, constant)) for shape in shapes}
                ),
                function=function,
                timeout=tool.timeout if tool.timeout is not None else default_timeout,
                digest=_digest(tool, parameters, definitions),
            )
        )
    handlers_class = pascal_case(toolset.name) + "Handlers"
    inline = inline_class_names(toolset, classes)
    fields = field_names(toolset, classes, {at: inline.name for at, inline in inline.items()}, names.type_classes)
    return CompiledToolset(
        toolset,
        tuple(tools),
        tuple(shapes),
        package,
        spec_path,
        handlers_class,
        FrozenDict(inline),
        names.type_classes,
        names.clashes,
        fields,
    )


def _digest(tool: ir.Tool, parameters: Mapping[str, Any] | None, definitions: Mapping[str, Any]) -> str:
    sent = [tool.name, tool.description, thaw(parameters), thaw(definitions)]
    return hashlib.sha256(json.dumps(sent, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()
