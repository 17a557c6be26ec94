"""Names the user controls never break the generated code, and never depend on other tools.

Parameter names that clash with ToolArguments or pydantic get a Python name and an alias; a
package name that cannot be imported is a configuration error; the class of an object written
in place is named after its tool and path, so adding or reordering tools renames no class.
"""

from __future__ import annotations

import importlib
import json
import re
import subprocess
import sys
import typing
from pathlib import Path

import pytest
import yaml

from conftest import REPO, build_package, load, render, run_toolspec_here
from spec_factory import clashing_specs, parsed, random_specs
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
        result = run_toolspec_here(command, cwd=tmp_path)
        assert result.returncode == 2, result.stderr
        assert "Traceback" not in result.stderr
        assert "pyproject.toml" in result.stderr and repr(package) in result.stderr, result.stderr
    assert not (tmp_path / "generated").exists()


@pytest.mark.parametrize("package", ["match", "generated.type_", "my_tools.gen"])
def test_soft_keywords_and_dotted_names_are_fine(tmp_path: Path, package: str) -> None:
    (tmp_path / "pyproject.toml").write_text(f'[tool.toolspec]\npackage = "{package}"\n', "utf-8")
    (tmp_path / "specs").mkdir()
    (tmp_path / "specs" / "weather.yaml").write_text((REPO / "specs" / "weather.yaml").read_text("utf-8"), "utf-8")
    result = run_toolspec_here("generate", "--quiet", cwd=tmp_path)
    assert result.returncode == 0, result.stderr


def _tool(name: str, options_property: str = "format", bound: int = 0) -> dict[str, object]:
    return {
        "name": name,
        "description": f"The tool {name}.",
        "strict": False,  # for the map of limits
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
            },
            # Constrained values in place: datamodel-code-generator names their aliases after
            # the property alone (`Reminder`, `Code`), numbered in the order of the tools.
            "reminder": {
                "anyOf": [
                    {"type": "integer", "minimum": bound, "description": "Minutes before."},
                    {"type": "string", "format": "duration", "description": "A duration."},
                ],
                "description": "When.",
            },
            "codes": {
                "type": "array",
                "items": {"type": "string", "pattern": f"^[A-Z]{{{bound + 1}}}$"},
                "description": "Codes.",
            },
            "limits": {
                "type": "object",
                "additionalProperties": {"type": "integer", "maximum": bound + 10},
                "description": "Limits by name.",
            },
            # A nullable date is a union of a date and None, its constraint an alias of its own.
            "due": {"type": "string", "format": "date", "maxLength": bound + 10, "nullable": True, "description": "D."},
            "start": {"type": "string", "format": "date", "maxLength": bound + 10, "description": "No alias."},
        },
    }


def _classes(root: Path, tools: list[dict[str, object]]) -> dict[str, str]:
    """Class name -> the names of its fields, and type alias -> its type, for the models of a
    toolset of tools."""
    spec = yaml.safe_dump({"toolset": "reports", "tools": tools}, sort_keys=False)
    files = render(root, {"reports.yaml": spec}, package="pkg")
    source = next(content for path, content in files.items() if path.name == "models.py").decode("utf-8")
    classes = re.split(r"^class ", source, flags=re.MULTILINE)[1:]
    found = {block.split("(", 1)[0]: " ".join(re.findall(r"^    (\w+):", block, re.MULTILINE)) for block in classes}
    return found | dict(re.findall(r"^(\w+) = (.+)$", source, re.MULTILINE))


def test_adding_or_reordering_tools_renames_no_class(tmp_path: Path) -> None:
    alone = _classes(tmp_path / "a", [_tool("export_report")])
    assert alone["ExportReportOptions"] == "format rows"
    assert alone["ExportReportOptionsRowsItem"] == "cells"
    assert alone["ExportReportReminderVariant1"] == "Annotated[int, Field(ge=0)]"
    assert alone["ExportReportCodesItem"] == 'Annotated[str, Field(pattern="^[A-Z]{1}$")]'
    assert alone["ExportReportLimitsValue"] == "Annotated[int, Field(le=10)]"
    assert alone["ExportReportDue"] == "Annotated[JsonDate, JsonString(max_length=10)]"
    assert "ExportReportStart" not in alone
    added_above = _classes(tmp_path / "b", [_tool("make_report", "speed", 5), _tool("export_report")])
    reordered = _classes(tmp_path / "c", [_tool("export_report"), _tool("make_report", "speed", 5)])
    for classes in (added_above, reordered):
        assert {name: fields for name, fields in classes.items() if name.startswith("ExportReport")} == {
            name: fields for name, fields in alone.items() if name.startswith("ExportReport")
        }
        assert classes["MakeReportOptions"] == "speed rows"
        assert classes["MakeReportReminderVariant1"] == "Annotated[int, Field(ge=5)]"
        assert classes["MakeReportLimitsValue"] == "Annotated[int, Field(le=15)]"
    assert added_above == reordered
    assert not {name for name in added_above if re.search(r"\d$", name) and "Variant" not in name}, added_above


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


def _object(field: str) -> dict[str, object]:
    return {"type": "object", "description": "A type.", "properties": {field: {"type": "string", "description": "F."}}}


def _spec(types: dict[str, object], tools: list[dict[str, object]]) -> str:
    return yaml.safe_dump({"toolset": "names", "types": types, "tools": tools}, sort_keys=False)


def _uses(*types: str, name: str = "use", **extra: object) -> dict[str, object]:
    parameters = {f"p{number}": {"type": kind, "description": "P."} for number, kind in enumerate(types)}
    return {"name": name, "description": "Uses the types.", "parameters": parameters, **extra}


@pytest.mark.parametrize("with_any_parameter", [False, True])
def test_names_the_generated_module_imports_get_model_appended_whatever_else_is_there(
    tmp_path: Path, with_any_parameter: bool
) -> None:
    """A type `Field` or `Any`, a tool `tool`: named by themselves, not by whether models.py happens
    to import the name (datamodel-code-generator renamed a type `Any` only when an `any` value
    needed the import, and a tool `tool` got ToolArguments2, or 3 beside a type ToolArguments2)."""
    types = {name: _object("a") for name in ("Field", "Any", "StrictInt", "JsonDuration", "ToolArguments2", "money")}
    tools = [_uses(*types, name="tool", strict=False), {"name": "class", "description": "Kw.", "kind": "custom"}]
    if with_any_parameter:
        tools[0]["parameters"]["anything"] = {"type": "any", "description": "Any value."}  # type: ignore[index]
    package = build_package(tmp_path, {"names.yaml": _spec(types, tools)})
    module = importlib.import_module(f"{package.__name__}.names")
    models = importlib.import_module(f"{package.__name__}.names.models")
    expected = ["FieldModel", "AnyModel", "StrictIntModel", "JsonDurationModel", "ToolArguments2", "Money"]
    annotations = typing.get_type_hints(module.ToolArgumentsModel)
    assert [annotations[f"p{n}"].__name__ for n in range(6)] == expected
    assert {name for name in expected if isinstance(getattr(models, name), type)} == set(expected)
    assert module.ARGUMENT_MODELS == {"tool": module.ToolArgumentsModel}
    assert [binding.method for binding in module.NamesHandlers.TOOLS] == ["tool", "class_"]


CLASHES = {
    "a type Field is the class FieldModel": (
        {"Field": _object("a"), "FieldModel": _object("b")},
        [_uses("Field", "FieldModel")],
        "type 'FieldModel' would get the same Python name as type 'Field' (line 3): the class FieldModel "
        "(`Field` is a name models.py imports, so type 'Field' is the class FieldModel)",
    ),
    "a type class is the class Class": (
        {"class": _object("a"), "Class": _object("b")},
        [_uses("class", "Class")],
        "type 'Class' would get the same Python name as type 'class' (line 3): the class Class",
    ),
    "a tool tool is ToolArgumentsModel": (
        {"ToolArgumentsModel": _object("a")},
        [_uses("ToolArgumentsModel", name="tool")],
        "tool 'tool' would get the same Python name as type 'ToolArgumentsModel' (line 3): the argument model "
        "ToolArgumentsModel (`ToolArguments` is a name models.py imports, so tool 'tool' is the argument model "
        "ToolArgumentsModel); rename the type",
    ),
    "a type takes a tool's argument model": (
        {"GetItemArguments": _object("a")},
        [_uses("GetItemArguments", name="get_item")],
        "tool 'get_item' would get the same Python name as type 'GetItemArguments' (line 3): the argument model "
        "GetItemArguments; rename the type",
    ),
    "tools that differ in - or _": (
        {},
        [_uses(name="get_item"), _uses(name="get-item")],
        "tool 'get-item' would get the same Python names as tool 'get_item' (line 4): the argument model "
        "GetItemArguments, the handler method get_item and the constant GET_ITEM_PARAMETERS of tools.py; "
        "rename one of the tools",
    ),
    "a keyword tool's method": (
        {},
        [{"name": name, "description": "Kw.", "kind": "custom"} for name in ("class", "class_")],
        "tool 'class_' would get the same Python name as tool 'class' (line 4): the handler method class_; "
        "rename one of the tools",
    ),
}


@pytest.mark.parametrize(("types", "tools", "message"), CLASHES.values(), ids=CLASHES.keys())
def test_two_names_that_would_be_one_python_name_are_an_error_not_a_number(
    tmp_path: Path, types: dict[str, object], tools: list[dict[str, object]], message: str
) -> None:
    """Numbering one of them would make its name depend on the order of the spec: removing the
    first would silently give its name to the second."""
    root = tmp_path / "project"
    root.mkdir()
    (root / "pyproject.toml").write_text("[tool.toolspec]\n", "utf-8")
    (root / "specs").mkdir()
    (root / "specs" / "names.yaml").write_text(_spec(types, tools) if types else _spec({}, tools), "utf-8")
    result = run_toolspec_here("lint", "--format", "json", cwd=root)
    assert result.returncode == 1, result.stdout + result.stderr
    findings = [finding for finding in json.loads(result.stdout) if finding["code"] == "TS309"]
    assert len(findings) == 1 and message in findings[0]["message"], findings
    assert run_toolspec_here("generate", "-q", cwd=root).returncode == 1
    assert not (root / "generated").exists()


@pytest.mark.parametrize(("spec", "clash"), clashing_specs(40).values(), ids=clashing_specs(40).keys())
def test_random_toolsets_with_a_clashing_tool_or_type_are_refused(tmp_path: Path, spec: str, clash: str) -> None:
    built = load(tmp_path, {"clashing.yaml": spec})
    found = [d for d in built.diagnostics if d.code == "TS309"]
    assert len(found) == 1, [(d.code, d.message) for d in built.diagnostics]
    assert found[0].message.startswith((f"tool {clash!r} ", f"type {clash!r} ")), found[0].message
    assert built.has_errors


def test_random_specs_draw_names_that_collide_with_python_names() -> None:
    specs = [parsed(text) for text in random_specs(200).values()]
    tools = {tool["name"] for spec in specs for tool in spec["tools"]}
    types = {name for spec in specs for name in spec.get("types", {})}
    assert {"tool", "class", "abstractmethod", "import"} <= tools, tools
    assert {"Field", "Any", "ToolArguments", "class", "money"} <= types, types


def _field_spec() -> str:
    from datamodel_code_generator.model.field_name import PYDANTIC_BASE_MODEL_ATTRIBUTES

    plain = sorted(name for name in PYDANTIC_BASE_MODEL_ATTRIBUTES if re.fullmatch(r"[A-Za-z]\w*", name))
    odd = ["first-name", "Content-Type", "class", "from", "_id", "__init__", "1abc", "größe", "a b", "x.y", "ÄÖ-x"]
    odd += ["null_defaults", "null_defaults_", "#fragment", "model_x", "plain"]
    properties = {name: {"type": "string", "description": "A field."} for name in [*plain, *odd]}
    tool = {"name": "fields", "description": "Every kind of name.", "effect": "read", "parameters": properties}
    return yaml.safe_dump({"toolset": "fields", "tools": [tool]}, allow_unicode=True, sort_keys=False)


def test_the_field_names_lint_predicts_are_the_ones_the_models_get(tmp_path: Path) -> None:
    """TS309 judges two properties to be one field by field_names.field_name: it must be the name
    datamodel-code-generator gives, for names BaseModel has, keywords, names that are no
    identifiers, and the names ToolArguments adds."""
    from toolspec.compile.field_names import field_name
    from toolspec.spec import ir

    built = load(tmp_path / "lint", {"fields.yaml": _field_spec()})
    assert not built.has_errors, [d.message for d in built.diagnostics if d.severity.value == "error"]
    [tool] = built.toolsets[0].toolset.tools
    assert isinstance(tool, ir.FunctionTool)
    siblings = [prop.name for prop in tool.parameters.properties]
    predicted = {prop.name: field_name(prop, siblings) for prop in tool.parameters.properties}
    package = build_package(tmp_path / "package", {"fields.yaml": _field_spec()})
    model = importlib.import_module(f"{package.__name__}.fields").ARGUMENT_MODELS["fields"]
    actual = {field.alias or name: name for name, field in model.model_fields.items()}
    assert actual == predicted


PYTHON_NAMES_SPEC = """\
toolset: bmi
tools:
  - name: calculate_bmi
    description: Body mass index, in metric units.
    effect: read
    parameters:
      weight-kg: {type: number, description: Weight., python_name: weight}
      weight_kg: {type: number, description: Weight again.}
      options:
        type: object
        description: Options.
        properties:
          round-to: {type: integer, description: Digits., python_name: digits, optional: true, default: 1}
  - name: calculate_BMI
    description: Body mass index, in imperial units.
    effect: read
    python_name: calculate_bmi_imperial
    parameters:
      weight: {type: number, description: Pounds.}
"""


def test_python_name_names_the_method_the_classes_the_constant_and_the_fields(tmp_path: Path) -> None:
    package = build_package(tmp_path, {"bmi.yaml": PYTHON_NAMES_SPEC})
    bmi = importlib.import_module(f"{package.__name__}.bmi")
    assert {binding.name: binding.method for binding in bmi.BmiHandlers.TOOLS} == {
        "calculate_bmi": "calculate_bmi",
        "calculate_BMI": "calculate_bmi_imperial",
    }
    models = importlib.import_module(f"{package.__name__}.bmi.models")
    assert bmi.ARGUMENT_MODELS["calculate_BMI"] is models.CalculateBmiImperialArguments
    tools = importlib.import_module(f"{package.__name__}.bmi.tools")
    assert hasattr(tools, "CALCULATE_BMI_PARAMETERS") and hasattr(tools, "CALCULATE_BMI_IMPERIAL_PARAMETERS")
    arguments = models.CalculateBmiArguments.model_validate_json(
        '{"weight-kg": 70, "weight_kg": 71, "options": {"round-to": null}}'
    )
    assert (arguments.weight, arguments.weight_kg, arguments.options.digits) == (70, 71, 1)
    assert arguments.model_dump(by_alias=True)["weight-kg"] == 70, "the model still writes the spec's names"
    definition = next(tool for tool in bmi.RESPONSES_TOOLS if tool["name"] == "calculate_bmi")
    assert "python_name" not in json.dumps(definition), "python_name is not sent to the API"
