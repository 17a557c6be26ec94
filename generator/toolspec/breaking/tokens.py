"""The tokens a change adds to, or takes from, every request: the hook for the token counts.

Every request carries the tool definitions as input tokens. Each change of `toolspec breaking`
has a `tokens_delta`: the change in the tokens of the tool it belongs to (of the whole toolset
for a change to the toolset), as toolspec.compile.tokens counts them (None where a counter cannot count).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from toolspec.compile.toolset import CompiledTool

ToolTokens = Callable[[CompiledTool], int | None]


def counted(tool: CompiledTool) -> int | None:
    """The tokens the catalogue and `toolspec stats` show for the tool (toolspec.compile.tokens)."""
    from toolspec.compile import tokens  # loads openai-harmony: only when a change is counted

    return tokens.tool_tokens(tool)


tool_tokens: ToolTokens = counted
"""The input tokens one tool's definition adds to each request; another counter with set_counter."""


def set_counter(counter: ToolTokens) -> None:
    """Make counter the one tokens_delta asks (tests give a counter of their own)."""
    global tool_tokens
    tool_tokens = counter


def tokens_delta(old: Iterable[CompiledTool], new: Iterable[CompiledTool]) -> int | None:
    """The tokens of the tools new less those of the tools old; None when one cannot be counted."""
    total = 0
    for sign, tools in ((-1, old), (1, new)):
        for tool in tools:
            count = tool_tokens(tool)
            if count is None:
                return None
            total += sign * count
    return total
