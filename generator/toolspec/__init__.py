"""toolspec: one reviewed YAML spec for the tools an OpenAI model may call."""

from __future__ import annotations

__version__ = "0.1.0"
