"""`toolspec import` on real definitions: every tool of ../shared/corpora/bfcl-multi-turn (162
Chat Completions tools written by other people, non-strict, with defaults) imports, lints
without errors, generates, passes the compile step's fidelity test, and its generated model
accepts what its original schema accepted.
"""

from __future__ import annotations

import importlib
import json
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from conftest import build_package, load
from import_fidelity import check_original_accepted
from test_fidelity import _check_tool
from toolspec.importing import Imported, import_sources

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpora" / "bfcl-multi-turn"
FILES = sorted(CORPUS.glob("*.json"))
pytestmark = pytest.mark.skipif(not FILES, reason=f"the bfcl-multi-turn corpus is not at {CORPUS}")
SOURCES: dict[str, list[dict[str, Any]]] = {path.stem: json.loads(path.read_text("utf-8")) for path in FILES}
TOOLS = [(toolset, index) for toolset, tools in SOURCES.items() for index in range(len(tools))]


@pytest.fixture(scope="module")
def imported() -> dict[str, Imported]:
    return {path.stem: import_sources([str(path)]) for path in FILES}


@pytest.fixture(scope="module")
def package(imported: dict[str, Imported], tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    specs = {f"{name}.yaml": result.text for name, result in imported.items()}
    return build_package(tmp_path_factory.mktemp("bfcl"), specs)


def test_the_corpus_is_all_there() -> None:
    assert len(TOOLS) == 162


def test_every_tool_imports_and_lints_without_errors(imported: dict[str, Imported], tmp_path: Path) -> None:
    built = load(tmp_path, {f"{name}.yaml": result.text for name, result in imported.items()})
    errors = [
        f"{d.path}:{d.position.line}: {d.code} {d.message}" for d in built.diagnostics if d.severity.value == "error"
    ]
    assert not errors, "\n".join(errors)
    assert sum(len(context.toolset.tools) for context in built.toolsets) == 162
    reports = [tool for result in imported.values() for tool in result.report.tools]
    assert all(tool.strict for tool in reports), "the corpus has no free-form object: every tool can be strict"
    assert sum(change.kind == "optional" for tool in reports for change in tool.changes) == 33


def test_every_tool_keeps_its_name_description_and_parameters(imported: dict[str, Imported]) -> None:
    for toolset, tools in SOURCES.items():
        spec_tools = imported[toolset].spec["tools"]
        assert [tool["name"] for tool in spec_tools] == [tool["function"]["name"] for tool in tools]
        for spec_tool, tool in zip(spec_tools, tools, strict=True):
            function = tool["function"]
            assert spec_tool["description"] == function["description"]
            properties = function["parameters"]["properties"]
            assert list(spec_tool.get("parameters", {})) == list(properties)
            for name, parameter in spec_tool.get("parameters", {}).items():
                original = properties[name]
                assert parameter["type"] == original["type"], (function["name"], name)
                assert parameter.get("description") == original.get("description")
                assert parameter.get("enum") == original.get("enum")
                # A default of "None" is Python's None written as text: the argument has no default.
                expected = None if original.get("default") == "None" else original.get("default")
                assert parameter.get("default") == expected
                assert parameter.get("optional", False) == (name not in function["parameters"]["required"])


@pytest.mark.parametrize(("toolset", "index"), TOOLS, ids=[f"{t}.{i}" for t, i in TOOLS])
def test_the_model_accepts_what_the_original_accepted(
    package: ModuleType, imported: dict[str, Imported], toolset: str, index: int
) -> None:
    module = importlib.import_module(f"{package.__name__}.{toolset}")
    definition = module.RESPONSES_TOOLS[index]
    specs = {f"{name}.yaml": result.text for name, result in imported.items()}
    _check_tool(package, specs, toolset, definition["name"], examples=4)  # the compile step's fidelity
    original = SOURCES[toolset][index]["function"]["parameters"]
    check_original_accepted(original, definition["parameters"], module.ARGUMENT_MODELS[definition["name"]], examples=8)
