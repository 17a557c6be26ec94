"""The fidelity of `toolspec import`: what the original schema accepted, the generated model accepts.

Instances are drawn by hypothesis-jsonschema from the ORIGINAL schema (of the source, not of
the spec). Each is mapped to the strict shape the model is sent: null where the original left
out an optional key, and without the keys an object of the original did not list (it said
nothing of others, which JSON Schema then allows; the import closes such objects, and its
report says so, as strict mode's are closed). The model must accept it.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from typing import Any

import pydantic
from hypothesis import assume, given, settings
from hypothesis_jsonschema import from_schema

from test_fidelity import CUSTOM_FORMATS, SETTINGS, unrolled
from toolspec.lint.json_validation import validation_errors


def strict_shape(value: Any, schema: Mapping[str, Any], defs: Mapping[str, Any]) -> Any:
    """value as a strict tool's model is sent it: every key of an object (null for one the value
    left out), following the emitted API schema."""
    if "$ref" in schema:
        return strict_shape(value, defs[schema["$ref"].rsplit("/", 1)[-1]], defs)
    if "anyOf" in schema:
        for branch in schema["anyOf"]:
            candidate = strict_shape(value, branch, defs)
            if not validation_errors(candidate, {**branch, "$defs": dict(defs)}):
                return candidate
        return value
    if isinstance(value, dict) and isinstance(schema.get("properties"), Mapping):
        extra = schema.get("additionalProperties", False) is not False
        out = {key: item for key, item in value.items() if key not in schema["properties"] and extra}
        for key, inner in schema["properties"].items():
            if key in value:
                out[key] = strict_shape(value[key], inner, defs)
            elif key in schema.get("required", []):
                out[key] = None
        return out
    if isinstance(value, list) and isinstance(schema.get("items"), Mapping):
        return [strict_shape(item, schema["items"], defs) for item in value]
    return value


def accepts(model: type[pydantic.BaseModel], instance: Any) -> bool:
    try:
        model.model_validate_json(json.dumps(instance))
    except pydantic.ValidationError:
        return False
    return True


def check_original_accepted(
    original: Mapping[str, Any], parameters: Mapping[str, Any], model: type[pydantic.BaseModel], *, examples: int
) -> None:
    """Every instance of the original schema, in the strict shape, is accepted by the model."""
    source = copy.deepcopy(dict(original))
    defs = parameters.get("$defs", {})

    @settings(SETTINGS, max_examples=examples)
    @given(instance=from_schema(unrolled(source), custom_formats=CUSTOM_FORMATS))
    def accepted(instance: Any) -> None:
        assume(not validation_errors(instance, source))  # patterns: Python's re drew it, the API uses Rust's
        mapped = strict_shape(instance, parameters, defs)
        assert not validation_errors(mapped, dict(parameters)), (instance, mapped)
        assert accepts(model, mapped), f"the model refuses {mapped!r}, drawn from the original as {instance!r}"

    accepted()
