"""The generated code is black's style though ruff formats it: black leaves every file unchanged.

ruff's formatter is what runs (in one process for a whole package); black is the style the
output promises. These tests run black on every Python file generated from the property-test
corpus (random specs with awkward names and strings), from the example specs and from the
benchmark's realistic corpus, and require black to change nothing.
"""

from __future__ import annotations

import sys
from pathlib import Path

import black
import pytest
from black.mode import TargetVersion

from conftest import (
    RANDOM_CORPUS_CHUNKS,
    REPO,
    project_config,
    random_corpus,
    random_corpus_group,
    write_specs,
)
from toolspec import pipeline
from toolspec.output.staged import Rendered, RenderedFiles

EXAMPLES = {path.name: path.read_text("utf-8") for path in sorted((REPO / "specs").glob("*.yaml"))}


def _rendered(root: Path, specs: dict[str, str]) -> Rendered:
    write_specs(root, specs)
    if (REPO / "specs" / "grammars").is_dir():
        (root / "specs" / "grammars").mkdir(exist_ok=True)
        for grammar in (REPO / "specs" / "grammars").iterdir():
            (root / "specs" / "grammars" / grammar.name).write_bytes(grammar.read_bytes())
    config = project_config(root, package="formatted")
    built = pipeline.build([config.specs], config)
    assert not built.has_errors, built.diagnostics
    rendered = pipeline.render(built, config)
    assert isinstance(rendered, Rendered), rendered
    return rendered


def _changed_by_black(files: RenderedFiles) -> list[str]:
    mode = black.Mode(target_versions={TargetVersion.PY311})
    python = {path: content.decode("utf-8") for path, content in files.items() if path.suffix == ".py"}
    assert python
    return [str(path) for path, text in sorted(python.items()) if black.format_str(text, mode=mode) != text]


@pytest.mark.parametrize(
    "chunk", [pytest.param(chunk, marks=random_corpus_group(chunk)) for chunk in range(RANDOM_CORPUS_CHUNKS)]
)
def test_black_leaves_the_random_corpus_unchanged(tmp_path_factory: pytest.TempPathFactory, chunk: int) -> None:
    """The chunk's package as the property tests (test_fidelity) generate it, in the same group."""
    assert _changed_by_black(random_corpus(chunk, tmp_path_factory).files) == []


def test_black_leaves_the_examples_and_the_benchmark_corpus_unchanged(tmp_path: Path) -> None:
    sys.path.insert(0, str(REPO / "bench"))
    try:
        import corpus
    finally:
        sys.path.remove(str(REPO / "bench"))
    corpus.write_project(tmp_path / "bench", 60, seed=3)
    bench_specs = {path.name: path.read_text("utf-8") for path in sorted((tmp_path / "bench" / "specs").glob("*.yaml"))}
    assert _changed_by_black(_rendered(tmp_path / "project", {**EXAMPLES, **bench_specs}).files) == []
