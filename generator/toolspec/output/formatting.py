"""Black, as generated Python is formatted, with a cache that makes formatting the same source twice free."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import black
from black.mode import TargetVersion


def format_python(source: str) -> str:
    """Black's formatting, once per module, remembered across runs by content.

    Black is the slowest stage by far; `check` right after `generate` formats the very same
    sources, so a cache keyed by black's version and the source makes it nearly free.
    """
    key = hashlib.sha256(f"{_black_version()}\0{source}".encode()).hexdigest()
    cache = _cache_dir()
    cached = cache / key[:2] / key if cache is not None else None
    if cached is not None:
        try:
            return cached.read_text("utf-8")
        except (OSError, UnicodeDecodeError):
            pass
    formatted = black.format_str(source, mode=black.Mode(target_versions={TargetVersion.PY311}))
    if cached is None:
        return formatted
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        temporary = cached.with_name(f".{key}.{os.getpid()}.tmp")
        temporary.write_text(formatted, "utf-8")
        os.replace(temporary, cached)
    except OSError:
        pass  # a cache that cannot be written only costs time
    return formatted


def _black_version() -> str:
    return str(getattr(black, "__version__", "unknown"))


def _cache_dir() -> Path | None:
    """TOOLSPEC_CACHE_DIR, else the user's cache directory; None when there is no home."""
    configured = os.environ.get("TOOLSPEC_CACHE_DIR")
    if configured:
        return Path(configured)
    try:
        base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    except RuntimeError:  # no HOME and no user entry: run without a cache
        return None
    return Path(base) / "toolspec" / "black"
