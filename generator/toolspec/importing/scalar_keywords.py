"""The keywords of a string, number or boolean (and an array's bounds), as a spec takes them:
kept, written out the spec's way, or dropped with a reason noted in the report."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from toolspec.compile.shapes.incoming import describe
from toolspec.importing.defaults import fits
from toolspec.importing.keywords import STRICT_FORMATS

if TYPE_CHECKING:
    from toolspec.compile.shapes.incoming import Note
    from toolspec.compile.shapes.where import Where


class ScalarKeywords:
    """Converts the scalar keywords of one tool, noting each change."""

    def __init__(self, change: Note, *, strict: bool = True) -> None:
        self.change = change
        self.strict = strict
        """Whether the tool is to be strict: a `strict: false` one keeps every `format` as written."""

    def keyword(self, kind: str, key: str, value: Any, out: dict[str, Any], at: Where, sentences: list[str]) -> None:
        if key == "enum":
            self._enum(kind, value, out, at / key)
        elif key == "const":
            if fits(kind, value):
                out["const"] = value
            else:
                self.change(
                    "dropped", at / key, f"`const` {json.dumps(value)} dropped: it is no {kind}, so it matches nothing"
                )
        elif key == "format":
            self._format(value, out, at / key, sentences)
        elif _valid_keyword(key, value):
            out[key] = value
        else:
            self.change("dropped", at / key, f"`{key}` dropped: {describe(value)} is not what it takes")

    def _enum(self, kind: str, values: Any, out: dict[str, Any], at: Where) -> None:
        if not isinstance(values, list) or not values:
            self.change("dropped", at, f"`enum` dropped: it must be a non-empty list, not {describe(values)}")
            return
        kept: list[Any] = []
        for value in values:
            if value is None and kind != "null":
                out["nullable"] = True
            elif fits(kind, value) and not any(type(v) is type(value) and v == value for v in kept):
                kept.append(value)
        left_out = [v for v in values if not fits(kind, v) and v is not None]
        if left_out:
            shown = ", ".join(json.dumps(v) for v in left_out)
            self.change("enum", at, f"enum values {shown} dropped: they are no {kind}, which `type` requires anyway")
        if len(kept) < len([v for v in values if fits(kind, v)]):
            self.change("enum", at, "repeated enum values written once")
        if kept:
            out["enum"] = kept
        elif "nullable" not in out:
            self.change("dropped", at, f"`enum` dropped: none of its values is {kind}")

    def _format(self, value: Any, out: dict[str, Any], at: Where, sentences: list[str]) -> None:
        if isinstance(value, str) and (value in STRICT_FORMATS or not self.strict):
            out["format"] = value
            return
        sentences.append(f"Format: {value}.")
        self.change(
            "described",
            at,
            f"`format: {value}` put in the description: strict mode checks only {', '.join(STRICT_FORMATS)}",
        )

    def draft4_bounds(self, schema: Mapping[str, Any], out: dict[str, Any], at: Where) -> None:
        """Draft 4's `exclusiveMinimum: true` beside `minimum` is today's `exclusiveMinimum: <minimum>`."""
        for bound, exclusive in (("minimum", "exclusiveMinimum"), ("maximum", "exclusiveMaximum")):
            if isinstance(schema.get(exclusive), bool):
                out.pop(exclusive, None)
                if schema[exclusive] and bound in out:
                    out[exclusive] = out.pop(bound)
                    self.change(
                        "type",
                        at / exclusive,
                        f"draft 4's `{exclusive}: true` written as `{exclusive}: {out[exclusive]}`",
                    )
                else:
                    self.change(
                        "dropped",
                        at / exclusive,
                        f"`{exclusive}: {str(schema[exclusive]).lower()}` dropped: it says nothing here",
                    )


def _valid_keyword(key: str, value: Any) -> bool:
    if key == "pattern":
        return isinstance(value, str)
    number = isinstance(value, int | float) and not isinstance(value, bool)
    if key in ("minLength", "maxLength", "minItems", "maxItems"):
        return number and float(value).is_integer() and value >= 0
    if key == "multipleOf":
        return number and value > 0
    return number
