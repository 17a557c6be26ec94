"""Make tests/data/bfcl_tools.json.gz: the tool definitions of the Berkeley Function Calling
Leaderboard, deduplicated, as Chat Completions tool lists grouped into toolsets.

Source: the data of the PyPI wheel bfcl-eval (ShishirPatil/gorilla,
berkeley-function-call-leaderboard/bfcl_eval/data, Apache-2.0): the "function" list of every
entry of BFCL_v4_*.json (JSON lines), and multi_turn_func_doc/*.json (one tool a line). Each
tool is turned into a Chat Completions tool the way the leaderboard's own OpenAI handler
(bfcl_eval/model_handler/utils.py, convert_to_tool) does, as ../shared/corpora/bfcl-multi-turn
is: BFCL's type names mapped to JSON Schema's (dict -> object, float -> number, tuple -> array,
any -> string, ...; an unknown or missing type is a string), dots in names replaced by
underscores. A tool already seen (the same converted definition) is left out.

The toolsets: a multi_turn_func_doc file is one; the entries of a BFCL_v4 file are taken as
they come, an entry's tools kept together, each into the first toolset that has room for them
(TOOLS_PER_TOOLSET) and none of their names (BFCL has 62 different `get_current_weather`s).
The fixture maps each toolset's name to its tool list.

    pip download --no-deps bfcl-eval==2026.3.23 && unzip bfcl_eval-2026.3.23-py3-none-any.whl -d /tmp/bfcl
    python tests/data/make_bfcl_tools.py /tmp/bfcl/bfcl_eval/data
"""

from __future__ import annotations

import argparse
import copy
import gzip
import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

OUTPUT = Path(__file__).resolve().parent / "bfcl_tools.json.gz"
TOOLS_PER_TOOLSET = 35

GORILLA_TO_OPENAPI = {
    "integer": "integer", "number": "number", "float": "number", "string": "string", "boolean": "boolean",
    "bool": "boolean", "array": "array", "list": "array", "dict": "object", "object": "object",
    "tuple": "array", "any": "string", "byte": "integer", "short": "integer", "long": "integer",
    "double": "number", "char": "string", "ArrayList": "array", "Array": "array", "HashMap": "object",
    "Hashtable": "object", "Queue": "array", "Stack": "array", "Any": "string", "String": "string",
    "Bigint": "integer",
}  # fmt: skip
"""bfcl_eval/constants/type_mappings.py; a type not in it becomes "string", as there."""

NOT_TOOLS = {"BFCL_v4_format_sensitivity.json"}
"""A BFCL_v4 file that lists test ids, not entries."""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path, help="bfcl_eval/data of the unpacked bfcl-eval wheel")
    parser.add_argument("-o", "--output", type=Path, default=OUTPUT)
    args = parser.parse_args()
    toolsets = dict(_toolsets(args.data))
    text = json.dumps(toolsets, ensure_ascii=False, separators=(",", ":"))
    with args.output.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as stream:
        stream.write(text.encode("utf-8"))
    count = sum(len(tools) for tools in toolsets.values())
    print(f"{args.output}: {count} tools in {len(toolsets)} toolsets")


def _toolsets(data: Path) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    seen: set[str] = set()

    def new(functions: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
        tools = []
        for function in functions:
            tool = chat_tool(function)
            key = json.dumps(tool, sort_keys=True)
            if key not in seen:
                seen.add(key)
                tools.append(tool)
        return tools

    for path in sorted((data / "multi_turn_func_doc").glob("*.json")):
        tools = new(json.loads(line) for line in _lines(path))
        if tools:
            yield f"multi_turn_{path.stem}", tools
    for path in sorted(data.glob("BFCL_v4_*.json")):
        if path.name in NOT_TOOLS:
            continue
        entries = (new(json.loads(line).get("function", [])) for line in _lines(path))
        prefix = path.stem.removeprefix("BFCL_v4_")
        for number, tools in enumerate(_grouped(entries), start=1):
            yield f"{prefix}_{number:02}", tools


def _lines(path: Path) -> list[str]:
    return [line for line in path.read_text("utf-8").splitlines() if line.strip()]


def _grouped(entries: Iterable[list[dict[str, Any]]]) -> list[list[dict[str, Any]]]:
    """The entries' tools, each run of an entry put into the first toolset with room for it and
    none of its names (a new one where there is none), in the order they come."""
    groups: list[tuple[list[dict[str, Any]], set[str]]] = []
    for entry in entries:
        for part in _without_repeated_names(entry):
            part_names = {tool["function"]["name"] for tool in part}
            fits = (
                (tools, names)
                for tools, names in groups
                if len(tools) + len(part) <= TOOLS_PER_TOOLSET and not part_names & names
            )
            tools, names = next(fits, None) or ([], set())
            if not tools:
                groups.append((tools, names))
            tools.extend(part)
            names |= part_names
    return [tools for tools, _ in groups]


def _without_repeated_names(tools: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    """An entry's tools in runs without a repeated name (an entry may hold one name twice)."""
    run: list[dict[str, Any]] = []
    for tool in tools:
        if any(other["function"]["name"] == tool["function"]["name"] for other in run):
            yield run
            run = []
        run.append(tool)
    if run:
        yield run


def chat_tool(function: dict[str, Any]) -> dict[str, Any]:
    """A BFCL function as a Chat Completions tool."""
    function = copy.deepcopy(function)
    function.pop("response", None)
    function["name"] = re.sub(r"\.", "_", function["name"])
    parameters = function.setdefault("parameters", {})
    parameters["type"] = "object"
    parameters["properties"] = {name: _typed(value) for name, value in parameters.get("properties", {}).items()}
    return {"type": "function", "function": function}


def _typed(schema: Any) -> Any:
    """schema with BFCL's type names mapped to JSON Schema's, all the way down."""
    if not isinstance(schema, dict):
        return schema
    schema = dict(schema)
    schema["type"] = GORILLA_TO_OPENAPI.get(schema.get("type", "string"), "string")
    if isinstance(schema.get("properties"), dict):
        schema["properties"] = {name: _typed(value) for name, value in schema["properties"].items()}
    if isinstance(schema.get("items"), dict):
        schema["items"] = _typed(schema["items"])
    return schema


if __name__ == "__main__":
    main()
