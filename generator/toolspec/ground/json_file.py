"""The JSON files of the generated package, written one way: 2-space indent, UTF-8, a final newline."""

from __future__ import annotations

import json
from typing import Any

from toolspec.ground.frozen import thaw


def json_file(value: Any) -> bytes:
    """value as a file's bytes; frozen values (FrozenDicts, tuples) are written as plain JSON.

    Thawed first: json's indenting encoder is pure Python, and a `default` hook called for each
    FrozenDict costs it more than the copy (with no indent, the C encoder, it is the other way)."""
    return (json.dumps(thaw(value), indent=2, ensure_ascii=False) + "\n").encode("utf-8")
