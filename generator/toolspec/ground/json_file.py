"""The JSON files of the generated package, written one way: 2-space indent, UTF-8, a final newline."""

from __future__ import annotations

import json
from typing import Any

from toolspec.ground.frozen import plain_json


def json_file(value: Any) -> bytes:
    """value as a file's bytes; frozen values (FrozenDicts, tuples) are written as plain JSON."""
    return (json.dumps(value, indent=2, ensure_ascii=False, default=plain_json) + "\n").encode("utf-8")
