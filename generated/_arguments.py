"""A call's arguments validated against its tool's model, or refused with what the model
should fix (the problems said by _problems.py).

toolspec copies this module, as it is, into every generated package as `_arguments.py`: edit
it here, in the generator, never in the copy.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import pydantic
import pydantic_core

from ._base import ToolArguments
from ._bindings import Binding
from ._outcomes import ErrorCode, Refusal
from ._outputs import non_finite


def validate_arguments(binding: Binding, payload: str) -> ToolArguments | str:
    model = binding.arguments
    if model is None:  # a custom tool: its input is text
        return payload
    known = _KNOWN.get(model)
    if known is None:
        return _validated_first(binding, model, payload)
    validate, takes_non_finite = known
    try:
        arguments: ToolArguments = validate(payload)
    except pydantic.ValidationError as error:
        raise _refusal(binding, model, payload, error) from None
    # Valid: a NaN or an infinity can only have come in where the model takes one.
    if takes_non_finite and (not_json := non_finite(payload)) is not None:
        raise _invalid_json(binding, not_json)
    return arguments


def _validated_first(
    binding: Binding, model: type[ToolArguments], payload: str
) -> ToolArguments:
    """validate_arguments for a model's first call: through the model, which builds its
    validator (see ToolArguments), kept for the calls after it."""
    try:
        arguments = model.model_validate_json(payload)
    except pydantic.ValidationError as error:
        raise _refusal(binding, model, payload, error) from None
    takes_non_finite = _takes_non_finite(model.__pydantic_core_schema__, allowed=True)
    _KNOWN[model] = (model.__pydantic_validator__.validate_json, takes_non_finite)
    if takes_non_finite and (not_json := non_finite(payload)) is not None:
        raise _invalid_json(binding, not_json)
    return arguments


def _refusal(
    binding: Binding,
    model: type[ToolArguments],
    payload: str,
    error: pydantic.ValidationError,
) -> Refusal:
    """What the model should fix in invalid arguments: the JSON itself, or its values."""
    problems = error.errors(include_url=False)
    not_json = non_finite(payload) or _not_json(problems)
    if not_json is not None:
        return _invalid_json(binding, not_json)
    from ._problems import statements  # by the first refusal: an import costs less

    said, count = statements(model.__pydantic_core_schema__, problems, 5)
    more = f" (and {count - 5} more)" if count > 5 else ""
    return Refusal(
        ErrorCode.INVALID_ARGUMENTS,
        f"invalid arguments for {binding.name}: {'; '.join(said)}{more}",
    )


def _invalid_json(binding: Binding, reason: str) -> Refusal:
    return Refusal(
        ErrorCode.INVALID_JSON,
        f"the arguments of {binding.name} are not valid JSON: {reason}",
    )


def _not_json(problems: Sequence[pydantic_core.ErrorDetails]) -> str | None:
    """Why the arguments' text is not JSON (or not text: a lone surrogate); None if it is."""
    first = problems[0]
    if first["type"] == "json_invalid":
        return first["msg"].removeprefix("Invalid JSON: ")
    if first["type"] == "string_unicode" and not first["loc"]:
        return "a lone surrogate is no Unicode character"
    return None


_KNOWN: dict[type[ToolArguments], tuple[Callable[[str], Any], bool]] = {}
"""For each argument model validated so far: its built validator's validate_json, called
directly (through model_validate_json a call costs ~0.35 µs more; a model's validator is
built by its first call and does not change after it), and whether it takes a NaN or an
infinity somewhere."""


def _takes_non_finite(schema: Any, *, allowed: bool) -> bool:
    """Whether a value validated by schema (a core schema, or any part of one) from JSON may
    hold a NaN or an infinity: a float where allowed (ToolArguments allows none), an `Any`
    value, an extra key a model allows. Erring towards yes costs only a look at the text.
    """
    if isinstance(schema, list | tuple):
        return any(_takes_non_finite(part, allowed=allowed) for part in schema)
    if not isinstance(schema, Mapping):
        return False
    kind = schema.get("type")
    if kind in ("any", "function-plain") or (
        kind == "float" and schema.get("allow_inf_nan", allowed)
    ):
        return True
    if kind == "model":
        config = schema.get("config", {})
        if config.get("extra_fields_behavior") == "allow":
            return True
        allowed = config.get("allow_inf_nan", True)
    # Not what validates Python values, nor lax mode's: the argument models are strict.
    return any(
        _takes_non_finite(value, allowed=allowed)
        for key, value in schema.items()
        if key not in ("metadata", "serialization", "python_schema", "lax_schema")
    )
