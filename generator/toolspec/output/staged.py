"""The files a run arrives at, by their path below the output: what render makes, and write and
check read. Here, not in render.py, so that writing and comparing do not depend on rendering.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import weakref
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

MANIFEST = "toolspec.manifest.json"
"""The file, at the root of the output, that lists every file the generator owns."""

RenderedFiles = Mapping[PurePosixPath, bytes]


class StagedFiles(Mapping[PurePosixPath, bytes]):
    """Rendered files, by their path below the output, kept on disk and read when asked for: a
    run holds none of them in memory. A file rendered now is put in a temporary directory (which
    goes when the mapping does, or when the process ends); one known to be current is referred
    to where it is."""

    def __init__(self) -> None:
        self._root: Path | None = None
        self._at: dict[PurePosixPath, Path] = {}
        """Path below the output -> the file that holds its bytes."""
        self._sha256: dict[PurePosixPath, str] = {}
        """The digests known without reading: those of the files referred to."""

    @property
    def root(self) -> Path:
        """The directory that holds the files put here, at their paths."""
        if self._root is None:
            self._root = Path(tempfile.mkdtemp(prefix="toolspec-render-"))
            weakref.finalize(self, shutil.rmtree, self._root, ignore_errors=True)
        return self._root

    def put(self, path: PurePosixPath, content: bytes | str) -> None:
        target = self.root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        self._at[path] = target

    def moved(self, path: PurePosixPath, destination: Path, final: Path) -> bool:
        """Move the file put for path to destination (a write's temporary file, to be renamed to
        final), in place of copying its bytes; from then on they are read at final. False where
        path's file was referred to, not put here, or cannot be renamed there (another file
        system): then the caller copies the bytes."""
        held = self._at.get(path)
        if self._root is None or held is None or not held.is_relative_to(self._root):
            return False
        try:
            os.replace(held, destination)
        except OSError:
            return False
        self._at[path] = final
        return True

    def refer(self, path: PurePosixPath, file: Path, sha256: str | None = None) -> None:
        """The bytes of path are those of file (a current file of the output), read when asked
        for; sha256: their digest, where the record knows it."""
        self._at[path] = file
        if sha256 is not None:
            self._sha256[path] = sha256

    def sha256(self, path: PurePosixPath) -> str:
        """The digest of path's bytes: known for a file referred to with one, else read."""
        known = self._sha256.get(path)
        return known if known is not None else digest(self[path])

    def held_in(self, path: PurePosixPath, file: Path) -> bool:
        """Whether path's bytes are those of file itself (it was referred to): then comparing
        the two is comparing a file with itself, and needs no reading."""
        return self._at.get(path) == file

    def __getitem__(self, path: PurePosixPath) -> bytes:
        return self._at[path].read_bytes()

    def __iter__(self) -> Iterator[PurePosixPath]:
        return iter(sorted(self._at))

    def __len__(self) -> int:
        return len(self._at)

    def __contains__(self, path: object) -> bool:
        return path in self._at


def held_in_place(files: RenderedFiles, path: PurePosixPath, target: Path) -> bool:
    """Whether the bytes files has for path are target's own (a file known to be current,
    referred to where it is): equal to target's without reading either."""
    return isinstance(files, StagedFiles) and files.held_in(path, target)


@dataclass(frozen=True)
class Rendered:
    files: RenderedFiles
    """The owned files, the manifest among them: what generate writes and check compares."""
    scaffolds: RenderedFiles
    """Files for the user to take over: written only where absent."""


def digest(data: bytes) -> str:
    """The sha256 of a file's bytes, as the manifest records them."""
    return hashlib.sha256(data).hexdigest()
