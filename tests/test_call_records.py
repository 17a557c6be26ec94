"""The call records of the generated package (issue 18, point 5), against real stores: a SQLite
file, and PostgreSQL and Redis servers started by the fixtures (tests/servers.py, conftest.py).

Each record: a claim is exclusive, output is None until put, the first put wins, and what one
record object put another on the same store reads. Two processes racing the claims of one store:
exactly one wins each key. Two processes sending one call id of a non-idempotent tool through
their Dispatchers: the handler runs once, and both get its output.
"""

from __future__ import annotations

import multiprocessing
import queue
import re
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from generated import MemoryCallRecord, RedisCallRecord, SqlCallRecord

import servers
from call_race import Store, claim_race, dispatch, dispatch_race
from conftest import REPO

KINDS = ["memory", "sqlite", "postgres", "redis"]
SHARED = ["sqlite", "postgres", "redis"]
"""The stores that processes (and machines) share."""
RACE_KEYS = 200
SPAWN = multiprocessing.get_context("spawn")


def unique(prefix: str) -> str:
    """A name no other test (nor worker, on the same server) uses."""
    return f"{prefix}{uuid.uuid4().hex[:12]}"


def make_store(kind: str, request: pytest.FixtureRequest, tmp_path: Path) -> Store:
    """An empty store of kind: its own SQLite file, table or key prefix (a server is started
    once per session, when a test first needs it)."""
    if kind == "sqlite":
        return Store(kind, f"sqlite:///{tmp_path / 'calls.db'}", table=unique("calls_"))
    if kind == "postgres":
        server: servers.Server = request.getfixturevalue("postgres_server")
        return Store(kind, server.url, table=unique("calls_"))
    if kind == "redis":
        server = request.getfixturevalue("redis_server")
        return Store(kind, server.url, prefix=unique("test:") + ":")
    return Store(kind)


@pytest.fixture(params=KINDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Store:
    """A store of each kind."""
    return make_store(request.param, request, tmp_path)


@pytest.fixture(params=SHARED)
def shared_store(request: pytest.FixtureRequest, tmp_path: Path) -> Store:
    """A store of each kind that several processes reach."""
    return make_store(request.param, request, tmp_path)


def close(*records: Any) -> None:
    for record in records:
        getattr(record, "close", lambda: None)()


# --- Each record ---------------------------------------------------------------------------------


def test_a_claim_is_exclusive_and_the_first_put_wins(store: Store) -> None:
    record = store.record()
    try:
        assert record.claim("shop/send_email/call_1", "first") is None
        assert record.claim("shop/send_email/call_1", "second") == "first", "claimed, running: not again"
        assert record.output("shop/send_email/call_1") is None, "running: no output yet"
        record.put("shop/send_email/call_1", '{"sent": true}')
        assert record.output("shop/send_email/call_1") == '{"sent": true}'
        record.put("shop/send_email/call_1", '{"sent": false}')
        assert record.output("shop/send_email/call_1") == '{"sent": true}', "the first put wins"
        assert record.claim("shop/send_email/call_1", "first") == "first", "finished: not again"
        assert record.claim("shop/send_email/call_2", "first") is None, "another key is another call"
        assert record.output("never claimed") is None
        record.put("never claimed", "ignored")
        assert record.output("never claimed") is None, "put keeps the output of the call that claimed it"
        assert record.claim("never claimed", "d") is None
    finally:
        close(record)


@pytest.mark.parametrize(
    "output",
    ["", "plain text", '{"error": {"code": "timeout", "message": "…"}}', "é ü 日本 🎉", "x" * 1_000_000],
    ids=["empty", "text", "json", "unicode", "1MB"],
)
def test_outputs_come_back_as_they_were_put(store: Store, output: str) -> None:
    """Also an empty output, which is not None."""
    record = store.record()
    try:
        assert record.claim("key", "d") is None
        assert record.output("key") is None
        record.put("key", output)
        assert record.output("key") == output
    finally:
        close(record)


def test_what_one_record_put_another_on_the_same_store_reads(shared_store: Store) -> None:
    first = shared_store.record()
    first.claim("done", "d1")
    first.claim("running", "d2")
    first.put("done", "the output")
    second = shared_store.record()  # a new object (engine, client): another process would make one
    try:
        assert second.output("done") == "the output"
        assert second.output("running") is None
        assert second.claim("done", "other") == "d1" and second.claim("running", "d2") == "d2"
        second.put("running", "finished by the second")
        first.put("running", "too late")
        assert first.output("running") == "finished by the second"
    finally:
        close(first, second)


def test_memory_records_share_nothing() -> None:
    first, second = MemoryCallRecord(), MemoryCallRecord()
    assert first.claim("key", "d") is None and second.claim("key", "d") is None


def test_sql_record_creates_its_table_in_a_sqlite_file(tmp_path: Path) -> None:
    import sqlalchemy

    path = tmp_path / "calls.db"
    record = SqlCallRecord(f"sqlite:///{path}")
    try:
        assert path.exists()
        engine = sqlalchemy.create_engine(f"sqlite:///{path}")
        assert sqlalchemy.inspect(engine).has_table("toolspec_calls")
        assert {c["name"] for c in sqlalchemy.inspect(engine).get_columns("toolspec_calls")} == {
            "call_key",
            "digest",
            "output",
            "claimed_at",
        }
        engine.dispose()
        assert record.claim("key", "d") is None
        again = SqlCallRecord(f"sqlite:///{path}")  # the table is there: used as it is
        assert again.claim("key", "d") == "d"
        again.close()
    finally:
        record.close()


def test_sql_record_refuses_an_in_memory_sqlite_database() -> None:
    """Each connection would see a database of its own: a claim in one thread, unseen in another."""
    for url in ("sqlite://", "sqlite:///:memory:"):
        with pytest.raises(ValueError, match="MemoryCallRecord"):
            SqlCallRecord(url)


def test_redis_record_keeps_outputs_for_its_ttl(redis_server: servers.Server) -> None:
    import redis

    client = redis.Redis.from_url(redis_server.url)
    prefix = unique("ttl:") + ":"
    default = RedisCallRecord(redis_server.url, prefix=prefix)
    five_minutes = RedisCallRecord(redis_server.url, ttl=timedelta(minutes=5), prefix=prefix)
    short = RedisCallRecord(redis_server.url, ttl=0.3, prefix=prefix)  # seconds
    try:
        assert default.claim("a", "d") is None and five_minutes.claim("b", "d") is None
        assert short.claim("c", "d") is None
        assert 86_390_000 < client.pttl(prefix + "a") <= 86_400_000, "24 hours by default"
        assert 290_000 < client.pttl(prefix + "b") <= 300_000
        five_minutes.put("b", "output")
        assert client.hget(prefix + "b", "output") == b"output"
        assert 290_000 < client.pttl(prefix + "b") <= 300_000, "put keeps the expiry"
        short.put("c", "output")
        time.sleep(0.4)
        assert short.output("c") is None and client.exists(prefix + "c") == 0, "expired"
        assert short.claim("c", "d") is None, "after the ttl, the call id may run again"
        with pytest.raises(ValueError, match="ttl"):
            RedisCallRecord(redis_server.url, ttl=0)
    finally:
        close(default, five_minutes, short)
        client.close()


@pytest.mark.parametrize(
    ("make", "module", "install"),
    [
        (lambda: SqlCallRecord("sqlite:///calls.db"), "sqlalchemy", "toolspec[sql]"),
        (lambda: SqlCallRecord("postgresql+psycopg://localhost/db"), "psycopg", "psycopg[binary]"),
        (lambda: SqlCallRecord("postgresql+pg8000://localhost/db"), "pg8000", "pip install pg8000"),
        (lambda: RedisCallRecord("redis://localhost"), "redis", "toolspec[redis]"),
    ],
    ids=["sqlalchemy", "psycopg", "pg8000", "redis"],
)
def test_a_missing_package_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch, make: Callable[[], object], module: str, install: str
) -> None:
    """The package needs pydantic alone: the record that needs a package imports it when made."""
    monkeypatch.setitem(sys.modules, module, None)  # as if not installed: importing it fails
    with pytest.raises(ModuleNotFoundError, match=rf"needs the package {module}\b.*{re.escape(install)}") as raised:
        make()
    assert raised.value.name == module


def test_the_generated_package_imports_neither_sqlalchemy_nor_redis() -> None:
    code = "import sys, generated; print(sorted({'sqlalchemy', 'redis', 'psycopg'} & set(sys.modules)))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO)
    assert result.stdout.strip() == "[]"


# --- Races ---------------------------------------------------------------------------------------


def test_memory_record_one_claim_wins_among_threads() -> None:
    record = MemoryCallRecord()
    keys = [f"key {n}" for n in range(RACE_KEYS)]
    barrier = threading.Barrier(8)
    won: list[list[str]] = [[] for _ in range(8)]

    def race(mine: list[str]) -> None:
        barrier.wait()
        mine.extend(key for key in keys if record.claim(key, "d") is None)

    threads = [threading.Thread(target=race, args=(mine,)) for mine in won]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(key for mine in won for key in mine) == sorted(keys), "each key won once"


def run_processes(target: Callable[..., None], *args: Any, count: int = 2) -> list[Any]:
    """Run target(*args, barrier, results) in count spawned processes; what each put in results."""
    barrier, results = SPAWN.Barrier(count), SPAWN.Queue()
    processes = [SPAWN.Process(target=target, args=(*args, barrier, results)) for _ in range(count)]
    for process in processes:
        process.start()
    try:
        answers = [results.get(timeout=120) for _ in processes]
    except queue.Empty:
        pytest.fail(f"a process gave no answer: exit codes {[p.exitcode for p in processes]}")
    finally:
        for process in processes:
            process.join(timeout=30)
            if process.is_alive():
                process.kill()
    assert [process.exitcode for process in processes] == [0] * count
    return answers


def test_two_processes_racing_claims_one_wins_each_key(shared_store: Store) -> None:
    """Each process makes its record at the same time (the table is created by one, or both),
    then both claim the same keys in the same order; each key's output is its winner's."""
    keys = [f"shop/send_email/call_{n}" for n in range(RACE_KEYS)]
    answers = run_processes(claim_race, shared_store, keys)
    won = [set(answer[1]) for answer in answers]
    assert not won[0] & won[1], "no key won twice"
    assert won[0] | won[1] == set(keys), "every key won"
    winner = {key: answer[0] for answer in answers for key in answer[1]}
    for _, _, outputs in answers:
        assert outputs == winner, "both read each key's output as its winner put it"


def test_one_call_id_sent_twice_at_once_runs_once(store: Store, tmp_path: Path) -> None:
    """Two processes (threads, for the memory record) send the same call id of send_email
    (idempotent: false) at once: the handler runs once, both get its output; a retry after
    gets it too, from a new Dispatcher and record."""
    runs = tmp_path / "runs"
    runs.touch()
    call_id = unique("call_")
    if store.kind == "memory":
        record = store.record()
        outputs: list[str] = []
        barrier = threading.Barrier(2)

        def send() -> None:
            barrier.wait()
            outputs.append(dispatch(record, call_id, runs, 0.5))

        threads = [threading.Thread(target=send) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    else:
        outputs = run_processes(dispatch_race, store, call_id, runs, 0.5)
        record = store.record()
    assert len(runs.read_text().splitlines()) == 1, "the handler ran once"
    assert outputs[0] == outputs[1] and '"sent":true' in outputs[0].replace(" ", "")
    assert dispatch(record, call_id, runs, 0.0) == outputs[0], "a retry after gets the recorded output"
    assert len(runs.read_text().splitlines()) == 1
    close(record)
