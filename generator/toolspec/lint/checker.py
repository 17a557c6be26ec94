"""Visit every part of every toolset once and ask the enabled rules about it.

Then, in order: findings suppressed by a comment with a reason are dropped; findings that
may be wrong because a part of the spec was left out for an error are withheld; a rule that
yields to another loses its findings where that other rule reported; and the suppression
comments themselves are checked (TS901, TS902).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from toolspec.ground.diagnostics import Diagnostic, Position, sorted_diagnostics
from toolspec.ground.fixed_codes import fixed_diagnostic
from toolspec.lint.rule import Finding, SchemaContext
from toolspec.lint.schema_stats import strict_tool_stats
from toolspec.spec import ir
from toolspec.spec.walk import walk

if TYPE_CHECKING:
    from toolspec.compile.outline import ToolsetOutline
    from toolspec.lint.rule import Rule, ToolsetContext
    from toolspec.spec.yaml_source import YamlPath

SUPPRESSION = re.compile(r"#\s*toolspec:\s*ignore\[([A-Za-z0-9_, ]*)\]\s*(.*)$")


@dataclass(frozen=True)
class _Found:
    rule: Rule
    context: ToolsetContext
    finding: Finding
    whole: bool = False
    """Found by looking at a whole toolset or project (check_toolset, check_project)."""

    @property
    def line(self) -> int:
        return self.context.source.position(self.finding.path, at_key=self.finding.at_key).line

    def diagnostic(self) -> Diagnostic:
        position = self.context.source.position(self.finding.path, at_key=self.finding.at_key)
        return Diagnostic(self.context.source.path, position, self.rule.code, self.rule.severity, self.finding.message)


@dataclass(frozen=True)
class _Suppression:
    path: str
    line: int
    column: int
    codes: frozenset[str]
    reason: str


RawFinding = tuple[str, Finding, bool]
"""What a rule found in one toolset, by the rule's code: before suppressions and precedence,
which depend on the other findings. A value that can be kept, so that an unchanged toolset
need not be checked again (speed/spec_cache.py keeps them)."""


def toolset_findings(context: ToolsetContext, rules: Sequence[Rule]) -> list[RawFinding]:
    """The findings of the toolset rules, tool rules and schema rules on one toolset."""
    return [(item.rule.code, item.finding, item.whole) for item in _toolset_findings(context, rules)]


def own_diagnostics(
    context: ToolsetContext,
    found: Sequence[RawFinding],
    rules: Sequence[Rule],
    project: Sequence[tuple[Rule, Finding]] = (),
) -> list[Diagnostic]:
    """What lint reports of one toolset: found are its toolset_findings, project what the
    project rules found in it. With none of the latter, it is kept in the toolset's outline,
    so that a run need not read the toolset back for lint."""
    by_code = {rule.code: rule for rule in rules}
    items = [_Found(by_code[code], context, finding, whole) for code, finding, whole in found]
    items += [_Found(rule, context, finding, whole=True) for rule, finding in project]
    return _toolset_diagnostics(context, items, {rule.code for rule in rules})


def lint(
    contexts: Sequence[ToolsetContext],
    rules: Sequence[Rule],
    outlines: Sequence[ToolsetOutline],
    known: Sequence[Sequence[RawFinding] | None] | None = None,
) -> list[Diagnostic]:
    """Every finding of rules on the toolsets, less those suppressed or yielded. outlines: each
    context's outline (the project rules read only those); known: for each context, its
    toolset_findings if they are known already (None: find them now).

    A toolset's findings are suppressed, withheld and yielded on their own: all of that depends
    on its findings alone. So a toolset the project rules found nothing in is reported as its
    outline says, where the outline knows (own_diagnostics); the others are done one at a time
    (contexts may be read back from disk as they are reached, see ToolsetStore).
    """
    project: dict[str, list[tuple[Rule, Finding]]] = {}
    for rule in rules:
        if rule.check_project is not None:
            for finding in rule.check_project(outlines):
                assert finding.toolset is not None, f"{rule.code} is a project rule: its findings name a toolset"
                project.setdefault(finding.toolset, []).append((rule, finding))
    found: list[Diagnostic] = []
    for index, outline in enumerate(outlines):
        in_project = project.pop(outline.name, ())
        if not in_project and outline.diagnostics is not None:
            found += outline.diagnostics
            continue
        context = contexts[index]
        raw = known[index] if known is not None else None
        found += own_diagnostics(context, toolset_findings(context, rules) if raw is None else raw, rules, in_project)
    return sorted_diagnostics(found)


def _toolset_diagnostics(context: ToolsetContext, found: list[_Found], enabled: set[str]) -> list[Diagnostic]:
    """The diagnostics of what was found in one toolset, and of its suppression comments."""
    suppressions = list(_suppressions(context))
    by_line = {s.line: s for s in suppressions if s.reason}
    used: set[tuple[str, int, str]] = set()
    kept: list[_Found] = []
    for item in found:
        suppression = by_line.get(item.line)
        if suppression is not None and item.rule.code in suppression.codes:
            used.add((suppression.path, suppression.line, item.rule.code))
        else:
            kept.append(item)
    kept = [item for item in kept if not _may_depend_on_dropped(item)]
    diagnostics = [item.diagnostic() for item in _without_yielded(kept)]
    return diagnostics + _suppression_problems(suppressions, used, enabled)


def _toolset_findings(context: ToolsetContext, rules: Sequence[Rule]) -> Iterable[_Found]:
    context = replace(context, stats=strict_tool_stats(context.toolset))
    for rule in rules:
        if rule.check_toolset is not None:
            yield from (_Found(rule, context, f, whole=True) for f in rule.check_toolset(context))
    schema_rules = [rule for rule in rules if rule.check_schema is not None]
    for compiled in context.compiled.tools:
        for rule in rules:
            if rule.check_tool is not None:
                yield from (_Found(rule, context, f) for f in rule.check_tool(compiled, context))
        tool = compiled.tool
        if isinstance(tool, ir.FunctionTool) and schema_rules:
            roots = [(tool.parameters, False)] + ([(tool.returns, True)] if tool.returns is not None else [])
            for root, in_result in roots:
                for visit in walk(root, context.toolset):
                    where = SchemaContext(context, tool, visit.depth, in_result)
                    for rule in schema_rules:
                        assert rule.check_schema is not None
                        yield from (_Found(rule, context, f) for f in rule.check_schema(visit.schema, where))


def _may_depend_on_dropped(item: _Found) -> bool:
    """Whether a finding may be caused by a part of its spec that was left out for an error.

    The errors are reported; such a finding could be a false one, and shows once they are
    fixed. It is one found by looking at a whole toolset or project; one about the examples
    of a tool that lost a part; one about a tool (at the tool or at its name, description or
    another key of its own) that lost one of its keys; one about a node that lost a part; or
    one at a keyword of a node whose children lost a part (a free-form object because its only
    property went, say). A spec without errors loses nothing.
    """
    dropped = item.context.dropped
    if not dropped:
        return False
    if item.whole:
        return True
    place = item.finding.path
    return any(_depends(place, path) for path in dropped)


_NAME_MAPS = ("parameters", "properties", "types")
"""Keys whose value maps names to schemas: a key below them is a name, not a keyword."""


def _depends(place: YamlPath, dropped: YamlPath) -> bool:
    def inside(node: YamlPath) -> bool:
        return dropped[: len(node)] == node

    if place[:1] == ("tools",) and len(place) >= 2:
        tool = place[:2]
        if len(place) == 2 or len(place) == 3 and place[2] not in ("parameters", "returns", "examples", "format"):
            return inside(tool) and len(dropped) <= 3
        if place[2] == "examples":
            return inside(tool)
    if not place or isinstance(place[-1], int) or len(place) >= 2 and place[-2] in _NAME_MAPS:
        return inside(place)
    node = place[:-1]
    return inside(place) or inside(node) and len(dropped) > len(node) + 1


def _without_yielded(found: list[_Found]) -> list[_Found]:
    """found less the findings of a rule that yields to another which reported at that place
    (the same YAML path of the same toolset, or a path inside it), or at a place the finding
    stands for."""
    precise = {code for item in found for code in item.rule.yields_to}
    reported: dict[tuple[str, str], list[tuple[str | int, ...]]] = {}
    for item in found:
        if item.rule.code in precise:
            reported.setdefault((item.context.source.path, item.rule.code), []).append(item.finding.path)

    def yielded(item: _Found) -> bool:
        places = (item.finding.path, *item.finding.stands_for)
        return any(
            path[: len(place)] == place
            for code in item.rule.yields_to
            for path in reported.get((item.context.source.path, code), ())
            for place in places
        )

    return [item for item in found if not yielded(item)]


def _suppressions(context: ToolsetContext) -> Iterable[_Suppression]:
    for number, text in enumerate(context.source.lines, start=1):
        match = SUPPRESSION.search(text)
        if match:
            codes = frozenset(code.strip() for code in match.group(1).split(",") if code.strip())
            yield _Suppression(context.source.path, number, match.start() + 1, codes, match.group(2).strip())


def _suppression_problems(
    suppressions: list[_Suppression], used: set[tuple[str, int, str]], enabled: set[str]
) -> list[Diagnostic]:
    problems: list[Diagnostic] = []
    for s in suppressions:
        where = Position(s.line, s.column)
        if not s.reason:
            reason = "a suppression needs a reason: `# toolspec: ignore[CODE] why it is fine here`"
            problems.append(fixed_diagnostic(s.path, where, "TS901", reason))
        for code in sorted(s.codes):
            if s.reason and code in enabled and (s.path, s.line, code) not in used:
                unused = f"unused suppression: no {code} finding on this line; remove it"
                problems.append(fixed_diagnostic(s.path, where, "TS902", unused))
    return problems
