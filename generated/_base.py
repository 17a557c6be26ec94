"""The base class of every argument model.

toolspec copies this module, as it is, into every generated package as `_base.py`: edit it
here, in the generator, never in the copy.
"""

from __future__ import annotations

import json
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, GetCoreSchemaHandler, TypeAdapter
from pydantic_core import core_schema

NULL_DEFAULT_KEY = "x-toolspec-null-default"
"""Carries an optional parameter's default from the compiled schema into the model's field."""


class ToolArguments(BaseModel):
    """Arguments a model sent for a tool, validated as strictly as the tool's JSON schema.

    Validate the call's JSON text with `model_validate_json`: `"5"` is not an integer,
    `true` is not a number, and an unknown or missing key is an error. An optional
    parameter with a default holds that default when the model sent null.
    """

    # A parameter may be called `model_dump_x`: pydantic's warning about the `model_` names it
    # reserves would be fatal under `-W error`. A name that would shadow an attribute gets a
    # Python name with an alias instead (`model_dump` -> `model_dump_`).
    model_config = ConfigDict(strict=True, extra="forbid", protected_namespaces=())

    null_defaults: ClassVar[dict[str, Any]] = {}
    """The API name of each optional parameter with a default -> that default, as JSON."""

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        cls.null_defaults = {}
        for name, field in cls.model_fields.items():
            extra = field.json_schema_extra
            if isinstance(extra, dict) and NULL_DEFAULT_KEY in extra:
                cls.null_defaults[field.alias or name] = extra[NULL_DEFAULT_KEY]
                field.metadata.append(NullMeansDefault(extra[NULL_DEFAULT_KEY]))
        if cls.null_defaults:
            cls.model_rebuild(force=True, raise_errors=False)


class NullMeansDefault:
    """Field metadata: null stands for the default; the field keeps its non-null type.

    The null check runs after pydantic has validated the JSON value: a validator that ran
    before it would make pydantic validate the JSON as Python objects, where a strict
    date-time may not be a string.
    """

    def __init__(self, default: Any) -> None:
        self.default = default
        self.adapter: TypeAdapter[Any] | None = None

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        self.adapter = TypeAdapter(source)
        return core_schema.no_info_after_validator_function(
            self._default_for_null, core_schema.nullable_schema(handler(source))
        )

    def _default_for_null(self, value: Any) -> Any:
        if value is not None or self.adapter is None:
            return value
        # Validated afresh each time: a list or a model default is never shared between calls.
        return self.adapter.validate_json(json.dumps(self.default), strict=True)
