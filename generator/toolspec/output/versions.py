"""The versions of the tools whose output is committed: recorded in the manifest by generate,
compared by check, so that a difference a new release makes is named as such."""

from __future__ import annotations

import hashlib
import json
import os
import sys

from toolspec import __version__
from toolspec.ground.user_cache import cache_directory

PRODUCERS = ("ruff", "datamodel-code-generator", "openai-harmony")
"""Besides toolspec, what writes the bytes: the formatter, the model generator, and the renderer
whose token counts the catalogue shows. (pydantic,
which the models are written for, writes none of them: recording it made every clone with a
newer pydantic rewrite a manifest whose files had not changed.)"""


def running_versions() -> dict[str, str]:
    """Distribution -> the version installed here, toolspec first, the others by name.

    Looking the versions up (importlib.metadata) costs a run that finds nothing to do about a
    sixth of its time, so they are kept in the user's cache under a fingerprint of the
    installation: the modification times of the directories on sys.path, which installing,
    upgrading or removing a distribution changes (its .dist-info directory comes or goes)."""
    fingerprint = _installation_fingerprint()
    cached = _cached_versions(fingerprint)
    if cached is not None:
        return cached
    versions = _looked_up_versions()
    _keep_versions(fingerprint, versions)
    return versions


def _looked_up_versions() -> dict[str, str]:
    from importlib import metadata  # here: a run with its versions in the cache does not import it

    versions = {"toolspec": __version__}
    for name in PRODUCERS:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def _installation_fingerprint() -> str:
    """What the versions installed here depend on: the interpreter, toolspec's own version and
    each sys.path entry with its modification time."""
    entries = [sys.executable, __version__]
    for entry in sys.path:
        try:
            entries.append(f"{entry}\0{os.stat(entry or '.').st_mtime_ns}")
        except OSError:
            entries.append(f"{entry}\0missing")
    return hashlib.sha256("\n".join(entries).encode("utf-8", "surrogateescape")).hexdigest()


def _versions_file() -> str | None:
    base = cache_directory()
    return os.path.join(base, "versions.json") if base is not None else None


def _cached_versions(fingerprint: str) -> dict[str, str] | None:
    path = _versions_file()
    try:
        with open(path or "", encoding="utf-8") as stream:
            kept = json.load(stream)
    except (OSError, ValueError):
        return None
    versions = kept.get("versions") if isinstance(kept, dict) and kept.get("fingerprint") == fingerprint else None
    if not isinstance(versions, dict) or list(versions) != ["toolspec", *PRODUCERS]:
        return None
    if not all(isinstance(version, str) for version in versions.values()):
        return None
    return versions


def _keep_versions(fingerprint: str, versions: dict[str, str]) -> None:
    path = _versions_file()
    if path is None:
        return
    try:
        os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
        temporary = f"{path}.{os.getpid()}.tmp"
        with open(temporary, "w", encoding="utf-8") as stream:
            json.dump({"fingerprint": fingerprint, "versions": versions}, stream)
        os.replace(temporary, path)
    except OSError:
        pass  # a cache that cannot be written only costs time


def recorded_versions(manifest: bytes) -> dict[str, str] | None:
    """The versions a manifest records, or None when it records none (or cannot be read)."""
    try:
        versions = json.loads(manifest.decode("utf-8")).get("versions")
    except (ValueError, AttributeError):
        return None
    if not isinstance(versions, dict) or not all(isinstance(v, str) for v in versions.values()):
        return None
    return {str(name): value for name, value in versions.items()}


def without_versions(manifest: bytes) -> bytes:
    """The manifest with its versions (and the build digest, made of them) left out: what check
    compares (the files it lists and their hashes)."""
    try:
        data = json.loads(manifest.decode("utf-8"))
    except ValueError:
        return manifest
    if not isinstance(data, dict):
        return manifest
    data.pop("versions", None)
    if isinstance(data.get("record"), dict):
        data["record"].pop("build", None)
    return json.dumps(data, sort_keys=True).encode("utf-8")


def version_note(recorded: dict[str, str] | None, running: dict[str, str]) -> str | None:
    """A line saying which recorded versions differ from the running ones, and what to do."""
    if recorded is None:
        return None
    differ = [name for name in running if recorded.get(name) != running[name]]
    if not differ:
        return None
    then = ", ".join(f"{name} {recorded.get(name, 'unknown')}" for name in differ)
    now = ", ".join(f"{name} {running[name]}" for name in differ)
    pins = " ".join(f"'{name}=={recorded[name]}'" for name in differ if name in recorded and name != "toolspec")
    install = f"install the recorded versions (pip install {pins}) to reproduce it, or " if pins else ""
    return (
        f"note: the output was generated with {then}, but this is {now}: the differences below may come "
        f"from the versions, not from the specs; {install}run `toolspec generate` with these versions and commit"
    )
