"""The Dispatcher against a model that sends, and handlers that return, what JSON and UTF-8 have
no room for (issue 19): every output is valid UTF-8 (and JSON, unless the handler returned a
str), `NaN` and `Infinity` are no arguments, and a message about bad arguments names the
parameter as the API does and says what was expected in the spec's words, never in pydantic's.

The package is generated from a spec written here that holds every kind of parameter."""

from __future__ import annotations

import json
import logging
import math
from types import ModuleType
from typing import Any

import pydantic
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import build_package

SPEC = """\
toolset: hostile
description: Every kind of parameter, and answers JSON and UTF-8 cannot carry.
types:
  Money:
    type: object
    description: An amount of money.
    properties:
      amount: {type: number, minimum: 0, description: The amount.}
      currency: {type: string, pattern: "^[A-Z]{3}$", description: ISO 4217 code.}
  Currency:
    type: string
    pattern: "^[A-Z]{3}$"
    description: ISO 4217 currency code.
  Ratio:
    type: number
    description: A ratio.
tools:
  - name: everything
    description: Take one of every kind.
    effect: read
    parameters:
      count: {type: integer, minimum: 1, maximum: 10, description: A count.}
      amount: {type: number, exclusiveMinimum: 0, description: An amount.}
      flag: {type: boolean, description: A flag.}
      text: {type: string, pattern: "^.{2,5}$", description: Some text.}
      when: {type: string, format: date-time, description: A moment.}
      day: {type: string, format: date, description: A day.}
      at: {type: string, format: time, description: A time of day.}
      wait: {type: string, format: duration, description: How long.}
      id: {type: string, format: uuid, description: An ID.}
      ip4: {type: string, format: ipv4, description: An address.}
      ip6: {type: string, format: ipv6, description: An address.}
      short-when: {type: string, format: date-time, pattern: "^.{0,30}$", description: A short moment.}
      color: {type: string, enum: [red, green], description: A color.}
      level: {type: integer, enum: [1, 2, 3], description: A level.}
      mode: {type: string, const: dry_run, description: The mode.}
      reminder:
        anyOf:
          - {type: integer, minimum: 0, description: Minutes before.}
          - {type: string, format: duration, description: A duration before.}
        description: When to remind.
        optional: true
      pay:
        anyOf:
          - {type: Money, description: An amount.}
          - {type: string, format: uuid, description: A voucher.}
        description: How to pay.
      tags:
        type: array
        items: {type: string, format: uuid, description: A tag.}
        maxItems: 2
        description: Tags.
      price: {type: Money}
      was: {type: Money, nullable: true, description: The old price.}
      currency: {type: Currency}
      limit: {type: integer, minimum: 1, optional: true, default: 10, description: A limit.}
      nested:
        type: object
        description: Nested.
        properties:
          items:
            type: array
            description: Items.
            items:
              type: object
              description: An item.
              properties:
                due: {type: string, format: date, description: When it is due.}
  - name: answer
    description: Answer with the result named.
    effect: read
    parameters:
      result:
        type: string
        enum: [nan, infinity, surrogate, pair, surrogate_key, model, tool_error]
        description: Which result.
  - name: echo
    description: Answer with the value given.
    effect: read
    strict: false
    parameters:
      value: {type: any, description: Anything.}
  - name: ping
    description: Answer pong.
    effect: read
  - name: scale
    description: Scale by a ratio.
    effect: read
    parameters:
      by: {type: Ratio}
"""

VALID: dict[str, Any] = {
    "count": 1,
    "amount": 1.5,
    "flag": True,
    "text": "abc",
    "when": "2026-01-31T14:05:00+01:00",
    "day": "2026-01-31",
    "at": "14:05:00",
    "wait": "PT15M",
    "id": "9b2f6c1e-3d4a-4f5b-8c6d-7e8f9a0b1c2d",
    "ip4": "192.0.2.1",
    "ip6": "2001:db8::1",
    "short-when": "2026-01-31T14:05:00+01:00",
    "color": "red",
    "level": 1,
    "mode": "dry_run",
    "reminder": 15,
    "pay": {"amount": 1, "currency": "EUR"},
    "tags": [],
    "price": {"amount": 1, "currency": "EUR"},
    "was": None,
    "currency": "EUR",
    "limit": None,
    "nested": {"items": [{"due": "2026-01-31"}]},
}
"""Arguments of `everything` that pass: each test spoils some."""

INTERNALS = (
    "json-or-python",
    "function-after",
    "function-plain",
    "tagged-union",
    "chain[",
    "lax-or-strict",
    "constrained-",
    "nullable[",
    "definition-ref",
    "model-fields",
    "Input should",
    "Field required",
    "Extra inputs",
    "dictionary",
    "Value error",
)
"""What pydantic's own paths and messages say, and the model must never read."""


class Note(pydantic.BaseModel):
    text: str


RESULTS: dict[str, Any] = {
    "nan": {"t": math.nan},
    "infinity": [1.0, -math.inf],
    "surrogate": "a\ud800b é",
    "pair": "\ud83d\ude00 é",
    "surrogate_key": {"k\udc00": ["v\ud800", "é"]},
    "model": Note(text="\udfff"),
}


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    return build_package(tmp_path_factory.mktemp("hostile"), {"hostile.yaml": SPEC})


@pytest.fixture(scope="module")
def ran() -> list[Any]:
    """What the handlers were given, in order (cleared by each test that reads it)."""
    return []


@pytest.fixture(scope="module")
def dispatcher(package: ModuleType, ran: list[Any]) -> Any:
    hostile = __import__(f"{package.__name__}.hostile", fromlist=["HostileHandlers"])

    class Hostile(hostile.HostileHandlers):  # type: ignore[misc, name-defined]
        def everything(self, args: Any) -> str:
            ran.append(args)
            return "ran"

        def answer(self, args: Any) -> Any:
            if args.result == "tool_error":
                raise package.ToolError("bad \ud800 news")
            return RESULTS[args.result]

        def echo(self, args: Any) -> Any:
            ran.append(args.value)
            return {"value": args.value}

        def ping(self, args: Any) -> str:
            return "pong"

        def scale(self, args: Any) -> str:
            ran.append(args.by.root)
            return "scaled"

    return package.Dispatcher(Hostile())


def output(dispatcher: Any, name: str, arguments: Any) -> str:
    """The output of one call of name; arguments are JSON text, or a value to write as JSON."""
    text = arguments if isinstance(arguments, str) else json.dumps(arguments)
    call = {"type": "function_call", "call_id": "c1", "name": name, "arguments": text}
    [item] = dispatcher.run_responses([call])
    result: str = item["output"]
    return result


def refusal(dispatcher: Any, name: str, arguments: Any) -> tuple[str, str]:
    """The code and message of a call that fails."""
    error = json.loads(output(dispatcher, name, arguments))["error"]
    return error["code"], error["message"]


def _strict_json(text: str) -> Any:
    """text read as JSON, which has no NaN or Infinity."""

    def refuse(constant: str) -> Any:
        raise ValueError(f"{constant} is not JSON")

    return json.loads(text, parse_constant=refuse)


# --- Outputs: JSON and UTF-8, whatever the handler returns -----------------------------------


@pytest.mark.parametrize("result", ["nan", "infinity"])
def test_a_non_finite_number_in_a_result_is_a_logged_internal_error(
    dispatcher: Any, result: str, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR):
        text = output(dispatcher, "answer", {"result": result})
    error = _strict_json(text)["error"]
    assert error["code"] == "internal_error"
    [record] = caplog.records
    assert record.exc_info is not None and "NaN or Infinity" in str(record.exc_info[1])
    assert error["message"].endswith(f"error id {getattr(record, 'error_id', None)}")


@pytest.mark.parametrize(
    ("result", "expected"),
    [
        ("surrogate", "a\ufffdb é"),  # a str goes out as it is, but for the surrogate
        ("pair", "😀 é"),  # two surrogates that make a character are that character
        ("surrogate_key", '{"k\ufffd":["v\ufffd","é"]}'),
        ("model", '{"text":"\ufffd"}'),
    ],
)
def test_a_lone_surrogate_in_a_result_is_replaced_and_other_text_kept(
    dispatcher: Any, result: str, expected: str
) -> None:
    text = output(dispatcher, "answer", {"result": result})
    assert text == expected
    text.encode("utf-8")


def test_a_lone_surrogate_in_a_tool_errors_message_is_replaced(dispatcher: Any) -> None:
    text = output(dispatcher, "answer", {"result": "tool_error"})
    text.encode("utf-8")
    assert _strict_json(text)["error"] == {"code": "tool_error", "message": "bad \ufffd news"}


# --- NaN and Infinity are no JSON ------------------------------------------------------------


@pytest.mark.parametrize("token", ["NaN", "Infinity", "-Infinity"])
@pytest.mark.parametrize(
    ("tool", "arguments"),
    [
        ("everything", json.dumps(VALID).replace('"amount": 1.5', '"amount": {token}')),
        ("echo", '{"value": [1, {"deep": {token}}]}'),
        ("scale", '{"by": {token}}'),
    ],
)
def test_nan_and_infinity_in_arguments_are_invalid_json(
    dispatcher: Any, ran: list[Any], token: str, tool: str, arguments: str
) -> None:
    """In a number parameter (which the argument model refuses), in a value of any type and
    in a named number type (which pydantic would take)."""
    ran.clear()
    code, message = refusal(dispatcher, tool, arguments.replace("{token}", token))
    assert code == "invalid_json" and "JSON has no NaN, Infinity or -Infinity" in message
    assert ran == [], "the handler did not run"


def test_nan_and_infinity_as_text_are_arguments_like_any(dispatcher: Any, ran: list[Any]) -> None:
    ran.clear()
    assert output(dispatcher, "echo", {"value": ["NaN", "-Infinity"]}) == '{"value":["NaN","-Infinity"]}'
    assert output(dispatcher, "everything", {**VALID, "text": "NaN"}) == "ran"
    assert ran[0] == ["NaN", "-Infinity"] and ran[1].text == "NaN"


def test_a_number_too_large_for_a_float_is_no_infinity(dispatcher: Any) -> None:
    text = json.dumps(VALID).replace('"amount": 1.5', '"amount": 1e400')
    assert refusal(dispatcher, "everything", text) == (
        "invalid_arguments",
        "invalid arguments for everything: amount: expected a number that is finite",
    )


@pytest.mark.parametrize("surrogate", ["\ud800", "\\ud800"])
def test_arguments_with_a_lone_surrogate_are_invalid_json(dispatcher: Any, ran: list[Any], surrogate: str) -> None:
    """The text of the call may hold one (the API's JSON escaped it), or its JSON escape."""
    ran.clear()
    text = output(dispatcher, "echo", '{"value": "a' + surrogate + '"}')
    text.encode("utf-8")
    assert _strict_json(text)["error"]["code"] == "invalid_json" and ran == []


def test_broken_json_that_mentions_nan_says_what_is_broken(dispatcher: Any) -> None:
    code, message = refusal(dispatcher, "echo", '{"value": "NaN"')
    assert code == "invalid_json" and "EOF while parsing" in message and "NaN" not in message


# --- Messages: the API's names, the spec's words ---------------------------------------------

UUID_EXAMPLE = "a UUID such as 9b2f6c1e-3d4a-4f5b-8c6d-7e8f9a0b1c2d"
DATE_TIME = "a date-time with a time zone offset, such as 2026-01-31T14:05:00+01:00"
DURATION = "an ISO 8601 duration such as PT15M"


@pytest.mark.parametrize(
    ("changes", "said"),
    [
        ({"count": "5"}, "count: expected an integer"),
        ({"count": 0}, "count: expected an integer greater than or equal to 1"),
        ({"count": 2.5}, "count: expected an integer"),
        ({"amount": 0}, "amount: expected a number greater than 0"),
        ({"flag": 1}, "flag: expected a boolean"),
        ({"text": "a"}, "text: expected a string matching the pattern ^.{2,5}$"),
        ({"when": "2026-01-31T14:05:00"}, f"when: expected {DATE_TIME}"),
        ({"when": 1769864700}, f"when: expected {DATE_TIME}"),
        ({"day": "31/01/2026"}, "day: expected a date such as 2026-01-31"),
        ({"at": "25:00"}, "at: expected a time such as 14:05:00"),
        ({"wait": "1 hour"}, f"wait: expected {DURATION}"),
        ({"wait": 3600}, f"wait: expected {DURATION}"),
        ({"id": "123"}, f"id: expected {UUID_EXAMPLE}"),
        ({"ip4": "300.1.1.1"}, "ip4: expected an IPv4 address such as 192.0.2.1"),
        ({"ip6": "::g"}, "ip6: expected an IPv6 address such as 2001:db8::1"),
        (
            {"short-when": "2026-01-31T14:05:00.000000000+01:00"},
            f"short-when: expected {DATE_TIME}, matching the pattern ^.{{0,30}}$",
        ),
        ({"color": "blue"}, 'color: expected one of "red", "green"'),
        ({"level": 4}, "level: expected one of 1, 2, 3"),
        ({"mode": "live"}, 'mode: expected "dry_run"'),
        ({"reminder": "soon"}, f"reminder: expected an integer or {DURATION}, or null"),
        (
            {"reminder": -5},
            f"reminder: expected an integer greater than or equal to 0 or {DURATION}, or null",
        ),
        ({"pay": 5}, f"pay: expected an object or {UUID_EXAMPLE}"),
        ({"pay": {"amount": -1, "currency": "EUR"}}, "pay.amount: expected a number greater than or equal to 0"),
        ({"tags": ["a", "b", "c"]}, "tags: expected an array of at most 2 items"),
        ({"tags": [VALID["id"], "x"]}, f"tags[1]: expected {UUID_EXAMPLE}"),
        ({"price": {"amount": 1}}, "price.currency: missing (expected a string)"),
        (
            {"price": {"amount": 1, "currency": "EUR", "cents": 5}},
            "price.cents: unexpected; the keys are amount, currency",
        ),
        ({"was": []}, "was: expected an object, or null"),
        ({"currency": "eur"}, "currency: expected a string matching the pattern ^[A-Z]{3}$"),
        ({"limit": 0}, "limit: expected an integer greater than or equal to 1, or null"),
        ({"nested": {"items": [{"due": "tomorrow"}]}}, "nested.items[0].due: expected a date such as 2026-01-31"),
        ({"nested": {"items": {}}}, "nested.items: expected an array"),
        (
            {"nested": {"items": [{"due": "2026-01-31", "a b": 1}]}},
            'nested.items[0]["a b"]: unexpected; the keys are due',
        ),
    ],
)
def test_a_message_names_the_parameter_and_says_what_was_expected(
    dispatcher: Any, changes: dict[str, Any], said: str
) -> None:
    assert refusal(dispatcher, "everything", {**VALID, **changes}) == (
        "invalid_arguments",
        f"invalid arguments for everything: {said}",
    )


def test_missing_unexpected_and_misshapen_arguments(dispatcher: Any) -> None:
    without_count = {k: v for k, v in VALID.items() if k != "count"}
    assert refusal(dispatcher, "everything", without_count)[1].endswith(": count: missing (expected an integer)")
    _, unexpected = refusal(dispatcher, "everything", {**VALID, "colour": "red"})
    assert unexpected == ("invalid arguments for everything: colour: unexpected; the keys are " + ", ".join(VALID))
    assert (
        refusal(dispatcher, "everything", [])[1]
        == "invalid arguments for everything: the arguments: expected an object"
    )
    _, no_keys = refusal(dispatcher, "ping", {"loud": True})
    assert no_keys == "invalid arguments for ping: loud: unexpected; this object takes no keys"


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=6,
)


@settings(max_examples=300, deadline=None)
@given(name=st.sampled_from(sorted(VALID)), value=JSON_VALUES)
def test_no_message_holds_pydantics_internals(dispatcher: Any, name: str, value: Any) -> None:
    """Whatever value a parameter gets, a refusal speaks of that parameter in the API's terms."""
    text = output(dispatcher, "everything", {**VALID, name: value})
    if text == "ran":
        return
    code, message = _strict_json(text)["error"].values()
    assert code == "invalid_arguments"
    assert message.startswith(f"invalid arguments for everything: {name}"), message
    assert not [internal for internal in INTERNALS if internal in message], message


# --- At most five problems, and how many more ------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "more"),
    [
        ({"count": 0, "flag": 0, "day": 0, "at": 0, "reminder": "x"}, ""),
        ({"count": 0, "flag": 0, "day": 0, "at": 0, "reminder": "x", "currency": 0}, " (and 1 more)"),
        ({"count": 0, "flag": 0, "day": 0, "at": 0, "reminder": "x", "currency": 0, "limit": 0}, " (and 2 more)"),
    ],
)
def test_a_message_says_five_problems_and_counts_the_rest(dispatcher: Any, changes: dict[str, Any], more: str) -> None:
    """A union's failed branches are one problem: `reminder` counts once."""
    _, message = refusal(dispatcher, "everything", {**VALID, **changes})
    said = message.removeprefix("invalid arguments for everything: ")
    assert said.endswith(
        f"at: expected a time such as 14:05:00; reminder: expected an integer or {DURATION}, or null{more}"
    )
    assert [statement.split(":")[0] for statement in said.split("; ")] == ["count", "flag", "day", "at", "reminder"]
