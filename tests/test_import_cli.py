"""`toolspec import` and `toolspec export` on the command line: where things go, what is never
overwritten, and the exit statuses (0 written, 1 lint errors in what was written, 2 bad input or
arguments: nothing written)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

import toy_shape
from conftest import REPO, parse_text_findings, run_toolspec
from toolspec.cli import main
from toolspec.compile import shapes

TOOLS = [
    {
        "type": "function",
        "function": {
            "name": "create_invoice",
            "description": "Create an invoice.",
            "parameters": {
                "type": "object",
                "properties": {
                    "customer": {"type": "string", "description": "The customer's ID."},
                    "amount": {"type": "float", "description": "The amount."},
                    "note": {"type": "string", "description": "A note.", "default": ""},
                },
                "required": ["customer", "amount"],
            },
        },
    }
]


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def test_the_documented_form_writes_the_spec_and_never_overwrites_it(tmp_path: Path) -> None:
    (tmp_path / "tools.json").write_text(json.dumps(TOOLS), "utf-8")
    command = ("import", "tools.json", "--toolset", "billing", "-o", "specs/billing.yaml")
    first = run_toolspec(*command, cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert first.stdout == ""
    assert "tools.json#/0 (chat_completions) create_invoice: strict" in first.stderr
    assert "type 'float' is no JSON Schema type: read as number" in first.stderr
    spec = tmp_path / "specs" / "billing.yaml"
    written = spec.read_text("utf-8")
    assert "toolset: billing" in written
    second = run_toolspec(*command, cwd=tmp_path)
    assert second.returncode == 2
    assert second.stderr.startswith("toolspec: error: specs/billing.yaml exists")
    assert spec.read_text("utf-8") == written
    forced = run_toolspec(*command, "--force", cwd=tmp_path)
    assert forced.returncode == 0 and spec.read_text("utf-8") == written
    assert run_toolspec("lint", "specs", cwd=tmp_path).returncode == 0


def test_without_output_the_spec_goes_to_stdout_and_the_report_to_stderr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("tools.json").write_text(json.dumps(TOOLS), "utf-8")
    status, out, err = _run(capsys, "import", "tools.json")
    assert status == 0
    assert out.startswith("# Imported by `toolspec import` from tools.json") and "toolset: tools\n" in out
    assert "Imported 1 tool into toolset tools (stdout)" in err


def test_the_report_as_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("tools.json").write_text(json.dumps(TOOLS), "utf-8")
    status, _, err = _run(capsys, "import", "tools.json", "-o", "out.yaml", "--format", "json")
    assert status == 0
    report = json.loads(err)
    assert report["toolset"] == "tools" and report["output"] == "out.yaml"
    [tool] = report["tools"]
    assert (tool["source"], tool["shape"], tool["name"], tool["strict"]) == (
        "tools.json#/0",
        "chat_completions",
        "create_invoice",
        True,
    )
    kinds = {(change["kind"], change["at"]) for change in tool["changes"]}
    assert ("optional", "/function/parameters/properties/note") in kinds
    assert ("type", "/function/parameters/properties/amount/type") in kinds
    assert report["notes"] and report["findings"] == []


MCP_TOOL = {"name": "list_events", "description": "List events.", "inputSchema": {"type": "object", "properties": {}}}


@pytest.mark.parametrize("name", ["tools.jsonl", "tools.ndjson", "tools.json"])
def test_json_lines_one_tool_per_line(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Benchmark and batch files hold a tool per line; a .json file of them is read so too."""
    monkeypatch.chdir(tmp_path)
    lines = [json.dumps(TOOLS[0]), "", json.dumps(MCP_TOOL), json.dumps({"tools": [{**MCP_TOOL, "name": "add"}]})]
    Path(name).write_text("\n".join(lines) + "\n", "utf-8")
    status, _, err = _run(capsys, "import", name, "--toolset", "calendar", "-o", "spec.yaml", "--format", "json")
    assert status == 0, err
    report = json.loads(err)
    assert [(tool["source"], tool["shape"], tool["name"]) for tool in report["tools"]] == [
        (f"{name}#/0", "chat_completions", "create_invoice"),
        (f"{name}#/1", "mcp", "list_events"),
        (f"{name}#/2/tools/0", "mcp", "add"),
    ]
    assert [tool["name"] for tool in yaml.safe_load(Path("spec.yaml").read_text("utf-8"))["tools"]] == [
        "create_invoice",
        "list_events",
        "add",
    ]


def test_a_bad_line_of_json_lines_is_named_by_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("tools.jsonl").write_text(json.dumps(MCP_TOOL) + '\n\n{"name": }\n', "utf-8")
    status, out, err = _run(capsys, "import", "tools.jsonl", "-o", "spec.yaml")
    assert (status, out) == (2, "")
    assert err.startswith("toolspec: error: tools.jsonl:3:10: invalid JSON: Expecting value"), err
    assert not Path("spec.yaml").exists()


def test_a_strict_false_tool_is_reported_and_kept_as_a_non_strict_tool(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Strict mode's ways do not apply: its optional arguments are left out, not sent as null, and
    a `format` strict mode lacks stays a format, since the API does not check it there."""
    monkeypatch.chdir(tmp_path)
    fetch = {
        "type": "function",
        "function": {
            "name": "fetch",
            "description": "Fetch a page.",
            "strict": False,
            "parameters": {
                "type": "object",
                "properties": {
                    "url": {"type": "string", "format": "uri", "description": "The page."},
                    "depth": {"type": "integer", "description": "How deep."},
                },
                "required": ["url"],
            },
        },
    }
    Path("tools.json").write_text(json.dumps([fetch, TOOLS[0]]), "utf-8")
    status, _, err = _run(capsys, "import", "tools.json", "-o", "specs/tools.yaml", "--format", "json")
    assert status == 0, err
    non_strict, strict = json.loads(err)["tools"]
    messages = {change["at"]: change["message"] for change in non_strict["changes"]}
    assert messages["/function/parameters/properties/depth"] == (
        "not in `required`: optional: true (the model may leave it out)"
    )
    assert "/function/parameters/properties/url/format" not in messages
    assert "strict mode sends null" in str(strict["changes"])
    [tool, _] = yaml.safe_load(Path("specs/tools.yaml").read_text("utf-8"))["tools"]
    assert tool["strict"] is False
    assert tool["parameters"]["url"] == {"type": "string", "format": "uri", "description": "The page."}
    assert main(["lint", "specs"]) == 0, capsys.readouterr().out


def test_a_tool_its_schema_makes_strict_false_is_worded_as_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A free-form object, met after an optional parameter, makes the tool `strict: false`: the
    model may leave that parameter out, and the report says so, not what strict mode would send."""
    monkeypatch.chdir(tmp_path)
    tag = {
        "type": "function",
        "function": {
            "name": "tag",
            "description": "Tag a page.",
            "parameters": {
                "type": "object",
                "properties": {
                    "depth": {"type": "integer", "description": "How deep."},
                    "labels": {"type": "object", "additionalProperties": True, "description": "Any labels."},
                },
                "required": ["labels"],
            },
        },
    }
    Path("tools.json").write_text(json.dumps([tag]), "utf-8")
    status, _, err = _run(capsys, "import", "tools.json", "-o", "specs/tools.yaml", "--format", "json")
    assert status == 0, err
    [report] = json.loads(err)["tools"]
    messages = {change["at"]: change["message"] for change in report["changes"]}
    assert report["strict"] is False
    assert messages["/function/parameters/properties/depth"] == (
        "not in `required`: optional: true (the model may leave it out)"
    )
    assert "strict mode sends null" not in str(report["changes"])


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ("[{]", "tools.json:1:3: invalid JSON"),
        ('[{"name": "a", "name": "b"}]', "the key 'name' appears twice"),
        (
            '[{"type": "function", "name": "ok"}, {"description": "no name"}]',
            "tools.json#/1: cannot tell what kind of tool",
        ),
        ('[{"type": "web_search"}]', "tools.json#/0: cannot tell what kind of tool this is: its type is 'web_search'"),
        (
            '{"name": "t", "parameters": {"type": "object", "properties": {"a": 5}}}',
            "tools.json#/parameters/properties/a: a schema must be a JSON object",
        ),
        (
            '[{"name": "t", "parameters": {"type": "string"}}]',
            "tools.json#/0/parameters/type: the parameters must be an object schema",
        ),
        (
            '[{"name": "t", "inputSchema": {"properties": {"a": {"$ref": "other.json#/A"}}}}]',
            "refers to another document",
        ),
        ("[]", "tools.json: holds no tools"),
    ],
)
def test_bad_input_says_where_and_writes_nothing(
    document: str, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("tools.json").write_text(document, "utf-8")
    status, out, err = _run(capsys, "import", "tools.json", "-o", "spec.yaml")
    assert status == 2
    assert err.startswith("toolspec: error: ") and message in err, err
    assert "Traceback" not in err and out == ""
    assert not Path("spec.yaml").exists()


def test_bad_arguments(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("tools.json").write_text(json.dumps(TOOLS), "utf-8")
    assert _run(capsys, "import", "missing.json")[2] == "toolspec: error: missing.json: no such file\n"
    assert "'Billing' cannot name a toolset" in _run(capsys, "import", "tools.json", "--toolset", "Billing")[2]


def test_what_import_cannot_fix_is_a_lint_finding_and_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    lookahead = {
        "name": "t",
        "parameters": {
            "type": "object",
            "properties": {"a": {"type": "string", "pattern": "^(?=a)", "description": "A."}},
        },
    }
    Path("tools.json").write_text(json.dumps([lookahead, {**lookahead, "description": "Twice."}]), "utf-8")
    status, _, err = _run(capsys, "import", "tools.json", "-o", "spec.yaml")
    assert status == 1
    assert "spec.yaml:" in err and "TS502" in err and "TS302" in err
    assert Path("spec.yaml").exists(), "written, so that it can be fixed"


def _bmi(name: str, properties: dict[str, Any]) -> dict[str, Any]:
    parameters = {"type": "object", "properties": properties, "required": list(properties)}
    return {"type": "function", "function": {"name": name, "description": "BMI.", "parameters": parameters}}


def test_names_that_would_be_one_python_name_get_a_python_name_and_the_spec_lints(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    number = {"type": "number", "description": "A number."}
    nested = {"type": "object", "description": "Units.", "properties": {"mass-unit": number, "mass_unit": number}}
    tools = [
        _bmi("calculate_bmi", {"weight-kg": number, "weight_kg": number, "units": nested}),
        _bmi("calculate_BMI", {"weight": number}),
        _bmi("calculateBMI", {"weight": number}),
        _bmi("calculate_bmi_2", {"weight": number}),
        {"type": "custom", "name": "GET_STATE", "description": "The state."},
        {"type": "custom", "name": "get_state", "description": "The state."},
    ]
    monkeypatch.chdir(tmp_path)
    Path("tools.json").write_text(json.dumps(tools), "utf-8")
    status, _, err = _run(capsys, "import", "tools.json", "-o", "specs/bmi.yaml", "--format", "json")
    assert status == 0, err
    report = json.loads(err)
    assert not [f for f in report["findings"] if f["severity"] == "error"]
    spec = yaml.safe_load(Path("specs/bmi.yaml").read_text("utf-8"))
    python_names = {tool["name"]: tool.get("python_name") for tool in spec["tools"]}
    assert python_names == {
        "calculate_bmi": None,
        "calculate_BMI": "calculate_bmi_3",  # calculate_bmi_2 is the next tool's method
        "calculateBMI": "calculate_bmi_4",
        "calculate_bmi_2": None,
        "GET_STATE": None,
        "get_state": "get_state_2",
    }
    parameters = spec["tools"][0]["parameters"]
    assert "python_name" not in parameters["weight-kg"]
    assert parameters["weight_kg"]["python_name"] == "weight_kg_2"
    assert parameters["units"]["properties"]["mass_unit"]["python_name"] == "mass_unit_2"
    changes = {(tool["name"], c["at"]): c["message"] for tool in report["tools"] for c in tool["changes"]}
    assert changes[("calculate_BMI", "/name")] == (
        "'calculate_BMI' would get the Python names of tool 'calculate_bmi' (the handler method calculate_bmi, "
        "the constant CALCULATE_BMI_PARAMETERS of tools.py): python_name: calculate_bmi_3 (the API keeps the name)"
    )
    assert changes[("calculate_bmi", "/function/parameters/properties/weight_kg")] == (
        "'weight_kg' would be the field weight_kg of its model, as 'weight-kg' is: python_name: weight_kg_2 "
        "(the API keeps the name)"
    )
    assert main(["lint", "specs"]) == 1  # TS306 warns of the names the model could confuse; no error
    assert {finding["code"] for finding in parse_text_findings(capsys.readouterr().out)} == {"TS306"}


def _export(capsys: pytest.CaptureFixture[str], *args: str) -> Any:
    status, out, err = _run(capsys, "export", *args, "--config", str(REPO / "pyproject.toml"))
    assert status == 0, err
    return json.loads(out)


def test_a_registered_shape_is_exported_and_imported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(shapes, "KNOWN_SHAPES", (*shapes.KNOWN_SHAPES, shapes.shape_from_module(toy_shape)))
    toy = _export(capsys, "weather", "--shape", "toy")
    assert [tool["toy_name"] for tool in toy] == ["get_weather", "get_horoscope"]
    assert toy[0]["toy_schema"]["required"] == ["location"], "not generated: plain JSON Schema"
    (tmp_path / "toy.json").write_text(json.dumps(toy), "utf-8")
    for forced in ((), ("--from", "toy")):
        status, out, err = _run(capsys, "import", str(tmp_path / "toy.json"), "--format", "json", *forced)
        assert status == 0, err
        assert [tool["shape"] for tool in json.loads(err)["tools"]] == ["toy", "toy"]
        assert [tool["name"] for tool in yaml.safe_load(out)["tools"]] == ["get_weather", "get_horoscope"]


def test_export_in_each_shape(capsys: pytest.CaptureFixture[str]) -> None:
    responses = _export(capsys, "weather")
    assert [tool["name"] for tool in responses] == ["get_weather", "get_horoscope"] and responses[0]["strict"] is True
    chat = _export(capsys, "weather", "--shape", "chat_completions")
    assert chat[0]["function"]["name"] == "get_weather"
    assert _export(capsys, "weather", "--shape", "chat") == chat, "chat is an alias of chat_completions"
    anthropic = _export(capsys, "weather", "--shape", "anthropic")[0]
    assert set(anthropic) == {"name", "description", "input_schema"}
    assert anthropic["input_schema"]["required"] == ["location"], "plain JSON Schema: optional arguments not required"
    assert anthropic["input_schema"]["properties"]["units"]["default"] == "celsius"
    mcp = {tool["name"]: tool for tool in _export(capsys, "calendar", "--shape", "mcp")}
    assert mcp["cancel-event"]["annotations"] == {
        "readOnlyHint": False,
        "destructiveHint": True,
        "idempotentHint": False,
    }
    assert mcp["create_event"]["annotations"] == {
        "readOnlyHint": False,
        "destructiveHint": False,
        "idempotentHint": False,
    }
    assert "inputSchema" in mcp["create_event"]


def test_mcp_export_says_read_only_only_for_a_declared_read(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "effects.yaml").write_text(
        "toolset: effects\ntools:\n"
        "  - name: refund_order\n    description: Says nothing of its effect.\n"
        "  - name: list_orders\n    description: Only reads.\n    effect: read\n",
        "utf-8",
    )
    status, out, err = _run(capsys, "export", str(tmp_path / "effects.yaml"), "--shape", "mcp")
    assert status == 0, err
    annotations = {tool["name"]: tool["annotations"] for tool in json.loads(out)}
    assert annotations == {
        "refund_order": {"readOnlyHint": False, "destructiveHint": False, "idempotentHint": False},
        "list_orders": {"readOnlyHint": True, "destructiveHint": False, "idempotentHint": True},
    }


def test_export_leaves_out_what_a_shape_cannot_take_and_names_unknown_toolsets(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out, err = _run(capsys, "export", "code", "--shape", "anthropic", "--config", str(REPO / "pyproject.toml"))
    assert (status, json.loads(out)) == (0, [])
    assert "the anthropic shape has no custom tools: left out code_exec, math_exp, timestamp" in err
    status, out, err = _run(capsys, "export", "code", "--shape", "mcp", "--config", str(REPO / "pyproject.toml"))
    assert status == 0 and [tool["name"] for tool in json.loads(out)] == ["code_exec", "math_exp", "timestamp"]
    assert "left out" not in err, "MCP takes a custom tool as a tool of one string, `input`"
    status, _, err = _run(capsys, "export", "nothing", "--config", str(REPO / "pyproject.toml"))
    assert status == 2 and "there is no toolset 'nothing'" in err and "calendar, code, shop, weather" in err


def test_export_of_a_spec_with_errors_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "broken.yaml").write_text(
        "toolset: broken\ntools:\n  - name: a b\n    description: Bad name.\n", "utf-8"
    )
    status, out, err = _run(capsys, "export", str(tmp_path / "broken.yaml"))
    assert status == 1 and out == ""
    assert "TS301" in err and "nothing was exported" in err
