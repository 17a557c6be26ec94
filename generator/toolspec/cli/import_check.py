"""Lint an imported spec before it is written, so that the import names every problem it could
not fix (a pattern the API's regex engine refuses, two tools of one name) with its rule code."""

from __future__ import annotations

import dataclasses
import tempfile
from pathlib import Path

from toolspec.ground.diagnostics import Diagnostic
from toolspec.pipeline import build
from toolspec.project.config import Config


def lint_text(text: str, display: str, config: Config) -> list[Diagnostic]:
    """What `toolspec lint` would say of text, as if it were the file display."""
    with tempfile.TemporaryDirectory(prefix="toolspec-import-") as directory:
        path = Path(directory) / "imported.yaml"
        path.write_text(text, "utf-8")
        built = build([path], config)
    return [dataclasses.replace(diagnostic, path=display) for diagnostic in built.diagnostics]
