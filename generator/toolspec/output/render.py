"""Render every file of the generated package in memory: nothing is written here.

Templates only render: every name, string and value they show was decided by the compiler
(a CompiledToolset) and reaches them through two filters, `pyrepr` for Python values and
`docstring` for text inside a docstring, so that no string in a spec can change the code
around it. Which files there are, and who owns them, is the output registry's (artefacts.py).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Mapping, Sequence, Set
from dataclasses import dataclass
from importlib import resources
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, assert_never

import jinja2

from toolspec.compile.names import ARGUMENT_MODELS, pascal_case
from toolspec.compile.outline import ToolsetOutline, outline
from toolspec.compile.python_literal import python_literal
from toolspec.compile.tokens import TokenCountError
from toolspec.compile.toolset import MADE_FOR_RENDERING
from toolspec.ground.json_file import json_file
from toolspec.ground.user_cache import cache_directory
from toolspec.output import catalogue
from toolspec.output.artefacts import (
    PACKAGE_ARTEFACTS,
    Copy,
    Markdown,
    Ownership,
    ShapeList,
    Template,
    toolset_artefacts,
)
from toolspec.output.formatting import format_files, format_python
from toolspec.output.markdown import table_cell
from toolspec.output.record import RECORD_KEY, Record, ToolsetRecord
from toolspec.output.staged import MANIFEST, Rendered, StagedFiles
from toolspec.output.versions import running_versions

if TYPE_CHECKING:
    from toolspec.compile.toolset import CompiledToolset
    from toolspec.output.artefacts import (
        Artefact,
    )
    from toolspec.output.record import CurrentFile


def docstring_text(text: str) -> str:
    """Text that can stand inside a triple-quoted docstring and reads the same.

    Backslashes and control characters are escaped, and so is a quote that follows another
    unescaped one or ends the text, so that no three quotes can close the docstring early. It is
    the last filter: text cut after it (first_line) could end in a quote it left as it was.
    """
    out: list[str] = []
    for index, char in enumerate(text):
        if char == '"' and (index == len(text) - 1 or out[-1:] == ['"']):
            out.append('\\"')
        else:
            out.append(_DOCSTRING_ESCAPES.get(char, char))
    return "".join(out)


_DOCSTRING_ESCAPES = {
    "\\": "\\\\",
    **{chr(code): f"\\x{code:02x}" for code in (*range(0x20), 0x7F) if chr(code) not in "\n\t"},
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else ""


class _CompiledTemplates(jinja2.FileSystemBytecodeCache):
    """Templates compiled once, in the user's cache, and loaded from there by later runs (jinja
    checks each against its source's checksum): compiling them is most of what a run that
    renders one toolset spends in jinja. A damaged entry is compiled again."""

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # noqa: BLE001 - a cache that cannot be read only costs time
            bucket.reset()


def _compiled_templates() -> jinja2.BytecodeCache | None:
    base = cache_directory()
    if base is None:
        return None
    directory = base / "templates"
    try:
        directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError:
        return None
    return _CompiledTemplates(str(directory))


def template_environment(override_dir: Path | None) -> jinja2.Environment:
    """The package's templates, with those of override_dir (if any) taking precedence."""
    loaders: list[jinja2.BaseLoader] = []
    if override_dir is not None:
        loaders.append(jinja2.FileSystemLoader(override_dir))
    loaders.append(jinja2.FileSystemLoader(str(resources.files("toolspec.templates"))))
    environment = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        bytecode_cache=_compiled_templates(),
        auto_reload=False,  # a run renders hundreds of files: no stat of the template before each
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
    )
    environment.filters["pyrepr"] = python_literal
    environment.filters["docstring"] = docstring_text
    environment.filters["first_line"] = _first_line
    environment.filters["table_cell"] = table_cell
    return environment


class PackageRendering:
    """Every file of the generated package, rendered in memory and staged on disk (StagedFiles):
    nothing is written to the output here.

    A toolset's files may be rendered ahead (`ahead`), as soon as its toolset and models are at
    hand, while the run still waits for others: the parent would otherwise idle while the
    workers build, then render every toolset alone. `finish` renders the rest, in name order,
    and the package's own files; what cannot be rendered ahead is left to it, so that a failure
    is reported as it would be without rendering ahead.
    """

    def __init__(self, template_dir: Path | None) -> None:
        """template_dir: the project's own templates, if any, taking precedence over toolspec's."""
        self.template_dir = template_dir
        self._rendering = _Rendering(template_environment(template_dir))
        for artefact in PACKAGE_ARTEFACTS:
            self._rendering.claim(PurePosixPath(artefact.path))  # a toolset's file may not take one of these
        self._ahead: dict[str, tuple[str, ...]] = {}
        """Toolset name -> the paths of its files, rendered ahead."""

    @property
    def rendered_ahead(self) -> Set[str]:
        """The names of the toolsets whose files were rendered ahead."""
        return self._ahead.keys()

    def ahead(self, compiled: CompiledToolset) -> None:
        """Render compiled's files now, where its models were made with it (in a worker) and
        every file renders; else finish renders them."""
        if any(made not in vars(compiled) for made in MADE_FOR_RENDERING):
            return  # not made yet: finish is given them by the run's pool, or makes them
        rendering = self._rendering
        paths = _toolset_paths(compiled)
        if any(path in rendering.paths for path in paths):
            return  # finish says which file clashes
        try:
            context = toolset_context(compiled)
            contents = [rendering.render(artefact, context) for artefact in paths.values()]
        except (jinja2.TemplateError, TokenCountError):
            return  # finish reports it, for the first toolset in name order that fails
        for (path, artefact), content in zip(paths.items(), contents, strict=True):
            rendering.claim(path)
            rendering.stage(artefact, path, content)
        self._ahead[compiled.name] = tuple(map(str, paths))

    def finish(
        self,
        toolsets: Sequence[CompiledToolset | ToolsetOutline],
        *,
        specs_dir: str,
        record: RecordInputs,
        reuse: Mapping[str, Mapping[str, CurrentFile]] | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> Rendered:
        """Every file of the generated package, by its path below the output directory.

        toolsets: in name order, each compiled, or outlined where its files were rendered ahead
        or are taken as they are. They are rendered one at a time, each file staged as it is
        rendered, so that toolsets read back from disk one by one (ToolsetStore) are let go of as
        soon as their files are written. reuse: toolset name -> where its owned files are on
        disk, known (by the record) to be what it compiles to: they are taken as they are, and
        the toolset is neither rendered nor formatted. The models of the others are best made
        beforehand, together (model_pool): else one by one, as each is rendered. The package's
        own files read each toolset's outline.
        """
        reuse = reuse or {}
        rendering = self._rendering
        outlines: list[ToolsetOutline] = []
        toolset_files: list[tuple[str, str, tuple[str, ...]]] = []
        for done, member in enumerate(toolsets, start=1):
            if isinstance(member, ToolsetOutline):
                ahead = self._ahead.get(member.name)
                paths = ahead if ahead is not None else _refer_toolset(rendering, member.name, reuse[member.name])
                outlines.append(member)
            else:
                paths = _render_toolset(rendering, member)
                outlines.append(outline(member, member.spec_path))
            toolset_files.append((member.spec_path, member.name, paths))
            if progress is not None:
                progress(done, len(toolsets))
        index = catalogue.index([catalogue.index_entry(each) for each in outlines], specs_dir)
        package_context = {"toolsets": outlines, "specs_dir": specs_dir, "catalogue": index}
        for artefact in PACKAGE_ARTEFACTS:
            rendering.add(artefact, PurePosixPath(artefact.path), package_context, claimed=True)
        rendering.format()
        owned = rendering.files[Ownership.OWNED]
        owned.put(PurePosixPath(MANIFEST), json_file(_manifest(owned, record, toolset_files)))
        return Rendered(files=owned, scaffolds=rendering.files[Ownership.SCAFFOLD])


def _toolset_paths(compiled: CompiledToolset) -> dict[PurePosixPath, Artefact]:
    """Where each of a toolset's files goes, and what it is."""
    artefacts = toolset_artefacts(compiled.shapes, calls_api=compiled.http_handlers_class is not None)
    return {PurePosixPath(artefact.path.format(toolset=compiled.name)): artefact for artefact in artefacts}


def _render_toolset(rendering: _Rendering, compiled: CompiledToolset) -> tuple[str, ...]:
    """Render a toolset's files: their paths."""
    context = toolset_context(compiled)
    paths = _toolset_paths(compiled)
    for path, artefact in paths.items():
        with _named_clash(compiled.name, path):
            rendering.add(artefact, path, context)
    return tuple(map(str, paths))


def _refer_toolset(rendering: _Rendering, name: str, reused: Mapping[str, CurrentFile]) -> tuple[str, ...]:
    """Take the files of toolset name as they are (reused, known to be current): their paths."""
    for path in reused:
        with _named_clash(name, PurePosixPath(path)):
            rendering.refer(Ownership.OWNED, PurePosixPath(path), reused[path])
    return tuple(reused)


@contextlib.contextmanager
def _named_clash(toolset: str, path: PurePosixPath) -> Iterator[None]:
    """A PathClash of a toolset's file, said with the toolset's name."""
    try:
        yield
    except PathClash:
        raise PathClash(
            f"toolset {toolset!r} would write {path}, which is another generated file: rename the toolset"
        ) from None


class PathClash(Exception):
    """Two artefacts would be written to one path (a toolset named `index` would have the
    catalogue's index page for its own)."""


@dataclass(frozen=True)
class RecordInputs:
    """What the manifest's record says a run was made from (see record.py)."""

    build: str
    inputs: Mapping[str, Mapping[str, str]]
    """Toolset name -> the files it was compiled from -> their sha256."""


def _manifest(
    owned: StagedFiles, record: RecordInputs, toolset_files: Sequence[tuple[str, str, Sequence[str]]]
) -> dict[str, Any]:
    """toolset_files: each toolset's spec path, name and files."""
    hashes = {str(path): owned.sha256(path) for path in owned}
    by_toolset = {
        spec_path: ToolsetRecord(spec_path, name, record.inputs[name], tuple(path for path in paths if path in hashes))
        for spec_path, name, paths in toolset_files
    }
    return {
        "generator": "toolspec",
        "versions": running_versions(),
        "files": sorted(hashes),
        RECORD_KEY: Record(record.build, hashes, by_toolset).as_json(),
    }


class _Rendering:
    """Files as they are rendered, staged on disk; Python is formatted at the end, all of it in
    one go."""

    def __init__(self, templates: jinja2.Environment) -> None:
        self.templates = templates
        self.files: dict[Ownership, StagedFiles] = {ownership: StagedFiles() for ownership in Ownership}
        self.python: dict[Ownership, list[str]] = {ownership: [] for ownership in Ownership}
        """The Python files staged unformatted, by their path."""
        self.paths: set[PurePosixPath] = set()

    def add(self, artefact: Artefact, path: PurePosixPath, context: dict[str, Any], *, claimed: bool = False) -> None:
        """Render artefact to path; claimed: the path is claimed already (see claim)."""
        if not claimed:
            self.claim(path)
        self.stage(artefact, path, self.render(artefact, context))

    def render(self, artefact: Artefact, context: dict[str, Any]) -> str | bytes:
        """artefact's content, rendered with context."""
        match artefact:
            case Template() | Markdown():
                return self.templates.get_template(artefact.template).render(**context)
            case Copy():
                return resources.files(artefact.package).joinpath(artefact.file).read_bytes()
            case ShapeList():
                shape_files: Mapping[str, bytes] = context["compiled"].shape_files
                return shape_files[artefact.shape.name]
            case _:
                assert_never(artefact)

    def stage(self, artefact: Artefact, path: PurePosixPath, content: str | bytes) -> None:
        """Put content, rendered for artefact, at path (claimed)."""
        self.files[artefact.ownership].put(path, content)
        if isinstance(artefact, Template):
            self.python[artefact.ownership].append(str(path))

    def refer(self, ownership: Ownership, path: PurePosixPath, current: CurrentFile) -> None:
        self.claim(path)
        self.files[ownership].refer(path, current.path, current.sha256)

    def claim(self, path: PurePosixPath) -> None:
        """Take path for one file: a second file at it is a PathClash."""
        if path in self.paths:
            raise PathClash(f"two generated files would be {path}")
        self.paths.add(path)

    def format(self) -> None:
        for ownership, paths in self.python.items():
            if paths:
                format_files(self.files[ownership].root, paths)
            paths.clear()


def toolset_context(compiled: CompiledToolset) -> dict[str, Any]:
    """What the templates of a toolset read: the compiled toolset, the names tools.py exports,
    and its catalogue page."""
    return {
        "compiled": compiled,
        "page": catalogue.toolset_page(compiled),
        "argument_models": ARGUMENT_MODELS,
        "tool_lists": sorted([ARGUMENT_MODELS, *(shape.constant for shape in compiled.shapes)]),
        "sdk_types": sorted({(s.sdk_type.module, s.sdk_type.name) for s in compiled.shapes if s.sdk_type}),
    }


def render_scaffold(compiled: CompiledToolset, templates: jinja2.Environment) -> str:
    """A starting implementation of the toolset's handlers, for the team to fill in."""
    context = {"compiled": compiled, "class_name": pascal_case(compiled.name)}
    return format_python(templates.get_template("scaffold.py.jinja").render(**context))
