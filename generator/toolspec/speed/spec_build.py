"""One spec built: read, compiled and checked by its own rules, as a cache entry.

The same function builds a spec in the parent, in a worker process and for the cache, so that
where a spec was built never shows in what the run makes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from toolspec.compile import tokens
from toolspec.compile.outline import outline
from toolspec.compile.tokens import TokenCountError
from toolspec.lint.checker import own_diagnostics, toolset_findings
from toolspec.lint.rule import ToolsetContext
from toolspec.project.load import compile_loaded, load_file
from toolspec.spec import ir
from toolspec.speed.spec_cache import Entry, grammar_inputs

if TYPE_CHECKING:
    from toolspec.compile.shapes import Shape
    from toolspec.compile.toolset import CompiledToolset
    from toolspec.lint.rule import Rule
    from toolspec.project.config import Config
    from toolspec.speed.spec_cache import SpecCache


@dataclass(frozen=True)
class SpecBuild:
    """What specs are built with: the same in the parent and its workers."""

    config: Config
    shapes: Sequence[Shape]
    rules: Sequence[Rule]
    cache: SpecCache | None


def build_spec(
    file: Path,
    raw: bytes,
    spec_digest: str,
    key: str | None,
    how: SpecBuild,
    compiled_now: Callable[[CompiledToolset], None] | None = None,
) -> Entry:
    """A spec read, compiled and checked (and put in the cache, under key); compiled_now, if
    given, is called with its toolset once it is compiled, before it is checked (so that its
    models can be made meanwhile)."""
    spec, diagnostics = load_file(file, raw)
    context = None
    if spec is not None:
        compiled = compile_loaded(spec, how.config, how.shapes)
        if compiled_now is not None:
            compiled_now(compiled)
        context = ToolsetContext(compiled, spec.source, how.config.options, spec.dropped)
        _refuse_uncountable(context)
    findings = tuple(toolset_findings(context, how.rules)) if context is not None else ()
    summary = None
    if context is not None:
        own = tuple(own_diagnostics(context, findings, how.rules))
        summary = outline(context.compiled, context.source.path, own)
        context.source.positions.pack()  # its own rules have run: few places, if any, are asked for now
    grammars = [file.parent / path for path in _grammar_files(spec.toolset)] if spec is not None else []
    entry = Entry(tuple(diagnostics), context, findings, spec_digest, grammar_inputs(grammars), summary)
    if how.cache is not None and key is not None:
        how.cache.put(key, entry)
    return entry


def _refuse_uncountable(context: ToolsetContext) -> None:
    """Stop the run, at its place, on the first tool whose definition the token counter cannot
    count (tokens.uncountable): lint, the catalogue and stats would all need its count."""
    for compiled in context.compiled.tools:
        problem = tokens.uncountable(compiled)
        if problem is not None:
            path, message = problem
            where = context.source.position(path, at_key=False)
            raise TokenCountError(f"{context.source.path}:{where.line}:{where.column}: {message}")


def _grammar_files(toolset: ir.Toolset) -> list[str]:
    """The grammar files the toolset's custom tools read, relative to its spec."""
    return [
        tool.format.file
        for tool in toolset.tools
        if isinstance(tool, ir.CustomTool) and isinstance(tool.format, ir.GrammarFormat) and tool.format.file
    ]


def import_build_stages() -> None:
    """Import what building a spec runs that its modules import only when it runs (the parser,
    the compiler, the rules' libraries): called before worker processes are forked, so that they
    inherit the modules rather than each import them again."""
    import llguidance  # noqa: F401

    from toolspec.compile import toolset  # noqa: F401
    from toolspec.lint import json_validation  # noqa: F401
    from toolspec.spec import parse  # noqa: F401
