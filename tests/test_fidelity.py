"""The definition the model sees and the model that validates its arguments agree.

For every function tool of the repository's specs (the committed generated/ package) and of
a few hundred seeded random specs (generated into a temporary package): the emitted schema
meets strict mode's rules and compiles in llguidance; instances hypothesis draws from the
schema are accepted by the argument model, and so are they with their optional keys left out
(other callers than strict mode leave them out), which then hold the spec's defaults; and on
mutated instances (wrong types, missing and extra keys, values outside enums and bounds) the
model accepts exactly what the strict schema accepts, plus what it accepts once the optional
keys left out are given.
"""

from __future__ import annotations

import copy
import importlib
import json
import typing
import uuid
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import llguidance
import pydantic
import pytest
from hypothesis import HealthCheck, Phase, assume, given, settings
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema

from conftest import RANDOM_CORPUS, REPO, random_corpus, random_corpus_chunk, random_corpus_group
from spec_factory import FORMAT_CHECKS, parsed, random_specs
from strict_mode import strict_violations
from toolspec.lint.json_validation import validation_errors

RANDOM_SPECS = random_specs(RANDOM_CORPUS)
MUTATION_VALUES = [
    *("x", "", "ORD-1", 0, -1, 7, 1.5, -2.75, 10**20, True, False, None, [], [1, "a"], {}, {"k": "v"}),
    # Strings of a format that the string checks of spec_factory.FORMAT_CHECKS may refuse.
    *("2026-01-31T14:05:00.123456+01:00", "2026-12-31", "14:05:00Z", "P400DT23H59M"),
    *("9B2F6C1E-3D4A-4F5B-8C6D-7E8F9A0B1C2D", "192.168.100.200", "fe80::1"),
]
UNCHECKED_FORMATS = ("email", "hostname")
"""Formats the models keep as plain strings: email-validator is no dependency of theirs."""

CUSTOM_FORMATS = {
    # Formats strict mode supports that hypothesis-jsonschema does not draw by itself.
    "uuid": st.uuids().map(str),
    "duration": st.builds(
        lambda days, hours, minutes: f"P{days}DT{hours}H{minutes}M",
        st.integers(0, 400),
        st.integers(0, 23),
        st.integers(0, 59),
    ),
}
SETTINGS = settings(
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
    # No "explain" phase: its tracer makes shrinking a failure take minutes on these schemas.
    phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink],
)


def _spec_tools(specs: dict[str, str]) -> list[tuple[str, str]]:
    """(toolset, tool) of every strict function tool; the one non-strict tool has its own test."""
    found = []
    for text in specs.values():
        data = parsed(text)
        for tool in data["tools"]:
            if tool.get("kind", "function") == "function" and tool.get("strict", True):
                found.append((data["toolset"], tool["name"]))
    return found


def _non_strict_tools(specs: dict[str, str]) -> list[tuple[str, str]]:
    return [
        (data["toolset"], tool["name"])
        for data in (parsed(text) for text in specs.values())
        for tool in data["tools"]
        if tool.get("strict", True) is False
    ]


REPO_SPECS = {path.name: path.read_text("utf-8") for path in sorted((REPO / "specs").glob("*.yaml"))}
REPO_TOOLS = _spec_tools(REPO_SPECS)
RANDOM_TOOLS = _spec_tools(RANDOM_SPECS)
RANDOM_NON_STRICT_TOOLS = _non_strict_tools(RANDOM_SPECS)


@pytest.fixture
def random_package(tmp_path_factory: pytest.TempPathFactory, toolset: str) -> ModuleType:
    """The package of the random corpus's chunk that holds toolset (conftest.random_corpus)."""
    return random_corpus(random_corpus_chunk(f"{toolset}.yaml"), tmp_path_factory).package


@pytest.fixture(scope="session")
def repo_package() -> ModuleType:
    return importlib.import_module("generated")


def _tool(package: ModuleType, toolset: str, name: str) -> tuple[dict[str, Any], type[pydantic.BaseModel]]:
    module = importlib.import_module(f"{package.__name__}.{toolset}")
    definition = next(t for t in module.RESPONSES_TOOLS if t["name"] == name)
    return definition, module.ARGUMENT_MODELS[name]


def _accepts(model: type[pydantic.BaseModel], instance: Any) -> bool:
    try:
        model.model_validate_json(json.dumps(instance))
    except pydantic.ValidationError:
        return False
    return True


def _paths(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, (*path, index))


def _get(value: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        value = value[part]
    return value


def _bool_taken_for_number(original: Any, mutated: Any, schema: dict[str, Any]) -> bool:
    """pydantic-core's Literal and Enum validators take `false` for 0 and `true` for 1, even in
    strict mode: a known gap, where the model is laxer than the schema, never stricter. True
    when the mutation put a boolean where its number would have been valid."""
    for path in _paths(mutated):
        if path and isinstance(_get(mutated, path), bool) and not _has_path(original, path, bool):
            as_number = copy.deepcopy(mutated)
            _get(as_number, path[:-1])[path[-1]] = int(_get(mutated, path))
            if not validation_errors(as_number, schema):
                return True
    return False


def _has_path(value: Any, path: tuple[Any, ...], kind: type) -> bool:
    try:
        return isinstance(_get(value, path), kind)
    except (KeyError, IndexError, TypeError):
        return False


def _mutate(instance: dict[str, Any], data: st.DataObject) -> dict[str, Any]:
    mutated = copy.deepcopy(instance)
    path = data.draw(st.sampled_from(list(_paths(mutated))), label="path")
    target = _get(mutated, path)
    operations = ["replace"] if path else []
    if isinstance(target, dict):
        operations.append("extra key")
        if target:
            operations.append("drop key")
    operation = data.draw(st.sampled_from(operations or ["extra key"]), label="operation")
    if operation == "extra key":
        target["zz_unknown"] = 1
    elif operation == "drop key":
        del target[data.draw(st.sampled_from(sorted(target)), label="key")]
    else:
        parent = _get(mutated, path[:-1])
        parent[path[-1]] = data.draw(st.sampled_from(MUTATION_VALUES), label="value")
    return mutated


def _without_unchecked_formats(node: Any) -> Any:
    if isinstance(node, list):
        return [_without_unchecked_formats(item) for item in node]
    if isinstance(node, dict):
        return {
            key: _without_unchecked_formats(value)
            for key, value in node.items()
            if not (key == "format" and value in UNCHECKED_FORMATS)
        }
    return node


def unrolled(schema: dict[str, Any], depth: int = 2, *, limit: int = 6) -> dict[str, Any]:
    """schema with its $refs inlined (hypothesis-jsonschema cannot draw from recursive schemas).

    From depth on, a reference where the value may end otherwise (an array item, an anyOf
    branch) matches nothing, so the draw takes the empty array or the other branch; a required
    reference is inlined further, up to limit (TS210 guarantees that it ends somewhere)."""
    definitions = schema.get("$defs", {})

    def inline(node: Any, level: int, can_end: bool) -> Any:
        if isinstance(node, list):
            return [inline(item, level, can_end) for item in node]
        if not isinstance(node, dict):
            return node
        if "$ref" in node:
            if level >= limit or (level >= depth and can_end):
                return {"not": {}}
            return inline(definitions[node["$ref"].rsplit("/", 1)[-1]], level + 1, False)
        result = {}
        for key, value in node.items():
            if key == "$defs":
                continue
            ends = (key == "anyOf" and len(value) > 1) or (key == "items" and not node.get("minItems"))
            result[key] = inline(value, level, ends)
        return result

    return inline(schema, 0, False)


def _spec_tool(specs: dict[str, str], toolset: str, name: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The tool's spec (as YAML data) and its toolset's named types."""
    data = next(d for d in map(parsed, specs.values()) if d["toolset"] == toolset)
    return next(tool for tool in data["tools"] if tool["name"] == name), data.get("types", {})


def without_optional_required(
    schema: dict[str, Any], parameters: dict[str, Any], types: dict[str, Any]
) -> dict[str, Any]:
    """The strict schema, but with each optional property of the spec (a parameter, a property of
    a nested object, of an item, of a named type) left out of `required`: what a caller that leaves
    optional keys out may send. Walks the spec beside the schema it compiles to."""
    relaxed = copy.deepcopy(schema)

    def relax(node: Any, spec: Any) -> None:
        if not isinstance(node, dict) or not isinstance(spec, dict):
            return
        if "anyOf" in node:
            branches = spec.get("anyOf")
            for index, branch in enumerate(node["anyOf"]):
                # Without anyOf in the spec, the schema's anyOf makes a value nullable.
                relax(branch, branches[index] if branches and index < len(branches) else spec)
        if "properties" in node and isinstance(spec.get("properties"), dict):
            optional = {
                key for key, prop in spec["properties"].items() if isinstance(prop, dict) and prop.get("optional")
            }
            node["required"] = [key for key in node.get("required", []) if key not in optional]
            for key, prop in spec["properties"].items():
                relax(node["properties"].get(key), prop)
        if "items" in node:
            relax(node["items"], spec.get("items"))
        if isinstance(node.get("additionalProperties"), dict):
            relax(node["additionalProperties"], spec.get("additionalProperties"))

    relax(relaxed, {"properties": parameters})
    for type_name, definition in relaxed.get("$defs", {}).items():
        relax(definition, types.get(type_name))
    return relaxed


def _check_tool(package: ModuleType, specs: dict[str, str], toolset: str, name: str, *, examples: int) -> None:
    definition, model = _tool(package, toolset, name)
    schema = definition["parameters"]
    spec, types = _spec_tool(specs, toolset, name)
    relaxed = without_optional_required(schema, spec.get("parameters", {}), types)
    assert definition["strict"] is True
    assert strict_violations(schema) == []
    is_error, messages = llguidance.LLMatcher.validate_grammar_with_warnings(
        llguidance.grammar_from("json_schema", json.dumps(schema))
    )
    assert not is_error, messages

    @settings(SETTINGS, max_examples=examples)
    @given(instance=from_schema(unrolled(schema), custom_formats=CUSTOM_FORMATS), data=st.data())
    def agree(instance: Any, data: st.DataObject) -> None:
        # hypothesis-jsonschema matches patterns with Python's re; the API uses Rust's regex.
        assume(not validation_errors(instance, schema))
        assert _accepts(model, instance), f"the model rejects {instance!r}, which the schema accepts"
        _check_left_out(model, spec.get("parameters", {}), instance)
        mutated = _mutate(instance, data)
        errors = validation_errors(mutated, relaxed)
        if errors and not validation_errors(mutated, _without_unchecked_formats(relaxed)):
            return  # only an email or a host name is malformed, which the model does not check
        if errors and _bool_taken_for_number(instance, mutated, relaxed):
            return
        assert _accepts(model, mutated) == (not errors), (mutated, errors)

    agree()


def _check_left_out(model: type[pydantic.BaseModel], parameters: dict[str, Any], instance: dict[str, Any]) -> None:
    """instance without its optional parameters is accepted too, each then holding the spec's default
    (or None), as when it is sent as null."""
    optional = {key for key, parameter in parameters.items() if parameter.get("optional")}
    if not optional:
        return
    left_out = {key: value for key, value in instance.items() if key not in optional}
    without = model.model_validate_json(json.dumps(left_out))
    dumped = without.model_dump(mode="json", by_alias=True)
    for key in optional:
        assert dumped[key] == parameters[key].get("default"), (key, dumped[key])
    assert without == model.model_validate_json(json.dumps({**left_out, **dict.fromkeys(optional)}))


@pytest.mark.parametrize(("toolset", "name"), REPO_TOOLS, ids=[f"{t}.{n}" for t, n in REPO_TOOLS])
def test_repository_tools(repo_package: ModuleType, toolset: str, name: str) -> None:
    _check_tool(repo_package, REPO_SPECS, toolset, name, examples=40)


def _by_toolset(tools: list[tuple[str, str]]) -> list[Any]:
    """The (toolset, tool) parameters, each in the xdist group of its chunk of the random corpus
    (`--dist loadgroup`), so that one test process builds a chunk's package, not each process
    that runs one of its tools."""
    return [
        pytest.param(t, n, id=f"{t}.{n}", marks=random_corpus_group(random_corpus_chunk(f"{t}.yaml"))) for t, n in tools
    ]


@pytest.mark.parametrize(("toolset", "name"), _by_toolset(RANDOM_TOOLS))
def test_random_tools(random_package: ModuleType, toolset: str, name: str) -> None:
    _check_tool(random_package, RANDOM_SPECS, toolset, name, examples=6)  # breadth comes from the 200 specs
    _check_null_defaults(random_package, toolset, name)


@pytest.mark.parametrize(("toolset", "name"), _by_toolset(RANDOM_NON_STRICT_TOOLS))
def test_random_non_strict_tools(random_package: ModuleType, toolset: str, name: str) -> None:
    """Free-form objects, untyped values and left-out optional keys: what the schema accepts, the
    model accepts, and an untyped value or a free-form object comes back as it was sent."""
    definition, model = _tool(random_package, toolset, name)
    schema = definition["parameters"]
    assert definition["strict"] is False

    @settings(SETTINGS, max_examples=6)
    @given(instance=from_schema(unrolled(schema), custom_formats=CUSTOM_FORMATS))
    def accepted(instance: Any) -> None:
        assume(not validation_errors(instance, schema))
        arguments = model.model_validate_json(json.dumps(instance))
        for key, value in instance.items():
            if "properties" not in schema["properties"][key] and _is_untyped_or_free_form(schema["properties"][key]):
                assert arguments.model_dump(mode="json", by_alias=True)[key] == value, key
        for key in set(schema["properties"]) - set(instance):
            assert arguments.model_dump(by_alias=True)[key] == schema["properties"][key].get("default")

    accepted()


def _is_untyped_or_free_form(schema: dict[str, Any]) -> bool:
    if not {"type", "anyOf", "$ref", "enum", "const"} & set(schema):
        return True  # type: any
    return schema.get("type") == "object" and schema.get("additionalProperties") is True


def test_random_non_strict_tools_draw_free_form_objects_and_null_defaults() -> None:
    texts = [text for text in RANDOM_SPECS.values() if "strict: false" in text]
    assert len(RANDOM_NON_STRICT_TOOLS) >= 50
    assert sum(text.count("additionalProperties: true") for text in texts) >= 20
    assert sum(text.count("type: any") for text in texts) >= 20
    assert sum(text.count("default: null") for text in RANDOM_SPECS.values()) >= 50


def _check_null_defaults(package: ModuleType, toolset: str, name: str) -> None:
    """An optional parameter's default is what the model holds when the call sends null."""
    data = parsed(RANDOM_SPECS[f"{toolset}.yaml"])
    parameters = next(tool for tool in data["tools"] if tool["name"] == name)["parameters"]
    _, model = _tool(package, toolset, name)
    for key, parameter in parameters.items():
        if "default" in parameter:
            field = next(f for n, f in model.model_fields.items() if (f.alias or n) == key)
            if parameter["default"] is None:
                assert type(None) in typing.get_args(field.annotation), "a default of null is a nullable field"
                assert field.default is None
                continue
            assert model.null_defaults[key] == parameter["default"]
            if not parameter.get("nullable"):
                assert type(None) not in typing.get_args(field.annotation), "the handler never sees None"


def test_random_specs_draw_string_checks_of_formats_everywhere() -> None:
    """A format of a Python type other than str with pattern, minLength or maxLength, which the
    model checks on the string: as a property, nullable, an item, a branch, in a named type."""
    places: dict[str, int] = {}

    def count(node: Any, place: str) -> None:
        if isinstance(node, list):
            for item in node:
                count(item, place)
        if not isinstance(node, dict):
            return
        if node.get("format") in FORMAT_CHECKS and {"pattern", "minLength", "maxLength"} & set(node):
            for kind in (place, "nullable") if node.get("nullable") else (place,):
                places[kind] = places.get(kind, 0) + 1
        for key, value in node.items():
            count(value, {"items": "item", "anyOf": "branch", "types": "named type"}.get(key, place))

    for text in RANDOM_SPECS.values():
        data = parsed(text)
        count(data.get("types", {}), "named type")
        count([tool.get("parameters", {}) for tool in data["tools"]], "property")
    places_drawn = ("property", "nullable", "item", "branch", "named type")
    assert all(places.get(place, 0) >= 5 for place in places_drawn), places


def test_there_are_a_few_hundred_random_tools() -> None:
    assert len(RANDOM_SPECS) == 200 and len(RANDOM_TOOLS) >= 300


def test_non_strict_tool(repo_package: ModuleType) -> None:
    definition, model = _tool(repo_package, "calendar", "set_event_metadata")
    assert definition["strict"] is False
    event = "9b2f6c1e-3d4a-4f5b-8c6d-7e8f9a0b1c2d"
    arguments = model.model_validate_json(json.dumps({"event_id": event, "metadata": {"a": "b"}}))
    assert arguments.model_dump(by_alias=True) == {"event_id": uuid.UUID(event), "metadata": {"a": "b"}, "copy": True}
    assert not _accepts(model, {"event_id": event, "metadata": {"a": 1}})
    assert not _accepts(model, {"event_id": event, "metadata": {}, "copy": None})
    assert validation_errors({"event_id": event, "metadata": {}, "copy": None}, definition["parameters"])


def test_null_means_the_default(repo_package: ModuleType) -> None:
    weather = importlib.import_module("generated.weather")
    arguments = weather.GetWeatherArguments.model_validate_json('{"location": "Paris", "units": null}')
    assert arguments.units == "celsius"
    shop = importlib.import_module("generated.shop")
    search = shop.SearchProductsArguments.model_validate_json(
        '{"query": "q", "category": null, "max_price": null, "in_stock": null, "limit": null}'
    )
    assert (search.in_stock, search.limit, search.max_price, search.category) == (False, 10, None, None)
    calendar = importlib.import_module("generated.calendar")
    field = calendar.CreateEventArguments.model_fields["class_"]
    assert field.alias == "class"
    assert field.annotation == typing.Literal["public", "private", "confidential"], "typed without None"


def test_random_specs_have_defaults_to_check() -> None:
    defaults = [
        parameter
        for text in RANDOM_SPECS.values()
        for tool in parsed(text)["tools"]
        for parameter in tool["parameters"].values()
        if "default" in parameter
    ]
    assert len(defaults) >= 20


def test_strict_validation_rejects_coercions(repo_package: ModuleType) -> None:
    shop = importlib.import_module("generated.shop")
    base = {"query": "q", "category": None, "max_price": None, "in_stock": None, "limit": 5}
    assert _accepts(shop.SearchProductsArguments, base)
    for key, value in (("limit", "5"), ("limit", 5.5), ("in_stock", "true"), ("in_stock", 1), ("query", 5)):
        assert not _accepts(shop.SearchProductsArguments, {**base, key: value}), (key, value)
    money = {"amount": True, "currency": "EUR"}
    assert not _accepts(shop.SearchProductsArguments, {**base, "max_price": money})


def test_json_files_equal_the_constants(repo_package: ModuleType) -> None:
    for directory in sorted(p for p in (REPO / "generated").iterdir() if (p / "tools.py").is_file()):
        module = importlib.import_module(f"generated.{directory.name}")
        responses = json.loads((directory / f"{directory.name}.responses.json").read_text("utf-8"))
        chat = json.loads((directory / f"{directory.name}.chat_completions.json").read_text("utf-8"))
        assert responses == module.RESPONSES_TOOLS
        assert chat == module.CHAT_COMPLETIONS_TOOLS


def test_every_repository_tool_is_generated(repo_package: ModuleType) -> None:
    for toolset, name in REPO_TOOLS:
        assert _tool(repo_package, toolset, name)


def test_every_spec_example_is_accepted_by_its_model(repo_package: ModuleType) -> None:
    checked = 0
    for text in REPO_SPECS.values():
        data = parsed(text)
        module = importlib.import_module(f"generated.{data['toolset']}")
        for tool in data["tools"]:
            for example in tool.get("examples", []):
                assert _accepts(module.ARGUMENT_MODELS[tool["name"]], example), (tool["name"], example)
                checked += 1
    assert checked >= 8
