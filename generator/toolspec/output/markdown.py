"""Markdown from text a spec wrote: a description reads as written and can change no structure.

The catalogue's values are made into Markdown here, by the code that decides them (see
catalogue.py); the templates only lay them out, and put table cells through `table_cell`.
"""

from __future__ import annotations

import json
import re
from typing import Any

from toolspec.ground.frozen import thaw

_INLINE = re.compile(r"([\\`*_\[\]<>&~])")
"""Characters that can start emphasis, code, a link, HTML or an entity anywhere in a line."""
_LINE_START = re.compile(r"^(\s*)([#>+=-]|\d+[.)])")
"""What opens a heading, a quote, a list or a rule at the start of a line."""


def text(value: str) -> str:
    """Prose as Markdown that shows exactly value: inline markup escaped, and whatever would
    open a block at the start of a line. Lines keep their breaks; their indentation is dropped
    (it would make a code block)."""
    lines = []
    for line in value.strip().splitlines():
        escaped = _INLINE.sub(r"\\\1", line.strip())
        lines.append(_LINE_START.sub(lambda m: m.group(1) + _escape_marker(m.group(2)), escaped))
    return "\n".join(lines)


def _escape_marker(marker: str) -> str:
    return marker[:-1] + "\\" + marker[-1] if marker[-1] in ".)" else "\\" + marker


def code(value: str) -> str:
    """An inline code span showing value as it is: fenced by more backticks than it holds in a
    row, and on one line (a line break shows as \\n)."""
    one_line = value.replace("\r", "\\r").replace("\n", "\\n")
    longest = max((len(run) for run in re.findall(r"`+", one_line)), default=0)
    fence = "`" * (longest + 1)
    padded = f" {one_line} " if one_line.startswith(("`", " ")) or one_line.endswith(("`", " ")) else one_line
    return f"{fence}{padded}{fence}"


def json_code(value: Any) -> str:
    """A JSON value as inline code."""
    return code(json.dumps(thaw(value), ensure_ascii=False))


def fence(body: str) -> str:
    """The fence of a code block holding body: longer than any run of backticks in it."""
    longest = max((len(run) for run in re.findall(r"`{3,}", body)), default=2)
    return "`" * (longest + 1)


def table_cell(value: str) -> str:
    """Markdown that stays inside one table cell: pipes escaped (inside code spans too, as
    GitHub's tables need), line breaks as <br>, nothing empty."""
    cell = value.replace("|", "\\|").replace("\r\n", "\n").replace("\n", "<br>")
    return cell or " "
