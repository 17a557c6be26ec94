"""The README, followed as written.

The quick start, in an empty directory: each command it shows is run, and what it prints is
compared with what the README shows (a line `...` stands for any lines, a line ending in ` ...`
for any end); the code it shows is written where it says, and the loop runs against the local
stand-in model. The tree of `generated/` names the files generate writes. The openai example runs
against a fake client (no network): every function call of a response gets exactly one output,
paired by its call_id, including a call of an unknown tool and one with invalid arguments, as
the API requires."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import openai
import pytest
from examples.fake_model import FakeModel, PlannedCall

from conftest import REPO

README = (REPO / "README.md").read_text("utf-8")


def _section(title: str) -> str:
    """The README's text under the heading title, to the next heading of its level or above."""
    level, rest = title.split(" ", 1)[0], README.split(f"\n{title}\n", 1)[1]
    return re.split(rf"\n#{{1,{len(level)}}} ", rest, maxsplit=1)[0]


def _blocks(section: str, language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", section, re.DOTALL)


def _shown(printed: str, shown: list[str]) -> bool:
    """Whether the lines printed are those shown: `...` is any lines, `text ...` any line so begun."""
    lines = printed.splitlines()
    if not shown:
        return not lines
    first, rest = shown[0], shown[1:]
    if first == "...":
        return any(_shown("\n".join(lines[i:]), rest) for i in range(len(lines) + 1))
    if not lines:
        return False
    same = lines[0].startswith(first[:-3]) if first.endswith(" ...") else lines[0] == first
    return same and _shown("\n".join(lines[1:]), rest)


def _run_console(block: str, cwd: Path, env: dict[str, str]) -> None:
    """Run each `$ command` of a console block; what it prints (stdout and stderr, as a terminal
    shows them) must be what the block shows under it."""
    steps = re.findall(r"^\$ (.*)\n((?:(?!\$ ).*\n)*)", block, re.MULTILINE)
    assert steps, block
    for command, output in steps:
        done = subprocess.run(
            ["bash", "-c", command], cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        assert done.returncode == 0, f"$ {command}\n{done.stdout}"
        assert _shown(done.stdout, output.splitlines()), (
            f"$ {command} printed:\n{done.stdout}\nthe README shows:\n{output}"
        )


def _environment(tmp_path: Path) -> dict[str, str]:
    """A shell where toolspec and python are this environment's (the README's pip install)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "OPENAI_", "TOOLSPEC_"))}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env["TOOLSPEC_CACHE_DIR"] = str(tmp_path / "cache")
    for who in ("AUTHOR", "COMMITTER"):
        env[f"GIT_{who}_NAME"], env[f"GIT_{who}_EMAIL"] = "test", "test@example.com"
    return env


def test_the_quick_start_followed_literally_gives_what_it_shows(tmp_path: Path) -> None:
    quick_start = _section("## Quick start")
    root, env = tmp_path / "weather-bot", _environment(tmp_path)
    subprocess.run(["git", "init", "-q", str(root)], env=env, check=True)
    [config] = _blocks(quick_start, "toml")
    (root / "pyproject.toml").write_text(config, "utf-8")
    [spec] = _blocks(quick_start, "yaml")
    (root / "specs").mkdir()
    (root / "specs" / "weather.yaml").write_text(spec, "utf-8")
    first, last = _blocks(quick_start, "console")
    _run_console(first, root, env)

    method, main = _blocks(quick_start, "python")
    scaffold = (root / "app" / "weather.py").read_text("utf-8")
    start = scaffold.index("    def get_weather(")
    end = scaffold.find("\n\n    def ", start) + 1 or len(scaffold)  # the next method, or the end
    (root / "app" / "weather.py").write_text(scaffold[:start] + method + scaffold[end:], "utf-8")
    (root / "app" / "main.py").write_text(main, "utf-8")
    [_, run_it] = _blocks(quick_start, "sh")
    assert run_it.splitlines()[-1] == "python -m app.main"
    with FakeModel([PlannedCall("get_weather", '{"location": "Paris, France", "units": null}')]) as model:
        loop = {"OPENAI_API_KEY": "sk-test", "OPENAI_BASE_URL": model.base_url}
        done = subprocess.run(
            [sys.executable, "-m", "app.main"], cwd=root, env=env | loop, capture_output=True, text=True, timeout=120
        )
        assert done.returncode == 0, done.stderr
        [output] = [o["output"] for o in model.bodies("/v1/responses")[1]["input"]]
    assert json.loads(output) == {"location": "Paris, France", "units": "celsius", "temperature": 21}
    assert re.fullmatch(r"I got 1 tool outputs: call_\d+ ok\.", done.stdout.strip()), done.stdout
    _run_console(last, root, env)


def test_the_tree_of_generated_names_the_files_generate_writes(tmp_path: Path) -> None:
    [tree] = [b for b in _blocks(_section("## `toolspec generate`"), "text") if b.startswith("generated/")]
    named = {line.split()[0].rstrip(",") for line in tree.splitlines()[1:]}
    written = {p.name for p in (REPO / "generated").rglob("*") if p.is_file() and "__pycache__" not in p.parts}
    runtime = {p.name for p in (REPO / "generator" / "toolspec" / "runtime").glob("_*.py")}
    toolset = {p.name for p in (REPO / "generated" / "weather").iterdir() if p.is_file()}
    catalogue = {p.name for p in (REPO / "generated" / "docs").iterdir() if p.is_file()}
    assert toolset | {"weather/", "docs/", "index.md", "weather.md"} <= named
    assert catalogue - {f"{t}.md" for t in ("calendar", "code", "shop")} <= named
    assert named - {"weather/", "docs/"} <= written
    assert "_dispatch.py" in named and runtime <= written


def _readme_example() -> str:
    readme = (REPO / "README.md").read_text("utf-8")
    section = readme.split("## Using the output with the openai SDK", 1)[1]
    match = re.search(r"```python\n(.*?)```", section, re.DOTALL)
    assert match, "the README has no Python example under 'Using the output with the openai SDK'"
    return match.group(1)


def _call(call_id: str, name: str, arguments: Any) -> SimpleNamespace:
    text = arguments if isinstance(arguments, str) else json.dumps(arguments)
    return SimpleNamespace(type="function_call", id=f"fc_{call_id}", call_id=call_id, name=name, arguments=text)


class _FakeResponses:
    def __init__(self, output: list[SimpleNamespace]) -> None:
        self.output = output
        self.requests: list[dict[str, Any]] = []

    def create(self, **request: Any) -> SimpleNamespace:
        self.requests.append(request)
        if len(self.requests) == 1:
            return SimpleNamespace(id="resp_1", output=self.output, output_text="")
        return SimpleNamespace(id="resp_2", output=[], output_text="done")


def _run(monkeypatch: pytest.MonkeyPatch, output: list[SimpleNamespace]) -> list[dict[str, Any]]:
    """The results the example sends back in its second request."""
    responses = _FakeResponses(output)
    monkeypatch.setattr(openai, "OpenAI", lambda **_: SimpleNamespace(responses=responses))
    monkeypatch.syspath_prepend(str(REPO))
    for name in [m for m in sys.modules if m == "generated" or m.startswith("generated.")]:
        monkeypatch.delitem(sys.modules, name)
    exec(compile(_readme_example(), "README.md", "exec"), {"__name__": "readme_example"})
    assert len(responses.requests) == 2
    second = responses.requests[1]
    assert second["previous_response_id"] == "resp_1"
    results: list[dict[str, Any]] = second["input"]
    return results


def test_two_calls_of_two_tools_get_one_output_each(monkeypatch: pytest.MonkeyPatch) -> None:
    output = [
        SimpleNamespace(type="reasoning", id="rs_1"),
        _call("call_1", "get_weather", {"location": "Paris, France", "units": None}),
        _call("call_2", "get_horoscope", {"sign": "Aquarius"}),
    ]
    results = _run(monkeypatch, output)
    assert [r["call_id"] for r in results] == ["call_1", "call_2"]
    assert all(r["type"] == "function_call_output" and isinstance(r["output"], str) for r in results)
    assert json.loads(results[0]["output"])["units"] == "celsius"
    assert "Aquarius" in results[1]["output"]


def test_unknown_tools_and_invalid_arguments_get_an_error_as_output(monkeypatch: pytest.MonkeyPatch) -> None:
    output = [
        _call("call_1", "get_weather", {"location": 5, "units": None}),
        _call("call_2", "send_email", {"to": "someone"}),
        _call("call_3", "get_horoscope", "{not json"),
        _call("call_4", "get_weather", {"location": "Oslo", "units": "kelvin"}),
    ]
    results = _run(monkeypatch, output)
    assert [r["call_id"] for r in results] == ["call_1", "call_2", "call_3", "call_4"]
    assert all(r["output"].startswith("error: ") for r in results), results
    assert "send_email" in results[1]["output"]


def test_the_docs_speak_of_the_product_not_of_issues() -> None:
    for path in [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]:
        found = re.findall(r".{0,30}\bissues? \d+.{0,30}", path.read_text("utf-8"), re.IGNORECASE)
        assert not found, f"{path.name}: {found}"
