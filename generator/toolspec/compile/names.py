"""Python names for things named in specs, chosen once so that no template has to."""

from __future__ import annotations

import keyword
import re

from toolspec.spec import model


def pascal_case(name: str) -> str:
    """`get_weather`, `get-weather` and `getWeather` all become `GetWeather`."""
    words = re.findall(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])", name)
    joined = "".join(word[:1].upper() + word[1:] for word in words)
    if not joined or joined[0].isdigit():
        joined = "Tool" + joined
    return joined


def argument_class_names(toolset: model.Toolset) -> dict[str, str]:
    """Tool name -> the class name of its argument model, unique within the toolset."""
    taken = {named.name for named in toolset.types} | {"ToolArguments"}
    names: dict[str, str] = {}
    for tool in toolset.tools:
        if isinstance(tool, model.FunctionTool) and tool.name not in names:
            base = pascal_case(tool.name) + "Arguments"
            candidate, number = base, 2
            while candidate in taken or keyword.iskeyword(candidate):
                candidate, number = f"{base}{number}", number + 1
            taken.add(candidate)
            names[tool.name] = candidate
    return names


def parameters_constant_names(toolset: model.Toolset) -> dict[str, str]:
    """Tool name -> the module constant that holds its parameters schema, unique in the module."""
    taken = {"RESPONSES_TOOLS", "CHAT_COMPLETIONS_TOOLS", "ARGUMENT_MODELS"}
    names: dict[str, str] = {}
    for tool in toolset.tools:
        if isinstance(tool, model.FunctionTool) and tool.name not in names:
            base = re.sub(r"[^A-Za-z0-9]+", "_", tool.name).strip("_").upper() or "TOOL"
            base = f"{'_' if base[0].isdigit() else ''}{base}_PARAMETERS"
            candidate, number = base, 2
            while candidate in taken:
                candidate, number = f"{base}_{number}", number + 1
            taken.add(candidate)
            names[tool.name] = candidate
    return names
