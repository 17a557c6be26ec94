"""One diagnostic format for every finding: `path:line:col: severity: CODE message`, and in
the text format the source line under it with a caret at the column, as ruff shows it.

Findings are values; only the command line decides how they are printed and what
the exit status is.
"""

from __future__ import annotations

import enum
import json
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO


class Severity(enum.Enum):
    """How bad a finding is: an error stops generation, a warning does not."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True, slots=True)
class Position:
    """A 1-based line and column in a source file."""

    line: int
    column: int


START = Position(1, 1)


@dataclass(frozen=True)
class Diagnostic:
    """A finding at a place in a file."""

    path: str
    position: Position
    code: str
    severity: Severity
    message: str

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.path, self.position.line, self.position.column, self.code, self.message)

    def as_json(self) -> dict[str, object]:
        """The finding as `--format json` gives it."""
        return {
            "path": self.path,
            "line": self.position.line,
            "column": self.position.column,
            "code": self.code,
            "severity": self.severity.value,
            "message": self.message,
        }


def sorted_diagnostics(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Diagnostics in file, line, column order, duplicates removed."""
    return sorted(set(diagnostics), key=Diagnostic.sort_key)


def format_text(diagnostic: Diagnostic, *, colour: bool = False, severity: bool = True) -> str:
    """The finding on one line: `path:line:col: error: CODE message`, the severity said as mypy
    says it (severity=False leaves it out, for a report whose message says the class itself)."""
    p = diagnostic.position
    level = diagnostic.severity.value
    if colour:
        code_colour = RED if diagnostic.severity is Severity.ERROR else YELLOW
        said = f"{code_colour}{BOLD}{level}{RESET}{CYAN}:{RESET} " if severity else ""
        return (
            f"{BOLD}{diagnostic.path}{RESET}{CYAN}:{RESET}{p.line}{CYAN}:{RESET}{p.column}{CYAN}:{RESET} "
            f"{said}{code_colour}{BOLD}{diagnostic.code}{RESET} {diagnostic.message}"
        )
    said = f"{level}: " if severity else ""
    return f"{diagnostic.path}:{p.line}:{p.column}: {said}{diagnostic.code} {diagnostic.message}"


def with_source(finding: str, diagnostic: Diagnostic, line: str | None, *, colour: bool = False) -> str:
    """finding, then the source line it is at with carets under the word at its column, as ruff
    shows it by default; finding alone when the line is not known (a file that is gone, past its end)."""
    if line is None:
        return finding
    number = str(diagnostic.position.line)
    gutter = " " * len(number)
    text = line.rstrip("\r\n").replace("\t", " ")
    column = min(diagnostic.position.column, len(text) + 1)
    word = _WORD.match(text, column - 1)
    caret = "^" * max(len(word.group()) if word else 0, 1)
    bar = "|"
    if colour:
        caret = f"{RED if diagnostic.severity is Severity.ERROR else YELLOW}{BOLD}{caret}{RESET}"
        bar = f"{CYAN}|{RESET}"
    return f"{finding}\n{gutter} {bar}\n{number} {bar} {text}\n{gutter} {bar} {' ' * (column - 1)}{caret}".rstrip()


_WORD = re.compile(r"""[^\s:,{}\[\]#]+""")
"""What the carets underline: the key, name or value that starts at the column."""


def counted(count: int, noun: str, plural: str | None = None) -> str:
    """`1 warning`, `2 warnings`: count and its noun, plural when count is not one."""
    return f"{count} {noun if count == 1 else plural or noun + 's'}"


BOLD, RED, YELLOW, CYAN, RESET = "\033[1m", "\033[31m", "\033[33m", "\033[36m", "\033[0m"
"""ANSI colours of text output on a terminal (see use_colour)."""


def use_colour(stream: TextIO) -> bool:
    """Whether text output to stream is coloured: on a terminal, unless NO_COLOR is set (to
    anything but the empty string); FORCE_COLOR set colours anywhere. NO_COLOR wins."""
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return stream.isatty() and os.environ.get("TERM") != "dumb"


def format_github(diagnostic: Diagnostic) -> str:
    """A GitHub Actions workflow command, shown as an annotation on the pull request."""
    p = diagnostic.position
    level = "error" if diagnostic.severity is Severity.ERROR else "warning"
    message = github_escape(f"{diagnostic.code} {diagnostic.message}", data=True)
    return (
        f"::{level} file={github_escape(diagnostic.path, data=False)},"
        f"line={p.line},col={p.column},title={diagnostic.code}::{message}"
    )


def github_escape(text: str, *, data: bool) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if not data:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def format_json(diagnostics: Sequence[Diagnostic]) -> str:
    return json.dumps(
        [d.as_json() for d in diagnostics],
        indent=2,
        ensure_ascii=False,
    )


FORMATS = ("text", "concise", "json", "github")
"""text: each finding with its source line (ruff's default); concise: one line each."""


def render(diagnostics: Sequence[Diagnostic], output_format: str, *, colour: bool = False) -> str:
    """The whole report in one of FORMATS, without a trailing newline; colour applies to text
    and concise. text reads each finding's line from its file."""
    if output_format == "json":
        return format_json(diagnostics)
    if output_format == "github":
        return "\n".join(format_github(d) for d in diagnostics)
    if output_format == "concise":
        return "\n".join(format_text(d, colour=colour) for d in diagnostics)
    lines = _SourceLines()
    return "\n\n".join(
        with_source(format_text(d, colour=colour), d, lines.get(d.path, d.position.line), colour=colour)
        for d in diagnostics
    )


class _SourceLines:
    """The lines of the files findings are in, each file read once (None: cannot be read)."""

    def __init__(self) -> None:
        self._files: dict[str, list[str] | None] = {}

    def get(self, path: str, line: int) -> str | None:
        if path not in self._files:
            try:
                self._files[path] = Path(path).read_text("utf-8", errors="replace").splitlines()
            except OSError:
                self._files[path] = None
        lines = self._files[path]
        return lines[line - 1] if lines is not None and 0 < line <= len(lines) else None
