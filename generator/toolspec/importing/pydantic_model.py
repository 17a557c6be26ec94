"""A pydantic model class named `module:Name`: what users of `openai.pydantic_function_tool` have.

The tool is named after the class and described by its docstring, as pydantic_function_tool
does; its schema is the model's JSON Schema (`model_json_schema()`), which is not strict: an
optional field is one with a default, left out of `required`.
"""

from __future__ import annotations

import importlib
import re
import sys
from pathlib import Path

import pydantic

from toolspec.compile.shapes.incoming import Incoming
from toolspec.compile.shapes.where import SourceError, Where

NAME = "pydantic"
REFERENCE = re.compile(r"^[A-Za-z_][\w.]*:[A-Za-z_][\w.]*$")
"""`package.module:Class` (or `module:Outer.Inner`)."""


def is_reference(source: str) -> bool:
    return bool(REFERENCE.match(source)) and not Path(source).exists()


def read(reference: str) -> Incoming:
    """The model's tool; a module that cannot be imported, or a name that is no model, is a SourceError."""
    where = Where(reference)
    model = _model_class(reference)
    try:
        schema = model.model_json_schema()
    except Exception as error:  # noqa: BLE001 - any failure of user code is the user's to fix
        raise SourceError(where, f"pydantic cannot make a JSON Schema of it: {error}") from None
    description = model.__doc__
    tool = Incoming(NAME, where, model.__name__, description, parameters=schema, parameters_at=where)
    if "description" in schema:  # pydantic's cleaned-up docstring: the same text, indentation removed
        tool.description = schema["description"]
        schema = {key: value for key, value in schema.items() if key != "description"}
        tool.parameters = schema
    return tool


def _model_class(reference: str) -> type[pydantic.BaseModel]:
    module_name, _, attribute = reference.partition(":")
    sys.path.insert(0, str(Path.cwd()))
    try:
        module = importlib.import_module(module_name)
    except Exception as error:  # noqa: BLE001 - importing user code may raise anything
        raise SourceError(Where(reference), f"cannot import {module_name}: {type(error).__name__}: {error}") from None
    finally:
        sys.path.remove(str(Path.cwd()))
    value: object = module
    for part in attribute.split("."):
        if not hasattr(value, part):
            raise SourceError(Where(reference), f"{module_name} has no {attribute}")
        value = getattr(value, part)
    if not (isinstance(value, type) and issubclass(value, pydantic.BaseModel)):
        raise SourceError(Where(reference), f"{attribute} is not a pydantic model class")
    return value
