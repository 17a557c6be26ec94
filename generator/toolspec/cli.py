"""The command line: `toolspec lint | generate | check | schema | rule`.

Exit status: 0 when all is well, 1 for findings or drift, 2 for a usage, configuration or
I/O error. Problems are printed as messages, never as tracebacks.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from toolspec import __version__
from toolspec.codes import CODES
from toolspec.config import Config, ConfigError, load_config
from toolspec.diagnostics import FORMATS, Diagnostic, Severity, render
from toolspec.lint.docs import rules_markdown
from toolspec.output.drift import find_drift
from toolspec.output.files import OwnershipError, write_files, write_scaffolds
from toolspec.output.render import Rendered
from toolspec.pipeline import Build, Refused, UsageError, build, display_path
from toolspec.pipeline import render as render_files
from toolspec.spec.parse import language_schema

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
PROGRESS_THRESHOLD = 5
"""Show progress on a terminal from this many toolsets on."""


class _Failure(Exception):
    def __init__(self, message: str, status: int = EXIT_ERROR) -> None:
        super().__init__(message)
        self.status = status


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return int(args.run(args))
    except _Failure as error:
        print(f"toolspec: error: {error}", file=sys.stderr)
        return error.status
    except (ConfigError, UsageError) as error:
        print(f"toolspec: error: {error}", file=sys.stderr)
        return EXIT_ERROR
    except OwnershipError as error:  # the project, not the call, must change
        print(f"toolspec: error: {error}", file=sys.stderr)
        return EXIT_FINDINGS
    except BrokenPipeError:  # `toolspec schema | head`: the reader has what it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except OSError as error:
        reason = f"{error.filename}: {error.strerror}" if error.filename and error.strerror else str(error)
        print(f"toolspec: error: {reason}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="toolspec",
        description="One reviewed YAML spec for the tools an OpenAI model may call: lint it, generate "
        "typed argument models and tool definitions from it, and check that they are current.",
        epilog="Exit status: 0 all is well, 1 findings or drift, 2 usage, configuration or I/O error.",
    )
    parser.add_argument("--version", action="version", version=f"toolspec {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    lint = commands.add_parser("lint", help="check specs for what the API would reject")
    lint.add_argument("paths", nargs="*", type=Path, help="spec files or directories (default: the configured specs)")
    lint.add_argument("--format", choices=FORMATS, default="text", help="output format (default: text)")
    lint.set_defaults(run=_lint)

    generate = commands.add_parser("generate", help="compile the specs into the generated package")
    generate.add_argument("--templates", type=Path, help="a directory of templates that override the built-in ones")
    generate.add_argument("--quiet", "-q", action="store_true", help="print nothing but problems")
    generate.set_defaults(run=_generate)

    check = commands.add_parser("check", help="fail when the generated package is not what the specs compile to")
    check.add_argument("--templates", type=Path, help="the template overrides generate was run with")
    check.set_defaults(run=_check)

    schema = commands.add_parser("schema", help="print the JSON Schema of the spec language")
    schema.set_defaults(run=_schema)

    rule = commands.add_parser("rule", help="explain a lint rule")
    rule.add_argument("code", nargs="?", help="a rule code, e.g. TS201")
    rule.add_argument("--all", action="store_true", help="list every rule")
    rule.add_argument("--markdown", action="store_true", help="print docs/rules.md")
    rule.set_defaults(run=_rule)
    return parser


def _config() -> Config:
    return load_config(Path.cwd())


def _print_diagnostics(diagnostics: Sequence[Diagnostic], output_format: str = "text") -> None:
    report = render(diagnostics, output_format)
    if report:
        print(report)


def _summary(built: Build) -> str:
    errors = sum(d.severity is Severity.ERROR for d in built.diagnostics)
    warnings = len(built.diagnostics) - errors
    files = f"{built.files} spec file{'s' * (built.files != 1)}"
    if not built.diagnostics:
        return f"All checks passed ({files})."
    return f"Found {errors} error{'s' * (errors != 1)} and {warnings} warning{'s' * (warnings != 1)} in {files}."


def _lint(args: argparse.Namespace) -> int:
    config = _config()
    built = build(args.paths or [_specs_dir(config)], config)
    _print_diagnostics(built.diagnostics, args.format)
    if args.format == "text":
        print(_summary(built), file=sys.stderr)
    return EXIT_FINDINGS if built.diagnostics else EXIT_OK


def _specs_dir(config: Config) -> Path:
    if not config.specs.is_dir():
        raise UsageError(
            f"the specs directory {display_path(config.specs)} does not exist (set `specs` in [tool.toolspec])"
        )
    return config.specs


def _compile(config: Config, templates: Path | None, *, show_progress: bool, verb: str) -> Rendered:
    """Build the configured specs and render the package; errors stop it with the lint output."""
    built = build([_specs_dir(config)], config)
    if built.has_errors:
        _print_diagnostics(built.diagnostics)
        raise _Failure(f"{_summary(built)} Fix them first: nothing was {verb}.", EXIT_FINDINGS)
    if built.diagnostics:
        print(render(built.diagnostics, "text"), file=sys.stderr)
    show_progress = show_progress and len(built.toolsets) >= PROGRESS_THRESHOLD
    try:
        rendered = render_files(built, config, templates=templates, progress=_progress if show_progress else None)
    finally:
        if show_progress:
            print(file=sys.stderr)
    if isinstance(rendered, Refused):
        raise _Failure(rendered.message, EXIT_ERROR if rendered.in_setup else EXIT_FINDINGS)
    return rendered


def _progress(done: int, total: int) -> None:
    print(f"\rgenerating {done}/{total} toolsets", end="", file=sys.stderr, flush=True)


def _generate(args: argparse.Namespace) -> int:
    config = _config()
    rendered = _compile(config, args.templates, show_progress=not args.quiet and sys.stderr.isatty(), verb="generated")
    changes = write_files(rendered.files, config.output)
    changes.added.extend(write_scaffolds(rendered.scaffolds, config.output))
    if not args.quiet:
        output = display_path(config.output)
        for verb, paths in (("added", changes.added), ("changed", changes.changed), ("removed", changes.removed)):
            for path in paths:
                print(f"{verb} {output}/{path}")
    return EXIT_OK


def _check(args: argparse.Namespace) -> int:
    config = _config()
    rendered = _compile(config, args.templates, show_progress=False, verb="compared")
    output = display_path(config.output)
    drift = find_drift(rendered.files, config.output, output, scaffolds=set(rendered.scaffolds))
    if drift.version_note is not None:
        print(f"toolspec: {drift.version_note}", file=sys.stderr, flush=True)
    for diff in drift.diffs:
        sys.stdout.write(diff)
    for path in drift.missing:
        print(f"missing: {output}/{path}")
    for path in drift.orphaned:
        print(f"orphaned (no longer generated): {output}/{path}")
    for path in drift.stray:
        print(f"stray (not generated): {output}/{path}")
    if drift.clean:
        print(f"{output} matches the specs ({drift.compared} files).", file=sys.stderr)
        return EXIT_OK
    print(
        f"{output} is not what the specs compile to: {len(drift.diffs)} changed, {len(drift.missing)} missing, "
        f"{len(drift.orphaned)} orphaned, {len(drift.stray)} stray. Run `toolspec generate`"
        f"{' and remove the stray files' if drift.stray else ''}.",
        file=sys.stderr,
    )
    return EXIT_FINDINGS


def _schema(args: argparse.Namespace) -> int:
    print(json.dumps(language_schema(), indent=2, ensure_ascii=False))
    return EXIT_OK


def _rule(args: argparse.Namespace) -> int:
    if args.markdown:
        print(rules_markdown(), end="")
        return EXIT_OK
    if args.all or not args.code:
        for code in CODES.values():
            print(f"{code.code}  {code.name:<32} {code.severity.value:<8} {code.summary}")
        return EXIT_OK
    chosen = CODES.get(args.code.upper())
    if chosen is None:
        raise UsageError(f"no code {args.code!r}; `toolspec rule --all` lists them")
    print(f"# {chosen.code} {chosen.name} ({chosen.severity.value})\n\n{chosen.doc}")
    return EXIT_OK
