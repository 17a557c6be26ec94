"""Names the user controls never break the generated code, and never depend on other tools.

Parameter names that clash with ToolArguments or pydantic get a Python name and an alias; a
package name that cannot be imported is a configuration error; the class of an object written
in place is named after its tool and path, so adding or reordering tools renames no class.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import REPO, render, run_toolspec
from toolspec.output.files import write_files

CLASHING = [
    "null_defaults_", "null_defaults", "null_defaults__", "model_dump", "model_dump_json", "model_validate",
    "model_config", "model_fields", "model_x", "schema", "json", "copy", "validate", "dict", "construct", "fields",
]  # fmt: skip


def _parameters() -> dict[str, object]:
    return {name: {"type": "string", "description": f"The {name}."} for name in CLASHING}


CLASHING_SPEC = yaml.safe_dump(
    {
        "toolset": "clashing",
        "types": {"Inner": {"type": "object", "description": "A type.", "properties": _parameters()}},
        "tools": [
            {
                "name": "clash",
                "description": "Every name that clashes.",
                "parameters": {
                    **_parameters(),
                    "inner": {"type": "Inner", "description": "The type."},
                    "nested": {"type": "object", "description": "In place.", "properties": _parameters()},
                },
            }
        ],
    },
    sort_keys=False,
)


@pytest.fixture(scope="module")
def clashing_package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("clashing")
    write_files(render(root, {"clashing.yaml": CLASHING_SPEC}, package="clashpkg"), root / "clashpkg")
    return root


def test_clashing_names_import_under_warnings_as_errors(clashing_package: Path) -> None:
    values = {name: name.upper() for name in CLASHING}
    arguments = {**values, "inner": values, "nested": values}
    script = (
        "import json, sys\n"
        "from clashpkg.clashing import ClashArguments\n"
        f"args = ClashArguments.model_validate_json({repr(__import__('json').dumps(arguments))})\n"
        "assert args.model_dump(by_alias=True) == json.loads(sys.argv[1]), args\n"
        "assert isinstance(ClashArguments.null_defaults, dict)\n"
        "assert args.null_defaults___ == 'NULL_DEFAULTS' and args.nested.null_defaults___ == 'NULL_DEFAULTS'\n"
    )
    result = subprocess.run(
        [sys.executable, "-W", "error", "-c", script, __import__("json").dumps(arguments)],
        cwd=clashing_package,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


def test_clashing_names_pass_mypy_strict(clashing_package: Path) -> None:
    mypy = [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(REPO / ".mypy_cache"), "clashpkg"]
    result = subprocess.run(mypy, cwd=clashing_package, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-5000:]


@pytest.mark.parametrize("package", ["class", "generated.class", "json", "pydantic.models", "typing", "ünï"])
def test_a_package_name_that_cannot_work_is_a_configuration_error(tmp_path: Path, package: str) -> None:
    (tmp_path / "pyproject.toml").write_text(f'[tool.toolspec]\npackage = "{package}"\n', "utf-8")
    (tmp_path / "specs").mkdir()
    (tmp_path / "specs" / "weather.yaml").write_text((REPO / "specs" / "weather.yaml").read_text("utf-8"), "utf-8")
    for command in ("generate", "check", "lint"):
        result = run_toolspec(command, cwd=tmp_path)
        assert result.returncode == 2, result.stderr
        assert "Traceback" not in result.stderr
        assert "pyproject.toml" in result.stderr and repr(package) in result.stderr, result.stderr
    assert not (tmp_path / "generated").exists()


@pytest.mark.parametrize("package", ["match", "generated.type_", "my_tools.gen"])
def test_soft_keywords_and_dotted_names_are_fine(tmp_path: Path, package: str) -> None:
    (tmp_path / "pyproject.toml").write_text(f'[tool.toolspec]\npackage = "{package}"\n', "utf-8")
    (tmp_path / "specs").mkdir()
    (tmp_path / "specs" / "weather.yaml").write_text((REPO / "specs" / "weather.yaml").read_text("utf-8"), "utf-8")
    result = run_toolspec("generate", "--quiet", cwd=tmp_path)
    assert result.returncode == 0, result.stderr


def _tool(name: str, options_property: str = "format") -> dict[str, object]:
    return {
        "name": name,
        "description": f"The tool {name}.",
        "parameters": {
            "options": {
                "type": "object",
                "description": "Options.",
                "properties": {
                    options_property: {"type": "string", "description": "A value."},
                    "rows": {
                        "type": "array",
                        "description": "Rows.",
                        "items": {
                            "type": "object",
                            "properties": {"cells": {"type": "integer", "description": "Cells."}},
                        },
                    },
                },
            }
        },
    }


def _classes(root: Path, tools: list[dict[str, object]]) -> dict[str, str]:
    """Class name -> the names of its fields, for the models of a toolset of tools."""
    spec = yaml.safe_dump({"toolset": "reports", "tools": tools}, sort_keys=False)
    files = render(root, {"reports.yaml": spec}, package="pkg")
    source = next(content for path, content in files.items() if path.name == "models.py").decode("utf-8")
    classes = re.split(r"^class ", source, flags=re.MULTILINE)[1:]
    return {block.split("(", 1)[0]: " ".join(re.findall(r"^    (\w+):", block, re.MULTILINE)) for block in classes}


def test_adding_or_reordering_tools_renames_no_class(tmp_path: Path) -> None:
    alone = _classes(tmp_path / "a", [_tool("export_report")])
    assert alone["ExportReportOptions"] == "format rows"
    assert alone["ExportReportOptionsRowsItem"] == "cells"
    added_above = _classes(tmp_path / "b", [_tool("make_report", "speed"), _tool("export_report")])
    reordered = _classes(tmp_path / "c", [_tool("export_report"), _tool("make_report", "speed")])
    for classes in (added_above, reordered):
        assert {name: fields for name, fields in classes.items() if name.startswith("ExportReport")} == {
            name: fields for name, fields in alone.items() if name.startswith("ExportReport")
        }
        assert classes["MakeReportOptions"] == "speed rows"
    assert added_above == reordered


def test_named_types_keep_their_names(tmp_path: Path) -> None:
    spec = yaml.safe_dump(
        {
            "toolset": "reports",
            "types": {
                "Options": {
                    "type": "object",
                    "description": "Shared.",
                    "properties": {
                        "page": {
                            "type": "object",
                            "description": "Page.",
                            "properties": {"size": {"type": "integer", "description": "Size."}},
                        }
                    },
                }
            },
            "tools": [
                _tool("export_report"),
                {"name": "t", "description": "T.", "parameters": {"o": {"type": "Options", "description": "O."}}},
            ],
        },
        sort_keys=False,
    )
    files = render(tmp_path, {"reports.yaml": spec}, package="pkg")
    source = next(content for path, content in files.items() if path.name == "models.py").decode("utf-8")
    for name in ("Options", "OptionsPage", "ExportReportOptions", "TArguments"):
        assert re.search(rf"^class {name}\(", source, re.MULTILINE), name
