"""The codes of `toolspec breaking`: every kind of change between two versions of the specs.

Each code has a class: a change breaks the model's contract (what the API is sent and what the
model may send back), breaks the Python API (the generated classes, fields and methods that
handler code is written against), breaks how calls run (the same calls, handled with less care
than the tool now needs), or is safe. `toolspec rule CODE` prints a code's page, and
docs/breaking.md explains the command.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from toolspec.ground.diagnostics import Severity


class ChangeClass(enum.Enum):
    MODEL = "model"
    """Breaks the contract with the model: calls it made before may now be refused or mean else."""
    PYTHON = "python"
    """Breaks the Python API: code written against the generated package stops working."""
    RUNTIME = "runtime"
    """Breaks how calls run: the model sends the same calls, but what was approved, confirmed or
    retried for the tool no longer fits what it does."""
    SAFE = "safe"

    @property
    def breaking(self) -> bool:
        return self is not ChangeClass.SAFE

    @property
    def label(self) -> str:
        return {
            "model": "breaking for the model",
            "python": "breaking for Python",
            "runtime": "breaking for how calls run",
            "safe": "safe",
        }[self.value]


@dataclass(frozen=True)
class ChangeRule:
    code: str
    name: str
    change_class: ChangeClass
    doc: str
    """Markdown: a summary line, then `## What it reports`, `## Why` and `## How to fix`."""

    @property
    def severity(self) -> Severity:
        """Breaking changes fail `toolspec breaking` (exit status 1); safe ones are listed."""
        return Severity.ERROR if self.change_class.breaking else Severity.WARNING

    @property
    def summary(self) -> str:
        return self.doc.strip().splitlines()[0]


_ACCEPT = (
    "If the change is wanted, accept it where it is reviewed: put "
    "`# toolspec: ignore[{code}] the reason` on the line the finding points at (for a removal, on "
    "the line of what held the removed part in the new spec), or list `{code}` in "
    "`breaking.ignore` of `[tool.toolspec]`."
)


def _rule(code: str, name: str, change_class: ChangeClass, *sections: str) -> ChangeRule:
    """sections: the summary, what it reports, why, and how to fix it ("" for a safe change)."""
    summary, what, why, fix = sections
    accept = _ACCEPT.format(code=code) if change_class.breaking else _SAFE_FIX
    fix = f"{fix}\n\n{accept}" if fix else accept
    doc = f"{summary}\n\n## What it reports\n{what}\n\n## Why\n{why}\n\n## How to fix\n{fix}"
    return ChangeRule(code, name, change_class, doc)


_SAFE_FIX = "Nothing: the change is safe; it is listed for review."
_MODEL, _PYTHON, _RUNTIME, _SAFE = ChangeClass.MODEL, ChangeClass.PYTHON, ChangeClass.RUNTIME, ChangeClass.SAFE
_CALLS = (
    "Prompts, examples, stored conversations and models that learnt the old definition still make "
    "the old calls, and the argument models now refuse them or read them otherwise."
)

CHANGE_RULES: tuple[ChangeRule, ...] = (
    _rule(
        "TS701", "tool-removed", _MODEL,
        "A tool that the specs at the ref have is gone (and no new tool has its definition).",
        "A function or custom tool of a toolset present on both sides that the working tree no longer "
        "defines. It points at the tool in the old spec.",
        f"The model can no longer call it. {_CALLS}",
        "Keep the tool until nothing calls it; or deprecate it in its description first.",
    ),
    _rule(
        "TS702", "tool-renamed", _MODEL,
        "A tool was renamed: one went and one with the same definition came.",
        "A tool removed and a tool added whose definitions are equal but for the name (its "
        "parameters, description, effect and all). Otherwise the pair is reported as TS701 and TS743.",
        f"The model calls tools by name. {_CALLS}",
        "Keep the old name, or offer both names for a while.",
    ),
    _rule(
        "TS703", "parameter-removed", _MODEL,
        "A parameter, or a property of an object parameter, is gone.",
        "A parameter (or property) that the old definition has and the new one lacks, when no added "
        "one has its definition. It points at the parameter in the old spec. Its field is gone from "
        "the argument model too (TS726).",
        f"A strict tool refuses arguments with keys it does not know. {_CALLS}",
        "Keep the parameter and ignore it in the handler; or make it `optional` first.",
    ),
    _rule(
        "TS704", "parameter-renamed", _MODEL,
        "A parameter, or a property, was renamed: one went and one with the same definition came.",
        "A removed and an added parameter (or property) of the same tool and object whose "
        "definitions are equal but for the name.",
        f"The model sends arguments by name. {_CALLS}",
        "Keep the old name.",
    ),
    _rule(
        "TS705", "required-parameter-added", _MODEL,
        "A new parameter (or property) that is required.",
        "A parameter or property that the old definition lacks and that is not `optional`.",
        f"Arguments without it are refused. {_CALLS}",
        "Make the new parameter `optional`, with a `default` where one makes sense.",
    ),
    _rule(
        "TS706", "parameter-made-required", _MODEL,
        "An optional parameter (or property) is now required.",
        "A parameter or property that was `optional: true` and no longer is.",
        f"A strict tool took `null` for it (a non-strict one took its absence); now they are refused. {_CALLS}",
        "Keep it optional, with a `default`.",
    ),
    _rule(
        "TS707", "type-changed", _MODEL,
        "The type of a parameter, property, array item or tool changed.",
        "A schema whose type differs: `string` to `integer`, an object to an array, a different "
        "number of `anyOf` branches that are neither a subset nor a superset, a `const` changed, "
        "a function tool made a custom tool or back, a custom tool that took any text now taking a "
        "grammar, or a grammar of another syntax. `integer` made `number` is not: every value it "
        "took is still taken (TS744, and TS724 for the field's Python type); `number` made "
        "`integer` is.",
        f"Values of the old type are refused. {_CALLS}",
        "Add a new parameter of the new type, and keep the old one until nothing sends it.",
    ),
    _rule(
        "TS708", "enum-value-removed", _MODEL,
        "Values of an `enum` are gone.",
        "An `enum` that lost one or more of its values (the message lists them).",
        f"The model may still send a removed value, which is refused. {_CALLS}",
        "Keep the values, and map them to their replacements in the handler.",
    ),
    _rule(
        "TS709", "bound-tightened", _MODEL,
        "A bound is tighter: fewer values are accepted.",
        "`minimum`, `exclusiveMinimum`, `minLength` or `minItems` raised or added; `maximum`, "
        "`exclusiveMaximum`, `maxLength` or `maxItems` lowered or added; `multipleOf` added or "
        "changed to one that the old does not divide; `pattern` or `format` added or changed; an "
        "`enum` added; `null` no longer accepted; `additionalProperties` narrowed; `anyOf` branches "
        "removed; a keyword strict mode forbids changed in a non-strict tool; a grammar changed. A "
        "changed pattern or grammar is reported as tighter, since toolspec cannot tell.",
        f"Values inside the old bounds are refused. {_CALLS}",
        "Keep the old bound, and check the stricter one in the handler where it must hold.",
    ),
    _rule(
        "TS710", "strict-changed", _MODEL,
        "`strict` was switched off or on.",
        "A function tool whose `strict` differs.",
        "Strict mode changes what the API guarantees (constrained decoding), which schema is sent "
        "(every property required, null for optional ones) and what the argument model accepts.",
        "Leave `strict` as it was, or switch it in a change of its own that every caller is ready for.",
    ),
    _rule(
        "TS711", "effect-escalated", _RUNTIME,
        "A tool is more dangerous than it was: `effect` went up, or `idempotent` went from true to false.",
        "`effect` raised along read < write < destructive, or `idempotent` made false; but not a "
        "read made a write (TS750, safe).",
        "The model sends the same calls, but callers, policies and the dispatcher treat tools by "
        "their effect: a read tool runs without confirmation, an idempotent one may be retried. "
        "They now run a tool that does more with the care the old one needed.",
        "Make it a new tool, so that what was approved for the old one does not carry over.",
    ),
    _rule(
        "TS712", "toolset-removed", _MODEL,
        "A toolset is gone: no spec defines it any more.",
        "A toolset that the specs at the ref define and the working tree does not (not even under "
        "another name in the same file). It points at the old spec.",
        "None of its tools can be called, and its generated package is gone.",
        "Keep the spec until nothing uses the toolset.",
    ),
    _rule(
        "TS713", "result-field-removed", _MODEL,
        "A field of a tool's result is gone, or the tool no longer says what it returns.",
        "A property of a tool's `returns` (at any depth, named types followed) that the new spec "
        "lacks; or a `returns` taken out. It points at the field in the old spec.",
        "What a tool returns is read by the model, by MCP clients (`structuredContent`) and by code "
        "written against the result model: they count on the field, and no longer get it.",
        "Keep returning the field until nothing reads it; mark it as going in its description first.",
    ),
    _rule(
        "TS714", "result-changed", _MODEL,
        "A field of a tool's result (or the result itself) changed its type, or may now be absent or null.",
        "A field of `returns` whose type differs, or that was required and is now `optional`, or "
        "was never null and now may be; the same of the result itself.",
        "Readers of the result count on what it held: a value of another type, or none, is one "
        "they cannot read.",
        "Add a field of the new type beside the old one, and keep the old until nothing reads it.",
    ),
    _rule(
        "TS721", "class-renamed", _PYTHON,
        "A generated class has a new name: an argument model, a class of an object, or a named type.",
        "A class of models.py whose name differs for the same tool, object or named type: the tool "
        "was renamed, a named type was renamed (with the same definition), or a clash is now numbered.",
        "Code that imports or names the class (`GetWeatherArguments`) breaks.",
        "Keep the names that decide the class name, or update the code that names the class.",
    ),
    _rule(
        "TS722", "field-renamed", _PYTHON,
        "A field of a generated model has a new Python name.",
        "A field whose Python name differs: its parameter was renamed, or its Python name was "
        "numbered or unnumbered (`order_id_1`) because of another name.",
        "Code that reads `arguments.old_name` breaks.",
        "Keep the parameter's name, or update the code that reads the field.",
    ),
    _rule(
        "TS723", "method-renamed", _PYTHON,
        "The handler method of a tool has a new name.",
        "A tool whose method in the generated `<Toolset>Handlers` differs, because the tool was "
        "renamed or a clash is now numbered.",
        "A handler class that implements the old method no longer implements the tool: "
        "`toolspec check` and the dispatcher refuse it.",
        "Rename the method in the handler class too.",
    ),
    _rule(
        "TS724", "field-type-changed", _PYTHON,
        "A field of a generated model has another Python type.",
        "A field whose annotation in models.py differs (constraints and descriptions aside): "
        "`int` to `float`, `str` to `Literal[...]`, a value added to a `Literal`, `X` to `X | None`.",
        "Handler code reads the field as the old type: mypy finds the places, tests may not.",
        "Update the handler code to the new type.",
    ),
    _rule(
        "TS725", "toolset-renamed", _PYTHON,
        "A toolset was renamed in its spec: its package and handlers class have new names.",
        "A spec file whose `toolset` differs between the two sides.",
        "The generated package `generated/<toolset>/` and `<Toolset>Handlers` move; imports break. "
        "The tools themselves are compared as before.",
        "Update the imports and the `handlers` setting, or keep the name.",
    ),
    _rule(
        "TS726", "field-removed", _PYTHON,
        "A field of a generated model is gone: its parameter (or property) was removed.",
        "A field of an argument model (or of the class of an object) whose parameter the new "
        "definition lacks (TS703 for the model). It points at the parameter in the old spec.",
        "Handler code that reads `arguments.the_field` no longer type-checks, and fails when it runs.",
        "Remove the handler code that reads the field, or keep the parameter.",
    ),
    _rule(
        "TS741", "description-changed", _SAFE,
        "A description changed.",
        "The description of a tool, parameter, property, array item or named type differs.",
        "The model reads descriptions to decide how to call a tool: review the wording, but no call breaks.",
        "",
    ),
    _rule(
        "TS742", "optional-parameter-added", _SAFE,
        "A new optional parameter (or property).",
        "A parameter or property that the old definition lacks and that is `optional`.",
        "Old calls are still valid: the handler gets its default (or None).",
        "",
    ),
    _rule(
        "TS743", "tool-added", _SAFE,
        "A new tool.",
        "A tool that the old toolset lacks (and that is not a renamed one).",
        "Nothing calls it yet. Each tool adds to the tokens of every request.",
        "",
    ),
    _rule(
        "TS744", "bound-loosened", _SAFE,
        "A bound is looser: more values are accepted.",
        "The reverse of TS709: a bound lowered, raised or removed so that every old value still "
        "fits; `null` now accepted; an `enum` or `pattern` removed; `anyOf` branches added; "
        "`integer` widened to `number`.",
        "Every old call is still valid; the handler may now get values it did not get before.",
        "",
    ),
    _rule(
        "TS745", "enum-value-added", _SAFE,
        "New values in an `enum`.",
        "An `enum` that gained values (the message lists them).",
        "Every old call is still valid. The Python type of the field changes too (TS724).",
        "",
    ),
    _rule(
        "TS746", "parameter-made-optional", _SAFE,
        "A required parameter (or property) is now optional.",
        "A parameter or property that was required and is now `optional: true`.",
        "Every old call is still valid. The Python type of the field may change too (TS724).",
        "",
    ),
    _rule(
        "TS747", "effect-relaxed", _SAFE,
        "A tool is less dangerous than it was: `effect` went down.",
        "`effect` lowered along read < write < destructive.",
        "Callers that confirmed it before may now run it without confirmation: make sure it is true.",
        "",
    ),
    _rule(
        "TS748", "detail-changed", _SAFE,
        "A detail no call depends on: a default, the examples, a timeout, the order of parameters, "
        "`idempotent` made true.",
        "A `default`, `examples`, `timeout`, or the order of the parameters of a tool differs, or a "
        "tool is now `idempotent`.",
        "Old calls are still valid; the handler may see another default, and the dispatcher retries "
        "an idempotent tool.",
        "",
    ),
    _rule(
        "TS749", "toolset-added", _SAFE,
        "A new toolset.",
        "A toolset that the specs at the ref do not define.",
        "Nothing uses it yet.",
        "",
    ),
    _rule(
        "TS750", "read-made-write", _SAFE,
        "A `read` tool is now a `write`: it is handled with more care.",
        "`effect` changed from read to write, as it does where `effect: read` is taken out (a tool "
        "whose spec does not say is a write); with `idempotent` made false too, when it goes with "
        "the change (the default of a write, or written).",
        "Every call is still valid, and nothing runs with less care than before: the dispatcher now "
        "runs the tool in the model's order instead of beside other reads, records each call id "
        "so that a retry does not run it again, and the MCP export no longer says `readOnlyHint: "
        "true`, so that no client approves it as harmless. Only its calls beside other reads may "
        "take longer.",
        "",
    ),
    _rule(
        "TS751", "result-field-added", _SAFE,
        "A tool's result gives more: a new field, or `returns` stated where there was none.",
        "A property added to a tool's `returns` (at any depth), or a `returns` added to a tool.",
        "Readers of the result still find every field they read before.",
        "",
    ),
)  # fmt: skip

BY_CODE: dict[str, ChangeRule] = {rule.code: rule for rule in CHANGE_RULES}
