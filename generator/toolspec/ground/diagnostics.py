"""One diagnostic format for every finding: `path:line:col: CODE message`.

Findings are values; only the command line decides how they are printed and what
the exit status is.
"""

from __future__ import annotations

import enum
import json
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
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


def format_text(diagnostic: Diagnostic, *, colour: bool = False) -> str:
    p = diagnostic.position
    if colour:
        code_colour = RED if diagnostic.severity is Severity.ERROR else YELLOW
        return (
            f"{BOLD}{diagnostic.path}{RESET}{CYAN}:{RESET}{p.line}{CYAN}:{RESET}{p.column}{CYAN}:{RESET} "
            f"{code_colour}{BOLD}{diagnostic.code}{RESET} {diagnostic.message}"
        )
    return f"{diagnostic.path}:{p.line}:{p.column}: {diagnostic.code} {diagnostic.message}"


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


FORMATS = ("text", "json", "github")


def render(diagnostics: Sequence[Diagnostic], output_format: str, *, colour: bool = False) -> str:
    """The whole report in one of FORMATS, without a trailing newline; colour applies to text."""
    if output_format == "json":
        return format_json(diagnostics)
    if output_format == "github":
        return "\n".join(format_github(d) for d in diagnostics)
    return "\n".join(format_text(d, colour=colour) for d in diagnostics)
