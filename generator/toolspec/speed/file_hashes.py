"""FileHashes: the sha256 of files known by their status, as git's index knows them, so that a
generate that finds nothing to do reads no file that is unchanged since it was last hashed.

The record (output/record.py) proves the output current by the hashes of the specs and of
every generated file; reading and hashing all of them was most of such a run (~80 ms for the
2,300 files of 250 toolsets). So generate keeps, in the user's cache (one file per output
directory), each file's hash with its status when it was hashed: size, modification and
status-change times in nanoseconds, inode and device. A file whose status is the same holds
the same bytes: writing it, or setting its times, moves its status-change time to the present.

Unless it was written within one tick of the file system's clock of being hashed: a second
write in that tick, at the same size, would leave its status as it was (git's "racily clean"
files). Such a file (modified less than RACY before it was hashed, RACY_WHOLE_SECONDS where
the file system keeps whole seconds) is hashed again, each run, until its last change is
older than that.

Only generate trusts it. check, the proof CI runs, reads every byte; a cache that cannot be
read or written costs time, never a wrong answer.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from pathlib import Path

from toolspec.ground.user_cache import cache_directory

FORMAT = 1
"""Bumped when the layout of the kept file changes."""
RACY = 50_000_000
"""Nanoseconds: a file modified less than this before it was hashed is hashed again. Above the
tick of file systems with sub-second times (Linux's is one scheduler tick, at most 10 ms)."""
RACY_WHOLE_SECONDS = 3_000_000_000
"""The same, for a file whose times are whole seconds (ext3, HFS+; FAT keeps two)."""

Status = tuple[int, int, int, int, int]
"""size, modification time (ns), status-change time (ns), inode, device."""


class FileHashes:
    """The hashes of files by their absolute path, read from and kept in one cache file (none:
    nothing is kept)."""

    def __init__(self, kept_in: Path | None) -> None:
        self._kept_in = kept_in
        self._known: dict[str, list[object]] = {}
        """path -> [size, mtime_ns, ctime_ns, inode, device, hashed at (ns), sha256]"""
        self._seen: set[str] = set()
        self._changed = False
        if kept_in is not None:
            self._known = _read(kept_in)

    @classmethod
    def for_output(cls, output: Path) -> FileHashes:
        """The hashes kept for the project whose output directory is output."""
        base = cache_directory()
        if base is None:
            return cls(None)
        key = hashlib.sha256(os.fsencode(os.path.abspath(output))).hexdigest()[:32]
        return cls(base / "hashes" / f"{key}.json")

    def sha256(self, path: str) -> str | None:
        """The sha256 of the bytes of the file at path; None where it cannot be read."""
        started = time.time_ns()
        path = path if os.path.isabs(path) else os.path.abspath(path)  # known by where it is
        self._seen.add(path)
        try:
            before = _status(path)
        except OSError:
            return None
        known = self._known.get(path)
        if known is not None and tuple(known[:5]) == before and _settled(before, known[5]):
            sha = known[6]
            if isinstance(sha, str):
                return sha
        try:
            with open(path, "rb") as stream:
                sha = hashlib.sha256(stream.read()).hexdigest()
            after = _status(path)
        except OSError:
            return None
        if after == before:  # else written while read: known next time
            self._known[path] = [*before, started, sha]
            self._changed = True
        return sha

    def keep(self) -> None:
        """Write the hashes of the files looked up back, where any was added or renewed."""
        if self._kept_in is None or not self._changed:
            return
        kept = {path: entry for path, entry in self._known.items() if path in self._seen}
        try:
            self._kept_in.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            temporary = self._kept_in.with_name(f".{self._kept_in.name}.{os.getpid()}.tmp")
            temporary.write_text(json.dumps({"format": FORMAT, "files": kept}), "utf-8")
            os.replace(temporary, self._kept_in)
        except OSError:
            pass  # a cache that cannot be written only costs time
        self._changed = False


def _status(path: str) -> Status:
    found = os.stat(path)
    return (found.st_size, found.st_mtime_ns, found.st_ctime_ns, found.st_ino, found.st_dev)


def _settled(status: Status, hashed_at: object) -> bool:
    """Whether the file's last change was more than a tick of its clock before it was hashed."""
    if not isinstance(hashed_at, int):
        return False
    modified, changed = status[1], status[2]
    whole_seconds = modified % 1_000_000_000 == 0 or changed % 1_000_000_000 == 0
    return hashed_at - max(modified, changed) > (RACY_WHOLE_SECONDS if whole_seconds else RACY)


def _read(kept_in: Path) -> dict[str, list[object]]:
    """The kept hashes; none where the file is missing, damaged or of another format."""
    try:
        kept = json.loads(kept_in.read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    files = kept.get("files") if isinstance(kept, dict) and kept.get("format") == FORMAT else None
    if not isinstance(files, dict):
        return {}
    return {
        path: entry
        for path, entry in files.items()
        if isinstance(entry, list) and len(entry) == 7 and all(type(value) is int for value in entry[:6])
    }
