"""No `model_config` that repeats what ToolArguments, the base of every model, says already."""

from __future__ import annotations

import ast

from toolspec.compile.model_rewrites.source_edits import ByteEdits, all_nodes, drop_import
from toolspec.runtime._base import ToolArguments


def without_repeated_config(edits: ByteEdits) -> None:
    """Drop the `model_config = ConfigDict(...)` of each ToolArguments subclass whose settings
    ToolArguments has all of (datamodel-code-generator writes `extra="forbid"` in every class),
    and `ConfigDict` from the imports when nothing else uses it."""
    dropped: set[int] = set()
    for node in edits.module.body:
        if not (isinstance(node, ast.ClassDef) and any(_named(base, "ToolArguments") for base in node.bases)):
            continue
        for statement in node.body:
            if _repeats_the_base(statement) and len(node.body) > 1:
                edits.replace_lines(statement, "")
                dropped.update(id(name) for name in all_nodes(statement))
    config_dicts = (node for node in edits.nodes if _named(node, "ConfigDict") and id(node) not in dropped)
    if dropped and next(config_dicts, None) is None:
        drop_import(edits, "pydantic", "ConfigDict")


def _repeats_the_base(statement: ast.stmt) -> bool:
    """`model_config = ConfigDict(key=value, ...)` with only settings ToolArguments has."""
    if not (
        isinstance(statement, ast.Assign)
        and [_named(target, "model_config") for target in statement.targets] == [True]
        and isinstance(statement.value, ast.Call)
        and _named(statement.value.func, "ConfigDict")
        and not statement.value.args
    ):
        return False
    base: dict[str, object] = dict(ToolArguments.model_config)
    return all(
        keyword.arg in base and isinstance(keyword.value, ast.Constant) and base[keyword.arg] == keyword.value.value
        for keyword in statement.value.keywords
    )


def _named(node: ast.AST, name: str) -> bool:
    return isinstance(node, ast.Name) and node.id == name
