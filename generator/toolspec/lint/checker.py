"""Visit every part of every toolset once and ask the enabled rules about it."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from toolspec.diagnostics import Diagnostic, Position, Severity, sorted_diagnostics
from toolspec.lint.rule import Finding, Rule, SchemaContext
from toolspec.spec import model

SUPPRESSION = re.compile(r"#\s*toolspec:\s*ignore\[([A-Za-z0-9_, ]*)\]\s*(.*)$")


def lint(toolsets: Sequence[model.Toolset], rules: Sequence[Rule]) -> list[Diagnostic]:
    """Every finding of rules on toolsets, less those suppressed by a comment with a reason."""
    found: list[tuple[Rule, model.Toolset, Finding]] = []
    for toolset in toolsets:
        found.extend(_toolset_findings(toolset, rules))
    for rule in rules:
        if rule.check_project is not None:
            for finding in rule.check_project(toolsets):
                assert finding.toolset is not None, f"{rule.code} is a project rule: its findings name a toolset"
                found.append((rule, finding.toolset, finding))
    diagnostics = [_diagnostic(rule, toolset, finding) for rule, toolset, finding in found]
    return sorted_diagnostics(_apply_suppressions(diagnostics, toolsets, {rule.code for rule in rules}))


def _toolset_findings(toolset: model.Toolset, rules: Sequence[Rule]) -> Iterable[tuple[Rule, model.Toolset, Finding]]:
    for rule in rules:
        if rule.check_toolset is not None:
            for finding in rule.check_toolset(toolset):
                yield rule, toolset, finding
    schema_rules = [rule for rule in rules if rule.check_schema is not None]
    for tool in toolset.tools:
        for rule in rules:
            if rule.check_tool is not None:
                for finding in rule.check_tool(tool, toolset):
                    yield rule, toolset, finding
        if isinstance(tool, model.FunctionTool) and schema_rules:
            for schema, context in _schemas(tool, toolset):
                for rule in schema_rules:
                    assert rule.check_schema is not None
                    for finding in rule.check_schema(schema, context):
                        yield rule, toolset, finding


def _schemas(tool: model.FunctionTool, toolset: model.Toolset) -> Iterable[tuple[model.Schema, SchemaContext]]:
    """Every schema of a tool's parameters, named types at every place they are used (but not
    again inside themselves: a recursive type is walked once per place)."""
    pending: list[tuple[model.Schema, int, frozenset[str]]] = [(tool.parameters, 1, frozenset())]
    while pending:
        schema, depth, within = pending.pop()
        yield schema, SchemaContext(toolset, tool, depth)
        children: list[tuple[model.Schema, int]] = []
        if isinstance(schema, model.Array):
            children.append((schema.items, depth))
        elif isinstance(schema, model.Object):
            children.extend((prop.schema, depth + 1) for prop in schema.properties)
            if not isinstance(schema.additional, (bool, type(None))):
                children.append((schema.additional, depth + 1))
        elif isinstance(schema, model.Union):
            children.extend((branch, depth) for branch in schema.any_of)
        elif isinstance(schema, model.Reference) and schema.name not in within:
            named = toolset.named_type(schema.name)
            if named is not None:
                within = within | {schema.name}
                children.append((named.schema, depth))
        pending.extend((child, child_depth, within) for child, child_depth in reversed(children))


def _diagnostic(rule: Rule, toolset: model.Toolset, finding: Finding) -> Diagnostic:
    source = toolset.source
    position = source.key(finding.path) if finding.at_key else source.value(finding.path)
    return Diagnostic(toolset.path, position, rule.code, rule.severity, finding.message)


@dataclass(frozen=True)
class _Suppression:
    path: str
    line: int
    column: int
    codes: frozenset[str]
    reason: str


def _suppressions(toolset: model.Toolset) -> Iterable[_Suppression]:
    for number, text in enumerate(toolset.lines, start=1):
        match = SUPPRESSION.search(text)
        if match:
            codes = frozenset(code.strip() for code in match.group(1).split(",") if code.strip())
            yield _Suppression(toolset.path, number, match.start() + 1, codes, match.group(2).strip())


def _apply_suppressions(
    diagnostics: list[Diagnostic], toolsets: Sequence[model.Toolset], enabled: set[str]
) -> list[Diagnostic]:
    suppressions = [s for toolset in toolsets for s in _suppressions(toolset)]
    by_line = {(s.path, s.line): s for s in suppressions}
    used: set[tuple[str, int, str]] = set()
    kept: list[Diagnostic] = []
    for diagnostic in diagnostics:
        suppression = by_line.get((diagnostic.path, diagnostic.position.line))
        if suppression is not None and diagnostic.code in suppression.codes and suppression.reason:
            used.add((suppression.path, suppression.line, diagnostic.code))
        else:
            kept.append(diagnostic)
    for s in suppressions:
        where = Position(s.line, s.column)
        if not s.reason:
            kept.append(Diagnostic(s.path, where, "TS901", Severity.ERROR,
                                   "a suppression needs a reason: `# toolspec: ignore[CODE] why it is fine here`"))  # fmt: skip
        for code in sorted(s.codes):
            if s.reason and code in enabled and (s.path, s.line, code) not in used:
                kept.append(Diagnostic(s.path, where, "TS902", Severity.WARNING,
                                       f"unused suppression: no {code} finding on this line; remove it"))  # fmt: skip
    return kept
