"""Do the team's handler classes implement every tool, with the generated argument and result types?

`[tool.toolspec] handlers = {weather = "app.weather:Weather"}` names them; `toolspec check`
imports each and holds it to the compiled toolset, so that a spec change without its
implementation fails CI. Each problem is a value with the file and line it is about (the
method, else the class, else the `handlers` entry of pyproject.toml), so that every format of
check can point at it.
"""

from __future__ import annotations

import collections.abc
import importlib
import inspect
import re
import sys
import types
import typing
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from toolspec.compile.toolset import CompiledTool, CompiledToolset
from toolspec.output.drift_report import HandlerProblem
from toolspec.project.load import display_path


def coverage_problems(
    compiled: Sequence[CompiledToolset], handlers: dict[str, str], root: Path, pyproject: Path | None = None
) -> list[HandlerProblem]:
    """What is wrong with the configured handler classes; empty when nothing is. pyproject: the
    file that configures handlers, for problems of an entry itself."""
    by_name = {toolset.name: toolset for toolset in compiled}
    problems: list[HandlerProblem] = []
    sys.path.insert(0, str(root))
    try:
        for toolset_name, target in sorted(handlers.items()):
            entry = _entry_place(pyproject, target)
            toolset = by_name.get(toolset_name)
            if toolset is None:
                message = f"handlers.{toolset_name}: there is no toolset {toolset_name!r} in the specs"
                problems.append(HandlerProblem(*entry, message))
                continue
            found = load_class(target)
            if isinstance(found, str):
                problems.append(HandlerProblem(*entry, f"handlers.{toolset_name}: {found}"))
            else:
                problems.extend(
                    HandlerProblem(*(place or entry), f"{target}: {problem}")
                    for place, problem in _class_problems(found, toolset)
                )
    finally:
        sys.path.remove(str(root))
    return problems


def _entry_place(pyproject: Path | None, target: str) -> tuple[str, int]:
    """The line of pyproject.toml that names target (the `handlers` entry), else its first."""
    if pyproject is None:  # handlers given without a file (a test's Config)
        return "pyproject.toml", 1
    try:
        lines = pyproject.read_text("utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        lines = []
    quoted = re.compile(rf"""["']{re.escape(target)}["']""")
    return display_path(pyproject), next((number for number, line in enumerate(lines, 1) if quoted.search(line)), 1)


def _source_place(obj: Any) -> tuple[str, int] | None:
    """The file and line where obj (a class or function) is defined, if Python knows them."""
    try:
        source = inspect.getsourcefile(inspect.unwrap(obj))
        _, line = inspect.getsourcelines(inspect.unwrap(obj))
    except (OSError, TypeError):
        return None
    return (display_path(Path(source)), max(line, 1)) if source else None


def load_class(target: str) -> type | str:
    """The class target names, or why it cannot be had."""
    module_name, _, class_name = target.partition(":")
    try:
        module = importlib.import_module(module_name)
    except Exception as error:  # noqa: BLE001 - the user's module may fail in any way
        return f"cannot import {module_name}: {type(error).__name__}: {error}"
    found = getattr(module, class_name, None)
    if not isinstance(found, type):
        return f"{module_name} has no class {class_name}"
    return found


def _class_problems(cls: type, toolset: CompiledToolset) -> Iterator[tuple[tuple[str, int] | None, str]]:
    """Each problem of cls, with where it is: a method's at the method, the others at the class."""
    at_class = _source_place(cls)
    base = f"{toolset.package}.{toolset.name}.handlers.{toolset.handlers_class}"
    if not any(f"{k.__module__}.{k.__qualname__}" == base for k in cls.__mro__):
        yield at_class, f"{cls.__name__} does not subclass {base}"
    for tool in toolset.tools:
        method = getattr(cls, tool.method, None)
        if method is None or getattr(method, "__isabstractmethod__", False):
            yield at_class, f"tool {tool.name!r} is not implemented: define {cls.__name__}.{tool.method}"
            continue
        problem = _argument_problem(method, tool, toolset) or _result_problem(method, tool, toolset)
        if problem:
            yield _source_place(method), f"tool {tool.name!r}: {cls.__name__}.{tool.method} {problem}"


def _argument_problem(method: Any, tool: CompiledTool, toolset: CompiledToolset) -> str | None:
    """Why the method's argument is not annotated with what the dispatcher passes, if it is not."""
    parameters = [p for p in inspect.signature(method).parameters.values() if p.name != "self"]
    if len(parameters) != 1:
        return f"must take one argument (the tool's arguments), not {len(parameters)}"
    try:
        annotation = typing.get_type_hints(method).get(parameters[0].name)
    except Exception as error:  # noqa: BLE001 - a name in the annotation that does not resolve
        return f"has an argument annotation that cannot be resolved: {error}"
    if tool.function is None:
        expected, matches = "str", annotation is str
    else:
        expected = f"{toolset.package}.{toolset.name}.models.{tool.function.argument_class}"
        matches = annotation is not None and f"{annotation.__module__}.{annotation.__qualname__}" == expected
    if matches:
        return None
    return f"takes {_name(annotation)}, but the tool's arguments are {expected}: annotate it so"


def _result_problem(method: Any, tool: CompiledTool, toolset: CompiledToolset) -> str | None:
    """Why the method's return annotation is not the tool's result model, for a tool with
    `returns` (an `async def` returns it too; `X | Awaitable[X]` is what handlers.py declares)."""
    if tool.function is None or tool.function.result_class is None:
        return None
    models = f"{toolset.package}.{toolset.name}.models"
    expected = f"{models}.{tool.function.result_class}"
    try:
        model = getattr(importlib.import_module(models), tool.function.result_class)
        annotation = typing.get_type_hints(method).get("return")
    except Exception as error:  # noqa: BLE001 - a package not generated yet, or a name that does not resolve
        return f"has a return annotation that cannot be checked: {type(error).__name__}: {error}"
    members = typing.get_args(annotation) if typing.get_origin(annotation) in (typing.Union, types.UnionType) else ()
    returned = [_awaited(member) for member in members or (annotation,)]
    if annotation is not None and all(member == model for member in returned):
        return None
    says = "has no return annotation" if annotation is None else f"returns {_name(annotation)}"
    return f"{says}, but the tool's result is {expected}: annotate it so"


def _awaited(annotation: Any) -> Any:
    """What awaiting an Awaitable or Coroutine annotation gives; annotation itself otherwise."""
    if typing.get_origin(annotation) in (collections.abc.Awaitable, collections.abc.Coroutine):
        return typing.get_args(annotation)[-1]
    return annotation


def _name(annotation: Any) -> str:
    if annotation is None:
        return "an unannotated argument"
    if isinstance(annotation, type):
        return f"{annotation.__module__}.{annotation.__qualname__}"
    return repr(annotation)
