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
from collections.abc import Set
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from toolspec.ground.errors import EXIT_FINDINGS, ToolspecError
from toolspec.output.staged import MANIFEST, StagedFiles, held_in_place

if TYPE_CHECKING:
    from toolspec.output.staged import RenderedFiles


class OwnershipError(ToolspecError):
    """The generator would overwrite a file it does not own: the project, not the call, must change."""

    status = EXIT_FINDINGS


class ManifestError(ToolspecError):
    """The manifest is damaged or lists a file outside the output directory. It comes from the
    repository, so a bad merge or a pull request could otherwise make generate delete any file."""


@dataclass(frozen=True)
class Changes:
    added: list[PurePosixPath] = field(default_factory=list)
    changed: list[PurePosixPath] = field(default_factory=list)
    removed: list[PurePosixPath] = field(default_factory=list)
    stray: list[PurePosixPath] = field(default_factory=list)
    """Files generate never wrote, found in the output directory (and left there unless pruned)."""
    pruned: list[PurePosixPath] = field(default_factory=list)
    """The stray files removed (`generate --prune`)."""


IGNORED_PARTS = ("__pycache__", ".mypy_cache", ".pytest_cache")
"""What Python and its tools leave in a package: neither generated nor stray."""


def unexpected_files(output: Path, expected: Set[PurePosixPath]) -> list[PurePosixPath]:
    """The files in output that are not expected, bytecode and tool caches aside; links are not
    followed (refuse_links has refused any already)."""
    found: list[PurePosixPath] = []
    expected_names = {str(path) for path in expected}  # compared as strings: every file is visited
    root = str(output)
    for directory, subdirectories, names in os.walk(root):  # followlinks=False
        subdirectories[:] = [name for name in subdirectories if name not in IGNORED_PARTS]
        below = os.path.relpath(directory, root).replace(os.sep, "/")
        for name in names:
            relative = name if below == "." else f"{below}/{name}"
            ignored = name in IGNORED_PARTS or os.path.splitext(name)[1] == ".pyc"
            if relative not in expected_names and not ignored and os.path.isfile(os.path.join(directory, name)):
                found.append(PurePosixPath(relative))
    return sorted(found)


def prune(output: Path, strays: list[PurePosixPath]) -> None:
    """Remove the stray files, and the directories that leaves empty, inside output only; a path
    that became a link or a directory meanwhile is left alone."""
    for path in strays:
        target = output / path
        if stat.S_ISREG(target.lstat().st_mode) and not target.parent.is_symlink():
            target.unlink()
            _remove_empty_parents(target, output)


class LinkError(ToolspecError):
    """A symbolic link in the output directory (or the output directory itself is one). The output
    comes from the repository, so a pull request could otherwise make check print, or generate
    overwrite or remove, any file the run can reach."""


def refuse_links(output: Path) -> None:
    """Raise LinkError naming every symbolic link in output, or output itself if it is one; no
    link is opened or followed."""
    if output.is_symlink():
        raise LinkError(
            f"the output directory {output} is a symbolic link: toolspec reads and writes no output through a "
            "link; make it a directory, or set `output` in [tool.toolspec] to the directory it leads to"
        )
    links: list[str] = []
    pending = [output] if output.is_dir() else []
    while pending:
        with os.scandir(pending.pop()) as entries:
            for entry in entries:
                if entry.is_symlink():
                    links.append(entry.path)
                elif entry.is_dir():
                    pending.append(Path(entry.path))
    if links:
        raise LinkError(
            f"symbolic links in the output directory {output}: {', '.join(sorted(links))}; toolspec neither "
            "follows nor replaces links there, so nothing was read, written or removed: remove them and run again"
        )


def owned_files(output: Path) -> set[PurePosixPath]:
    """The files the last generation wrote, as its manifest lists them, each checked to be a
    file inside output before anything trusts it. Nothing is read while output holds a link."""
    return read_manifest(output)[1]


def read_manifest(output: Path) -> tuple[object, set[PurePosixPath]]:
    """The manifest in output, parsed (None where there is none), and the files it owns
    (owned_files)."""
    refuse_links(output)
    manifest = output / MANIFEST
    try:
        data = _parsed_json(manifest.read_text("utf-8"))
    except FileNotFoundError:
        return None, set()
    except (OSError, ValueError) as error:
        raise ManifestError(_manifest_message(manifest, f"is unreadable ({error})")) from None
    entries = data.get("files") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise ManifestError(_manifest_message(manifest, "has no list of `files`"))
    owned = {PurePosixPath(MANIFEST)}
    for entry in entries:
        problem = _entry_problem(entry, output)
        if problem:
            raise ManifestError(_manifest_message(manifest, f"lists {json.dumps(entry)}, which {problem}"))
        owned.add(PurePosixPath(entry))
    return data, owned


MAX_MANIFEST_NESTING = 32
"""The deepest a manifest's arrays and objects may nest: generate writes 5 levels; Python's json
would end in a RecursionError near 1,000."""


_BRACKET_OR_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|(?P<open>[\[{])|(?P<close>[\]}])')


def _parsed_json(text: str) -> object:
    """The JSON value of text; ValueError, naming the line and column, where it nests deeper than
    MAX_MANIFEST_NESTING. The value is measured once parsed; the text is searched for the place
    only when it nests too deep (or too deep for Python's json, a RecursionError)."""
    try:
        value = json.loads(text)
        too_deep = _nesting(value) > MAX_MANIFEST_NESTING
    except RecursionError:  # deeper than Python's json goes
        value, too_deep = None, True
    if too_deep:
        _refuse_deep_nesting(text)
        raise ValueError(f"nested more than {MAX_MANIFEST_NESTING} levels deep")
    return value


def _nesting(value: object) -> int:
    """How deep value's arrays and objects nest, counted up to one more than MAX_MANIFEST_NESTING."""
    deepest = 0
    pending: list[tuple[object, int]] = [(value, 1)]
    while pending and deepest <= MAX_MANIFEST_NESTING:
        item, depth = pending.pop()
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else None
        if children is not None:
            deepest = max(deepest, depth)
            pending.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))
    return deepest


def _refuse_deep_nesting(text: str) -> None:
    """Raise ValueError at the first bracket that opens a level beyond MAX_MANIFEST_NESTING."""
    depth = 0
    for match in _BRACKET_OR_STRING.finditer(text):
        if match["open"]:
            depth += 1
            if depth > MAX_MANIFEST_NESTING:
                line = text.count("\n", 0, match.start()) + 1
                column = match.start() - text.rfind("\n", 0, match.start())
                raise ValueError(f"nested more than {MAX_MANIFEST_NESTING} levels deep at line {line} column {column}")
        elif match["close"]:
            depth -= 1


def _manifest_message(manifest: Path, problem: str) -> str:
    return (
        f"the manifest {manifest} {problem}: nothing was written or removed; restore the manifest from "
        "version control, or delete the output directory to generate it afresh"
    )


def _entry_problem(entry: object, output: Path) -> str | None:
    """Why a manifest entry is not a normalised relative POSIX path of a file inside output."""
    if not isinstance(entry, str):
        return "is not a path"
    if "\\" in entry or "\0" in entry or re.match(r"[A-Za-z]:", entry):
        return "is not a POSIX path (it has a backslash, a NUL or a drive letter)"
    if entry.startswith("/"):
        return "is absolute: entries are relative to the output directory"
    if any(part in ("", ".", "..") for part in entry.split("/")):
        return "is not a normalised relative path (it has an empty, `.` or `..` part)"
    if os.path.isdir(os.path.join(output, entry)):  # joined as a string: every entry is checked
        return "is a directory, not a file"
    return None


def plan_changes(files: RenderedFiles, output: Path) -> Changes:
    """What writing files into output would add, change and remove."""
    refuse_links(output)
    if output.exists() and not output.is_dir():
        raise NotADirectoryError(
            f"the output path {output} is a file, not a directory: set `output` in [tool.toolspec]"
        )
    owned = owned_files(output)
    changes = Changes()
    for path in sorted(files):  # one file's bytes at a time: files may be staged on disk
        target = output / path
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
            with os.fdopen(handle, "wb") as stream:
                # A file rendered to a staging directory on this file system is moved, not copied.
                if not (isinstance(files, StagedFiles) and files.moved(path, Path(temporary), target)):
                    stream.write(files[path])
            os.chmod(temporary, _mode_for(target, umask))  # os.fchmod is POSIX-only before 3.13
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
    refuse_links(output)
    for path, content in sorted(scaffolds.items()):
        target = output / path
        if target.exists():
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
    """Remove the directories left empty (but for bytecode) below root."""
    directory = path.parent
    while directory != root and directory.is_dir():
        leftovers = [child for child in directory.iterdir() if child.name != "__pycache__"]
        if leftovers:
            return
        for cache in directory.iterdir():
            for compiled in cache.iterdir():
                compiled.unlink()
            cache.rmdir()
        directory.rmdir()
        directory = directory.parent
