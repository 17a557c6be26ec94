"""The command line: `toolspec init | lint | generate | check | breaking | stats | scaffold | schema | rule`,
and `import | export` (import_export.py).

Exit status: 0 when all is well, 1 for findings or drift, 2 for a usage, configuration or
I/O error. Problems are printed as messages, never as tracebacks. Each command imports what it
runs on when it runs (`--version`, and a generate with nothing to do, import next to nothing).
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import json
import os
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from toolspec import __version__
from toolspec.cli import import_export, serve
from toolspec.cli.options import add_config_option, project_config
from toolspec.ground.diagnostics import FORMATS, Severity, counted, render, use_colour
from toolspec.ground.errors import EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, ToolspecError, UsageError
from toolspec.project.load import configured_spec_files, display_path

if TYPE_CHECKING:
    from toolspec.ground.diagnostics import Diagnostic
    from toolspec.pipeline import Build, Package, Reuse
    from toolspec.project.config import Config

STATS_FORMATS = ("text", "json")
"""What `toolspec stats --format` takes: stats_table and stats_json (cli/stats.py)."""
PROGRESS_AFTER = 1.0
"""Seconds into a run after which generate and check show progress on a terminal."""


class _Failure(ToolspecError):
    """A command stopped by what it found: its status is the command's to choose."""

    def __init__(self, message: str, status: int = EXIT_ERROR) -> None:
        super().__init__(message)
        self.status = status


def run() -> NoReturn:
    """The program `toolspec` (and `python -m toolspec`): main, then an exit that does not free
    the heap one object at a time. A large run holds a million small objects (its toolsets);
    the interpreter's teardown of them took about a tenth of a one-spec change at 1,000 tools.
    What an exit must do is done first, as at any exit: the output flushed, the exit handlers
    run (the staged files' removal among them). With a thread still running, the exit is the
    interpreter's own, which waits for it."""
    status = main()
    if threading.active_count() > 1:
        sys.exit(status)
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a reader gone, or a stream closed
            stream.flush()
    atexit._run_exitfuncs()
    os._exit(status)


def main(argv: Sequence[str] | None = None) -> int:
    """The command line, in this process (tests call it): its exit status."""
    global _STARTED
    _STARTED = time.monotonic()
    args, unknown = _parser().parse_known_args(argv)
    if unknown:  # said by the command's own parser, with its usage: `toolspec lint --fix`
        args.command_parser.error(f"unrecognized arguments: {' '.join(unknown)}")
    try:
        return int(args.run(args))
    except ToolspecError as error:
        print(f"toolspec: error: {error}", file=sys.stderr)
        return error.status
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

    init = commands.add_parser("init", help="set up a project: [tool.toolspec], an example spec, pre-commit hooks")
    init.add_argument("--toolset", default="example", help="the example spec's toolset name (default: example)")
    init.set_defaults(run=_init)

    _add_lint(commands)
    _add_generate_and_check(commands)
    _add_breaking(commands)

    schema = commands.add_parser("schema", help="print the JSON Schema of the spec language")
    schema.set_defaults(run=_schema)

    scaffold = commands.add_parser("scaffold", help="write a starting implementation of a toolset's handlers")
    scaffold.add_argument("toolset", help="the toolset's name")
    scaffold.add_argument("-o", "--output", type=Path, help="the file to write (never overwritten); default: stdout")
    add_config_option(scaffold)
    scaffold.set_defaults(run=_scaffold)

    _add_stats(commands)

    rule = commands.add_parser("rule", help="explain a lint rule")
    rule.add_argument("code", nargs="?", help="a rule code, e.g. TS201")
    rule.add_argument("--all", action="store_true", help="list every rule")
    rule.add_argument("--markdown", action="store_true", help="print docs/rules.md")
    rule.set_defaults(run=_rule)
    import_export.add_commands(commands)
    serve.add_command(commands)
    for command in commands.choices.values():
        command.set_defaults(command_parser=command)
    return parser


def _add_lint(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    lint = commands.add_parser("lint", help="check specs for what the API would reject")
    lint.add_argument("paths", nargs="*", type=Path, help="spec files or directories (default: the configured specs)")
    lint.add_argument(
        "--format",
        choices=FORMATS,
        default="text",
        help="output format (default: text, each finding with its source line; concise: one line each)",
    )
    lint.add_argument(
        "--no-cache",
        action="store_true",
        help="read and check every spec, not only those that changed since they were last checked",
    )
    _common_options(lint, "the findings")
    lint.set_defaults(run=_lint)


def _add_generate_and_check(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    generate = commands.add_parser("generate", help="compile the specs into the generated package")
    generate.add_argument("--templates", type=Path, help="a directory of templates that override the built-in ones")
    generate.add_argument("--no-cache", action="store_true", help=_NO_CACHE_HELP)
    generate.add_argument(
        "--prune", action="store_true", help="remove the files in the output directory that generate never wrote"
    )
    _common_options(generate, "problems")
    generate.set_defaults(run=_generate)

    check = commands.add_parser("check", help="fail when the generated package is not what the specs compile to")
    check.add_argument("--templates", type=Path, help="the template overrides generate was run with")
    check.add_argument("--no-cache", action="store_true", help=_NO_CACHE_HELP)
    check.add_argument("--format", choices=FORMATS, default="text", help="output format of the drift (default: text)")
    _common_options(check, "problems")
    check.set_defaults(run=_check)


def _add_breaking(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    breaking = commands.add_parser(
        "breaking", help="compare the specs with a git ref: what breaks for the model or for Python code"
    )
    breaking.add_argument(
        "--against",
        metavar="REF",
        help="the commit to compare with; REF... for its merge base with HEAD "
        "(default: the merge base of HEAD and the first of origin/HEAD, origin/main, main, master)",
    )
    breaking.add_argument("--format", choices=FORMATS, default="text", help="output format (default: text)")
    breaking.add_argument("--quiet", "-q", action="store_true", help="print nothing but the changes")
    add_config_option(breaking)
    breaking.set_defaults(run=_breaking)


def _add_stats(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    stats = commands.add_parser("stats", help="print each tool's parameters and the tokens its definition costs")
    stats.add_argument("paths", nargs="*", type=Path, help="spec files or directories (default: the configured specs)")
    stats.add_argument("--format", choices=STATS_FORMATS, default="text", help="output format (default: text)")
    add_config_option(stats)
    stats.set_defaults(run=_stats)


_NO_CACHE_HELP = "compile every toolset, not only those whose inputs or files differ from what the manifest records"


def _common_options(command: argparse.ArgumentParser, shown: str) -> None:
    command.add_argument("--quiet", "-q", action="store_true", help=f"print nothing but {shown}")
    command.add_argument(
        "--select", metavar="CODES", help="comma-separated rule codes or prefixes to run, in place of the configured"
    )
    command.add_argument(
        "--ignore",
        metavar="CODES",
        help="comma-separated rule codes or prefixes to leave out, in place of the configured",
    )
    add_config_option(command)


def _print_diagnostics(diagnostics: Sequence[Diagnostic], output_format: str = "text") -> None:
    report = render(diagnostics, output_format, colour=use_colour(sys.stdout))
    if report:
        print(report)


def _summary(built: Build) -> str:
    errors = sum(d.severity is Severity.ERROR for d in built.diagnostics)
    warnings = len(built.diagnostics) - errors
    files = counted(built.files, "spec file")
    if not built.diagnostics:
        return f"All checks passed ({files})."
    return f"Found {counted(errors, 'error')} and {counted(warnings, 'warning')} in {files}."


def _build(paths: Sequence[Path], config: Config, what: str, *, cached: bool = False) -> Build:
    """Build the specs below paths; none at all is a usage error, the same for every command
    (more likely a wrong `specs` setting than a project without tools). cached: a spec built
    before in the same build (generate's, check's or lint's: pipeline.spec_cache) is taken from
    the spec cache, its findings with it."""
    from toolspec.pipeline import build_in_workers, spec_cache

    built = build_in_workers(paths, config, cache=spec_cache(config) if cached else None)
    if not built.files:
        where = ", ".join(display_path(path) for path in paths)
        raise UsageError(f"no spec files (*.yaml, *.yml) in {where}: nothing to {what}")
    return built


def _lint(args: argparse.Namespace) -> int:
    config = project_config(args)
    built = _build(args.paths or configured_spec_files(config, "check"), config, "check", cached=not args.no_cache)
    _print_diagnostics(built.diagnostics, args.format)
    if args.format == "text" and not args.quiet:
        print(_summary(built), file=sys.stderr)
    return EXIT_FINDINGS if built.diagnostics else EXIT_OK


def _compile(
    args: argparse.Namespace,
    config: Config,
    files: Sequence[Path],
    *,
    show_progress: bool,
    verb: str,
    reuse: Reuse,
) -> Package:
    """The package the spec files compile to; lint errors stop the command, warnings are shown.
    reuse: what is trusted to take what was built before, where --no-cache does not forbid it."""
    from toolspec.pipeline import Refused, Reuse, compile_package

    progress = _Progress() if show_progress else None
    try:
        result = compile_package(
            config,
            files,
            templates=args.templates,
            reuse=Reuse.NOTHING if args.no_cache else reuse,
            progress=progress,
        )
    finally:
        if progress is not None:
            progress.end()
    if isinstance(result, Refused):
        if result.built is not None:
            _show_build(result.built, verb)
        raise _Failure(result.message, result.status)
    if result.built is not None:
        _show_build(result.built, verb)
    return result


def _build_clean(config: Config) -> Build:
    """The configured specs, built for scaffold; lint errors stop it, warnings are shown."""
    from toolspec.pipeline import build

    built = build(configured_spec_files(config, "scaffold"), config)
    _show_build(built, "scaffolded")
    return built


def _show_build(built: Build, verb: str) -> None:
    """Lint errors stop the command (nothing was verb); warnings are shown on stderr."""
    if built.has_errors:
        _print_diagnostics(built.diagnostics)
        raise _Failure(f"{_summary(built)} Fix them first: nothing was {verb}.", EXIT_FINDINGS)
    if built.diagnostics:
        print(render(built.diagnostics, "text", colour=use_colour(sys.stderr)), file=sys.stderr)


class _Progress:
    """Progress on stderr, once a run has taken more than PROGRESS_AFTER seconds."""

    def __init__(self) -> None:
        self.shown = False

    def __call__(self, done: int, total: int) -> None:
        if self.shown or time.monotonic() - _STARTED >= PROGRESS_AFTER:
            self.shown = True
            print(f"\rgenerating {done}/{total} toolsets", end="", file=sys.stderr, flush=True)

    def end(self) -> None:
        if self.shown:
            print(file=sys.stderr)


_STARTED = time.monotonic()
"""When the run began (the command line runs once per process; main resets it)."""


def _generate(args: argparse.Namespace) -> int:
    from toolspec.pipeline import Reuse, write

    config = project_config(args)
    files = configured_spec_files(config, "generate")
    show_progress = not args.quiet and sys.stderr.isatty()
    package = _compile(args, config, files, show_progress=show_progress, verb="generated", reuse=Reuse.FILE_STATUS)
    changes = write(package, config, prune_strays=args.prune)
    rendered = package.rendered
    output = display_path(config.output)
    if not args.quiet:
        for verb, paths in (
            ("added", changes.added),
            ("changed", changes.changed),
            ("removed", changes.removed),
            ("pruned", changes.pruned),
        ):
            for path in paths:
                print(f"{verb} {output}/{path}")
        if not (changes.added or changes.changed or changes.removed or changes.pruned):
            print(f"{output} is up to date ({counted(len(rendered.files), 'file')}).")
    for path in changes.stray:  # a problem, shown with --quiet too: check fails on it
        print(
            f"toolspec: warning: {output}/{path} was not written by toolspec generate, and toolspec check fails "
            "on it: remove it, move it out of the output directory, or run `toolspec generate --prune`",
            file=sys.stderr,
        )
    return EXIT_OK


def _check(args: argparse.Namespace) -> int:
    from toolspec.output import drift_report
    from toolspec.pipeline import Reuse, compare

    config = project_config(args)
    show_progress = not args.quiet and args.format == "text" and sys.stderr.isatty()
    files = configured_spec_files(config, "compare")
    package = _compile(args, config, files, show_progress=show_progress, verb="compared", reuse=Reuse.HASHES)
    comparison = compare(package, config, files)
    drift, output = comparison.drift, display_path(config.output)
    if drift.version_note is not None:
        print(f"toolspec: {drift.version_note}", file=sys.stderr, flush=True)
    if args.format != "text":
        report = drift_report.render(drift, output, args.format, comparison.uncovered)
        if report or args.format == "json":
            print(report)
    else:
        sys.stdout.write(drift_report.text(drift, output, comparison.uncovered))
    if not args.quiet and args.format == "text":
        print(drift_report.summary(drift, output, len(comparison.uncovered), len(config.handlers)), file=sys.stderr)
    return EXIT_OK if comparison.clean else EXIT_FINDINGS


def _breaking(args: argparse.Namespace) -> int:
    from toolspec.breaking import report as breaking_report
    from toolspec.breaking.run import breaking_changes
    from toolspec.breaking.sides import SpecErrors

    config = project_config(args)
    try:
        result = breaking_changes(config, args.against)
    except SpecErrors as errors:
        print(render(errors.diagnostics, "text", colour=use_colour(sys.stderr)), file=sys.stderr)
        raise _Failure("the specs have errors: fix them first (`toolspec lint`)", EXIT_FINDINGS) from None
    for note in result.notes:
        print(f"toolspec: note: {note}", file=sys.stderr)
    report = breaking_report.render(result.changes, args.format, against=result.ref, colour=use_colour(sys.stdout))
    if report or args.format == "json":
        print(report)
    if args.format == "text" and not args.quiet:
        print(breaking_report.summary(result.changes, result.ref), file=sys.stderr)
    elif args.format == "github" and not args.quiet:
        print(breaking_report.github_summary(result.changes, result.ref))
    return EXIT_FINDINGS if result.failing else EXIT_OK


def _init(args: argparse.Namespace) -> int:
    from toolspec.cli import starter

    root = Path.cwd()
    writes = starter.plan(root, args.toolset)
    starter.write(writes)
    for planned in writes:
        print(f"{'appended to' if planned.appended else 'wrote'} {display_path(planned.path)}", file=sys.stderr)
    print(
        f"Next: toolspec lint, toolspec generate, and toolspec scaffold {args.toolset} -o app/{args.toolset}.py",
        file=sys.stderr,
    )
    return EXIT_OK


def _scaffold(args: argparse.Namespace) -> int:
    from toolspec.output.render import render_scaffold, template_environment

    config = project_config(args)
    built = _build_clean(config)
    compiled = next((toolset for toolset in built.compiled if toolset.name == args.toolset), None)
    if compiled is None:
        known = ", ".join(sorted(toolset.name for toolset in built.compiled)) or "none"
        raise UsageError(f"there is no toolset {args.toolset!r} in {display_path(config.specs)}; the toolsets: {known}")
    source = render_scaffold(compiled, template_environment(config.templates))
    if args.output is None:
        sys.stdout.write(source)
        return EXIT_OK
    try:
        with args.output.open("x", encoding="utf-8") as stream:
            stream.write(source)
    except FileExistsError:
        raise UsageError(f"{display_path(args.output)} exists: toolspec scaffold never overwrites a file") from None
    print(f"wrote {display_path(args.output)}: implement each method of {compiled.handlers_class}", file=sys.stderr)
    return EXIT_OK


def _stats(args: argparse.Namespace) -> int:
    from toolspec.cli.stats import stats_json, stats_table

    config = project_config(args)
    built = _build(args.paths or configured_spec_files(config, "count"), config, "count")
    if built.has_errors:
        print(render(built.diagnostics, "text", colour=use_colour(sys.stderr)), file=sys.stderr)
        raise _Failure(f"{_summary(built)} Fix them first: nothing was counted.", EXIT_FINDINGS)
    print(stats_json(built.compiled) if args.format == "json" else stats_table(built.compiled))
    return EXIT_OK


def _schema(args: argparse.Namespace) -> int:
    from toolspec.spec.parse import language_schema

    print(json.dumps(language_schema(), indent=2, ensure_ascii=False))
    return EXIT_OK


def _rule(args: argparse.Namespace) -> int:
    from toolspec.cli.codes import CODES
    from toolspec.cli.rules_doc import rules_markdown

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
