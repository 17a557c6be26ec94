"""`toolspec stats`: in JSON exactly a list of {"toolset", "tool", "parameters", "tokens"}, one
per tool (tools outside the repository read that); in text an aligned table with a total per
toolset."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from conftest import REPO, run_toolspec_here
from toolspec import pipeline
from toolspec.compile import tokens
from toolspec.project.config import load_config
from toolspec.spec import ir


def _project(tmp_path: Path) -> Path:
    shutil.copytree(REPO / "specs", tmp_path / "specs")
    (tmp_path / "pyproject.toml").write_text('[tool.toolspec]\nspecs = "specs"\n', "utf-8")
    return tmp_path


def test_json_is_a_list_of_one_object_per_tool(tmp_path: Path) -> None:
    project = _project(tmp_path)
    result = run_toolspec_here("stats", "--format", "json", cwd=project)
    assert result.returncode == 0, result.stderr
    entries = json.loads(result.stdout)
    assert isinstance(entries, list)
    assert all(
        isinstance(entry, dict) and list(entry) == ["toolset", "tool", "parameters", "tokens"] for entry in entries
    )
    built = pipeline.build([project / "specs"], load_config(project))
    expected = [
        {
            "toolset": compiled.name,
            "tool": tool.name,
            "parameters": len(tool.tool.parameters.properties) if isinstance(tool.tool, ir.FunctionTool) else 0,
            "tokens": tokens.tool_tokens(tool),
        }
        for compiled in sorted(built.compiled, key=lambda c: c.name)
        for tool in compiled.tools
    ]
    assert entries == expected
    by_tool = {(e["toolset"], e["tool"]): e for e in entries}
    assert by_tool["shop", "search_products"]["parameters"] == 5
    assert by_tool["code", "math_exp"]["parameters"] == 0  # a custom tool
    assert by_tool["weather", "get_weather"]["tokens"] == 54
    assert len(entries) == 11 and all(type(e["tokens"]) is int and e["tokens"] > 0 for e in entries)


def test_text_is_an_aligned_table_with_a_total_per_toolset(tmp_path: Path) -> None:
    project = _project(tmp_path)
    result = run_toolspec_here("stats", cwd=project)
    assert result.returncode == 0, result.stderr
    table = result.stdout.split("\n\n")[0].splitlines()
    assert table[0].split() == ["toolset", "tool", "parameters", "tokens"]
    ends = {len(line) for line in table}
    assert len(ends) == 1, "the numbers are right-aligned to one column"
    tokens_at = table[0].index("tokens")
    weather = [line for line in table if line.startswith("weather ")]
    assert [line.split()[1] for line in weather] == ["get_weather", "get_horoscope", "total"]
    built = pipeline.build([project / "specs"], load_config(project))
    compiled = next(c for c in built.compiled if c.name == "weather")
    total = weather[-1]
    assert "total (2 tools)" in total and total[tokens_at:].strip() == str(tokens.toolset_tokens(compiled).total)
    assert total.split()[-2] == "3"  # parameters of the toolset
    assert "less than their sum" in result.stdout


def test_specs_with_errors_are_not_counted(tmp_path: Path) -> None:
    (tmp_path / "specs").mkdir()
    (tmp_path / "specs" / "bad.yaml").write_text("toolset: bad\ntools:\n  - name: f\n    parameters: 3\n", "utf-8")
    (tmp_path / "pyproject.toml").write_text('[tool.toolspec]\nspecs = "specs"\n', "utf-8")
    result = run_toolspec_here("stats", "--format", "json", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout == ""
    assert "nothing was counted" in result.stderr


def test_stats_of_named_files(tmp_path: Path) -> None:
    project = _project(tmp_path)
    result = run_toolspec_here("stats", "--format", "json", "specs/weather.yaml", cwd=project)
    assert result.returncode == 0, result.stderr
    assert [entry["tool"] for entry in json.loads(result.stdout)] == ["get_weather", "get_horoscope"]
