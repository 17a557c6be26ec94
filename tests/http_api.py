"""A small pet store HTTP API for the tests of the generated HttpHandlers: a Starlette app, run by
uvicorn on a free loopback port in a thread of the test process, that serves its own OpenAPI
document at /openapi.json (from the operations written in its endpoints' docstrings).

Every operation answers with what it received (`echo`): the method, the path as it came
(percent-encoding and all), the query's pairs, the headers a test sends, the cookies and the
body; so a test reads from the call's output what reached the server. A few values make an
operation fail: pet 404 is not found (a 404 with a JSON error body), pet 500 crashes (a 500
whose body a test proves the model never sees), pet 999 answers only after SLOW seconds; a
pet added with a blank name is refused (422, JSON), with the tag `long` too (400, a long text).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import threading
import time
import urllib.parse
from collections.abc import Iterator
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.schemas import SchemaGenerator

import servers

SLOW = 2.0
"""Seconds pet 999 takes to answer."""
SECRET = "Traceback: the database password is hunter2"
"""What the 500 answer's body says: never shown to the model."""

PNG = b"\x89PNG\r\n\x1a\n"
"""What a pet's photo is: a PNG's signature, no text."""

SCHEMAS = SchemaGenerator(
    {
        "openapi": "3.0.3",
        "info": {"title": "Pet store", "version": "1.0.0"},
        "servers": [{"url": "/v1"}],
    }
)


async def echo(request: Request) -> Response:
    """What the request brought, as JSON."""
    raw = await request.body()
    body: Any = None
    kind = request.headers.get("content-type", "")
    if kind.startswith("application/json"):
        body = json.loads(raw)
    elif kind.startswith("application/x-www-form-urlencoded"):
        body = [list(pair) for pair in urllib.parse.parse_qsl(raw.decode("ascii"), keep_blank_values=True)]
    elif kind.startswith("multipart/form-data"):
        message = BytesParser(policy=HTTP).parsebytes(f"Content-Type: {kind}\r\n\r\n".encode() + raw)
        body = {
            part.get_param("name", header="content-disposition"): part.get_content() for part in message.iter_parts()
        }
    elif raw:
        body = raw.decode("utf-8")
    seen = {
        "method": request.method,
        "path": request.scope["raw_path"].decode("ascii"),
        "query": [list(pair) for pair in request.query_params.multi_items()],
        "headers": {
            name: request.headers[name].partition(";")[0]
            for name in ("x-trace", "content-type", "authorization")
            if name in request.headers
        },
        "cookies": dict(request.cookies),
        "body": body,
    }
    return JSONResponse(seen)


async def get_pet(request: Request) -> Response:
    """
    summary: Find a pet by its ID.
    operationId: getPetById
    parameters:
      - {name: petId, in: path, required: true, schema: {type: integer}}
      - {name: X-Trace, in: header, schema: {type: string}}
      - {name: session, in: cookie, schema: {type: string}}
    responses:
      "200":
        description: The pet. (Wrong, as documents can be; what the API answers is passed on as it is.)
        content:
          application/json:
            schema: {type: object, required: [name], properties: {name: {type: string}}}
      "404": {description: No such pet.}
    """
    pet = request.path_params["petId"]
    if pet == "404":
        return JSONResponse({"code": 404, "message": "pet 404 not found", "hint": "list the pets"}, 404)
    if pet == "500":
        return PlainTextResponse(SECRET, 500)
    if pet == "999":
        await asyncio.sleep(SLOW)
    return await echo(request)


async def list_pets(request: Request) -> Response:
    """
    summary: List pets.
    operationId: listPets
    parameters:
      - {name: tags, in: query, schema: {type: array, items: {type: string}}}
      - {name: fields, in: query, style: form, explode: false, schema: {type: array, items: {type: string}}}
      - {name: limit, in: query, schema: {type: integer, default: 20}}
      - {name: filter, in: query, style: deepObject, explode: true,
         schema: {type: object, properties: {colour: {type: string}, age: {type: integer}}}}
    responses:
      "200": {description: The pets.}
    """
    return await echo(request)


async def add_pet(request: Request) -> Response:
    """
    summary: Add a pet.
    operationId: addPet
    requestBody:
      required: true
      content:
        application/json:
          schema:
            type: object
            required: [name]
            properties:
              name: {type: string}
              tag: {type: string}
              photo_urls: {type: array, items: {type: string}}
    responses:
      "200": {description: The pet.}
      "422": {description: The pet is not valid.}
    """
    pet = json.loads(await request.body())
    if pet.get("tag") == "long":
        return PlainTextResponse("a tag may not\n  be long. " * 500, 400)
    if not pet.get("name", "").strip():
        return JSONResponse({"detail": [{"loc": ["body", "name"], "msg": "a name may not be blank"}]}, 422)
    return await echo(request)


async def update_pet(request: Request) -> Response:
    """
    summary: Replace a pet.
    operationId: updatePet
    parameters:
      - {name: id, in: path, required: true, schema: {type: string}}
    requestBody:
      required: true
      content:
        application/json:
          schema:
            type: object
            required: [id, name]
            properties:
              id: {type: string}
              name: {type: string}
    responses:
      "200": {description: The pet.}
    """
    return await echo(request)


async def delete_pet(request: Request) -> Response:
    """
    summary: Delete a pet.
    operationId: deletePet
    parameters:
      - {name: id, in: path, required: true, schema: {type: string}}
    responses:
      "204": {description: Deleted.}
    """
    return Response(status_code=204)


async def add_pets(request: Request) -> Response:
    """
    summary: Add many pets.
    operationId: addPets
    requestBody:
      required: true
      content:
        application/json:
          schema: {type: array, items: {type: string}}
    responses:
      "200": {description: The pets.}
    """
    return await echo(request)


async def write_note(request: Request) -> Response:
    """
    summary: Write a pet's note.
    operationId: writeNote
    parameters:
      - {name: id, in: path, required: true, schema: {type: string}}
    requestBody:
      required: true
      content:
        text/plain:
          schema: {type: string}
    responses:
      "200": {description: The note.}
    """
    return await echo(request)


async def add_photo(request: Request) -> Response:
    """
    summary: Add a photo of a pet.
    operationId: addPhoto
    parameters:
      - {name: id, in: path, required: true, schema: {type: string}}
    requestBody:
      required: true
      content:
        multipart/form-data:
          schema:
            type: object
            required: [caption]
            properties:
              caption: {type: string}
              taken: {type: string, format: date}
    responses:
      "200": {description: The photo.}
    """
    return await echo(request)


async def get_photo(request: Request) -> Response:
    """
    summary: Get a photo of a pet.
    operationId: getPhoto
    parameters:
      - {name: id, in: path, required: true, schema: {type: string}}
    responses:
      "200": {description: The photo., content: {image/png: {schema: {type: string, format: binary}}}}
    """
    return Response(PNG, media_type="image/png")


async def set_tags(request: Request) -> Response:
    """
    summary: Set a pet's tags.
    operationId: setTags
    parameters:
      - {name: id, in: path, required: true, schema: {type: string}}
    requestBody:
      required: true
      content:
        application/x-www-form-urlencoded:
          schema:
            type: object
            required: [tags]
            properties:
              tags: {type: array, items: {type: string}}
              reason: {type: string}
    responses:
      "200": {description: The tags.}
    """
    return await echo(request)


async def openapi(request: Request) -> Response:
    return JSONResponse(document())


ROUTES = [
    Route("/pets/batch", add_pets, methods=["POST"]),
    Route("/pets/{petId}", get_pet, methods=["GET"]),
    Route("/pets", list_pets, methods=["GET"]),
    Route("/pets", add_pet, methods=["POST"]),
    Route("/pets/{id}", update_pet, methods=["PUT"]),
    Route("/pets/{id}", delete_pet, methods=["DELETE"]),
    Route("/pets/{id}/note", write_note, methods=["PUT"]),
    Route("/pets/{id}/photo", add_photo, methods=["POST"]),
    Route("/pets/{id}/photo", get_photo, methods=["GET"]),
    Route("/pets/{id}/tags", set_tags, methods=["PUT"]),
]
"""The API's operations, below its base path /v1 (the document's relative server URL)."""

APP = Starlette(routes=[Mount("/v1", routes=ROUTES), Route("/openapi.json", openapi)])


def document() -> dict[str, Any]:
    """The app's OpenAPI document, as /openapi.json serves it (as JSON)."""
    schema: dict[str, Any] = SCHEMAS.get_schema(ROUTES)
    return schema


@contextlib.contextmanager
def serve() -> Iterator[str]:
    """The app on a free loopback port, in a thread, until the block ends: its URL."""
    port = servers.free_port()
    server = uvicorn.Server(uvicorn.Config(APP, host="127.0.0.1", port=port, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + servers.STARTUP_SECONDS
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError(f"the test API did not start on port {port}")
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
