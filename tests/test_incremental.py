"""generate and check skip what cannot have changed, and nothing else.

The manifest's record proves a toolset's files current (its inputs and its files hash as
recorded, under the same build); the spec cache spares re-reading and re-checking unchanged
specs. Each test compares the incremental answer with the full one.
"""

from __future__ import annotations

import builtins
import json
import os
import shutil
from collections import Counter
from pathlib import Path
from typing import Any, NoReturn

import pytest

from conftest import REPO
from toolspec import cli, pipeline
from toolspec.compile import toolset as compile_module
from toolspec.compile.shapes import SHAPES
from toolspec.output import render as render_module
from toolspec.project import load
from toolspec.project.config import Config, load_config
from toolspec.spec import parse
from toolspec.speed import model_pool
from toolspec.speed import workers as worker_processes

MANIFEST = "toolspec.manifest.json"


def _count_models(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """Toolset name -> how often its models were generated (the costly step)."""
    made: Counter[str] = Counter()
    original = compile_module.argument_models_source
    monkeypatch.setattr(model_pool, "PARALLEL_FROM", 10**6)  # counted here, not in worker processes

    def counting(toolset: Any, *args: Any, **kwargs: Any) -> str:
        made[toolset.name] += 1
        return original(toolset, *args, **kwargs)

    monkeypatch.setattr(compile_module, "argument_models_source", counting)
    return made


def _snapshot(directory: Path) -> dict[str, bytes]:
    return {p.relative_to(directory).as_posix(): p.read_bytes() for p in sorted(directory.rglob("*")) if p.is_file()}


def test_one_changed_spec_is_the_only_toolset_rendered_again(
    generated_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = _count_models(monkeypatch)
    spec = generated_copy / "specs" / "weather.yaml"
    spec.write_text(spec.read_text("utf-8").replace("Retrieves current", "Gets current"), "utf-8")
    assert cli.main(["generate", "--quiet"]) == 0
    assert dict(made) == {"weather": 1}
    incremental = _snapshot(generated_copy / "generated")
    shutil.rmtree(generated_copy / "generated")
    assert cli.main(["generate", "--quiet", "--no-cache"]) == 0
    assert _snapshot(generated_copy / "generated") == incremental, "the same bytes as a full generate"


def _count_output_reads(output: Path, monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """Path below output -> how often its bytes were read (the manifest aside), by
    Path.read_bytes or by open(..., "rb") (which Path.read_bytes does not call)."""
    reads: Counter[str] = Counter()
    read_bytes, open_file = Path.read_bytes, builtins.open

    def count(path: str | os.PathLike[str]) -> None:
        relative = os.path.relpath(os.path.abspath(path), output)
        if not relative.startswith("..") and relative != MANIFEST:
            reads[Path(relative).as_posix()] += 1

    def counting(path: Path) -> bytes:
        count(path)
        return read_bytes(path)

    def counting_open(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        if mode == "rb" and isinstance(file, str | os.PathLike):
            count(file)
        return open_file(file, mode, *args, **kwargs)

    monkeypatch.setattr(Path, "read_bytes", counting)
    monkeypatch.setattr(builtins, "open", counting_open)
    return reads


@pytest.mark.parametrize("command", ["generate", "check", "one change"])
def test_a_file_known_to_be_current_is_read_once(
    generated_copy: Path, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    """Read to be hashed against the record, and not again: its recorded hash goes into the
    manifest, and writing or checking does not compare it with itself."""
    output = generated_copy / "generated"
    current = sorted(p.relative_to(output).as_posix() for p in output.rglob("*") if p.is_file() and p.name != MANIFEST)
    if command == "one change":
        spec = generated_copy / "specs" / "weather.yaml"
        spec.write_text(spec.read_text("utf-8").replace("Retrieves current", "Gets current"), "utf-8")
        current = [path for path in current if "weather" not in path]  # weather/..., docs/weather.md
    reads = _count_output_reads(output, monkeypatch)
    assert cli.main(["check" if command == "check" else "generate", "--quiet"]) == 0
    assert current and {path: reads[path] for path in current} == dict.fromkeys(current, 1)


def test_a_changed_grammar_file_is_a_changed_input(generated_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    grammar = generated_copy / "specs" / "grammars" / "math_exp.lark"
    grammar.write_text(grammar.read_text("utf-8").replace('SP: " "', 'SP: "  "'), "utf-8")
    assert cli.main(["check"]) == 1, "the grammar is in the tool definition: check must see the change"
    assert "code/code.responses.json" in capsys.readouterr().out


def test_a_hand_edited_file_is_compiled_and_shown(generated_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    models = generated_copy / "generated" / "shop" / "models.py"
    models.write_text(models.read_text("utf-8") + "# edited\n", "utf-8")
    assert cli.main(["check"]) == 1
    assert "-# edited" in capsys.readouterr().out, "the diff shows the edit, as on disk against the specs"
    assert cli.main(["generate", "--quiet"]) == 0
    assert "# edited" not in models.read_text("utf-8")


@pytest.mark.parametrize(
    ("damage", "differs"),
    [
        (lambda record: record.update(build=7), False),  # the build is not compared: it names versions
        (lambda record: record["toolsets"].update({"specs/x.yaml": "nonsense"}), True),
        (lambda record: record["files"].update({"../../outside.py": "0" * 64}), True),
        (lambda record: record["toolsets"]["specs/shop.yaml"]["inputs"].update({"/etc/passwd": "0" * 64}), True),
        (lambda record: record.clear(), True),
    ],
)
def test_a_damaged_record_costs_time_never_correctness(
    generated_copy: Path, monkeypatch: pytest.MonkeyPatch, damage: Any, differs: bool
) -> None:
    path = generated_copy / "generated" / MANIFEST
    manifest = json.loads(path.read_text("utf-8"))
    damage(manifest["record"])
    path.write_text(json.dumps(manifest, indent=2) + "\n", "utf-8")
    made = _count_models(monkeypatch)
    assert cli.main(["check"]) == int(differs), "the manifest differs from what the specs compile to"
    assert sorted(made) == ["calendar", "code", "shop", "weather"], "nothing of the record was trusted"
    assert cli.main(["generate", "--quiet"]) == 0
    assert cli.main(["check"]) == 0


def test_the_spec_cache_gives_the_findings_a_fresh_build_gives(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(REPO / "specs", tmp_path / "specs")
    (tmp_path / "specs" / "warned.yaml").write_text(
        "toolset: warned\ntools:\n  - name: search\n    parameters:\n      q: {type: string}\n"
        "  - name: get_weather  # toolspec: ignore[TS303] the same name on purpose\n"
        "    description: Another.\n    parameters:\n      city: {type: string, description: A city.}\n",
        "utf-8",
    )
    monkeypatch.setenv("TOOLSPEC_CACHE_DIR", str(tmp_path / "cache"))
    config = Config(root=tmp_path, specs=tmp_path / "specs", output=tmp_path / "out", package="out")
    fresh = pipeline.build([config.specs], config)
    assert fresh.diagnostics, "the spec has findings to compare"
    cache = pipeline.spec_cache(config)
    assert cache is not None
    first = pipeline.build([config.specs], config, cache=cache)
    parsed = Counter[str]()
    original = parse.parse_toolset
    monkeypatch.setattr(parse, "parse_toolset", lambda *a: (parsed.update(["x"]), original(*a))[1])
    again = pipeline.build([config.specs], config, cache=cache)
    assert not parsed, "every spec came from the cache"
    assert fresh.diagnostics == first.diagnostics == again.diagnostics
    assert [c.compiled.name for c in again.toolsets] == [c.compiled.name for c in fresh.toolsets]


def test_lint_takes_what_generate_checked_and_checks_again_only_what_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`toolspec lint` reads the spec cache generate fills (the same build): in pre-commit and CI
    it need not read and check every spec again; its findings are a fresh build's."""
    shutil.copytree(REPO / "specs", tmp_path / "specs")
    (tmp_path / "pyproject.toml").write_text('[tool.toolspec]\nspecs = "specs"\noutput = "generated"\n', "utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TOOLSPEC_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(model_pool, "PARALLEL_FROM", 10**6)  # specs built here, where they are counted
    assert cli.main(["generate", "--quiet"]) == 0
    parsed = Counter[str]()
    original = parse.parse_toolset
    monkeypatch.setattr(parse, "parse_toolset", lambda *a: (parsed.update([Path(a[0].path).stem]), original(*a))[1])
    assert cli.main(["lint"]) == 0
    assert not parsed, "generate checked every spec"
    capsys.readouterr()
    (tmp_path / "specs" / "warned.yaml").write_text(
        "toolset: warned\ntools:\n  - name: search\n    parameters:\n      q: {type: string}\n", "utf-8"
    )
    assert cli.main(["lint"]) == 1
    assert parsed == Counter(["warned"]), "only the new spec is read"
    cached = capsys.readouterr()
    assert "warned.yaml" in cached.out, "the new spec has findings to compare"
    assert cli.main(["lint"]) == 1
    assert parsed == Counter(["warned"]), "the lint before checked the new spec"
    assert capsys.readouterr() == cached
    assert cli.main(["lint", "--no-cache"]) == 1
    assert parsed == Counter(spec.stem for spec in (tmp_path / "specs").glob("*.yaml")) + Counter(["warned"])
    assert capsys.readouterr() == cached, "the findings are a fresh build's"


def test_models_made_in_worker_processes_are_the_bytes_made_one_by_one(
    generated_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(model_pool, "_can_fork", lambda: True)  # other tests may have left threads running
    monkeypatch.setattr(os, "cpu_count", lambda: 2)  # workers even on a machine of one core
    made_here = _count_models(monkeypatch)
    monkeypatch.setattr(model_pool, "PARALLEL_FROM", 1)
    shutil.rmtree(generated_copy / "generated")
    assert cli.main(["generate", "--quiet", "--no-cache"]) == 0
    assert not made_here, "every toolset's models were made in a worker process"
    parallel = _snapshot(generated_copy / "generated")
    monkeypatch.setattr(model_pool, "PARALLEL_FROM", 10**6)
    shutil.rmtree(generated_copy / "generated")
    assert cli.main(["generate", "--quiet", "--no-cache"]) == 0
    assert made_here, "made in this process"
    assert _snapshot(generated_copy / "generated") == parallel


def test_specs_built_in_worker_processes_are_what_the_parent_builds(
    generated_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cold run with many specs builds them in the workers: the same findings (a warning on
    every toolset here), the same toolsets, the same bytes; the parent parses none of them."""
    with (generated_copy / "pyproject.toml").open("a", encoding="utf-8") as stream:
        stream.write("[tool.toolspec.options.token-budget]\nmax-tokens = 10\n")
    config = load_config(generated_copy)
    files = load.configured_spec_files(config, "generate")
    here = pipeline.build(files, config)
    assert here.diagnostics and not here.has_errors
    monkeypatch.setattr(model_pool, "_can_fork", lambda: True)  # other tests may have left threads running
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    monkeypatch.setattr(model_pool, "BUILD_IN_WORKERS_FROM", 1)
    parsed = Counter[str]()
    original = parse.parse_toolset
    monkeypatch.setattr(parse, "parse_toolset", lambda *a: (parsed.update(["x"]), original(*a))[1])
    workers = worker_processes.Workers(config, SHAPES, None, len(files), set())
    with workers.pool:
        there = pipeline.build(files, config, workers=workers)
    assert not workers.fresh_here and not parsed, "every spec was built in a worker"
    assert there.diagnostics == here.diagnostics
    assert list(there.toolsets) == list(here.toolsets)
    assert all("models_source" in vars(compiled) for compiled in there.compiled), "made beside them"
    rendered_at_the_end = _count_rendered(monkeypatch)
    shutil.rmtree(generated_copy / "generated")
    assert cli.main(["generate", "--quiet", "--no-cache"]) == 0
    assert not rendered_at_the_end, "each toolset's files were rendered as it arrived from its worker"
    from_workers = _snapshot(generated_copy / "generated")
    monkeypatch.setattr(model_pool, "BUILD_IN_WORKERS_FROM", 10**6)
    shutil.rmtree(generated_copy / "generated")
    assert cli.main(["generate", "--quiet", "--no-cache"]) == 0
    assert sorted(rendered_at_the_end) == sorted(c.name for c in here.compiled), "built here: rendered at the end"
    assert _snapshot(generated_copy / "generated") == from_workers


def test_a_cold_lint_builds_most_specs_in_workers_and_says_what_a_serial_one_says(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """lint renders nothing: its workers build specs and make no models. It builds the first few
    specs it finds changed itself (a lint after one edit forks nothing), the rest in the workers."""
    shutil.copytree(REPO / "tests" / "broken", tmp_path / "specs")
    (tmp_path / "pyproject.toml").write_text("[tool.toolspec]\n", "utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TOOLSPEC_CACHE_DIR", str(tmp_path / "cache"))
    parsed = Counter[str]()
    original = parse.parse_toolset
    monkeypatch.setattr(parse, "parse_toolset", lambda *a: (parsed.update(["x"]), original(*a))[1])
    monkeypatch.setattr(os, "cpu_count", lambda: 1)  # no workers
    assert cli.main(["lint", "--no-cache"]) == 1
    serial, parsed_serially = capsys.readouterr(), parsed.pop("x")
    assert serial.out.count(": error: ") >= 10
    assert parsed_serially > model_pool.BUILD_IN_WORKERS_FROM
    monkeypatch.setattr(model_pool, "_can_fork", lambda: True)  # other tests may have left threads running
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    assert cli.main(["lint", "--no-cache"]) == 1
    assert capsys.readouterr() == serial
    assert parsed.pop("x") == model_pool.BUILD_IN_WORKERS_FROM - 1, "the rest were built in the workers"
    built = pipeline.build_in_workers([tmp_path / "specs"], load_config(tmp_path))
    assert built.compiled and not any("models_source" in vars(compiled) for compiled in built.compiled)
    parsed.clear()
    asked = Counter[str]()
    # A thread started between the pool's making and its first task: it must not fork then.
    monkeypatch.setattr(model_pool, "_can_fork", lambda: (asked.update(["x"]), asked["x"] == 1)[1])
    assert cli.main(["lint", "--no-cache"]) == 1
    assert capsys.readouterr() == serial
    assert parsed["x"] == parsed_serially, "every spec was built here"


def _count_rendered(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the toolsets whose files are rendered once the build is over (not ahead)."""
    rendered: list[str] = []
    original = render_module._render_toolset

    def counting(rendering: Any, compiled: Any) -> tuple[str, ...]:
        rendered.append(compiled.name)
        return original(rendering, compiled)

    monkeypatch.setattr(render_module, "_render_toolset", counting)
    return rendered


def test_a_worker_that_dies_costs_time_not_the_run(generated_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker killed while building a spec (out of memory, say): the parent builds it, and
    makes the models the workers could not; the bytes are the same."""
    expected = _snapshot(generated_copy / "generated")
    monkeypatch.setattr(model_pool, "_can_fork", lambda: True)  # other tests may have left threads running
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    monkeypatch.setattr(model_pool, "BUILD_IN_WORKERS_FROM", 1)
    monkeypatch.setattr(worker_processes, "_entry_in_worker", _die)  # forked: the workers see it too
    shutil.rmtree(generated_copy / "generated")
    assert cli.main(["generate", "--quiet", "--no-cache"]) == 0
    assert _snapshot(generated_copy / "generated") == expected


def _die(*_: object) -> NoReturn:
    os._exit(1)


def test_a_staged_file_is_moved_into_the_output_or_copied_across_file_systems(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """write_files renames a file rendered to the staging directory into place (no copy, nothing
    left to delete); where the rename is refused (the staging directory on another file system),
    it copies the bytes: the output is the same either way."""
    from pathlib import PurePosixPath

    from toolspec.output.files import write_files
    from toolspec.output.staged import StagedFiles

    moved, copied = PurePosixPath("pkg/moved.py"), PurePosixPath("pkg/copied.py")
    staged = StagedFiles()
    staged.put(moved, b"moved = 1\n")
    staged.put(copied, b"copied = 2\n")
    held = {path: staged.root / path for path in (moved, copied)}
    real_replace = os.replace

    def across_file_systems(source: str | Path, target: str | Path) -> None:
        if Path(source) == held[copied]:
            raise OSError(18, "Invalid cross-device link")
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", across_file_systems)
    output = tmp_path / "out"
    changes = write_files(staged, output)
    assert sorted(changes.added) == [copied, moved]
    assert (output / moved).read_bytes() == b"moved = 1\n"
    assert (output / copied).read_bytes() == b"copied = 2\n"
    assert not held[moved].exists(), "the staged file was copied, not moved"
    assert held[copied].exists()
    assert staged[moved] == b"moved = 1\n", "the moved file's bytes are read where it went"
    assert oct((output / moved).stat().st_mode & 0o777) == oct((output / copied).stat().st_mode & 0o777)
    assert not list(output.rglob("*.tmp"))
