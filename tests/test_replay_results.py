"""What a BFCL tool returns, imported as `returns`, holds on the corpus's own implementations.

The corpus (../shared/corpora/bfcl-multi-turn) is the leaderboard's tools as Chat Completions
lists, which keep no `response`: the leaderboard's function documents state one per tool. Here
math_api's tools are given back the `response` its documents state (tests/replay/responses.json,
BFCL's own notation: `dict`, `float`), in BFCL's own shape (a bare function with `response`),
imported by `toolspec import`, and generated. Every conversation that calls math_api is then
replayed through a Dispatcher that checks every result (check_results, the default): every
output must be the reference's, so no result of the implementation failed its result model;
except where the implementation answers otherwise than its response states (DECIMALS), which
the check refuses, and test_replay.KNOWN.
"""

from __future__ import annotations

import importlib
import json
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml

from conftest import build_package
from replay import IMPLEMENTATIONS
from test_replay import (
    BY_ID,
    CORPUS,
    KNOWN,
    _differences,
    adapters,  # noqa: F401 - the fixture, made with this module's package
    reference,
    through_dispatcher,
)
from toolspec import cli

RESPONSES: dict[str, dict[str, Any]] = json.loads(
    (Path(__file__).parent / "replay" / "responses.json").read_text("utf-8")
)
"""Toolset -> tool -> its `response`, as the leaderboard's function documents write it."""

pytestmark = pytest.mark.skipif(
    not all((CORPUS / f"{toolset}.json").is_file() for toolset in IMPLEMENTATIONS),
    reason=f"the bfcl-multi-turn corpus was not found: {CORPUS}",
)

DECIMALS = {
    "multi_turn_base_32",
    "multi_turn_base_49",
    "multi_turn_base_57",
    "multi_turn_base_59",
    "own_math_optional_left_out",
}
"""Conversations that call logarithm or square_root, whose implementation answers a Decimal, which
JSON writes as a string (`{"result": "2.7993"}`): not the float their response states. The check
refuses those results, and only those: the model reads an internal_error for each."""

CHECKED = [
    conversation_id for conversation_id, conversation in BY_ID.items() if set(RESPONSES) & set(conversation["toolsets"])
]


@pytest.fixture(scope="module")
def specs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Each toolset imported by `toolspec import`; the ones of RESPONSES as BFCL documents, with `response`."""
    root = tmp_path_factory.mktemp("results")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(root)
        for toolset in IMPLEMENTATIONS:
            source = CORPUS / f"{toolset}.json"
            if toolset in RESPONSES:
                tools = json.loads(source.read_text("utf-8"))
                documents = [
                    {**tool["function"], "response": RESPONSES[toolset][tool["function"]["name"]]} for tool in tools
                ]
                source = root / f"{toolset}.json"
                source.write_text(json.dumps(documents), "utf-8")
            status = cli.main(["import", str(source), "-o", f"specs/{toolset}.yaml"])
            assert status == 0, f"toolspec import {source.name}: exit status {status}"
        return {path.name: path.read_text("utf-8") for path in sorted((root / "specs").glob("*.yaml"))}


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory, specs: dict[str, str]) -> ModuleType:
    return build_package(tmp_path_factory.mktemp("results_package"), specs)


def test_the_import_keeps_every_response_as_returns(specs: dict[str, str]) -> None:
    for toolset, responses in RESPONSES.items():
        tools = yaml.safe_load(specs[f"{toolset}.yaml"])["tools"]
        assert {tool["name"] for tool in tools} == set(responses), "a response for every tool of the corpus file"
        for tool in tools:
            assert "returns" in tool, f"{toolset}.{tool['name']}: its response was not kept"
            assert set(tool["returns"]["properties"]) == set(responses[tool["name"]]["properties"])


@pytest.mark.parametrize("conversation_id", CHECKED)
def test_the_result_models_take_what_the_implementations_return(
    package: ModuleType,
    adapters: Any,  # noqa: F811 - test_replay's fixture
    conversation_id: str,
) -> None:
    conversation = BY_ID[conversation_id]
    expected = reference(conversation, importlib.import_module(f"{package.__name__}._outputs").serialize)
    got = through_dispatcher(
        conversation, package, adapters, messages="one_call_per_message", api="responses", loop=None
    )
    differences = _differences(conversation, expected, got)
    if conversation_id in KNOWN:
        assert differences, f"{conversation_id} now agrees: take it out of test_replay.KNOWN"
    elif conversation_id in DECIMALS:
        assert differences, f"{conversation_id}: the Decimal results now pass, which a float result should refuse"
        refused = [d for d in differences if d.split()[4].startswith(("logarithm(", "square_root("))]
        assert refused == differences and all('"code": "internal_error"' in d for d in differences), differences
    else:
        assert not differences
