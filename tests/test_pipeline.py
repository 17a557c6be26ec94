"""The pipeline's contracts: each toolset is compiled once per run, a new API shape is one
module and one registry entry, scaffolds belong to the user once written, and rule options
come from the configuration."""

from __future__ import annotations

import importlib
import json
import shutil
import sys
from collections import Counter
from pathlib import Path, PurePosixPath
from typing import Any

import pytest

import toy_shape
from conftest import REPO, project_config, write_specs
from toolspec import cli, pipeline
from toolspec.compile import toolset as compile_module
from toolspec.compile.shapes import SHAPES, shape_from_module
from toolspec.output import render as render_module
from toolspec.output.artefacts import Ownership, Template
from toolspec.output.drift import find_drift
from toolspec.output.files import write_files, write_scaffolds
from toolspec.output.staged import Rendered
from toolspec.project import load
from toolspec.project.config import ConfigError, load_config
from toolspec.speed import model_pool

WEATHER = (REPO / "specs" / "weather.yaml").read_text("utf-8")
CODE = (REPO / "specs" / "code.yaml").read_text("utf-8")
GRAMMAR = (REPO / "specs" / "grammars" / "math_exp.lark").read_text("utf-8")


def test_check_compiles_each_toolset_once(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Once with --no-cache; not at all when the manifest's record proves the output current."""
    shutil.copytree(REPO / "specs", tmp_path / "specs")
    (tmp_path / "pyproject.toml").write_text(
        '[tool.toolspec]\nspecs = "specs"\noutput = "generated"\npackage = "generated"\n', "utf-8"
    )
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(model_pool, "PARALLEL_FROM", 10**6)  # counted here, not in worker processes
    assert cli.main(["generate", "--quiet"]) == 0
    compiled: Counter[str] = Counter()
    schemas: Counter[str] = Counter()
    models: Counter[str] = Counter()

    def counting(counter: Counter[str], function: Any, name: Any) -> Any:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            counter[name(*args)] += 1
            return function(*args, **kwargs)

        return wrapper

    compile_of = compile_module.compile_toolset  # load.py imports it when it compiles
    monkeypatch.setattr(compile_module, "compile_toolset", counting(compiled, compile_of, lambda t: t.name))
    schema_of = compile_module.parameters_schema
    # Once per function tool and form: the strict schema, and the plain one (MCP's) where it differs.
    strictness = counting(schemas, schema_of, lambda tool, _: (tool.name, tool.strict))
    monkeypatch.setattr(compile_module, "parameters_schema", strictness)
    models_of = compile_module.argument_models_source
    monkeypatch.setattr(compile_module, "argument_models_source", counting(models, models_of, lambda t, *_: t.name))
    assert cli.main(["check"]) == 0
    assert not (compiled or schemas or models), "the record proves the output current: nothing is compiled"
    assert cli.main(["check", "--no-cache"]) == 0
    specs = sorted(path.stem for path in (REPO / "specs").glob("*.yaml"))
    assert sorted(compiled) == specs and set(compiled.values()) == {1}
    assert sorted(models) == specs and set(models.values()) == {1}
    assert schemas and set(schemas.values()) == {1}, schemas


def _render(root: Path, specs: dict[str, str], **build: Any) -> Rendered:
    write_specs(root, specs)
    config = project_config(root, package="toypkg")
    built = pipeline.build([config.specs], config, **build)
    assert not built.has_errors, built.diagnostics
    rendered = pipeline.render(built, config)
    assert isinstance(rendered, Rendered)
    return rendered


def test_a_third_shape_is_one_module_and_a_registry_entry(tmp_path: Path) -> None:
    shapes = (*SHAPES, shape_from_module(toy_shape))
    specs = {"weather.yaml": WEATHER, "code.yaml": CODE, "grammars/math_exp.lark": GRAMMAR}
    rendered = _render(tmp_path, specs, shapes=shapes)
    write_files(rendered.files, tmp_path / "toypkg")
    toy = json.loads(rendered.files[PurePosixPath("weather/weather.toy.json")])
    assert [tool["toy_name"] for tool in toy] == ["get_weather", "get_horoscope"]
    assert toy[0]["toy_schema"]["required"] == ["location", "units"]
    code = json.loads(rendered.files[PurePosixPath("code/code.toy.json")])
    responses = json.loads(rendered.files[PurePosixPath("code/code.responses.json")])
    functions = [tool["name"] for tool in responses if tool["type"] == "function"]
    assert len(functions) < len(responses)  # code has custom tools, which a shape without them leaves out
    assert [tool["toy_name"] for tool in code] == functions
    sys.path.insert(0, str(tmp_path))
    try:
        weather = importlib.import_module("toypkg.weather")
        tools = importlib.import_module("toypkg.weather.tools")
    finally:
        sys.path.remove(str(tmp_path))
    assert weather.TOY_TOOLS == toy and "TOY_TOOLS" in weather.__all__
    assert len(weather.RESPONSES_TOOLS) == 2 and tools.GET_WEATHER_PARAMETERS is tools.TOY_TOOLS[0]["toy_schema"]


def test_scaffolds_are_written_once_and_then_left_to_the_user(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "starter.py.jinja").write_text('"""Start here: {{ toolsets | length }} toolsets."""\n', "utf-8")
    starter = Template("starter.py", "starter.py.jinja", Ownership.SCAFFOLD)
    monkeypatch.setattr(render_module, "PACKAGE_ARTEFACTS", (*render_module.PACKAGE_ARTEFACTS, starter))
    environment = render_module.template_environment  # the pipeline imports it when it renders
    monkeypatch.setattr(render_module, "template_environment", lambda _: environment(templates))
    root, output = tmp_path / "project", tmp_path / "project" / "toypkg"
    rendered = _render(root, {"weather.yaml": WEATHER})
    assert PurePosixPath("starter.py") in rendered.scaffolds and PurePosixPath("starter.py") not in rendered.files
    write_files(rendered.files, output)
    assert write_scaffolds(rendered.scaffolds, output) == [PurePosixPath("starter.py")]
    assert (output / "starter.py").read_text("utf-8") == '"""Start here: 1 toolsets."""\n'
    manifest = json.loads((output / "toolspec.manifest.json").read_text("utf-8"))
    assert "starter.py" not in manifest["files"]

    (output / "starter.py").write_text("# mine now\n", "utf-8")
    assert write_scaffolds(rendered.scaffolds, output) == []
    assert (output / "starter.py").read_text("utf-8") == "# mine now\n"
    drift = find_drift(rendered.files, output, "toypkg", scaffolds=set(rendered.scaffolds))
    assert drift.clean, drift
    assert not find_drift(rendered.files, output, "toypkg").clean  # without the registry it would be stray


def test_rule_options_come_from_the_configuration(tmp_path: Path) -> None:
    tools = "".join(f"  - {{name: tool_{n}, description: Tool {n}.}}\n" for n in range(3))
    write_specs(tmp_path, {"three.yaml": f"toolset: three\ntools:\n{tools}"})
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text("[tool.toolspec]\n", "utf-8")
    assert not pipeline.build([tmp_path / "specs"], load_config(tmp_path)).diagnostics
    pyproject.write_text("[tool.toolspec.options.many-tools]\nmax = 2\n", "utf-8")
    built = pipeline.build([tmp_path / "specs"], load_config(tmp_path))
    assert [(d.code, d.message) for d in built.diagnostics] == [
        ("TS304", "3 tools; OpenAI advises offering no more than about 2 at a time")
    ]


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ("[tool.toolspec.options.many-toolz]\nmax = 2\n", "no rule with options (did you mean `many-tools`?)"),
        ("[tool.toolspec.options.many-tools]\nmaximum = 2\n", "unknown option `maximum`; many-tools has `max`"),
        ("[tool.toolspec.options.many-tools]\nmax = -1\n", "max must be a whole number, 0 or more"),
        ("[tool.toolspec.options.many-tools]\nmax = true\n", "max must be a whole number, 0 or more"),
        ("[tool.toolspec]\noptions = 3\n", "[tool.toolspec.options] must be a table"),
    ],
)
def test_bad_rule_options_are_configuration_errors(tmp_path: Path, table: str, message: str) -> None:
    (tmp_path / "pyproject.toml").write_text(table, "utf-8")
    with pytest.raises(ConfigError, match="pyproject.toml") as error:
        load_config(tmp_path)
    assert message in str(error.value)


def test_the_ir_is_a_value(tmp_path: Path) -> None:
    first = _render_ir(tmp_path / "a")
    second = _render_ir(tmp_path / "b")
    assert first == second and first is not second
    with pytest.raises(AttributeError):
        first.name = "other"  # type: ignore[misc]


def _render_ir(root: Path) -> Any:
    write_specs(root, {"weather.yaml": WEATHER})
    (loaded,), _ = load.load([root / "specs" / "weather.yaml"])
    return loaded.toolset


def test_templates_are_compiled_once_into_the_cache_and_a_damaged_entry_is_compiled_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A later run loads each template compiled by an earlier one (jinja checks the source's
    checksum), an edited template is compiled again, and so is an entry that cannot be read."""
    import jinja2

    monkeypatch.setenv("TOOLSPEC_CACHE_DIR", str(tmp_path / "cache"))
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "hello.jinja").write_text("hello {{ name }}\n", "utf-8")
    compiled: list[str] = []
    compile_source = jinja2.Environment.compile

    def counted(self: jinja2.Environment, source: str, name: str | None = None, *args: Any, **kwargs: Any) -> Any:
        compiled.append(name or "")
        return compile_source(self, source, name, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "compile", counted)

    def render() -> str:
        return render_module.template_environment(templates).get_template("hello.jinja").render(name="you")

    assert render() == "hello you\n" and compiled == ["hello.jinja"]
    assert render() == "hello you\n" and compiled == ["hello.jinja"], "the second run compiled it again"
    (templates / "hello.jinja").write_text("bye {{ name }}\n", "utf-8")
    assert render() == "bye you\n" and len(compiled) == 2
    for entry in (tmp_path / "cache" / "templates").iterdir():  # jinja's header, then no checksum
        entry.write_bytes(jinja2.bccache.bc_magic + b"\x80 damaged")
    assert render() == "bye you\n" and len(compiled) == 3
