"""One table of every code toolspec reports: the lint rules, the fixed codes of reading a spec
(TS0xx, TS1xx) and of suppressions (TS9xx), which no configuration turns off, and the codes of
`toolspec breaking` (TS7xx, in ground/change_rules.py), which `breaking.ignore` accepts.

`toolspec rule CODE` explains any of them, docs/rules.md lists them all, and a test checks
that every code written in the source is here.
"""

from __future__ import annotations

from toolspec.ground.change_rules import CHANGE_RULES
from toolspec.ground.fixed_codes import FIXED_CODES, Code
from toolspec.lint.rules import RULES

__all__ = ["CODES", "FIXED_CODES", "Code"]


CODES: dict[str, Code] = {
    code.code: code
    for code in sorted(
        (
            *FIXED_CODES,
            *(Code(r.code, r.name, r.severity, r.doc, configurable=True) for r in RULES),
            *(Code(r.code, r.name, r.severity, r.doc, configurable=False) for r in CHANGE_RULES),
        ),
        key=lambda code: code.code,
    )
}
"""Every code, in order."""
