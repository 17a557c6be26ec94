"""A local HTTP server that plays the model, for both OpenAI APIs, streamed or not.

It speaks just enough of `POST /v1/responses` and `POST /v1/chat/completions` for the openai
SDK: a request that carries no tool outputs is answered with the planned tool calls, all in one
turn; a request that carries tool outputs is answered with a final text. Like the real API, it
answers 400 when the outputs do not pair one to one with the calls it made (by `call_id` or
`tool_call_id`). With `"stream": true` it sends server-sent events in the shapes the SDK parses.
Every request body is recorded, so that a test can check what the SDK sent.

    with FakeModel([PlannedCall("get_weather", '{"location": "Paris", "units": null}')]) as model:
        client = OpenAI(base_url=model.base_url, api_key="test")

It listens on 127.0.0.1 only, on a port the system chooses, and stops when the block ends.
"""

from __future__ import annotations

import itertools
import json
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass(frozen=True)
class PlannedCall:
    """A call the stand-in model makes: a function tool's arguments (JSON text, sent as they
    are, valid or not), or a custom tool's input text."""

    name: str
    arguments: str
    custom: bool = False


@dataclass(frozen=True)
class ToolOutput:
    """An output the client sent back, as the stand-in model received it."""

    call_id: str
    output: str
    name: str = ""
    """The name of the tool the stand-in called with this id."""


@dataclass(frozen=True)
class Recorded:
    """One request the server received."""

    path: str
    body: dict[str, Any]
    answer: dict[str, Any]
    """The answer, whole (also when it was streamed), or the error."""


def summarize(outputs: Sequence[ToolOutput]) -> str:
    """The default final answer: what came back for each call, ok or the error's code."""
    parts = []
    for item in outputs:
        try:
            parsed = json.loads(item.output)
        except ValueError:
            parsed = None
        is_error = isinstance(parsed, dict) and set(parsed) == {"error"} and isinstance(parsed["error"], dict)
        parts.append(f"{item.call_id} {parsed['error'].get('code') if is_error else 'ok'}")
    return f"I got {len(outputs)} tool outputs: {', '.join(parts)}."


class _Refused(Exception):
    """A request the real API would refuse (400)."""


class FakeModel:
    """Plays the model on a local port; use it as a context manager."""

    def __init__(
        self,
        calls: Sequence[PlannedCall],
        answer: Callable[[Sequence[ToolOutput]], str] = summarize,
        model: str = "fake-model",
    ) -> None:
        self.calls = list(calls)
        self.answer = answer
        self.model = model
        self.requests: list[Recorded] = []
        self._issued: dict[str, list[str]] = {}
        """The call ids of each response id (Responses) or turn, to check the outputs against."""
        self._all_issued: set[str] = set()
        self._names: dict[str, str] = {}
        self._lock = threading.Lock()
        self._numbers = itertools.count(1)
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # The server's life.

    def __enter__(self) -> FakeModel:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def start(self) -> None:
        model = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - the name http.server calls
                model._serve(self)

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name="fake-model", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=10)
        self._server = self._thread = None

    @property
    def base_url(self) -> str:
        assert self._server is not None, "the server is not running"
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def bodies(self, path: str) -> list[dict[str, Any]]:
        """The bodies of the requests to path (e.g. "/v1/responses"), in order."""
        with self._lock:
            return [r.body for r in self.requests if r.path == path]

    def _record(self, recorded: Recorded) -> None:
        with self._lock:
            self.requests.append(recorded)

    # Answering.

    def _serve(self, http: BaseHTTPRequestHandler) -> None:
        length = int(http.headers.get("Content-Length") or 0)
        try:
            body = json.loads(http.rfile.read(length) or b"{}")
        except ValueError:
            self._send_json(http, 400, _error("the body is not JSON"))
            return
        path = http.path.split("?", 1)[0]
        try:
            if path == "/v1/responses":
                events, final = self._responses(body)
            elif path == "/v1/chat/completions":
                events, final = self._chat(body)
            else:
                raise _Refused(f"no route {path}")
        except _Refused as refused:
            self._record(Recorded(path, body, _error(str(refused))))
            self._send_json(http, 400, _error(str(refused)))
            return
        self._record(Recorded(path, body, final))
        if body.get("stream"):
            self._send_events(http, events, done_marker=path == "/v1/chat/completions")
        else:
            self._send_json(http, 200, final)

    def _next(self, prefix: str) -> str:
        with self._lock:
            return f"{prefix}_{next(self._numbers)}"

    def _named(self, outputs: Sequence[ToolOutput]) -> list[ToolOutput]:
        with self._lock:
            return [ToolOutput(o.call_id, o.output, self._names.get(o.call_id, "")) for o in outputs]

    def _check_pairs(self, expected: Sequence[str], outputs: Sequence[ToolOutput]) -> None:
        sent = [o.call_id for o in outputs]
        for call_id in sent:
            if call_id not in self._all_issued:
                raise _Refused(f"No tool call found for function call output with call_id {call_id}.")
        missing = [c for c in expected if c not in sent]
        if missing:
            raise _Refused(f"No tool output found for function call {missing[0]}.")
        if len(set(sent)) != len(sent):
            raise _Refused("Duplicate tool output for one call id.")

    def _responses(self, body: dict[str, Any]) -> tuple[list[dict[str, Any]], dict[str, Any]]:
        items = body.get("input")
        items = items if isinstance(items, list) else []
        outputs = [
            ToolOutput(str(item.get("call_id")), str(item.get("output")))
            for item in items
            if isinstance(item, dict) and item.get("type") in ("function_call_output", "custom_tool_call_output")
        ]
        response_id = self._next("resp")
        if outputs:
            previous = body.get("previous_response_id")
            with self._lock:
                expected = self._issued.get(previous, []) if previous else []
                if not previous:
                    # Without previous_response_id, the calls are in the input with their outputs.
                    expected = [str(i.get("call_id")) for i in items if isinstance(i, dict) and "call_id" in i]
                self._check_pairs(expected, outputs)
            output = [_message(self._next("msg"), self.answer(self._named(outputs)))]
        else:
            output = [self._responses_call(call) for call in self.calls]
            with self._lock:
                self._issued[response_id] = [item["call_id"] for item in output]
                self._all_issued.update(self._issued[response_id])
                self._names.update((item["call_id"], item["name"]) for item in output)
        final = self._response(response_id, body, output, "completed")
        return self._responses_events(final), final

    def _responses_call(self, call: PlannedCall) -> dict[str, Any]:
        number = self._next("call")
        if call.custom:
            return {
                "type": "custom_tool_call",
                "id": f"ctc_{number}",
                "call_id": number,
                "name": call.name,
                "input": call.arguments,
                "status": "completed",
            }
        return {
            "type": "function_call",
            "id": f"fc_{number}",
            "call_id": number,
            "name": call.name,
            "arguments": call.arguments,
            "status": "completed",
        }

    def _response(
        self, response_id: str, body: dict[str, Any], output: list[dict[str, Any]], status: str
    ) -> dict[str, Any]:
        return {
            "id": response_id,
            "object": "response",
            "created_at": 1_700_000_000,
            "model": body.get("model", self.model),
            "status": status,
            "output": output,
            "error": None,
            "incomplete_details": None,
            "instructions": body.get("instructions"),
            "metadata": {},
            "parallel_tool_calls": True,
            "previous_response_id": body.get("previous_response_id"),
            "temperature": 1.0,
            "top_p": 1.0,
            "tool_choice": body.get("tool_choice", "auto"),
            "tools": body.get("tools", []),
            "text": {"format": {"type": "text"}},
            "usage": {
                "input_tokens": 10,
                "input_tokens_details": {"cached_tokens": 0},
                "output_tokens": 10,
                "output_tokens_details": {"reasoning_tokens": 0},
                "total_tokens": 20,
            },
        }

    def _responses_events(self, final: dict[str, Any]) -> list[dict[str, Any]]:
        """The events of a streamed Response, as the API sends them (arguments in pieces)."""
        events: list[dict[str, Any]] = [
            {"type": "response.created", "response": {**final, "status": "in_progress", "output": []}}
        ]
        for index, item in enumerate(final["output"]):
            events.extend(_item_events(index, item))
        events.append({"type": "response.completed", "response": final})
        return [{**event, "sequence_number": number} for number, event in enumerate(events)]

    def _chat(self, body: dict[str, Any]) -> tuple[list[dict[str, Any]], dict[str, Any]]:
        messages = [m for m in body.get("messages", []) if isinstance(m, dict)]
        outputs = [
            ToolOutput(str(m.get("tool_call_id")), str(m.get("content"))) for m in messages if m.get("role") == "tool"
        ]
        completion_id = self._next("chatcmpl")
        if outputs:
            calls = [m for m in messages if m.get("role") == "assistant" and m.get("tool_calls")]
            if not calls:
                raise _Refused("Messages with role 'tool' must be a response to a preceding message with 'tool_calls'.")
            with self._lock:
                self._check_pairs([str(c.get("id")) for c in calls[-1]["tool_calls"]], outputs)
            message: dict[str, Any] = {
                "role": "assistant",
                "content": self.answer(self._named(outputs)),
                "refusal": None,
            }
            finish = "stop"
        else:
            tool_calls = [self._chat_call(call) for call in self.calls]
            with self._lock:
                self._all_issued.update(c["id"] for c in tool_calls)
                self._names.update((c["id"], c[c["type"]]["name"]) for c in tool_calls)
            message = {"role": "assistant", "content": None, "refusal": None, "tool_calls": tool_calls}
            finish = "tool_calls"
        final = {
            "id": completion_id,
            "object": "chat.completion",
            "created": 1_700_000_000,
            "model": body.get("model", self.model),
            "choices": [{"index": 0, "message": message, "finish_reason": finish, "logprobs": None}],
            "usage": {"prompt_tokens": 10, "completion_tokens": 10, "total_tokens": 20},
        }
        chunks = [
            {
                "id": completion_id,
                "object": "chat.completion.chunk",
                "created": 1_700_000_000,
                "model": final["model"],
                "choices": [{"index": 0, "delta": delta, "finish_reason": finish_reason, "logprobs": None}],
            }
            for delta, finish_reason in _chat_deltas(message, finish)
        ]
        return chunks, final

    def _chat_call(self, call: PlannedCall) -> dict[str, Any]:
        number = self._next("call")
        if call.custom:
            return {"id": number, "type": "custom", "custom": {"name": call.name, "input": call.arguments}}
        return {"id": number, "type": "function", "function": {"name": call.name, "arguments": call.arguments}}

    # The wire.

    def _send_json(self, http: BaseHTTPRequestHandler, status: int, payload: dict[str, Any]) -> None:
        data = json.dumps(payload).encode("utf-8")
        http.send_response(status)
        http.send_header("Content-Type", "application/json")
        http.send_header("Content-Length", str(len(data)))
        http.end_headers()
        http.wfile.write(data)

    def _send_events(
        self, http: BaseHTTPRequestHandler, events: Sequence[dict[str, Any]], *, done_marker: bool
    ) -> None:
        """Server-sent events; the connection closes after the last (HTTP/1.0)."""
        http.send_response(200)
        http.send_header("Content-Type", "text/event-stream")
        http.send_header("Cache-Control", "no-cache")
        http.end_headers()
        for event in events:
            head = f"event: {event['type']}\n" if "sequence_number" in event else ""
            http.wfile.write(f"{head}data: {json.dumps(event)}\n\n".encode())
            http.wfile.flush()
        if done_marker:
            http.wfile.write(b"data: [DONE]\n\n")
        http.wfile.flush()


def _error(message: str) -> dict[str, Any]:
    return {"error": {"message": message, "type": "invalid_request_error", "param": None, "code": None}}


def _message(message_id: str, text: str) -> dict[str, Any]:
    return {
        "type": "message",
        "id": message_id,
        "role": "assistant",
        "status": "completed",
        "content": [{"type": "output_text", "text": text, "annotations": []}],
    }


def _pieces(text: str, size: int = 7) -> list[str]:
    """text cut in short pieces, as a model streams it (at least one piece)."""
    return [text[i : i + size] for i in range(0, len(text), size)] or [""]


def _item_events(index: int, item: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The events of one output item of a streamed Response."""
    if item["type"] == "message":
        text = item["content"][0]["text"]
        empty_part = {"type": "output_text", "text": "", "annotations": []}
        yield {
            "type": "response.output_item.added",
            "output_index": index,
            "item": {**item, "status": "in_progress", "content": []},
        }
        where = {"item_id": item["id"], "output_index": index, "content_index": 0}
        yield {"type": "response.content_part.added", **where, "part": empty_part}
        for piece in _pieces(text):
            yield {"type": "response.output_text.delta", **where, "delta": piece, "logprobs": []}
        yield {"type": "response.output_text.done", **where, "text": text, "logprobs": []}
        yield {"type": "response.content_part.done", **where, "part": item["content"][0]}
    else:
        custom = item["type"] == "custom_tool_call"
        key, kind = ("input", "custom_tool_call_input") if custom else ("arguments", "function_call_arguments")
        yield {
            "type": "response.output_item.added",
            "output_index": index,
            "item": {**item, key: "", "status": "in_progress"},
        }
        for piece in _pieces(item[key]):
            yield {"type": f"response.{kind}.delta", "item_id": item["id"], "output_index": index, "delta": piece}
        yield {"type": f"response.{kind}.done", "item_id": item["id"], "output_index": index, key: item[key]}
    yield {"type": "response.output_item.done", "output_index": index, "item": item}


def _chat_deltas(message: dict[str, Any], finish: str) -> Iterator[tuple[dict[str, Any], str | None]]:
    """The deltas of a streamed chat completion: role, then content or each call in pieces
    (id, type and name on a call's first chunk only), then the finish reason."""
    yield {"role": "assistant", "content": "" if message.get("content") else None}, None
    if message.get("content"):
        for piece in _pieces(message["content"]):
            yield {"content": piece}, None
    for index, call in enumerate(message.get("tool_calls") or ()):
        kind = call["type"]
        key = "input" if kind == "custom" else "arguments"
        pieces = _pieces(call[kind][key])
        first = {"index": index, "id": call["id"], "type": kind, kind: {"name": call[kind]["name"], key: pieces[0]}}
        yield {"tool_calls": [first]}, None
        for piece in pieces[1:]:
            yield {"tool_calls": [{"index": index, kind: {key: piece}}]}, None
    yield {}, finish
