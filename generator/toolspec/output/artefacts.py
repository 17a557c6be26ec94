"""The output registry: every file the generated package has, where it comes from, who owns it.

An artefact is a Jinja template rendered and formatted, a Markdown page of the tool catalogue
rendered from a template as it is, a module of the generator copied as it is (code that has
no template parameter is real source, linted and type-checked where it is written), or a
toolset's tool list in one API shape as JSON.

Ownership says what generate and check do with the file. An owned file is written, listed
in the manifest, compared by check, and removed when no longer generated. A scaffold is a
starting point for the user: written only when absent, never overwritten, never compared,
and never reported as stray.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from toolspec.compile.shapes import Shape


class Ownership(enum.Enum):
    OWNED = "owned"
    SCAFFOLD = "scaffold"


@dataclass(frozen=True)
class Template:
    """Python rendered from a template of templates/ (or of the user's overrides), then formatted."""

    path: str
    template: str
    ownership: Ownership = Ownership.OWNED


@dataclass(frozen=True)
class Markdown:
    """A page of the tool catalogue, rendered from a template of templates/ and not formatted."""

    path: str
    template: str
    ownership: Ownership = Ownership.OWNED


@dataclass(frozen=True)
class Copy:
    """A module of the generator, copied byte for byte."""

    path: str
    package: str
    file: str
    ownership: Ownership = Ownership.OWNED


@dataclass(frozen=True)
class ShapeList:
    """A toolset's tools in one API shape, as JSON."""

    path: str
    shape: Shape
    ownership: Ownership = Ownership.OWNED


Artefact = Template | Markdown | Copy | ShapeList

CATALOGUE = "docs"
"""The folder of the output that holds the tool catalogue: a page per toolset, and index.md."""

PACKAGE_ARTEFACTS: tuple[Artefact, ...] = (
    Template("__init__.py", "package_init.py.jinja"),
    Copy("_agents.py", "toolspec.runtime", "_agents.py"),
    Copy("_arguments.py", "toolspec.runtime", "_arguments.py"),
    Copy("_base.py", "toolspec.runtime", "_base.py"),
    Copy("_bindings.py", "toolspec.runtime", "_bindings.py"),
    Copy("_calls.py", "toolspec.runtime", "_calls.py"),
    Copy("_dispatch.py", "toolspec.runtime", "_dispatch.py"),
    Copy("_http.py", "toolspec.runtime", "_http.py"),
    Copy("_mcp.py", "toolspec.runtime", "_mcp.py"),
    Copy("_outcomes.py", "toolspec.runtime", "_outcomes.py"),
    Copy("_outputs.py", "toolspec.runtime", "_outputs.py"),
    Copy("_policies.py", "toolspec.runtime", "_policies.py"),
    Copy("_problems.py", "toolspec.runtime", "_problems.py"),
    Copy("_records.py", "toolspec.runtime", "_records.py"),
    Copy("_results.py", "toolspec.runtime", "_results.py"),
    Copy("_runners.py", "toolspec.runtime", "_runners.py"),
    Copy("_streams.py", "toolspec.runtime", "_streams.py"),
    Copy("_tool_choice.py", "toolspec.runtime", "_tool_choice.py"),
    Markdown(f"{CATALOGUE}/index.md", "catalogue_index.md.jinja"),
)
"""The files at the root of the package; paths are relative to the output directory."""


def toolset_artefacts(shapes: Sequence[Shape], *, calls_api: bool = False) -> tuple[Artefact, ...]:
    """The files of one toolset; `{toolset}` in a path stands for the toolset's name. calls_api:
    its tools have `http` keys, and it gets the handlers that call the API."""
    return (
        Template("{toolset}/__init__.py", "toolset_init.py.jinja"),
        Template("{toolset}/models.py", "models.py.jinja"),
        Template("{toolset}/tools.py", "tools.py.jinja"),
        Template("{toolset}/handlers.py", "handlers.py.jinja"),
        *((Template("{toolset}/http_handlers.py", "http_handlers.py.jinja"),) if calls_api else ()),
        *(ShapeList(f"{{toolset}}/{{toolset}}.{shape.name}.json", shape) for shape in shapes),
        Markdown(f"{CATALOGUE}/{{toolset}}.md", "catalogue.md.jinja"),
    )
