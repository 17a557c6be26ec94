"""What tool definitions cost: the input tokens they add to every request that offers them.

The figure is the one OpenAI's own renderer gives. openai-harmony renders function tools the
way OpenAI's open-weight models read them, as a TypeScript-like `namespace functions { ... }`
in the developer message, and counts its tokens with the o200k_base vocabulary. A tool's (or a
toolset's) cost is the length of a developer message holding only that tool (or every tool of
the toolset) less the length of one whose namespace is empty: 10 tokens, `# Tools`, `##
functions` and the message's own tokens. So each tool's figure includes the `namespace
functions { }` around it once, and a toolset costs less than the sum of its tools: that
wrapper is paid once per request, whatever the number of tools.

What is rendered is the definition as the API receives it: the tool's name, its description
and the `parameters` schema that generate writes (the strict one for a strict tool). Harmony's
renderer shows some schemas coarsely (a `$ref` becomes `any`, the values of a nullable enum are
left out): the figure is what it renders, not a guess of more. A custom tool is counted as
harmony renders a tool without parameters (its name and description): harmony has no form for
a grammar, which the API applies to the model's output rather than sending as text.

The vocabulary comes from the bpe-openai package (which ships it, so nothing is downloaded):
unzipped once into the user's cache directory and checked against the sha256 of the official
o200k_base file before harmony reads it. Counts are cached on disk by the definitions' content,
so a run in which no definition changed loads neither harmony nor the vocabulary.

Harmony's time grows with the square of the length of a piece of text its vocabulary cannot
split (a run of letters, of other signs, or of white space), and a piece of some 500,000
letters overflows its stack: a definition with a run longer than MAX_RUN is not counted, and
`uncountable` says where it is.

`tool_tokens` and `toolset_tokens` are the API; `toolset_tokens(new) - toolset_tokens(old)`,
or `tool_tokens` of two versions of a tool, is the change in tokens per request.
"""

from __future__ import annotations

import atexit
import functools
import gzip
import hashlib
import json
import os
import re
import shutil
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from toolspec.ground.errors import ToolspecError
from toolspec.ground.frozen import thaw
from toolspec.ground.user_cache import cache_directory

if TYPE_CHECKING:
    from toolspec.compile.toolset import CompiledTool, CompiledToolset
    from toolspec.spec.yaml_source import YamlPath

VOCABULARY = "o200k_base.tiktoken"
"""The file name harmony looks for in the folder TIKTOKEN_ENCODINGS_BASE names."""
VOCABULARY_SHA256 = "446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d"
"""The sha256 of the official o200k_base vocabulary file."""
PACKAGED_VOCABULARY = "bpe_openai/data/o200k_base.tiktoken.gz"
"""Where the bpe-openai distribution keeps it, gzipped."""
FORMAT = 2
"""Bumped when what is counted, or how it is cached, changes."""
MAX_RUN = 1_000
"""The longest run of letters, of other signs or of white space counted: a run of 1,000 letters
takes 1 ms, one of 40,000 a second."""
_LONG_RUN = re.compile(
    rf"(?<![^\W\d_])(?P<letters>[^\W\d_]{{{MAX_RUN + 1},}})"
    rf"|(?<!\s)(?P<spaces>\s{{{MAX_RUN + 1},}})"
    rf"|(?<![^\w\s])(?<!_)(?P<signs>(?:[^\w\s]|_){{{MAX_RUN + 1},}})"
)
"""A run longer than MAX_RUN, matched from its start only, so that a search takes linear time.
Digits are left out: the vocabulary splits them three by three."""
_RUNS = {"letters": "letters", "spaces": "white-space characters", "signs": "punctuation marks or symbols"}
_PARTS = {"name": "the name", "description": "the description", "parameters": "a text in the parameters"}


class TokenCountError(ToolspecError):
    """The vocabulary cannot be had, or is not the official one, or a definition has a run of text
    too long to count (uncountable)."""


@dataclass(frozen=True)
class ToolsetTokens:
    total: int
    """The tokens the toolset's definitions, all of them offered together, add to a request."""
    tools: Mapping[str, int]
    """Tool name -> the tokens that tool alone adds to a request (tool_tokens)."""


def tool_tokens(tool: CompiledTool) -> int:
    """The tokens a request that offers only this tool carries for its definition."""
    return _counts((tool,))[0]


def toolset_tokens(toolset: CompiledToolset) -> ToolsetTokens:
    """The tokens of the toolset's definitions, together and each alone."""
    counts = _counts(toolset.tools)
    return ToolsetTokens(counts[0], {tool.name: count for tool, count in zip(toolset.tools, counts[1:], strict=True)})


def definition(tool: CompiledTool) -> dict[str, Any]:
    """What of a tool is rendered: its name, description and parameters (None for a custom tool),
    as plain JSON values."""
    parameters = thaw(tool.function.parameters) if tool.function is not None else None
    return {"name": tool.name, "description": tool.tool.description or "", "parameters": parameters}


def rendered_text(definitions: Sequence[Mapping[str, Any]]) -> str:
    """The developer message harmony renders for definitions, special tokens included."""
    harmony = _harmony()
    return str(harmony.encoding.decode(_render(harmony, definitions)))


def uncountable(tool: CompiledTool) -> tuple[YamlPath, str] | None:
    """Where in its spec the definition of tool has a run of text too long to count (MAX_RUN),
    and a message that says what it is and how to fix it; None when it can be counted."""
    if tool.digest in _COUNTABLE:
        return None  # a build checks every tool, then counts them
    texts: list[tuple[str, str]] = [("name", tool.name), ("description", tool.tool.description or "")]
    pending: list[object] = [tool.function.parameters] if tool.function is not None else []
    while pending:  # every key and string of the parameters, however deeply nested (frozen: not copied)
        value = pending.pop()
        if isinstance(value, str):
            texts.append(("parameters", value))
        elif isinstance(value, Mapping):
            pending.extend([*value, *value.values()])
        elif isinstance(value, list | tuple):
            pending.extend(value)
    for part, text in texts:
        run = _LONG_RUN.search(text) if len(text) > MAX_RUN else None  # a shorter text has no such run
        if run is not None:
            return (*tool.tool.at, part), (
                f"{_PARTS[part]} of tool {tool.name!r} has {len(run.group()):,} {_RUNS[run.lastgroup or '']} in a "
                f"row: toolspec counts the tokens of at most {MAX_RUN:,} in a row (a longer run takes minutes, or "
                "crashes the counter); break it up"
            )
    _COUNTABLE.add(tool.digest)
    return None


_COUNTABLE: set[str] = set()
"""The digests of the tools found countable in this process."""


def _counts(tools: Sequence[CompiledTool]) -> tuple[int, ...]:
    """The cost of all of tools together, then of each alone; from the cache if known."""
    if not tools:
        return (0,)
    key = _key(tools)
    found = _MEMORY.get(key) or _read_cached(key, len(tools))
    if found is None:
        for tool in tools:
            problem = uncountable(tool)
            if problem is not None:
                raise TokenCountError(problem[1])
        harmony = _harmony()
        definitions = [definition(tool) for tool in tools]
        baseline = len(_render(harmony, ()))
        together = len(_render(harmony, definitions)) - baseline
        alone = [len(_render(harmony, (one,))) - baseline for one in definitions]
        found = (together, *alone)
        _write_cached(key, found)
    _MEMORY[key] = found
    return found


_MEMORY: dict[str, tuple[int, ...]] = {}


def _key(tools: Sequence[CompiledTool]) -> str:
    """The counts' key: the tools by their digests (of all that is rendered of them, and more)."""
    payload = {
        "format": FORMAT,
        "harmony": _harmony_version(),
        "vocabulary": VOCABULARY_SHA256,
        "tools": [tool.digest for tool in tools],
    }
    return hashlib.sha256(json.dumps(payload).encode("utf-8")).hexdigest()


@functools.cache
def _harmony_version() -> str:
    from importlib import metadata  # here: `toolspec --version` imports this module, not the metadata reader

    return metadata.version("openai-harmony")


def _cache_file(key: str) -> Path | None:
    base = cache_directory()
    return base / "tokens" / key[:2] / f"{key}.json" if base is not None else None


def _read_cached(key: str, tools: int) -> tuple[int, ...] | None:
    path = _cache_file(key)
    try:
        value = json.loads(path.read_text("utf-8")) if path is not None else None
    except (OSError, ValueError):
        return None
    if isinstance(value, list) and len(value) == tools + 1 and all(type(n) is int and n >= 0 for n in value):
        return tuple(value)
    return None  # missing or damaged: counted again


def _write_cached(key: str, counts: tuple[int, ...]) -> None:
    path = _cache_file(key)
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        temporary.write_text(json.dumps(list(counts)), "utf-8")
        os.replace(temporary, path)
    except OSError:
        pass  # a cache that cannot be written only costs time


@dataclass(frozen=True)
class _Harmony:
    module: Any
    encoding: Any


@functools.cache
def _harmony() -> _Harmony:
    """openai-harmony with its gpt-oss encoding, reading the checked vocabulary (no download)."""
    folder = vocabulary_directory()
    import openai_harmony

    previous = os.environ.get("TIKTOKEN_ENCODINGS_BASE")
    os.environ["TIKTOKEN_ENCODINGS_BASE"] = str(folder)
    try:
        encoding = openai_harmony.load_harmony_encoding(openai_harmony.HarmonyEncodingName.HARMONY_GPT_OSS)
    except Exception as error:  # noqa: BLE001 - HarmonyError is the extension's own class
        raise TokenCountError(f"openai-harmony cannot load the o200k_base vocabulary from {folder}: {error}") from None
    finally:
        if previous is None:
            del os.environ["TIKTOKEN_ENCODINGS_BASE"]
        else:
            os.environ["TIKTOKEN_ENCODINGS_BASE"] = previous
    return _Harmony(openai_harmony, encoding)


def _render(harmony: _Harmony, definitions: Sequence[Mapping[str, Any]]) -> list[int]:
    h = harmony.module
    tools = [h.ToolDescription.new(d["name"], d["description"], parameters=d["parameters"]) for d in definitions]
    content = h.DeveloperContent.new().with_function_tools(tools)
    conversation = h.Conversation.from_messages([h.Message.from_role_and_content(h.Role.DEVELOPER, content)])
    tokens: list[int] = harmony.encoding.render_conversation(conversation)
    return tokens


def vocabulary_directory() -> Path:
    """A folder holding o200k_base.tiktoken, unzipped from bpe-openai on first use and checked."""
    base = cache_directory()
    folder = base / "o200k_base" if base is not None else _temporary_folder()
    target = folder / VOCABULARY
    if target.is_file() and _sha256(target.read_bytes()) == VOCABULARY_SHA256:
        return folder
    data = gzip.decompress(_packaged_vocabulary().read_bytes())
    if _sha256(data) != VOCABULARY_SHA256:
        from importlib import metadata

        raise TokenCountError(
            f"the o200k_base vocabulary of bpe-openai {metadata.version('bpe-openai')} has sha256 {_sha256(data)}, "
            f"not the official file's {VOCABULARY_SHA256}: reinstall bpe-openai"
        )
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        temporary = folder / f".{VOCABULARY}.{os.getpid()}.tmp"
        temporary.write_bytes(data)
        os.replace(temporary, target)
    except OSError as error:
        raise TokenCountError(f"cannot write the o200k_base vocabulary into {folder}: {error}") from None
    return folder


def _packaged_vocabulary() -> Path:
    from importlib import metadata

    try:
        path = Path(str(metadata.distribution("bpe-openai").locate_file(PACKAGED_VOCABULARY)))
    except metadata.PackageNotFoundError:
        raise TokenCountError("bpe-openai, which ships the o200k_base vocabulary, is not installed") from None
    if not path.is_file():
        raise TokenCountError(f"bpe-openai has no {PACKAGED_VOCABULARY} (looked for {path})")
    return path


@functools.cache
def _temporary_folder() -> Path:
    """Where the vocabulary goes when there is no cache directory: removed at exit."""
    folder = Path(tempfile.mkdtemp(prefix="toolspec-vocabulary-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
