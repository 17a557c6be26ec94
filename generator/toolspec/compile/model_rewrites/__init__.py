"""The rewrites of datamodel-code-generator's output, in the order they run.

datamodel-code-generator writes a module close to what toolspec ships; each pass below turns one
thing it writes into what the argument models need. A text rewrite returns the module's source
rewritten. The tree rewrites that follow one another share one parse and one walk (most of what a
rewrite costs): each adds its edits to one ByteEdits, applied together, so their edits must not
touch the same text, unless a later one rewrites a span from what ByteEdits.text reads of it
(null-means-default rewrites annotations in which evaluated-annotations quoted names).

This list is the checklist for an upgrade of datamodel-code-generator: for each pass, check that
the new version still writes what the pass looks for (tests/test_models.py and the golden
`generated/` tree say whether the output changed), and drop the passes it no longer needs.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from toolspec.compile.model_rewrites.class_config import without_repeated_config
from toolspec.compile.model_rewrites.docstrings import one_line_docstrings
from toolspec.compile.model_rewrites.forward_references import evaluated_annotations
from toolspec.compile.model_rewrites.import_groups import grouped_imports
from toolspec.compile.model_rewrites.null_defaults import null_means_default
from toolspec.compile.model_rewrites.root_models import inline_made_up_root_models, strict_root_models
from toolspec.compile.model_rewrites.source_edits import ByteEdits
from toolspec.compile.model_rewrites.string_checks import string_checks_on_the_string


@dataclass(frozen=True)
class Toolset:
    """What the passes need to know of the toolset whose models they rewrite."""

    package: str
    """The generated package, whose _base.py the models import."""
    type_classes: set[str]
    """The classes of the named types, which stay classes."""
    alias_names: set[str]
    """The names given to constrained items, map values and branches (their type aliases)."""


@dataclass(frozen=True)
class TextRewrite:
    name: str
    why: str
    apply: Callable[[str, Toolset], str]


@dataclass(frozen=True)
class TreeRewrite:
    name: str
    why: str
    edit: Callable[[ByteEdits, Toolset], None]


def _without_header(source: str, toolset: Toolset) -> str:
    return re.sub(r"\A(#[^\n]*\n)+\n*", "", source)


def _without_arbitrary_types(source: str, toolset: Toolset) -> str:
    return re.sub(r"^ *arbitrary_types_allowed=True,\n", "", source, flags=re.MULTILINE)


def _one_blank_line_after_imports(source: str, toolset: Toolset) -> str:
    return re.sub(r"^((?:from|import) [^\n]*\n)\n{2,}(?=\w+ = )", r"\1\n", source, count=1, flags=re.MULTILINE)


REWRITES: tuple[TextRewrite | TreeRewrite, ...] = (
    TextRewrite(
        "without-header",
        "the generator's comment header (its name, the input file): the module has its own",
        _without_header,
    ),
    TextRewrite(
        "without-arbitrary-types",
        "written for the types of FORMAT_TYPES, which pydantic knows: the option is not needed",
        _without_arbitrary_types,
    ),
    TextRewrite(
        "inline-made-up-root-models",
        "the RootModels made up for a constrained item, map value or branch become plain type aliases, "
        "named by the spec, so that handlers get plain values",
        lambda source, toolset: inline_made_up_root_models(source, toolset.type_classes, toolset.alias_names),
    ),
    TextRewrite(
        "strict-root-models",
        "the RootModels left validate strictly and build when first used, as ToolArguments does",
        lambda source, toolset: strict_root_models(source),
    ),
    TextRewrite(
        "string-checks-on-the-string",
        "a length or pattern of a date, time, UUID or IP address checks the JSON string, not the parsed value",
        lambda source, toolset: string_checks_on_the_string(source, toolset.package),
    ),
    TreeRewrite(
        "evaluated-annotations",
        "no `from __future__ import annotations`: names defined later are written as strings, the rest "
        "evaluated once at import",
        lambda edits, toolset: evaluated_annotations(edits),
    ),
    TreeRewrite(
        "null-means-default",
        "null for an optional parameter means its default (NullMeansDefault), as strict mode sends null; "
        "the metadata carries the default, in place of a key of `json_schema_extra`",
        lambda edits, toolset: null_means_default(edits, toolset.package),
    ),
    TreeRewrite(
        "config-from-the-base",
        'no `model_config = ConfigDict(extra="forbid")` in every class: ToolArguments, their base, says it',
        lambda edits, toolset: without_repeated_config(edits),
    ),
    TreeRewrite(
        "one-line-docstrings",
        "a docstring of one line on one line, not between two lines of quotes",
        lambda edits, toolset: one_line_docstrings(edits),
    ),
    TextRewrite(
        "import-groups",
        "the standard library, pydantic and the generated package in three groups, as ruff's isort rules have them",
        lambda source, toolset: grouped_imports(source, toolset.package),
    ),
    TextRewrite(
        "one-blank-line-after-imports",
        "an alias that replaced a class right after the imports: one blank line, as black has it "
        "(ruff, which formats, keeps the two a class had)",
        _one_blank_line_after_imports,
    ),
)


def rewritten(source: str, toolset: Toolset) -> str:
    """source, as datamodel-code-generator wrote it, after every pass of REWRITES."""
    shared: list[TreeRewrite] = []
    for rewrite in REWRITES:
        if isinstance(rewrite, TreeRewrite):
            shared.append(rewrite)
            continue
        source = rewrite.apply(_edited(source, shared, toolset), toolset)
        shared = []
    return _edited(source, shared, toolset)


def _edited(source: str, rewrites: Sequence[TreeRewrite], toolset: Toolset) -> str:
    """source after the tree rewrites, from one parse."""
    if not rewrites:
        return source
    edits = ByteEdits(source)
    for rewrite in rewrites:
        rewrite.edit(edits, toolset)
    return edits.applied().decode("utf-8")
