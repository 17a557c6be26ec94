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

import importlib
import threading
from datetime import timedelta
from typing import Any, Protocol


class CallRecord(Protocol):
    """Where a non-idempotent call's output is kept, so that a call id runs at most once."""

    def claim(self, key: str) -> bool:
        """Atomically take key: True for the one caller that gets it (it runs the call, then put()s
        the output); False when key was claimed before (running, or finished)."""
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
        self._outputs: dict[str, str | None] = {}
        """Each claimed key, and its output once put (None until then)."""
        self._lock = threading.Lock()

    def claim(self, key: str) -> bool:
        with self._lock:
            if key in self._outputs:
                return False
            self._outputs[key] = None
            return True

    def output(self, key: str) -> str | None:
        with self._lock:
            return self._outputs.get(key)

    def put(self, key: str, output: str) -> None:
        """Kept only for a claimed key whose output is not put yet, as in every record."""
        with self._lock:
            if key in self._outputs and self._outputs[key] is None:
                self._outputs[key] = output


_IN_MEMORY = (None, "", ":memory:")
"""The SQLite databases (URL sqlite:// or sqlite:///:memory:) that are one per connection."""


class SqlCallRecord:
    """A CallRecord in a table of any database SQLAlchemy reaches, by its URL.

    `sqlite:///calls.db` serves the processes of one machine; a server (PostgreSQL:
    `postgresql+psycopg://user:password@host/db`) serves many. The table (by default
    toolspec_calls: call_key, output, claimed_at) is created if missing. A claim is an INSERT,
    which the primary key lets one caller make; put sets the output where it is still NULL.
    Each is one statement, in autocommit. Rows are never deleted: delete old ones by
    claimed_at as you see fit. One engine per record, safe across threads; make the record in
    each process, after any fork. Needs SQLAlchemy 2 and the database's driver
    (`pip install "sqlalchemy>=2" "psycopg[binary]"`, or toolspec's extra `sql`).
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
        self._claim = calls.insert().values(call_key=key)
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

    def claim(self, key: str) -> bool:
        try:
            with self._engine.connect() as connection:
                connection.execute(self._claim, {"key": key})
        except self._taken:
            return False
        return True

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


_CLAIMED = b"\xfftoolspec: running"
"""The value of a claimed key until its output is put: never UTF-8, so never an output."""

_PUT = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2], 'KEEPTTL')
end
"""
"""Replace the claim marker by the output, keeping the key's expiry; a put value stays."""


class RedisCallRecord:
    """A CallRecord in Redis (`redis://host:6379/0`, `rediss://...` for TLS), for many machines.

    A claim sets `prefix + key` only if it is absent (SET NX), to a marker, with the expiry
    ttl (a timedelta or seconds; by default 24 hours); put replaces the marker by the output
    in one step (a Lua script), keeping the expiry. After ttl the key is gone, and the call
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
        self._put_script = self._client.register_script(_PUT)

    def claim(self, key: str) -> bool:
        claimed = self._client.set(
            self._prefix + key, _CLAIMED, nx=True, px=self._ttl_ms
        )
        return bool(claimed)

    def output(self, key: str) -> str | None:
        value: bytes | str | None = self._client.get(self._prefix + key)
        if value is None or value == _CLAIMED:
            return None
        return value.decode("utf-8") if isinstance(value, bytes) else value

    def put(self, key: str, output: str) -> None:
        self._put_script(keys=[self._prefix + key], args=[_CLAIMED, output])

    def close(self) -> None:
        """Close the client's connections (the record may still be used: it opens new ones)."""
        self._client.close()


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
