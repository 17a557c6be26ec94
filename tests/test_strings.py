"""Strings from specs reach the generated Python and JSON byte for byte, whatever they hold,
and no string can make the generated code do something else."""

from __future__ import annotations

import importlib
import json
from pathlib import Path

import yaml

from conftest import build_package
from spec_factory import AWKWARD_STRINGS

CANARY = "__toolspec_canary__"
HOSTILE = [
    *AWKWARD_STRINGS,
    f'"""\nimport pathlib; pathlib.Path("{CANARY}").touch()\n"""',
    f"'''\nimport pathlib; pathlib.Path('{CANARY}').touch()\n'''",
    f'"); import pathlib; pathlib.Path("{CANARY}").touch(); ("',
    "{{ 7 * 7 }} {% raw %}{% endraw %} {# comment #}",
    "\\N{BULLET} \\x00 \\ufeff",
    "ends with a backslash \\",
    "\u2028line separator\u2029paragraph separator\x85next line",
    "zero\u200bwidth and \U0001f600 emoji",
    "",
]


def _spec(strings: list[str]) -> dict[str, object]:
    parameters = {
        f"p{index}": {"type": "string", "description": text, "enum": [text, "other"]}
        for index, text in enumerate(strings)
    }
    parameters["with_default"] = {"type": "string", "description": "d", "optional": True, "default": strings[0]}
    parameters["with_const"] = {"type": "string", "description": "c", "const": strings[1]}
    return {
        "toolset": "strings",
        "description": strings[2],
        "tools": [
            {"name": "echo", "description": strings[3], "parameters": parameters},
            {
                "name": "free",
                "kind": "custom",
                "description": strings[4],
                "format": {"syntax": "lark", "definition": 'start: "a"\n// ' + strings[5].replace("\n", " ") + "\n"},
            },
        ],
    }


def test_strings_reach_python_and_json_byte_for_byte(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    spec = _spec(HOSTILE)
    # Written as JSON (which is YAML) with YAML's line breaks U+0085, U+2028 and U+2029 escaped:
    # raw, YAML would fold them like newlines.
    text = json.dumps(spec, ensure_ascii=False)
    for line_break in ("\x85", "\u2028", "\u2029"):
        text = text.replace(line_break, f"\\u{ord(line_break):04x}")
    package = build_package(tmp_path, {"strings.yaml": text})
    module = importlib.import_module(f"{package.__name__}.strings")
    assert not (tmp_path / CANARY).exists(), "a string in a spec ran as code"

    echo, free = module.RESPONSES_TOOLS
    assert echo["description"] == spec["tools"][0]["description"]
    properties = echo["parameters"]["properties"]
    for index, text in enumerate(HOSTILE):
        assert properties[f"p{index}"]["description"] == text
        assert properties[f"p{index}"]["enum"] == [text, "other"]
    assert properties["with_const"]["const"] == HOSTILE[1]
    assert free["description"] == HOSTILE[4]
    assert free["format"]["definition"] == spec["tools"][1]["format"]["definition"]

    directory = tmp_path / package.__name__ / "strings"
    assert json.loads((directory / "strings.responses.json").read_text("utf-8")) == module.RESPONSES_TOOLS
    assert json.loads((directory / "strings.chat_completions.json").read_text("utf-8")) == module.CHAT_COMPLETIONS_TOOLS

    model = module.ARGUMENT_MODELS["echo"]
    arguments = {f"p{index}": text for index, text in enumerate(HOSTILE)}
    arguments.update(with_default=None, with_const=HOSTILE[1])
    validated = model.model_validate_json(json.dumps(arguments))
    assert validated.model_dump(by_alias=True) == {**arguments, "with_default": HOSTILE[0]}
    assert model.__doc__ is not None and HOSTILE[3].strip().splitlines()[0] in model.__doc__


def test_python_names_are_made_safe_and_api_names_kept(tmp_path: Path) -> None:
    names = [
        "from",
        "class",
        "order-id",
        "schema",
        "model_config",
        "json",
        "copy",
        "validate",
        "model_fields",
        "None",
        "1st",
    ]
    parameters = {name: {"type": "integer", "description": "n"} for name in names}
    spec = {"toolset": "names", "tools": [{"name": "pick", "description": "d", "parameters": parameters}]}
    package = build_package(tmp_path, {"names.yaml": yaml.safe_dump(spec, sort_keys=False)})
    module = importlib.import_module(f"{package.__name__}.names")
    model = module.ARGUMENT_MODELS["pick"]
    assert [field.alias or name for name, field in model.model_fields.items()] == names
    assert all(name.isidentifier() for name in model.model_fields)
    arguments = {name: index for index, name in enumerate(names)}
    assert model.model_validate_json(json.dumps(arguments)).model_dump(by_alias=True) == arguments
    assert list(module.RESPONSES_TOOLS[0]["parameters"]["properties"]) == names
