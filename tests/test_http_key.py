"""The `http` key: how a tool is called over HTTP, read into the IR with OpenAPI's defaults."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from conftest import load, render
from toolspec.spec import ir

PETSTORE = """\
toolset: petstore
http:
  base_url: https://petstore.example.com/v1
tools:
  - name: get_pet_by_id
    description: Get a pet.
    effect: read
    parameters:
      pet_id: {type: integer, description: The pet.}
      tags: {type: array, items: {type: string}, optional: true, description: Tags.}
      x_trace: {type: string, optional: true, description: A trace ID.}
      session: {type: string, optional: true, description: The session.}
      name: {type: string, description: A name.}
    http:
      method: GET
      path: /pets/{petId}
      parameters:
        pet_id: {in: path, name: petId}
        tags: {in: query, style: pipeDelimited, explode: false}
        x_trace: {in: header, name: X-Trace}
        session: {in: cookie}
        name: {in: body}
      body: application/json
"""


def test_the_http_key_is_read_with_openapi_defaults(tmp_path: Path) -> None:
    built = load(tmp_path, {"petstore.yaml": PETSTORE})
    toolset = built.toolsets[0].toolset
    assert toolset.http_base_url == "https://petstore.example.com/v1"
    tool = toolset.tools[0]
    assert isinstance(tool, ir.FunctionTool) and tool.http is not None
    assert (tool.http.method, tool.http.path, tool.http.body) == ("GET", "/pets/{petId}", "application/json")
    assert [(p.parameter, p.location, p.name, p.style, p.explode, p.whole) for p in tool.http.parameters] == [
        ("pet_id", "path", "petId", "simple", False, False),
        ("tags", "query", "tags", "pipeDelimited", False, False),
        ("x_trace", "header", "X-Trace", "simple", False, False),
        ("session", "cookie", "session", "form", True, False),
        ("name", "body", "name", None, False, False),
    ]


def test_a_tool_without_http_has_none(tmp_path: Path) -> None:
    spec = "toolset: plain\ntools:\n  - name: ping\n    description: Ping.\n"
    toolset = load(tmp_path, {"plain.yaml": spec}).toolsets[0].toolset
    assert toolset.http_base_url is None
    assert isinstance(toolset.tools[0], ir.FunctionTool) and toolset.tools[0].http is None


def test_an_unknown_location_is_refused_where_it_stands(tmp_path: Path) -> None:
    spec = PETSTORE.replace("{in: cookie}", "{in: cookies}")
    built = load(tmp_path, {"petstore.yaml": spec})
    assert [(d.code, d.position.line) for d in built.diagnostics if d.severity.name == "ERROR"] == [("TS103", 21)]


def test_the_catalogue_shows_how_each_tool_is_called(tmp_path: Path) -> None:
    files = render(tmp_path, {"petstore.yaml": PETSTORE}, package="generated")
    page = files[PurePosixPath("docs/petstore.md")].decode("utf-8")
    assert "- Strict: yes\n- HTTP: `GET /pets/{petId}`\n" in page
