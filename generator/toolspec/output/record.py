"""The build record: what each toolset's files were made from, kept in the manifest.

A toolset's output depends on its spec, the grammar files the spec reads, and the build: the
generator's own files (code and templates), the versions of the formatter and the model
generator, and the configuration that shapes the output. The manifest records the hash of
each input and of each file written. A later run that finds the same build, the same input
hashes and, on disk, files with the recorded hashes knows those files are exactly what the
specs compile to, without compiling anything: the proof is in the hashes. check reads each
file to hash it; generate may take a file's hash from when it was last hashed while the file's
status is the same (hash_of, speed/file_hashes.py). Anything that does not match, or a record
that cannot be read, means "compile it": a damaged record costs time, never correctness.

The record is committed, so it is untrusted like the rest of the manifest: only paths the
manifest lists as owned are read from the output, and inputs are read only as spec files
and grammar files inside the project.
"""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path, PurePosixPath
from typing import Any, TypeGuard

from toolspec.compile.shapes import SHAPES
from toolspec.output.artefacts import PACKAGE_ARTEFACTS, Ownership, toolset_artefacts
from toolspec.output.files import read_manifest
from toolspec.output.staged import MANIFEST, Rendered, StagedFiles, digest

RECORD_KEY = "record"
"""The manifest's key for the record."""


@dataclass(frozen=True)
class ToolsetRecord:
    spec: str
    """The spec file, from the project root."""
    toolset: str
    inputs: Mapping[str, str]
    """Every file the toolset was compiled from (the spec and its grammar files) -> sha256."""
    files: tuple[str, ...]
    """The output files of the toolset, relative to the output directory."""


@dataclass(frozen=True)
class Record:
    build: str
    """The digest of everything besides the specs that the output depends on."""
    files: Mapping[str, str]
    """Every owned output file (the manifest aside) -> sha256 of its bytes."""
    toolsets: Mapping[str, ToolsetRecord]
    """By spec path."""

    def as_json(self) -> dict[str, Any]:
        return {
            "build": self.build,
            "files": dict(sorted(self.files.items())),
            "toolsets": {
                spec: {"toolset": t.toolset, "inputs": dict(sorted(t.inputs.items())), "files": sorted(t.files)}
                for spec, t in sorted(self.toolsets.items())
            },
        }


@dataclass(frozen=True)
class CurrentFile:
    """A file of the output whose bytes hash as the record says."""

    path: Path
    sha256: str


def build_digest(versions: Mapping[str, str], settings: Mapping[str, Any], templates: Path | None) -> str:
    """The digest of the build: the generator's files, the producers' versions, the settings
    that shape the output, and the user's template overrides."""
    overrides = _tree_digest(templates) if templates is not None and templates.is_dir() else None
    payload = {
        "generator": generator_digest(),
        "versions": dict(versions),
        "settings": settings,
        "templates": overrides,
    }
    return digest(json.dumps(payload, sort_keys=True, default=str).encode("utf-8"))


@functools.cache
def generator_digest() -> str:
    """The digest of toolspec's own files (its code and its templates): an edit to the generator
    is a new build even while its version number stays the same."""
    hashes = [_tree_digest(Path(str(resources.files(package)))) for package in ("toolspec", "toolspec.templates")]
    return digest("\0".join(hashes).encode())


def _tree_digest(root: Path) -> str:
    entries: list[str] = []
    for directory, subdirectories, files in os.walk(root):
        subdirectories[:] = sorted(d for d in subdirectories if d != "__pycache__" and not d.startswith("."))
        for name in sorted(files):
            if name.endswith((".pyc", ".pyo")) or name.startswith("."):
                continue
            path = Path(directory) / name
            entries.append(f"{path.relative_to(root).as_posix()}\0{digest(path.read_bytes())}")
    return digest("\n".join(entries).encode())


def read_record(output: Path) -> Record | None:
    """The record of the manifest in output, once the manifest's entries are known to be safe."""
    if not output.is_dir():
        return None  # none yet; or a file in its place, which writing reports
    manifest, owned = read_manifest(output)  # raises ManifestError for an entry outside the output
    if not owned - {PurePosixPath(MANIFEST)} or not isinstance(manifest, dict):
        return None
    return parse_record(manifest, owned)


def parse_record(manifest: Mapping[str, Any], owned: Iterable[PurePosixPath]) -> Record | None:
    """The record a manifest holds, or None when it holds none that can be used. Its output
    paths must be among the owned files (checked already); its inputs must be normalised
    relative paths."""
    data = manifest.get(RECORD_KEY)
    if not isinstance(data, dict):
        return None
    build, files, toolsets = data.get("build"), data.get("files"), data.get("toolsets")
    owned_names = {str(path) for path in owned}
    if not (isinstance(build, str) and _is_hash_map(files) and isinstance(toolsets, dict)):
        return None
    if not set(files) <= owned_names:
        return None
    parsed: dict[str, ToolsetRecord] = {}
    recorded = set(files)
    for spec, entry in toolsets.items():
        record = _toolset_record(spec, entry, recorded)
        if record is None:
            return None
        parsed[spec] = record
    return Record(build, files, parsed)


def _toolset_record(spec: object, entry: object, files: set[str]) -> ToolsetRecord | None:
    if not (isinstance(spec, str) and isinstance(entry, dict)):
        return None
    name, inputs, outputs = entry.get("toolset"), entry.get("inputs"), entry.get("files")
    if not (isinstance(name, str) and _is_hash_map(inputs) and isinstance(outputs, list)):
        return None
    if not all(isinstance(path, str) and path in files for path in outputs):
        return None
    if spec not in inputs or not all(_is_relative(path) for path in inputs):
        return None
    return ToolsetRecord(spec, name, inputs, tuple(outputs))


def _is_hash_map(value: object) -> TypeGuard[dict[str, str]]:
    return isinstance(value, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in value.items())


def _is_relative(path: str) -> bool:
    parts = path.split("/")
    return not path.startswith("/") and "\\" not in path and all(part not in ("", ".", "..") for part in parts)


HashOf = Callable[[str], str | None]
"""The sha256 of the file at a path, None where it cannot be read."""


def file_sha256(path: str) -> str | None:
    """The sha256 of the bytes of the file at path, read now."""
    try:
        with open(path, "rb") as stream:
            return digest(stream.read())
    except OSError:
        return None


def unchanged_toolsets(
    record: Record, specs: Sequence[str], root: Path, output: Path, hash_of: HashOf | None = None
) -> dict[str, dict[str, CurrentFile]]:
    """Spec path -> the toolset's files (by their path below output), for each spec whose inputs
    hash as recorded and whose files on disk hash as recorded: those files need no compiling.
    hash_of: the sha256 of a file by its path (file_sha256 unless given)."""
    hash_of = hash_of or file_sha256
    unchanged: dict[str, dict[str, CurrentFile]] = {}
    base = str(root)
    for spec in specs:
        entry = record.toolsets.get(spec)
        if entry is None or not all(hash_of(os.path.join(base, path)) == sha for path, sha in entry.inputs.items()):
            continue
        if files_as_recorded(entry.files, record, output, hash_of):
            unchanged[spec] = {path: CurrentFile(output / path, record.files[path]) for path in entry.files}
    return unchanged


def files_as_recorded(paths: Iterable[str], record: Record, output: Path, hash_of: HashOf | None = None) -> bool:
    """Whether each file on disk hashes as recorded (paths joined as strings: a run that finds
    nothing to do looks at every file of the output)."""
    hash_of = hash_of or file_sha256
    base = str(output)
    return all(hash_of(os.path.join(base, path)) == record.files.get(path) for path in paths)


def all_current(
    record: Record,
    specs: Sequence[str],
    unchanged: Mapping[str, Mapping[str, CurrentFile]],
    output: Path,
    hash_of: HashOf | None = None,
) -> Rendered | None:
    """The whole package as on disk, when every spec, and only those, is unchanged and every
    other file is as recorded: then nothing needs compiling. Scaffolds would need rendering."""
    if set(specs) != set(record.toolsets) or set(unchanged) != set(specs) or _has_scaffolds():
        return None
    toolset_files = {path for entry in record.toolsets.values() for path in entry.files}
    rest = [path for path in record.files if path not in toolset_files]
    if not files_as_recorded(rest, record, output, hash_of) or not (output / MANIFEST).is_file():
        return None
    files = StagedFiles()
    for path in rest:
        files.refer(PurePosixPath(path), output / path, record.files[path])
    files.refer(PurePosixPath(MANIFEST), output / MANIFEST)
    for found in unchanged.values():
        for path, current in found.items():
            files.refer(PurePosixPath(path), current.path, current.sha256)
    return Rendered(files=files, scaffolds={})


def _has_scaffolds() -> bool:
    return any(a.ownership is Ownership.SCAFFOLD for a in (*PACKAGE_ARTEFACTS, *toolset_artefacts(SHAPES)))
