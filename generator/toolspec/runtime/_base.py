"""The base class of every argument model.

toolspec copies this module, as it is, into every generated package as `_base.py`: edit it
here, in the generator, never in the copy.
"""

# No `from __future__ import annotations`: pydantic evaluates the annotations of every base class
# of each model it makes (`null_defaults: ClassVar[...]`), and a string costs a compile each time.
import copy
import dataclasses
import json
import threading
from collections.abc import Callable, Sequence
from datetime import date, time, timedelta
from ipaddress import IPv4Address, IPv6Address
from typing import Annotated, Any, ClassVar, Self
from uuid import UUID

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    GetCoreSchemaHandler,
    TypeAdapter,
    model_validator,
)
from pydantic_core import core_schema

NULL_DEFAULT_KEY = "x-toolspec-null-default"
"""Carries an optional parameter's default from the compiled schema into the model's field."""


_UNSET: Any = object()


class NullMeansDefault:
    """Field metadata of a ToolArguments model: null stands for the default; the field keeps
    its non-null type.

    The field takes null too; the model's validator (see ToolArguments._toolspec_after) puts
    the default in its place, after pydantic has validated the JSON value: a validator that ran
    before it would make pydantic validate the JSON as Python objects, where a strict
    date-time may not be a string.
    """

    def __init__(self, default: Any) -> None:
        self.default = default
        self.source: Any = _UNSET
        """The field's type, as pydantic gave it when it built the field."""
        self.validated: tuple[Any] | None = None
        """The default, validated once (the first time a null comes)."""
        self.shared: tuple[Any] | None = None
        """validated, once it is known to be immutable: handed out as it is, every time."""

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        self.source = source
        return core_schema.nullable_schema(handler(source))

    def default_value(self) -> Any:
        """The default, validated as the field's type (as JSON, strictly)."""
        if self.shared is not None:
            return self.shared[0]
        if self.validated is None:
            if self.source is _UNSET:
                return None  # not built: pydantic never gave the field's type
            # Its validator is built here, for the first null, not with the model's.
            adapter: TypeAdapter[Any] = TypeAdapter(self.source)
            default = adapter.validate_json(json.dumps(self.default), strict=True)
            self.validated = (default,)
        default = self.validated[0]
        if isinstance(default, _IMMUTABLE):
            self.shared = self.validated
            return default
        # A list, a dict or a model default is copied: never shared between calls.
        return copy.deepcopy(default)


class ToolArguments(BaseModel):
    """Arguments a model sent for a tool, validated as strictly as the tool's JSON schema.

    Validate the call's JSON text with `model_validate_json`: `"5"` is not an integer,
    `true` is not a number, and an unknown key or a missing required one is an error. An
    optional parameter may be left out or sent as null (strict mode sends every key, other
    callers need not): either way it holds its default, or None.

    From Python, construct a model by field name, leaving out optional parameters:
    `GetWeatherArguments(location="Paris")`. `model_validate` takes the API's names, as
    `json.loads` gives them, as strictly.
    """

    # A parameter may be called `model_dump_x`: pydantic's warning about the `model_` names it
    # reserves would be fatal under `-W error`. A name that would shadow an attribute gets a
    # Python name with an alias instead (`model_dump` -> `model_dump_`).
    # defer_build: a model's validator is built when it is first used, not when its module is
    # imported (a package of 1,000 tools imports in a fraction of the time; the first call of
    # each model pays for its build).
    # allow_inf_nan=False: a number too large for a float (`1e400`) is refused, not handed
    # over as infinity, which JSON cannot say (`Infinity` and `NaN` themselves are no JSON: the
    # dispatcher refuses them before validating).
    model_config = ConfigDict(
        strict=True,
        extra="forbid",
        protected_namespaces=(),
        defer_build=True,
        allow_inf_nan=False,
    )

    def __init__(self, /, **data: Any) -> None:
        # By field name (`from_`), as the signature type checkers see says; aliases work too.
        self.__pydantic_validator__.validate_python(
            data, self_instance=self, by_name=True
        )

    # pydantic's own mark: JSON and `model_validate` go on without calling this __init__.
    __init__.__pydantic_base_init__ = True  # type: ignore[attr-defined]

    null_defaults: ClassVar[dict[str, Any]] = {}
    """The API name of each optional parameter with a default -> that default, as JSON."""

    _toolspec_nulls: ClassVar[tuple[tuple[str, NullMeansDefault], ...]] = ()
    """The Python name of each field whose null stands for its default, with its metadata."""

    @classmethod
    def model_rebuild(
        cls,
        *,
        force: bool = False,
        raise_errors: bool = True,
        _parent_namespace_depth: int = 2,
        _types_namespace: Any = None,
    ) -> bool | None:
        """pydantic's, one build at a time: a deferred model is built by its first call, and
        calls may come in threads (the dispatcher's). pydantic 2.14 locks it too; earlier
        versions let two threads build the same model at once."""
        # pydantic looks names up in the caller's frame: one frame more, this one.
        depth = _parent_namespace_depth + 1 if _parent_namespace_depth > 0 else 0
        with _BUILD_LOCK:
            return super().model_rebuild(
                force=force,
                raise_errors=raise_errors,
                _parent_namespace_depth=depth,
                _types_namespace=_types_namespace,
            )

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        cls.null_defaults = {}
        added = False
        fields = cls.__pydantic_fields__
        nulls: list[tuple[str, NullMeansDefault]] = []
        for name, field in fields.items():
            # The generated models say `NullMeansDefault(...)` in the field's annotation, where
            # pydantic finds it in every build (of the model, or of a model that holds it) and
            # after a forward reference is resolved (the field is collected again, with the
            # same metadata). A model written by hand may give NULL_DEFAULT_KEY in the field's
            # json_schema_extra instead: its field gets the metadata here.
            null = next(
                (item for item in field.metadata if isinstance(item, NullMeansDefault)),
                None,
            )
            extra = field.json_schema_extra
            if null is None:
                if not (isinstance(extra, dict) and NULL_DEFAULT_KEY in extra):
                    continue
                null = NullMeansDefault(extra[NULL_DEFAULT_KEY])
                field.metadata.append(null)
                added = True
            cls.null_defaults[field.alias or name] = null.default
            nulls.append((name, null))
        cls._toolspec_nulls = tuple(nulls)
        if not cls.__pydantic_complete__:
            _fill_in_own_way(cls, cls._toolspec_nulls)
        elif added:  # built already (defer_build=False)
            cls.model_rebuild(force=True, raise_errors=False)

    @model_validator(mode="after")
    def _toolspec_after(self) -> Self:
        """A null that stands for a default becomes the default.

        One validator of the model, in Python, rather than one a field: most values are not
        null, and pydantic's own validation of them stays in Rust. Each model not yet built
        gets one of its own instead (see _fill_in_own_way); this one serves a model built
        before its fields were known here.
        """
        values = self.__dict__
        for name, null in self._toolspec_nulls:
            if values[name] is None:
                values[name] = null.default_value()
        return self


def _fill_in_own_way(
    cls: type[ToolArguments], nulls: Sequence[tuple[str, NullMeansDefault]]
) -> None:
    """Give cls, before it is built, a validator of its own in place of _toolspec_after: none
    at all where no null stands for a default (pydantic then validates in Rust alone: most
    argument models, every result model), else one made for its fields, with no look-up on
    the class (and no loop for one field), which cost as much as the rest of it. Where pydantic
    keeps its validators otherwise than expected here, _toolspec_after stays: the same, slower.
    """
    decorators = cls.__dict__.get("__pydantic_decorators__")
    validators: Any = getattr(decorators, "model_validators", None)
    if not isinstance(validators, dict):
        return
    found: Any = validators.get("_toolspec_after")
    if not dataclasses.is_dataclass(type(found)) or not hasattr(found, "func"):
        return
    if not nulls:
        del validators["_toolspec_after"]
        return
    fill = _fill_one(*nulls[0]) if len(nulls) == 1 else _fill_each(nulls)
    validators["_toolspec_after"] = dataclasses.replace(found, func=fill)


def _fill_one(name: str, null: NullMeansDefault) -> Callable[[ToolArguments], Any]:
    """The validator of a model with one field whose null stands for its default."""

    def fill(model: ToolArguments) -> ToolArguments:
        values = model.__dict__
        if values[name] is None:
            shared = null.shared  # an immutable default, validated: no call for it
            values[name] = null.default_value() if shared is None else shared[0]
        return model

    return fill


def _fill_each(
    nulls: Sequence[tuple[str, NullMeansDefault]],
) -> Callable[[ToolArguments], Any]:
    """The validator of a model with several fields whose null stands for its default."""

    def fill(model: ToolArguments) -> ToolArguments:
        values = model.__dict__
        for name, null in nulls:
            if values[name] is None:
                values[name] = null.default_value()
        return model

    return fill


_BUILD_LOCK = threading.RLock()
"""Held while a model is built (ToolArguments.model_rebuild)."""

_IMMUTABLE = (
    str,
    int,
    float,
    bool,
    bytes,
    tuple,
    frozenset,
    date,
    time,
    timedelta,
    UUID,
    IPv4Address,
    IPv6Address,
)
"""Defaults that can be handed out as they are (an enum member is a str or an int)."""


class StringInPython:
    """Type metadata: in Python, a str is read as JSON reads it.

    Strict mode takes a date, a time, a duration, a UUID or an IP address from a JSON
    string, but in Python only as an instance of its class, so that the dict `json.loads`
    gives would fail. With this, Python takes the instance, or a str as JSON does.
    """

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        schema = handler(source)
        from_str = _from_str(schema, core_schema.str_schema(strict=True))
        return core_schema.json_or_python_schema(
            json_schema=schema,
            python_schema=_str_or_instance(from_str, schema),
            serialization=schema.get("serialization"),
        )


class JsonString:
    """Type metadata, after a type of a string format: the checks of the string itself.

    `pattern`, `minLength` and `maxLength` are about the JSON string; pydantic would apply
    them to the date, UUID, ... it parsed (and fail: a datetime has no length). With this,
    `Annotated[JsonDateTime, JsonString(max_length=40)]` checks the string, then parses it:
    the handler still gets the datetime. In Python, a str is checked as in JSON; an instance
    of the type has no string to check.
    """

    def __init__(
        self,
        *,
        pattern: str | None = None,
        min_length: int | None = None,
        max_length: int | None = None,
    ) -> None:
        self.pattern = pattern
        self.min_length = min_length
        self.max_length = max_length

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        schema = handler(source)
        if schema["type"] == "json-or-python":
            # StringInPython's (JsonDateTime...): its JSON schema is the type's own, strict.
            schema = schema["json_schema"]
        string = core_schema.str_schema(
            pattern=self.pattern,
            min_length=self.min_length,
            max_length=self.max_length,
            strict=True,
        )
        from_str = _from_str(schema, string)
        return core_schema.json_or_python_schema(
            json_schema=from_str,
            python_schema=_str_or_instance(from_str, schema),
            serialization=schema.get("serialization"),
        )


def _from_str(
    schema: core_schema.CoreSchema, string: core_schema.CoreSchema
) -> core_schema.CoreSchema:
    """A str that string accepts, then read by schema (a strict type's) as JSON reads it.

    Read as the JSON string it stands for: schema, strict, takes a date (or a UUID...) from a
    JSON string but from a Python str never, and lax mode, or a later step of a chain (which
    gets Python values), would not read it as JSON does (lax takes a date-time string for a
    date) or would be made strict again by `validate_json(..., strict=True)`.
    """
    as_json = core_schema.no_info_after_validator_function(json.dumps, string)
    return core_schema.chain_schema([as_json, core_schema.json_schema(schema)])


def _str_or_instance(
    from_str: core_schema.CoreSchema, instance: core_schema.CoreSchema
) -> core_schema.CoreSchema:
    return core_schema.tagged_union_schema(
        {"str": from_str, "other": instance}, discriminator=_str_or_other
    )


def _str_or_other(value: Any) -> str:
    return "str" if isinstance(value, str) else "other"


# The types of the string formats in the argument models.
JsonDateTime = Annotated[AwareDatetime, StringInPython()]
JsonDate = Annotated[date, StringInPython()]
JsonTime = Annotated[time, StringInPython()]
JsonDuration = Annotated[timedelta, StringInPython()]
JsonUUID = Annotated[UUID, StringInPython()]
JsonIPv4 = Annotated[IPv4Address, StringInPython()]
JsonIPv6 = Annotated[IPv6Address, StringInPython()]
