"""A call's arguments validated against its tool's model, or refused with what the model
should fix (the problems said by _problems.py).

toolspec copies this module, as it is, into every generated package as `_arguments.py`: edit
it here, in the generator, never in the copy.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pydantic
import pydantic_core

from ._base import ToolArguments
from ._bindings import Binding
from ._outcomes import ErrorCode, Refusal
from ._outputs import non_finite


def validate_arguments(binding: Binding, payload: str) -> ToolArguments | str:
    model = binding.arguments
    if model is None:
        return payload
    validator = model.__pydantic_validator__
    known = _KNOWN.get(model)
    direct = known is not None and known[0] is validator
    try:
        arguments: ToolArguments = (
            validator.validate_json(payload)
            if direct
            else model.model_validate_json(payload)
        )
    except pydantic.ValidationError as error:
        problems = error.errors(include_url=False)
        not_json = non_finite(payload) or _not_json(problems)
        if not_json is not None:
            raise _invalid_json(binding, not_json) from None
        from ._problems import (
            statements,
        )  # by the first refusal: importing the package costs less

        said, count = statements(model.__pydantic_core_schema__, problems, 5)
        more = f" (and {count - 5} more)" if count > 5 else ""
        raise Refusal(
            ErrorCode.INVALID_ARGUMENTS,
            f"invalid arguments for {binding.name}: {'; '.join(said)}{more}",
        ) from None
    if known is None or not direct:  # the model is built now: keep its validator
        known = _KNOWN[model] = (
            model.__pydantic_validator__,
            _takes_non_finite(model.__pydantic_core_schema__, allowed=True),
        )
    # Valid: a NaN or an infinity can only have come in where the model takes one.
    if known[1] and (not_json := non_finite(payload)) is not None:
        raise _invalid_json(binding, not_json)
    return arguments


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


_KNOWN: dict[type[ToolArguments], tuple[Any, bool]] = {}
"""For each argument model validated so far: its built validator, called directly (through
model_validate_json a call costs ~0.35 µs more; a rebuilt model has a new one, and is looked
at again), and whether it takes a NaN or an infinity somewhere."""


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
