"""Shared checks on regexes and grammars: llguidance compiles them the way the API does."""

from __future__ import annotations

import functools
import re
from typing import Literal, TypeAlias

import llguidance

from toolspec.spec import ir
from toolspec.spec.yaml_source import YamlPath

GrammarKind: TypeAlias = Literal["lark", "regex", "json_schema"]
_QUANTIFIER_END = re.compile(r"[*+?}]")
_LOOKAROUNDS = ("(?<=", "(?<!", "(?=", "(?!")


def llguidance_errors(kind: GrammarKind, text: str) -> tuple[str, ...]:
    """llguidance's complaints about a grammar ("lark", "regex" or "json_schema")."""
    return _llguidance_errors(kind, text)


@functools.lru_cache(maxsize=4096)
def _llguidance_errors(kind: GrammarKind, text: str) -> tuple[str, ...]:
    try:
        is_error, messages = llguidance.LLMatcher.validate_grammar_with_warnings(llguidance.grammar_from(kind, text))
    except Exception as error:  # llguidance raises on some inputs instead of reporting them
        return (str(error),)
    return tuple(_first_line(m) for m in messages) if is_error else ()


def _first_line(message: str) -> str:
    lines = [line.strip() for line in message.splitlines() if line.strip()]
    detail = next((line for line in lines if line.startswith("error:")), None)
    return detail.removeprefix("error:").strip() if detail else (lines[0] if lines else message)


def unsupported_regex_features(pattern: str) -> list[str]:
    """Regex features the API refuses or silently changes: lookarounds, backreferences, lazy quantifiers."""
    found: list[str] = []
    index, in_class = 0, False
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            following = pattern[index + 1 : index + 2]
            if not in_class and following.isdigit() and following != "0" or following == "k":
                found.append(f"backreference `\\{following}`")
            index += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
            index += 2 if pattern[index + 1 : index + 2] == "]" else 1
            continue
        elif lookaround := next((g for g in _LOOKAROUNDS if pattern.startswith(g, index)), None):
            found.append(f"lookaround `{lookaround}`")
        elif char == "?" and _follows_quantifier(pattern, index):
            found.append(f"lazy quantifier `{pattern[index - 1]}?`")
        index += 1
    return found


def _follows_quantifier(pattern: str, index: int) -> bool:
    """The `?` at index makes the quantifier before it lazy (`*?`, `+?`, `??`, `{n,m}?`)."""
    before = pattern[index - 1] if index > 0 else ""
    if not _QUANTIFIER_END.match(before) or _escaped(pattern, index - 1):
        return False
    # A `?` after `(` or after an escaped character opens a group or quantifies; it is no quantifier to make lazy.
    return before != "?" or (index > 1 and pattern[index - 2] not in "(\\")


def _escaped(pattern: str, index: int) -> bool:
    backslashes = 0
    while index - backslashes - 1 >= 0 and pattern[index - backslashes - 1] == "\\":
        backslashes += 1
    return backslashes % 2 == 1


def grammar_of(tool: ir.Tool) -> ir.GrammarFormat | None:
    """The grammar of a custom tool, if it has one."""
    if isinstance(tool, ir.CustomTool) and isinstance(tool.format, ir.GrammarFormat):
        return tool.format
    return None


def definition_path(grammar: ir.GrammarFormat) -> YamlPath:
    """Where a grammar's text is given: its `definition`, or the `file` it is read from."""
    return (*grammar.at, "file" if grammar.file else "definition")


def regex_form_problems(grammar: ir.GrammarFormat) -> list[str]:
    """How a regex grammar is written in a way the API does not read it."""
    text = grammar.definition.removesuffix("\n") if grammar.file else grammar.definition
    problems = []
    if "\n" in text:
        problems.append("a regex grammar is one line: write `\\n` for a newline")
    if len(text) >= 2 and text.startswith("/") and text.endswith("/"):
        problems.append("remove the enclosing slashes: the API would match them as characters")
    return problems
