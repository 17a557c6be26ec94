"""`python -m toolspec` runs the command line."""

from __future__ import annotations

from toolspec.cli import run

run()
