"""Rule precedence is data: a rule yields to another only where that other rule reported, so
turning a rule off never lets through a schema the API refuses. For every rule that yields,
and every rule it yields to, a spec that both flag: with both on, only the precise one
reports; with the precise one off, the other reports, and the spec still has an error. And
for every error rule that stands for a refusal of the API or llguidance, a spec it flags is
an error whatever single rule is ignored."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import load, write_specs
from toolspec import cli
from toolspec.lint.rules import BY_CODE, RULES

TOOL = """\
toolset: precedence
tools:
  - name: pick
    description: Pick.
    parameters:
      value: {{{schema}, description: The value.}}
"""


def _value(schema: str) -> str:
    return TOOL.format(schema=schema)


def _parameters(schemas: dict[str, str], *, name: str = "pick", types: str = "") -> str:
    lines = "".join(f"      {key}: {{{schema}, description: A parameter.}}\n" for key, schema in schemas.items())
    return f"toolset: precedence\n{types}tools:\n  - name: {name}\n    description: Pick.\n    parameters:\n{lines}"


def _custom(syntax: str, definition: str) -> str:
    return (
        "toolset: precedence\ntools:\n  - name: answer\n    kind: custom\n    description: Answer.\n"
        f"    format:\n      syntax: {syntax}\n      definition: {definition}\n"
    )


def _nested(levels: int) -> str:
    """A parameter holding levels - 1 objects, one in another: levels of nesting with the parameters."""
    schema = "type: string"
    for _ in range(levels - 1):
        schema = f"type: object, properties: {{inner: {{{schema}, description: Inner.}}}}"
    return schema


def _tools(count: int) -> str:
    tools = "".join(f"  - {{name: tool_{n}, description: Tool {n}.}}\n" for n in range(count))
    return f"toolset: crowded\ntools:\n{tools}"


def _string_enum(values: int, length: int, prefix: str = "v") -> str:
    return "type: string, enum: [" + ", ".join(f"{prefix}{n:03d}".ljust(length, "x") for n in range(values)) + "]"


LOOKAROUND = _value("type: string, pattern: '^(?!admin).*$'")
FREE_FORM_TYPE = "types:\n  Labels: {type: object, description: Any labels.}\n"

CASES: dict[tuple[str, str, str], str] = {
    ("TS501", "TS502", "lookaround"): LOOKAROUND,
    ("TS506", "TS502", "lookaround"): LOOKAROUND,
    ("TS506", "TS501", "pattern"): _value('type: string, pattern: "[a-z"'),
    ("TS506", "TS202", "uniqueItems"): _value(
        "type: array, items: {type: string, description: An item.}, uniqueItems: true"
    ),
    ("TS506", "TS203", "format"): _value("type: string, format: uri"),
    ("TS506", "TS201", "additionalProperties"): _value("type: object, additionalProperties: true"),
    ("TS506", "TS201", "map"): _value("type: object, additionalProperties: {type: string, description: A value.}"),
    ("TS506", "TS201", "named-type"): _parameters({"labels": "type: Labels"}, types=FREE_FORM_TYPE),
    ("TS506", "TS205", "depth"): _value(_nested(11)),
    ("TS506", "TS206", "properties"): _parameters({f"p{n}": "type: boolean" for n in range(5001)}),
    ("TS506", "TS207", "enum-values"): _value("type: integer, enum: [" + ", ".join(map(str, range(1001))) + "]"),
    ("TS506", "TS208", "long-enum"): _value(_string_enum(251, 60)),
    ("TS506", "TS209", "text"): _parameters({f"e{k}": _string_enum(250, 121, f"e{k}") for k in range(4)}),
    ("TS506", "TS211", "any"): _value("type: any"),
    ("TS506", "TS301", "name"): _parameters({"value": "type: string"}, name="files.read"),
    ("TS506", "TS302", "duplicate"): _tools(2).replace("tool_1", "tool_0"),
    ("TS506", "TS305", "tools"): _tools(129),
    ("TS506", "TS503", "lark"): _custom("lark", "'start: \"a\" +++'"),
    ("TS506", "TS504", "declare"): _custom("lark", "'%declare FOO\\nstart: \"a\"'"),
    ("TS503", "TS502", "lookaround"): _custom("regex", "'^(?!a).*$'"),
    ("TS503", "TS505", "slashes"): _custom("regex", "'/^a+$/'"),
}
_SLOW = {"properties"}
"""Cases whose spec is large: the test over every ignored rule ignores those that report on it."""


def test_every_yield_has_a_case() -> None:
    pairs = {(rule.code, precise) for rule in RULES for precise in rule.yields_to}
    assert pairs - {("TS304", "TS305")} == {(yielding, precise) for yielding, precise, _ in CASES}


@pytest.mark.parametrize(("yielding", "precise", "case"), list(CASES), ids=["-".join(key) for key in CASES])
def test_a_rule_yields_only_where_the_precise_one_reported(
    yielding: str, precise: str, case: str, tmp_path: Path
) -> None:
    spec = {"spec.yaml": CASES[yielding, precise, case]}
    both = load(tmp_path / "both", spec, rules=[BY_CODE[yielding], BY_CODE[precise]])
    assert [d.code for d in both.diagnostics] == [precise]

    alone = load(tmp_path / "alone", spec, rules=[BY_CODE[yielding]])
    assert [d.code for d in alone.diagnostics] == [yielding]
    assert alone.has_errors

    without = load(tmp_path / "without", spec, rules=[r for r in RULES if r.code != precise])
    assert without.has_errors, f"with {precise} off the schema the API refuses passed lint"


def test_the_lookaround_pattern_is_an_error_whatever_rule_is_ignored(tmp_path: Path) -> None:
    spec = {"spec.yaml": LOOKAROUND}
    for ignored in RULES:
        built = load(tmp_path / ignored.code, spec, rules=[r for r in RULES if r is not ignored])
        assert built.has_errors, f"with {ignored.code} ignored the API-refused pattern passed lint"


REFUSALS: dict[str, str] = {
    **{f"{precise}-{case}": spec for (_, precise, case), spec in CASES.items()},
    "TS502-grammar-lookaround": _custom("regex", "'^(?!a).*$'"),
    "TS502-backreference": _value(r"type: string, pattern: '^(a)\1$'"),
}
"""A spec for every way a spec can hold what the API or llguidance refuses, by the rule that names it."""

NOT_REFUSED = {
    "TS201": "`type: object` without properties in a strict tool compiles to the empty object strict mode accepts",
    "TS210": "a recursion without end is accepted by the API and llguidance; no call can finish",
    "TS308": "a class name clash is toolspec's own: the class is numbered, the API never sees it",
    "TS309": "a Python name clash is toolspec's own: the API never sees the generated names",
    "TS320": "the http key is toolspec's own: the API never sees how a handler calls the HTTP API",
    "TS321": "the http key is toolspec's own: the API never sees how a handler calls the HTTP API",
    "TS322": "the http key is toolspec's own: the API never sees how a handler calls the HTTP API",
    "TS323": "the http key is toolspec's own: the API never sees how a handler calls the HTTP API",
    "TS502": "a lazy quantifier is accepted, and behaves greedily",
    "TS505": "a regex grammar across lines is accepted, and read as one line",
    "TS601": "an example is toolspec's own: the API never sees it",
    "TS602": "a default is toolspec's own: the API never sees it",
}
"""Error rules, and the cases of them, that stand for no refusal: ignoring them lets through
what the API accepts."""


def test_every_error_rule_of_the_api_has_a_refusal_case() -> None:
    refusing = {r.code for r in RULES if r.severity.value == "error" and r.code[2] in "235" and r.code != "TS506"}
    covered = {name.split("-")[0] for name in REFUSALS}
    assert refusing - covered <= set(NOT_REFUSED), sorted(refusing - covered - set(NOT_REFUSED))


@pytest.mark.parametrize("case", list(REFUSALS), ids=list(REFUSALS))
def test_a_refusal_is_an_error_whatever_rule_is_ignored(case: str, tmp_path: Path) -> None:
    """Ignoring a rule that reports nothing on a spec changes nothing (nothing yields to a rule
    that did not report), so for a large spec only the rules that report on it are ignored."""
    spec = {"spec.yaml": REFUSALS[case]}
    everything = load(tmp_path / "all", spec)
    assert everything.has_errors
    reporting = {d.code for d in everything.diagnostics}
    for ignored in RULES:
        if case.split("-", 1)[1] in _SLOW and ignored.code not in reporting | {"TS506"}:
            continue
        built = load(tmp_path / ignored.code, spec, rules=[r for r in RULES if r is not ignored])
        assert built.has_errors, f"with {ignored.code} ignored, {case} passed lint"


def test_many_tools_yields_to_too_many_tools(tmp_path: Path) -> None:
    spec = {"spec.yaml": _tools(129)}
    both = load(tmp_path / "both", spec)
    assert [d.code for d in both.diagnostics] == ["TS305"]
    without = load(tmp_path / "without", spec, rules=[r for r in RULES if r.code != "TS305"])
    assert [(d.code, d.severity.value) for d in without.diagnostics] == [("TS304", "warning"), ("TS506", "error")]


@pytest.mark.parametrize(
    "setting", ['ignore = ["TS"]', 'ignore = ["TS5"]', 'select = ["TS4"]'], ids=["ignore-all", "ignore-TS5", "select"]
)
def test_no_selection_of_rules_turns_the_backstop_off(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], setting: str
) -> None:
    """A prefix, or a select of a few, leaves TS506 on: the refused pattern is still an error."""
    write_specs(tmp_path, {"spec.yaml": LOOKAROUND})
    (tmp_path / "pyproject.toml").write_text(f"[tool.toolspec]\n{setting}\n", "utf-8")
    monkeypatch.chdir(tmp_path)
    assert cli.main(["lint"]) == 1
    assert "TS506" in capsys.readouterr().out


def test_ignoring_the_backstop_is_a_configuration_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write_specs(tmp_path, {"spec.yaml": LOOKAROUND})
    (tmp_path / "pyproject.toml").write_text('[tool.toolspec]\nignore = ["TS506"]\n', "utf-8")
    monkeypatch.chdir(tmp_path)
    assert cli.main(["lint"]) == 2
    assert "'TS506', which cannot be turned off" in capsys.readouterr().err
    assert cli.main(["lint", "--ignore", "TS502,TS506"]) == 2
