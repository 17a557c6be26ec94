"""Real multi-turn conversations replayed through the Dispatcher give what the tools themselves give.

The done-criterion of issue 18: five toolsets of ../shared/corpora/bfcl-multi-turn go through
the command line's `toolspec import`, nothing edited, and are generated; each generated
`<Toolset>Handlers` is subclassed by a thin adapter that forwards every call to the toolset's
implementation (tests/replay, written as the benchmark's are: state in the instance). Each
conversation (tests/replay/*.json: the benchmark's ground truth, and a few of ours) is run on
fresh instances directly, each turn's calls in order, as the benchmark's executor runs them (the
reference); and as a model's tool calls through `Dispatcher`, with one call per message or a
turn's calls in one message, as Responses `function_call` items or as a Chat Completions
assistant message, by the `run_*` methods and by the `arun_*` ones. Every output must be the
reference's output, as the Dispatcher serialises it, and the state after every turn the
reference's state. KNOWN lists the conversations that fail for reasons of their own.
"""

from __future__ import annotations

import asyncio
import copy
import importlib
import inspect
import itertools
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from conftest import build_package
from replay import IMPLEMENTATIONS, conversations
from toolspec import cli

SHARED = Path(__file__).resolve().parents[2] / "shared"
CORPUS = SHARED / "corpora" / "bfcl-multi-turn"
pytestmark = pytest.mark.skipif(
    not all((CORPUS / f"{toolset}.json").is_file() for toolset in IMPLEMENTATIONS),
    reason=f"the bfcl-multi-turn corpus was not found: {CORPUS}",
)

CONVERSATIONS = conversations()
BY_ID = {conversation["id"]: conversation for conversation in CONVERSATIONS}
MESSAGES = ("one_call_per_message", "turn_in_one_message")
APIS = ("responses", "chat_completions")
RUNS = ("sync", "async")
VARIANTS = list(itertools.product(MESSAGES, APIS, RUNS))
KNOWN = {
    "own_math_integer_arguments": (
        "by design: a `number` is a `float` in Python (docs/spec-language.md), so add(a=2, b=3) answers 5.0 where "
        "the tool, given the raw JSON, answers 5; a spec that must keep integers says anyOf [integer, number]"
    ),
}
"""Conversations whose outputs differ from the reference by a decision of the spec language, by id:
expected to differ (strict, so that the day they agree is seen)."""

Adapters = dict[str, Callable[[Any], Any]]
"""For each toolset, the adapter class: made with the implementation instance to forward to."""


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    """The toolsets imported by `toolspec import` as the command line runs it, and generated."""
    root = tmp_path_factory.mktemp("replay")
    with pytest.MonkeyPatch.context() as patch:  # in a project of its own, without configuration
        patch.chdir(root)
        for toolset in IMPLEMENTATIONS:  # the command line's entry point, in this process: no interpreter to start
            status = cli.main(["import", str(CORPUS / f"{toolset}.json"), "-o", f"specs/{toolset}.yaml"])
            assert status == 0, f"toolspec import {toolset}.json: exit status {status} (its report is in the output)"
    specs = {path.name: path.read_text("utf-8") for path in sorted((root / "specs").glob("*.yaml"))}
    return build_package(root, specs)


@pytest.fixture(scope="module")
def adapters(package: ModuleType) -> Adapters:
    """A subclass of each generated Handlers class whose methods call the implementation's."""
    handlers_base = importlib.import_module(f"{package.__name__}._dispatch").Handlers
    made: Adapters = {}
    for toolset in IMPLEMENTATIONS:
        module = importlib.import_module(f"{package.__name__}.{toolset}")
        (base,) = (
            value
            for value in vars(module).values()
            if inspect.isclass(value) and issubclass(value, handlers_base) and value.TOOLSET == toolset
        )
        namespace: dict[str, Any] = {"__init__": _keep_implementation}
        for binding in base.TOOLS:  # binding.method: the Python name; binding.name: the tool's, the source's
            namespace[binding.method] = _forward(binding.method, binding.name)
        made[toolset] = type(f"Replay{base.__name__}", (base,), namespace)
    return made


@pytest.fixture(scope="module")
def loop() -> Iterator[asyncio.Runner]:
    """One event loop for every async replay, as a service has one."""
    with asyncio.Runner() as runner:
        yield runner


def _keep_implementation(self: Any, implementation: Any) -> None:
    self.implementation = implementation


def _forward(name: str, tool: str) -> Callable[[Any, Any], Any]:
    """The handler method `name`: the implementation's method of the tool's own name, given the
    arguments by their names in the API (the aliases of fields whose Python name differs)."""

    def method(self: Any, args: Any) -> Any:
        return getattr(self.implementation, tool)(**args.model_dump(by_alias=True))

    method.__name__ = method.__qualname__ = name
    return method


def _fresh(conversation: dict[str, Any]) -> dict[str, Any]:
    """Each toolset's implementation, made from the conversation's initial state."""
    initial = conversation["initial_state"]
    return {
        toolset: IMPLEMENTATIONS[toolset](copy.deepcopy(initial.get(toolset))) for toolset in conversation["toolsets"]
    }


def _states(implementations: dict[str, Any]) -> dict[str, Any]:
    return {toolset: implementation.state() for toolset, implementation in implementations.items()}


def _call(implementations: dict[str, Any], call: dict[str, Any]) -> Any:
    """Run a call on the implementation that has the tool, as the benchmark's executor does."""
    (owner,) = (implementation for implementation in implementations.values() if hasattr(implementation, call["name"]))
    return getattr(owner, call["name"])(**copy.deepcopy(call["arguments"]))


Replay = tuple[list[list[str]], list[dict[str, Any]]]
"""Each turn's outputs, and the state after each turn."""


def reference(conversation: dict[str, Any], serialize: Callable[[Any], tuple[str, Any]]) -> Replay:
    """The calls run directly, in order, as the benchmark's executor runs them (serialize: the
    runtime's, which gives the output text first)."""
    implementations = _fresh(conversation)
    outputs: list[list[str]] = []
    states: list[dict[str, Any]] = []
    for turn in conversation["turns"]:
        outputs.append([serialize(_call(implementations, call))[0] for call in turn])
        states.append(_states(implementations))
    return outputs, states


Calls = list[tuple[str, dict[str, Any]]]
"""The calls of one message, each with its call id."""


def _responses_message(calls: Calls) -> list[dict[str, Any]]:
    """The `output` of a Response that makes the calls."""
    return [
        {
            "type": "function_call",
            "id": f"fc_{call_id}",
            "call_id": call_id,
            "name": call["name"],
            "arguments": json.dumps(call["arguments"]),
        }
        for call_id, call in calls
    ]


def _responses_outputs(items: list[dict[str, Any]], calls: Calls) -> list[str]:
    assert [item["call_id"] for item in items] == [call_id for call_id, _ in calls]
    assert all(item["type"] == "function_call_output" for item in items)
    return [item["output"] for item in items]


def _chat_completions_message(calls: Calls) -> dict[str, Any]:
    """A Chat Completions assistant message that makes the calls."""
    return {
        "role": "assistant",
        "content": None,
        "tool_calls": [
            {
                "id": call_id,
                "type": "function",
                "function": {"name": call["name"], "arguments": json.dumps(call["arguments"])},
            }
            for call_id, call in calls
        ],
    }


def _chat_completions_outputs(replies: list[dict[str, Any]], calls: Calls) -> list[str]:
    assert [reply["tool_call_id"] for reply in replies] == [call_id for call_id, _ in calls]
    assert all(reply["role"] == "tool" for reply in replies)
    return [reply["content"] for reply in replies]


SHAPES = {
    "responses": (_responses_message, _responses_outputs),
    "chat_completions": (_chat_completions_message, _chat_completions_outputs),
}
"""For each API, the message a model sends, and the outputs out of what the Dispatcher answers."""


def through_dispatcher(
    conversation: dict[str, Any],
    package: ModuleType,
    adapters: Adapters,
    *,
    messages: str,
    api: str,
    loop: asyncio.Runner | None,
) -> Replay:
    """The calls as a model sends them, run by the Dispatcher with the adapters as handlers: by
    its `run_*` methods, or with a loop by its `arun_*` ones."""
    implementations = _fresh(conversation)
    dispatcher = package.Dispatcher(
        *(adapters[toolset](implementation) for toolset, implementation in implementations.items()),
        confirm=lambda context: True,  # the user approves what the model does: the benchmark asks no one
    )
    make, answers = SHAPES[api]
    outputs: list[list[str]] = []
    states: list[dict[str, Any]] = []
    for number, turn in enumerate(conversation["turns"]):
        calls = [(f"call_{number}_{index}", call) for index, call in enumerate(turn)]
        sent = [[call] for call in calls] if messages == "one_call_per_message" else [calls] if calls else []
        outputs.append([])
        for message in sent:
            if loop is None:
                answered = getattr(dispatcher, f"run_{api}")(make(message))
            else:
                answered = loop.run(getattr(dispatcher, f"arun_{api}")(make(message)))
            outputs[-1].extend(answers(answered, message))
        states.append(_states(implementations))
    return outputs, states


def _differences(conversation: dict[str, Any], expected: Replay, got: Replay) -> list[str]:
    found: list[str] = []
    for number, turn in enumerate(conversation["turns"]):
        for index, call in enumerate(turn):
            want, have = expected[0][number][index], got[0][number][index]
            if want != have:
                found.append(
                    f"turn {number} call {index} {call['name']}({call['arguments']}): {have} instead of {want}"
                )
        for toolset, state in expected[1][number].items():
            if got[1][number][toolset] != state:
                keys = [key for key in state if got[1][number][toolset].get(key) != state[key]]
                found.append(f"after turn {number}, {toolset}'s state differs in {', '.join(keys)}")
    return found


@pytest.mark.parametrize("variant", VARIANTS, ids=["-".join(variant) for variant in VARIANTS])
@pytest.mark.parametrize(
    "conversation_id",
    [
        pytest.param(name, marks=[pytest.mark.xfail(reason=KNOWN[name], strict=True)] if name in KNOWN else [])
        for name in BY_ID
    ],
)
def test_a_replay_gives_the_reference_outputs_and_states(
    package: ModuleType,
    adapters: Adapters,
    loop: asyncio.Runner,
    conversation_id: str,
    variant: tuple[str, str, str],
) -> None:
    conversation = BY_ID[conversation_id]
    messages, api, run = variant
    expected = reference(conversation, importlib.import_module(f"{package.__name__}._outputs").serialize)
    got = through_dispatcher(
        conversation, package, adapters, messages=messages, api=api, loop=loop if run == "async" else None
    )
    differences = _differences(conversation, expected, got)
    assert not differences, "\n".join(differences)


def test_the_conversations_call_the_corpus_tools_and_leave_optional_parameters_out() -> None:
    """The test data is what it says: every call names a tool of its toolsets with its required
    parameters, some leave optional ones out, and some turns call several tools."""
    sources = {
        toolset: {tool["function"]["name"]: tool["function"]["parameters"] for tool in json.loads(path.read_text())}
        for toolset in IMPLEMENTATIONS
        for path in [CORPUS / f"{toolset}.json"]
    }
    left_out = 0
    for conversation in CONVERSATIONS:
        assert set(conversation["initial_state"]) <= set(conversation["toolsets"]), conversation["id"]
        for call in (call for turn in conversation["turns"] for call in turn):
            (parameters,) = (sources[t][call["name"]] for t in conversation["toolsets"] if call["name"] in sources[t])
            assert set(parameters["required"]) <= set(call["arguments"]) <= set(parameters["properties"]), call
            left_out += len(set(parameters["properties"]) - set(call["arguments"]))
    assert len(CONVERSATIONS) >= 90
    assert left_out >= 40
    assert sum(len(turn) > 1 for conversation in CONVERSATIONS for turn in conversation["turns"]) >= 150
