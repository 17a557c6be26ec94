"""docs/rules.md, built from the table of codes and the rules' own documentation (a test keeps
the file in step)."""

from __future__ import annotations

from toolspec.cli.codes import FIXED_CODES
from toolspec.lint.rule import Rule
from toolspec.lint.rules import RULES


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
        "These cannot be turned off: the spec must be fixed. `toolspec rule CODE` explains each.",
        "",
        "| code | name | severity | meaning |",
        "| --- | --- | --- | --- |",
        *(f"| {c.code} | {c.name} | {c.severity.value} | {c.summary} |" for c in FIXED_CODES),
        "",
        "## Codes of `toolspec breaking`",
        "",
        "`toolspec breaking` classifies the changes of a spec with the codes TS7xx, listed in",
        "[breaking.md](breaking.md#the-codes); `toolspec rule CODE` explains each. They are accepted",
        "with `breaking.ignore`, not with lint's `ignore`.",
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
        lines += [
            f"## {rule.code} {rule.name}",
            "",
            f"*{rule.severity.value}* — {rule.summary}",
            "",
            body.replace("## ", "### "),
            "",
        ]
        lines += _options_section(rule)
    return "\n".join(lines)


def _options_section(rule: Rule) -> list[str]:
    if not rule.options:
        return []
    values = "\n".join(
        f"{name} = {value}"
        + ("  # the API's limit: it may be lowered, not raised" if name in rule.option_limits else "")
        for name, value in rule.options.items()
    )
    return ["### Options", "", "```toml", f"[tool.toolspec.options.{rule.name}]", values, "```", ""]
