"""What each process of tests/test_call_records.py's races runs: a module of its own, so that a
spawned process imports only this, the generated package and the examples, not the tests."""

from __future__ import annotations

import json
import multiprocessing.synchronize
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from examples.shop import Shop
from generated import MemoryCallRecord, RedisCallRecord, SqlCallRecord
from generated.shop import SendEmailArguments

POLL_SECONDS = 0.005
DEADLINE_SECONDS = 60.0


@dataclass(frozen=True)
class Store:
    """Where records are kept: a new record object on it each time one is asked for."""

    kind: str
    """memory, sqlite, postgres or redis."""
    url: str = ""
    table: str = "toolspec_calls"
    prefix: str = "toolspec:calls:"

    def record(self) -> Any:
        if self.kind == "memory":
            return MemoryCallRecord()
        if self.kind == "redis":
            return RedisCallRecord(self.url, prefix=self.prefix)
        return SqlCallRecord(self.url, table=self.table)


def claim_race(store: Store, keys: list[str], barrier: multiprocessing.synchronize.Barrier, results: Any) -> None:
    """Make a record (at the same time as the other process), claim every key in lockstep with
    it (each claim at once, so that each key is a race, not a lead kept from the first),
    put an output for those won, and read every key's output once all are put."""
    barrier.wait()
    record = store.record()
    record.output("warm up")  # the first connection, made before the race
    won: list[str] = []
    for key in keys:
        barrier.wait()
        if record.claim(key, "digest") is None:
            won.append(key)
    mine = f"process {os.getpid()}"
    for key in won:
        record.put(key, mine)
    deadline = time.monotonic() + DEADLINE_SECONDS
    outputs: dict[str, str | None] = {}
    for key in keys:
        while outputs.get(key) is None and time.monotonic() < deadline:
            outputs[key] = record.output(key)
            if outputs[key] is None:
                time.sleep(POLL_SECONDS)
    results.put((mine, won, outputs))


class SlowShop(Shop):
    """send_email (idempotent: false) notes each run in a file, and takes `seconds`, so that a
    second arrival comes while the first runs."""

    def __init__(self, runs: Path, seconds: float) -> None:
        super().__init__()
        self.runs = runs
        self.seconds = seconds

    def send_email(self, args: SendEmailArguments) -> dict[str, object]:
        with self.runs.open("a", encoding="utf-8") as file:
            file.write(f"{os.getpid()}\n")
        time.sleep(self.seconds)
        return {"sent": True, "by": f"process {os.getpid()}", "to": list(args.to)}


def send_email_call(call_id: str) -> dict[str, str]:
    """A Responses function_call of send_email, as the API gives it."""
    arguments = {"to": ["ada@example.com"], "subject": "Your order", "body": "It has shipped."}
    return {"type": "function_call", "call_id": call_id, "name": "send_email", "arguments": json.dumps(arguments)}


def dispatch(record: Any, call_id: str, runs: Path, seconds: float) -> str:
    """The output a Dispatcher with record gives for the send_email call call_id."""
    from generated import Dispatcher

    dispatcher = Dispatcher(SlowShop(runs, seconds), record=record, check_results=False)  # its own result shape
    outputs = dispatcher.run_responses([send_email_call(call_id)])
    output: str = outputs[0]["output"]
    return output


def dispatch_race(
    store: Store,
    call_id: str,
    runs: Path,
    seconds: float,
    barrier: multiprocessing.synchronize.Barrier,
    results: Any,
) -> None:
    """Send the call through a Dispatcher with a record of its own on store, at the same time as
    the other process."""
    record = store.record()
    barrier.wait()
    results.put(dispatch(record, call_id, runs, seconds))
