"""`toolspec import` reads every common shape of tool definition, tool by tool, and `--from` forces one."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

import pytest

from toolspec.importing import Imported, SourceError, import_sources

PARAMETERS = {
    "type": "object",
    "properties": {
        "city": {"type": "string", "description": "The city."},
        "days": {"type": "integer", "description": "How many days.", "default": 1},
    },
    "required": ["city"],
}
BODY = {"name": "get_forecast", "description": "The forecast.", "parameters": PARAMETERS}
SHAPES = {
    "responses": {"type": "function", **BODY},
    "chat_completions": {"type": "function", "function": BODY},
    "function": BODY,
    "anthropic": {"name": "get_forecast", "description": "The forecast.", "input_schema": PARAMETERS},
    "mcp": {
        "name": "get_forecast",
        "description": "The forecast.",
        "inputSchema": PARAMETERS,
        "annotations": {"readOnlyHint": True},
    },
}
EXPECTED = {
    "name": "get_forecast",
    "description": "The forecast.",
    "parameters": {
        "city": {"type": "string", "description": "The city."},
        "days": {"type": "integer", "description": "How many days.", "optional": True, "default": 1},
    },
}


def imported(tmp_path: Path, document: Any, **options: Any) -> Imported:
    path = tmp_path / "tools.json"
    path.write_text(json.dumps(document), "utf-8")
    return import_sources([str(path)], **options)


@pytest.mark.parametrize("shape", SHAPES)
def test_each_shape_is_told_by_its_keys_and_reads_the_same(shape: str, tmp_path: Path) -> None:
    result = imported(tmp_path, [SHAPES[shape]])
    # Only MCP says what the tool does (readOnlyHint); an unknown effect is a write.
    assert result.spec["tools"] == [{**EXPECTED, "effect": "read" if shape == "mcp" else "write"}]
    assert result.report.tools[0].shape == shape
    assert result.report.tools[0].strict is True


def test_one_file_may_mix_shapes_and_keeps_their_order(tmp_path: Path) -> None:
    tools = [{**tool, **({"name": f"t_{shape}"} if "name" in tool else {})} for shape, tool in SHAPES.items()]
    tools[1] = {"type": "function", "function": {**BODY, "name": "t_chat_completions"}}
    result = imported(tmp_path, tools)
    assert [tool["name"] for tool in result.spec["tools"]] == [f"t_{shape}" for shape in SHAPES]
    assert [tool.shape for tool in result.report.tools] == list(SHAPES)


@pytest.mark.parametrize(
    ("document", "pointer"),
    [
        ({"tools": [SHAPES["mcp"]], "nextCursor": None}, "/tools/0"),
        ({"jsonrpc": "2.0", "id": 1, "result": {"tools": [SHAPES["mcp"]]}}, "/result/tools/0"),
        ({"model": "gpt-5", "tools": [SHAPES["responses"]]}, "/tools/0"),
        ({"functions": [BODY]}, "/functions/0"),
        (SHAPES["chat_completions"], ""),
    ],
    ids=["tools/list", "json-rpc", "request", "functions", "one tool"],
)
def test_containers(document: Any, pointer: str, tmp_path: Path) -> None:
    result = imported(tmp_path, document)
    assert result.spec["tools"][0]["parameters"] == EXPECTED["parameters"]
    assert result.report.tools[0].source == str(tmp_path / "tools.json") + (f"#{pointer}" if pointer else "")


def test_from_forces_a_shape_and_says_why_a_tool_is_not_of_it(tmp_path: Path) -> None:
    assert imported(tmp_path, [BODY], shape="function").report.tools[0].shape == "function"
    with pytest.raises(SourceError, match=r"tools.json#/0: this is not a mcp tool: it has `name`"):
        imported(tmp_path, [BODY], shape="mcp")


def test_mcp_annotations_become_effect_and_idempotent(tmp_path: Path) -> None:
    def tool(name: str, **annotations: bool) -> dict[str, Any]:
        return {"name": name, "inputSchema": {"type": "object"}, "annotations": annotations}

    result = imported(
        tmp_path,
        [
            tool("reads", readOnlyHint=True),
            tool("writes", readOnlyHint=False, destructiveHint=False, idempotentHint=True),
            tool("deletes", readOnlyHint=False, destructiveHint=True),
            {"name": "silent", "inputSchema": {"type": "object"}},
        ],
    )
    effects = [(t["name"], t["effect"], t.get("idempotent")) for t in result.spec["tools"]]
    assert effects == [
        ("reads", "read", None),
        ("writes", "write", True),
        ("deletes", "destructive", None),
        ("silent", "destructive", None),
    ]
    silent = result.report.tools[3].changes
    assert [c.kind for c in silent][:1] == ["effect"] and "MCP takes to mean not read-only, may destroy" in silent[
        0
    ].message
    assert not result.report.notes, "MCP tools say their effects (or MCP's defaults do)"


def test_an_unknown_effect_is_written_as_write_and_the_note_names_the_tools_to_mark_read(tmp_path: Path) -> None:
    said = {"name": "lookup", "inputSchema": {"type": "object"}, "annotations": {"readOnlyHint": True}}
    unsaid = [{**BODY, "name": name} for name in ("get_forecast", "refund_order")]
    custom = {"type": "custom", "name": "free", "format": {"type": "text"}}
    result = imported(tmp_path, [said, *unsaid, custom])
    assert [(tool["name"], tool["effect"]) for tool in result.spec["tools"]] == [
        ("lookup", "read"),
        ("get_forecast", "write"),
        ("refund_order", "write"),
        ("free", "write"),
    ]
    assert "idempotent" not in result.spec["tools"][1], "false is the default of a write"
    assert result.text.count("effect: write") == 3, "written out, where a reviewer sees it"
    [note] = result.report.notes
    assert "do not say what 3 tools do, so they are `effect: write`" in note
    assert "mark `effect: read` on those that change nothing" in note
    assert note.endswith(": get_forecast, refund_order, free")


def test_custom_tools_of_both_openai_shapes(tmp_path: Path) -> None:
    grammar = {"type": "grammar", "syntax": "lark", "definition": 'start: "a"'}
    result = imported(
        tmp_path,
        [
            {"type": "custom", "name": "free", "description": "Text.", "format": {"type": "text"}},
            {"type": "custom", "name": "lark", "format": grammar},
            {"type": "custom", "custom": {"name": "chat_lark", "format": {"type": "grammar", "grammar": grammar}}},
        ],
    )
    formats = [(tool["name"], tool["kind"], tool["format"]) for tool in result.spec["tools"]]
    definition = {"syntax": "lark", "definition": 'start: "a"'}
    assert formats == [("free", "custom", "text"), ("lark", "custom", definition), ("chat_lark", "custom", definition)]


def test_a_pydantic_model_named_module_colon_class(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "billing_models.py").write_text(
        textwrap.dedent(
            '''
            from typing import Literal
            from pydantic import BaseModel, Field

            class Address(BaseModel):
                city: str
                postcode: str | None = None

            class CreateInvoice(BaseModel):
                """Create an invoice for a customer."""

                customer_id: str = Field(description="The customer's ID.")
                amount: float = Field(gt=0, description="The amount, in euros.")
                currency: Literal["EUR", "USD"] = "EUR"
                address: Address | None = None
            '''
        ),
        "utf-8",
    )
    monkeypatch.chdir(tmp_path)
    result = import_sources(["billing_models:CreateInvoice"], toolset="billing")
    tool = result.spec["tools"][0]
    assert (tool["name"], tool["description"]) == ("CreateInvoice", "Create an invoice for a customer.")
    assert tool["parameters"]["amount"] == {
        "type": "number",
        "exclusiveMinimum": 0,
        "description": "The amount, in euros.",
    }
    assert tool["parameters"]["currency"] == {
        "type": "string",
        "enum": ["EUR", "USD"],
        "optional": True,
        "default": "EUR",
    }
    assert tool["parameters"]["address"] == {"type": "Address", "nullable": True, "optional": True, "default": None}
    assert result.spec["types"]["Address"]["properties"]["postcode"] == {
        "type": "string", "nullable": True, "optional": True, "default": None
    }  # fmt: skip
    assert result.report.tools[0].shape == "pydantic"
    assert any(change.kind == "title" for change in result.report.tools[0].changes)


@pytest.mark.parametrize(
    ("reference", "message"),
    [
        ("no_such_module_here:Model", "cannot import no_such_module_here: ModuleNotFoundError"),
        ("json:Nothing", "json has no Nothing"),
        ("json:JSONDecoder", "JSONDecoder is not a pydantic model class"),
    ],
)
def test_a_pydantic_reference_that_names_no_model(reference: str, message: str) -> None:
    with pytest.raises(SourceError, match=message):
        import_sources([reference], toolset="x")
