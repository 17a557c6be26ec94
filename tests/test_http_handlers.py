"""The generated `<Toolset>HttpHandlers`: each tool's method calls the API operation its `http`
key describes. Against a real HTTP server on loopback (tests/http_api.py, a Starlette app that
answers with what it received), from the spec `toolspec import` makes of the OpenAPI document
the app serves, through the Dispatcher, for both APIs, sync (an httpx.Client)
and async (an httpx.AsyncClient): the right method and path, query, headers and body; a 4xx
answer as a tool_error with the API's message, a 5xx, a timeout and a refused connection as a
tool_error with no body."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

import http_api
import servers
from conftest import REPO, build_package, run_toolspec

CALLS: list[tuple[str, dict[str, Any], dict[str, Any]]] = [
    (
        "getPetById",
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
        "listPets",
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
        "listPets",
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
        "addPet",
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
        "updatePet",
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
    ("deletePet", {"id": "rex"}, "204 No Content"),
    ("getPhoto", {"id": "rex"}, "200 OK: 8 bytes of image/png, not shown"),
    (
        "addPets",
        {"body": ["Rex", "Tom"]},
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
        "writeNote",
        {"id": "..", "body": "Likes fish.\nHates baths."},
        {
            "method": "PUT",
            "path": "/v1/pets/%2E%2E/note",
            "query": [],
            "headers": {"content-type": "text/plain", "authorization": "Bearer k"},
            "cookies": {},
            "body": "Likes fish.\nHates baths.",
        },
    ),
    (
        "addPhoto",
        {"id": "rex", "body": {"caption": "Rex & Tom", "taken": "2026-12-06"}},
        {
            "method": "POST",
            "path": "/v1/pets/rex/photo",
            "query": [],
            "headers": {"content-type": "multipart/form-data", "authorization": "Bearer k"},
            "cookies": {},
            "body": {"caption": "Rex & Tom", "taken": "2026-12-06"},
        },
    ),
    (
        "setTags",
        {"id": "rex", "body": {"tags": ["old", "fat cat"], "reason": None}},
        {
            "method": "PUT",
            "path": "/v1/pets/rex/tags",
            "query": [],
            "headers": {"content-type": "application/x-www-form-urlencoded", "authorization": "Bearer k"},
            "cookies": {},
            "body": [["tags", "old"], ["tags", "fat cat"]],
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


def imported_spec(api: str, root: Path) -> str:
    """The pet store's spec, imported from the OpenAPI document the running API serves."""
    document = httpx.get(f"{api}/openapi.json").raise_for_status().text
    (root / "openapi.json").write_text(document, "utf-8")
    (root / "pyproject.toml").write_text('[tool.toolspec]\nspecs = "specs"\n', "utf-8")
    imported = run_toolspec("import", "openapi.json", "--toolset", "petstore", "-o", "petstore.yaml", cwd=root)
    assert imported.returncode == 0, imported.stderr
    assert "the document's first server URL, '/v1', is relative" in imported.stdout + imported.stderr
    return (root / "petstore.yaml").read_text("utf-8")


@pytest.fixture(scope="module")
def spec(api: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    return imported_spec(api, tmp_path_factory.mktemp("import"))


@pytest.fixture(scope="module")
def package(spec: str, tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    """The package of the imported pet store spec, with no base URL (the document's is relative)."""
    assert "base_url" not in spec
    return build_package(tmp_path_factory.mktemp("petstore"), {"petstore.yaml": spec})


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
    calls = [("getPetById", {"pet_id": 404}), ("addPet", {"name": "  ", "tag": None, "photo_urls": None})]
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
        [("getPetById", {"pet_id": 500}), ("getPetById", {"pet_id": 999})],
        timeout=http_api.SLOW / 4,
    )
    assert _error(crash) == ("tool_error", "the API failed: 500 Internal Server Error")
    assert "hunter2" not in crash
    assert _error(slow) == ("tool_error", "the API did not answer in time; try again later")
    closed = f"http://127.0.0.1:{servers.free_port()}"
    (refused,) = _run(package, closed, api_kind, run, [("getPetById", {"pet_id": 1})])
    assert _error(refused) == ("tool_error", "the API could not be reached; try again later")


def test_a_long_error_body_is_cut_and_its_white_space_made_one_space(package: ModuleType, api: str) -> None:
    (output,) = _run(
        package, api, "responses", "sync", [("addPet", {"name": "Rex", "tag": "long", "photo_urls": None})]
    )
    code, message = _error(output)
    said = " ".join(("a tag may not\n  be long. " * 500).split())
    assert code == "tool_error"
    assert message == f"the API answered 400 Bad Request: {said[:2000]}… ({len(said) - 2000} more characters)"


def test_base_url_defaults_to_the_specs_and_headers_go_with_every_request(tmp_path: Path, api: str, spec: str) -> None:
    with_base_url = spec.replace("\ntoolset: petstore\n", f"\ntoolset: petstore\nhttp:\n  base_url: {api}/v1\n")
    package = build_package(tmp_path, {"petstore.yaml": with_base_url})
    petstore = _petstore(package)
    assert petstore.PetstoreHttpHandlers.BASE_URL == f"{api}/v1"
    handlers = petstore.PetstoreHttpHandlers(headers={"Authorization": "Bearer k"})  # its own httpx.Client
    try:
        arguments = petstore.GetPetByIdArguments(pet_id=3, x_trace=None, session=None)
        assert handlers.get_pet_by_id(arguments) == {
            "method": "GET",
            "path": "/v1/pets/3",
            "query": [],
            "headers": {"authorization": "Bearer k"},
            "cookies": {},
            "body": None,
        }
    finally:
        handlers.client.close()
    closed = f"http://127.0.0.1:{servers.free_port()}/v1"

    class Elsewhere(petstore.PetstoreHttpHandlers):  # type: ignore[misc, name-defined]
        BASE_URL = closed

    with httpx.Client(base_url=f"{api}/v1") as client:  # the client's base URL comes before the spec's
        assert Elsewhere(client).delete_pet(petstore.DeletePetArguments(id="x")) == "204 No Content"
    with httpx.Client(base_url=closed) as client:  # and base_url before both
        assert Elsewhere(client, base_url=f"{api}/v1").delete_pet(petstore.DeletePetArguments(id="x")) == (
            "204 No Content"
        )
        with pytest.raises(package.ToolError, match="the API could not be reached"):
            Elsewhere(client).delete_pet(petstore.DeletePetArguments(id="x"))


def test_without_a_base_url_from_the_spec_or_the_client_one_must_be_given(package: ModuleType, api: str) -> None:
    handlers_class = _petstore(package).PetstoreHttpHandlers
    with pytest.raises(ValueError, match=r"PetstoreHttpHandlers needs a base_url: the spec gives none"):
        handlers_class()
    with httpx.Client(base_url=f"{api}/v1") as client:  # the client's own base URL will do
        handlers = handlers_class(client)
        assert handlers.delete_pet(_petstore(package).DeletePetArguments(id="rex")) == "204 No Content"


def test_a_subclass_adds_logic_around_the_generated_call_sync_and_async(package: ModuleType, api: str) -> None:
    petstore = _petstore(package)

    class Sync(petstore.PetstoreHttpHandlers):  # type: ignore[misc, name-defined]
        def list_pets(self, args: Any) -> Any:
            if args.limit > 10:
                raise package.ToolError("at most 10 pets at a time")
            return {"count": len(super().list_pets(args)["query"])}

    class Async(petstore.PetstoreHttpHandlers):  # type: ignore[misc, name-defined]
        async def list_pets(self, args: Any) -> Any:
            return {"count": len((await super().list_pets(args))["query"])}

    calls = [("listPets", {"tags": ["a", "b"], "fields": None, "limit": 3, "filter": None})]
    too_many = [("listPets", {"tags": None, "fields": None, "limit": 50, "filter": None})]
    for api_kind in ("responses", "chat_completions"):
        assert _run(package, api, api_kind, "sync", calls, handlers_class=Sync) == ['{"count":3}']
        assert _error(_run(package, api, api_kind, "sync", too_many, handlers_class=Sync)[0]) == (
            "tool_error",
            "at most 10 pets at a time",
        )
        assert _run(package, api, api_kind, "async", calls, handlers_class=Async) == ['{"count":3}']


def test_without_httpx_making_the_handlers_says_what_to_install(
    package: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "httpx", None)  # import httpx now fails, as where it is not installed
    with pytest.raises(ModuleNotFoundError) as raised:
        _petstore(package).PetstoreHttpHandlers(base_url="http://127.0.0.1:1")
    assert str(raised.value) == (
        "PetstoreHttpHandlers needs the package httpx, which is not installed: pip install httpx, "
        "or toolspec's extra: pip install 'toolspec[http]'"
    )


SUBCLASS = """\
from __future__ import annotations

from typing import Any

import httpx

from {package}.petstore import ListPetsArguments, PetstoreHttpHandlers


class Counted(PetstoreHttpHandlers):
    def list_pets(self, args: ListPetsArguments) -> dict[str, int]:
        return {{"count": len(super().list_pets(args)["query"])}}


class Awaited(PetstoreHttpHandlers):
    async def list_pets(self, args: ListPetsArguments) -> Any:
        return await super().list_pets(args)


Counted(base_url="https://example.com", headers={{"Authorization": "Bearer k"}}, timeout=5)
Awaited(httpx.AsyncClient(), base_url="https://example.com")
"""


def test_the_generated_handlers_and_a_subclass_pass_mypy_strict(package: ModuleType) -> None:
    """This pet store's package with a subclass, and that of the import's own test document,
    which has one of each construct (a split document, clashing names, a whole image body)."""
    root = Path(package.__file__).parent.parent
    (root / "petstore_app.py").write_text(SUBCLASS.format(package=package.__name__), "utf-8")
    imported = root / "every_construct"
    imported.mkdir()
    (imported / "pyproject.toml").write_text("[tool.toolspec]\n", "utf-8")
    document = REPO / "tests" / "data" / "openapi" / "petstore.yaml"
    result = run_toolspec("import", str(document), "--toolset", "every", "-o", "every.yaml", cwd=imported)
    assert result.returncode == 0, result.stderr
    every = build_package(root, {"every.yaml": (imported / "every.yaml").read_text("utf-8")})
    every_handlers = __import__(f"{every.__name__}.every", fromlist=["EveryHttpHandlers"]).EveryHttpHandlers
    assert every_handlers.BASE_URL == "https://eu.petstore.example.com/v1"
    mypy = [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(REPO / ".mypy_cache")]
    checked = [package.__name__, every.__name__, "petstore_app.py"]
    result = subprocess.run([*mypy, *checked], cwd=root, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-5000:]


PRIMITIVE, ARRAY, OBJECT = 5, [3, 4, 5], {"role": "admin", "firstName": "Alex"}
STYLES: list[tuple[str, str, bool, Any, Any]] = [
    # OpenAPI 3's table of style examples (the parameter `id`), each: in, style, explode, the
    # value, and what the request holds (the path; the query's pairs; the header; the cookie).
    ("path", "simple", False, PRIMITIVE, "/x/5"),
    ("path", "simple", False, ARRAY, "/x/3,4,5"),
    ("path", "simple", False, OBJECT, "/x/role,admin,firstName,Alex"),
    ("path", "simple", True, ARRAY, "/x/3,4,5"),
    ("path", "simple", True, OBJECT, "/x/role=admin,firstName=Alex"),
    ("path", "label", False, PRIMITIVE, "/x/.5"),
    ("path", "label", False, ARRAY, "/x/.3,4,5"),
    ("path", "label", False, OBJECT, "/x/.role,admin,firstName,Alex"),
    ("path", "label", True, ARRAY, "/x/.3.4.5"),
    ("path", "label", True, OBJECT, "/x/.role=admin.firstName=Alex"),
    ("path", "matrix", False, PRIMITIVE, "/x/;id=5"),
    ("path", "matrix", False, ARRAY, "/x/;id=3,4,5"),
    ("path", "matrix", False, OBJECT, "/x/;id=role,admin,firstName,Alex"),
    ("path", "matrix", True, ARRAY, "/x/;id=3;id=4;id=5"),
    ("path", "matrix", True, OBJECT, "/x/;role=admin;firstName=Alex"),
    ("query", "form", False, PRIMITIVE, [("id", "5")]),
    ("query", "form", False, ARRAY, [("id", "3,4,5")]),
    ("query", "form", False, OBJECT, [("id", "role,admin,firstName,Alex")]),
    ("query", "form", True, ARRAY, [("id", "3"), ("id", "4"), ("id", "5")]),
    ("query", "form", True, OBJECT, [("role", "admin"), ("firstName", "Alex")]),
    ("query", "spaceDelimited", False, ARRAY, [("id", "3 4 5")]),
    ("query", "pipeDelimited", False, ARRAY, [("id", "3|4|5")]),
    ("query", "deepObject", True, OBJECT, [("id[role]", "admin"), ("id[firstName]", "Alex")]),
    ("header", "simple", False, ARRAY, "3,4,5"),
    ("header", "simple", False, OBJECT, "role,admin,firstName,Alex"),
    ("header", "simple", True, OBJECT, "role=admin,firstName=Alex"),
    ("cookie", "form", True, PRIMITIVE, "id=5"),
    ("cookie", "form", False, ARRAY, "id=3,4,5"),
]


def _styles_spec() -> str:
    kinds = {
        int: "{type: integer, description: An ID.}",
        list: "{type: array, items: {type: integer}, description: IDs.}",
        dict: (
            "{type: object, description: A user., properties: "
            "{role: {type: string, description: Role.}, firstName: {type: string, description: Name.}}}"
        ),
    }
    tools = [
        f"  - name: case_{n}\n    description: A case.\n    effect: read\n    parameters:\n"
        f"      id: {kinds[type(value)]}\n    http:\n      method: GET\n"
        f"      path: {'/x/{id}' if where == 'path' else '/x'}\n"
        f"      parameters:\n        id: {{in: {where}, style: {style}, explode: {str(explode).lower()}}}\n"
        for n, (where, style, explode, value, _) in enumerate(STYLES)
    ]
    text_path = (
        "  - name: text_path\n    description: A path.\n    effect: read\n    parameters:\n"
        "      id: {type: string, description: An ID.}\n"
        "    http: {method: GET, path: '/x/{id}/y', parameters: {id: {in: path}}}\n"
    )
    return "toolset: styles\ndescription: Styles.\ntools:\n" + "".join(tools) + text_path


@pytest.fixture(scope="module")
def styles(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    return build_package(tmp_path_factory.mktemp("styles"), {"styles.yaml": _styles_spec()})


@pytest.mark.parametrize("case", range(len(STYLES)), ids=lambda n: "-".join(map(str, STYLES[n][:3])) + f"-{n}")
def test_parameters_are_written_in_their_style_as_openapi_shows(styles: ModuleType, case: int) -> None:
    where, _, _, value, expected = STYLES[case]
    tools = __import__(f"{styles.__name__}.styles", fromlist=["StylesHttpHandlers"])
    http = __import__(f"{styles.__name__}._http", fromlist=["build_request"])
    arguments = tools.ARGUMENT_MODELS[f"case_{case}"].model_validate({"id": value})
    request = http.build_request(tools.StylesHttpHandlers.OPERATIONS[f"case_{case}"], arguments)
    got = {
        "path": request.path,
        "query": request.query,
        "header": request.headers.get("id"),
        "cookie": "; ".join(request.cookies),
    }[where]
    assert got == expected


@pytest.mark.parametrize(
    ("value", "path"),
    [("..", "/x/%2E%2E/y"), (".", "/x/%2E/y"), ("a/../b", "/x/a%2F..%2Fb/y"), ("é ?#&", "/x/%C3%A9%20%3F%23%26/y")],
)
def test_path_values_are_quoted_and_cannot_step_out_of_their_segment(styles: ModuleType, value: str, path: str) -> None:
    tools = __import__(f"{styles.__name__}.styles", fromlist=["StylesHttpHandlers"])
    http = __import__(f"{styles.__name__}._http", fromlist=["build_request"])
    operation = tools.StylesHttpHandlers.OPERATIONS["text_path"]
    assert http.build_request(operation, tools.TextPathArguments(id=value)).path == path


def test_an_empty_path_value_is_refused_for_the_model_to_correct(styles: ModuleType) -> None:
    tools = __import__(f"{styles.__name__}.styles", fromlist=["StylesHttpHandlers"])
    outputs = styles.Dispatcher(tools.StylesHttpHandlers(base_url="http://127.0.0.1:1")).run_responses(
        _responses([("text_path", {"id": ""})])
    )
    assert _error(outputs[0]["output"]) == ("tool_error", "id may not be empty: it is in the path")


def test_a_tool_cannot_take_the_name_of_the_handlers_client(tmp_path: Path) -> None:
    spec = (
        "toolset: clients\ndescription: Clients.\ntools:\n"
        "  - name: client\n    description: Get a client.\n    effect: read\n    parameters: {}\n"
        "    http: {method: GET, path: /client}\n"
    )
    tools = __import__(f"{build_package(tmp_path, {'clients.yaml': spec}).__name__}.clients", fromlist=["x"])
    handlers = tools.ClientsHttpHandlers(base_url="http://127.0.0.1:1")
    try:
        assert [binding.method for binding in tools.ClientsHandlers.TOOLS] == ["client_2"]
        assert handlers.client.__class__.__name__ == "Client"
    finally:
        handlers.client.close()


def test_an_async_client_in_another_event_loop_than_its_first_says_what_to_do(package: ModuleType, api: str) -> None:
    petstore = _petstore(package)
    handlers = petstore.PetstoreHttpHandlers(httpx.AsyncClient(base_url=f"{api}/v1"))
    arguments = petstore.GetPetByIdArguments(pet_id=1, x_trace=None, session=None)
    assert asyncio.run(handlers.get_pet_by_id(arguments))["path"] == "/v1/pets/1"
    with pytest.raises(RuntimeError, match=r"belong to the event loop of its first call: run its calls in that loop"):
        asyncio.run(handlers.get_pet_by_id(arguments))  # as run_* would: a loop of its own each time


def test_the_names_kept_from_tool_methods_are_all_that_http_handlers_adds() -> None:
    from toolspec.compile.names import HTTP_HANDLER_NAMES
    from toolspec.runtime._http import HttpHandlers

    handlers = HttpHandlers(base_url="http://127.0.0.1:1")
    try:
        public = {name for name in [*dir(handlers), *vars(handlers)] if not name.startswith("_")}
        assert {name for name in public if not name.isupper()} == HTTP_HANDLER_NAMES
    finally:
        handlers.client.close()
