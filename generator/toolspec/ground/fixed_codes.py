"""The fixed codes of reading a spec (TS0xx, TS1xx) and of suppressions (TS9xx), which no
configuration turns off, and the one way to make a diagnostic of one: its severity is the
table's. toolspec.cli.codes adds the lint rules to them; this module imports nothing of the
linter, so that the YAML reader and the parser can use it.
"""

from __future__ import annotations

from dataclasses import dataclass

from toolspec.ground.diagnostics import Diagnostic, Position, Severity


@dataclass(frozen=True)
class Code:
    code: str
    name: str
    severity: Severity
    doc: str
    """Markdown: a summary line, then sections; `toolspec rule CODE` prints it."""
    configurable: bool
    """Whether `select` and `ignore` can turn it off (only lint rules can)."""

    @property
    def summary(self) -> str:
        return self.doc.strip().splitlines()[0]


def _fixed(code: str, name: str, summary: str, fix: str, severity: Severity = Severity.ERROR) -> Code:
    return Code(code, name, severity, f"{summary}\n\n## How to fix\n{fix}", configurable=False)


_READ = "Correct the file; until then no command can use it."
FIXED_CODES: tuple[Code, ...] = (
    _fixed(
        "TS001",
        "file-too-large",
        "The file is larger than 2 MiB (a file that cannot be read at all is an I/O error: exit status 2).",
        "Split the toolset into several spec files.",
    ),
    _fixed("TS002", "not-utf8", "The file is not UTF-8.", "Save it as UTF-8."),
    _fixed(
        "TS003",
        "invalid-yaml",
        "The file is not valid YAML (or is nested too deeply).",
        f"The message names the line and column. {_READ}",
    ),
    _fixed(
        "TS004",
        "yaml-tag",
        "A YAML tag other than the standard ones (`!!python/object`, `!custom`, ...).",
        "Remove the tag: a spec holds plain data.",
    ),
    _fixed("TS005", "empty-file", "The file is empty.", "Write at least `toolset` and `tools`, or delete the file."),
    _fixed(
        "TS006",
        "several-documents",
        "The file holds several YAML documents.",
        "Keep one document per file (no `---` between toolsets): one spec file per toolset.",
    ),
    _fixed(
        "TS007",
        "alias-bomb",
        "Aliases expand to more than 200,000 values, or an alias refers to its own container.",
        "Use named types under `types` instead of YAML aliases.",
    ),
    _fixed(
        "TS008",
        "unsupported-yaml",
        "YAML the spec language has no use for: merge keys, non-string keys, infinities and NaN.",
        "Use named types instead of merge keys, and plain strings as keys.",
    ),
    _fixed(
        "TS009",
        "duplicate-key",
        "A key appears twice in one mapping (YAML would silently keep the last).",
        "Remove or rename one of the two.",
    ),
    _fixed("TS101", "missing-key", "A required key is missing.", "Add the key the message names."),
    _fixed(
        "TS102",
        "unknown-key",
        "An unknown key, or a keyword that does not apply to the type (with a suggestion for near misses).",
        "Correct the key's spelling, or remove it (docs/spec-language.md lists every key).",
    ),
    _fixed(
        "TS103",
        "wrong-value",
        "A value of the wrong kind (a list where a mapping belongs, an unknown `effect`, ...).",
        "Give the value the message asks for.",
    ),
    _fixed(
        "TS104",
        "unreadable-grammar",
        "A grammar file that cannot be read.",
        "Put the grammar file inside the spec's directory, in UTF-8 and at most 2 MiB; name it from the spec.",
    ),
    _fixed(
        "TS105",
        "misplaced-optional",
        "`optional`, `default` or `python_name` where they mean nothing (outside a property, or `default` "
        "without `optional`).",
        "Put them on a property or parameter, and `default` only with `optional: true`.",
    ),
    _fixed(
        "TS106",
        "unknown-type",
        "`type` names no built-in type and no type under `types`.",
        "Correct the name, or define the type under `types`.",
    ),
    _fixed(
        "TS107", "duplicate-toolset", "Two spec files define toolsets of the same name.", "Rename one of the toolsets."
    ),
    _fixed(
        "TS901",
        "suppression-without-reason",
        "A suppression comment without a reason.",
        "Say why the finding is fine there: `# toolspec: ignore[CODE] the reason`.",
    ),
    _fixed(
        "TS902",
        "unused-suppression",
        "A suppression comment that suppresses nothing.",
        "Remove the comment, or the code in it that no finding on the line has.",
        Severity.WARNING,
    ),
)

FIXED: dict[str, Code] = {code.code: code for code in FIXED_CODES}


def fixed_diagnostic(path: str, position: Position, code: str, message: str) -> Diagnostic:
    """A diagnostic of a fixed code, with the severity the table gives it."""
    return Diagnostic(path, position, code, FIXED[code].severity, message)
