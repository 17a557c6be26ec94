"""Write the rendered package to disk, touching only the files the generator owns.

The manifest lists the owned files. Everything is rendered before anything is written,
new contents are staged beside their targets and moved into place only when all of them
could be staged, so that a failure leaves the output as it was.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from toolspec.output.render import MANIFEST, RenderedFiles


class OwnershipError(Exception):
    """The generator would overwrite a file it does not own."""


@dataclass(frozen=True)
class Changes:
    added: list[PurePosixPath] = field(default_factory=list)
    changed: list[PurePosixPath] = field(default_factory=list)
    removed: list[PurePosixPath] = field(default_factory=list)


def owned_files(output: Path) -> set[PurePosixPath]:
    """The files the last generation wrote, as its manifest lists them."""
    try:
        data = json.loads((output / MANIFEST).read_text("utf-8"))
        return {PurePosixPath(name) for name in data["files"]} | {PurePosixPath(MANIFEST)}
    except FileNotFoundError:
        return set()
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise OwnershipError(
            f"{output / MANIFEST} is unreadable ({error}): restore it from version control, "
            "or delete the output directory to generate it afresh"
        ) from None


def plan_changes(files: RenderedFiles, output: Path) -> Changes:
    """What writing files into output would add, change and remove."""
    if output.exists() and not output.is_dir():
        raise NotADirectoryError(
            f"the output path {output} is a file, not a directory: set `output` in [tool.toolspec]"
        )
    owned = owned_files(output)
    changes = Changes()
    for path, content in sorted(files.items()):
        target = output / path
        if not target.exists():
            changes.added.append(path)
        elif path not in owned:
            raise OwnershipError(
                f"{target} exists but was not written by toolspec: move it away, or remove it, and generate again"
            )
        elif target.read_bytes() != content:
            changes.changed.append(path)
    changes.removed.extend(sorted(path for path in owned - set(files) if (output / path).exists()))
    return changes


def write_files(files: RenderedFiles, output: Path) -> Changes:
    """Bring output in line with files; return what changed."""
    changes = plan_changes(files, output)
    staged: list[tuple[str, Path]] = []
    try:
        for path in changes.added + changes.changed:
            target = output / path
            target.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
            staged.append((temporary, target))
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
    for path, content in sorted(scaffolds.items()):
        target = output / path
        if target.exists() or target.is_symlink():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("xb") as stream:
            stream.write(content)
        written.append(path)
    return written


def _remove_empty_parents(path: Path, root: Path) -> None:
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
