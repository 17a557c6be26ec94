"""docs/rules.md, built from the rules' own documentation (a test keeps the file in step)."""

from __future__ import annotations

from toolspec.lint.rules import RULES

FIXED_CODES = (
    ("TS001", "The file is larger than 2 MiB (a file that cannot be read at all is an I/O error: exit status 2)."),
    ("TS002", "The file is not UTF-8."),
    ("TS003", "The file is not valid YAML (or is nested too deeply)."),
    ("TS004", "A YAML tag other than the standard ones (`!!python/object`, `!custom`, ...)."),
    ("TS005", "The file is empty."),
    ("TS006", "The file holds several YAML documents."),
    ("TS007", "Aliases expand to more than 200,000 values, or an alias refers to its own container."),
    ("TS008", "YAML the spec language has no use for: merge keys, non-string keys, infinities and NaN."),
    ("TS009", "A key appears twice in one mapping (YAML would silently keep the last)."),
    ("TS101", "A required key is missing."),
    ("TS102", "An unknown key, or a keyword that does not apply to the type (with a suggestion for near misses)."),
    ("TS103", "A value of the wrong kind (a list where a mapping belongs, an unknown `effect`, ...)."),
    ("TS104", "A grammar file that cannot be read."),
    ("TS105", "`optional` or `default` where they mean nothing (outside a property, or `default` without `optional`)."),
    ("TS106", "`type` names no built-in type and no type under `types`."),
    ("TS107", "Two spec files define toolsets of the same name."),
    ("TS901", "A suppression comment without a reason."),
    ("TS902", "A suppression comment that suppresses nothing (a warning)."),
)


def rules_markdown() -> str:
    lines = [
        "# Lint rules",
        "",
        "`toolspec lint` prints one line per finding: `path:line:col: CODE message`.",
        "`toolspec rule CODE` prints a rule's page below. Choose rules in `pyproject.toml`:",
        "",
        "```toml",
        "[tool.toolspec]",
        'select = ["TS"]          # codes or prefixes; the default is every rule',
        'ignore = ["TS204"]       # codes or prefixes to leave out',
        "```",
        "",
        "Suppress one finding with a comment on the line it points at, naming the code and",
        "giving a reason: `# toolspec: ignore[TS402] the name says it all`.",
        "",
        "## Errors in reading a spec",
        "",
        "These stop every command and cannot be turned off: the spec must be fixed.",
        "",
        "| code | meaning |",
        "| --- | --- |",
        *(f"| {code} | {meaning} |" for code, meaning in FIXED_CODES),
        "",
        "## Rules",
        "",
        "| code | name | severity | summary |",
        "| --- | --- | --- | --- |",
        *(f"| [{r.code}](#{r.code.lower()}-{r.name}) | {r.name} | {r.severity.value} | {r.summary} |" for r in RULES),
        "",
    ]
    for rule in RULES:
        body = rule.doc.split("\n", 1)[1].strip() if "\n" in rule.doc else ""
        lines += [f"## {rule.code} {rule.name}", "", f"*{rule.severity.value}* — {rule.summary}", "", body.replace("## ", "### "), ""]
    return "\n".join(lines)
