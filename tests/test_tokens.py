"""What tool definitions cost per request (toolspec.compile.tokens): rendered by openai-harmony, counted
in o200k_base, checked against a count made independently; the vocabulary taken offline from
bpe-openai and checked; counts cached by content; and lint's budget (TS405) configurable."""

from __future__ import annotations

import gzip
import hashlib
import re
import warnings
from pathlib import Path

import pytest

from conftest import REPO, load, project_config, run_toolspec, write_specs
from toolspec import pipeline
from toolspec.compile import tokens
from toolspec.compile.toolset import CompiledToolset
from toolspec.lint.rules import BY_CODE
from toolspec.project.config import ConfigError, load_config

SPECIAL = re.compile(r"(<\|start\|>|<\|message\|>|<\|end\|>)")


def _repository_toolsets() -> dict[str, CompiledToolset]:
    built = pipeline.build([REPO / "specs"], load_config(REPO))
    assert not built.has_errors
    return {compiled.name: compiled for compiled in built.compiled}


def _independent_count(text: str) -> int:
    """The tokens of a rendered developer message, counted by another implementation of the
    o200k_base vocabulary (bpe-openai's own tokenizer): one per special token, BPE between."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "open_binary is deprecated", DeprecationWarning)  # bpe-openai's own
        import bpe_openai

        encoding = bpe_openai.get_encoding("o200k_base")
    return sum(1 if SPECIAL.fullmatch(piece) else len(encoding.encode_ordinary(piece)) for piece in SPECIAL.split(text))


def _reference(definitions: list[dict[str, object]]) -> int:
    return _independent_count(tokens.rendered_text(definitions)) - _independent_count(tokens.rendered_text([]))


def test_an_empty_function_namespace_is_the_10_token_baseline() -> None:
    # shared/reference/dependencies.md: "10 for an empty developer message".
    text = tokens.rendered_text([])
    assert text == "<|start|>developer<|message|># Tools\n\n## functions\n<|end|>"
    assert _independent_count(text) == 10


def test_a_tool_renders_as_the_functions_namespace_the_model_reads() -> None:
    weather = _repository_toolsets()["weather"]
    text = tokens.rendered_text([tokens.definition(weather.tools[0])])
    assert text == (
        "<|start|>developer<|message|># Tools\n\n## functions\n\nnamespace functions {\n\n"
        "// Retrieves current weather for the given location.\n"
        "type get_weather = (_: {\n"
        "// City and country e.g. Bogotá, Colombia\n"
        "location: string,\n"
        "// Units the temperature will be returned in.\n"
        "units: string | null,\n"
        "}) => any;\n\n"
        "} // namespace functions<|end|>"
    )
    assert tokens.tool_tokens(weather.tools[0]) == 54  # 64 tokens, less the 10 of the baseline


def test_every_tool_of_the_repository_costs_what_an_independent_count_says() -> None:
    for compiled in _repository_toolsets().values():
        cost = tokens.toolset_tokens(compiled)
        for tool in compiled.tools:
            reference = _reference([tokens.definition(tool)])
            assert tokens.tool_tokens(tool) == cost.tools[tool.name] == reference, (compiled.name, tool.name)
        assert cost.total == _reference([tokens.definition(tool) for tool in compiled.tools]), compiled.name


def test_a_toolset_costs_less_than_its_tools_one_by_one() -> None:
    for compiled in _repository_toolsets().values():
        cost = tokens.toolset_tokens(compiled)
        assert 0 < cost.total < sum(cost.tools.values()), compiled.name


def test_a_custom_tool_is_counted_by_its_name_and_description() -> None:
    code = _repository_toolsets()["code"]
    definition = tokens.definition(code.tools[0])
    assert definition == {"name": "code_exec", "description": "Executes arbitrary Python code.", "parameters": None}
    assert "type code_exec = () => any;" in tokens.rendered_text([definition])


def test_a_change_of_a_tool_shows_in_its_count(tmp_path: Path) -> None:
    spec = "toolset: t\ntools:\n  - name: f\n    description: {d}\n    parameters: {{}}\n"
    short = load(tmp_path / "a", {"t.yaml": spec.format(d="Adds.")}).compiled[0].tools[0]
    longer = load(tmp_path / "b", {"t.yaml": spec.format(d="Adds two numbers and says the sum.")}).compiled[0].tools[0]
    assert tokens.tool_tokens(longer) - tokens.tool_tokens(short) == _reference(
        [tokens.definition(longer)]
    ) - _reference([tokens.definition(short)])
    assert tokens.tool_tokens(longer) > tokens.tool_tokens(short)


def test_the_vocabulary_comes_from_bpe_openai_unzipped_and_checked(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("TOOLSPEC_CACHE_DIR", str(tmp_path))
    folder = tokens.vocabulary_directory()
    target = folder / tokens.VOCABULARY
    assert folder == tmp_path / "o200k_base"
    assert hashlib.sha256(target.read_bytes()).hexdigest() == tokens.VOCABULARY_SHA256
    target.write_bytes(b"damaged")
    assert tokens.vocabulary_directory() == folder  # a damaged copy is replaced
    assert hashlib.sha256(target.read_bytes()).hexdigest() == tokens.VOCABULARY_SHA256


def test_a_vocabulary_that_is_not_the_official_one_is_refused(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("TOOLSPEC_CACHE_DIR", str(tmp_path / "cache"))
    fake = tmp_path / "o200k_base.tiktoken.gz"
    fake.write_bytes(gzip.compress(b"aGVsbG8= 0\n"))
    monkeypatch.setattr(tokens, "_packaged_vocabulary", lambda: fake)
    with pytest.raises(tokens.TokenCountError, match="not the official file's"):
        tokens.vocabulary_directory()
    assert not (tmp_path / "cache" / "o200k_base" / tokens.VOCABULARY).exists()


def test_counts_are_cached_by_content_and_need_no_harmony_then(tmp_path: Path, monkeypatch) -> None:
    weather = _repository_toolsets()["weather"]  # linting counts every toolset: before the cache is chosen
    monkeypatch.setenv("TOOLSPEC_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(tokens, "_MEMORY", {})
    counted = tokens.toolset_tokens(weather)
    [entry] = (tmp_path / "tokens").rglob("*.json")

    def no_harmony() -> None:
        raise AssertionError("harmony was loaded")

    monkeypatch.setattr(tokens, "_MEMORY", {})
    monkeypatch.setattr(tokens, "_harmony", no_harmony)
    assert tokens.toolset_tokens(weather) == counted
    entry.write_text("[1, 2]")  # damaged: counted again
    monkeypatch.setattr(tokens, "_MEMORY", {})
    with pytest.raises(AssertionError, match="harmony was loaded"):
        tokens.toolset_tokens(weather)


BIG = "toolset: big\ntools:\n" + "".join(
    f"  - name: tool_{n}\n    description: Does thing number {n} and reports back.\n    parameters:\n"
    "      id: {type: string, description: The ID of the thing.}\n"
    for n in range(4)
)


def test_the_budget_is_an_option_of_the_token_budget_rule(tmp_path: Path) -> None:
    rule = BY_CODE["TS405"]
    assert rule.name == "token-budget" and rule.options == {"max-tokens": 4000}
    write_specs(tmp_path, {"big.yaml": BIG})
    (tmp_path / "pyproject.toml").write_text("[tool.toolspec.options.token-budget]\nmax-tokens = 100\n")
    result = run_toolspec("lint", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert re.search(
        r"big\.yaml:1:1: warning: TS405 the tool definitions add \d+ tokens .* budget of 100 ", result.stdout
    )
    (tmp_path / "pyproject.toml").write_text("[tool.toolspec.options.token-budget]\nmax-tokens = 100000\n")
    assert run_toolspec("lint", cwd=tmp_path).returncode == 0


def test_a_budget_that_is_no_whole_number_is_a_configuration_error(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.toolspec.options.token-budget]\nmax-tokens = "lots"\n')
    with pytest.raises(ConfigError, match="max-tokens must be a whole number"):
        load_config(tmp_path)


def test_within_the_budget_nothing_is_said(tmp_path: Path) -> None:
    built = pipeline.build(
        [write_specs(tmp_path, {"big.yaml": BIG})], project_config(tmp_path, rules=[BY_CODE["TS405"]])
    )
    assert not built.diagnostics
