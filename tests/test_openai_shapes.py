"""The generated tool lists have the shapes of the openai SDK's own TypedDicts.

Checked twice: at run time, every tool validates against the SDK's TypedDict and holds no
key the TypedDict lacks; and statically, mypy --strict accepts the generated constants (typed
with the SDK's unions) and rejects a tool of the wrong shape, so the check has teeth.
"""

from __future__ import annotations

import importlib
import shutil
import subprocess
import sys
import typing
from pathlib import Path
from typing import Any

import pydantic
import pytest
from openai.types.chat import ChatCompletionCustomToolParam, ChatCompletionFunctionToolParam
from openai.types.responses import CustomToolParam, FunctionToolParam

from conftest import REPO

TOOLSETS = sorted(p.name for p in (REPO / "generated").iterdir() if (p / "tools.py").is_file())


def _required_keys(cls: type) -> set[str]:
    hints = typing.get_type_hints(cls, include_extras=True)
    return {
        key
        for key, hint in hints.items()
        if typing.get_origin(hint) is typing.Required
        or (getattr(cls, "__total__", True) and typing.get_origin(hint) is not typing.NotRequired)
    }


def _check(value: dict[str, Any], cls: type) -> None:
    pydantic.TypeAdapter(cls).validate_python(value, strict=True)
    hints = typing.get_type_hints(cls, include_extras=True)
    assert set(value) <= set(hints), f"keys the SDK does not know: {set(value) - set(hints)}"
    assert _required_keys(cls) <= set(value)


@pytest.mark.parametrize("toolset", TOOLSETS)
def test_tools_validate_against_the_sdk_typeddicts(toolset: str) -> None:
    module = importlib.import_module(f"generated.{toolset}")
    for tool in module.RESPONSES_TOOLS:
        _check(tool, FunctionToolParam if tool["type"] == "function" else CustomToolParam)
    for tool in module.CHAT_COMPLETIONS_TOOLS:
        _check(tool, ChatCompletionFunctionToolParam if tool["type"] == "function" else ChatCompletionCustomToolParam)


def test_both_shapes_say_strict_for_every_function_tool() -> None:
    for toolset in TOOLSETS:
        module = importlib.import_module(f"generated.{toolset}")
        for tool in module.RESPONSES_TOOLS:
            if tool["type"] == "function":
                assert isinstance(tool["strict"], bool)
        for tool in module.CHAT_COMPLETIONS_TOOLS:
            if tool["type"] == "function":
                assert isinstance(tool["function"]["strict"], bool)


def test_custom_tool_grammars_have_each_api_shape() -> None:
    code = importlib.import_module("generated.code")
    responses = {t["name"]: t for t in code.RESPONSES_TOOLS}
    chat = {t["custom"]["name"]: t["custom"] for t in code.CHAT_COMPLETIONS_TOOLS}
    assert responses["code_exec"]["format"] == {"type": "text"}
    assert responses["math_exp"]["format"]["type"] == "grammar" and responses["math_exp"]["format"]["syntax"] == "lark"
    assert chat["math_exp"]["format"]["grammar"]["syntax"] == "lark"
    assert chat["timestamp"]["format"] == {
        "type": "grammar",
        "grammar": {"syntax": "regex", "definition": responses["timestamp"]["format"]["definition"]},
    }
    grammar_file = (REPO / "specs" / "grammars" / "math_exp.lark").read_text("utf-8")
    assert responses["math_exp"]["format"]["definition"] == grammar_file


@pytest.mark.skipif(
    shutil.which("mypy") is None and not (Path(sys.executable).parent / "mypy").exists(), reason="mypy is not installed"
)
def test_mypy_checks_the_constants_against_the_sdk(tmp_path: Path) -> None:
    package = tmp_path / "generated"
    shutil.copytree(REPO / "generated", package, ignore=shutil.ignore_patterns("__pycache__"))
    tools = package / "weather" / "tools.py"
    # The repository's mypy cache (make test fills it) spares re-reading the SDK's stubs.
    mypy = [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(REPO / ".mypy_cache"), "generated"]
    clean = subprocess.run(mypy, cwd=tmp_path, capture_output=True, text=True)
    assert clean.returncode == 0, clean.stdout
    broken = tools.read_text("utf-8").replace('"strict": True,', '"strict": "yes",', 1)
    tools.write_text(broken, "utf-8")
    caught = subprocess.run(mypy, cwd=tmp_path, capture_output=True, text=True)
    assert caught.returncode == 1 and "tools.py" in caught.stdout, caught.stdout


def test_mypy_strict_accepts_packages_generated_from_random_specs(tmp_path: Path) -> None:
    """Awkward names and strings, unions, recursion: the generated code still type-checks."""
    from conftest import render
    from spec_factory import random_specs
    from toolspec.output.files import write_files

    specs = dict(list(random_specs(200).items())[::5])  # 40 of the specs the fidelity tests use
    write_files(render(tmp_path, specs, package="randompkg"), tmp_path / "randompkg")
    mypy = [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(REPO / ".mypy_cache"), "randompkg"]
    result = subprocess.run(mypy, cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-5000:]
