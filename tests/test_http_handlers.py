"""The generated `<Toolset>HttpHandlers`: each tool's method calls the API operation its `http`
key describes. Against a real HTTP server on loopback (tests/http_api.py, a Starlette app that
answers with what it received), through the Dispatcher, for both APIs, sync (an httpx.Client)
and async (an httpx.AsyncClient): the right method and path, query, headers and body; a 4xx
answer as a tool_error with the API's message, a 5xx, a timeout and a refused connection as a
tool_error with no body."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import httpx
import pytest

import http_api
import servers
from conftest import build_package

SPEC = """\
toolset: petstore
description: The pet store of tests/http_api.py.
{base_url}
tools:
  - name: get_pet_by_id
    description: Find a pet by its ID.
    effect: read
    parameters:
      pet_id: {{type: integer, description: The pet's ID.}}
      x_trace: {{type: string, optional: true, description: A trace ID.}}
      session: {{type: string, optional: true, description: The session.}}
    http:
      method: GET
      path: /pets/{{petId}}
      parameters:
        pet_id: {{in: path, name: petId}}
        x_trace: {{in: header, name: X-Trace}}
        session: {{in: cookie}}
  - name: list_pets
    description: List pets.
    effect: read
    parameters:
      tags: {{type: array, items: {{type: string}}, optional: true, description: Tags.}}
      fields: {{type: array, items: {{type: string}}, optional: true, description: Fields.}}
      limit: {{type: integer, optional: true, default: 20, description: How many.}}
      filter:
        type: object
        optional: true
        description: Which pets.
        properties:
          colour: {{type: string, optional: true, description: Colour.}}
          age: {{type: integer, optional: true, description: Age.}}
    http:
      method: GET
      path: /pets
      parameters:
        tags: {{in: query}}
        fields: {{in: query, explode: false}}
        limit: {{in: query}}
        filter: {{in: query, style: deepObject, explode: true}}
  - name: add_pet
    description: Add a pet.
    effect: write
    parameters:
      name: {{type: string, description: Its name.}}
      tag: {{type: string, optional: true, description: A tag.}}
      photo_urls: {{type: array, items: {{type: string}}, optional: true, description: Photos.}}
    http:
      method: POST
      path: /pets
      parameters:
        name: {{in: body}}
        tag: {{in: body}}
        photo_urls: {{in: body}}
      body: application/json
  - name: update_pet
    description: Replace a pet.
    effect: write
    idempotent: true
    parameters:
      id: {{type: string, description: The pet to replace.}}
      body_id: {{type: string, description: The pet's new ID.}}
      name: {{type: string, description: Its name.}}
    http:
      method: PUT
      path: /pets/{{id}}
      parameters:
        id: {{in: path}}
        body_id: {{in: body, name: id}}
        name: {{in: body}}
      body: application/json
  - name: delete_pet
    description: Delete a pet.
    effect: destructive
    parameters:
      id: {{type: string, description: The pet.}}
    http:
      method: DELETE
      path: /pets/{{id}}
      parameters:
        id: {{in: path}}
  - name: add_pets
    description: Add many pets.
    effect: write
    parameters:
      pets: {{type: array, items: {{type: string}}, description: Their names.}}
    http:
      method: POST
      path: /pets/batch
      parameters:
        pets: {{in: body, whole: true}}
      body: application/json
  - name: write_note
    description: Write a pet's note.
    effect: write
    idempotent: true
    parameters:
      id: {{type: string, description: The pet.}}
      note: {{type: string, description: The note.}}
    http:
      method: PUT
      path: /pets/{{id}}/note
      parameters:
        id: {{in: path}}
        note: {{in: body, whole: true}}
      body: text/plain
"""

CALLS: list[tuple[str, dict[str, Any], dict[str, Any]]] = [
    (
        "get_pet_by_id",
        {"pet_id": 7, "x_trace": "t-1", "session": "s;1"},
        {
            "method": "GET",
            "path": "/v1/pets/7",
            "query": [],
            "headers": {"x-trace": "t-1", "authorization": "Bearer k"},
            "cookies": {"session": "s%3B1"},
            "body": None,
        },
    ),
    (
        "list_pets",
        {"tags": ["cat", "dog & co"], "fields": ["name", "age"], "limit": 5, "filter": {"colour": "red", "age": 3}},
        {
            "method": "GET",
            "path": "/v1/pets",
            "query": [
                ["tags", "cat"],
                ["tags", "dog & co"],
                ["fields", "name,age"],
                ["limit", "5"],
                ["filter[colour]", "red"],
                ["filter[age]", "3"],
            ],
            "headers": {"authorization": "Bearer k"},
            "cookies": {},
            "body": None,
        },
    ),
    (
        # Left out, or null: not sent (limit's null stands for its default, 20).
        "list_pets",
        {"tags": None, "fields": None, "limit": None, "filter": {"colour": "red", "age": None}},
        {
            "method": "GET",
            "path": "/v1/pets",
            "query": [["filter[colour]", "red"]],
            "headers": {"authorization": "Bearer k"},
            "cookies": {},
            "body": None,
        },
    ),
    (
        "add_pet",
        {"name": "Rex", "tag": None, "photo_urls": ["a.png"]},
        {
            "method": "POST",
            "path": "/v1/pets",
            "query": [],
            "headers": {"content-type": "application/json", "authorization": "Bearer k"},
            "cookies": {},
            "body": {"name": "Rex", "photo_urls": ["a.png"]},
        },
    ),
    (
        # The path's id and the body's id, one name on the wire, two parameters.
        "update_pet",
        {"id": "a b?c#d", "body_id": "rex-2", "name": "Rex"},
        {
            "method": "PUT",
            "path": "/v1/pets/a%20b%3Fc%23d",
            "query": [],
            "headers": {"content-type": "application/json", "authorization": "Bearer k"},
            "cookies": {},
            "body": {"id": "rex-2", "name": "Rex"},
        },
    ),
    ("delete_pet", {"id": "rex"}, "204 No Content"),
    (
        "add_pets",
        {"pets": ["Rex", "Tom"]},
        {
            "method": "POST",
            "path": "/v1/pets/batch",
            "query": [],
            "headers": {"content-type": "application/json", "authorization": "Bearer k"},
            "cookies": {},
            "body": ["Rex", "Tom"],
        },
    ),
    (
        "write_note",
        {"id": "..", "note": "Likes fish.\nHates baths."},
        {
            "method": "PUT",
            "path": "/v1/pets/%2E%2E/note",
            "query": [],
            "headers": {"content-type": "text/plain", "authorization": "Bearer k"},
            "cookies": {},
            "body": "Likes fish.\nHates baths.",
        },
    ),
]
"""Every operation: the tool, the model's arguments, and what reached the server (the
answer's JSON; the status, for an answer with no body)."""


@pytest.fixture(scope="module")
def api() -> Iterator[str]:
    """The pet store API's URL (its base path is /v1)."""
    with http_api.serve() as url:
        yield url


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    """The package of the pet store spec, with no base URL (the document's is relative)."""
    return build_package(tmp_path_factory.mktemp("petstore"), {"petstore.yaml": SPEC.format(base_url="")})


def _petstore(package: ModuleType) -> ModuleType:
    return __import__(f"{package.__name__}.petstore", fromlist=["PetstoreHttpHandlers"])


def _responses(calls: list[tuple[str, dict[str, Any]]]) -> dict[str, Any]:
    items = [
        {"type": "function_call", "call_id": f"c{n}", "name": name, "arguments": json.dumps(arguments)}
        for n, (name, arguments) in enumerate(calls)
    ]
    return {"output": items}


def _chat(calls: list[tuple[str, dict[str, Any]]]) -> dict[str, Any]:
    tool_calls = [
        {"id": f"c{n}", "type": "function", "function": {"name": name, "arguments": json.dumps(arguments)}}
        for n, (name, arguments) in enumerate(calls)
    ]
    return {"role": "assistant", "content": None, "tool_calls": tool_calls}


def _turn(api_kind: str, calls: list[tuple[str, dict[str, Any]]]) -> dict[str, Any]:
    return _responses(calls) if api_kind == "responses" else _chat(calls)


def _texts(api_kind: str, items: list[Any]) -> list[str]:
    return [item["output"] if api_kind == "responses" else item["content"] for item in items]


def _run(
    package: ModuleType,
    api: str,
    api_kind: str,
    run: str,
    calls: list[tuple[str, dict[str, Any]]],
    *,
    handlers_class: Any = None,
    **options: Any,
) -> list[str]:
    """The outputs of calls, run in one turn of api_kind through a Dispatcher of
    PetstoreHttpHandlers (or handlers_class): with an httpx.Client for a sync run, an
    httpx.AsyncClient for an async one (options: the client's)."""
    http_handlers = handlers_class or _petstore(package).PetstoreHttpHandlers
    headers = {"Authorization": "Bearer k"}
    if run == "sync":
        with httpx.Client(**options) as client:
            dispatcher = package.Dispatcher(http_handlers(client, base_url=f"{api}/v1", headers=headers), confirm=_yes)
            return _texts(api_kind, getattr(dispatcher, f"run_{api_kind}")(_turn(api_kind, calls)))

    async def turn() -> list[str]:
        async with httpx.AsyncClient(**options) as client:
            dispatcher = package.Dispatcher(http_handlers(client, base_url=f"{api}/v1", headers=headers), confirm=_yes)
            return _texts(api_kind, await getattr(dispatcher, f"arun_{api_kind}")(_turn(api_kind, calls)))

    return asyncio.run(turn())


def _yes(context: Any) -> bool:
    """The user's confirmation of delete_pet."""
    return True


MODES = [
    pytest.param(api_kind, run, id=f"{api_kind}-{run}")
    for api_kind in ("responses", "chat_completions")
    for run in ("sync", "async")
]


@pytest.mark.parametrize(("api_kind", "run"), MODES)
def test_every_operation_reaches_the_right_method_path_query_headers_and_body(
    package: ModuleType, api: str, api_kind: str, run: str
) -> None:
    outputs = _run(package, api, api_kind, run, [(name, arguments) for name, arguments, _ in CALLS])
    for (name, _, expected), output in zip(CALLS, outputs, strict=True):
        got = json.loads(output) if isinstance(expected, dict) else output
        assert got == expected, name


def _error(output: str) -> tuple[str, str]:
    error = json.loads(output)["error"]
    return error["code"], error["message"]


@pytest.mark.parametrize(("api_kind", "run"), MODES)
def test_a_4xx_answer_is_a_tool_error_with_the_apis_message_for_the_model(
    package: ModuleType, api: str, api_kind: str, run: str
) -> None:
    calls = [("get_pet_by_id", {"pet_id": 404}), ("add_pet", {"name": "  ", "tag": None, "photo_urls": None})]
    missing, invalid = (_error(output) for output in _run(package, api, api_kind, run, calls))
    assert missing == (
        "tool_error",
        'the API answered 404 Not Found: {"code":404,"message":"pet 404 not found","hint":"list the pets"}',
    )
    assert invalid == (
        "tool_error",
        "the API answered 422 Unprocessable Entity: "
        '{"detail":[{"loc":["body","name"],"msg":"a name may not be blank"}]}',
    )


@pytest.mark.parametrize(("api_kind", "run"), MODES)
def test_a_5xx_answer_a_timeout_and_a_refused_connection_are_tool_errors_without_a_body(
    package: ModuleType, api: str, api_kind: str, run: str
) -> None:
    crash, slow = _run(
        package,
        api,
        api_kind,
        run,
        [("get_pet_by_id", {"pet_id": 500}), ("get_pet_by_id", {"pet_id": 999})],
        timeout=http_api.SLOW / 4,
    )
    assert _error(crash) == ("tool_error", "the API failed: 500 Internal Server Error")
    assert "hunter2" not in crash
    assert _error(slow) == ("tool_error", "the API did not answer in time; try again later")
    closed = f"http://127.0.0.1:{servers.free_port()}"
    (refused,) = _run(package, closed, api_kind, run, [("get_pet_by_id", {"pet_id": 1})])
    assert _error(refused) == ("tool_error", "the API could not be reached; try again later")
