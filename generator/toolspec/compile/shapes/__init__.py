"""The registry of API shapes: the forms in which tools are handed to an API, and read back.

A shape is one module (see responses.py) holding what toolspec knows of it:
- compile: NAME, CONSTANT, SDK_TYPE (optional), USAGE, a function_tool function and, if the API
  takes custom tools, custom_tool; GENERATED = True if the generated package carries the list;
- import: matches(data), whether a tool is of this shape, read(data, where), the tool as an
  importing.incoming.Incoming, and TOLD_BY, the keys that tell it (all three optional: without
  them the import does not read the shape);
- export: `toolspec export --shape NAME` writes the list the package sends for a generated shape,
  and the tools' schemas in plain JSON Schema for the others (their APIs have no strict mode).

Adding a shape is one module and one entry in KNOWN_SHAPES; the compiler, the templates, the
JSON files, `import --from` and `export --shape` read the registry. The import takes a tool to be
of the first shape here that matches it (the OpenAI shapes step aside for a tool with Anthropic's
or MCP's schema key). A reader imports what it needs of importing/ when it reads, not at the top
of its module: importing/ imports this registry.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import ModuleType
from typing import Any, assert_never

from toolspec.compile.shapes import anthropic, chat_completions, mcp, responses
from toolspec.compile.shapes.common import Definition
from toolspec.compile.shapes.incoming import Incoming
from toolspec.compile.shapes.where import Where
from toolspec.spec import ir


@dataclass(frozen=True)
class SdkType:
    """The openai SDK's type of one tool of this shape: what the generated lists are typed with."""

    module: str
    name: str


@dataclass(frozen=True)
class Reader:
    """How the import tells a source's tool of a shape, and reads it."""

    matches: Callable[[Mapping[str, Any]], bool]
    read: Callable[[Mapping[str, Any], Where], Incoming]
    told_by: str
    """The keys that tell the shape, for the message about a tool of none."""


@dataclass(frozen=True)
class Shape:
    name: str
    """Names the JSON file, `<toolset>.<name>.json`, and the shape on the command line."""
    constant: str
    """The module constant of the generated tool list, e.g. RESPONSES_TOOLS."""
    sdk_type: SdkType | None
    """None: the list is typed as plain JSON objects."""
    usage: str
    """How the list is passed to the API, for the constant's docstring."""
    function_tool: Callable[[ir.FunctionTool, Any], Definition]
    """The definition of a function tool, given what stands as its parameters."""
    custom_tool: Callable[[ir.CustomTool], Definition] | None
    """None: the API takes no custom (free-text) tools, and they are left out of its list."""
    generated: bool
    """The generated package carries this shape's list; False: only export writes it."""
    reader: Reader | None
    """None: the import does not read this shape."""

    def definition(self, tool: ir.Tool, parameters: Any) -> Definition | None:
        """tool in this shape (None for a custom tool this API does not take)."""
        match tool:
            case ir.FunctionTool():
                return self.function_tool(tool, parameters)
            case ir.CustomTool():
                return self.custom_tool(tool) if self.custom_tool is not None else None
            case _:
                assert_never(tool)


def shape_from_module(module: ModuleType) -> Shape:
    sdk_type = getattr(module, "SDK_TYPE", None)
    return Shape(
        name=module.NAME,
        constant=module.CONSTANT,
        sdk_type=SdkType(*sdk_type) if sdk_type else None,
        usage=module.USAGE,
        function_tool=module.function_tool,
        custom_tool=getattr(module, "custom_tool", None),
        generated=getattr(module, "GENERATED", False),
        reader=Reader(module.matches, module.read, module.TOLD_BY) if hasattr(module, "read") else None,
    )


KNOWN_SHAPES: tuple[Shape, ...] = tuple(
    shape_from_module(module) for module in (responses, chat_completions, anthropic, mcp)
)
"""Every API shape toolspec knows: the one list to add a shape to."""

SHAPES: tuple[Shape, ...] = tuple(shape for shape in KNOWN_SHAPES if shape.generated)
"""Every shape toolspec generates, in the order the generated code lists them."""


def shape_named(name: str) -> Shape:
    """The known shape of this name (KNOWN_SHAPES is read when asked, so a test may add one)."""
    return next(shape for shape in KNOWN_SHAPES if shape.name == name)
