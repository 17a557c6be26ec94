"""The command line as a user runs it: output formats, exit statuses, suppressions,
configuration, and the `schema`, `rule` and `--version` commands. The lint of the repository's
specs, `--version` and the broken specs' snapshot run `python -m toolspec` as a user does; the
other commands run cli.main in the test's process (conftest.run_toolspec_here), which says the
same."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from conftest import REPO, parse_text_findings, run_toolspec, run_toolspec_here
from toolspec import __version__
from toolspec.cli.codes import CODES
from toolspec.lint.rule import DOC_SECTIONS
from toolspec.lint.rules import BY_CODE
from toolspec.spec.yaml_source import Document, load_document

SPECS = REPO / "specs"

# One error (TS203 on line 11) and one warning (TS402 on line 12).
ERROR_AND_WARNING = """\
toolset: bookmarks
description: Saved links.
tools:
  - name: save_bookmark
    description: Save a link for later.
    effect: write
    parameters:
      url:
        type: string
        description: The page to save.
        format: uri
      tags:
        type: array
        items: {type: string, description: A tag.}
"""

# Only a warning: TS402 on line 8.
WARNING_ONLY = """\
toolset: lights
description: Smart lights.
tools:
  - name: dim
    description: Dim the lights.
    effect: write
    parameters:
      level:
        type: integer
        minimum: 0
        maximum: 100
"""


def _no_traceback(result: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in result.stdout + result.stderr, result.stdout + result.stderr


def project(tmp_path: Path, specs: dict[str, str], config: str = "") -> Path:
    """A project in tmp_path: pyproject.toml with [tool.toolspec] (plus config) and specs/."""
    (tmp_path / "pyproject.toml").write_text(f"[tool.toolspec]\n{config}", "utf-8")
    (tmp_path / "specs").mkdir(exist_ok=True)
    for name, text in specs.items():
        (tmp_path / "specs" / name).write_text(text, "utf-8")
    return tmp_path


def lint(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    result = run_toolspec_here("lint", *args, cwd=root)
    _no_traceback(result)
    return result


def text_findings(stdout: str) -> list[tuple[str, int, int, str]]:
    return [(m["path"], int(m["line"]), int(m["column"]), m["code"]) for m in parse_text_findings(stdout)]


# --- The repository's own specs -----------------------------------------------------------------


def test_lint_of_the_repository_specs_is_clean() -> None:
    result = run_toolspec("lint", "specs", cwd=REPO)
    _no_traceback(result)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""
    count = len(list(SPECS.glob("*.yaml")))
    assert result.stderr.strip() == f"All checks passed ({count} spec files)."


def test_lint_without_paths_lints_the_configured_specs() -> None:
    result = lint(REPO)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "All checks passed" in result.stderr


# --- Output formats -----------------------------------------------------------------------------


def test_text_format(tmp_path: Path) -> None:
    root = project(tmp_path, {"bookmarks.yaml": ERROR_AND_WARNING})
    result = lint(root)
    assert result.returncode == 1
    assert text_findings(result.stdout) == [
        ("specs/bookmarks.yaml", 11, 17, "TS203"),
        ("specs/bookmarks.yaml", 12, 7, "TS402"),
    ]
    assert result.stderr.strip() == "Found 1 error and 1 warning in 1 spec file."


def test_text_format_says_the_severity_and_shows_the_source_line(tmp_path: Path) -> None:
    root = project(tmp_path, {"bookmarks.yaml": ERROR_AND_WARNING})
    result = lint(root)
    assert result.stdout == (
        "specs/bookmarks.yaml:11:17: error: TS203 format 'uri' is not supported in strict mode: use one of "
        "date-time, time, date, duration, email, hostname, ipv4, ipv6, uuid\n"
        "   |\n"
        "11 |         format: uri\n"
        "   |                 ^^^\n"
        "\n"
        "specs/bookmarks.yaml:12:7: warning: TS402 `tags` has no description\n"
        "   |\n"
        "12 |       tags:\n"
        "   |       ^^^^\n"
    )
    concise = lint(root, "--format", "concise")
    assert concise.stdout.splitlines() == [line for line in result.stdout.splitlines() if line[:1].isalpha()]
    (tmp_path / "w").mkdir()
    warning_only = project(tmp_path / "w", {"bookmarks.yaml": ERROR_AND_WARNING.replace("        format: uri\n", "")})
    assert lint(warning_only).stderr.strip() == "Found 0 errors and 1 warning in 1 spec file."


def test_json_format(tmp_path: Path) -> None:
    root = project(tmp_path, {"bookmarks.yaml": ERROR_AND_WARNING})
    result = lint(root, "--format", "json")
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert isinstance(report, list)
    assert [set(item) for item in report] == [{"path", "line", "column", "code", "severity", "message"}] * 2
    assert [(d["path"], d["line"], d["column"], d["code"], d["severity"]) for d in report] == [
        ("specs/bookmarks.yaml", 11, 17, "TS203", "error"),
        ("specs/bookmarks.yaml", 12, 7, "TS402", "warning"),
    ]
    assert all(isinstance(d["message"], str) and d["message"] for d in report)
    assert "format 'uri' is not supported" in report[0]["message"]
    assert result.stderr == "", "JSON output has no summary line"


def test_json_format_of_a_clean_run_is_an_empty_list() -> None:
    result = lint(REPO, "specs", "--format", "json")
    assert result.returncode == 0
    assert json.loads(result.stdout) == []


def test_github_format(tmp_path: Path) -> None:
    root = project(tmp_path, {"bookmarks.yaml": ERROR_AND_WARNING})
    result = lint(root, "--format", "github")
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 2, result.stdout
    assert lines[0].startswith("::error file=specs/bookmarks.yaml,line=11,col=17,title=TS203::TS203 format 'uri'")
    assert lines[1].startswith("::warning file=specs/bookmarks.yaml,line=12,col=7,title=TS402::TS402 ")


def test_github_format_escapes_what_would_end_a_property(tmp_path: Path) -> None:
    """A comma or colon in the path would end the `file=` property of the workflow command."""
    root = project(tmp_path, {})
    odd = root / "specs" / "a,b:c.yaml"
    odd.write_text(WARNING_ONLY, "utf-8")
    result = lint(root, "--format", "github")
    assert result.stdout.startswith("::warning file=specs/a%2Cb%3Ac.yaml,line=8,col=7,"), result.stdout


def test_unknown_format_is_a_usage_error(tmp_path: Path) -> None:
    result = lint(project(tmp_path, {"lights.yaml": WARNING_ONLY}), "--format", "xml")
    assert result.returncode == 2
    assert "invalid choice: 'xml'" in result.stderr


# --- Exit statuses ------------------------------------------------------------------------------


def test_exit_status_0_when_clean(tmp_path: Path) -> None:
    clean = WARNING_ONLY.replace(
        "        maximum: 100\n", "        maximum: 100\n        description: Brightness in percent.\n"
    )
    result = lint(project(tmp_path, {"lights.yaml": clean}))
    assert result.returncode == 0, result.stdout


def test_exit_status_1_for_errors(tmp_path: Path) -> None:
    assert lint(project(tmp_path, {"bookmarks.yaml": ERROR_AND_WARNING})).returncode == 1


def test_exit_status_1_for_warnings_only(tmp_path: Path) -> None:
    result = lint(project(tmp_path, {"lights.yaml": WARNING_ONLY}))
    assert result.returncode == 1
    assert text_findings(result.stdout) == [("specs/lights.yaml", 8, 7, "TS402")]
    assert "Found 0 errors and 1 warning" in result.stderr


def test_exit_status_2_for_a_missing_path(tmp_path: Path) -> None:
    result = lint(project(tmp_path, {}), "specs/nope.yaml")
    assert result.returncode == 2
    assert "toolspec: error: specs/nope.yaml: no such file or directory" in result.stderr


def test_exit_status_2_for_an_unknown_option(tmp_path: Path) -> None:
    """The command's own usage and name, as `toolspec lint -h` gives it, not the top-level one."""
    result = lint(project(tmp_path, {}), "--fix")
    assert result.returncode == 2
    assert result.stderr.startswith("usage: toolspec lint [-h]"), result.stderr
    assert result.stderr.endswith("toolspec lint: error: unrecognized arguments: --fix\n")
    assert "COMMAND" not in result.stderr


def test_exit_status_2_for_a_file_that_is_no_spec(tmp_path: Path) -> None:
    root = project(tmp_path, {})
    (root / "app").mkdir()
    (root / "app" / "notes.py").write_text("NOTES: list[str] = []\n", "utf-8")
    result = lint(root, "app/notes.py")
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (
        "toolspec: error: app/notes.py is not a spec file: spec files are YAML, named *.yaml or *.yml\n"
    )


def test_exit_status_2_when_specs_names_a_file(tmp_path: Path) -> None:
    root = project(tmp_path, {"lights.yaml": WARNING_ONLY}, 'specs = "specs/lights.yaml"\n')
    for command in ("lint", "generate", "check"):
        result = run_toolspec_here(command, cwd=root)
        assert result.returncode == 2, result.stderr
        assert result.stderr == (
            "toolspec: error: `specs` names the file specs/lights.yaml: it is the directory that holds the spec "
            f"files (set `specs` in [tool.toolspec] of {root / 'pyproject.toml'} to that directory; "
            "`toolspec lint specs/lights.yaml` lints one file)\n"
        )


def test_exit_status_2_for_a_missing_specs_directory(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.toolspec]\nspecs = "toolspecs"\n', "utf-8")
    result = lint(tmp_path)
    assert result.returncode == 2
    pyproject = tmp_path / "pyproject.toml"
    assert (
        f"the specs directory toolspecs does not exist (set `specs` in [tool.toolspec] of {pyproject})" in result.stderr
    )


def test_exit_status_2_for_an_unreadable_pyproject(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.toolspec\n", "utf-8")
    result = lint(tmp_path)
    assert result.returncode == 2
    assert "pyproject.toml: cannot read it" in result.stderr


def test_exit_status_2_when_the_output_path_is_a_file(tmp_path: Path) -> None:
    """An I/O problem with the output is exit status 2, and the message says what is wrong:
    the output path is a file, not that a manifest inside it is unreadable."""
    root = project(
        tmp_path, {"weather.yaml": (SPECS / "weather.yaml").read_text("utf-8")}, 'output = "gen"\npackage = "gen"\n'
    )
    (root / "gen").write_text("not a directory\n", "utf-8")
    result = run_toolspec_here("generate", cwd=root)
    _no_traceback(result)
    assert result.returncode == 2, (result.returncode, result.stderr)
    assert "not a directory" in result.stderr.lower()
    assert "manifest" not in result.stderr, result.stderr


# --- Suppression comments -----------------------------------------------------------------------


def _with_comment_on_line_8(comment: str) -> str:
    lines = WARNING_ONLY.splitlines(keepends=True)
    assert lines[7] == "      level:\n"
    lines[7] = f"      level:  {comment}\n"
    return "".join(lines)


def test_suppression_with_a_reason_removes_the_finding(tmp_path: Path) -> None:
    spec = _with_comment_on_line_8("# toolspec: ignore[TS402] the range says what it is")
    result = lint(project(tmp_path, {"lights.yaml": spec}))
    assert result.returncode == 0, result.stdout
    assert result.stdout == ""


def test_suppression_without_a_reason_is_ts901(tmp_path: Path) -> None:
    spec = _with_comment_on_line_8("# toolspec: ignore[TS402]")
    result = lint(project(tmp_path, {"lights.yaml": spec}))
    assert result.returncode == 1
    # The finding stays, and the comment itself is an error.
    assert text_findings(result.stdout) == [("specs/lights.yaml", 8, 7, "TS402"), ("specs/lights.yaml", 8, 15, "TS901")]
    assert "needs a reason" in result.stdout


def test_unused_suppression_is_ts902(tmp_path: Path) -> None:
    spec = _with_comment_on_line_8("# toolspec: ignore[TS402,TS201] the range says what it is")
    result = lint(project(tmp_path, {"lights.yaml": spec}))
    assert result.returncode == 1
    assert text_findings(result.stdout) == [("specs/lights.yaml", 8, 15, "TS902")]
    assert "unused suppression: no TS201 finding on this line" in result.stdout


def test_suppression_on_another_line_does_not_apply(tmp_path: Path) -> None:
    spec = WARNING_ONLY.replace(
        "        type: integer\n", "        type: integer  # toolspec: ignore[TS402] not here\n"
    )
    result = lint(project(tmp_path, {"lights.yaml": spec}))
    assert text_findings(result.stdout) == [("specs/lights.yaml", 8, 7, "TS402"), ("specs/lights.yaml", 9, 24, "TS902")]


def test_hidden_files_and_directories_in_a_searched_directory_are_skipped(tmp_path: Path) -> None:
    root = project(tmp_path, {"lights.yaml": WARNING_ONLY, ".lights.old.yaml": WARNING_ONLY})
    (root / "specs" / ".cache").mkdir()
    (root / "specs" / ".cache" / "lights.yaml").write_text(WARNING_ONLY, "utf-8")
    result = lint(root)
    assert text_findings(result.stdout) == [("specs/lights.yaml", 8, 7, "TS402")]
    assert "in 1 spec file." in result.stderr
    named = lint(root, "specs/.lights.old.yaml")
    assert text_findings(named.stdout) == [("specs/.lights.old.yaml", 8, 7, "TS402")]
    assert text_findings(lint(root / "specs", ".cache").stdout) == [(".cache/lights.yaml", 8, 7, "TS402")]


# --- Configuration ------------------------------------------------------------------------------


def test_a_pyproject_without_the_section_is_skipped(tmp_path: Path) -> None:
    """A sub-project's own pyproject.toml must not hide [tool.toolspec] above it."""
    root = project(tmp_path, {}, 'specs = "toolspecs"\n')
    (root / "toolspecs").mkdir()
    (root / "toolspecs" / "lights.yaml").write_text(WARNING_ONLY, "utf-8")
    sub = root / "service"
    sub.mkdir()
    (sub / "pyproject.toml").write_text('[project]\nname = "service"\n[tool]\nblack = {}\n', "utf-8")
    result = lint(sub)
    assert result.returncode == 1, result.stderr
    assert text_findings(result.stdout) == [("../toolspecs/lights.yaml", 8, 7, "TS402")]


def test_without_any_section_the_defaults_apply_in_the_working_directory(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "outer"\ntool = 1\n', "utf-8")
    (tmp_path / "specs").mkdir()
    (tmp_path / "specs" / "lights.yaml").write_text(WARNING_ONLY, "utf-8")
    sub = tmp_path / "inner"
    (sub / "specs").mkdir(parents=True)
    (sub / "specs" / "bookmarks.yaml").write_text(ERROR_AND_WARNING, "utf-8")
    assert [finding[0] for finding in text_findings(lint(sub).stdout)] == ["specs/bookmarks.yaml"] * 2
    missing = lint(tmp_path / "specs")
    assert missing.returncode == 2
    assert (
        f"set `specs` in [tool.toolspec] of a pyproject.toml; none was found in {tmp_path / 'specs'} or above"
        in missing.stderr
    )


def test_ignore_in_pyproject(tmp_path: Path) -> None:
    root = project(tmp_path, {"bookmarks.yaml": ERROR_AND_WARNING}, 'ignore = ["TS402"]\n')
    result = lint(root)
    assert result.returncode == 1
    assert text_findings(result.stdout) == [("specs/bookmarks.yaml", 11, 17, "TS203")]


def test_ignore_the_only_finding_gives_a_clean_run(tmp_path: Path) -> None:
    root = project(tmp_path, {"lights.yaml": WARNING_ONLY}, 'ignore = ["TS402"]\n')
    result = lint(root)
    assert result.returncode == 0, result.stdout
    assert result.stdout == ""


def test_select_in_pyproject(tmp_path: Path) -> None:
    root = project(tmp_path, {"bookmarks.yaml": ERROR_AND_WARNING}, 'select = ["TS4"]\n')
    # Only TS4xx, and the backstop, which no selection turns off: the API refuses `format: uri`.
    assert text_findings(lint(root).stdout) == [
        ("specs/bookmarks.yaml", 7, 5, "TS506"),
        ("specs/bookmarks.yaml", 12, 7, "TS402"),
    ]


def test_unknown_configuration_key_is_an_error_with_a_suggestion(tmp_path: Path) -> None:
    root = project(tmp_path, {"lights.yaml": WARNING_ONLY}, 'ignroe = ["TS402"]\n')
    result = lint(root)
    assert result.returncode == 2
    assert result.stdout == ""
    assert "[tool.toolspec] has an unknown key `ignroe` (did you mean `ignore`?)" in result.stderr


def test_unknown_rule_code_is_an_error_with_a_suggestion(tmp_path: Path) -> None:
    """A mistyped code (letter O for zero) must not turn a rule off, and the message should
    suggest the code that was meant, as it does for a mistyped key."""
    root = project(tmp_path, {"lights.yaml": WARNING_ONLY}, 'ignore = ["TS4O2"]\n')
    result = lint(root)
    assert result.returncode == 2
    assert result.stdout == ""
    assert "'TS4O2'" in result.stderr
    assert "TS402" in result.stderr, f"no suggestion: {result.stderr}"


def test_empty_rule_code_does_not_turn_every_rule_off(tmp_path: Path) -> None:
    """ "" is a prefix of every code: as an ignore entry it would silently disable all rules."""
    root = project(tmp_path, {"bookmarks.yaml": ERROR_AND_WARNING}, 'ignore = [""]\n')
    result = lint(root)
    assert result.returncode == 2, f"exit {result.returncode}: {result.stdout}{result.stderr}"
    assert "ignore" in result.stderr


@pytest.mark.parametrize("code", ["TS1", "TS10", "TS102"])
def test_ignoring_reading_codes_says_they_cannot_be_turned_off(tmp_path: Path, code: str) -> None:
    root = project(tmp_path, {"lights.yaml": WARNING_ONLY}, f'ignore = ["{code}"]\n')
    result = lint(root)
    assert result.returncode == 2
    assert result.stdout == ""
    assert "no rule code" not in result.stderr
    assert f"ignore names '{code}'" in result.stderr and "pyproject.toml" in result.stderr, result.stderr
    assert "TS102" in result.stderr and "cannot be turned off" in result.stderr, result.stderr
    if code == "TS1":
        assert "TS101, TS102, TS103, TS104, TS105, TS106, TS107 cannot be turned off" in result.stderr


def test_ignoring_the_unused_suppression_warning_does_not_call_it_an_error(tmp_path: Path) -> None:
    root = project(tmp_path, {"lights.yaml": WARNING_ONLY}, 'ignore = ["TS9"]\n')
    result = lint(root)
    assert result.returncode == 2
    message = result.stderr
    assert "TS901, TS902 cannot be turned off" in message, message
    assert "TS901 is an error" in message and "TS902 is a warning" in message, message
    (tmp_path / "alone").mkdir()
    alone = lint(project(tmp_path / "alone", {"lights.yaml": WARNING_ONLY}, 'ignore = ["TS902"]\n'))
    assert alone.returncode == 2
    assert "TS902 is a warning" in alone.stderr and "errors" not in alone.stderr, alone.stderr


# --- toolspec schema ----------------------------------------------------------------------------


def _schema() -> dict[str, object]:
    result = run_toolspec_here("schema", cwd=REPO)
    _no_traceback(result)
    assert result.returncode == 0
    schema: dict[str, object] = json.loads(result.stdout)
    return schema


def _document(path: Path) -> Document:
    document = load_document(path, path.name)
    assert isinstance(document, Document), document
    return document


@pytest.mark.parametrize("spec", sorted(SPECS.glob("*.yaml")), ids=lambda p: p.name)
def test_schema_validates_every_repository_spec(spec: Path) -> None:
    schema = _schema()
    Draft202012Validator.check_schema(schema)
    errors = list(Draft202012Validator(schema).iter_errors(_document(spec).data))
    assert not errors, [error.message for error in errors]


def test_schema_rejects_a_misspelt_key(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text("toolset: a\ntools:\n  - name: x\n    descripton: X.\n", "utf-8")
    assert not Draft202012Validator(_schema()).is_valid(_document(spec).data)


# --- toolspec rule ------------------------------------------------------------------------------


def test_rule_prints_the_rule_page() -> None:
    result = run_toolspec_here("rule", "TS201", cwd=REPO)
    _no_traceback(result)
    assert result.returncode == 0
    assert result.stdout.startswith("# TS201 free-form-object (error)\n")
    for section in DOC_SECTIONS:
        assert section in result.stdout
    assert BY_CODE["TS201"].doc.strip() in result.stdout


def test_rule_code_is_case_insensitive() -> None:
    result = run_toolspec_here("rule", "ts201", cwd=REPO)
    assert result.returncode == 0
    assert result.stdout.startswith("# TS201 ")


def test_rule_all_lists_every_code() -> None:
    result = run_toolspec_here("rule", "--all", cwd=REPO)
    _no_traceback(result)
    assert result.returncode == 0
    listed = [line.split()[0] for line in result.stdout.splitlines() if line.strip()]
    assert listed == list(CODES)
    assert {"TS009", "TS102", "TS201", "TS902"} <= set(listed)
    for code, line in zip(CODES.values(), result.stdout.splitlines(), strict=True):
        assert code.name in line and code.severity.value in line


@pytest.mark.parametrize("code", ["TS009", "TS102", "TS107", "TS901"])
def test_rule_explains_the_codes_of_reading_a_spec(code: str) -> None:
    result = run_toolspec_here("rule", code, cwd=REPO)
    _no_traceback(result)
    assert result.returncode == 0
    assert result.stdout.startswith(f"# {code} {CODES[code].name} ")
    assert "## How to fix" in result.stdout


def test_unknown_rule_is_a_usage_error() -> None:
    result = run_toolspec_here("rule", "TS999", cwd=REPO)
    _no_traceback(result)
    assert result.returncode == 2
    assert "no code 'TS999'" in result.stderr and "toolspec rule --all" in result.stderr


# --- --version ----------------------------------------------------------------------------------


def test_version(tmp_path: Path) -> None:
    result = run_toolspec("--version", cwd=tmp_path)
    _no_traceback(result)
    assert result.returncode == 0
    assert result.stdout.strip() == f"toolspec {__version__}"


# --- Several paths ------------------------------------------------------------------------------


def test_lint_accepts_several_files_and_directories(tmp_path: Path) -> None:
    root = project(tmp_path, {"lights.yaml": WARNING_ONLY})
    more = root / "more" / "deeper"
    more.mkdir(parents=True)
    (more / "bookmarks.yml").write_text(ERROR_AND_WARNING, "utf-8")
    (more / "notes.txt").write_text("not a spec\n", "utf-8")
    single = root / "single.yaml"
    single.write_bytes((SPECS / "weather.yaml").read_bytes())
    result = lint(root, "specs", "more", "single.yaml")
    assert result.returncode == 1
    assert text_findings(result.stdout) == [
        ("more/deeper/bookmarks.yml", 11, 17, "TS203"),
        ("more/deeper/bookmarks.yml", 12, 7, "TS402"),
        ("specs/lights.yaml", 8, 7, "TS402"),
    ]
    assert result.stderr.strip() == "Found 1 error and 2 warnings in 3 spec files."


def test_lint_of_the_repository_specs_and_the_broken_ones() -> None:
    result = lint(REPO, "specs", "tests/broken/unknown_type.yaml", "specs/shop.yaml")
    assert result.returncode == 1
    assert text_findings(result.stdout) == [("tests/broken/unknown_type.yaml", 9, 15, "TS106")]
    count = len(list(SPECS.glob("*.yaml"))) + 1
    assert f"in {count} spec files." in result.stderr


def test_a_file_named_twice_is_linted_once(tmp_path: Path) -> None:
    """The same file reached through the directory and through its absolute path is one toolset,
    not a toolset defined twice (TS107)."""
    root = project(tmp_path, {"weather.yaml": (SPECS / "weather.yaml").read_text("utf-8")})
    result = lint(root, "specs", str(root / "specs" / "weather.yaml"), "./specs/weather.yaml")
    assert result.returncode == 0, result.stdout
    assert result.stderr.strip() == "All checks passed (1 spec file)."


# --- The broken-spec snapshot -------------------------------------------------------------------


def test_broken_specs_snapshot() -> None:
    """tests/broken/ holds small specs, each with a realistic mistake; expected.txt is the exact
    stdout of `toolspec lint tests/broken` run from the repository root. Every line of it has
    been read and checked: the right code, line and column, and a clear message.

    To regenerate it after a deliberate change (then read the diff line by line):

        cd <repository root> && .venv/bin/toolspec lint tests/broken > tests/broken/expected.txt
    """
    expected = (REPO / "tests" / "broken" / "expected.txt").read_text("utf-8")
    result = run_toolspec("lint", "tests/broken", cwd=REPO)
    _no_traceback(result)
    assert result.returncode == 1
    assert result.stdout == expected
    specs = len(list((REPO / "tests" / "broken").glob("*.yaml")))
    assert result.stderr.endswith(f"in {specs} spec files.\n")
