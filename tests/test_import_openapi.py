"""`toolspec import` of OpenAPI documents: one tool per operation, its `http` key saying how it is
called, every difference from the document in the report, and a spec that lints clean.

The documents are in tests/data/openapi/ (written for these tests, one of each construct);
test_import_openapi_real.py imports real ones that no one here wrote.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import REPO, project_config, render
from toolspec.cli import main
from toolspec.cli.import_check import lint_text
from toolspec.importing import Selection, SourceError, import_by_tag, import_sources

DATA = REPO / "tests" / "data" / "openapi"
PETSTORE = str(DATA / "petstore.yaml")


def _tools(spec: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {tool["name"]: tool for tool in spec["tools"]}


def _changes(imported: Any, name: str) -> list[str]:
    report = next(tool for tool in imported.report.tools if tool.name == name)
    return [f"{change.kind}: {change.at}: {change.message}" for change in report.changes]


@pytest.fixture(scope="module")
def petstore() -> Any:
    return import_sources([PETSTORE], toolset="petstore")


def test_each_operation_is_a_tool_and_its_http_key_says_where_each_parameter_goes(petstore: Any) -> None:
    tools = _tools(petstore.spec)
    assert list(tools) == [
        "getPetById", "pets_update", "deletePet", "addPets", "uploadPhoto", "renamePet", "post_search", "getStats",
    ]  # fmt: skip
    get = tools["getPetById"]
    assert get["description"] == "Get a pet.\n\nGet a pet by its ID."
    assert list(get["parameters"]) == ["pet_id", "x_trace", "session", "tags"]
    assert get["parameters"]["pet_id"] == {"type": "integer", "description": "The pet's ID."}
    assert get["parameters"]["x_trace"]["optional"] is True
    assert get["http"] == {
        "method": "GET",
        "path": "/pets/{petId}",
        "parameters": {
            "pet_id": {"in": "path", "name": "petId"},
            "x_trace": {"in": "header", "name": "X-Trace"},
            "session": {"in": "cookie"},
            "tags": {"in": "query", "style": "pipeDelimited"},
        },
    }
    assert "dropped: /parameters/1: the header 'Accept' left out: the client sets it (as OpenAPI says)" in _changes(
        petstore, "getPetById"
    )
    assert "      parameters:\n        pet_id: {in: path, name: petId}\n" in petstore.text
    assert "getStats" in tools and "parameters" not in tools["getStats"]
    assert tools["getStats"]["http"] == {"method": "GET", "path": "/stats"}
    assert "note: TRACE operations left out (a tool calls no TRACE): /stats" in _report(petstore)


def _report(imported: Any) -> str:
    from toolspec.importing.report import render_text

    return render_text(imported.report)


def test_a_name_that_is_no_tool_name_is_made_one_and_the_original_kept(petstore: Any) -> None:
    report = next(tool for tool in petstore.report.tools if tool.name == "pets_update")
    assert report.source_name == "pets.update"
    assert '- name: pets_update  # was "pets.update" in ' in petstore.text
    assert "renamed: /: no operationId: named post_search from its method and path" in _changes(petstore, "post_search")


def test_the_json_body_properties_join_the_parameters_readonly_left_out_writeonly_kept(petstore: Any) -> None:
    update = _tools(petstore.spec)["pets_update"]
    assert list(update["parameters"]) == ["pet_id", "name", "tag", "password", "owner", "kind"]
    assert update["http"]["body"] == "application/json"
    assert update["http"]["parameters"]["name"] == {"in": "body"}
    assert "id" not in update["http"]["parameters"]
    assert (
        "dropped: #/components/schemas/Pet/properties/id: 'id' left out: it is readOnly, set by the API and never sent"
        in _changes(petstore, "pets_update")
    )
    assert "id" not in petstore.spec["types"]["Pet"]["properties"]  # nor inside the named type
    assert "password" in petstore.spec["types"]["Pet"]["properties"]


def test_a_body_that_is_no_json_object_of_properties_is_one_parameter(petstore: Any) -> None:
    tools = _tools(petstore.spec)
    for name, media in (("addPets", "application/json"), ("uploadPhoto", "image/png"),
                        ("post_search", "multipart/form-data")):  # fmt: skip
        assert tools[name]["http"]["parameters"]["body"] == {"in": "body", "whole": True}, name
        assert tools[name]["http"]["body"] == media
    assert tools["addPets"]["parameters"]["body"]["items"] == {"type": "Pet"}
    assert tools["uploadPhoto"]["parameters"]["body"]["type"] == "string"
    assert "optional" not in tools["uploadPhoto"]["parameters"]["body"]  # the body is required
    assert any("a multipart/form-data body: one parameter, `body`" in c for c in _changes(petstore, "post_search"))


def test_a_parameter_and_a_body_property_of_one_name_are_both_kept(petstore: Any) -> None:
    rename = _tools(petstore.spec)["renamePet"]
    assert rename["http"]["parameters"] == {
        "pet_id": {"in": "path", "name": "petId"},
        "name": {"in": "query"},
        "body_name": {"in": "body", "name": "name"},
        "body_pet_id": {"in": "body", "name": "petId"},
    }
    assert rename["parameters"]["body_name"]["description"] == "The new name."
    assert rename["parameters"]["name"]["description"] == "The current name, to check."
    changes = _changes(petstore, "renamePet")
    assert (
        "renamed: /requestBody/content/application~1json/schema/properties/name: the body property 'name' and the "
        "query parameter 'name' would both be `name`: both kept, this one as `body_name`" in changes
    )


def test_effect_from_the_method_and_what_overrides_it(petstore: Any) -> None:
    tools = _tools(petstore.spec)
    effects = {name: (tool["effect"], tool.get("idempotent")) for name, tool in tools.items()}
    assert effects == {
        "getPetById": ("read", None),
        "pets_update": ("write", True),
        "deletePet": ("destructive", None),
        "addPets": ("write", None),
        "uploadPhoto": ("write", True),
        "renamePet": ("write", None),  # x-openai-isConsequential: true, as POST is anyway
        "post_search": ("read", None),  # x-openai-isConsequential: false
        "getStats": ("write", True),  # x-toolspec-effect and x-toolspec-idempotent
    }
    assert (
        "effect: /x-openai-isConsequential: effect: read, not write as POST is: x-openai-isConsequential is false"
        in _changes(petstore, "post_search")
    )
    assert "effect: /x-toolspec-effect: effect: write, as x-toolspec-effect says" in _changes(petstore, "getStats")


def test_schemas_refs_cycles_allof_oneof_and_nullable(petstore: Any) -> None:
    types = petstore.spec["types"]
    assert sorted(types) == ["Cat", "Dog", "Owner", "Pet"]  # one named type per $ref, for every tool
    assert list(types["Owner"]["properties"]) == ["pets", "name"]  # allOf merged
    assert types["Owner"]["properties"]["pets"]["items"] == {"type": "Pet"}  # Pet -> Owner -> Pet
    assert types["Pet"]["properties"]["kind"]["anyOf"] == [{"type": "Cat"}, {"type": "Dog"}]  # oneOf
    assert types["Pet"]["properties"]["tag"]["nullable"] is True  # 3.0 nullable
    assert all(tool.strict for tool in petstore.report.tools)


def test_servers_and_security_schemes_are_no_parameters(petstore: Any) -> None:
    assert petstore.spec["http"] == {"base_url": "https://eu.petstore.example.com/v1"}  # variables at defaults
    assert all("key" not in tool.get("parameters", {}) for tool in petstore.spec["tools"])
    assert (
        "note: security schemes are not tool parameters: give the handlers the credentials (headers=...): "
        "key (apiKey in header X-API-Key)" in _report(petstore)
    )


def test_the_spec_lints_clean_and_generates(petstore: Any, tmp_path: Path) -> None:
    findings = lint_text(petstore.text, "petstore.yaml", project_config(tmp_path))
    assert [d for d in findings if d.severity.value == "error"] == []
    files = render(tmp_path, {"petstore.yaml": petstore.text}, package="generated")
    page = files[next(path for path in files if path.name == "petstore.md")].decode("utf-8")
    assert "- HTTP: `PUT /pets/{petId}`" in page


def test_a_document_split_into_files(tmp_path: Path) -> None:
    imported = import_sources([str(DATA / "split.yaml")])
    assert sorted(imported.spec["types"]) == ["Pet", "Toy"]
    add = _tools(imported.spec)["addPet"]
    assert add["parameters"]["toy"] == {"type": "Toy", "optional": True}
    assert add["parameters"]["friend"] == {"type": "Pet", "optional": True}
    assert add["parameters"]["tag"] == {"type": "string", "description": "A tag, or null.", "nullable": True}
    assert "http" not in imported.spec  # its server is relative
    assert "the document's first server URL, '/api/v3', is relative: give the handlers the API's base_url" in (
        _report(imported)
    )


def _document(tmp_path: Path, document: dict[str, Any], name: str = "api.json") -> str:
    path = tmp_path / name
    path.write_text(json.dumps(document), "utf-8")
    return str(path)


def _operation(schema: dict[str, Any]) -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/things": {
                "post": {
                    "operationId": "addThing",
                    "requestBody": {"content": {"application/json": {"schema": schema}}},
                }
            }
        },
    }


@pytest.mark.parametrize(
    ("document", "place", "message"),
    [
        (
            _operation({"$ref": "https://example.com/schemas.json#/Thing"}),
            "#/paths/~1things/post/requestBody/content/application~1json/schema/$ref",
            "'https://example.com/schemas.json#/Thing' refers to a URL, which the import does not fetch",
        ),
        ({"swagger": "2.0", "paths": {}}, "#/swagger", "Swagger 2.0 is not read: convert the document to OpenAPI 3"),
        ({"openapi": "2.5", "paths": {}}, "#/openapi", "not an OpenAPI 3.0 or 3.1 document"),
        ({"openapi": "3.1.0", "webhooks": {"a": {}}}, "#/paths", "holds no operations to import (its webhooks"),
        (
            {"openapi": "3.0.0", "paths": {"/a": {"get": {"parameters": [{"name": "x", "in": "body"}]}}}},
            "#/paths/~1a/get/parameters/0/in",
            'a parameter is `in` path, query, header or cookie, not the string "body"',
        ),
    ],
)
def test_what_cannot_be_imported_is_refused_with_its_place(
    tmp_path: Path, document: dict[str, Any], place: str, message: str
) -> None:
    source = _document(tmp_path, document)
    with pytest.raises(SourceError) as error:
        import_sources([source])
    assert str(error.value).startswith(f"{source}{place}: {message}")


def test_a_file_ref_that_is_not_there_is_refused(tmp_path: Path) -> None:
    source = _document(tmp_path, _operation({"$ref": "schemas/missing.json#/Thing"}))
    with pytest.raises(SourceError) as error:
        import_sources([source])
    assert str(error.value) == (
        f"{source} (its $ref 'schemas/missing.json#/Thing'): {tmp_path / 'schemas' / 'missing.json'}: no such file"
    )


def test_from_openapi_forces_the_shape(tmp_path: Path) -> None:
    source = _document(tmp_path, [{"name": "a", "parameters": {}}])
    with pytest.raises(SourceError, match="an OpenAPI document is an object, not a list"):
        import_sources([source], shape="openapi")
    assert import_sources([source]).report.tools[0].shape == "function"


def test_tags_and_operations_select(tmp_path: Path) -> None:
    chosen = import_sources([PETSTORE], selection=Selection(tags=("search",), operations=("deletePet",)))
    assert [tool["name"] for tool in chosen.spec["tools"]] == ["deletePet", "post_search", "getStats"]
    with pytest.raises(SourceError, match=r"^--tag: no operation has the tag 'nope'; the tags: search$"):
        import_sources([PETSTORE], selection=Selection(tags=("nope",)))
    tool_list = _document(tmp_path, [{"name": "a", "parameters": {}}])
    with pytest.raises(SourceError, match="--tag and --operation select the operations of an OpenAPI document"):
        import_sources([tool_list], selection=Selection(tags=("search",)))


def _many(count: int) -> dict[str, Any]:
    paths = {
        f"/things/{index}": {"get": {"operationId": f"thing{index}", "summary": "A thing.", "tags": [f"t{index % 2}"]}}
        for index in range(count)
    }
    return {"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": paths}


def test_past_128_operations_the_import_refuses_with_the_advice(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = _document(tmp_path, _many(129))
    status = main(["import", source, "-o", str(tmp_path / "out.yaml")])
    err = capsys.readouterr().err
    assert status == 2 and not (tmp_path / "out.yaml").exists()
    assert "129 operations in one toolset: past 128 tools the API refuses a request" in err
    assert "--tag TAG or --operation ID" in err and "--split-by-tag" in err
    assert len(import_sources([source], selection=Selection(tags=("t0",))).spec["tools"]) == 65


def test_split_by_tag_writes_one_spec_per_tag(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = _document(tmp_path, _many(6))
    status = main(["import", source, "--split-by-tag", "-o", str(tmp_path / "specs")])
    assert status == 0, capsys.readouterr().err
    written = sorted(path.name for path in (tmp_path / "specs").iterdir())
    assert written == ["t0.yaml", "t1.yaml"]
    spec = yaml.safe_load((tmp_path / "specs" / "t1.yaml").read_text("utf-8"))
    assert spec["toolset"] == "t1" and [tool["name"] for tool in spec["tools"]] == ["thing1", "thing3", "thing5"]
    again = main(["import", source, "--split-by-tag", "-o", str(tmp_path / "specs")])
    assert again == 2 and "exist: toolspec import never overwrites a file" in capsys.readouterr().err
    assert [imported.report.toolset for imported in import_by_tag([PETSTORE])] == ["default", "search"]
