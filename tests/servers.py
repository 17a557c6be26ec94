"""Real PostgreSQL and Redis servers for the tests (and bench/dispatch.py): from the
distribution's packages (`postgresql`, `redis-server`), each in a temporary directory, on a free
loopback port, stopped by the caller.

PostgreSQL refuses to run as root: as root (CI), initdb and pg_ctl run as the `postgres` user
the package creates, on a data directory it owns. Each call starts a server of its own, so
pytest-xdist workers never share one. `Missing` says which package to install where a server's
binaries are not there.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shlex
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

STARTUP_SECONDS = 30.0
"""How long a server may take to accept connections."""
ATTEMPTS = 3
"""Starts tried, each on a new free port (another process may take a port between the choice and the bind)."""


class Missing(RuntimeError):
    """A server's binaries are not installed; `package` is the Debian package that has them."""

    def __init__(self, package: str, detail: str) -> None:
        super().__init__(f"{detail}: install the Debian package {package} (apt-get install {package})")
        self.package = package


@dataclass(frozen=True)
class Server:
    url: str
    """The SQLAlchemy URL (PostgreSQL) or redis:// URL that reaches the server."""
    port: int


def free_port() -> int:
    """A loopback port nothing listens on now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def postgres_bin() -> Path:
    """The directory of initdb and pg_ctl: on the PATH, or Debian's /usr/lib/postgresql/<version>/bin
    (the newest), where the package puts them."""
    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl"):
        return Path(found).resolve().parent
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    if versions:
        return Path(versions[-1]).parent
    raise Missing("postgresql", "PostgreSQL's initdb is not on the PATH nor in /usr/lib/postgresql/*/bin")


def redis_server() -> str:
    found = shutil.which("redis-server")
    if found is None:
        raise Missing("redis-server", "redis-server is not on the PATH")
    return found


def _as_postgres(command: Sequence[str]) -> list[str]:
    """command, run as the postgres user when this process is root (PostgreSQL refuses root)."""
    if os.geteuid() != 0:
        return list(command)
    runuser = shutil.which("runuser")
    if runuser is None:
        return ["su", "postgres", "-s", "/bin/sh", "-c", shlex.join(command)]
    return [runuser, "-u", "postgres", "--", *command]


def _run(command: Sequence[str], what: str) -> None:
    result = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"{what} failed ({result.returncode}): {' '.join(command)}\n{result.stdout}{result.stderr}")


@contextlib.contextmanager
def postgres() -> Iterator[Server]:
    """A PostgreSQL server of its own: initdb in a temporary directory, pg_ctl start on a free
    port, the database `postgres` with the superuser `toolspec` (trust auth, loopback only);
    stopped (immediate) and removed after."""
    binaries = postgres_bin()
    owner = None
    if os.geteuid() == 0:
        try:
            owner = pwd.getpwnam("postgres")
        except KeyError:
            raise Missing("postgresql", "running as root, but there is no postgres user to run PostgreSQL") from None
    # Not pytest's tmp_path: the postgres user must reach it, and root's are private. /tmp is
    # open to every user; a TMPDIR of root's may not be.
    shared = "/tmp" if owner is not None and os.path.isdir("/tmp") else None
    root = Path(tempfile.mkdtemp(prefix="toolspec-postgres-", dir=shared))
    data = root / "data"
    try:
        if owner is not None:
            os.chown(root, owner.pw_uid, owner.pw_gid)
        initdb = [str(binaries / "initdb"), "-D", str(data), "-U", "toolspec", "--auth=trust", "-E", "UTF8"]
        _run(_as_postgres([*initdb, "--no-sync", "--no-instructions"]), "initdb")
        port = _start_postgres(binaries, root, data)
        try:
            yield Server(f"postgresql+psycopg://toolspec@127.0.0.1:{port}/postgres", port)
        finally:
            stop = [str(binaries / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"]
            _run(_as_postgres(stop), "pg_ctl stop")
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _start_postgres(binaries: Path, root: Path, data: Path) -> int:
    """Start the server on a free port (a new one if another process took it); its port."""
    for attempt in range(ATTEMPTS):
        port = free_port()
        options = (
            f"-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={root} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        start = [str(binaries / "pg_ctl"), "-D", str(data), "-l", str(root / "log"), "-o", options]
        start += ["-w", "-t", str(int(STARTUP_SECONDS)), "start"]
        result = subprocess.run(_as_postgres(start), capture_output=True, text=True, timeout=120, check=False)
        if result.returncode == 0:
            return port
        if attempt == ATTEMPTS - 1:
            log = (root / "log").read_text("utf-8", "replace") if (root / "log").exists() else ""
            raise RuntimeError(f"pg_ctl start failed ({result.returncode}): {result.stdout}{result.stderr}\n{log}")
    raise AssertionError("unreachable")


@contextlib.contextmanager
def redis() -> Iterator[Server]:
    """A Redis server of its own on a free loopback port, no persistence, in a temporary
    directory; terminated (it was started here) and removed after."""
    binary = redis_server()
    root = Path(tempfile.mkdtemp(prefix="toolspec-redis-"))
    try:
        process, port = _start_redis(binary, root)
        try:
            yield Server(f"redis://127.0.0.1:{port}/0", port)
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _start_redis(binary: str, root: Path) -> tuple[subprocess.Popen[bytes], int]:
    for attempt in range(ATTEMPTS):
        port = free_port()
        log = root / f"redis-{port}.log"
        command = [binary, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(root), "--save", ""]
        command += ["--appendonly", "no", "--daemonize", "no", "--logfile", str(log)]
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        if _answers_ping(port, process):
            return process, port
        process.kill()
        _, stderr = process.communicate()
        if attempt == ATTEMPTS - 1:
            text = log.read_text("utf-8", "replace") if log.exists() else ""
            raise RuntimeError(f"redis-server did not start: {stderr.decode('utf-8', 'replace')}{text}")
    raise AssertionError("unreachable")


def _answers_ping(port: int, process: subprocess.Popen[bytes]) -> bool:
    """Whether the server on port answers PING before it exits or the startup time is over."""
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as connection:
                connection.sendall(b"PING\r\n")
                if connection.recv(64).startswith(b"+PONG"):
                    return True
        except OSError:
            pass
        time.sleep(0.02)
    return False
