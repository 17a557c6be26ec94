"""Real multi-turn conversations to replay through the Dispatcher, and the tools they call.

Five toolsets of ../shared/corpora/bfcl-multi-turn, implemented as the Berkeley Function Calling
Leaderboard implements them (state in the instance; ported from bfcl_eval, Apache-2.0: see each
module), and conversations that call them (conversations.json: the benchmark's ground truth,
converted by make_conversations.py; own_conversations.json: ours, for what the benchmark calls
little). Each implementation is made from a conversation's initial state, has one method per
tool named and parameterised as the tool's source is, and `state()`, what the calls so far have
done, to compare after every turn.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .gorilla_file_system import GorillaFileSystem
from .math_api import MathAPI
from .message_api import MessageAPI
from .posting_api import TwitterAPI
from .vehicle_control import VehicleControlAPI

HERE = Path(__file__).resolve().parent

IMPLEMENTATIONS: dict[str, type[Any]] = {
    "gorilla_file_system": GorillaFileSystem,
    "math_api": MathAPI,
    "message_api": MessageAPI,
    "posting_api": TwitterAPI,
    "vehicle_control": VehicleControlAPI,
}
"""The implementation of each toolset, by the name of its corpus file (and imported spec)."""

BENCHMARK_CLASSES = {
    "GorillaFileSystem": "gorilla_file_system",
    "MathAPI": "math_api",
    "MessageAPI": "message_api",
    "TwitterAPI": "posting_api",
    "VehicleControlAPI": "vehicle_control",
}
"""The benchmark's class names (its `involved_classes`), by toolset."""

FILES = ("conversations.json", "own_conversations.json")


def conversations() -> list[dict[str, Any]]:
    """Every conversation: id, toolsets, initial_state (by toolset), turns (lists of calls, each
    {name, arguments})."""
    found: list[dict[str, Any]] = []
    for name in FILES:
        found.extend(json.loads((HERE / name).read_text("utf-8"))["conversations"])
    return found
