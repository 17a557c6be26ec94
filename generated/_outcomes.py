"""What a call can come to besides its handler's result: the error codes the model reads, the
ToolError a handler raises, and the dispatcher's refusals and internal failures.

toolspec copies this module, as it is, into every generated package as `_outcomes.py`: edit
it here, in the generator, never in the copy.
"""

from __future__ import annotations

import contextvars
import enum
import logging
import time
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

from ._base import ToolArguments
from ._calls import Call

if TYPE_CHECKING:
    from ._bindings import Route

LOGGER = logging.getLogger(__name__.rpartition(".")[0] + ".calls")
"""One record per call, with the extra fields toolset, tool, call_id, outcome (an ErrorCode
value, "ok", "remembered" or "cancelled") and duration_ms, and arguments when the Dispatcher logs them.
Level INFO, but ERROR for an internal_error, which also carries the exception (exc_info) and
error_id, the id its output gives the model."""


class ErrorCode(str, enum.Enum):
    """The `code` of an error output.

    DUPLICATE_CALL_ID refuses a call of a non-idempotent tool whose call id an earlier call
    of that tool had, with other arguments: a call id names one call, and a retry sends the
    same arguments (the same id with the same arguments gets the first call's output).

    UNKNOWN_TOOL is also the code of a call of the wrong kind: a custom tool call naming a
    function tool, or a function call naming a custom tool. No tool of the kind called has
    that name, and it is not the arguments that are wrong (so not INVALID_ARGUMENTS); the
    message says which kind the tool is and how to call it.
    """

    UNKNOWN_TOOL = "unknown_tool"
    INVALID_JSON = "invalid_json"
    INVALID_ARGUMENTS = "invalid_arguments"
    DUPLICATE_CALL_ID = "duplicate_call_id"
    NOT_AUTHORIZED = "not_authorized"
    NEEDS_CONFIRMATION = "needs_confirmation"
    TIMEOUT = "timeout"
    TOOL_ERROR = "tool_error"
    INTERNAL_ERROR = "internal_error"


class ToolError(Exception):
    """Raised by a handler: its message reaches the model as it is (code `tool_error`)."""


@dataclass(frozen=True)
class CallContext:
    """What `authorize` and `confirm` are told about a call before it runs, and what a
    handler may ask of the call it runs (`CallContext.current()`)."""

    toolset: str
    tool: str
    call_id: str
    effect: str
    idempotent: bool
    arguments: ToolArguments | str
    """The validated arguments (a custom tool's input text)."""

    @classmethod
    def current(cls) -> CallContext:
        """The context of the call whose handler is running here (in its thread or task);
        LookupError outside a handler."""
        route, call, arguments = RUNNING.get()
        binding = route.binding
        toolset = type(route.handlers).TOOLSET
        return cls(
            toolset,
            binding.name,
            call.call_id,
            binding.effect,
            binding.idempotent,
            arguments,
        )

    def report_progress(
        self, progress: float, total: float | None = None, message: str | None = None
    ) -> None:
        """Tell the caller how far the call has come (progress increasing, out of total if
        known): an MCP client that asked for progress gets a notification; nothing happens
        where no caller listens. From a plain or an `async def` handler alike."""
        client = CLIENT.get()
        if client is not None:
            client.report_progress(progress, total, message)


class Client(Protocol):
    """The caller's side of a call, where the caller can be asked or told mid-call (an MCP
    client): the dispatcher asks it to confirm a destructive call it has no `confirm` for.
    """

    async def confirm(self, context: CallContext) -> bool: ...

    def report_progress(
        self, progress: float, total: float | None, message: str | None
    ) -> None: ...


CLIENT: contextvars.ContextVar[Client | None] = contextvars.ContextVar(
    "toolspec_client", default=None
)
"""The client of the calls run in this context: set by the MCP server for each request."""

RUNNING: contextvars.ContextVar[tuple[Route, Call, ToolArguments | str]] = (
    contextvars.ContextVar("toolspec_running")
)
"""The call whose handler runs in this context (each call runs in a copy of its own), for
CallContext.current()."""


class Failure(NamedTuple):
    """An internal error: the exception, logged in full, and the id the model is given."""

    error: BaseException
    error_id: str


FATAL = (KeyboardInterrupt, SystemExit)
"""What no call turns into its output: it reaches the caller, once the record notes the call."""


class Refusal(Exception):
    """A call the dispatcher answers with an error of its own: refused before its handler
    ran, or past its deadline."""

    def __init__(self, code: ErrorCode, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def new_error_id() -> str:
    return uuid.uuid4().hex[:12]


def tool_error_message(error: ToolError) -> str | None:
    """The ToolError's message; None when even that fails."""
    try:
        return str(error)
    except Exception:  # noqa: BLE001 - then the handler failed: internal_error
        return None


def log_outcome(
    call: Call,
    toolset: str | None,
    outcome: str,
    started: float,
    arguments: str | None,
    failure: Failure | None,
) -> None:
    """The call's one log record (see LOGGER); at ERROR, with the exception, for failure."""
    extra: dict[str, Any] = {
        "toolset": toolset,
        "tool": call.name,
        "call_id": call.call_id,
        "outcome": outcome,
        "duration_ms": round((time.perf_counter() - started) * 1000, 3),
    }
    if arguments is not None:
        extra["arguments"] = arguments
    if failure is None:
        LOGGER.info("%s %s %s", call.name, call.call_id, outcome, extra=extra)
        return
    extra["error_id"] = failure.error_id
    LOGGER.error(
        "%s %s %s (error id %s)",
        call.name,
        call.call_id,
        outcome,
        failure.error_id,
        exc_info=failure.error,
        extra=extra,
    )
