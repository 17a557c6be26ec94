"""The RootModels datamodel-code-generator makes up, as plain type aliases, and the ones left
as strict as every argument model."""

from __future__ import annotations

import ast
import re

from toolspec.compile.model_rewrites.source_edits import ByteEdits, all_nodes, not_importing


def inline_made_up_root_models(source: str, type_classes: set[str], alias_names: set[str]) -> str:
    """Turn the RootModel classes (and TypeAliasTypes) datamodel-code-generator makes up for a
    constrained union branch, array item or map value into plain type aliases, so that the
    handler gets plain values: `int | timedelta`, not `Reminder | timedelta` with the int in
    `Reminder.root`.

    `CreateEventReminderVariant1 = Annotated[int, Field(ge=0)]` keeps the constraint, and
    the model's strict configuration applies to it. The alias is named by the `title` the schema
    gave the value (its tool or type and path, names.inline_class_names), not by the generator,
    whose names depend on the other tools. Named types stay classes: the spec names them.
    """
    # No `X.model_rebuild()`: the models are built when first used (ToolArguments defers the
    # build), when every class of the module is defined; a rebuild at import would build X then.
    source = re.sub(r"^\w+\.model_rebuild\(\)$\n?", "", source, flags=re.MULTILINE)
    edits = ByteEdits(source)
    made_up = {id(node): found for node in edits.module.body if (found := _made_up_alias(node, type_classes))}
    renames = {name: title for name, annotation in made_up.values() if (title := _title(annotation)) in alias_names}
    titles = alias_names if "title=" in source else set()
    for node in edits.module.body:
        if id(node) not in made_up:
            _edit_in_place(node, renames, titles, edits)
            continue
        name, annotation = made_up[id(node)]
        _rename(annotation, renames)
        edits.replace_lines(node, f"{renames.get(name, name)} = {_without_description(annotation)}\n")
    if not edits.edits:
        return source
    source = edits.applied().decode("utf-8")
    if not re.search(r"\bRootModel\[", source):
        source = not_importing(source, "pydantic", "RootModel")
    if "TypeAliasType(" not in source:
        source = not_importing(source, "typing_extensions", "TypeAliasType")
    return source


def _rename(tree: ast.AST, renames: dict[str, str]) -> None:
    """Each name of renames in tree (an alias's annotation, about to be unparsed) renamed."""
    for node in all_nodes(tree):
        if isinstance(node, ast.Name) and node.id in renames:
            node.id = renames[node.id]


def _edit_in_place(statement: ast.stmt, renames: dict[str, str], titles: set[str], edits: ByteEdits) -> None:
    """An edit for each use of a name of renames in statement (not a field of that name), and
    for each `title=` keyword naming one of titles (alias names) in its `Field(...)` calls,
    where a title reached a field (a string of a format that turned out not to be nullable, so
    no alias was made of it)."""
    if not (renames or titles):
        return
    fields: set[int] = set()
    if isinstance(statement, ast.ClassDef):
        fields = {id(s.target) for s in statement.body if isinstance(s, ast.AnnAssign)}
    for node in all_nodes(statement):
        if isinstance(node, ast.Name):
            if node.id in renames and id(node) not in fields:
                edits.replace(*edits.span(node), renames[node.id])
        elif titles and isinstance(node, ast.Call) and _is_name(node.func, "Field"):
            _drop_alias_title(node, edits, titles)


def _made_up_alias(node: ast.stmt, type_classes: set[str]) -> tuple[str, ast.expr] | None:
    """The name and type of a RootModel class, or a `X = TypeAliasType("X", ...)`, that the
    generator made up (not a named type's)."""
    if isinstance(node, ast.ClassDef) and _is_root_model(node) and node.name not in type_classes:
        root = next(s for s in node.body if isinstance(s, ast.AnnAssign) and _is_name(s.target, "root"))
        return node.name, root.annotation
    if (
        isinstance(node, ast.Assign)
        and len(node.targets) == 1
        and isinstance(target := node.targets[0], ast.Name)
        and target.id not in type_classes
        and isinstance(node.value, ast.Call)
        and _is_name(node.value.func, "TypeAliasType")
        and len(node.value.args) == 2
    ):
        return target.id, node.value.args[1]
    return None


def _title(annotation: ast.expr) -> str | None:
    for node in all_nodes(annotation):
        if isinstance(node, ast.Call) and _is_name(node.func, "Field"):
            for k in node.keywords:
                if k.arg == "title" and isinstance(k.value, ast.Constant) and isinstance(k.value.value, str):
                    return k.value.value
    return None


def _drop_alias_title(field: ast.Call, edits: ByteEdits, alias_names: set[str]) -> None:
    """An edit taking out of field its `title=` keyword that names an alias, with the comma
    that joins it to its neighbour."""
    arguments: list[ast.expr | ast.keyword] = [*field.args, *field.keywords]
    for index, argument in enumerate(arguments):
        if not (
            isinstance(argument, ast.keyword)
            and argument.arg == "title"
            and isinstance(argument.value, ast.Constant)
            and argument.value.value in alias_names
        ):
            continue
        start, end = edits.span(argument)
        if index > 0:  # from the end of the argument before: `, title='X'`
            start = edits.span(arguments[index - 1])[1]
        elif index + 1 < len(arguments):  # to the start of the one after: `title='X', `
            end = edits.span(arguments[index + 1])[0]
        edits.replace(start, end, "")


def _is_root_model(node: ast.ClassDef) -> bool:
    return any(isinstance(b, ast.Subscript) and _is_name(b.value, "RootModel") for b in node.bases)


def _is_name(node: ast.expr, name: str) -> bool:
    return isinstance(node, ast.Name) and node.id == name


def _without_description(annotation: ast.expr) -> str:
    """The annotation of a RootModel's root, without the description and extra keys
    datamodel-code-generator copied from the parent (they are the field's), and the title that
    names it."""
    for node in all_nodes(annotation):
        if isinstance(node, ast.Call) and _is_name(node.func, "Field"):
            node.keywords = [k for k in node.keywords if k.arg not in ("description", "json_schema_extra", "title")]
    return ast.unparse(annotation)


_ROOT_MODEL = re.compile(r"^class \w+\(RootModel\[.*\]\):\n(    \"\"\"(?:.|\n)*?\"\"\"\n)?", re.MULTILINE)


def strict_root_models(source: str) -> str:
    """Make every RootModel validate strictly and build when first used, as ToolArguments does.

    datamodel-code-generator writes a RootModel for a constrained union member or array item,
    and a RootModel does not inherit the base class's `strict=True`: in lax mode it would take
    `0` for a duration or `"5"` for a number inside it.
    """
    if not _ROOT_MODEL.search(source):
        return source
    if not re.search(r"^from pydantic import [^\n]*\bConfigDict\b", source, re.MULTILINE):
        source = source.replace("from pydantic import ", "from pydantic import ConfigDict, ", 1)
    config = "    model_config = ConfigDict(strict=True, defer_build=True)\n"
    return _ROOT_MODEL.sub(lambda match: match.group(0) + config, source)
