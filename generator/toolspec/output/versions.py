"""The versions of the tools whose output is committed: recorded in the manifest by generate,
compared by check, so that a difference a new release makes is named as such."""

from __future__ import annotations

import json
from importlib import metadata

from toolspec import __version__

PRODUCERS = ("ruff", "datamodel-code-generator", "openai-harmony")
"""Besides toolspec, what writes the bytes: the formatter, the model generator, and the renderer
whose token counts the catalogue shows. (pydantic,
which the models are written for, writes none of them: recording it made every clone with a
newer pydantic rewrite a manifest whose files had not changed.)"""


def running_versions() -> dict[str, str]:
    """Distribution -> the version installed here, toolspec first, the others by name."""
    versions = {"toolspec": __version__}
    for name in PRODUCERS:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


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
