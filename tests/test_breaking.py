"""`toolspec breaking`: small git repositories, a spec committed on main and changed in the working
tree, and the changes the command finds, each classified, in every format; what accepts a
change; which ref it compares with."""

from __future__ import annotations

import json
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from toolspec.breaking import tokens
from toolspec.cli import main
from toolspec.ground.change_rules import BY_CODE, CHANGE_RULES

GIT_IDENTITY = {
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "test@example.com",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.com",
    "GIT_CONFIG_GLOBAL": "/dev/null",
    "GIT_CONFIG_NOSYSTEM": "1",
}

BASE = """\
toolset: shop
description: A shop.
types:
  Money:
    type: object
    description: An amount.
    properties:
      amount: {type: number, minimum: 0, description: The amount.}
      currency: {type: string, pattern: "^[A-Z]{3}$", description: The currency.}
tools:
  - name: search
    description: Search products.
    effect: read
    parameters:
      query: {type: string, minLength: 1, maxLength: 100, description: Words.}
      category: {type: string, enum: [books, toys], description: The category.}
      limit: {type: integer, minimum: 1, maximum: 50, description: How many., optional: true, default: 10}
      price: {type: Money, description: At most.}
      tags:
        type: array
        items: {type: string, description: A tag.}
        maxItems: 5
        description: Tags.
    examples:
      - {query: dune, category: books, limit: 5, price: {amount: 10, currency: EUR}, tags: []}
  - name: cancel_order
    description: Cancel an order.
    effect: write
    parameters:
      order_id: {type: string, description: The order.}
  - name: run_sql
    kind: custom
    description: Run a query.
    format: {syntax: lark, file: grammars/sql.lark}
  - name: list_stock
    description: The stock of every product.
    effect: read
    parameters: {}
    returns:
      type: object
      properties:
        products:
          type: array
          description: The products found.
          items:
            type: object
            properties:
              sku: {type: string, description: The product's code.}
              stock: {type: integer, description: How many are left.}
        total: {type: integer, description: How many match.}
"""
GRAMMAR = 'start: "SELECT " NAME\nNAME: /[a-z]+/\n'
CANCEL = """\
  - name: cancel_order
    description: Cancel an order.
    effect: write
    parameters:
      order_id: {type: string, description: The order.}
"""


@dataclass
class Repo:
    root: Path

    def git(self, *args: str) -> str:
        result = subprocess.run(["git", *args], cwd=self.root, capture_output=True, text=True, check=True)
        return result.stdout.strip()

    def write(self, name: str, text: str) -> None:
        path = self.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")

    def commit(self, message: str = "change") -> str:
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message)
        return self.git("rev-parse", "HEAD")


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Repo:
    """A repository with the BASE spec committed on main, and a branch `feature` checked out."""
    for name, value in GIT_IDENTITY.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("NO_COLOR", "1")
    made = Repo(tmp_path)
    made.git("init", "-q", "-b", "main")
    made.write("pyproject.toml", '[tool.toolspec]\nspecs = "specs"\n')
    made.write("specs/shop.yaml", BASE)
    made.write("specs/grammars/sql.lark", GRAMMAR)
    made.commit("specs")
    made.git("checkout", "-q", "-b", "feature")
    monkeypatch.chdir(tmp_path)
    return made


@dataclass(frozen=True)
class Run:
    status: int
    out: str
    err: str

    @property
    def codes(self) -> list[str]:
        return re.findall(r"^\S+:\d+:\d+: (TS\d{3}) ", self.out, re.MULTILINE)

    def items(self) -> list[dict[str, object]]:
        assert self.out, self.err
        found: list[dict[str, object]] = json.loads(self.out)
        return found


def breaking(capsys: pytest.CaptureFixture[str], *args: str) -> Run:
    status = main(["breaking", *args])
    captured = capsys.readouterr()
    return Run(status, captured.out, captured.err)


def changed(repo: Repo, old: str, new: str, *, spec: str = BASE, count: int = 1) -> None:
    assert old in spec, old
    repo.write("specs/shop.yaml", spec.replace(old, new, count))


@dataclass(frozen=True)
class Case:
    id: str
    old: str
    new: str
    codes: frozenset[str]
    """Every code the change is reported with."""
    count: int = 1
    """How many times old is replaced (-1: everywhere)."""


def case(id: str, old: str, new: str, *codes: str, count: int = 1) -> Case:
    return Case(id, old, new, frozenset(codes), count)


RESULT = BASE[BASE.index("    returns:\n") :]
LIMIT = "limit: {type: integer, minimum: 1, maximum: 50, description: How many., optional: true, default: 10}"
QUERY = "query: {type: string, minLength: 1, maxLength: 100, description: Words.}"
CATEGORY = "category: {type: string, enum: [books, toys], description: The category.}"
STRICT_OFF = "    description: Cancel an order.\n    strict: false\n"
CASES = [
    # breaking for the model
    case("tool removed", CANCEL, "", "TS701"),
    case("tool renamed", "name: cancel_order", "name: void_order", "TS702", "TS721", "TS723"),
    case("parameter removed", "      category: {type: string, enum: [books, toys], description: The category.}\n", "",
         "TS703", "TS726"),
    case("property removed", '      currency: {type: string, pattern: "^[A-Z]{3}$", description: The currency.}\n', "",
         "TS703", "TS726"),
    case("parameter renamed", "order_id:", "order_number:", "TS704", "TS722"),
    case("property renamed", "currency: {", "code: {", "TS704", "TS722"),
    case("required parameter added", "order_id: {type: string, description: The order.}",
         "order_id: {type: string, description: The order.}\n      reason: {type: string, description: Why.}", "TS705"),
    case("parameter made required", LIMIT, LIMIT.replace(", optional: true, default: 10", ""), "TS706", "TS748"),
    case("type changed", "order_id: {type: string", "order_id: {type: integer", "TS707", "TS724"),
    case("items type changed", "items: {type: string", "items: {type: integer", "TS707", "TS724"),
    case("type changed in a named type", "amount: {type: number", "amount: {type: integer", "TS707", "TS724"),
    case("enum value removed", "enum: [books, toys]", "enum: [books]", "TS708", "TS724"),
    case("maximum lowered", "maximum: 50", "maximum: 20", "TS709"),
    case("minimum raised", "minimum: 1,", "minimum: 2,", "TS709"),
    case("minLength raised", "minLength: 1", "minLength: 2", "TS709"),
    case("maxLength lowered", "maxLength: 100", "maxLength: 50", "TS709"),
    case("maxItems lowered", "maxItems: 5", "maxItems: 3", "TS709"),
    case("minItems added", "maxItems: 5", "maxItems: 5\n        minItems: 1", "TS709"),
    case("pattern changed", '"^[A-Z]{3}$"', '"^[A-Z]{2}$"', "TS709"),
    case("pattern added", "order_id: {type: string,", "order_id: {type: string, pattern: '^O[0-9]+$',", "TS709"),
    case("format added", "order_id: {type: string,", "order_id: {type: string, format: uuid,", "TS709", "TS724"),
    case("enum added", "order_id: {type: string,", "order_id: {type: string, enum: [a, b],", "TS709", "TS724"),
    case("strict switched off", "    description: Cancel an order.\n", STRICT_OFF, "TS710"),
    case("number made integer", "amount: {type: number", "amount: {type: integer", "TS707", "TS724"),
    # breaking for how calls run
    case("effect escalated", "effect: write", "effect: destructive", "TS711"),
    case("no longer idempotent", "    description: Search products.\n",
         "    description: Search products.\n    idempotent: false\n", "TS711"),
    case("read made destructive", "effect: read", "effect: destructive", "TS711"),
    case("result field removed", "        total: {type: integer, description: How many match.}\n", "", "TS713"),
    case("result field removed from an item", "              stock: {type: integer, description: How many are left.}\n",
         "", "TS713"),
    case("returns taken out", RESULT, "", "TS713"),
    case("result field's type changed", "sku: {type: string", "sku: {type: integer", "TS714"),
    case("result field made optional", "How many match.}", "How many match., optional: true}", "TS714"),
    case("result field made nullable", "How many match.}", "How many match., nullable: true}", "TS714"),
    # breaking for Python
    case("named type renamed", "Money", "Cash", "TS721", count=-1),
    case("a clash numbers the method and the class", CANCEL, CANCEL.replace("cancel_order", "cancel-order") + CANCEL,
         "TS743", "TS721", "TS723"),
    case("python_name given", "  - name: cancel_order\n", "  - name: cancel_order\n    python_name: void_order\n",
         "TS721", "TS723"),
    case("python_name of a parameter", "order_id: {type: string,", "order_id: {type: string, python_name: order,",
         "TS722"),
    case("null now accepted", "The category.}", "The category., nullable: true}", "TS744", "TS724"),
    case("integer made number: wider for the model, another type for Python", "limit: {type: integer",
         "limit: {type: number", "TS744", "TS724"),
    # safe
    case("tool description", "description: Cancel an order.", "description: Cancel an order that has not shipped.",
         "TS741"),
    case("parameter description", "description: Words.", "description: Words to search for.", "TS741"),
    case("type description", "description: The amount.", "description: The amount in units.", "TS741"),
    case("optional parameter added", "order_id: {type: string, description: The order.}",
         "order_id: {type: string, description: The order.}\n"
         "      reason: {type: string, description: Why., optional: true}", "TS742"),
    case("tool added", CANCEL, CANCEL + CANCEL.replace("cancel_order", "refund_order"), "TS743"),
    case("maximum raised", "maximum: 50", "maximum: 100", "TS744"),
    case("pattern removed", ', pattern: "^[A-Z]{3}$"', "", "TS744"),
    case("enum value added", "enum: [books, toys]", "enum: [books, toys, games]", "TS745", "TS724"),
    case("parameter made optional", QUERY, QUERY.replace("}", ", optional: true}"), "TS746", "TS724"),
    case("effect relaxed", "effect: write", "effect: read", "TS747", "TS748"),
    case("read made write", "effect: read", "effect: write", "TS750"),
    case("effect: read taken out (an unknown effect is a write)", "    effect: read\n", "", "TS750"),
    case("read made write, kept idempotent", "effect: read", "effect: write\n    idempotent: true", "TS750"),
    case("read made write, no longer idempotent as written", "effect: read", "effect: write\n    idempotent: false",
         "TS750"),
    case("result field added", "        total: {type: integer, description: How many match.}\n",
         "        total: {type: integer, description: How many match.}\n"
         "        next: {type: string, description: The next page., optional: true}\n", "TS751"),
    case("returns stated", "      order_id: {type: string, description: The order.}\n",
         "      order_id: {type: string, description: The order.}\n    returns: {type: boolean}\n", "TS751"),
    case("default changed", "default: 10", "default: 20", "TS748"),
    case("examples changed", "query: dune,", "query: hobbit,", "TS748"),
    case("timeout set", "    description: Cancel an order.\n", "    description: Cancel an order.\n    timeout: 5\n",
         "TS748"),
    case("parameters reordered", f"      {QUERY}\n      {CATEGORY}\n", f"      {CATEGORY}\n      {QUERY}\n", "TS748"),
    # custom tools
    case("grammar given in place of a file", "{syntax: lark, file: grammars/sql.lark}",
         '{syntax: lark, definition: "start: \\"SELECT \\" NAME\\nNAME: /[a-z]+/\\n"}'),
    case("grammar syntax changed", "{syntax: lark, file: grammars/sql.lark}",
         "{syntax: regex, definition: '^SELECT [a-z]+$'}", "TS707"),
    case("any text now", "format: {syntax: lark, file: grammars/sql.lark}", "format: text", "TS744"),
    case("function made custom", CANCEL, CANCEL.replace("    effect: write\n", "    effect: write\n    kind: custom\n")
         .replace("    parameters:\n      order_id: {type: string, description: The order.}\n", ""), "TS707"),
]  # fmt: skip


@pytest.mark.parametrize("change", CASES, ids=[change.id for change in CASES])
def test_every_change_is_classified(repo: Repo, capsys: pytest.CaptureFixture[str], change: Case) -> None:
    changed(repo, change.old, change.new, count=change.count)
    run = breaking(capsys, "--format", "json")
    assert {item["code"] for item in run.items()} == change.codes, run.out
    breaks = any(BY_CODE[code].change_class.breaking for code in change.codes)
    assert run.status == (1 if breaks else 0), run.err


def test_every_code_is_covered() -> None:
    covered = {code for change in CASES for code in change.codes} | {"TS712", "TS725", "TS749"}
    assert covered == {rule.code for rule in CHANGE_RULES}


def test_no_change_is_no_finding(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    repo.write("specs/shop.yaml", BASE.replace("\n", "\n\n", 3))  # only the layout differs
    run = breaking(capsys)
    assert (run.status, run.out) == (0, "")
    assert run.err.startswith("No changes to the specs since the merge base of HEAD and main (")


def test_text_places_a_change_in_the_new_spec(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    changed(repo, "maximum: 50", "maximum: 20")
    run = breaking(capsys)
    assert run.status == 1
    column = next(line for line in BASE.splitlines() if "maximum: 50" in line).index("maximum") + 1
    assert run.out == (
        f"specs/shop.yaml:17:{column}: TS709 breaking for the model: tool 'search': parameter 'limit': "
        "`maximum` lowered (50 → 20)\n"
    )
    assert run.err.startswith("1 breaking change (1 for the model), 0 allowed, 0 safe")


def test_a_removal_points_at_the_line_that_held_it_in_the_new_spec(
    repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    """The new spec is shorter than the old: the removed tool's old line is past its end, so text
    and annotations point at the `tools:` line (where a comment accepts it) and say the old one."""
    changed(repo, CANCEL, "")
    run = breaking(capsys)
    main_commit = repo.git("rev-parse", "main")[:12]
    tools_line = BASE.splitlines().index("tools:") + 1
    assert run.out == (
        f"specs/shop.yaml:{tools_line}:1: TS701 breaking for the model: tool 'cancel_order' was removed "
        f"(it was at line 26 of specs/shop.yaml at {main_commit}) (-30 tokens per request)\n"
    )
    annotation, _summary = breaking(capsys, "--format", "github").out.splitlines()
    assert annotation.startswith(f"::error file=specs/shop.yaml,line={tools_line},col=1,title=TS701::")
    [item] = breaking(capsys, "--format", "json").items()
    assert (item["side"], item["line"], item["tool"]) == ("old", 26, "cancel_order")


def test_json_has_every_field(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    changed(repo, "order_id:", "order_number:")
    items = breaking(capsys, "--format", "json").items()
    assert [(item["code"], item["class"], item["breaking"]) for item in items] == [
        ("TS704", "model", True),
        ("TS722", "python", True),
    ]
    assert items[0] == {
        "code": "TS704",
        "name": "parameter-renamed",
        "class": "model",
        "breaking": True,
        "allowed": False,
        "reason": None,
        "path": "specs/shop.yaml",
        "side": "new",
        "line": 30,
        "column": 7,
        "message": "tool 'cancel_order': parameter 'order_id' was renamed to 'order_number'",
        "toolset": "shop",
        "tool": "cancel_order",
        "tokens_delta": items[0]["tokens_delta"],
        "against": repo.git("rev-parse", "main").strip(),
    }
    assert isinstance(items[0]["tokens_delta"], int), "counted by toolspec.compile.tokens"
    assert items[1]["message"] == "field `order_id` of `CancelOrderArguments` is now `order_number`"


def test_json_of_no_change_is_an_empty_list(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    run = breaking(capsys, "--format", "json")
    assert (run.status, run.items(), run.err) == (0, [], "")


def test_github_annotations(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    changed(repo, "effect: write", "effect: destructive\n    timeout: 5")
    run = breaking(capsys, "--format", "github")
    assert run.status == 1
    assert run.out.splitlines() == [
        "::error file=specs/shop.yaml,line=28,col=5,title=TS711::TS711 breaking for how calls run: tool "
        "'cancel_order': "
        "`effect` changed from write to destructive",
        "::notice file=specs/shop.yaml,line=29,col=5,title=TS748::TS748 safe: tool 'cancel_order': the timeout "
        "changed (none → 5)",
        "::notice title=toolspec breaking::1 breaking change (1 for how calls run), 0 allowed, 1 safe, since the "
        f"merge base of HEAD and main ({repo.git('rev-parse', 'main')[:12]}).",
    ]


def test_github_says_what_it_compared_with_when_nothing_changed(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    """A pull request's checks name the base even when there is no annotation to show."""
    run = breaking(capsys, "--against", "main", "--format", "github")
    main_commit = repo.git("rev-parse", "main")[:12]
    assert (run.status, run.out, run.err) == (
        0,
        f"::notice title=toolspec breaking::No changes to the specs since main ({main_commit}).\n",
        "",
    )
    assert breaking(capsys, "--format", "github", "--quiet").out == ""


def test_tokens_delta_is_counted_as_the_catalogue_counts(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    changed(repo, "description: Cancel an order.", "description: Cancel an order, if it has not shipped yet.")
    [item] = breaking(capsys, "--format", "json").items()
    assert item["tokens_delta"] > 0, "a longer description costs more on every request"


def test_tokens_delta_comes_from_the_hook(
    repo: Repo, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tokens, "tool_tokens", lambda tool: 10 * len(tool.tool.description or ""))
    changed(repo, "description: Cancel an order.", "description: Cancel an old order.")
    [item] = breaking(capsys, "--format", "json").items()
    assert item["tokens_delta"] == 40
    run = breaking(capsys)
    assert run.out.endswith("the description was changed (+40 tokens per request)\n")


# --- accepting a breaking change ------------------------------------------------------------------


def test_a_comment_with_a_reason_accepts_a_change(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    changed(repo, LIMIT, LIMIT.replace("maximum: 50", "maximum: 20") + "  # toolspec: ignore[TS709] 20 is plenty")
    run = breaking(capsys)
    assert run.status == 0
    assert run.out.rstrip().endswith("`maximum` lowered (50 → 20) (allowed: 20 is plenty)")
    assert ", 1 allowed, 0 safe" in run.err
    [item] = breaking(capsys, "--format", "json").items()
    assert (item["allowed"], item["reason"]) == (True, "20 is plenty")
    assert breaking(capsys, "--format", "github").out.startswith("::warning ")


def test_a_comment_without_a_reason_accepts_nothing(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    changed(repo, LIMIT, LIMIT.replace("maximum: 50", "maximum: 20") + "  # toolspec: ignore[TS709]")
    assert breaking(capsys).status == 1


def test_a_comment_for_another_code_accepts_nothing(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    changed(repo, LIMIT, LIMIT.replace("maximum: 50", "maximum: 20") + "  # toolspec: ignore[TS708] not this one")
    assert breaking(capsys).status == 1


def test_a_removal_is_accepted_on_the_line_that_held_it(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    changed(repo, "    parameters:\n      order_id: {type: string, description: The order.}\n",
            "    parameters:  # toolspec: ignore[TS703] nobody sends it\n"
            "      order_number: {type: integer, description: The order.}\n")  # fmt: skip
    run = breaking(capsys, "--format", "json")
    assert {(item["code"], item["allowed"]) for item in run.items()} == {
        ("TS703", True),
        ("TS705", False),
        ("TS726", False),
    }
    assert run.status == 1


def test_a_removed_tool_is_accepted_on_the_tools_line(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    changed(repo, CANCEL, "")
    text = (repo.root / "specs/shop.yaml").read_text("utf-8")
    repo.write("specs/shop.yaml", text.replace("tools:\n", "tools:  # toolspec: ignore[TS701] merged into search\n"))
    assert breaking(capsys).status == 0


def test_configured_codes_are_accepted(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    repo.write("pyproject.toml", '[tool.toolspec]\nspecs = "specs"\nbreaking.ignore = ["TS703", "TS72"]\n')
    changed(repo, "order_id: {type: string,", "order_number: {type: integer,")
    run = breaking(capsys, "--format", "json")
    assert {(item["code"], item["allowed"]) for item in run.items()} == {
        ("TS703", True),
        ("TS705", False),
        ("TS726", True),
    }
    assert run.status == 1
    repo.write("pyproject.toml", '[tool.toolspec]\nspecs = "specs"\nbreaking.ignore = ["TS702", "TS72"]\n')
    changed(repo, "name: cancel_order", "name: void_order")
    run = breaking(capsys, "--format", "json")
    assert {(item["code"], item["reason"]) for item in run.items()} == {
        ("TS702", "listed in breaking.ignore"),
        ("TS721", "listed in breaking.ignore"),
        ("TS723", "listed in breaking.ignore"),
    }
    assert run.status == 0


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ('breaking.ignore = ["TS799"]', "breaking.ignore names 'TS799', which is no code of toolspec breaking"),
        ('breaking.ignore = ["TS7O1"]', "(did you mean 'TS7"),
        ('breaking.ignore = "TS701"', "breaking.ignore must be a list of codes"),
        ('breaking.ignor = ["TS701"]', "has an unknown key `ignor` (did you mean `ignore`?)"),
        ('breaking = "TS701"', "breaking must be a table"),
        ('ignore = ["TS701"]', "'TS701', a code of toolspec breaking, not of lint: list it in `breaking.ignore`"),
    ],
)
def test_a_wrong_setting_is_a_usage_error(
    repo: Repo, capsys: pytest.CaptureFixture[str], setting: str, message: str
) -> None:
    repo.write("pyproject.toml", f'[tool.toolspec]\nspecs = "specs"\n{setting}\n')
    run = breaking(capsys)
    assert run.status == 2
    assert message in run.err


# --- toolsets -----------------------------------------------------------------------------------


OTHER = "toolset: other\ntools:\n  - name: ping\n    description: Ping.\n"


def test_toolsets_removed_added_and_renamed(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    repo.write("specs/other.yaml", OTHER)
    repo.commit()
    (repo.root / "specs/other.yaml").unlink()
    repo.write("specs/more/third.yaml", OTHER.replace("other", "third"))
    repo.write("specs/shop.yaml", BASE.replace("toolset: shop", "toolset: store"))
    items = breaking(capsys, "--against", "HEAD", "--format", "json").items()
    assert [(item["code"], item["toolset"], item["path"], item["line"]) for item in items] == [
        ("TS712", "other", "specs/other.yaml", 1),
        ("TS725", "store", "specs/shop.yaml", 1),
        ("TS749", "third", "specs/more/third.yaml", 1),
    ]
    assert "now `StoreHandlers`" in str(items[1]["message"])


def test_the_grammar_file_is_read_from_the_ref(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    repo.write("specs/grammars/sql.lark", GRAMMAR.replace("SELECT", "SELECT DISTINCT"))
    [item] = breaking(capsys, "--format", "json").items()
    assert (item["code"], item["tool"]) == ("TS709", "run_sql")


def test_a_spec_unreadable_at_the_ref_is_noted(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    repo.write("specs/other.yaml", "toolset: other\ntools: [\n")
    repo.commit()
    repo.write("specs/other.yaml", OTHER)
    run = breaking(capsys, "--against", "HEAD", "--format", "json")
    assert [item["code"] for item in run.items()] == ["TS749"]
    assert "toolspec: note: at " in run.err and "specs/other.yaml:3:1: error: TS003" in run.err


def test_errors_in_the_working_tree_stop_it(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    repo.write("specs/shop.yaml", BASE.replace("toolset: shop", "toolset: [shop]"))
    run = breaking(capsys)
    assert run.status == 1
    assert "TS103" in run.err and "the specs have errors: fix them first" in run.err


# --- which ref ------------------------------------------------------------------------------------


def test_the_default_is_the_merge_base_with_main(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    repo.write("specs/shop.yaml", BASE.replace("maximum: 50", "maximum: 40"))
    repo.commit("on the branch")
    repo.git("checkout", "-q", "main")
    repo.write("specs/shop.yaml", BASE.replace("Search products.", "Find products."))
    repo.commit("on main, later")
    repo.git("checkout", "-q", "feature")
    run = breaking(capsys)
    assert run.codes == ["TS709"], run.out  # main's later change is not the branch's
    base = repo.git("merge-base", "main", "HEAD")[:12]
    assert f"since the merge base of HEAD and main ({base})." in run.err
    assert breaking(capsys, "--against", "main", "--format", "json").items()[0]["code"] == "TS741"
    assert breaking(capsys, "--against", "main...").codes == ["TS709"]


def test_origin_main_comes_first(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    repo.write("specs/shop.yaml", BASE.replace("maximum: 50", "maximum: 40"))
    pushed = repo.commit("pushed")
    repo.git("update-ref", "refs/remotes/origin/main", pushed)
    repo.write("specs/shop.yaml", BASE.replace("maximum: 50", "maximum: 30"))
    run = breaking(capsys)
    assert "(40 → 30)" in run.out
    assert f"since the merge base of HEAD and origin/main ({pushed[:12]})." in run.err


def test_a_named_ref(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    repo.write("specs/shop.yaml", BASE.replace("maximum: 50", "maximum: 40"))
    repo.commit()
    assert breaking(capsys, "--against", "HEAD").status == 0
    assert breaking(capsys, "--against", "HEAD~1").codes == ["TS709"]


@pytest.mark.parametrize("ref", ["nope", "HEAD~9", "-x", "nope..."])
def test_a_ref_that_does_not_exist(repo: Repo, capsys: pytest.CaptureFixture[str], ref: str) -> None:
    run = breaking(capsys, f"--against={ref}")
    assert run.status == 2
    assert f"toolspec: error: {ref.removesuffix('...')!r} is no commit of this repository" in run.err


def test_the_remote_default_branch_comes_first(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    """A clone's origin/HEAD names the remote's default branch, whatever it is called."""
    repo.write("specs/shop.yaml", BASE.replace("maximum: 50", "maximum: 40"))
    pushed = repo.commit("pushed")
    repo.git("update-ref", "refs/remotes/origin/master", pushed)
    repo.git("symbolic-ref", "refs/remotes/origin/HEAD", "refs/remotes/origin/master")
    repo.write("specs/shop.yaml", BASE.replace("maximum: 50", "maximum: 30"))
    run = breaking(capsys)
    assert "(40 → 30)" in run.out
    assert f"since the merge base of HEAD and origin/master ({pushed[:12]})." in run.err


def test_master_when_there_is_no_main(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    repo.git("branch", "-q", "-m", "main", "master")
    changed(repo, "maximum: 50", "maximum: 20")
    run = breaking(capsys)
    assert (run.status, run.codes) == (1, ["TS709"])
    assert f"since the merge base of HEAD and master ({repo.git('rev-parse', 'master')[:12]})." in run.err


def test_without_main(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    repo.git("branch", "-q", "-m", "main", "trunk")
    run = breaking(capsys)
    assert run.status == 2
    assert (
        "there is no origin/HEAD, origin/main, main or master to compare with: name the ref, e.g. --against HEAD~1"
        in run.err
    )
    assert breaking(capsys, "--against", "trunk").status == 0


def test_outside_a_repository(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch) -> None:
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    (tmp_path / "specs").mkdir()
    (tmp_path / "specs" / "other.yaml").write_text(OTHER, "utf-8")
    monkeypatch.chdir(tmp_path)
    run = breaking(capsys)
    assert run.status == 2
    assert "is not in a git repository" in run.err


def test_a_spec_directory_new_since_the_ref(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    repo.write("pyproject.toml", '[tool.toolspec]\nspecs = "tools"\n')
    repo.write("tools/other.yaml", OTHER)
    items = breaking(capsys, "--format", "json").items()
    assert [item["code"] for item in items] == ["TS749"]


# --- the codes ------------------------------------------------------------------------------------


@pytest.mark.parametrize("rule", CHANGE_RULES, ids=[rule.code for rule in CHANGE_RULES])
def test_rule_explains_each_code(capsys: pytest.CaptureFixture[str], rule) -> None:
    assert main(["rule", rule.code]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"# {rule.code} {rule.name} ({rule.severity.value})\n")
    for section in ("## What it reports", "## Why", "## How to fix"):
        assert section in out
    assert (f"ignore[{rule.code}]" in out) == rule.change_class.breaking


def test_docs_list_every_code() -> None:
    docs = (Path(__file__).resolve().parent.parent / "docs" / "breaking.md").read_text("utf-8")
    table = re.findall(r"^\| (TS7\d\d) \| ([a-z-]+) \| (\w+) \|$", docs, re.MULTILINE)
    assert table == [(rule.code, rule.name, rule.change_class.value) for rule in CHANGE_RULES]
