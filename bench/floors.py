"""The floors under the figures whose targets the libraries toolspec keeps bound, measured in the
run that measures the figures, so that "within about twice its floor" is judged on any host.

- cold generate: datamodel-code-generator's own time for every toolset of the corpus (its
  `generate`, called as toolspec calls it, once per toolset, after its first call), shared by the
  processors: the wall time the model generator alone takes with every core busy. Reading,
  compiling and checking the specs and writing the files come on top.
- one spec changed: a bare interpreter, then datamodel-code-generator's first call in a new
  process (its imports and pydantic's) and its call for the changed toolset: the chain a run that
  must write new models cannot shorten. harmony's vocabulary load, which the changed toolset's
  token counts need, is measured too: it can run beside that chain, not shorten it.
- the import of `generated` and one toolset: `from pydantic import BaseModel, RootModel` timed
  inside the interpreter, what a toolset with a named type (a RootModel) imports at the least.

    python bench/floors.py PROJECT    # the probe: prints its measurements as JSON

run.py runs the probe in a new process (measure_floors: its first call pays for the imports)
and puts the floors beside the run's own figures (floor_rows).
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

IMPORT_FLOOR = "from pydantic import BaseModel, RootModel"
"""The import of a toolset of the bench corpus (each has a named type) cannot cost less."""


@dataclass(frozen=True)
class Floors:
    """What the probe measured, and the figures it is a floor of."""

    first_call: float
    """Seconds of datamodel-code-generator's first call in a new process, its imports included."""
    models: tuple[float, ...]
    """CPU seconds of datamodel-code-generator's call for each toolset, in the specs' order."""
    harmony: float
    """Seconds of harmony's vocabulary load (the first token count of a process)."""
    bare: float
    """Wall seconds of a bare interpreter (`-c pass`), the median of the run's."""
    import_floor: tuple[float, ...]
    """Seconds of IMPORT_FLOOR, timed inside the interpreter, one per run."""
    processors: int

    @property
    def cold(self) -> float:
        return sum(self.models) / self.processors

    @property
    def one_change(self) -> float:
        """The first spec's toolset is the one bench/corpus.py's change_one_spec edits."""
        return self.bare + self.first_call + (self.models[0] if self.models else 0.0)

    @property
    def import_one(self) -> float:
        return statistics.median(self.import_floor)


class ProbeError(RuntimeError):
    """A floor could not be measured: the message says which command failed, and its output."""


FLOOR_HEADER = ("figure", "measured", "floor", "the floor is", "× floor")


def floor_rows(floors: Floors, figures: dict[str, float], size: int) -> list[tuple[str, ...]]:
    """Each figure of the corpus of size tools beside its floor (FLOOR_HEADER's columns).
    figures: "cold", "one change" and "import" -> the median the run measured (s), where it did."""
    model_calls = f"{sum(floors.models):.2f} s of CPU for {len(floors.models)} toolsets"
    rows = [
        (
            f"{size:,} tools cold",
            "cold",
            floors.cold,
            f"datamodel-code-generator's calls, {model_calls}, over {floors.processors} processors",
        ),
        (
            f"one spec changed, {size:,} tools",
            "one change",
            floors.one_change,
            f"a bare interpreter ({floors.bare:.3f} s), datamodel-code-generator's first call "
            f"({floors.first_call:.3f} s) and its call for the changed toolset "
            f"({floors.one_change - floors.bare - floors.first_call:.3f} s)",
        ),
        (
            "import of `generated` and one toolset",
            "import",
            floors.import_one,
            f"`{IMPORT_FLOOR}`, timed inside the interpreter",
        ),
    ]
    return [
        (label, _seconds(figures.get(key)), _seconds(floor), what, _ratio(figures.get(key), floor))
        for label, key, floor, what in rows
    ]


def _seconds(value: float | None) -> str:
    return "not measured" if value is None else f"{value:.3f} s"


def _ratio(value: float | None, floor: float) -> str:
    return "" if value is None or floor <= 0 else f"{value / floor:.2f}×"


def measure_floors(project: Path, python: str, env: dict[str, str], bare: float, runs: int) -> Floors:
    """The probe's measurements in a new process, and the import floor's (runs of it), in project."""
    import subprocess

    def output(arguments: list[str]) -> str:
        done = subprocess.run([python, *arguments], cwd=project, env=env, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise ProbeError(f"{python} {' '.join(arguments)} exited {done.returncode}:\n{done.stderr[-4000:]}")
        return done.stdout

    probed = json.loads(output([str(Path(__file__).resolve()), str(project)]))
    timing = f"import time\nstarted = time.perf_counter()\n{IMPORT_FLOOR}\nprint(time.perf_counter() - started)\n"
    output(["-c", timing])  # the warm-up writes pydantic's bytecode if it is missing
    imports = tuple(float(output(["-c", timing]).split()[-1]) for _ in range(runs))
    processors = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return Floors(probed["first_call"], tuple(probed["models"]), probed["harmony"], bare, imports, processors)


def probe(project: Path) -> dict[str, Any]:
    """In this new process: datamodel-code-generator's first call, then its call for each toolset
    of project as toolspec makes it, then harmony's load."""
    started = time.perf_counter()
    import pydantic.main  # noqa: F401 - datamodel-code-generator's own first import

    pydantic_import = time.perf_counter() - started
    from toolspec.compile import argument_models  # toolspec's modules: not part of the floor

    started = time.perf_counter()
    argument_models.load_model_generator()  # datamodel-code-generator's imports, and a one-class call
    first_call = pydantic_import + time.perf_counter() - started
    models = _model_calls(project)
    from toolspec.compile import tokens

    tokens.vocabulary_directory()  # unpacked into the cache once, as a developer's cache has it
    started = time.perf_counter()
    tokens.rendered_text([])  # loads the vocabulary, as the first token count of a run does
    return {"first_call": first_call, "models": models, "harmony": time.perf_counter() - started}


def _model_calls(project: Path) -> list[float]:
    """CPU seconds of datamodel-code-generator's call for each toolset of project, in the specs' order."""
    from toolspec.compile import argument_models
    from toolspec.project.config import load_config
    from toolspec.project.load import compile_loaded, configured_spec_files, load_file, read_spec

    spent: list[float] = []
    generate: Callable[..., str | None] = argument_models._generate  # noqa: SLF001 - the call toolspec makes

    def timed(*args: Any, **kwargs: Any) -> str | None:
        before = time.process_time()
        try:
            return generate(*args, **kwargs)
        finally:
            spent.append(time.process_time() - before)

    argument_models._generate = timed  # noqa: SLF001
    config = load_config(project)
    for file in configured_spec_files(config, "generate"):
        spec, _ = load_file(file, read_spec(file))
        if spec is not None:
            _ = compile_loaded(spec, config).models_source
    return spent


if __name__ == "__main__":
    os.chdir(sys.argv[1])
    print(json.dumps(probe(Path(sys.argv[1]))))
