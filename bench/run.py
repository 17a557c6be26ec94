"""`make bench`: every figure of issue 9 in one run, written to docs/performance.md with a plot.

For each corpus size (bench/corpus.py writes the project in a temporary directory) it times,
as whole `toolspec` processes:

- cold: `generate` with no output directory and an empty cache directory;
- no-op: `generate` again, nothing changed;
- one change: `change_one_spec`, then `generate`;
- check (clean clone): the project copied with fresh timestamps (as a clone has), then `check`;
- check --no-cache: the same clone, every toolset compiled.

Each figure is the median and the minimum wall time of several runs, with the CPU time (user +
system, of the process and the children it waited for) and the peak memory (largest resident
set of those processes), from `os.wait4`. Then, once: the script a team would otherwise write
(one `datamodel-codegen` process per tool plus `black`, timed on a sample of tools and
extrapolated), the import time of the generated package, the cost of validating a call that
sends nulls against a plain pydantic model, `check`'s exactness, a cProfile of the largest
profiled `generate`, bench/dispatch.py, and bench/mcp_serving.py (tools/call round trips per
second over MCP's streamable HTTP, toolspec's server against FastMCP's). The whole run keeps
within --budget seconds: the number of runs of a large size is cut, or the size skipped, when
the previous size says it would not fit, and the document says so.

    python bench/run.py [--sizes 10,100,1000,3000] [--runs N] [--quick] [--output docs/performance.md]

The notes under "What bounds it" in the document are kept when the script rewrites it.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime
import functools
import hashlib
import itertools
import json
import os
import platform
import pstats
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
import timeit
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))

from corpus import change_one_spec, write_project  # noqa: E402 - bench/ is on the path from here on
from floors import FLOOR_HEADER, Floors, ProbeError, floor_rows, measure_floors  # noqa: E402

BIN = Path(sys.executable).parent
"""The virtual environment's scripts: toolspec, datamodel-codegen and black are run from there."""
PYTHON = sys.executable

STEPS = ("cold", "no-op", "one change", "check (clean clone)", "check --no-cache", "lint (after generate)")
PLOTTED = STEPS[:4]
PLOT_TARGETS = {"cold": [(1000, 10.0), (3000, 30.0)], "no-op": [(1000, 0.5)], "one change": [(1000, 1.0)]}
PLOT_TARGETS["check (clean clone)"] = [(1000, 5.0)]
PROFILE_SIZE = 1000
"""The size whose generate is profiled and whose package import is timed (or the nearest below)."""
SAMPLE_SIZE = 100
"""The size whose generated schemas feed the baseline and whose models the null validation uses."""
SECOND_CORPUS = {"tools_per_toolset": 4, "deep": True}
"""The second corpus, beside the first at PROFILE_SIZE: more, smaller toolsets, and a parameter
nested five objects down in every tool (bench/corpus.py's DEEP_YAML)."""
SECOND_STEPS = STEPS[:3]
"""What the second corpus is timed at: the steps a developer waits for."""
BASELINE_TOOLS = 5
FIXED_RESERVE = 160.0
"""Seconds kept for the steps after the corpus sizes (baseline, imports, nulls, dispatcher, MCP)."""
NOTES = re.compile(r"<!-- owner-notes:(?P<key>[\w.-]+) -->\n(?P<body>.*?)\n<!-- /owner-notes -->", re.DOTALL)
STARTED = time.monotonic()
PLACEHOLDER = "_To be filled in by the owner: what bounds this figure, and what would move it._"


class BenchError(RuntimeError):
    """A step of the benchmark failed: the message says which command, where, and its output."""


# --- Running and timing commands ----------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    """One finished process: wall seconds, CPU seconds (user + system), peak RSS in KiB, exit status."""

    wall: float
    cpu: float
    peak_kib: int
    status: int


@dataclass(frozen=True)
class Sample:
    """Several runs of one step."""

    runs: list[Run]

    @property
    def wall_median(self) -> float:
        return statistics.median(run.wall for run in self.runs)

    @property
    def wall_min(self) -> float:
        return min(run.wall for run in self.runs)

    @property
    def cpu_median(self) -> float:
        return statistics.median(run.cpu for run in self.runs)

    @property
    def peak_mib(self) -> float:
        return max(run.peak_kib for run in self.runs) / 1024


def timed(command: Sequence[str], cwd: Path, env: Mapping[str, str], allowed: Iterable[int] = (0,)) -> Run:
    """Run a command to its end and measure it; BenchError if its exit status is not allowed."""
    with tempfile.TemporaryFile() as log:
        started = time.perf_counter()
        try:
            process = subprocess.Popen(command, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=log)
        except OSError as error:
            raise BenchError(f"cannot start {shlex.join(command)}: {error}") from error
        _, wait_status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        process.returncode = status = os.waitstatus_to_exitcode(wait_status)
        if status not in tuple(allowed):
            log.seek(0)
            output = log.read()[-4000:].decode("utf-8", "replace")
            raise BenchError(f"{shlex.join(command)} (in {cwd}) exited {status}; its output ends:\n{output}")
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, status)


def output_of(command: Sequence[str], cwd: Path, env: Mapping[str, str] | None = None) -> str:
    """A command's standard output; BenchError if it fails."""
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BenchError(f"{shlex.join(command)} (in {cwd}) exited {done.returncode}:\n{done.stderr[-4000:]}")
    return done.stdout


class Workspace:
    """The temporary directory of the run, and fresh environments whose caches are empty."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._count = 0

    def fresh(self, name: str) -> Path:
        self._count += 1
        path = self.root / f"{name}-{self._count}"
        path.mkdir(parents=True)
        return path

    def env(self) -> dict[str, str]:
        """os.environ with every cache toolspec or black might keep pointed at an empty directory."""
        cache = self.fresh("cache")
        return {**os.environ, "NO_COLOR": "1", "TOOLSPEC_CACHE_DIR": str(cache), "BLACK_CACHE_DIR": str(cache)}


def toolspec(*args: str) -> list[str]:
    return [str(BIN / "toolspec"), *args, "--quiet"]


def clone(project: Path, destination: Path) -> Path:
    """A copy as a fresh clone has it: every file new, with new timestamps, no bytecode."""
    ignore = shutil.ignore_patterns("__pycache__")
    shutil.copytree(project, destination, copy_function=shutil.copy, ignore=ignore)
    return destination


# --- Generate and check at one corpus size ------------------------------------------------------


def cold_run(project: Path, env: Mapping[str, str]) -> Run:
    shutil.rmtree(project / "generated", ignore_errors=True)
    return timed(toolspec("generate"), project, env)


def changed_run(project: Path, env: Mapping[str, str]) -> Run:
    change_one_spec(project)
    return timed(toolspec("generate"), project, env)


def clone_check_run(project: Path, work: Workspace) -> Run:
    copy = clone(project, work.fresh("clone") / "project")
    try:
        return timed(toolspec("check"), copy, work.env())
    finally:
        shutil.rmtree(copy.parent)


def full_check_runs(project: Path, work: Workspace, runs: int) -> list[Run]:
    copy = clone(project, work.fresh("clone") / "project")
    try:
        return [timed(toolspec("check", "--no-cache"), copy, work.env()) for _ in range(runs)]
    finally:
        shutil.rmtree(copy.parent)


def measure_size(project: Path, work: Workspace, runs: int) -> tuple[dict[str, Sample], dict[str, str]]:
    """Every step at one size, and the environment whose cache the generates filled. Each cold
    run starts with an empty cache; the no-op and one-change runs keep the last one's, as a
    developer's would; each check runs in a new clone with an empty cache, as CI's would; lint
    runs where generate ran, as pre-commit's would."""
    envs = [work.env() for _ in range(runs)]
    cold = [cold_run(project, env) for env in envs]
    noop = [timed(toolspec("generate"), project, envs[-1]) for _ in range(runs)]
    changed = [changed_run(project, envs[-1]) for _ in range(runs)]
    checked = [clone_check_run(project, work) for _ in range(runs)]
    full = full_check_runs(project, work, runs)
    linted = [timed(toolspec("lint"), project, envs[-1]) for _ in range(runs)]  # the specs generate checked
    steps = (cold, noop, changed, checked, full, linted)
    samples = {name: Sample(found) for name, found in zip(STEPS, steps, strict=True)}
    return samples, envs[-1]


EDITS: dict[str, Callable[[Path], object]] = {
    "a generated file edited by hand": lambda copy: _append(next((copy / "generated").glob("*/models.py"))),
    "a spec changed, not regenerated": change_one_spec,
    "nothing changed, new timestamps": lambda copy: None,
}
"""What check must answer after each edit of a clean clone: drift (1) for the first two, none (0) after."""


def exactness(project: Path, work: Workspace, warm: Mapping[str, str]) -> dict[str, bool]:
    """Whether check, which may skip work by the manifest's record and the cache, still sees
    what changed: in a clone, with an empty cache and with the one the project's generates filled."""
    found: dict[str, bool] = {}
    for (what, edit), (cache, env) in itertools.product(EDITS.items(), (("empty", None), ("warm", warm))):
        copy = clone(project, work.fresh("exact") / "project")
        try:
            edit(copy)
            status = timed(toolspec("check"), copy, env or work.env(), allowed=(0, 1)).status
        finally:
            shutil.rmtree(copy.parent)
        found[f"{what}, {cache} cache"] = status == (0 if what.startswith("nothing") else 1)
    return found


def _append(path: Path) -> None:
    path.write_text(path.read_text(encoding="utf-8") + "# edited by hand\n", encoding="utf-8")


# --- The plan: sizes within the budget ----------------------------------------------------------


@dataclass
class Corpora:
    """What the sizes gave: samples, skipped sizes, and the projects kept for the later steps."""

    samples: dict[int, dict[str, Sample]] = field(default_factory=dict)
    runs: dict[int, int] = field(default_factory=dict)
    skipped: dict[int, str] = field(default_factory=dict)
    projects: dict[int, Path] = field(default_factory=dict)
    exact: dict[str, bool] = field(default_factory=dict)
    history: list[tuple[int, float]] = field(default_factory=list)
    """(size, seconds one run of every step took), to estimate the next size by."""
    second: dict[str, Sample] = field(default_factory=dict)
    """The second corpus's steps (SECOND_CORPUS), at second_size tools."""
    second_size: int | None = None
    second_skipped: str = "no size up to the profiled one was measured"


def estimate(size: int, history: Sequence[tuple[int, float]]) -> float:
    """Seconds of one run of every step at a size, from (size, seconds a run) of the sizes before:
    a line through the last two (a constant and a cost per tool), or in proportion to the only one."""
    if not history:
        return 0.0
    (small, small_seconds), (large, large_seconds) = history[-2:] if len(history) > 1 else ((0, 0.0), history[-1])
    per_tool = max(0.0, (large_seconds - small_seconds) / (large - small))
    return max(large_seconds, large_seconds + per_tool * (size - large))


def planned_runs(size: int, wanted: int, history: Sequence[tuple[int, float]], seconds_left: float) -> int:
    """How many runs of a size fit in the seconds left (the first size always gets its runs)."""
    if not history:
        return wanted
    return min(wanted, int(seconds_left // estimate(size, history)))


def run_sizes(options: argparse.Namespace, work: Workspace, deadline: float, corpora: Corpora, profiled: bool) -> None:
    """Measure each size of options.sizes not yet measured or skipped, up to PROFILE_SIZE unless
    profiled (the sizes above it come after the profiles), keeping time for what follows."""
    history = corpora.history
    for size in [size for size in options.sizes if profiled or size <= PROFILE_SIZE]:
        if size in corpora.samples or size in corpora.skipped:
            continue
        wanted = options.runs or (5 if size < 1000 else 3)
        reserve = FIXED_RESERVE + (0.0 if profiled else profile_reserve(corpora))
        seconds_left = deadline - time.monotonic() - reserve
        runs = planned_runs(size, wanted, history, seconds_left)
        if runs < 1:
            corpora.skipped[size] = f"one run of every step would take about {estimate(size, history):.0f} s, "
            corpora.skipped[size] += f"and the budget had {max(0.0, seconds_left):.0f} s left"
            progress(f"{size} tools skipped: {corpora.skipped[size]}")
            continue
        started = time.monotonic()
        project = work.fresh(f"tools-{size}") / "project"
        write_project(project, size, seed=options.seed)
        corpora.samples[size], warm = measure_size(project, work, runs)
        corpora.runs[size], corpora.projects[size] = runs, project
        history.append((size, (time.monotonic() - started) / runs))
        cold = corpora.samples[size]["cold"]
        progress(f"{size} tools, {runs} runs: cold {cold.wall_median:.2f} s, {history[-1][1]:.0f} s a run of all steps")
        if size == pick_size(options.sizes, SAMPLE_SIZE) and not corpora.exact:
            corpora.exact = exactness(project, work, warm)


def run_second_corpus(options: argparse.Namespace, work: Workspace, corpora: Corpora, seconds_left: float) -> None:
    """The generate steps on the second corpus, at the largest measured size up to PROFILE_SIZE and
    with as many runs, when they fit in the seconds left (the first corpus's steps are the measure)."""
    size = pick_size(corpora.samples, PROFILE_SIZE)
    if size is None:
        return
    runs = corpora.runs[size]
    cost = sum(sum(run.wall for run in corpora.samples[size][step].runs) for step in SECOND_STEPS)
    if cost * 1.5 > seconds_left:  # more toolsets and deeper models: about half as dear again
        corpora.second_skipped = f"it would take about {cost * 1.5:.0f} s, and {seconds_left:.0f} s were left"
        return
    project = work.fresh(f"second-{size}") / "project"
    write_project(project, size, seed=options.seed, **SECOND_CORPUS)
    env = work.env()
    cold = [cold_run(project, work.env()) for _ in range(runs - 1)] + [cold_run(project, env)]
    noop = [timed(toolspec("generate"), project, env) for _ in range(runs)]
    changed = [changed_run(project, env) for _ in range(runs)]
    corpora.second = {step: Sample(found) for step, found in zip(SECOND_STEPS, (cold, noop, changed), strict=True)}
    corpora.second_size = size
    progress(f"second corpus, {size} tools: cold {corpora.second['cold'].wall_median:.2f} s")


def profile_reserve(corpora: Corpora, size: int | None = None) -> float:
    """The time the two profiled generates of a size (by default the one profiled first) will
    take: profiling slows them about 2.5 times."""
    size = size or pick_size(list(corpora.samples), PROFILE_SIZE)
    if size is None:
        return 0.0
    steps = corpora.samples[size]
    return 2.5 * (steps["cold"].wall_median + steps["no-op"].wall_median)


def profile_size(corpora: Corpora, seconds_left: float) -> int | None:
    """The largest measured size up to PROFILE_SIZE whose profiles fit in the seconds left."""
    fitting = [
        size for size in corpora.samples if size <= PROFILE_SIZE and profile_reserve(corpora, size) < seconds_left
    ]
    return max(fitting, default=None)


def pick_size(sizes: Iterable[int], preferred: int) -> int | None:
    """preferred if present, else the largest size below it, else the smallest."""
    sizes = sorted(sizes)
    if not sizes:
        return None
    below = [size for size in sizes if size <= preferred]
    return below[-1] if below else sizes[0]


# --- The script a team would otherwise write ----------------------------------------------------


@dataclass(frozen=True)
class Baseline:
    """datamodel-codegen and black, per sampled tool: (name, codegen run, black run)."""

    tools: list[tuple[str, Run, Run]]
    corpus_size: int

    @property
    def per_tool_wall(self) -> float:
        return statistics.mean(codegen.wall + black.wall for _, codegen, black in self.tools)

    @property
    def per_tool_cpu(self) -> float:
        return statistics.mean(codegen.cpu + black.cpu for _, codegen, black in self.tools)


def sampled_schemas(project: Path, count: int) -> list[tuple[str, dict[str, Any]]]:
    """Every n-th tool's parameters schema, from the generated Responses API definitions."""
    tools: list[tuple[str, dict[str, Any]]] = []
    for path in sorted((project / "generated").glob("*/*.responses.json")):
        tools += [(tool["name"], tool["parameters"]) for tool in json.loads(path.read_text(encoding="utf-8"))]
    if not tools:
        raise BenchError(f"no tool definitions under {project / 'generated'}")
    step = max(1, len(tools) // count)
    return tools[::step][:count]


def run_baseline(project: Path, work: Workspace, size: int) -> Baseline:
    directory = work.fresh("baseline")
    env = work.env()
    found: list[tuple[str, Run, Run]] = []
    for name, schema in sampled_schemas(project, BASELINE_TOOLS):
        source, model = directory / f"{name}.json", directory / f"{name}.py"
        source.write_text(json.dumps(schema, indent=2), encoding="utf-8")
        codegen = [str(BIN / "datamodel-codegen"), "--input", str(source), "--input-file-type", "jsonschema"]
        codegen += ["--output-model-type", "pydantic_v2.BaseModel", "--output", str(model)]
        found.append(
            (name, timed(codegen, directory, env), timed([str(BIN / "black"), "-q", str(model)], directory, env))
        )
    return Baseline(found, size)


# --- The generated code at run time -------------------------------------------------------------


@dataclass(frozen=True)
class Imports:
    """Whole interpreters (medians and minimums, in seconds), and the import timed inside one."""

    size: int
    toolsets: int
    bare: Sample
    pydantic: Sample
    package: Sample
    no_bytecode: Sample
    inside: tuple[float, ...]
    """Seconds from the first import statement to the end of the last, timed by the interpreter
    itself, bytecode cached: the import, without the interpreter's start and exit."""
    one_toolset: tuple[float, ...] = ()
    """As inside, for `import generated` and its first toolset alone."""

    @property
    def cost(self) -> float:
        """The import: the median of inside."""
        return statistics.median(self.inside)

    @property
    def process_cost(self) -> float:
        """A process that imports the package and exits, less a bare interpreter: the import and
        the exit that frees what it made."""
        return self.package.wall_median - self.bare.wall_median


def run_imports(project: Path, work: Workspace, size: int, runs: int) -> Imports:
    """`import generated` and every toolset of it, beside a bare interpreter, in the project."""
    names = sorted(path.parent.name for path in (project / "generated").glob("*/__init__.py"))
    statement = "import generated\n" + "".join(f"import generated.{name}\n" for name in names)
    # Bytecode written and read, whatever the environment says (a shell or CI may turn it off).
    env = {key: value for key, value in work.env().items() if key != "PYTHONDONTWRITEBYTECODE"}
    no_bytecode = {**env, "PYTHONDONTWRITEBYTECODE": "1"}
    commands = {"bare": ["-c", "pass"], "pydantic": ["-c", "import pydantic"], "package": ["-c", statement]}
    for arguments in commands.values():  # the warm-up writes the bytecode, as a first import would
        timed([PYTHON, *arguments], project, env)
    clean = clone(project, work.fresh("imports") / "project")
    samples = {
        name: Sample([timed([PYTHON, *args], project, env) for _ in range(runs)]) for name, args in commands.items()
    }
    cold = Sample([timed([PYTHON, "-c", statement], clean, no_bytecode) for _ in range(runs)])
    timing = f"import time\nstarted = time.perf_counter()\n{statement}print(time.perf_counter() - started)\n"
    inside = tuple(float(output_of([PYTHON, "-c", timing], project, env).split()[-1]) for _ in range(runs))
    one = f"import time\nstarted = time.perf_counter()\nimport generated\nimport generated.{names[0]}\n"
    one += "print(time.perf_counter() - started)\n"
    alone = tuple(float(output_of([PYTHON, "-c", one], project, env).split()[-1]) for _ in range(runs))
    imports = (samples["bare"], samples["pydantic"], samples["package"], cold, inside, alone)
    return Imports(size, len(names), *imports)


def run_version(work: Workspace, runs: int) -> Sample:
    """`toolspec --version`: a command that needs none of toolspec's stages."""
    command = [str(BIN / "toolspec"), "--version"]
    timed(command, ROOT, work.env())  # the warm-up writes the bytecode
    return Sample([timed(command, ROOT, work.env()) for _ in range(runs)])


def run_nulls(project: Path, repeats: int) -> dict[str, Any]:
    """The null-validation probes, each in a process whose `generated` is the one it reads: the
    project's (the tool with the most nulls), and this repository's (get_weather: 2 fields)."""
    command = [PYTHON, str(Path(__file__).resolve()), "--probe-nulls", str(project), "--repeats", str(repeats)]
    found: dict[str, Any] = json.loads(output_of(command, project).strip().splitlines()[-1])
    command = [PYTHON, str(Path(__file__).resolve()), "--probe-two-fields", "--repeats", str(repeats * 3)]
    found["two_fields"] = json.loads(output_of(command, ROOT).strip().splitlines()[-1])
    return found


TWO_FIELDS_CALL = '{"location": "Bogotá, Colombia", "units": null}'
"""get_weather's call with its optional parameter (default celsius) sent as null."""


def probe_two_fields(repeats: int) -> None:
    """Print, as JSON, the µs per call of validating TWO_FIELDS_CALL: this repository's generated
    get_weather model, and a hand-written one whose optional field takes its default from an
    AfterValidator."""
    sys.path.insert(0, str(ROOT))
    from generated.weather.models import GetWeatherArguments

    twin = after_validator_twin(GetWeatherArguments)
    for model in (GetWeatherArguments, twin):
        if model.model_validate_json(TWO_FIELDS_CALL).units != "celsius":  # type: ignore[attr-defined]
            raise BenchError(f"{model.__name__} does not take null for the default")
    functions = [GetWeatherArguments.model_validate_json, twin.model_validate_json]
    (generated_median, generated_min), (twin_median, twin_min) = per_call_us(functions, TWO_FIELDS_CALL, repeats)
    print(json.dumps({"generated_us": [generated_median, generated_min], "after_us": [twin_median, twin_min]}))


def after_validator_twin(model: Any) -> Any:
    """The model as one would write it by hand where null stands for the default: each optional
    field `Annotated[T | None, AfterValidator(None -> default)] = default`."""
    from typing import Annotated, Optional

    from pydantic import AfterValidator, ConfigDict, Field, create_model

    def or_default(default: Any) -> Any:
        return AfterValidator(lambda value: default if value is None else value)

    fields: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        kept = tuple(item for item in info.metadata if type(item).__name__ != "NullMeansDefault")
        annotation: Any = Annotated[(info.annotation, *kept)] if kept else info.annotation
        if info.is_required():
            fields[name] = (annotation, Field(..., alias=info.alias))
        else:
            fields[name] = (Annotated[Optional[annotation], or_default(info.default)], Field(info.default))  # noqa: UP045
    config = ConfigDict(strict=True, extra="forbid", protected_namespaces=())
    return create_model(f"After{model.__name__}", __config__=config, **fields)


def probe_nulls(project: Path, repeats: int) -> None:
    """Print, as JSON, the µs per call of validating a call with nulls: generated and plain model."""
    sys.path.insert(0, str(project))
    toolset, tool, payload = call_with_nulls(project)
    module = __import__(f"generated.{toolset}.models", fromlist=["models"])
    name = "".join(part.capitalize() for part in tool.split("_")) + "Arguments"
    model = getattr(module, name, None)
    if model is None:
        raise BenchError(f"no class {name} in generated/{toolset}/models.py")
    plain = plain_twin(model)
    for candidate in (model, plain):
        candidate.model_validate_json(payload)  # both must accept the call
    figures = per_call_us([model.model_validate_json, plain.model_validate_json], payload, repeats)
    (generated_median, generated_min), (plain_median, plain_min) = figures
    nulls = sum(value is None for value in json.loads(payload).values())
    print(
        json.dumps(
            {"toolset": toolset, "tool": tool, "model": name, "fields": len(model.model_fields), "nulls": nulls}
            | {"generated_us": [generated_median, generated_min], "plain_us": [plain_median, plain_min]}
            | {"null_defaults": len(getattr(model, "null_defaults", {}))}
        )
    )


def call_with_nulls(project: Path) -> tuple[str, str, str]:
    """The strict tool with the most optional parameters with defaults (then the most optional ones)
    among those with an example; its example as JSON, every optional parameter sent as null."""
    import yaml  # a toolspec dependency; only the probe needs it

    best: tuple[tuple[int, int], str, str, dict[str, Any]] | None = None
    for path in sorted((project / "specs").glob("*.yaml")):
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        for tool in spec["tools"]:
            if not tool.get("examples") or tool.get("strict", True) is False:
                continue
            optional = [name for name, schema in tool["parameters"].items() if schema.get("optional")]
            score = (sum("default" in tool["parameters"][name] for name in optional), len(optional))
            if best is None or score > best[0]:
                best = (score, spec["toolset"], tool["name"], {**tool["examples"][0], **dict.fromkeys(optional)})
    if best is None:
        raise BenchError(f"no strict tool with an example in {project / 'specs'}")
    return best[1], best[2], json.dumps(best[3])


def plain_twin(model: Any) -> Any:
    """The model as one would write it by hand: the same field types and constraints, every
    optional field `T | None = default`, with none of toolspec's null handling."""
    from typing import Annotated, Optional

    from pydantic import ConfigDict, Field, create_model

    fields: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        kept = tuple(item for item in info.metadata if type(item).__name__ != "NullMeansDefault")
        annotation: Any = Annotated[(info.annotation, *kept)] if kept else info.annotation
        if info.is_required():
            fields[name] = (annotation, Field(..., alias=info.alias))
        else:
            fields[name] = (Optional[annotation], Field(info.default, alias=info.alias))  # noqa: UP045
    config = ConfigDict(strict=True, extra="forbid", protected_namespaces=())
    return create_model(f"Plain{model.__name__}", __config__=config, **fields)


def per_call_us(functions: Sequence[Callable[[str], object]], payload: str, repeats: int) -> list[tuple[float, float]]:
    """Median and min µs per call of each function, their repeats taken in turn."""
    timers = [timeit.Timer(functools.partial(function, payload)) for function in functions]
    numbers = [timer.autorange()[0] for timer in timers]
    samples: list[list[float]] = [[] for _ in timers]
    for _ in range(repeats):
        for timer, number, kept in zip(timers, numbers, samples, strict=True):
            kept.append(timer.timeit(number) / number * 1e6)
    return [(statistics.median(kept), min(kept)) for kept in samples]


# --- Profiles -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Profile:
    """A profiled generate: its wall time, self seconds per group, and the top functions."""

    label: str
    wall: float
    total: float
    groups: list[tuple[str, float]]
    functions: list[tuple[str, float]]


def run_profiles(project: Path, work: Workspace, size: int) -> list[Profile]:
    """cProfile of a cold generate (empty output and cache), then of a no-op one, of the project."""
    shutil.rmtree(project / "generated", ignore_errors=True)
    env = work.env()
    found = []
    for label in (f"cold generate, {size} tools", f"no-op generate, {size} tools"):
        out = work.fresh("profile") / "generate.prof"
        command = [PYTHON, str(Path(__file__).resolve()), "--probe-profile", str(project), str(out)]
        run = timed(command, project, env)
        found.append(summarise(label, run.wall, pstats.Stats(str(out))))
    return found


def probe_profile(project: Path, out: Path) -> int:
    """`toolspec generate` in this process under cProfile (its imports included); the stats to out.
    os.cpu_count() answers 1 here, so that work toolspec would hand to worker processes is done
    in this one, where the profiler sees it."""
    os.chdir(project)
    os.cpu_count = lambda: 1
    profiler = cProfile.Profile()
    profiler.enable()
    from toolspec.cli import main as toolspec_main

    status = int(toolspec_main(["generate", "--quiet"]))
    profiler.disable()
    profiler.dump_stats(out)
    return status


STDLIB = Path(sysconfig.get_paths()["stdlib"]).as_posix() + "/"


def group_of(filename: str) -> str | None:
    """What a function belongs to: a toolspec module group, a distribution, a stdlib module, or
    None for a built-in function (its time goes to its caller's group)."""
    path = filename.replace("\\", "/")
    if path == "~":
        return None
    if path.startswith("<frozen importlib") or "/importlib/" in path:
        return "(import machinery)"
    if "site-packages/" in path:
        top = path.split("site-packages/", 1)[1].split("/")[0].removesuffix(".py")
        return {"_yaml": "yaml", "_pytest": "pytest"}.get(top, top)
    if "/toolspec/" in path:
        parts = path.split("/toolspec/", 1)[1].removesuffix(".py").split("/")
        return "toolspec." + ".".join(parts[:2] if parts[0] == "output" else parts[:1])
    if path.startswith(STDLIB):
        return "stdlib " + path.removeprefix(STDLIB).split("/")[0].removesuffix(".py")
    if path.startswith("<frozen "):
        return "stdlib " + path.removeprefix("<frozen ").split(".")[0].rstrip(">")
    if path.endswith(".jinja") or path.startswith("<template>"):
        return "jinja2 (templates)"
    return "(code made at run time)" if path.startswith("<") else "(other)"


def summarise(label: str, wall: float, stats: pstats.Stats) -> Profile:
    """Self seconds per group, a built-in function's counted with the group of each caller (the
    groups add up to the whole), and the top functions by cumulative time."""
    table: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
    groups: dict[str, float] = {}
    functions: list[tuple[str, float]] = []
    for function, (_, _, own, cumulative, callers) in table.items():
        group = group_of(function[0])
        if group is not None:
            groups[group] = groups.get(group, 0.0) + own
            if not group.startswith(("stdlib", "(")):
                functions.append((f"{group}: {function[2]} ({Path(function[0]).name}:{function[1]})", cumulative))
            continue
        for caller, edge in callers.items():
            owner = group_of(caller[0]) or "(built-in functions)"
            groups[owner] = groups.get(owner, 0.0) + edge[2]
    ranked = sorted(groups.items(), key=lambda item: -item[1])[:15]
    top = sorted(functions, key=lambda item: -item[1])[:15]
    return Profile(label, wall, sum(groups.values()), ranked, top)


# --- The dispatcher -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Dispatch:
    text: str
    within_floor: bool | None


def run_dispatch(work: Workspace, quick: bool) -> Dispatch:
    out = work.fresh("dispatch") / "dispatch.json"
    command = [PYTHON, str(BENCH / "dispatch.py"), "--json", str(out), *(["--quick"] if quick else [])]
    text = output_of(command, ROOT)
    json.loads(out.read_text(encoding="utf-8"))  # it must have written its figures
    floor_lines = [line for line in text.splitlines() if " the floor, " in line and "within" in line]
    within = all("NOT within" not in line for line in floor_lines) if floor_lines else None
    return Dispatch(text.rstrip(), within)


@dataclass(frozen=True)
class McpServing:
    text: str
    at_least_fastmcp: bool | None


def run_mcp_serving(work: Workspace, quick: bool) -> McpServing:
    out = work.fresh("mcp") / "mcp.json"
    command = [PYTHON, str(BENCH / "mcp_serving.py"), "--json", str(out), *(["--quick"] if quick else [])]
    text = output_of(command, ROOT)
    json.loads(out.read_text(encoding="utf-8"))  # it must have written its figures
    verdicts = [line for line in text.splitlines() if "FastMCP's" in line]
    met = all("NOT at least" not in line for line in verdicts) if verdicts else None
    return McpServing(text.rstrip(), met)


# --- Everything together ------------------------------------------------------------------------


def source_fingerprint() -> str:
    """The commit and a hash of toolspec's sources and templates: what the figures are of."""
    digest = hashlib.sha256()
    for path in sorted([*(ROOT / "generator" / "toolspec").rglob("*.py"), *(ROOT / "templates").glob("*")]):
        if path.is_file():
            digest.update(path.relative_to(ROOT).as_posix().encode() + b"\0" + path.read_bytes())
    return f"{git_revision()}, sources {digest.hexdigest()[:12]}"


def load_average() -> str:
    return f"{os.getloadavg()[0]:.2f}" if hasattr(os, "getloadavg") else "unknown"


@dataclass
class Results:
    corpora: Corpora
    baseline: Baseline | None = None
    imports: Imports | None = None
    nulls: dict[str, Any] | None = None
    version: Sample | None = None
    profiles: list[Profile] = field(default_factory=list)
    dispatch: Dispatch | None = None
    mcp: McpServing | None = None
    floors: Floors | None = None
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0
    load_at_start: str = field(default_factory=load_average)
    sources_at_start: str = field(default_factory=source_fingerprint)


def progress(message: str) -> None:
    print(f"[{time.monotonic() - STARTED:5.0f} s] {message}", file=sys.stderr, flush=True)


def profile_step(results: Results, work: Workspace, seconds_left: float) -> None:
    """The profiles, of PROFILE_SIZE tools if they fit in the seconds left, else of a smaller size."""
    corpora = results.corpora
    wanted = pick_size(corpora.projects, PROFILE_SIZE)
    size = profile_size(corpora, seconds_left)
    if size is not None:
        progress(f"cProfile of a cold and a no-op generate of {size} tools")
        results.profiles = run_profiles(corpora.projects[size], work, size)
    if size != wanted:
        what = f"of {size} tools only" if size else "skipped"
        results.notes.append(f"The profiles were {what}: the budget had no time left for {wanted} tools.")


def run_all(options: argparse.Namespace, work: Workspace) -> Results:
    """The sizes up to PROFILE_SIZE, the profiles, the larger sizes if time allows, then the rest."""
    started = time.monotonic()
    deadline = started + options.budget
    results = Results(Corpora())
    run_sizes(options, work, deadline, results.corpora, profiled=False)
    profile_step(results, work, deadline - time.monotonic() - FIXED_RESERVE)
    run_sizes(options, work, deadline, results.corpora, profiled=True)
    run_second_corpus(options, work, results.corpora, deadline - time.monotonic() - FIXED_RESERVE)
    projects = results.corpora.projects
    sample = pick_size(projects, SAMPLE_SIZE)
    profiled = pick_size(projects, PROFILE_SIZE)
    if sample is None or profiled is None:
        raise BenchError("no corpus size was measured: nothing to compare")
    progress(f"baseline: datamodel-codegen and black on {BASELINE_TOOLS} tools of the {sample}-tool corpus")
    results.baseline = run_baseline(projects[sample], work, sample)
    progress(f"import of the {profiled}-tool package; validation with nulls ({sample} tools)")
    results.imports = run_imports(projects[profiled], work, profiled, 2 if options.quick else 3)
    results.nulls = run_nulls(projects[sample], 5 if options.quick else 9)
    results.version = run_version(work, 5)
    progress("floors: datamodel-code-generator's calls, harmony's load, pydantic's import")
    bare = results.imports.bare.wall_median
    results.floors = measure_floors(projects[profiled], PYTHON, work.env(), bare, 2 if options.quick else 5)
    progress("bench/dispatch.py")
    results.dispatch = run_dispatch(work, options.quick)
    progress("bench/mcp_serving.py")
    results.mcp = run_mcp_serving(work, options.quick)
    results.seconds = time.monotonic() - started
    return results


# --- Targets ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """One target of issue 9: met is None where it was not measured in this run."""

    key: str
    goal: str
    measured: str
    met: bool | None
    evidence: tuple[str, ...] = ()


def wall_and_cpu(sample: Sample, digits: int = 2) -> str:
    """A sample as the targets show it: the median wall time, its minimum and the CPU time."""
    return (
        f"{sample.wall_median:.{digits}f} s (min {sample.wall_min:.{digits}f} s; CPU {sample.cpu_median:.{digits}f} s)"
    )


def step_target(corpora: Corpora, size: int, step: str, limit: float, goal: str) -> Target:
    key = f"{step.split()[0]}-{size}".replace("(", "")
    sample = corpora.samples.get(size, {}).get(step)
    if sample is None:
        return Target(key, goal, f"not measured ({corpora.skipped.get(size, 'size not asked for')})", None)
    return Target(key, goal, wall_and_cpu(sample), sample.wall_median < limit)


def second_noop_target(corpora: Corpora) -> Target:
    """The no-op target on the second corpus too: the issue measures it on both."""
    goal = "no-op generate, 1,000 tools of the second corpus < 0.2 s"
    sample = corpora.second.get("no-op")
    if sample is None or corpora.second_size != 1000:
        why = corpora.second_skipped if sample is None else f"measured at {corpora.second_size} tools"
        return Target("no-op-second", goal, f"not measured ({why})", None)
    return Target("no-op-second", goal, wall_and_cpu(sample), sample.wall_median < 0.2)


def marginal_costs(corpora: Corpora) -> list[tuple[int, int, float]]:
    """CPU ms per tool added, between consecutive sizes: (from, to, ms)."""
    sizes = sorted(corpora.samples)
    cpu = {size: corpora.samples[size]["cold"].cpu_median for size in sizes}
    return [(a, b, (cpu[b] - cpu[a]) * 1000 / (b - a)) for a, b in zip(sizes, sizes[1:], strict=False)]


def version_target(results: Results) -> Target:
    goal = "`toolspec --version` < 0.1 s"
    sample = results.version
    if sample is None:
        return Target("version", goal, "not measured", None)
    return Target("version", goal, wall_and_cpu(sample, 3), sample.wall_median < 0.1)


def runtime_targets(results: Results) -> list[Target]:
    found: list[Target] = []
    imports, nulls = results.imports, results.nulls
    goal = "import of `generated` and one toolset of a 1,000-tool package < 0.08 s"
    if imports is None or not imports.one_toolset:
        found.append(Target("import-one", goal, "not measured", None))
    else:
        alone = statistics.median(imports.one_toolset)
        measured = f"{alone * 1000:.0f} ms (min {min(imports.one_toolset) * 1000:.0f} ms), timed inside the "
        measured += f"interpreter; every one of the {imports.toolsets} toolsets: {imports.cost * 1000:.0f} ms"
        met = alone < 0.08 if imports.size == 1000 else None
        evidence = (
            f"`import pydantic` alone costs {(imports.pydantic.wall_median - imports.bare.wall_median) * 1000:.0f} ms."
        )
        found.append(Target("import-one", goal, measured, met, (evidence,)))
    goal = "validating a call with nulls within 1.2× of a hand-written pydantic model"
    if nulls is None:
        found.append(Target("nulls", goal, "not measured", None))
    else:
        ratio = nulls["generated_us"][0] / nulls["plain_us"][0]
        measured = f"{ratio:.2f}× ({nulls['generated_us'][0]:.1f} µs vs {nulls['plain_us'][0]:.1f} µs, {nulls['tool']})"
        found.append(Target("nulls", goal, measured, ratio <= 1.2))
    goal = "validating a call whose optional parameter is null, 2-field model: ≤ 1.2× a hand-written one"
    two = nulls.get("two_fields") if nulls is not None else None
    if two is None:
        found.append(Target("nulls-2", goal, "not measured", None))
    else:
        ratio = two["generated_us"][0] / two["after_us"][0]
        measured = f"{ratio:.2f}× ({two['generated_us'][0]:.2f} µs vs {two['after_us'][0]:.2f} µs, get_weather, "
        measured += f"min {two['generated_us'][1] / two['after_us'][1]:.2f}×)"
        found.append(Target("nulls-2", goal, measured, ratio <= 1.2))
    return found


def dispatch_targets(dispatch: Dispatch | None) -> list[Target]:
    text = "see *Dispatcher*" if dispatch else "not measured"
    within = dispatch.within_floor if dispatch else None
    floor = tuple(line for line in (dispatch.text.splitlines() if dispatch else []) if "NOT within" in line)
    return [Target("dispatch-floor", "one dispatcher call within 1.5× the floor", text, within, floor)]


def mcp_target(mcp: McpServing | None) -> Target:
    goal = "tools/call over streamable HTTP at least FastMCP's round trips per second, 1 and 10 sessions"
    if mcp is None:
        return Target("mcp-fastmcp", goal, "not measured", None)
    missed = tuple(line for line in mcp.text.splitlines() if "NOT at least" in line)
    return Target("mcp-fastmcp", goal, "see *MCP server*", mcp.at_least_fastmcp, missed)


def targets(results: Results) -> list[Target]:
    """The targets of this run: each figure within about twice its floor. The figures of the
    targets met before (3,000 tools, the flat cost per tool, check, memory, the baseline) are in
    their sections."""
    corpora = results.corpora
    return [
        step_target(corpora, 1000, "cold", 5, "1,000 tools cold < 5 s"),
        step_target(corpora, 1000, "no-op", 0.2, "no-op generate, 1,000 tools < 0.2 s"),
        second_noop_target(corpora),
        version_target(results),
        step_target(corpora, 1000, "one change", 0.5, "one spec changed, 1,000 tools < 0.5 s"),
        *runtime_targets(results),
        *dispatch_targets(results.dispatch),
        mcp_target(results.mcp),
    ]


def verdict(met: bool | None) -> str:
    return {True: "met", False: "**missed**", None: "not measured"}[met]


# --- The machine --------------------------------------------------------------------------------


def machine(load_at_start: str) -> list[tuple[str, str]]:
    cpuinfo = Path("/proc/cpuinfo").read_text(encoding="utf-8") if Path("/proc/cpuinfo").exists() else ""
    model = re.search(r"^model name\s*:\s*(.+)$", cpuinfo, re.MULTILINE)
    meminfo = Path("/proc/meminfo").read_text(encoding="utf-8") if Path("/proc/meminfo").exists() else ""
    memory = re.search(r"^MemTotal:\s*(\d+) kB", meminfo, re.MULTILINE)
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return [
        ("processors", f"{os.cpu_count()} (this process may use {usable})"),
        ("CPU", model.group(1).strip() if model else platform.processor() or "unknown"),
        ("memory", f"{int(memory.group(1)) / 1024**2:.1f} GiB" if memory else "unknown"),
        ("system", f"{platform.system()} {platform.release()}"),
        ("Python", f"{platform.python_version()} ({platform.python_implementation()})"),
        ("toolspec", f"{metadata.version('toolspec')}, {source_fingerprint()}"),
        ("dependencies", ", ".join(f"{name} {version}" for name, version in dependency_versions())),
        (
            "load average (1 min)",
            f"{load_at_start} at the start, {load_average()} at the end (above 2: a busy machine)",
        ),
    ]


def dependency_versions() -> list[tuple[str, str]]:
    """toolspec's own dependencies, then the benchmark's, as installed."""
    names: list[str] = []
    for requirement in metadata.requires("toolspec") or []:
        marker = requirement.partition(";")[2]
        if not marker or 'extra == "bench"' in marker or requirement.startswith("black"):
            match = re.match(r"[A-Za-z0-9._-]+", requirement)
            names += [match.group(0)] if match and match.group(0) not in names else []
    found = []
    for name in names:
        try:
            found.append((name, metadata.version(name)))
        except metadata.PackageNotFoundError:
            found.append((name, "not installed"))
    return found


MEASURED_PATHS = ("generator", "templates", "bench", "pyproject.toml")
"""Where an uncommitted change makes other figures: toolspec, its templates, the bench, the
dependencies."""


def git_revision() -> str:
    try:
        commit = output_of(["git", "rev-parse", "--short", "HEAD"], ROOT).strip()
        # Only what the figures are of: the bench's own output (docs/) is rewritten as it ends.
        status = ["git", "status", "--porcelain", "--untracked-files=no", "--", *MEASURED_PATHS]
        dirty = output_of(status, ROOT).strip()
    except (BenchError, OSError):
        return "revision unknown"
    return f"commit {commit}" + (" with uncommitted changes" if dirty else "")


# --- The document -------------------------------------------------------------------------------


def md_table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    return lines + ["| " + " | ".join(row) + " |" for row in rows] + [""]


def seconds(value: float) -> str:
    return f"{value:.3f}" if value < 1 else f"{value:.2f}" if value < 100 else f"{value:.0f}"


def head_section(results: Results, plot_name: str | None, options: argparse.Namespace) -> list[str]:
    today = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    mode = " (--quick: fewer runs, not the figures of record)" if options.quick else ""
    now = source_fingerprint()
    changed = (
        []
        if now == results.sources_at_start
        else [
            f"**toolspec changed during the run** ({results.sources_at_start} at the start, {now} at the end):",
            "the figures mix versions; run it again on a tree nobody is editing.",
            "",
        ]
    )
    lines = [
        "# Performance",
        "",
        *changed,
        f"Written by `make bench` (bench/run.py) on {today}, in {results.seconds:.0f} s{mode}. Every figure",
        "is a whole process timed from outside: wall seconds, the median (and the minimum) of the runs shown;",
        "CPU is user + system time of the process and the children it waited for; peak is the largest",
        "resident set among them. Targets: each figure within about twice its floor, judged on the median.",
        "",
        "## Machine",
        "",
        *md_table(("", ""), machine(results.load_at_start)),
        "## Targets",
        "",
        *md_table(("target", "measured", ""), [(t.goal, t.measured, verdict(t.met)) for t in targets(results)]),
    ]
    if plot_name:
        lines += [f"![Wall time against corpus size]({plot_name})", ""]
    return lines


def floor_lines(results: Results) -> list[str]:
    """The *Floors* section: the figures of the profiled size beside their floors (floors.py)."""
    size = pick_size(results.corpora.projects, PROFILE_SIZE)
    if results.floors is None or size is None:
        return []
    steps = results.corpora.samples.get(size, {})
    figures = {step: steps[step].wall_median for step in ("cold", "one change") if step in steps}
    if results.imports is not None and results.imports.one_toolset:
        figures["import"] = statistics.median(results.imports.one_toolset)
    harmony = results.floors.harmony
    return [
        "## Floors",
        "",
        "What the libraries toolspec keeps cost by themselves, measured in this run (bench/floors.py); the",
        "aim is each figure within about twice its floor. harmony's vocabulary load, which the token",
        f"counts of a changed toolset need, takes {harmony:.3f} s: it runs in the parent beside the chain",
        "of the one-change floor, which is in a worker.",
        "",
        *md_table(FLOOR_HEADER, floor_rows(results.floors, figures, size)),
    ]


def corpus_section(corpora: Corpora) -> list[str]:
    rows = [
        (f"{size:,}", step, seconds(sample.wall_median), seconds(sample.wall_min), seconds(sample.cpu_median))
        + (f"{sample.peak_mib:.0f}", ", ".join(seconds(run.wall) for run in sample.runs))
        for size, steps in sorted(corpora.samples.items())
        for step, sample in steps.items()
    ]
    lines = [
        "## Generate and check",
        "",
        "Synthetic projects from bench/corpus.py (seeded), about 11 tools a toolset.",
        "",
    ]
    lines += md_table(("tools", "step", "wall median s", "wall min s", "CPU s", "peak MiB", "every run, wall s"), rows)
    lines += [f"- {size:,} tools: skipped, {why}." for size, why in sorted(corpora.skipped.items())]
    lines += second_corpus_lines(corpora)
    costs = {(b): cost for _, b, cost in marginal_costs(corpora)}
    per_tool = [
        (f"{size:,}", f"{steps['cold'].wall_median * 1000 / size:.1f}", f"{steps['cold'].cpu_median * 1000 / size:.1f}")
        + (f"{costs[size]:.1f}" if size in costs else "",)
        for size, steps in sorted(corpora.samples.items())
    ]
    lines += ["", "### Cost per tool, cold generate", ""]
    lines += md_table(("tools", "wall ms/tool", "CPU ms/tool", "CPU ms per tool added since the size above"), per_tool)
    if corpora.exact:
        lines += ["### check stays exact", "", "What `check` answered on a clean clone after each edit:", ""]
        lines += md_table(
            ("edit", "check"), [(what, "right" if ok else "**WRONG**") for what, ok in corpora.exact.items()]
        )
    return lines


def second_corpus_lines(corpora: Corpora) -> list[str]:
    """The two corpora side by side, at the same size, each step's wall median (min) and CPU."""
    lines = ["", "### Two corpora side by side", ""]
    size = corpora.second_size
    if size is None:
        return lines + [f"Not measured: {corpora.second_skipped}.", ""]
    first, second = corpora.samples[size], corpora.second
    shape = SECOND_CORPUS["tools_per_toolset"]
    lines += [
        f"{size:,} tools each: the corpus above (about 11 tools a toolset), and one of about {shape} tools a "
        "toolset with a parameter nested five objects down in every tool (`bench/corpus.py --per-toolset "
        f"{shape} --deep`).",
        "",
    ]
    rows = [(step, _figure(first[step]), _figure(second[step])) for step in SECOND_STEPS]
    return lines + md_table(("step", "11 tools a toolset: wall median s (min; CPU)", f"{shape} a toolset, deep"), rows)


def _figure(sample: Sample) -> str:
    return f"{seconds(sample.wall_median)} ({seconds(sample.wall_min)}; CPU {seconds(sample.cpu_median)})"


def baseline_section(results: Results) -> list[str]:
    baseline = results.baseline
    if baseline is None:
        return []
    lines = ["## Against the script a team would otherwise write", ""]
    lines += [
        f"One `datamodel-codegen` process per tool (its parameters schema from the {baseline.corpus_size}-tool",
        "corpus's generated `*.responses.json`, `--output-model-type pydantic_v2.BaseModel`), then `black` on",
        f"the model it wrote. Timed on {len(baseline.tools)} tools; the figures for whole corpora are",
        "**extrapolated** from the mean per tool, not measured.",
        "",
    ]
    rows = [(name, seconds(codegen.wall), seconds(black.wall)) for name, codegen, black in baseline.tools]
    lines += md_table(("tool", "datamodel-codegen s", "black s"), rows)
    extrapolated: list[tuple[str, ...]] = []
    for size, steps in sorted(results.corpora.samples.items()):
        script = baseline.per_tool_wall * size
        cold = steps["cold"].wall_median
        extrapolated.append((f"{size:,}", f"{script:.1f} (extrapolated)", seconds(cold), f"{script / cold:.0f}×"))
    return lines + md_table(("tools", "script wall s", "toolspec cold wall s", "toolspec faster by"), extrapolated)


def runtime_section(results: Results) -> list[str]:
    lines = ["## The generated code at run time", ""]
    imports, nulls = results.imports, results.nulls
    if imports is not None:
        lines += [f"Import of the {imports.size}-tool package ({imports.toolsets} toolsets, every one imported):", ""]
        rows = [
            ("bare interpreter (`-c pass`)", imports.bare),
            ("`import pydantic`", imports.pydantic),
            ("the package, bytecode cached", imports.package),
            ("the package, no bytecode (a first import)", imports.no_bytecode),
        ]
        table = [(what, seconds(s.wall_median), seconds(s.wall_min), f"{s.peak_mib:.0f}") for what, s in rows]
        lines += md_table(("interpreter", "wall median s", "wall min s", "peak MiB"), table)
        exit_cost = imports.process_cost - imports.cost
        lines += [
            f"The import itself, timed inside the interpreter from the first import statement to the end of the last "
            f"(bytecode cached): {imports.cost * 1000:.0f} ms median, {min(imports.inside) * 1000:.0f} ms min, "
            f"{imports.cost * 1e6 / imports.size:.0f} µs a tool. The whole process costs "
            f"{imports.process_cost * 1000:.0f} ms more than a bare interpreter: the import, and about "
            f"{exit_cost * 1000:.0f} ms at exit, where the interpreter frees the models' classes.\n",
        ]
    if nulls is not None:
        lines += [
            f"Validating a call with `model_validate_json`: `{nulls['tool']}` ({nulls['fields']} parameters,",
            f"{nulls['nulls']} sent as null, {nulls['null_defaults']} of them with a default), its generated model",
            "against a plain pydantic model with the same field types and constraints and `T | None = default`",
            "for the optional ones (which then holds None, not the default). µs per call:",
            "",
        ]
        models = [("generated", nulls["generated_us"]), ("plain BaseModel", nulls["plain_us"])]
        lines += md_table(
            ("model", "median µs", "min µs"), [(name, f"{us[0]:.2f}", f"{us[1]:.2f}") for name, us in models]
        )
        two = nulls["two_fields"]
        lines += [
            "",
            f"And this repository's get_weather (2 parameters), `{TWO_FIELDS_CALL}`: the generated model against",
            "one written by hand whose `units` takes its default from an `AfterValidator`. µs per call:",
            "",
        ]
        models = [("generated", two["generated_us"]), ("hand-written, AfterValidator", two["after_us"])]
        lines += md_table(
            ("model", "median µs", "min µs"), [(name, f"{us[0]:.2f}", f"{us[1]:.2f}") for name, us in models]
        )
    return lines


def dispatch_section(dispatch: Dispatch | None) -> list[str]:
    if dispatch is None:
        return []
    return ["## Dispatcher", "", "bench/dispatch.py, as it printed:", "", "```text", dispatch.text, "```", ""]


def mcp_section(mcp: McpServing | None) -> list[str]:
    if mcp is None:
        return []
    return ["## MCP server", "", "bench/mcp_serving.py, as it printed:", "", "```text", mcp.text, "```", ""]


def profile_section(profiles: Sequence[Profile]) -> list[str]:
    if not profiles:
        return []
    lines = ["## Where the time goes", ""]
    lines += [
        "cProfile of `toolspec generate` in one process, its imports included, made serial (`os.cpu_count()`",
        "answers 1) so that work otherwise done in worker processes is seen; profiling slows it. Seconds are",
        "self time by module group (a built-in function's counted with its caller's group), so the groups add",
        "up to the whole; the ruff formatter runs as a child process: its time is what `stdlib subprocess`",
        "waits.",
        "",
    ]
    for profile in profiles:
        lines += [f"### {profile.label}: {profile.wall:.2f} s under the profiler", ""]
        rows = [(group, seconds(value), f"{value * 100 / profile.total:.0f} %") for group, value in profile.groups]
        lines += md_table(("group", "self s", "of the profiled total"), rows)
        lines += ["Top functions by cumulative time:", ""]
        lines += [f"- {seconds(value)} s {name}" for name, value in profile.functions] + [""]
    return lines


def profile_evidence(key: str, profiles: Sequence[Profile]) -> list[str]:
    """The largest groups of the profile that speaks to a generate or check target."""
    if not profiles or not key.startswith(("cold", "no-op", "one", "check")):
        return []
    profile = profiles[0] if key.startswith("cold") else profiles[-1]
    top = ", ".join(f"{group} {value * 100 / profile.total:.0f} %" for group, value in profile.groups[:4])
    line = f"Profile of the {profile.label} (*Where the time goes*): {top}."
    if key.startswith("one"):
        line += " One change recompiles one toolset: the cold profile shows what a toolset costs."
    return [line]


def bounds_section(results: Results, old_notes: Mapping[str, str]) -> list[str]:
    """A heading for each missed target: what was measured, and the owner's notes (kept across runs)."""
    missed = [target for target in targets(results) if target.met is False]
    lines = ["## What bounds it", ""]
    if not missed:
        lines += ["Every measured target was met.", ""]
    for target in missed:
        evidence = [*target.evidence, *profile_evidence(target.key, results.profiles)]
        lines += [f"### {target.goal}", "", f"Measured: {target.measured}.", ""]
        lines += [f"- {line}" for line in evidence] + ([""] if evidence else [])
        lines += [
            f"<!-- owner-notes:{target.key} -->",
            old_notes.get(target.key, PLACEHOLDER),
            "<!-- /owner-notes -->",
            "",
        ]
    earlier = {
        key: body for key, body in old_notes.items() if key not in {t.key for t in missed} and body != PLACEHOLDER
    }
    if earlier:
        lines += ["### Notes on targets met since", ""]
        for key, body in earlier.items():
            lines += [f"<!-- owner-notes:{key} -->", body, "<!-- /owner-notes -->", ""]
    return lines


def write_plot(corpora: Corpora, path: Path) -> str | None:
    """Wall time against corpus size, log-log, with the targets; None if matplotlib is missing."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return None
    figure, axes = plt.subplots(figsize=(7.5, 4.8), dpi=110)
    for step, marker in zip(PLOTTED, "osD^", strict=True):
        sizes = sorted(size for size, steps in corpora.samples.items() if step in steps)
        (line,) = axes.plot(
            sizes, [corpora.samples[size][step].wall_median for size in sizes], marker=marker, label=step
        )
        goals = PLOT_TARGETS[step]
        axes.scatter(
            [x for x, _ in goals], [y for _, y in goals], marker="_", s=400, linewidths=2, color=line.get_color()
        )
    axes.scatter([], [], marker="_", s=400, color="grey", label="targets, in the colour of their step")
    axes.set(xscale="log", yscale="log", xlabel="tools in the corpus", ylabel="wall seconds (median)")
    axes.set_title("toolspec generate and check, whole processes")
    axes.grid(True, which="both", alpha=0.3)
    axes.legend(fontsize="small")
    figure.tight_layout()
    figure.savefig(path, metadata={"Software": None})
    plt.close(figure)
    return path.name


def write_document(results: Results, options: argparse.Namespace) -> None:
    path: Path = options.output
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    old_notes = {match["key"]: match["body"] for match in NOTES.finditer(old)}
    path.parent.mkdir(parents=True, exist_ok=True)
    plot = write_plot(results.corpora, path.with_suffix(".png"))
    if plot is None:
        results.notes.append("No plot: matplotlib is not installed (pip install -e '.[bench]').")
    lines = head_section(results, plot, options) + floor_lines(results) + corpus_section(results.corpora)
    lines += baseline_section(results)
    lines += runtime_section(results) + dispatch_section(results.dispatch) + mcp_section(results.mcp)
    lines += profile_section(results.profiles)
    lines += bounds_section(results, old_notes)
    lines += [f"- {note}" for note in results.notes] + ([""] if results.notes else [])
    lines += ["Rerun with `make bench` (`make bench BENCH_ARGS='--quick'` for a short run).", ""]
    path.write_text("\n".join(lines), encoding="utf-8")


# --- The command line ---------------------------------------------------------------------------


def sizes_argument(text: str) -> list[int]:
    try:
        sizes = sorted({int(part) for part in text.split(",") if part.strip()})
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a comma-separated list of numbers: {text!r}") from None
    if not sizes or sizes[0] < 1:
        raise argparse.ArgumentTypeError("sizes are numbers of tools, 1 or more")
    return sizes


def parse_arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Every performance figure in one run, into docs/performance.md.")
    parser.add_argument("--sizes", type=sizes_argument, help="corpus sizes (default 10,100,1000,3000; quick 10,100)")
    parser.add_argument("--runs", type=int, help="runs of every step (default 5 below 1,000 tools, 3 from there)")
    parser.add_argument("--quick", action="store_true", help="sizes 10 and 100, one run each, a short dispatcher run")
    parser.add_argument("--budget", type=float, default=540, help="seconds the whole run may take (default 540)")
    parser.add_argument("--seed", type=int, default=0, help="the corpus generator's seed")
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "performance.md", help="the document to write")
    parser.add_argument("--probe-nulls", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--probe-two-fields", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--probe-profile", type=Path, nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--repeats", type=int, default=9, help=argparse.SUPPRESS)
    options = parser.parse_args(argv)
    options.sizes = options.sizes or ([10, 100] if options.quick else [10, 100, 1000, 3000])
    options.runs = options.runs or (1 if options.quick else None)
    if options.runs is not None and options.runs < 1:
        parser.error("--runs must be 1 or more")
    return options


def summary(results: Results, output: Path) -> str:
    plain = {True: "met", False: "MISSED", None: "not measured"}
    rows = [f"{plain[target.met]:>12}  {target.goal}: {target.measured}" for target in targets(results)]
    return "\n".join([*rows, f"Wrote {output} in {results.seconds:.0f} s."])


def main(argv: Sequence[str] | None = None) -> int:
    options = parse_arguments(argv)
    if options.probe_nulls:
        probe_nulls(options.probe_nulls, options.repeats)
        return 0
    if options.probe_two_fields:
        probe_two_fields(options.repeats)
        return 0
    if options.probe_profile:
        return probe_profile(*options.probe_profile)
    try:
        with tempfile.TemporaryDirectory(prefix="toolspec-bench-") as directory:
            results = run_all(options, Workspace(Path(directory)))
        write_document(results, options)
    except (BenchError, ProbeError) as error:
        print(f"bench: error: {error}", file=sys.stderr)
        return 1
    print(summary(results, options.output))
    return 0


if __name__ == "__main__":
    sys.exit(main())
