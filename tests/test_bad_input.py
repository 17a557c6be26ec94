"""Bad input gets a clear message, never a traceback.

Every case runs the real command line in a subprocess (`python -m toolspec lint FILE`) on a
file in a temporary directory, and checks the exit status, the code, and the line and column
the message points at. The subprocess timeout of `run_toolspec` (300 s) only stops a hang:
nothing here asserts on timing.
"""

from __future__ import annotations

import re
import subprocess
import tracemalloc
from pathlib import Path

import pytest

from conftest import REPO, parse_text_findings, run_toolspec


@pytest.fixture(autouse=True)
def _isolated_config(tmp_path: Path) -> None:
    """An empty [tool.toolspec], so that no pyproject.toml above the temporary directory counts."""
    (tmp_path / "pyproject.toml").write_text("[tool.toolspec]\n", "utf-8")


def _no_traceback(result: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in result.stdout, result.stdout
    assert "Traceback" not in result.stderr, result.stderr


def lint_file(tmp_path: Path, name: str, content: str | bytes) -> subprocess.CompletedProcess[str]:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return run_toolspec("lint", str(path), cwd=tmp_path)


def findings(result: subprocess.CompletedProcess[str]) -> list[re.Match[str]]:
    """The findings printed on stdout; all of stdout must be findings (with their source line,
    where the file has the line: not in an empty file, nor past the end of a cut one)."""
    return parse_text_findings(result.stdout, source=False)


def assert_single_finding(
    result: subprocess.CompletedProcess[str], name: str, line: int, column: int, code: str
) -> str:
    """Exit status 1, no traceback, and exactly one finding: code at name:line:column. Returns its message."""
    _no_traceback(result)
    assert result.returncode == 1, (result.returncode, result.stdout, result.stderr)
    found = findings(result)
    assert [(m["path"], int(m["line"]), int(m["column"]), m["code"]) for m in found] == [(name, line, column, code)], (
        result.stdout
    )
    assert "1 error" in result.stderr, result.stderr
    return found[0]["message"]


# --- YAML that is not YAML, or more than plain data ------------------------------------------


def test_invalid_yaml(tmp_path: Path) -> None:
    text = (
        "toolset: alarms\ntools:\n  - name: set_alarm\n    description: Set an alarm, e.g. at 07:30: in 24-hour form.\n"
    )
    result = lint_file(tmp_path, "alarms.yaml", text)
    # The `: ` after 07:30 (column 45) would start a mapping inside a plain value.
    message = assert_single_finding(result, "alarms.yaml", 4, 45, "TS003")
    assert message.startswith("invalid YAML:") and "mapping values are not allowed" in message


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("toolset: a\ntools:\n  - name: x\n\tdescription: tab\n", 4),
        ("toolset: a\ntools:\n\t- name: x\n    description: tab\n", 3),
    ],
    ids=["tab in a mapping", "tab before a list item"],
)
def test_invalid_yaml_tab_indentation(tmp_path: Path, text: str, line: int) -> None:
    """libyaml says only "found character that cannot start any token": name the tab and the fix."""
    message = assert_single_finding(lint_file(tmp_path, "tab.yaml", text), "tab.yaml", line, 1, "TS003")
    assert message.endswith("it is a tab, and YAML does not allow tabs for indentation; indent with spaces"), message


def test_a_comma_in_a_flow_mapping_value_gets_a_hint(tmp_path: Path) -> None:
    text = (
        "toolset: notes\n"
        "tools:\n"
        "  - name: read_note\n"
        "    description: Read a note.\n"
        "    parameters:\n"
        "      line: {type: integer, description: First line, 1-based.}\n"
        '      place: {type: string, description: "Quoted", extra}\n'
    )
    result = lint_file(tmp_path, "notes.yaml", text)
    assert [m["message"] for m in findings(result)] == [
        'unknown key `1-based.`: a comma inside `{...}` separates keys; quote the value ("First line, 1-based.")',
        "unknown key `extra`",
    ], "a quoted value before the comma was meant to end there: no hint"


def test_unclosed_quote_is_reported_where_it_opens(tmp_path: Path) -> None:
    """PyYAML notices an unclosed quote only at the end of the file; the message must still lead to
    the quote (line 1, column 10), not to a line past the end of a two-line file."""
    result = lint_file(tmp_path, "quote.yaml", 'toolset: "weather\ntools: []\n')
    _no_traceback(result)
    assert result.returncode == 1
    (finding,) = findings(result)
    assert finding["code"] == "TS003"
    line, column = int(finding["line"]), int(finding["column"])
    assert 1 <= line <= 2, f"line {line} is past the end of a two-line file: {result.stdout}"
    assert (line, column) == (1, 10) or "line 1" in finding["message"], result.stdout


def test_control_character(tmp_path: Path) -> None:
    """A control character (here BEL, pasted from a terminal) is not allowed in YAML."""
    result = lint_file(tmp_path, "bell.yaml", b"toolset: a\ntools: []\ndescription: ring\x07\n")
    _no_traceback(result)
    assert result.returncode == 1, (result.returncode, result.stderr)
    (finding,) = findings(result)
    assert finding["code"] == "TS003"
    assert (int(finding["line"]), int(finding["column"])) == (3, 18)


def test_unpaired_surrogate_escape(tmp_path: Path) -> None:
    """JSON-style surrogate pairs are two separate escapes in YAML: refused, not a crash later."""
    result = lint_file(tmp_path, "emoji.yaml", b'toolset: a\ntools: []\ndescription: "smile \\ud83d\\ude00"\n')
    _no_traceback(result)
    assert result.returncode == 1, (result.returncode, result.stderr)
    (finding,) = findings(result)
    assert finding["code"] in ("TS003", "TS008")  # libyaml refuses the escape itself; pure PyYAML lets us
    assert "surrogate" in finding["message"] and "\\UXXXXXXXX" in finding["message"]
    assert int(finding["line"]) == 3


def test_nul_byte(tmp_path: Path) -> None:
    result = lint_file(tmp_path, "nul.yaml", b"toolset: a\x00\ntools: []\n")
    _no_traceback(result)
    assert result.returncode == 1, (result.returncode, result.stderr)
    (finding,) = findings(result)
    assert finding["code"] == "TS003"
    assert (int(finding["line"]), int(finding["column"])) == (1, 11)


def test_duplicate_key(tmp_path: Path) -> None:
    text = "toolset: weather\ntools: []\ntoolset: forecast\n"
    message = assert_single_finding(lint_file(tmp_path, "dup.yaml", text), "dup.yaml", 3, 1, "TS009")
    assert "duplicate key 'toolset'" in message and "first at line 1" in message


def test_duplicate_key_in_a_nested_mapping(tmp_path: Path) -> None:
    text = (
        "toolset: clock\n"
        "tools:\n"
        "  - name: now\n"
        "    description: The time.\n"
        "    parameters:\n"
        "      zone:\n"
        "        type: string\n"
        "        description: A time zone.\n"
        "        description: An IANA time zone.\n"
    )
    message = assert_single_finding(lint_file(tmp_path, "dup.yaml", text), "dup.yaml", 9, 9, "TS009")
    assert "duplicate key 'description'" in message and "first at line 8" in message


def test_python_tag_is_refused_and_not_executed(tmp_path: Path) -> None:
    marker = tmp_path / "hacked"
    text = f'toolset: !!python/object/apply:os.system ["echo hacked > {marker}"]\ntools: []\n'
    message = assert_single_finding(lint_file(tmp_path, "tag.yaml", text), "tag.yaml", 1, 10, "TS004")
    assert not marker.exists(), "the tag was executed"
    assert "python/object/apply:os.system" in message and "not allowed" in message


def test_custom_tag_is_refused(tmp_path: Path) -> None:
    text = "toolset: weather\ntools:\n  - !custom {name: x, description: X.}\n"
    message = assert_single_finding(lint_file(tmp_path, "tag.yaml", text), "tag.yaml", 3, 5, "TS004")
    assert "'!custom'" in message and "remove the tag" in message


def test_billion_laughs_stops_early(tmp_path: Path) -> None:
    levels = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True):
        levels.append(f"{name}: &{name} [{', '.join([f'*{previous}'] * 9)}]")
    text = "\n".join(levels) + "\n"  # 9**9 (387 million) strings once expanded
    result = lint_file(tmp_path, "lol.yaml", text)
    _no_traceback(result)
    assert result.returncode == 1
    (finding,) = findings(result)
    assert finding["code"] == "TS007" and finding["path"] == "lol.yaml"
    assert 1 <= int(finding["line"]) <= len(levels)
    assert "alias" in finding["message"]


def test_recursive_alias(tmp_path: Path) -> None:
    text = "toolset: loop\ntools: &tools\n  - *tools\n"
    message = assert_single_finding(lint_file(tmp_path, "loop.yaml", text), "loop.yaml", 2, 8, "TS007")
    assert "alias refers to the node that contains it" in message


def test_latin1_file(tmp_path: Path) -> None:
    text = "toolset: weather\ntools:\n  - name: get_weather\n    description: Météo du jour.\n"
    message = assert_single_finding(
        lint_file(tmp_path, "latin1.yaml", text.encode("latin-1")), "latin1.yaml", 4, 19, "TS002"
    )
    assert "not UTF-8" in message and "0xe9" in message


def test_empty_file(tmp_path: Path) -> None:
    message = assert_single_finding(lint_file(tmp_path, "empty.yaml", b""), "empty.yaml", 1, 1, "TS005")
    assert "empty" in message and "`toolset`" in message


def test_file_of_comments_only(tmp_path: Path) -> None:
    text = "# The weather toolset.\n# TODO: write it.\n"
    message = assert_single_finding(lint_file(tmp_path, "comments.yaml", text), "comments.yaml", 1, 1, "TS005")
    assert "empty" in message


def test_several_documents(tmp_path: Path) -> None:
    text = "toolset: one\ntools: []\n---\ntoolset: two\ntools: []\n"
    message = assert_single_finding(lint_file(tmp_path, "multi.yaml", text), "multi.yaml", 3, 1, "TS006")
    assert "several YAML documents" in message


def test_a_list_instead_of_a_mapping(tmp_path: Path) -> None:
    text = "- toolset: weather\n  tools: []\n"
    message = assert_single_finding(lint_file(tmp_path, "list.yaml", text), "list.yaml", 1, 1, "TS103")
    assert "mapping" in message


# --- YAML that is not a spec -----------------------------------------------------------------


def test_missing_toolset(tmp_path: Path) -> None:
    text = "# Weather.\ndescription: Forecasts.\ntools:\n  - name: forecast\n    description: A forecast.\n"
    message = assert_single_finding(lint_file(tmp_path, "spec.yaml", text), "spec.yaml", 2, 1, "TS101")
    assert message == "missing required key `toolset`"


def test_missing_tools(tmp_path: Path) -> None:
    message = assert_single_finding(lint_file(tmp_path, "spec.yaml", "toolset: weather\n"), "spec.yaml", 1, 1, "TS101")
    assert message == "missing required key `tools`"


def test_tool_without_a_name(tmp_path: Path) -> None:
    text = "toolset: weather\ntools:\n  - description: A forecast.\n    parameters: {}\n"
    message = assert_single_finding(lint_file(tmp_path, "spec.yaml", text), "spec.yaml", 3, 5, "TS101")
    assert message == "missing required key `name`"


def test_unknown_key_suggests_the_known_one(tmp_path: Path) -> None:
    text = "toolset: weather\ntools:\n  - name: forecast\n    descripton: A forecast.\n"
    message = assert_single_finding(lint_file(tmp_path, "spec.yaml", text), "spec.yaml", 4, 5, "TS102")
    assert message == "unknown key `descripton` (did you mean `description`?)"


def test_keyword_that_does_not_apply_to_the_type(tmp_path: Path) -> None:
    text = (
        "toolset: inventory\n"
        "tools:\n"
        "  - name: set_stock\n"
        "    description: Set the stock.\n"
        "    parameters:\n"
        "      count:\n"
        "        type: integer\n"
        "        pattern: '^[0-9]+$'\n"
        "        description: How many.\n"
    )
    message = assert_single_finding(lint_file(tmp_path, "spec.yaml", text), "spec.yaml", 8, 9, "TS102")
    assert message == "`pattern` does not apply to type integer"


def test_unknown_type_suggests_the_builtin(tmp_path: Path) -> None:
    text = (
        "toolset: dictionary\n"
        "tools:\n"
        "  - name: define\n"
        "    description: Define a word.\n"
        "    parameters:\n"
        "      word:\n"
        "        type: strng\n"
        "        description: The word.\n"
    )
    message = assert_single_finding(lint_file(tmp_path, "spec.yaml", text), "spec.yaml", 7, 15, "TS106")
    assert message == "unknown type `strng` (did you mean `string`?)"


@pytest.mark.parametrize(
    ("written", "meant"), [("float", "number"), ("dict", "object"), ("int", "integer"), ("Float", "number")]
)
def test_a_type_name_of_another_language_gets_the_languages_name(tmp_path: Path, written: str, meant: str) -> None:
    """The names import maps already (Python's, JSON's neighbours'): lint names the one to write."""
    text = (
        "toolset: dictionary\ntools:\n  - name: define\n    description: Define a word.\n    parameters:\n"
        f"      word:\n        type: {written}\n        description: The word.\n"
    )
    message = assert_single_finding(lint_file(tmp_path, "spec.yaml", text), "spec.yaml", 7, 15, "TS106")
    assert message == f"unknown type `{written}`: the spec language calls it `{meant}`"


@pytest.mark.parametrize(
    ("keywords", "column"),
    [("        minLength: 2\n", 15), ("        properties:\n          x: {type: string, description: X.}\n", 15)],
)
def test_a_typo_in_a_type_name_is_one_finding(tmp_path: Path, keywords: str, column: int) -> None:
    """The keywords of the type the author meant are not blamed on the misspelt name as well."""
    text = (
        "toolset: dictionary\ntools:\n  - name: define\n    description: Define a word.\n    parameters:\n"
        f"      word:\n        type: strnig\n        description: The word.\n{keywords}"
    )
    message = assert_single_finding(lint_file(tmp_path, "spec.yaml", text), "spec.yaml", 7, column, "TS106")
    assert message == "unknown type `strnig` (did you mean `string`?)"


@pytest.mark.parametrize(("written", "meant"), [("yes", "true"), ("no", "false"), ("On", "true")])
def test_a_yaml_11_boolean_says_why_it_is_a_string(tmp_path: Path, written: str, meant: str) -> None:
    text = (
        "toolset: dictionary\ntools:\n  - name: define\n    description: Define a word.\n    parameters:\n"
        f"      word:\n        type: string\n        description: The word.\n        optional: {written}\n"
    )
    message = assert_single_finding(lint_file(tmp_path, "spec.yaml", text), "spec.yaml", 9, 19, "TS103")
    assert message == (
        f"`optional` must be true or false: YAML reads `{written}` as a string here (the YAML 1.2 that "
        f"toolspec reads, unlike YAML 1.1's readers); write `{meant}`"
    )


def test_default_without_optional(tmp_path: Path) -> None:
    text = (
        "toolset: pager\n"
        "tools:\n"
        "  - name: list_items\n"
        "    description: List items.\n"
        "    parameters:\n"
        "      page_size:\n"
        "        type: integer\n"
        "        default: 20\n"
        "        description: Items per page.\n"
    )
    message = assert_single_finding(lint_file(tmp_path, "spec.yaml", text), "spec.yaml", 8, 9, "TS105")
    assert "`optional: true`" in message


def test_python_name_outside_a_property(tmp_path: Path) -> None:
    text = (
        "toolset: pager\n"
        "tools:\n"
        "  - name: list_items\n"
        "    description: List items.\n"
        "    effect: read\n"
        "    parameters:\n"
        "      ids:\n"
        "        type: array\n"
        "        description: The items.\n"
        "        items: {type: string, python_name: item_id}\n"
    )
    message = assert_single_finding(lint_file(tmp_path, "spec.yaml", text), "spec.yaml", 10, 31, "TS105")
    assert message == "`python_name` applies to a property or parameter only, not to array items"


def test_python_name_that_is_no_string(tmp_path: Path) -> None:
    text = (
        "toolset: pager\ntools:\n  - name: list_items\n    description: List items.\n    python_name: [list_items_2]\n"
    )
    message = assert_single_finding(lint_file(tmp_path, "spec.yaml", text), "spec.yaml", 5, 18, "TS103")
    assert message == "`python_name` must be a string"


def test_oneof_without_a_type_names_oneof(tmp_path: Path) -> None:
    """The usual way to write "this or that" by mistake is oneOf instead of anyOf, with no `type`.
    The message must be about oneOf (not allowed in strict mode; use anyOf), not only a missing
    `type` that the author cannot give: the value is a string or an integer."""
    text = (
        "toolset: payments\n"
        "tools:\n"
        "  - name: refund\n"
        "    description: Refund a payment.\n"
        "    effect: destructive\n"
        "    parameters:\n"
        "      amount:\n"
        "        description: The whole payment, or an amount in cents.\n"
        "        oneOf:\n"
        "          - {type: string, enum: [full]}\n"
        "          - {type: integer, minimum: 1}\n"
    )
    result = lint_file(tmp_path, "spec.yaml", text)
    _no_traceback(result)
    assert result.returncode == 1
    found = findings(result)
    assert found, result.stdout
    assert any("oneOf" in m["message"] for m in found), f"no message mentions oneOf:\n{result.stdout}"


def test_missing_grammar_file(tmp_path: Path) -> None:
    text = (
        "toolset: queries\n"
        "tools:\n"
        "  - name: run_query\n"
        "    kind: custom\n"
        "    description: Write a SQL query.\n"
        "    format:\n"
        "      syntax: lark\n"
        "      file: grammars/sql.lark\n"
    )
    message = assert_single_finding(lint_file(tmp_path, "spec.yaml", text), "spec.yaml", 8, 13, "TS104")
    assert "'grammars/sql.lark'" in message and "No such file" in message


# --- Regexes and grammars: one clear finding per mistake -------------------------------------


_LOOKAHEAD_WITH_EXAMPLE = """\
toolset: orders
tools:
  - name: lookup_order
    description: Look up an order.
    parameters:
      order_id:
        type: string
        pattern: '^ORD-(?=[0-9])[0-9]{6}$'
        description: The order ID.
    examples:
      - {order_id: ORD-004211}
"""


def test_lookaround_is_not_also_blamed_on_a_valid_example(tmp_path: Path) -> None:
    """The pattern is the mistake (TS502); the example matches what the pattern means. The
    example must not get a TS601 of its own, least of all one spread over several lines."""
    result = lint_file(tmp_path, "orders.yaml", _LOOKAHEAD_WITH_EXAMPLE)
    _no_traceback(result)
    assert result.returncode == 1
    found = findings(result)  # fails if a message spans several lines
    assert [(int(m["line"]), int(m["column"]), m["code"]) for m in found] == [(8, 18, "TS502")], result.stdout


def test_lookaround_message_quotes_the_lookaround(tmp_path: Path) -> None:
    """The message quotes the lookaround as written: `(?=`, not `(?=[`."""
    text = _LOOKAHEAD_WITH_EXAMPLE.split("    examples:")[0]
    message = assert_single_finding(lint_file(tmp_path, "orders.yaml", text), "orders.yaml", 8, 18, "TS502")
    assert message == "the pattern uses a lookaround `(?=`, which the API does not support"


def test_regex_grammar_between_slashes_gets_one_clear_finding(tmp_path: Path) -> None:
    """Slashes around a regex grammar are TS505; they must not also produce a message about a
    lookaround the grammar does not have."""
    text = (
        "toolset: dates\n"
        "tools:\n"
        "  - name: pick_date\n"
        "    kind: custom\n"
        "    description: Answer with a date.\n"
        "    format:\n"
        "      syntax: regex\n"
        "      definition: '/^\\d{4}-\\d{2}-\\d{2}$/'\n"
    )
    result = lint_file(tmp_path, "dates.yaml", text)
    _no_traceback(result)
    assert result.returncode == 1
    found = findings(result)
    assert ("8", "19", "TS505") in [(m["line"], m["column"], m["code"]) for m in found], result.stdout
    assert "lookaround" not in result.stdout, result.stdout


# --- Files too big, paths that are not there, options that do not exist ----------------------


def test_ten_megabyte_spec_is_refused(tmp_path: Path) -> None:
    tool = "  - name: tool_{}\n    description: " + "x" * 200 + "\n"
    parts = ["toolset: big\ntools:\n"]
    size, index = len(parts[0]), 0
    while size < 10 * 1024 * 1024:
        parts.append(tool.format(index))
        size += len(parts[-1])
        index += 1
    message = assert_single_finding(lint_file(tmp_path, "big.yaml", "".join(parts)), "big.yaml", 1, 1, "TS001")
    assert "2,097,152 bytes" in message and "split it" in message


def test_size_limit_is_checked_before_the_file_is_read(tmp_path: Path) -> None:
    """A spec that is too big is refused by its size: reading it whole first would cost as much
    memory and time as the file is big (a 1 GB file took 1.1 GB and 10 s)."""
    from toolspec.spec.yaml_source import MAX_SPEC_BYTES, load_document

    huge = tmp_path / "huge.yaml"
    with huge.open("wb") as file:
        file.truncate(64 * 1024 * 1024)  # sparse: no disk space used
    tracemalloc.start()
    try:
        diagnostic = load_document(huge, "huge.yaml")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert getattr(diagnostic, "code", None) == "TS001"
    assert peak < 2 * MAX_SPEC_BYTES, f"refusing a 64 MB spec allocated {peak:,} bytes"


def test_path_that_does_not_exist(tmp_path: Path) -> None:
    result = run_toolspec("lint", str(tmp_path / "nope.yaml"), cwd=tmp_path)
    _no_traceback(result)
    assert result.returncode == 2
    assert result.stdout == ""
    assert "nope.yaml: no such file or directory" in result.stderr


def test_unknown_option(tmp_path: Path) -> None:
    result = run_toolspec("lint", "--colour", "always", str(tmp_path), cwd=tmp_path)
    _no_traceback(result)
    assert result.returncode == 2
    assert "unrecognized arguments: --colour" in result.stderr
    assert "usage: toolspec" in result.stderr


# --- generate does nothing when a spec has an error ------------------------------------------


def _tree_snapshot(root: Path) -> dict[str, bytes | None]:
    """Every file and directory below root: files with their bytes, directories as None."""
    return {p.relative_to(root).as_posix(): (p.read_bytes() if p.is_file() else None) for p in sorted(root.rglob("*"))}


def test_generate_with_a_lint_error_leaves_the_output_untouched(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.toolspec]\nspecs = "specs"\noutput = "out/toolkit"\npackage = "toolkit"\n', "utf-8"
    )
    specs = tmp_path / "specs"
    specs.mkdir()
    for name in ("shop.yaml", "weather.yaml"):
        (specs / name).write_bytes((REPO / "specs" / name).read_bytes())

    first = run_toolspec("generate", cwd=tmp_path)
    _no_traceback(first)
    assert first.returncode == 0, first.stdout + first.stderr
    output = tmp_path / "out" / "toolkit"
    before = _tree_snapshot(output)
    assert "weather/tools.py" in before and "shop/tools.py" in before

    weather = specs / "weather.yaml"
    text = weather.read_text("utf-8")
    broken = text.replace(
        "        enum: [celsius, fahrenheit]\n", "        enum: [celsius, fahrenheit]\n        format: uri\n", 1
    )
    assert broken != text
    weather.write_text(broken, "utf-8")
    line = broken.splitlines().index("        format: uri") + 1

    result = run_toolspec("generate", cwd=tmp_path)
    _no_traceback(result)
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"specs/weather.yaml:{line}:17: error: TS203 format 'uri' is not supported in strict mode" in result.stdout
    assert "nothing was generated" in result.stderr
    assert _tree_snapshot(output) == before
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["toolkit"]
