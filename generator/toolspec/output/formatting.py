"""Generated Python formatted as black formats it, by ruff's formatter, all modules of a run at once.

The committed output is black's style (black 26 at its defaults, Python 3.11 and up). Black
itself costs ~0.25 ms a line even on formatted input, 70 % of a cold generate; `ruff format`
writes the same bytes for the code toolspec renders (tests/test_formatting.py runs black on
every generated file of the property-test corpora and finds it unchanged) in a few
milliseconds for a whole package. One ruff process formats every module of a run: a process
per module would cost more than the formatting.
"""

from __future__ import annotations

import re
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

FORMATTER = "ruff"
"""The distribution that formats: pinned in pyproject.toml, recorded in the manifest."""

RUFF_OPTIONS = (
    "--isolated",  # the user's ruff configuration must not change generated code
    "--line-length=88",
    "--target-version=py311",
    "--config=format.line-ending='lf'",
    "--config=format.quote-style='double'",
    "--config=format.skip-magic-trailing-comma=false",
    "--config=format.docstring-code-format=false",
    "--config=format.preview=false",
)
"""Black's defaults, spelled out for ruff."""


class FormattingError(Exception):
    """The formatter could not run, or refused a module (a template produced invalid Python)."""


def format_modules(sources: Sequence[str]) -> list[str]:
    """Each source, formatted; in one formatter process however many there are."""
    with tempfile.TemporaryDirectory(prefix="toolspec-format-") as directory:
        names = [f"module_{index}.py" for index in range(len(sources))]
        for name, source in zip(names, sources, strict=True):
            (Path(directory) / name).write_bytes(source.encode("utf-8"))
        format_files(Path(directory), names)
        return [(Path(directory) / name).read_bytes().decode("utf-8") for name in names]


def format_files(root: Path, paths: Sequence[str]) -> None:
    """Format the Python files at paths (relative to root) in place, in one formatter process."""
    if not paths:
        return
    _run_ruff(paths, cwd=str(root))
    for path in paths:
        formatted = (root / path).read_bytes().decode("utf-8")
        fixed = _as_black_ends_docstrings(formatted)
        if fixed != formatted:
            (root / path).write_bytes(fixed.encode("utf-8"))


def format_python(source: str) -> str:
    """One module, formatted (for a single file such as a scaffold)."""
    return format_modules([source])[0]


_QUOTE_BEFORE_CLOSING = re.compile(r'(?<!\\)((?:\\\\)*\\")"""')
"""An escaped quote (an odd run of backslashes, then a quote) just before the closing quotes."""


def _as_black_ends_docstrings(source: str) -> str:
    """Where ruff and black part: black puts a space between a docstring's final (escaped)
    quote and the closing quotes; ruff leaves them together."""
    if '\\""""' not in source:  # no escaped quote before closing quotes: no scan (most modules)
        return source
    return _QUOTE_BEFORE_CLOSING.sub(lambda match: match.group(1) + ' """', source)


def _run_ruff(paths: Sequence[str], *, cwd: str) -> None:
    try:
        from ruff.__main__ import find_ruff_bin
    except ImportError:
        raise FormattingError(f"{FORMATTER} is not installed: reinstall toolspec (pip install toolspec)") from None
    try:
        result = subprocess.run(
            [find_ruff_bin(), "format", *RUFF_OPTIONS, "--quiet", *paths],
            cwd=cwd,
            capture_output=True,
            text=True,
            check=False,
        )
    except OSError as error:
        raise FormattingError(f"could not run {FORMATTER} to format the generated code: {error}") from None
    if result.returncode != 0:
        detail = result.stderr.strip().replace(cwd + "/", "") or f"exit status {result.returncode}"
        raise FormattingError(f"{FORMATTER} could not format the generated code: {detail}")
