"""What a generated `<Toolset>Handlers` class declares: each tool's binding to its handler
method, and the route a Dispatcher resolves it to.

toolspec copies this module, as it is, into every generated package as `_bindings.py`: edit
it here, in the generator, never in the copy.
"""

from __future__ import annotations

import abc
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, TypeAlias

import pydantic

from ._base import ToolArguments

# Objects, not strings: a handler annotated `-> HandlerResult` (as `toolspec scaffold` writes
# it) resolves with typing.get_type_hints in its own module, as `toolspec check` resolves it.
Result: TypeAlias = pydantic.BaseModel | Mapping[str, Any] | Sequence[Any] | str | None
"""What a handler may return; the dispatcher turns it into the output string."""

HandlerResult: TypeAlias = Result | Awaitable[Result]
"""A handler is a plain method or an `async def`."""


@dataclass(frozen=True)
class Binding:
    """One tool of a toolset, as the generated Handlers class declares it."""

    name: str
    """The tool's name in the API."""
    method: str
    """The handler method that runs it."""
    arguments: type[ToolArguments] | None
    """The argument model; None for a custom tool, whose input is text."""
    effect: str = "write"
    """read, write or destructive: consecutive read calls run together; a write or
    destructive call runs alone, after every call before it and before every call after it.
    Unknown means write: only a tool declared `read` may run beside others."""
    idempotent: bool = True
    timeout: float | None = None
    """Seconds a call may take; None: no limit."""
    result: Any = None
    """The result model (a pydantic model, or a type such as `list[Place]`) that what the
    handler returns must match; None: the tool does not say what it returns."""


class Handlers(abc.ABC):  # noqa: B024 - the generated subclasses declare the methods
    """The base of every generated `<Toolset>Handlers` class."""

    TOOLSET: ClassVar[str] = ""
    TOOLS: ClassVar[tuple[Binding, ...]] = ()
    TOOL_LISTS: ClassVar[Mapping[str, Sequence[Any]]] = {}
    """The toolset's tools in each API shape, by the shape's name."""
    CHECK_RESULTS: ClassVar[bool] = True
    """Whether a Dispatcher checks these handlers' results against their result models (when it
    checks results at all): False where the results are another program's, passed on as given."""

    def __new__(cls, *args: Any, **kwargs: Any) -> Any:
        missing = [
            binding.name
            for binding in cls.TOOLS
            if getattr(cls, binding.method, None) is None
            or getattr(getattr(cls, binding.method), "__isabstractmethod__", False)
        ]
        if missing:
            raise TypeError(
                f"{cls.__name__} does not implement the tools {', '.join(missing)} "
                f"of toolset {cls.TOOLSET}: define a method for each"
            )
        return super().__new__(cls)


@dataclass(frozen=True)
class Route:
    """A tool resolved against the Handlers instance a Dispatcher was given."""

    handlers: Handlers
    binding: Binding
    method: Callable[[Any], Any]
    is_async: bool
    """Whether method is an `async def`: asked once, not on every call."""
    checks_result: bool = False
    """Whether its result is checked against binding.result (the Dispatcher's check_results,
    the handlers' CHECK_RESULTS): asked once, not on every call."""
    policed: bool = True
    """Whether a call passes a policy before it runs (the Dispatcher has `authorize`, or the
    tool is destructive and needs a confirmation): asked once, not on every call."""
    guarded: bool = True
    """Whether a call passes a policy or claims its key in the record before it runs (policed,
    or the tool is not idempotent): a read tool's call, with no `authorize`, goes straight
    from its validation to its handler."""
    custom: bool = field(init=False)
    """Whether the tool is a custom tool (its input is text, not JSON arguments)."""
    in_place: bool = field(init=False)
    """Whether a sync run calls method where the call runs: a plain method with no time
    limit (any other goes to a thread: see run_sync)."""
    awaited_in_place: bool = field(init=False)
    """Whether an async run awaits method's coroutine where the call runs: an `async def`
    with no time limit (any other goes to a thread or a task: see run_async)."""

    def __post_init__(self) -> None:
        # Asked once here, not on every call.
        unlimited = self.binding.timeout is None
        object.__setattr__(self, "custom", self.binding.arguments is None)
        object.__setattr__(self, "in_place", unlimited and not self.is_async)
        object.__setattr__(self, "awaited_in_place", unlimited and self.is_async)
