"""A toolset's files rendered ahead, while the build still waits for others, are the files
rendered at the end; whatever cannot be rendered ahead is left to the end, which reports it as
a run without rendering ahead would."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

import jinja2
import pytest

from conftest import REPO, project_config, write_specs
from toolspec import pipeline
from toolspec.compile import toolset as compile_module
from toolspec.compile.toolset import CompiledToolset, made_for_rendering
from toolspec.output.render import PackageRendering, PathClash, RecordInputs
from toolspec.output.staged import Rendered

WEATHER = (REPO / "specs" / "weather.yaml").read_text("utf-8")


def _built(root: Path, specs: dict[str, str]) -> tuple[pipeline.Build, list[CompiledToolset]]:
    write_specs(root, specs)
    built = pipeline.build([root / "specs"], project_config(root))
    assert not built.has_errors, built.diagnostics
    return built, list(built.toolsets.compiled())


def _finish(rendering: PackageRendering, built: pipeline.Build, compiled: list[CompiledToolset]) -> Rendered:
    """rendering finished as the pipeline finishes it: the toolsets rendered ahead as outlines."""
    store = built.toolsets
    members = store.members_in_name_order(outlined=rendering.rendered_ahead)
    return rendering.finish(members, specs_dir="specs", record=RecordInputs("build", built.inputs))


def _files(rendered: Rendered) -> dict[PurePosixPath, bytes]:
    return {path: rendered.files[path] for path in rendered.files}


def test_files_rendered_ahead_are_the_files_rendered_at_the_end(tmp_path: Path) -> None:
    built, compiled = _built(tmp_path, {"weather.yaml": WEATHER, "other.yaml": WEATHER.replace("weather", "other")})
    at_the_end = _files(_finish(PackageRendering(None), built, compiled))
    ahead = PackageRendering(None)
    for toolset in compiled:
        made_for_rendering(toolset)  # as a worker makes them, beside the toolset it built
        ahead.ahead(toolset)
    assert sorted(ahead.rendered_ahead) == ["other", "weather"]
    assert _files(_finish(ahead, built, compiled)) == at_the_end


def test_a_toolset_whose_models_are_not_made_is_left_to_the_end(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rendering ahead never makes models in the parent: the workers of the run's pool do."""
    _, compiled = _built(tmp_path, {"weather.yaml": WEATHER})
    made: list[str] = []
    monkeypatch.setattr(compile_module, "argument_models_source", lambda toolset, *_, **__: made.append(toolset.name))
    rendering = PackageRendering(None)
    rendering.ahead(compiled[0])
    assert not rendering.rendered_ahead and not made


def test_a_template_that_fails_is_reported_at_the_end(tmp_path: Path) -> None:
    built, compiled = _built(tmp_path / "project", {"weather.yaml": WEATHER})
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "handlers.py.jinja").write_text("{{ no_such_value }}\n", "utf-8")
    rendering = PackageRendering(templates)
    made_for_rendering(compiled[0])
    rendering.ahead(compiled[0])
    assert not rendering.rendered_ahead
    with pytest.raises(jinja2.UndefinedError, match="no_such_value"):
        _finish(rendering, built, compiled)


def test_a_toolset_whose_file_clashes_is_reported_at_the_end(tmp_path: Path) -> None:
    built, compiled = _built(tmp_path, {"index.yaml": "toolset: index\ntools: []\n"})
    rendering = PackageRendering(None)
    made_for_rendering(compiled[0])
    rendering.ahead(compiled[0])
    assert not rendering.rendered_ahead
    with pytest.raises(PathClash, match="toolset 'index' would write docs/index.md"):
        _finish(rendering, built, compiled)
