"""Tools that call an HTTP API: the request a tool's validated arguments make, sent with
httpx, and the answer as the model reads it.

toolspec copies this module, as it is, into every generated package as `_http.py`: edit it
here, in the generator, never in the copy. A generated `<Toolset>HttpHandlers` class says
each tool's operation (HttpOperation) and calls `_call_operation`; httpx is imported only
when such a class is made (`pip install httpx`, or toolspec's extra `http`).

Parameters are written as OpenAPI 3 says for their `style` and `explode`; a parameter the
model left out (None, or the default it stands for) is not sent. The answer is not validated
against the API's response schemas: documents are often wrong about them, and refusing an
answer the API gave would fail calls that worked.
"""

from __future__ import annotations

import asyncio
import contextlib
import http
import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, cast
from urllib.parse import quote, urlencode

from ._base import ToolArguments
from ._outcomes import ToolError
from ._records import _package

if TYPE_CHECKING:
    # Only for type checkers: the generated package needs httpx only where it calls an API.
    import httpx  # type: ignore[import-not-found, unused-ignore]

_HINT = "pip install httpx, or toolspec's extra: pip install 'toolspec[http]'"
"""What to install where httpx is not: it is imported (typed Any) when the class is made."""

ERROR_BODY_LIMIT = 2000
"""The characters of a 4xx answer's body the model is shown; the rest is cut."""


@dataclass(frozen=True)
class HttpParameter:
    """Where one tool parameter goes in the request."""

    parameter: str
    """The tool parameter's name (its key in the model's arguments)."""
    location: str
    """path, query, header, cookie or body."""
    name: str
    """Its name in the request: the path template's variable, the query key, the header..."""
    style: str | None = None
    """OpenAPI's style (the spec's, or OpenAPI's default); None in the body."""
    explode: bool = False
    whole: bool = False
    """A body parameter that is the whole body, not a property of a body object."""


@dataclass(frozen=True)
class HttpOperation:
    """An API operation a tool calls."""

    method: str
    path: str
    """The path template below the base URL: `/pets/{petId}`."""
    parameters: tuple[HttpParameter, ...] = ()
    body: str | None = None
    """The body's media type; None: application/json where a parameter goes in the body."""


@dataclass
class HttpRequest:
    """The request a call makes, before the base URL is put in front of its path."""

    method: str
    path: str
    query: list[tuple[str, str]] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)
    cookies: list[str] = field(default_factory=list)
    """`name=value`, each."""
    content: bytes | None = None
    parts: list[tuple[str, str]] | None = None
    """A multipart/form-data body's fields (httpx writes it, and its boundary)."""

    def arguments(self, base_url: str, headers: Mapping[str, str]) -> dict[str, Any]:
        """httpx's `request` arguments: base_url is put in front of the path (an empty one
        leaves the path to the client's own base URL)."""
        cookies = {"Cookie": "; ".join(self.cookies)} if self.cookies else {}
        arguments: dict[str, Any] = {
            "method": self.method,
            "url": base_url.rstrip("/") + self.path if base_url else self.path,
            "params": self.query,
            "headers": {**headers, **self.headers, **cookies},
            "content": self.content,
        }
        if self.parts is not None:
            arguments["files"] = [(name, (None, text)) for name, text in self.parts]
        return arguments


def build_request(operation: HttpOperation, args: ToolArguments) -> HttpRequest:
    """The request a call of operation makes with args.

    Only what the model gave is sent: a field at its default (an optional parameter left
    out, or its null standing for the default) is left out, a required null is sent.
    """
    values = args.model_dump(mode="json", by_alias=True, exclude_defaults=True)
    request = HttpRequest(operation.method.upper(), operation.path)
    body: Any = {}
    form: list[tuple[str, str]] = []
    """The body as a form's pairs too, in case it is a form (style form, exploded)."""
    for parameter in operation.parameters:
        if parameter.parameter not in values:
            if parameter.location == "path":
                raise ToolError(f"{parameter.parameter} is needed: it is in the path")
            continue
        value = values[parameter.parameter]
        if parameter.whole:
            body = value
            if isinstance(value, dict):
                form = [p for k, v in value.items() for p in _form(k, "form", True, v)]
        elif parameter.location == "body":
            body[parameter.name] = value
            form.extend(_form(parameter.name, "form", True, value))
        else:
            _put_parameter(request, parameter, value)
    if any(
        p.location == "body" and (p.parameter in values or not p.whole)
        for p in operation.parameters
    ):
        _put_body(request, operation.body, body, form)
    return request


def _put_parameter(request: HttpRequest, parameter: HttpParameter, value: Any) -> None:
    """A path, query, header or cookie parameter put in the request."""
    style, explode = parameter.style or "form", parameter.explode
    if parameter.location == "path":
        request.path = _in_path(request.path, parameter, style, explode, value)
    elif parameter.location == "query":
        request.query.extend(_form(parameter.name, style, explode, value))
    elif parameter.location == "header":
        request.headers[parameter.name] = _simple(value, explode, _text)
    else:
        request.cookies.append(f"{parameter.name}={_simple(value, False, _in_cookie)}")


def _in_path(
    path: str, parameter: HttpParameter, style: str, explode: bool, value: Any
) -> str:
    """path with the parameter's template variable replaced by value, quoted (label and
    matrix styles as OpenAPI writes them)."""
    if value is None or value in ("", [], {}):
        raise ToolError(f"{parameter.parameter} may not be empty: it is in the path")
    name = parameter.name
    if style == "label":
        text = "." + _simple(value, explode, _quoted, separator="." if explode else ",")
    elif style == "matrix":
        text = "".join(f";{key}={item}" for key, item in _matrix(name, explode, value))
    else:
        text = _simple(value, explode, _quoted)
    return path.replace("{" + name + "}", text)


def _matrix(name: str, explode: bool, value: Any) -> list[tuple[str, str]]:
    if isinstance(value, list) and explode:
        return [(name, _quoted(item)) for item in value]
    if isinstance(value, dict) and explode:
        return [(_quoted(key), _quoted(item)) for key, item in value.items()]
    return [(name, _simple(value, False, _quoted))]


def _simple(
    value: Any, explode: bool, text: Callable[[Any], str], separator: str = ","
) -> str:
    """value in the simple style: an array's items, an object's keys and values (`k=v` when
    exploded), joined by separator; each item written by text."""
    if isinstance(value, list):
        return separator.join(text(item) for item in value)
    if isinstance(value, dict):
        if explode:
            return separator.join(
                f"{text(key)}={text(item)}" for key, item in value.items()
            )
        return separator.join(
            f"{text(key)}{separator}{text(item)}" for key, item in value.items()
        )
    return text(value)


def _form(name: str, style: str, explode: bool, value: Any) -> list[tuple[str, str]]:
    """value as query (or form body) pairs, in style (form, spaceDelimited, pipeDelimited,
    deepObject)."""
    if style == "deepObject" and isinstance(value, dict):
        return [(f"{name}[{key}]", _text(item)) for key, item in value.items()]
    if isinstance(value, list):
        if explode:
            return [(name, _text(item)) for item in value]
        separator = {"spaceDelimited": " ", "pipeDelimited": "|"}.get(style, ",")
        return [(name, separator.join(_text(item) for item in value))]
    if isinstance(value, dict):
        if explode:
            return [(key, _text(item)) for key, item in value.items()]
        return [(name, ",".join(f"{key},{_text(item)}" for key, item in value.items()))]
    return [(name, _text(value))]


def _text(value: Any) -> str:
    """A value as one item of a parameter: a string as it is, true and false and numbers as
    JSON writes them, null as nothing, an array or object (nested, which no style says how
    to write) as JSON."""
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _quoted(value: Any) -> str:
    """_text percent-encoded for a path: every character but the unreserved ones; `.` and
    `..` too, which a URL would read as a step in the path."""
    text = quote(_text(value), safe="")
    return text.replace(".", "%2E") if text in (".", "..") else text


def _in_cookie(value: Any) -> str:
    """_text with what a cookie's value may not hold (space, `"`, `,`, `;`, `\\`, controls,
    non-ASCII) and `%` percent-encoded."""
    return quote(_text(value), safe=_COOKIE_SAFE)


_COOKIE_SAFE = "!#$&'()*+-./:<=>?@[]^_`{|}~"
"""The punctuation RFC 6265 lets a cookie's value hold, but for `%`."""


def _put_body(
    request: HttpRequest,
    media_type: str | None,
    value: Any,
    form: list[tuple[str, str]],
) -> None:
    """The body, as its media type says: JSON, a form or multipart form (form: its fields),
    or, for any other type, the value as text (a value that is not a string, as JSON).
    """
    media_type = media_type or "application/json"
    kind = media_type.partition(";")[0].strip().lower()
    if kind == "multipart/form-data" and not isinstance(value, str):
        request.parts = form
        return
    if kind == "application/json" or kind.endswith("+json"):
        content = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    elif kind == "application/x-www-form-urlencoded" and not isinstance(value, str):
        content = urlencode(form)
    else:
        content = _text(value)
    request.content = content.encode("utf-8")
    request.headers["Content-Type"] = media_type


class HttpHandlers:
    """The base of a generated `<Toolset>HttpHandlers` class: each tool's method calls the
    API operation the spec gives it (OPERATIONS), with httpx.

    `client`: an `httpx.Client` (the methods return the answer) or an `httpx.AsyncClient`
    (they return a coroutine of it: for a Dispatcher's `arun_*` methods); without one, an
    `httpx.Client` is made with `timeout` seconds, following redirects. `base_url` is put in
    front of every path: by default the client's own base URL, where it has one, else the
    spec's (BASE_URL).
    `headers` (an `Authorization` header, say) go with every request.

    The answer is its JSON, or its text (the status, where it has no body; its size and
    type, where it is not text, as an image, which the model could not read). A 4xx answer
    raises ToolError with the status and the answer's body (trimmed to ERROR_BODY_LIMIT
    characters), for the model to correct its call; any other failure (a 5xx, a redirect not
    followed, a timeout, no connection) raises ToolError with the status or what failed, and
    no body. A subclass may override a tool's method and call `super()`.
    """

    CHECK_RESULTS: ClassVar[bool] = False
    """The API's answer is passed on as it is, never checked against the document's response
    schema (its `returns`): documents are often wrong about their responses, and a check would
    fail calls that work."""
    BASE_URL: ClassVar[str | None] = None
    """The spec's `http.base_url`."""
    OPERATIONS: ClassVar[Mapping[str, HttpOperation]] = {}
    """Each tool's operation, by the tool's name."""

    def __init__(
        self,
        client: httpx.Client | httpx.AsyncClient | None = None,
        *,
        base_url: str | None = None,
        headers: Mapping[str, str] | None = None,
        timeout: float | None = 30.0,
    ) -> None:
        httpx = _package("httpx", type(self).__name__, _HINT)
        if client is None:
            client = httpx.Client(timeout=timeout, follow_redirects=True)
        self.client = client
        """The httpx client that sends the requests: close it when done with the handlers."""
        self._async = isinstance(client, httpx.AsyncClient)
        self._loop: asyncio.AbstractEventLoop | None = None
        """The event loop of an AsyncClient's first call."""
        self._httpx = httpx
        # "": the client's own base URL, which httpx puts in front of the path.
        given = base_url or ("" if str(client.base_url) else self.BASE_URL)
        if given is None:
            raise ValueError(
                f"{type(self).__name__} needs a base_url: the spec gives none (http.base_url), "
                "and neither does the client"
            )
        self._base_url = given
        self._headers = dict(headers or {})

    def _call_operation(self, tool: str, args: ToolArguments) -> Any:
        """Call the tool's operation with args: the answer's JSON or text; with an
        AsyncClient, a coroutine of it."""
        request = build_request(self.OPERATIONS[tool], args)
        arguments = request.arguments(self._base_url, self._headers)
        if self._async:
            return self._asend(cast("httpx.AsyncClient", self.client), arguments)
        with self._failures():
            response = cast("httpx.Client", self.client).request(**arguments)
        return answer(response)

    async def _asend(self, client: httpx.AsyncClient, arguments: dict[str, Any]) -> Any:
        loop = asyncio.get_running_loop()
        if self._loop is None:
            self._loop = loop
        elif loop is not self._loop:
            raise RuntimeError(
                f"{type(self).__name__} was made with an httpx.AsyncClient, whose connections "
                "belong to the event loop of its first call: run its calls in that loop (a "
                "Dispatcher's arun_* methods), or give it an httpx.Client for run_*"
            )
        with self._failures():
            response = await client.request(**arguments)
        return answer(response)

    @contextlib.contextmanager
    def _failures(self) -> Iterator[None]:
        """httpx's failures to get an answer, as ToolErrors the model reads."""
        try:
            yield
        except self._httpx.TimeoutException as error:
            raise ToolError(
                "the API did not answer in time; try again later"
            ) from error
        except self._httpx.ConnectError as error:
            raise ToolError("the API could not be reached; try again later") from error
        except self._httpx.TransportError as error:
            raise ToolError(
                f"the connection to the API failed ({type(error).__name__}); try again later"
            ) from error


def answer(response: httpx.Response) -> Any:
    """What the model reads of an answer: its JSON or text; a ToolError for a failure."""
    status = f"{response.status_code} {_reason(response)}"
    if 400 <= response.status_code < 500:
        body = _error_body(response)
        raise ToolError(f"the API answered {status}" + (f": {body}" if body else ""))
    if not 200 <= response.status_code < 300:
        raise ToolError(f"the API failed: {status}")
    if not response.content:
        return status
    kind = _media_type(response)
    if _is_json(response):
        with contextlib.suppress(ValueError):
            return response.json()
    if kind and not kind.startswith(_TEXT) and not kind.endswith(("+xml", "/xml")):
        return f"{status}: {len(response.content)} bytes of {kind}, not shown"
    return response.text


_TEXT = ("text/", "application/x-www-form-urlencoded", "application/javascript")
"""Answers read as text, beside JSON and XML (and any answer that names no type)."""


def _reason(response: httpx.Response) -> str:
    reason: str = response.reason_phrase
    if not reason:
        with contextlib.suppress(ValueError):
            reason = http.HTTPStatus(response.status_code).phrase
    return reason


def _media_type(response: httpx.Response) -> str:
    kind: str = response.headers.get("content-type", "")
    return kind.partition(";")[0].strip().lower()


def _is_json(response: httpx.Response) -> bool:
    kind = _media_type(response)
    return kind == "application/json" or kind.endswith("+json")


def _error_body(response: httpx.Response) -> str:
    """A 4xx answer's body as the model reads it: JSON written compactly, text with its
    runs of white space made one space; cut at ERROR_BODY_LIMIT characters."""
    text = " ".join(response.text.split())
    if _is_json(response):
        with contextlib.suppress(ValueError):
            text = json.dumps(
                response.json(), ensure_ascii=False, separators=(",", ":")
            )
    if len(text) > ERROR_BODY_LIMIT:
        text = f"{text[:ERROR_BODY_LIMIT]}… ({len(text) - ERROR_BODY_LIMIT} more characters)"
    return text
