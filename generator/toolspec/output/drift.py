"""`toolspec check`: is what is on disk exactly what the specs compile to?"""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Set
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from toolspec.output.files import owned_files, unexpected_files
from toolspec.output.staged import MANIFEST, held_in_place
from toolspec.output.versions import recorded_versions, running_versions, version_note, without_versions

if TYPE_CHECKING:
    from toolspec.output.staged import RenderedFiles


@dataclass(frozen=True)
class Drift:
    compared: int
    diffs: list[str] = field(default_factory=list)
    changed: list[PurePosixPath] = field(default_factory=list)
    """The files of diffs, in the same order."""
    version_note: str | None = None
    """When the output differs and was generated with other versions than these: which."""
    missing: list[PurePosixPath] = field(default_factory=list)
    orphaned: list[PurePosixPath] = field(default_factory=list)
    """Generated once (the manifest on disk lists them), no longer generated."""
    stray: list[PurePosixPath] = field(default_factory=list)
    """Never generated: somebody put them in the generated tree."""

    @property
    def clean(self) -> bool:
        return self.compared > 0 and not (self.diffs or self.missing or self.orphaned or self.stray)


def find_drift(
    files: RenderedFiles, output: Path, display: str, *, scaffolds: Set[PurePosixPath] = frozenset()
) -> Drift:
    """Compare the rendered files with the output directory; display names it in diffs.

    Scaffolds are the user's once written: they are neither compared nor stray. Nothing is read
    while output holds a symbolic link, or its manifest lists a path outside it (owned_files).
    """
    owned = owned_files(output)
    drift = Drift(compared=len(files))
    recorded = None
    for path in sorted(files):  # one file's bytes at a time: files may be staged on disk
        target = output / path
        if not target.is_file():
            drift.missing.append(path)
            continue
        if path != PurePosixPath(MANIFEST) and held_in_place(files, path, target):
            continue  # the file itself, known to be current by its recorded hash
        content = files[path]
        on_disk = target.read_bytes()
        if path == PurePosixPath(MANIFEST):
            recorded = recorded_versions(on_disk)
            if without_versions(on_disk) == without_versions(content):
                continue  # the versions alone make no drift: the files are what matters
        if on_disk != content:
            drift.diffs.append(_diff(on_disk, content, f"{display}/{path}"))
            drift.changed.append(path)
    for relative in unexpected_files(output, set(files) | scaffolds):
        (drift.orphaned if relative in owned else drift.stray).append(relative)
    if not drift.clean and drift.compared:
        note = version_note(recorded, running_versions())
        if note is not None:
            drift = dataclasses.replace(drift, version_note=note)
    return drift


def _diff(on_disk: bytes, expected: bytes, name: str) -> str:
    old = on_disk.decode("utf-8", errors="replace").splitlines(keepends=True)
    new = expected.decode("utf-8", errors="replace").splitlines(keepends=True)
    lines = difflib.unified_diff(old, new, fromfile=f"{name} (on disk)", tofile=f"{name} (from the specs)")
    return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines)
