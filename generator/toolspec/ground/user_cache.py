"""Where toolspec keeps what it may compute again: the user's cache directory, shared by the
token counter's vocabulary (compile/tokens.py) and the cache of built specs (speed/spec_cache.py)."""

from __future__ import annotations

import os
from pathlib import Path


def cache_directory() -> Path | None:
    """TOOLSPEC_CACHE_DIR, else the user's cache directory; None when there is no home."""
    configured = os.environ.get("TOOLSPEC_CACHE_DIR")
    if configured:
        return Path(configured)
    try:
        base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    except RuntimeError:  # no HOME and no user entry: run without a cache
        return None
    return Path(base) / "toolspec"
