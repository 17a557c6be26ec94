"""The imports in the groups ruff's isort rules make: the standard library, third parties, the
generated package, each group sorted by module and set apart by a blank line."""

from __future__ import annotations

import ast
import re
import sys

from toolspec.compile.model_rewrites.source_edits import source_lines

_FIRST_DEFINITION = re.compile(r"^(?:class |def |@|\w+ *[:=])", re.MULTILINE)
"""Where the module's imports have ended: only what comes before is parsed."""


def grouped_imports(source: str, package: str) -> str:
    """source with its leading imports grouped; package is the first party."""
    definitions = _FIRST_DEFINITION.search(source)
    module = ast.parse(source[: definitions.start()] if definitions else source)  # the imports alone
    imports: list[ast.Import | ast.ImportFrom] = []
    for statement in module.body:
        if not isinstance(statement, ast.Import | ast.ImportFrom):
            break
        imports.append(statement)
    if not imports:
        return source
    lines = source_lines(source)
    groups: dict[int, list[tuple[tuple[bool, str], str]]] = {}
    for statement in imports:
        assert statement.end_lineno is not None
        text = "".join(lines[statement.lineno - 1 : statement.end_lineno])
        if isinstance(statement, ast.ImportFrom):
            name = "." * statement.level + (statement.module or "")
        else:
            name = statement.names[0].name
        order = (isinstance(statement, ast.ImportFrom), name.lower())  # `import x` before `from x import`
        groups.setdefault(_section(name, package), []).append((order, text))
    block = "\n".join("".join(text for _, text in sorted(groups[section])) for section in sorted(groups))
    first, last = imports[0].lineno - 1, imports[-1].end_lineno
    return "".join(lines[:first]) + block + "".join(lines[last:])


def _section(module: str, package: str) -> int:
    """isort's order: __future__, the standard library, third parties, the first party, relative."""
    root = module.split(".")[0]
    if module.startswith("."):
        return 4  # a relative import: the package itself, after its absolute imports
    if root == "__future__":
        return 0
    if root in sys.stdlib_module_names:
        return 1
    return 3 if root == package.split(".")[0] else 2
