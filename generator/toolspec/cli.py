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

import jinja2

from toolspec import __version__
from toolspec.compile.argument_models import ModelGenerationError
from toolspec.config import Config, ConfigError, load_config
from toolspec.diagnostics import FORMATS, Diagnostic, Severity, render
from toolspec.lint.docs import rules_markdown
from toolspec.lint.rules import BY_CODE, RULES
from toolspec.output.drift import find_drift
from toolspec.output.files import ManifestError, OwnershipError, write_files
from toolspec.output.render import RenderedFiles, render_package, template_environment
from toolspec.project import LoadedProject, UsageError, display_path, load_project
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
    except (ConfigError, UsageError, ManifestError) as error:
        print(f"toolspec: error: {error}", file=sys.stderr)
        return EXIT_ERROR
    except (OwnershipError, ModelGenerationError) as error:  # the project, not the call, must change
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


def _summary(project: LoadedProject) -> str:
    errors = sum(d.severity is Severity.ERROR for d in project.diagnostics)
    warnings = len(project.diagnostics) - errors
    if not project.diagnostics:
        return f"All checks passed ({project.files} spec file{'s' * (project.files != 1)})."
    return f"Found {errors} error{'s' * (errors != 1)} and {warnings} warning{'s' * (warnings != 1)} in {project.files} spec file{'s' * (project.files != 1)}."


def _lint(args: argparse.Namespace) -> int:
    config = _config()
    project = load_project(args.paths or [_specs_dir(config)], config)
    _print_diagnostics(project.diagnostics, args.format)
    if args.format == "text":
        print(_summary(project), file=sys.stderr)
    return EXIT_FINDINGS if project.diagnostics else EXIT_OK


def _specs_dir(config: Config) -> Path:
    if not config.specs.is_dir():
        raise UsageError(f"the specs directory {display_path(config.specs)} does not exist ({config.how_to_set('specs')})")
    return config.specs


def _compile(config: Config, templates: Path | None, *, show_progress: bool, verb: str) -> RenderedFiles:
    """Lint the configured specs and render the package; errors stop it with the lint output."""
    project = load_project([_specs_dir(config)], config)
    if project.has_errors:
        _print_diagnostics(project.diagnostics)
        raise _Failure(f"{_summary(project)} Fix them first: nothing was {verb}.", EXIT_FINDINGS)
    if project.diagnostics:
        print(render(project.diagnostics, "text"), file=sys.stderr)
    if not project.toolsets:
        raise _Failure(f"no specs found in {display_path(config.specs)}: nothing to generate or compare", EXIT_FINDINGS)
    show_progress = show_progress and len(project.toolsets) >= PROGRESS_THRESHOLD
    template_dir = templates or config.templates
    if template_dir is not None and not template_dir.is_dir():
        raise UsageError(f"the templates directory {template_dir} does not exist")
    try:
        return render_package(
            project.toolsets,
            package=config.package,
            specs_dir=_from_root(config.specs, config),
            spec_paths={toolset.name: _from_root(Path(toolset.path), config) for toolset in project.toolsets},
            templates=template_environment(template_dir),
            progress=_progress if show_progress else None,
        )
    except jinja2.TemplateError as error:
        where = f" ({error.filename}:{error.lineno})" if isinstance(error, jinja2.TemplateSyntaxError) else ""
        raise _Failure(f"a template failed{where}: {error.message or error}") from None
    finally:
        if show_progress:
            print(file=sys.stderr)


def _from_root(path: Path, config: Config) -> str:
    """A path as generated code names it: from the project root, the same on every machine."""
    resolved = path.resolve()
    return resolved.relative_to(config.root).as_posix() if resolved.is_relative_to(config.root) else resolved.name


def _progress(done: int, total: int) -> None:
    print(f"\rgenerating {done}/{total} toolsets", end="", file=sys.stderr, flush=True)


def _generate(args: argparse.Namespace) -> int:
    config = _config()
    files = _compile(config, args.templates, show_progress=not args.quiet and sys.stderr.isatty(), verb="generated")
    changes = write_files(files, config.output)
    if not args.quiet:
        output = display_path(config.output)
        for verb, paths in (("added", changes.added), ("changed", changes.changed), ("removed", changes.removed)):
            for path in paths:
                print(f"{verb} {output}/{path}")
    return EXIT_OK


def _check(args: argparse.Namespace) -> int:
    config = _config()
    files = _compile(config, args.templates, show_progress=False, verb="compared")
    output = display_path(config.output)
    drift = find_drift(files, config.output, output)
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
        for rule in RULES:
            print(f"{rule.code}  {rule.name:<32} {rule.severity.value:<8} {rule.summary}")
        return EXIT_OK
    chosen = BY_CODE.get(args.code.upper())
    if chosen is None:
        raise UsageError(f"no rule {args.code!r}; `toolspec rule --all` lists them")
    print(f"# {chosen.code} {chosen.name} ({chosen.severity.value})\n\n{chosen.doc}")
    return EXIT_OK
