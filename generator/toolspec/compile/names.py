"""Python names for things named in specs, chosen once so that no template has to.

Each name is unique where it lives and never a keyword: a clash gets a number, in the order
of the tools.
"""

from __future__ import annotations

import keyword
import re
from collections.abc import Callable, Iterable

from toolspec.spec import ir

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
