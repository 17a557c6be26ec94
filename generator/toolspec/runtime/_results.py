"""A handler's result held to its tool's result model, where the tool says what it returns.

toolspec copies this module, as it is, into every generated package as `_results.py`: edit
it here, in the generator, never in the copy.

What is checked is what the model reads: the JSON of the result (a pydantic model, a dict, a
list...), or, for a str, the str as a JSON string. It is validated strictly, as arguments
are: `"5"` is no integer, a key the result model does not have is an error. A result that
does not match is no output: the model is told of an internal error, and the mismatch is
logged (see Dispatcher).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pydantic

from ._problems import statements

if TYPE_CHECKING:
    from ._bindings import Binding, Result


class ResultMismatch(Exception):
    """What a handler returned is not what its tool says it returns."""


_Validator = tuple[Callable[[str], object], Callable[[], Any]]
"""Validates a result's JSON; gives the core schema, for the message."""

_VALIDATORS: dict[Any, _Validator] = {}
"""By result model: made for its first result, kept (two threads may both make one: either does)."""


def check_result(binding: Binding, result: Result, output: str) -> None:
    """Raise ResultMismatch unless the result (output: its output text) matches binding.result."""
    validator = _VALIDATORS.get(binding.result)
    if validator is None:
        validator = _VALIDATORS[binding.result] = _validator(binding.result)
    validate, core_schema = validator
    text = json.dumps(result) if isinstance(result, str) else output
    try:
        validate(text)
    except pydantic.ValidationError as error:
        said, count = statements(
            core_schema(), error.errors(include_url=False), 5, "the result"
        )
        more = f" (and {count - 5} more)" if count > 5 else ""
        raise ResultMismatch(
            f"{binding.method} returned a result that is not a "
            f"{_name(binding.result)}: {'; '.join(said)}{more}"
        ) from None


def _validator(model: Any) -> _Validator:
    if isinstance(model, type) and issubclass(model, pydantic.BaseModel):
        # Strict by the model's own configuration (ToolArguments'); built when first used.
        return model.model_validate_json, lambda: model.__pydantic_core_schema__
    adapter: pydantic.TypeAdapter[Any] = pydantic.TypeAdapter(model)
    return (
        lambda text: adapter.validate_json(text, strict=True),
        lambda: adapter.core_schema,
    )


def _name(model: Any) -> str:
    return model.__name__ if isinstance(model, type) else repr(model)
