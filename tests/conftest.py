"""Helpers shared by the tests: lint specs, generate a package into a temporary directory and
import it, run the command line."""

from __future__ import annotations

import contextlib
import importlib
import io
import itertools
import os
import re
import shutil
import subprocess
import sys
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import NoReturn

import pytest

import servers
from spec_factory import random_specs
from toolspec import cli, pipeline
from toolspec.cli.codes import CODES
from toolspec.compile.argument_models import load_model_generator
from toolspec.lint.rule import Rule
from toolspec.lint.rules import RULES
from toolspec.output.files import write_files
from toolspec.output.staged import Rendered, RenderedFiles
from toolspec.project.config import Config

REPO = Path(__file__).resolve().parent.parent
TEXT_FINDING = re.compile(
    r"^(?P<path>[^\n:]+):(?P<line>\d+):(?P<column>\d+): (?P<severity>error|warning): (?P<code>TS\d{3}) (?P<message>.*)$"
)
SOURCE_LINES = re.compile(r"^ +\|\n(?P<number>\d+) \| .*\n +\| +\^+$")
"""The source line under a finding, with the carets under its column, as ruff shows it."""


def parse_text_findings(stdout: str, *, source: bool = True) -> list[re.Match[str]]:
    """The findings of lint's text output, each `path:line:col: severity: CODE message` with the
    severity of its code, then (source) its source line with carets, a blank line between them;
    anything else in stdout fails the test."""
    found = []
    for block in stdout.rstrip("\n").split("\n\n") if stdout else []:
        header, _, shown = block.partition("\n")
        match = TEXT_FINDING.match(header)
        assert match, f"a finding of the text output is not `path:line:col: severity: CODE message`:\n{stdout}"
        assert match["severity"] == CODES[match["code"]].severity.value, header
        lines = SOURCE_LINES.match(shown)
        if source or shown:
            assert lines and lines["number"] == match["line"], f"no source line under the finding:\n{block}"
        found.append(match)
    return found


_package_numbers = itertools.count()


def write_specs(root: Path, specs: Mapping[str, str | bytes]) -> Path:
    """Write spec files (name -> text) under root/specs."""
    directory = root / "specs"
    directory.mkdir(parents=True, exist_ok=True)
    for name, text in specs.items():
        path = directory / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return directory


def project_config(root: Path, *, rules: Sequence[Rule] = RULES, package: str = "generated") -> Config:
    """The configuration of a project in root, with only rules enabled."""
    enabled = {rule.code for rule in rules}
    ignored = tuple(rule.code for rule in RULES if rule.code not in enabled)
    return Config(
        root=root, specs=root / "specs", output=root / "generated", package=package, ignore=ignored, always_on=()
    )


def load(root: Path, specs: Mapping[str, str | bytes], *, rules: Sequence[Rule] = RULES) -> pipeline.Build:
    """Write specs under root and read, compile and lint them with rules."""
    write_specs(root, specs)
    return pipeline.build([root / "specs"], project_config(root, rules=rules))


def render(root: Path, specs: Mapping[str, str], *, package: str) -> RenderedFiles:
    write_specs(root, specs)
    config = project_config(root, package=package)
    built = pipeline.build([config.specs], config)
    errors = [d for d in built.diagnostics if d.severity.value == "error"]
    assert not errors, "\n".join(
        f"{d.path}:{d.position.line}:{d.position.column}: {d.code} {d.message}" for d in errors
    )
    rendered = pipeline.render(built, config)
    assert isinstance(rendered, Rendered), rendered
    return rendered.files


def build_package(root: Path, specs: Mapping[str, str]) -> ModuleType:
    """Generate specs into a fresh, uniquely named package under root and import it."""
    return _built_package(root, specs)[0]


def _built_package(root: Path, specs: Mapping[str, str]) -> tuple[ModuleType, RenderedFiles]:
    """build_package's package, and the files generated for it."""
    package = f"toolspec_test_pkg_{next(_package_numbers)}"
    files = render(root, specs, package=package)
    write_files(files, root / package)
    sys.path.insert(0, str(root))
    try:
        return importlib.import_module(package), files
    finally:
        sys.path.remove(str(root))


RANDOM_CORPUS = 200
"""How many seeded random specs (spec_factory.random_specs) the property tests generate."""
RANDOM_CORPUS_CHUNKS = 4
"""The random corpus is generated as this many packages, each once a test process, by the first
test of its xdist group (random_corpus_group, `--dist loadgroup`); the tests of a chunk's toolsets
share it: one generate of 50 toolsets costs a fifth of 50 generates of one."""


@dataclass(frozen=True)
class RandomCorpusChunk:
    package: ModuleType
    files: RenderedFiles
    """What generate wrote into package."""


_random_corpus: dict[int, RandomCorpusChunk] = {}


def random_corpus_chunk(spec_name: str) -> int:
    """The chunk of the random corpus that holds the spec spec_name (`random_7.yaml`)."""
    return sorted(random_specs(RANDOM_CORPUS)).index(spec_name) % RANDOM_CORPUS_CHUNKS


def random_corpus_group(chunk: int) -> pytest.MarkDecorator:
    """The xdist group of the tests that use chunk of the random corpus."""
    return pytest.mark.xdist_group(f"random-corpus-{chunk}")


def random_corpus(chunk: int, tmp_path_factory: pytest.TempPathFactory) -> RandomCorpusChunk:
    """A chunk of the random corpus generated into a package and imported, once a test process;
    read it, never change it."""
    if chunk not in _random_corpus:
        corpus = random_specs(RANDOM_CORPUS)
        specs = {name: corpus[name] for name in sorted(corpus) if random_corpus_chunk(name) == chunk}
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # importing the models warns about no name (`python -W error`)
            package, files = _built_package(tmp_path_factory.mktemp(f"random-corpus-{chunk}"), specs)
        _random_corpus[chunk] = RandomCorpusChunk(package, files)
    return _random_corpus[chunk]


def run_toolspec(*args: str, cwd: Path, input_text: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run the command line in a subprocess, as a user would."""
    return subprocess.run(
        [sys.executable, "-m", "toolspec", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        input=input_text,
        timeout=300,
    )


def run_toolspec_here(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """run_toolspec's result, from cli.main in this process: the same exit status, stdout and
    stderr (argparse's usage errors included), without starting an interpreter (~0.5 s CPU a
    run). For tests of what a command says; run_toolspec for those of the process itself (the
    entry point, its imports, its streams). An exception a run would print as a traceback
    fails the test here."""
    out, err = io.StringIO(), io.StringIO()
    with pytest.MonkeyPatch.context() as patch, contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        patch.chdir(cwd)
        try:
            status = cli.main(list(args))
        except SystemExit as stop:  # argparse's usage error or --version
            status = stop.code if isinstance(stop.code, int) else int(stop.code is not None)
    return subprocess.CompletedProcess(["toolspec", *args], status, out.getvalue(), err.getvalue())


@pytest.fixture(scope="session", autouse=True)
def _model_generator_imported() -> None:
    """datamodel-code-generator imported once a test process: the model pool's workers, forked
    by each generate in this process, inherit it instead of each importing it (~0.2 s CPU a
    generate). The lazy imports of a real run are tested in subprocesses (test_lazy_imports)."""
    load_model_generator()


@pytest.fixture(scope="session")
def generated_example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's specs, generated once a session (in each xdist worker) with a cache of
    their own: generated_copy copies it rather than generating again."""
    root = tmp_path_factory.mktemp("generated-example")
    shutil.copytree(REPO / "specs", root / "specs")
    (root / "pyproject.toml").write_text(
        '[tool.toolspec]\nspecs = "specs"\noutput = "generated"\npackage = "generated"\n', "utf-8"
    )
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(root)
        patch.setenv("TOOLSPEC_CACHE_DIR", str(root / "cache"))
        assert cli.main(["generate", "--quiet"]) == 0
    return root


@pytest.fixture
def generated_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, generated_example: Path) -> Path:
    """A copy of the repository's specs in tmp_path, generated there, as the working directory
    (with a cache of its own): generate's output is the same bytes wherever it runs, so the
    session's generated_example is copied."""
    shutil.copytree(generated_example, tmp_path, dirs_exist_ok=True)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TOOLSPEC_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path


def _server(start: Callable[[], contextlib.AbstractContextManager[servers.Server]]) -> Iterator[servers.Server]:
    """A server of this session (each pytest-xdist worker starts its own). Where its binaries are
    missing the test is skipped, naming the package; under CI=true it fails instead."""
    with contextlib.ExitStack() as stack:
        try:
            server = stack.enter_context(start())
        except servers.Missing as error:
            missing = str(error)
        else:
            yield server
            return
    unavailable(missing)


def unavailable(reason: str) -> NoReturn:
    """Skip a test whose real component (a server, a tool, a registry) cannot be had, saying
    why; under CI=true, where .ci/run installs them, fail instead."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI=true, and {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[servers.Server]:
    """A PostgreSQL server (tests/servers.py), started once per session and stopped after it."""
    yield from _server(servers.postgres)


@pytest.fixture(scope="session")
def redis_server() -> Iterator[servers.Server]:
    """A Redis server (tests/servers.py), started once per session and stopped after it."""
    yield from _server(servers.redis)
