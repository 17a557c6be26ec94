"""Cancelling an async turn stops it: the caller's cancellation is not an output.

`arun_*` turns every failure of a call into an output, but a caller that cancels the turn (a
request that timed out, a server shutting down) must see the cancellation, and no write call
after it may run. A handler that raises CancelledError of its own accord still gives an output.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from generated import Dispatcher
from generated.shop import LookupOrderStatusArguments, SearchProductsArguments, SendEmailArguments, ShopHandlers


class Shop(ShopHandlers):
    def __init__(self) -> None:
        self.sent: list[str] = []
        self.first_started = asyncio.Event()

    def lookup_order_status(self, args: LookupOrderStatusArguments) -> str:
        return "shipped"

    def search_products(self, args: SearchProductsArguments) -> list[str]:
        return []

    async def send_email(self, args: SendEmailArguments) -> str:
        self.sent.append(args.subject)
        if args.subject == "hangs":
            self.first_started.set()
            await asyncio.Event().wait()  # until cancelled
        if args.subject == "cancels itself":
            raise asyncio.CancelledError
        return "sent"


def email(call_id: str, subject: str) -> dict[str, Any]:
    arguments = {"to": ["ada@example.com"], "subject": subject, "body": "Hello."}
    return {"type": "function_call", "call_id": call_id, "name": "send_email", "arguments": json.dumps(arguments)}


def test_cancelling_a_turn_cancels_it_and_runs_no_later_write() -> None:
    shop = Shop()
    dispatcher = Dispatcher(shop, check_results=False)  # the stand-in's results are its own

    async def main() -> None:
        turn = asyncio.create_task(
            dispatcher.arun_responses([email("c1", "hangs"), email("c2", "second"), email("c3", "third")])
        )
        await asyncio.wait_for(shop.first_started.wait(), 10)
        turn.cancel()
        with pytest.raises(asyncio.CancelledError):
            await asyncio.wait_for(turn, 10)

    asyncio.run(main())
    assert shop.sent == ["hangs"]


def test_a_handler_that_raises_cancelled_error_itself_gives_an_output() -> None:
    dispatcher = Dispatcher(Shop(), check_results=False)
    items = asyncio.run(dispatcher.arun_responses([email("c1", "cancels itself"), email("c2", "next")]))
    first = json.loads(items[0]["output"])  # type: ignore[typeddict-item]
    assert first["error"]["code"] == "internal_error"
    assert [item["output"] for item in items[1:]] == ["sent"]  # type: ignore[typeddict-item]
