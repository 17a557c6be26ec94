"""The registry of API shapes: the forms in which a toolset's tools are handed to an API.

A shape is one module (see responses.py) with NAME, CONSTANT, SDK_TYPE (optional), USAGE, a
function_tool function and, if the API takes custom tools, custom_tool. Adding a shape
is one module and one entry in SHAPES; the compiler, the templates and the JSON files read
the registry.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType
from typing import Any, assert_never

from toolspec.compile.shapes import chat_completions, responses
from toolspec.compile.shapes.common import Definition
from toolspec.spec import ir


@dataclass(frozen=True)
class SdkType:
    """The openai SDK's type of one tool of this shape: what the generated lists are typed with."""

    module: str
    name: str


@dataclass(frozen=True)
class Shape:
    name: str
    """Names the JSON file, `<toolset>.<name>.json`."""
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
    )


SHAPES: tuple[Shape, ...] = (shape_from_module(responses), shape_from_module(chat_completions))
"""Every shape toolspec generates, in the order the generated code lists them."""
