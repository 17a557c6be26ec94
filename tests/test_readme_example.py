"""The README's openai example, run as written against a fake client (no network): every
function call of a response gets exactly one output, paired by its call_id, including a call
of an unknown tool and one with invalid arguments, as the API requires."""

from __future__ import annotations

import json
import re
import sys
from types import SimpleNamespace
from typing import Any

import openai
import pytest

from conftest import REPO


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
