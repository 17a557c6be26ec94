"""Write conversations.json from the BFCL multi-turn benchmark's ground truth.

    python tests/replay/make_conversations.py PATH/TO/bfcl_eval

PATH/TO/bfcl_eval is the bfcl_eval package of the bfcl-eval wheel (Apache-2.0), unpacked; it is
read, never imported. Every conversation of data/BFCL_v4_multi_turn_base.json whose classes are
all implemented here is kept: its initial configuration for those classes, and each turn's
ground-truth calls (data/possible_answer/BFCL_v4_multi_turn_base.json), call strings such as
"mean(numbers=[1,2])" parsed with ast into {name, arguments}; a positional argument gets the
name of the implementation's parameter in its place.
"""

from __future__ import annotations

import ast
import inspect
import json
import sys
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    __package__ = "replay"  # noqa: A001 - run as a script: import the package beside it

from replay import BENCHMARK_CLASSES, HERE, IMPLEMENTATIONS

DATA = "data/BFCL_v4_multi_turn_base.json"
ANSWERS = "data/possible_answer/BFCL_v4_multi_turn_base.json"
SOURCE = (
    "Berkeley Function Calling Leaderboard (ShishirPatil/gorilla, berkeley-function-call-leaderboard), "
    f"bfcl-eval: bfcl_eval/{DATA} (initial_config) and bfcl_eval/{ANSWERS} (ground_truth)"
)

LICENSE = (
    "Apache-2.0 (bfcl-eval 2026.3.23, by Huanzhi Mao, Shishir Patil and the Sky Computing Lab, UC Berkeley); "
    "converted by tests/replay/make_conversations.py"
)


def _lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def parse_call(text: str, toolsets: list[str]) -> dict[str, Any]:
    """A ground-truth call string as {name, arguments}."""
    node = ast.parse(text.strip(), mode="eval").body
    if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
        raise ValueError(f"not a call of a tool: {text!r}")
    name = node.func.id
    arguments = {keyword.arg: ast.literal_eval(keyword.value) for keyword in node.keywords}
    if node.args:
        owners = [IMPLEMENTATIONS[toolset] for toolset in toolsets if hasattr(IMPLEMENTATIONS[toolset], name)]
        parameters = list(inspect.signature(getattr(owners[0], name)).parameters)[1:]  # past self
        for parameter, value in zip(parameters, node.args, strict=False):
            arguments[parameter] = ast.literal_eval(value)
    return {"name": name, "arguments": arguments}


def convert(bfcl: Path) -> dict[str, Any]:
    answers = {entry["id"]: entry["ground_truth"] for entry in _lines(bfcl / ANSWERS)}
    kept = []
    for entry in _lines(bfcl / DATA):
        classes = entry["involved_classes"]
        if not set(classes) <= set(BENCHMARK_CLASSES):
            continue
        toolsets = sorted(BENCHMARK_CLASSES[name] for name in classes)
        initial = {
            BENCHMARK_CLASSES[name]: entry["initial_config"][name]
            for name in classes
            if name in entry["initial_config"] and name != "MathAPI"  # stateless: the benchmark ignores it
        }
        turns = [[parse_call(call, toolsets) for call in turn] for turn in answers[entry["id"]]]
        kept.append({"id": entry["id"], "toolsets": toolsets, "initial_state": initial, "turns": turns})
    return {
        "source": SOURCE,
        "license": LICENSE,
        "conversations": kept,
    }


def dump(data: dict[str, Any]) -> str:
    """The file's text: a conversation's initial state on one line, and each turn."""
    one = json.dumps
    head = [f" {one(key)}: {one(value, ensure_ascii=False)}," for key, value in data.items() if key != "conversations"]
    entries = []
    for conversation in data["conversations"]:
        turns = ",\n".join(f"    {one(turn, ensure_ascii=False)}" for turn in conversation["turns"])
        entries.append(
            f'  {{"id": {one(conversation["id"])}, "toolsets": {one(conversation["toolsets"])},\n'
            f'   "initial_state": {one(conversation["initial_state"], ensure_ascii=False)},\n'
            f'   "turns": [\n{turns}\n   ]}}'
        )
    return "{\n" + "\n".join(head) + '\n "conversations": [\n' + ",\n".join(entries) + "\n ]\n}\n"


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    converted = convert(Path(argv[0]))
    (HERE / "conversations.json").write_text(dump(converted), "utf-8")
    print(f"{len(converted['conversations'])} conversations written to {HERE / 'conversations.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
