"""Write the rendered package to disk, touching only the files the generator owns.

The manifest lists the owned files. Everything is rendered before anything is written,
new contents are staged beside their targets and moved into place only when all of them
could be staged, so that a failure leaves the output as it was.
"""

from __future__ import annotations

import json
import os
import re
import stat
import tempfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from toolspec.output.render import MANIFEST, RenderedFiles, held_in_place


class OwnershipError(Exception):
    """The generator would overwrite a file it does not own."""


class ManifestError(Exception):
    """The manifest is damaged or lists a file outside the output directory. It comes from the
    repository, so a bad merge or a pull request could otherwise make generate delete any file."""


@dataclass(frozen=True)
class Changes:
    added: list[PurePosixPath] = field(default_factory=list)
    changed: list[PurePosixPath] = field(default_factory=list)
    removed: list[PurePosixPath] = field(default_factory=list)


def owned_files(output: Path) -> set[PurePosixPath]:
    """The files the last generation wrote, as its manifest lists them, each checked to be a
    file inside output before anything trusts it."""
    manifest = output / MANIFEST
    try:
        data = json.loads(manifest.read_text("utf-8"))
    except FileNotFoundError:
        return set()
    except (OSError, ValueError) as error:
        raise ManifestError(_manifest_message(manifest, f"is unreadable ({error})")) from None
    entries = data.get("files") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise ManifestError(_manifest_message(manifest, "has no list of `files`"))
    owned = {PurePosixPath(MANIFEST)}
    links = _Links(output)
    for entry in entries:
        problem = _entry_problem(entry, output, links)
        if problem:
            raise ManifestError(_manifest_message(manifest, f"lists {json.dumps(entry)}, which {problem}"))
        owned.add(PurePosixPath(entry))
    return owned


def _manifest_message(manifest: Path, problem: str) -> str:
    return (
        f"the manifest {manifest} {problem}: nothing was written or removed; restore the manifest from "
        "version control, or delete the output directory to generate it afresh"
    )


def _entry_problem(entry: object, output: Path, links: _Links) -> str | None:
    """Why a manifest entry is not a normalised relative POSIX path of a file inside output."""
    if not isinstance(entry, str):
        return "is not a path"
    if "\\" in entry or "\0" in entry or re.match(r"[A-Za-z]:", entry):
        return "is not a POSIX path (it has a backslash, a NUL or a drive letter)"
    if entry.startswith("/"):
        return "is absolute: entries are relative to the output directory"
    if any(part in ("", ".", "..") for part in entry.split("/")):
        return "is not a normalised relative path (it has an empty, `.` or `..` part)"
    if links.lead_out(PurePosixPath(entry)):
        return "is reached through a symbolic link that leads out of the output directory"
    if (output / entry).is_dir() and not (output / entry).is_symlink():
        return "is a directory, not a file"
    return None


class _Links:
    """Where the directories below output lead once symbolic links are followed: each directory
    is resolved once per operation, however many files it holds."""

    def __init__(self, output: Path) -> None:
        self.output = output
        self.root = os.path.realpath(output)
        self.outside: dict[PurePosixPath, bool] = {}

    def lead_out(self, path: PurePosixPath) -> bool:
        """Whether the directory of path, below output, is outside output once symbolic links
        are followed. The file itself is never followed: os.replace and unlink act on a link,
        not its target."""
        directory = path.parent
        if directory not in self.outside:
            inside = Path(os.path.realpath(self.output / directory))  # unlike Path.resolve, no RuntimeError on a loop
            self.outside[directory] = not inside.is_relative_to(self.root)
        return self.outside[directory]

    def refuse_out(self, path: PurePosixPath) -> None:
        if self.lead_out(path):
            raise OwnershipError(
                f"{(self.output / path).parent} is a symbolic link that leads out of {self.output}: generate does "
                "not write through it; remove the link and generate again"
            )


def plan_changes(files: RenderedFiles, output: Path) -> Changes:
    """What writing files into output would add, change and remove."""
    if output.exists() and not output.is_dir():
        raise NotADirectoryError(
            f"the output path {output} is a file, not a directory: set `output` in [tool.toolspec]"
        )
    owned = owned_files(output)
    changes = Changes()
    links = _Links(output)
    for path in sorted(files):  # one file's bytes at a time: files may be staged on disk
        target = output / path
        links.refuse_out(path)
        if not target.exists():
            changes.added.append(path)
        elif path not in owned:
            raise OwnershipError(
                f"{target} exists but was not written by toolspec: move it away, or remove it, and generate again"
            )
        elif not held_in_place(files, path, target) and target.read_bytes() != files[path]:
            changes.changed.append(path)
    changes.removed.extend(sorted(path for path in owned - set(files) if (output / path).exists()))
    return changes


def write_files(files: RenderedFiles, output: Path) -> Changes:
    """Bring output in line with files; return what changed."""
    changes = plan_changes(files, output)
    umask = _current_umask()
    staged: list[tuple[str, Path]] = []
    try:
        for path in changes.added + changes.changed:
            target = output / path
            target.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
            staged.append((temporary, target))
            os.chmod(temporary, _mode_for(target, umask))  # os.fchmod is POSIX-only before 3.13
            with os.fdopen(handle, "wb") as stream:
                stream.write(files[path])
    except BaseException:
        for temporary, _ in staged:
            os.unlink(temporary)
        raise
    for temporary, target in staged:
        os.replace(temporary, target)
    for path in changes.removed:
        (output / path).unlink()
        _remove_empty_parents(output / path, output)
    return changes


def write_scaffolds(scaffolds: RenderedFiles, output: Path) -> list[PurePosixPath]:
    """Write the scaffolds that do not exist yet; an existing one is the user's and stays as it is."""
    written: list[PurePosixPath] = []
    links = _Links(output)
    for path, content in sorted(scaffolds.items()):
        target = output / path
        links.refuse_out(path)
        if target.exists() or target.is_symlink():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("xb") as stream:
            stream.write(content)
        written.append(path)
    return written


def _current_umask() -> int:
    umask = os.umask(0o022)  # reading the umask means setting it; it is put back at once
    os.umask(umask)
    return umask


def _mode_for(target: Path, umask: int) -> int:
    """The mode of a file written in place of target: mkstemp creates 0600, but a rewritten file
    keeps its mode and a new one gets what the umask gives, so that others can import the package."""
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        return 0o666 & ~umask


def _remove_empty_parents(path: Path, root: Path) -> None:
    """Remove the directories left empty (but for bytecode) below root; a symbolic link, to a
    directory or a cache, is removed as a link and never followed."""
    directory = path.parent
    while directory != root and directory.is_dir() and not directory.is_symlink():
        leftovers = [child for child in directory.iterdir() if child.name != "__pycache__"]
        if leftovers:
            return
        for cache in directory.iterdir():
            if cache.is_symlink():
                cache.unlink()
                continue
            for compiled in cache.iterdir():
                compiled.unlink()
            cache.rmdir()
        directory.rmdir()
        directory = directory.parent
