"""The commands that bring tools in and take them out: `toolspec import` and `toolspec export`.

app.py only registers them (add_commands); each imports what it runs on when it runs. They keep
its habits: a problem with the input or the arguments is a UsageError (`toolspec: error: ...`,
exit 2, nothing written), findings exit 1, and stdout holds nothing but the result (the spec,
or the JSON of the tools), so that it can be redirected; the import's report goes to stderr.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from toolspec.cli.options import LazyChoices, add_config_option, project_config
from toolspec.ground.diagnostics import Severity, counted, render, use_colour
from toolspec.ground.errors import EXIT_FINDINGS, EXIT_OK, UsageError
from toolspec.project.load import SPEC_SUFFIXES, configured_spec_files, display_path

if TYPE_CHECKING:
    from toolspec.importing import Selection

SHAPE_ALIASES = {"chat": "chat_completions"}
"""Short names the shape options also take, mapped here and nowhere else: `chat` was the Chat
Completions shape's name on the command line before the shapes had one registry."""


def _shape_name(given: str) -> str:
    return SHAPE_ALIASES.get(given, given)


def _import_shapes() -> list[str]:
    from toolspec.importing.detect import shape_names

    return shape_names()


def _export_shapes() -> list[str]:
    from toolspec.cli.exporting import export_shapes

    return export_shapes()


def add_commands(commands: Any) -> None:
    """Add `import` and `export` to the subcommands of the toolspec parser."""
    imports = commands.add_parser("import", help="write one spec of existing tool definitions")
    imports.add_argument(
        "sources",
        nargs="+",
        metavar="SOURCE",
        help="a JSON, JSON Lines or YAML file of tools, an OpenAPI document, or module:Class of a pydantic model",
    )
    imports.add_argument("--toolset", help="the toolset's name (default: from the first source's file name)")
    imports.add_argument(
        "-o",
        "--output",
        type=Path,
        help="the spec file to write (never overwritten); default: stdout. With --split-by-tag: the directory "
        "(default: the configured specs directory)",
    )
    imports.add_argument("--force", action="store_true", help="overwrite the output file if it exists")
    imports.add_argument(
        "--from",
        dest="shape",
        type=_shape_name,
        choices=LazyChoices(_import_shapes),
        metavar="SHAPE",
        help="read every tool as this shape (%(choices)s), instead of telling each tool's "
        "(`chat` is taken for chat_completions)",
    )
    _openapi_options(imports)
    imports.add_argument("--format", choices=("text", "json"), default="text", help="the report's format (on stderr)")
    add_config_option(imports, "the pyproject.toml whose lint settings apply")
    imports.set_defaults(run=run_import)

    exports = commands.add_parser("export", help="print a toolset's tools as JSON in one API's shape")
    exports.add_argument("toolset", help="a toolset's name (from the configured specs), or a spec file")
    exports.add_argument(
        "--shape",
        type=_shape_name,
        choices=LazyChoices(_export_shapes),
        metavar="SHAPE",
        default="responses",
        help="the shape: %(choices)s (default: responses; `chat` is taken for chat_completions)",
    )
    add_config_option(exports)
    exports.set_defaults(run=run_export)


def _openapi_options(imports: Any) -> None:
    """The options that choose among the operations of an OpenAPI document."""
    imports.add_argument(
        "--tag", action="append", default=[], help="import the OpenAPI operations with this tag (repeatable)"
    )
    imports.add_argument(
        "--operation",
        action="append",
        default=[],
        metavar="ID",
        help="import the OpenAPI operation with this operationId (repeatable)",
    )
    imports.add_argument(
        "--split-by-tag", action="store_true", help="write one toolset per tag of an OpenAPI document, to <tag>.yaml"
    )


def run_import(args: argparse.Namespace) -> int:
    from toolspec.cli.import_check import lint_text
    from toolspec.importing import Selection, import_sources
    from toolspec.importing.report import render_json, render_text

    selection = Selection(tuple(args.tag), tuple(args.operation))
    if args.split_by_tag:
        return _run_split(args, selection)
    output: Path | None = args.output
    if output is not None and output.exists() and not args.force:
        raise UsageError(f"{display_path(output)} exists: toolspec import never overwrites a file (--force does)")
    imported = import_sources(args.sources, toolset=args.toolset, shape=args.shape, selection=selection)
    report = imported.report
    report.output = display_path(output) if output is not None else None
    report.findings = lint_text(imported.text, report.output or "<stdout>", project_config(args))
    if output is None:
        sys.stdout.write(imported.text)
        sys.stdout.flush()
    else:
        _write(output, imported.text, force=args.force)
    print(render_json(report) if args.format == "json" else render_text(report), file=sys.stderr)
    return EXIT_FINDINGS if any(d.severity is Severity.ERROR for d in report.findings) else EXIT_OK


def _run_split(args: argparse.Namespace, selection: Selection) -> int:
    """One spec per tag, each to <toolset>.yaml in the output directory: all checked before any is written."""
    from toolspec.cli.import_check import lint_text
    from toolspec.importing import import_by_tag
    from toolspec.importing.report import render_json, render_text

    if args.toolset is not None:
        raise UsageError("--split-by-tag names each toolset after its tag: leave out --toolset")
    config = project_config(args)
    directory: Path = args.output if args.output is not None else config.specs
    if directory.exists() and not directory.is_dir():
        raise UsageError(f"{display_path(directory)} is no directory: with --split-by-tag, -o names one")
    imports = import_by_tag(args.sources, shape=args.shape, selection=selection)
    targets = [directory / f"{imported.report.toolset}.yaml" for imported in imports]
    existing = [display_path(target) for target in targets if target.exists()]
    if existing and not args.force:
        raise UsageError(f"{', '.join(existing)} exist: toolspec import never overwrites a file (--force does)")
    errors = False
    for imported, target in zip(imports, targets, strict=True):
        imported.report.output = display_path(target)
        imported.report.findings = lint_text(imported.text, imported.report.output, config)
        errors = errors or any(d.severity is Severity.ERROR for d in imported.report.findings)
    for imported, target in zip(imports, targets, strict=True):
        _write(target, imported.text, force=args.force)
        print(render_json(imported.report) if args.format == "json" else render_text(imported.report), file=sys.stderr)
    return EXIT_FINDINGS if errors else EXIT_OK


def _write(path: Path, text: str, *, force: bool) -> None:
    """Write the spec; with force, in one step (a temporary file renamed), so that a failed write
    leaves the old spec as it was."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if not force:
        try:
            with path.open("x", encoding="utf-8") as stream:
                stream.write(text)
        except FileExistsError:
            raise UsageError(
                f"{display_path(path)} exists: toolspec import never overwrites a file (--force does)"
            ) from None
        return
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def run_export(args: argparse.Namespace) -> int:
    from toolspec.cli.exporting import export_tools
    from toolspec.pipeline import build

    config = project_config(args)
    as_file = Path(args.toolset)
    is_file = as_file.suffix in SPEC_SUFFIXES and as_file.is_file()
    built = build([as_file] if is_file else configured_spec_files(config, "export"), config)
    if built.has_errors:
        errors = [d for d in built.diagnostics if d.severity is Severity.ERROR]
        print(render(errors, "text", colour=use_colour(sys.stderr)), file=sys.stderr)
        print(
            f"toolspec: error: the specs have {counted(len(errors), 'error')}: fix them first; nothing was exported",
            file=sys.stderr,
        )
        return EXIT_FINDINGS
    compiled = built.compiled[0] if is_file else next((c for c in built.compiled if c.name == args.toolset), None)
    if compiled is None:
        known = ", ".join(sorted(c.name for c in built.compiled)) or "none"
        raise UsageError(f"there is no toolset {args.toolset!r} in {display_path(config.specs)}; the toolsets: {known}")
    exported = export_tools(compiled, args.shape)
    print(json.dumps(exported.tools, indent=2, ensure_ascii=False))
    if exported.left_out:
        print(
            f"toolspec: the {args.shape} shape has no custom tools: left out {', '.join(exported.left_out)}",
            file=sys.stderr,
        )
    return EXIT_OK
