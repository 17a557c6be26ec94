"""The tool loop, end to end: `python -m examples.demo [--chat] [--stream] [--yes] [--mcp]`.

Without OPENAI_API_KEY the model is a local stand-in (examples/fake_model.py) that makes a
fixed set of calls; with it, the real API (model OPENAI_MODEL, by default gpt-5). The four
example toolsets run the calls through one Dispatcher, and the conversation is printed.
Destructive tools (cancel-event, code_exec) run only with --yes. With --mcp the same
conversation runs with the tools served over MCP by `toolspec serve` (examples/over_mcp.py).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Protocol, cast

from generated import CallContext, ChatCompletionsStream, Dispatcher, ResponsesStream
from openai import OpenAI
from openai.types.chat import ChatCompletionMessageParam
from openai.types.responses import ResponseInputItemParam, ToolParam

from examples.calendar import NAMESPACE, Calendar
from examples.code import Code
from examples.fake_model import FakeModel, PlannedCall, ToolOutput
from examples.shop import Shop
from examples.weather import Weather

PROMPT = (
    "I'm in Paris. What's the weather, and my horoscope (Aquarius)? Is there a garden hose in stock "
    "for under 30 EUR? Where is order ORD-004211? E-mail ada@example.com that it has shipped, put a "
    "planning meeting on 2026-12-01 10:00-11:00 Paris time with her, then cancel it again (she cannot "
    "come after all), and work out 2 + 3 * 4."
)
INSTRUCTIONS = "You are a helpful assistant. Use the tools; several calls at once are fine."
MAX_TURNS = 6

# The id the calendar gives the meeting the stand-in creates, which it then cancels.
PLANNING_ID = uuid.uuid5(NAMESPACE, "Planning|2026-12-01T10:00:00+01:00")

# What the stand-in model calls, in one turn: one call has a wrong order id, as models do.
STAND_IN_CALLS = [
    PlannedCall("get_weather", '{"location": "Paris, France", "units": null}'),
    PlannedCall("get_horoscope", '{"sign": "Aquarius"}'),
    PlannedCall(
        "search_products",
        '{"query": "garden hose", "category": "garden", "max_price": {"amount": 30, "currency": "EUR"},'
        ' "in_stock": true, "limit": 5}',
    ),
    PlannedCall("lookup_order_status", '{"order_id": "4211"}'),
    PlannedCall("lookup_order_status", '{"order_id": "ORD-004211"}'),
    PlannedCall(
        "send_email",
        '{"to": ["ada@example.com"], "subject": "Your order ORD-004211", "body": "It has shipped with DHL."}',
    ),
    PlannedCall(
        "create_event",
        '{"title": "Planning", "from": "2026-12-01T10:00:00+01:00", "to": "2026-12-01T11:00:00+01:00",'
        ' "class": null, "attendees": [{"name": "Ada Lovelace", "email": "ada@example.com", "role": "required"}],'
        ' "reminder": 15, "agenda": null}',
    ),
    PlannedCall("cancel-event", json.dumps({"event-id": str(PLANNING_ID), "json": False, "schema": None})),
    PlannedCall("math_exp", "2 + 3 * 4", custom=True),
]


def stand_in_answer(outputs: Sequence[ToolOutput]) -> str:
    """The stand-in's final answer: one short sentence per call, from what came back."""
    sentences = []
    for output in outputs:
        try:
            parsed: Any = json.loads(output.output)
        except ValueError:
            parsed = output.output
        if isinstance(parsed, dict) and isinstance(parsed.get("error"), dict):
            error = parsed["error"]
            sentences.append(f"{output.name} failed ({error.get('code')}: {error.get('message')})")
        else:
            text = output.output if len(output.output) <= 80 else output.output[:77] + "..."
            sentences.append(f"{output.name} said {text}")
    return "Here is what I found: " + "; ".join(sentences) + "."


def show_call(name: str, call_id: str, payload: str) -> None:
    print(f"assistant calls {name}({payload})  [{call_id}]")


def show_output(call_id: str, output: str) -> None:
    print(f"  tool [{call_id}]: {output}")


class ResponsesTools(Protocol):
    """What the Responses loop needs of whoever runs the calls: a Dispatcher, or OverMcp."""

    @property
    def responses_tools(self) -> list[ToolParam]: ...

    def run_responses(self, response: Any) -> list[ResponseInputItemParam]: ...


def run_responses(client: OpenAI, model: str, dispatcher: ResponsesTools, stream: bool) -> str:
    """The Responses loop: send, run the calls, send the outputs, until the model answers."""
    tools = dispatcher.responses_tools
    previous: str | None = None
    turn_input: str | list[ResponseInputItemParam] = PROMPT
    for _ in range(MAX_TURNS):
        if stream:
            collector, calls, text = ResponsesStream(), [], []
            with client.responses.create(
                model=model,
                instructions=INSTRUCTIONS,
                input=turn_input,
                tools=tools,
                previous_response_id=previous,
                stream=True,
            ) as events:
                for event in events:
                    calls += collector.feed(event)
                    if event.type == "response.output_text.delta":
                        text.append(event.delta)
                    elif event.type == "response.completed":
                        previous = event.response.id
            answer = "".join(text)
            items = dispatcher.run_responses(calls)
        else:
            response = client.responses.create(
                model=model, instructions=INSTRUCTIONS, input=turn_input, tools=tools, previous_response_id=previous
            )
            previous, answer = response.id, response.output_text
            calls = [
                item.model_dump() for item in response.output if item.type in ("function_call", "custom_tool_call")
            ]
            items = dispatcher.run_responses(response)
        if not calls:
            return answer
        if answer:
            print(f"assistant: {answer}")
        for call, item in zip(calls, items, strict=True):
            show_call(call["name"], call["call_id"], call.get("arguments", call.get("input", "")))
            show_output(call["call_id"], cast(dict[str, str], item)["output"])
        turn_input = items
    return "(no answer after the most turns the demo allows)"


def run_chat(client: OpenAI, model: str, dispatcher: Dispatcher, stream: bool) -> str:
    """The Chat Completions loop: the messages grow by the assistant's message and the outputs."""
    tools = dispatcher.chat_completions_tools
    messages: list[ChatCompletionMessageParam] = [
        {"role": "system", "content": INSTRUCTIONS},
        {"role": "user", "content": PROMPT},
    ]
    for _ in range(MAX_TURNS):
        if stream:
            collector = ChatCompletionsStream()
            calls: list[dict[str, Any]] = []
            for chunk in client.chat.completions.create(model=model, messages=messages, tools=tools, stream=True):
                calls += collector.feed(chunk)
            assistant = collector.message
        else:
            completion = client.chat.completions.create(model=model, messages=messages, tools=tools)
            assistant = completion.choices[0].message.model_dump(exclude_none=True)
            calls = assistant.get("tool_calls", [])
        answer = assistant.get("content") or ""
        if not calls:
            return str(answer)
        if answer:
            print(f"assistant: {answer}")
        outputs = dispatcher.run_chat_completions(assistant)
        messages += [cast(ChatCompletionMessageParam, assistant), *outputs]
        for call, output in zip(calls, outputs, strict=True):
            body = call[call["type"]]
            show_call(body["name"], call["id"], body.get("arguments", body.get("input", "")))
            show_output(call["id"], str(output["content"]))
    return "(no answer after the most turns the demo allows)"


@contextmanager
def connect(model_name: str) -> Iterator[tuple[OpenAI, str]]:
    """A client of the real API when OPENAI_API_KEY is set, else of the local stand-in."""
    if os.environ.get("OPENAI_API_KEY"):
        name = os.environ.get("OPENAI_MODEL") or model_name
        print(f"(the model is {name}, through the OpenAI API)")
        with OpenAI() as client:
            yield client, name
        return
    with FakeModel(STAND_IN_CALLS, answer=stand_in_answer) as stand_in:
        print(f"(no OPENAI_API_KEY: the model is a local stand-in at {stand_in.base_url})")
        with OpenAI(base_url=stand_in.base_url, api_key="local-stand-in", max_retries=0) as client:
            yield client, "stand-in"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m examples.demo", description=__doc__.splitlines()[0])
    parser.add_argument("--chat", action="store_true", help="use Chat Completions (default: Responses)")
    parser.add_argument("--stream", action="store_true", help="stream the model's answers")
    parser.add_argument("--yes", action="store_true", help="confirm destructive calls (cancel-event, code_exec)")
    parser.add_argument("--mcp", action="store_true", help="run the tools over MCP, served by `toolspec serve`")
    options = parser.parse_args(argv)
    if options.mcp and options.chat:
        parser.error("--mcp runs the Responses loop: leave out --chat")

    def confirm(context: CallContext) -> bool:
        print(f"  (confirm {context.tool} [{context.call_id}]: {'yes' if options.yes else 'no, run with --yes'})")
        return bool(options.yes)

    dispatcher = Dispatcher(Weather(), Shop(), Calendar(), Code(), confirm=confirm)
    with connect("gpt-5") as (client, model):
        if options.mcp:
            from examples.over_mcp import served

            with served(dispatcher.responses_tools, options.yes) as over_mcp:
                print(f"user: {PROMPT}")
                answer = run_responses(client, model, over_mcp, options.stream)
        else:
            print(f"user: {PROMPT}")
            run = run_chat if options.chat else run_responses
            answer = run(client, model, dispatcher, options.stream)
    print(f"assistant: {answer}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
