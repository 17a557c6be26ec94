"""Collect the tool calls of a streamed response, event by event, for the Dispatcher.

Part of the runtime toolspec copies into every generated package: edit it here, never in the
copy. A stream is untrusted input: an event or chunk that is malformed, or that contradicts
what the stream said before, raises ValueError naming the field and what it should be.
"""

from __future__ import annotations

import copy
import reprlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ._calls import get_field, plain


class ResponsesStream:
    """Collects the tool calls of a streamed Response (`stream=True`).

    Feed it every event; each call comes back once, as an output item, when its arguments
    are final: at its `response.function_call_arguments.done` (`custom_tool_call_input.done`),
    or at its `response.output_item.done` if that comes first. A done event without the
    arguments leaves the ones the deltas built. Items come back as copies that later events
    never change. Hand the finished items to `Dispatcher.run_responses`.
    """

    def __init__(self) -> None:
        self._open: dict[int, dict[str, Any]] = {}
        """The calls whose arguments are still coming, by output_index."""
        self._done: dict[int, dict[str, Any]] = {}
        """The last call returned at each output_index, to check the done events that follow."""

    def feed(self, event: Any) -> list[dict[str, Any]]:
        kind = get_field(event, "type")
        if kind == "response.output_item.added":
            item = _call_item(event, kind)
            if item is not None:
                self._start(_output_index(event, kind), item, kind)
        elif kind in _DELTAS:
            call = self._open_call(_output_index(event, kind), kind)
            call[_DELTAS[kind]] += _text(
                get_field(event, "delta"), f"{kind} event: delta"
            )
        elif kind in _DONE:
            index, key = _output_index(event, kind), _DONE[kind]
            payload = _optional_text(get_field(event, key), f"{kind} event: {key}")
            if index in self._done and index not in self._open:
                return self._repeated(index, key, payload, kind)
            call = self._open_call(index, kind)
            if payload is not None:
                call[key] = payload
            return self._finish(index)
        elif kind == "response.output_item.done":
            item = _call_item(event, kind)
            if item is not None:
                return self._close(_output_index(event, kind), item, kind)
        return []

    def _start(self, index: int, item: dict[str, Any], kind: str) -> None:
        if index in self._open:
            raise ValueError(
                f"{kind} event: output_index {index} already holds call "
                f"{self._open[index]['call_id']!r}, which is not done"
            )
        key = _CALL_ITEMS[item["type"]]
        self._open[index] = {**item, key: item.get(key) or ""}

    def _open_call(self, index: int, kind: str) -> dict[str, Any]:
        call = self._open.get(index)
        if call is None:
            state = (
                "holds a call that is already done"
                if index in self._done
                else "holds no call (no response.output_item.added announced one)"
            )
            raise ValueError(f"{kind} event: output_index {index} {state}")
        _check_key(call, _DELTAS.get(kind) or _DONE[kind], index, kind)
        return call

    def _close(
        self, index: int, item: dict[str, Any], kind: str
    ) -> list[dict[str, Any]]:
        """An output_item.done: the end of the open call, or a repeat of a done one."""
        key = _CALL_ITEMS[item["type"]]
        call = self._open.get(index)
        if call is None:
            earlier = self._done.get(index)
            if earlier is not None and earlier["call_id"] == item["call_id"]:
                return self._repeated(index, key, item.get(key), kind)
            call = self._open[index] = {**item, key: ""}
        elif (call["call_id"], call["type"]) != (item["call_id"], item["type"]):
            raise ValueError(
                f"{kind} event: output_index {index} holds {call['type']} "
                f"{call['call_id']!r}, not {item['type']} {item['call_id']!r}"
            )
        call.update({name: value for name, value in item.items() if value is not None})
        return self._finish(index)

    def _repeated(
        self, index: int, key: str, payload: str | None, kind: str
    ) -> list[dict[str, Any]]:
        """A done event for a call feed has returned: it may only say the same."""
        earlier = self._done[index]
        _check_key(earlier, key, index, kind)
        if payload is not None and payload != earlier[key]:
            raise ValueError(
                f"{kind} event: output_index {index} gives call {earlier['call_id']!r} "
                f"other {key} than the ones feed already returned"
            )
        return []

    def _finish(self, index: int) -> list[dict[str, Any]]:
        call = self._done[index] = self._open.pop(index)
        return [copy.deepcopy(call)]


_CALL_ITEMS = {"function_call": "arguments", "custom_tool_call": "input"}
"""The output items that are tool calls, and the key of their arguments."""
_DELTAS = {
    "response.function_call_arguments.delta": "arguments",
    "response.custom_tool_call_input.delta": "input",
}
_DONE = {
    "response.function_call_arguments.done": "arguments",
    "response.custom_tool_call_input.done": "input",
}


def _call_item(event: Any, kind: str) -> dict[str, Any] | None:
    """The event's item as a plain dict, if it is a tool call; None for other items."""
    item = get_field(event, "item")
    if not isinstance(item, Mapping) and not hasattr(item, "model_dump"):
        raise ValueError(
            f"{kind} event: item must be an output item, got {_shown(item)}"
        )
    if get_field(item, "type") not in _CALL_ITEMS:
        return None
    call = plain(item)
    for name in ("call_id", "name"):
        _text(call.get(name), f"{kind} event: item.{name}")
    key = _CALL_ITEMS[call["type"]]
    _optional_text(call.get(key), f"{kind} event: item.{key}")
    return call


def _check_key(call: dict[str, Any], key: str, index: int, kind: str) -> None:
    """Refuse an event about the `key` of a call that has none (input for a function call)."""
    if _CALL_ITEMS[call["type"]] != key:
        raise ValueError(
            f"{kind} event: output_index {index} holds a {call['type']}, "
            f"which has no {key}"
        )


def _output_index(event: Any, kind: str) -> int:
    return _index(get_field(event, "output_index"), f"{kind} event: output_index")


class ChatCompletionsStream:
    """Collects the tool calls of a streamed chat completion (`stream=True`).

    Feed it every chunk; when the first choice finishes, feed returns its tool calls, once.
    The assistant message to keep in the conversation is `message`. With `n` > 1, each choice
    is kept apart: `messages` holds one assistant message per choice, and `tool_calls_of(i)`
    the calls of choice i; feed, `tool_calls` and `message` speak of the first choice, as
    `Dispatcher.run_chat_completions` does of a whole completion. What these return are
    copies that later chunks never change.
    """

    def __init__(self) -> None:
        self._choices: dict[int, _Choice] = {}

    def feed(self, chunk: Any) -> list[dict[str, Any]]:
        first_finished = False
        choices = _items(get_field(chunk, "choices"), "chunk: choices")
        for position, choice in enumerate(choices):
            where = f"chunk: choices[{position}]"
            _record(choice, where)
            number = get_field(choice, "index")
            number = 0 if number is None else _index(number, f"{where}.index")
            state = self._choices.setdefault(number, _Choice())
            first_finished |= state.feed(choice, where) and number == 0
        return self.tool_calls if first_finished else []

    @property
    def tool_calls(self) -> list[dict[str, Any]]:
        """The first choice's tool calls so far."""
        return self.tool_calls_of(0)

    def tool_calls_of(self, choice: int) -> list[dict[str, Any]]:
        """The tool calls so far of the choice whose `index` is choice."""
        state = self._choices.get(choice)
        return state.tool_calls() if state else []

    @property
    def message(self) -> dict[str, Any]:
        """The assistant message the stream made, for the next request's messages."""
        return self._choices.get(0, _Choice()).message()

    @property
    def messages(self) -> list[dict[str, Any]]:
        """One assistant message per choice: messages[i] is that of the choice of index i."""
        count = max(self._choices, default=0) + 1
        return [self._choices.get(i, _Choice()).message() for i in range(count)]


@dataclass
class _Choice:
    """What one choice of a streamed chat completion has said so far."""

    content: list[str] = field(default_factory=list)
    calls: dict[int, dict[str, Any]] = field(default_factory=dict)
    last: int | None = None
    """The index of the call the last part went to."""
    finished: bool = False

    def feed(self, choice: Any, where: str) -> bool:
        """Take in one chunk's choice; True when this chunk finishes it."""
        delta = get_field(choice, "delta")
        if delta is not None:
            _record(delta, f"{where}.delta")
        content = _optional_text(get_field(delta, "content"), f"{where}.delta.content")
        parts = _items(get_field(delta, "tool_calls"), f"{where}.delta.tool_calls")
        if self.finished and (content or parts):
            raise ValueError(f"{where}: the choice goes on after its finish_reason")
        if content:
            self.content.append(content)
        for number, part in enumerate(parts):
            self._add(part, f"{where}.delta.tool_calls[{number}]")
        if get_field(choice, "finish_reason") is None or self.finished:
            return False
        self.finished = True
        return True

    def _add(self, part: Any, where: str) -> None:
        _record(part, where)
        call_id = _optional_text(get_field(part, "id"), f"{where}.id")
        kind = _optional_text(get_field(part, "type"), f"{where}.type")
        if kind not in (None, *_CHAT_KEYS):
            raise ValueError(
                f"{where}.type must be 'function' or 'custom', got {_shown(kind)}"
            )
        number = get_field(part, "index")
        number = (
            self._unnumbered(call_id)
            if number is None
            else _index(number, f"{where}.index")
        )
        call = self.calls.get(number)
        if call is None:
            kind = kind or "function"
            body = {"name": "", _CHAT_KEYS[kind]: ""}
            call = self.calls[number] = {"id": call_id or "", "type": kind, kind: body}
        elif call_id and call["id"] and call_id != call["id"]:
            raise ValueError(
                f"{where}.id: tool call {number} began as {call['id']!r}, "
                f"this part says {call_id!r}"
            )
        elif kind and kind != call["type"]:
            raise ValueError(
                f"{where}.type: tool call {number} began as a {call['type']} call, "
                f"this part says {kind!r}"
            )
        elif call_id:
            call["id"] = call_id
        self.last = number
        kind = call["type"]
        piece = get_field(part, kind)
        if piece is not None:
            _record(piece, f"{where}.{kind}")
        for key in ("name", _CHAT_KEYS[kind]):
            call[kind][key] += (
                _optional_text(get_field(piece, key), f"{where}.{kind}.{key}") or ""
            )

    def _unnumbered(self, call_id: str | None) -> int:
        """The call a part without index belongs to: the last call, unless the part's id
        names another call; then a new one after all the others."""
        if self.last is not None:
            last_id = self.calls[self.last]["id"]
            if not call_id or not last_id or call_id == last_id:
                return self.last
        return max(self.calls, default=-1) + 1

    def tool_calls(self) -> list[dict[str, Any]]:
        return [copy.deepcopy(self.calls[number]) for number in sorted(self.calls)]

    def message(self) -> dict[str, Any]:
        message: dict[str, Any] = {
            "role": "assistant",
            "content": "".join(self.content) or None,
        }
        if self.calls:
            message["tool_calls"] = self.tool_calls()
        return message


_CHAT_KEYS = {"function": "arguments", "custom": "input"}
"""The kinds of chat tool call, and the key of their arguments."""


def _record(value: Any, where: str) -> None:
    """Refuse what cannot be an SDK object or the dict that stands for it."""
    if not isinstance(value, Mapping) and not hasattr(value, "__dict__"):
        raise ValueError(f"{where} must be an object or a dict, got {_shown(value)}")


def _items(value: Any, where: str) -> Sequence[Any]:
    if value is None:
        return ()
    if not isinstance(value, list | tuple):
        raise ValueError(f"{where} must be a list, got {_shown(value)}")
    return value


def _index(value: Any, where: str) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    raise ValueError(f"{where} must be a whole number, 0 or more, got {_shown(value)}")


def _optional_text(value: Any, where: str) -> str | None:
    if value is None or isinstance(value, str):
        return value
    raise ValueError(f"{where} must be a string, got {_shown(value)}")


def _text(value: Any, where: str) -> str:
    text = _optional_text(value, where)
    if text is None:
        raise ValueError(f"{where} must be a string, got None (or nothing)")
    return text


def _shown(value: Any) -> str:
    return f"{type(value).__name__} {reprlib.repr(value)}"
