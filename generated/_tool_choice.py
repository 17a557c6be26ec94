"""`tool_choice` for each API: auto, required, none, one tool forced, or a subset allowed.

toolspec copies this module, as it is, into every generated package as `_tool_choice.py`: edit
it here, in the generator, never in the copy.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

KindOf = Callable[[str], str]
"""A tool's kind by its name, "function" or "custom"; ValueError for a tool not offered."""


def responses_tool_choice(
    kind_of: KindOf, choice: str = "auto", allowed: Sequence[str] = ()
) -> Any:
    """`tool_choice` for Responses: auto, required, none, one tool's name (forced), or,
    with allowed, that subset in mode choice (auto or required)."""
    if allowed:
        tools = [_responses_reference(kind_of, name) for name in allowed]
        return {"type": "allowed_tools", "mode": _mode(choice), "tools": tools}
    if choice in ("auto", "required", "none"):
        return choice
    return _responses_reference(kind_of, choice)


def chat_completions_tool_choice(
    kind_of: KindOf, choice: str = "auto", allowed: Sequence[str] = ()
) -> Any:
    """`tool_choice` for Chat Completions, as responses_tool_choice."""
    if allowed:
        tools = [_chat_reference(kind_of, name) for name in allowed]
        return {
            "type": "allowed_tools",
            "allowed_tools": {"mode": _mode(choice), "tools": tools},
        }
    if choice in ("auto", "required", "none"):
        return choice
    return _chat_reference(kind_of, choice)


def _responses_reference(kind_of: KindOf, name: str) -> dict[str, Any]:
    return {"type": kind_of(name), "name": name}


def _chat_reference(kind_of: KindOf, name: str) -> dict[str, Any]:
    called = kind_of(name)
    return {"type": called, called: {"name": name}}


def _mode(choice: str) -> str:
    if choice not in ("auto", "required"):
        raise ValueError(
            f"allowed tools take the mode auto or required, not {choice!r}"
        )
    return choice
