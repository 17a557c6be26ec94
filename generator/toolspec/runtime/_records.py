"""Where the Dispatcher keeps the outputs of non-idempotent calls, so that a call id runs once.

toolspec copies this module, as it is, into every generated package as `_records.py`: edit
it here, in the generator, never in the copy. It needs the standard library only:
SqlCallRecord imports SQLAlchemy, and RedisCallRecord redis, when one is made.

- MemoryCallRecord: one process (the Dispatcher's default).
- SqlCallRecord: any database SQLAlchemy reaches; `sqlite:///calls.db` for the processes of one
  machine, PostgreSQL (`postgresql+psycopg://...`) for many.
- RedisCallRecord: a Redis server, for many machines; outputs expire (by default after 24 h).
"""

from __future__ import annotations

import hashlib
import importlib
import json
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from ._base import ToolArguments


class CallRecord(Protocol):
    """Where a non-idempotent call's output is kept, so that a call id runs at most once.

    A key names one call (its toolset, tool and call id); the digest, its arguments, so that
    the same id sent again with other arguments is told apart from a retry.
    """

    def claim(self, key: str, digest: str) -> str | None:
        """Atomically take key for a call whose arguments have digest: None for the one caller
        that gets it (it runs the call, then put()s the output); for every later caller, the
        digest key was first claimed with (the call is running, or finished)."""
        ...

    def output(self, key: str) -> str | None:
        """The output put for key; None while the call that claimed it runs (or if never claimed)."""
        ...

    def put(self, key: str, output: str) -> None:
        """The output of the call that claimed key (first put wins)."""
        ...


class MemoryCallRecord:
    """A CallRecord in this process's memory, for its threads and tasks alike."""

    def __init__(self) -> None:
        self._digests: dict[str, str] = {}
        """Each claimed key, and the digest it was claimed with."""
        self._outputs: dict[str, str] = {}
        self._lock = threading.Lock()

    def claim(self, key: str, digest: str) -> str | None:
        with self._lock:
            earlier = self._digests.get(key)
            if earlier is None:
                self._digests[key] = digest
            return earlier

    def output(self, key: str) -> str | None:
        with self._lock:
            return self._outputs.get(key)

    def put(self, key: str, output: str) -> None:
        """Kept only for a claimed key whose output is not put yet, as in every record."""
        with self._lock:
            if key in self._digests:
                self._outputs.setdefault(key, output)


_IN_MEMORY = (None, "", ":memory:")
"""The SQLite databases (URL sqlite:// or sqlite:///:memory:) that are one per connection."""


class SqlCallRecord:
    """A CallRecord in a table of any database SQLAlchemy reaches, by its URL.

    `sqlite:///calls.db` serves the processes of one machine; a server (PostgreSQL:
    `postgresql+psycopg://user:password@host/db`) serves many. The table (by default
    toolspec_calls: call_key, digest, output, claimed_at) is created if missing. A claim is an
    INSERT, which the primary key lets one caller make (the others read the row's digest); put
    sets the output where it is still NULL. Each is one statement, in autocommit. Rows are
    never deleted: delete old ones by claimed_at as you see fit. One engine per record, safe
    across threads; make the record in each process, after any fork. Needs SQLAlchemy 2 and
    the database's driver (`pip install "sqlalchemy>=2" "psycopg[binary]"`, or toolspec's
    extra `sql`).
    """

    def __init__(self, url: str, *, table: str = "toolspec_calls") -> None:
        hint = "pip install 'sqlalchemy>=2', or toolspec's extra: pip install 'toolspec[sql]'"
        sqlalchemy = _package("sqlalchemy", "SqlCallRecord", hint)
        try:
            engine = sqlalchemy.create_engine(url, isolation_level="AUTOCOMMIT")
        except ImportError as error:  # the dialect's driver
            if error.name is None:
                raise
            driver = error.name.partition(".")[0]
            hint = f"pip install {driver}, the driver the URL names"
            if driver == "psycopg":
                hint = "pip install 'psycopg[binary]', or toolspec's extra: pip install 'toolspec[sql]'"
            raise _missing("SqlCallRecord", driver, hint) from error
        if (
            engine.url.get_backend_name() == "sqlite"
            and engine.url.database in _IN_MEMORY
        ):
            engine.dispose()
            raise ValueError(
                "SqlCallRecord: an in-memory SQLite database is one per connection: "
                "use MemoryCallRecord in one process, or a file (sqlite:///calls.db)"
            )
        self._engine = engine
        self._taken: type[Exception] = sqlalchemy.exc.IntegrityError
        """What the INSERT of a claimed key raises."""
        calls = self._table(sqlalchemy, engine, table)
        key = sqlalchemy.bindparam("key", type_=sqlalchemy.String)
        self._claim = calls.insert().values(
            call_key=key, digest=sqlalchemy.bindparam("digest")
        )
        self._claimed_with = sqlalchemy.select(calls.c.digest).where(
            calls.c.call_key == key
        )
        self._put = (
            calls.update()
            .where(calls.c.call_key == key, calls.c.output.is_(None))
            .values(output=sqlalchemy.bindparam("new_output"))
        )
        self._select = sqlalchemy.select(calls.c.output).where(calls.c.call_key == key)

    @staticmethod
    def _table(sqlalchemy: Any, engine: Any, table: str) -> Any:
        """The table, created if missing."""
        metadata = sqlalchemy.MetaData()
        calls = sqlalchemy.Table(
            table,
            metadata,
            sqlalchemy.Column("call_key", sqlalchemy.String(512), primary_key=True),
            sqlalchemy.Column("digest", sqlalchemy.String(128), nullable=False),
            sqlalchemy.Column("output", sqlalchemy.Text, nullable=True),
            sqlalchemy.Column(
                "claimed_at",
                sqlalchemy.DateTime(timezone=True),
                nullable=False,
                server_default=sqlalchemy.func.now(),
            ),
        )
        try:
            metadata.create_all(engine)
        except sqlalchemy.exc.DBAPIError:
            # Another process may have created it at the same time.
            if not sqlalchemy.inspect(engine).has_table(table):
                raise
        return calls

    def claim(self, key: str, digest: str) -> str | None:
        try:
            with self._engine.connect() as connection:
                connection.execute(self._claim, {"key": key, "digest": digest})
        except self._taken:
            with self._engine.connect() as connection:
                earlier: str = connection.execute(
                    self._claimed_with, {"key": key}
                ).scalar_one()
            return earlier
        return None

    def output(self, key: str) -> str | None:
        with self._engine.connect() as connection:
            output: str | None = connection.execute(
                self._select, {"key": key}
            ).scalar_one_or_none()
        return output

    def put(self, key: str, output: str) -> None:
        with self._engine.connect() as connection:
            connection.execute(self._put, {"key": key, "new_output": output})

    def close(self) -> None:
        """Close the engine's connections (the record may still be used: it opens new ones)."""
        self._engine.dispose()


_CLAIM = """
if redis.call('HSETNX', KEYS[1], 'digest', ARGV[1]) == 1 then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return false
end
return redis.call('HGET', KEYS[1], 'digest')
"""
"""Take the key (a hash) with its digest and expiry, or give the digest it was taken with."""

_PUT = """
if redis.call('EXISTS', KEYS[1]) == 1 then
  redis.call('HSETNX', KEYS[1], 'output', ARGV[1])
end
"""
"""Set a claimed key's output, if none is set yet (a hash field keeps the key's expiry)."""


class RedisCallRecord:
    """A CallRecord in Redis (`redis://host:6379/0`, `rediss://...` for TLS), for many machines.

    Each call is a hash at `prefix + key`. A claim sets its digest field only if it is absent
    (HSETNX), and then the expiry ttl (a timedelta or seconds; by default 24 hours); put sets
    its output field. Each is one step (a Lua script). After ttl the key is gone, and the call
    id may run again. Needs redis-py 5 or newer and Redis 6 or newer (`pip install
    "redis>=5"`, or toolspec's extra `redis`).
    """

    def __init__(
        self,
        url: str,
        *,
        ttl: timedelta | float = timedelta(hours=24),
        prefix: str = "toolspec:calls:",
    ) -> None:
        hint = (
            "pip install 'redis>=5', or toolspec's extra: pip install 'toolspec[redis]'"
        )
        redis = _package("redis", "RedisCallRecord", hint)
        seconds = ttl.total_seconds() if isinstance(ttl, timedelta) else float(ttl)
        self._ttl_ms = round(seconds * 1000)
        if self._ttl_ms <= 0:
            raise ValueError(f"RedisCallRecord: ttl must be positive, not {ttl!r}")
        self._prefix = prefix
        self._client = redis.Redis.from_url(url)
        self._claim_script = self._client.register_script(_CLAIM)
        self._put_script = self._client.register_script(_PUT)

    def claim(self, key: str, digest: str) -> str | None:
        earlier = self._claim_script(
            keys=[self._prefix + key], args=[digest, self._ttl_ms]
        )
        return _text(earlier)

    def output(self, key: str) -> str | None:
        return _text(self._client.hget(self._prefix + key, "output"))

    def put(self, key: str, output: str) -> None:
        self._put_script(keys=[self._prefix + key], args=[output])

    def close(self) -> None:
        """Close the client's connections (the record may still be used: it opens new ones)."""
        self._client.close()


def _text(value: bytes | str | None) -> str | None:
    """A value redis-py gives back (bytes, unless the client decodes), as text."""
    return value.decode("utf-8") if isinstance(value, bytes) else value


def _package(name: str, record: str, hint: str) -> Any:
    """The package name, imported when a record needs it. By importlib, and typed Any: type
    checkers of the generated package never read SQLAlchemy's or redis's own types (mypy
    takes seconds over them), nor miss them where they are not installed."""
    try:
        return importlib.import_module(name)
    except ImportError as error:
        if error.name is None or error.name.partition(".")[0] != name:
            raise  # installed, but something it imports is not: its own error says what
        raise _missing(record, name, hint) from error


def _missing(record: str, module: str, hint: str) -> ModuleNotFoundError:
    """The error of a record whose package is not installed: what to install, and how."""
    return ModuleNotFoundError(
        f"{record} needs the package {module}, which is not installed: {hint}",
        name=module,
    )


def record_key(toolset: str, tool: str, call_id: str) -> str:
    """A call's key in the record: its toolset, tool and call id (a JSON array, so that no
    name can make another's key)."""
    return json.dumps([toolset, tool, call_id])


def arguments_digest(arguments: ToolArguments | str) -> str:
    """What tells a retry (the same arguments) from another call reusing its id: the SHA-256
    of the validated arguments as JSON (so key order, spacing and an optional key left out
    or sent as null make no difference), or of a custom tool's input."""
    text = arguments if isinstance(arguments, str) else arguments.model_dump_json()
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def wait_for_output(record: CallRecord, key: str, limit: float) -> str | None:
    """The output recorded for key, waited for up to limit seconds while the call that
    claimed it runs."""
    for pause in _pauses(limit):
        if (output := record.output(key)) is not None:
            return output
        time.sleep(pause)
    return record.output(key)


async def await_output(record: CallRecord, key: str, limit: float) -> str | None:
    """As wait_for_output, without blocking the event loop."""
    import asyncio  # imported already: a loop runs this

    for pause in _pauses(limit):
        if (output := record.output(key)) is not None:
            return output
        await asyncio.sleep(pause)
    return record.output(key)


def _pauses(limit: float) -> Iterator[float]:
    """Seconds between two looks at the record while an earlier call runs, for limit seconds:
    from 1 ms, doubled each time, up to 50 ms."""
    deadline = time.monotonic() + limit
    pause = 0.001
    while time.monotonic() < deadline:
        yield pause
        pause = min(pause * 2, 0.05)
