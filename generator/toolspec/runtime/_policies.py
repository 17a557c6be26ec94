"""`authorize` and `confirm`: whether a call may run, asked before its handler runs.

toolspec copies this module, as it is, into every generated package as `_policies.py`: edit
it here, in the generator, never in the copy.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import TypeAlias

from ._base import ToolArguments
from ._bindings import Route
from ._calls import Call
from ._outcomes import CLIENT, CallContext, ErrorCode, Refusal
from ._runners import awaited_in_thread

Policy: TypeAlias = "Callable[[CallContext], bool | Awaitable[bool]]"
"""`authorize` and `confirm`: a plain function or an `async def`."""


@dataclass(frozen=True)
class Policies:
    """The policies a Dispatcher was given; each allows a call only by returning exactly True."""

    authorize: Policy | None
    confirm: Policy | None

    def apply(self, route: Route, call: Call, arguments: ToolArguments | str) -> None:
        """Refuse the call unless `authorize` allows it and, if destructive, `confirm` too; an
        async policy runs to its end in a thread, in an event loop of its own."""
        for decision, code, message in self._decisions(route, call, arguments):
            if inspect.isawaitable(decision):
                decision = awaited_in_thread(decision)
            if decision is not True:
                raise Refusal(code, message)

    async def aapply(
        self, route: Route, call: Call, arguments: ToolArguments | str
    ) -> None:
        """As apply, an async policy awaited in this task."""
        for decision, code, message in self._decisions(route, call, arguments):
            if inspect.isawaitable(decision):
                decision = await decision
            if decision is not True:
                raise Refusal(code, message)

    def _decisions(
        self, route: Route, call: Call, arguments: ToolArguments | str
    ) -> Iterator[tuple[object, ErrorCode, str]]:
        """What the policies say of the call, each asked once the one before has allowed it:
        `authorize`, then, for a destructive tool, `confirm` (no `confirm`: no). Each answer
        (an awaitable, from an async policy) comes with the refusal that follows unless it
        is exactly True: a truthy "no" or a forgotten `await` must not let a call through.
        """
        binding = route.binding
        context = CallContext(
            type(route.handlers).TOOLSET,
            binding.name,
            call.call_id,
            binding.effect,
            binding.idempotent,
            arguments,
        )
        if self.authorize is not None:
            refusal = f"{binding.name} is not allowed"
            yield self.authorize(context), ErrorCode.NOT_AUTHORIZED, refusal
        if binding.effect == "destructive":
            # No `confirm`: the client's user is asked where the client can be (MCP's
            # elicitation); elsewhere, no.
            confirm = self.confirm if self.confirm is not None else client_confirm()
            confirmed = False if confirm is None else confirm(context)
            refusal = (
                f"{binding.name} needs the user's confirmation, which it does not have"
            )
            yield confirmed, ErrorCode.NEEDS_CONFIRMATION, refusal


def client_confirm() -> Policy | None:
    """The confirm of the client of this context's calls, if it has one (see Client)."""
    client = CLIENT.get()
    return None if client is None else client.confirm
