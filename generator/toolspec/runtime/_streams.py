"""Collect the tool calls of a streamed response, event by event, for the Dispatcher.

Part of the runtime toolspec copies into every generated package: edit it here, never in the
copy.
"""

from __future__ import annotations

from typing import Any

from ._calls import get_field, plain


class ResponsesStream:
    """Collects the tool calls of a streamed Response (`stream=True`).

    Feed it every event; each call comes back once, as an output item, when its arguments
    are final. Hand the finished items to `Dispatcher.run_responses`.
    """

    def __init__(self) -> None:
        self._items: dict[int, dict[str, Any]] = {}
        self._finished: set[int] = set()

    def feed(self, event: Any) -> list[dict[str, Any]]:
        kind, index = get_field(event, "type"), get_field(event, "output_index")
        if kind == "response.output_item.added":
            item = plain(get_field(event, "item"))
            if item.get("type") in ("function_call", "custom_tool_call"):
                self._items[index] = item
        elif kind in _DELTAS and index in self._items:
            key = _DELTAS[kind]
            self._items[index][key] = (self._items[index].get(key) or "") + get_field(
                event, "delta"
            )
        elif kind in _DONE and index in self._items:
            self._items[index][_DONE[kind]] = get_field(event, _DONE[kind])
            return self._finish(index)
        elif kind == "response.output_item.done":
            item = plain(get_field(event, "item"))
            if item.get("type") in ("function_call", "custom_tool_call"):
                self._items[index] = item
                return self._finish(index)
        return []

    def _finish(self, index: int) -> list[dict[str, Any]]:
        if index in self._finished:
            return []
        self._finished.add(index)
        return [self._items[index]]


_DELTAS = {
    "response.function_call_arguments.delta": "arguments",
    "response.custom_tool_call_input.delta": "input",
}
_DONE = {
    "response.function_call_arguments.done": "arguments",
    "response.custom_tool_call_input.done": "input",
}


class ChatCompletionsStream:
    """Collects the tool calls of a streamed chat completion (`stream=True`).

    Feed it every chunk; when the choice finishes, feed returns its tool calls, once. The
    assistant message to keep in the conversation is `message`.
    """

    def __init__(self) -> None:
        self._content: list[str] = []
        self._calls: dict[int, dict[str, Any]] = {}
        self._finished = False

    def feed(self, chunk: Any) -> list[dict[str, Any]]:
        for choice in get_field(chunk, "choices") or ():
            delta = get_field(choice, "delta")
            if get_field(delta, "content"):
                self._content.append(get_field(delta, "content"))
            for part in get_field(delta, "tool_calls") or ():
                self._add(part)
            if get_field(choice, "finish_reason") is not None and not self._finished:
                self._finished = True
                return self.tool_calls
        return []

    def _add(self, part: Any) -> None:
        call = self._calls.setdefault(
            get_field(part, "index") or 0, {"id": "", "type": "function"}
        )
        if get_field(part, "id"):
            call["id"] = get_field(part, "id")
        if get_field(part, "type"):
            call["type"] = get_field(part, "type")
        kind = call["type"]
        body = call.setdefault(
            kind, {"name": "", "input" if kind == "custom" else "arguments": ""}
        )
        piece = get_field(part, kind)
        if get_field(piece, "name"):
            body["name"] = get_field(piece, "name")
        key = "input" if kind == "custom" else "arguments"
        body[key] = (body.get(key) or "") + (get_field(piece, key) or "")

    @property
    def tool_calls(self) -> list[dict[str, Any]]:
        return [self._calls[index] for index in sorted(self._calls)]

    @property
    def message(self) -> dict[str, Any]:
        """The assistant message the stream made, for the next request's messages."""
        message: dict[str, Any] = {
            "role": "assistant",
            "content": "".join(self._content) or None,
        }
        if self._calls:
            message["tool_calls"] = self.tool_calls
        return message
