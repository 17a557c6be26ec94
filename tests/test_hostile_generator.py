"""The generator under attack (issue 19): a symbolic link in the output directory, a description
whose first line ends in a quote, text too long to count, a manifest nested too deep. Each is
refused with exit status 2 and its place, or generated as written; nothing outside the output
directory is read, written or removed."""

from __future__ import annotations

import ast
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import REPO, run_toolspec
from toolspec import cli
from toolspec.compile import tokens

WEATHER = (REPO / "specs" / "weather.yaml").read_text("utf-8")
SECRET = "root:x:0:0:root:/root:/bin/bash"


@pytest.fixture(scope="module")
def generated_once(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("generated")
    (root / "pyproject.toml").write_text('[tool.toolspec]\nspecs = "specs"\noutput = "out"\npackage = "out"\n', "utf-8")
    (root / "specs").mkdir()
    (root / "specs" / "weather.yaml").write_text(WEATHER, "utf-8")
    result = run_toolspec("generate", "-q", cwd=root)
    assert result.returncode == 0, result.stderr
    return root


@pytest.fixture
def project(generated_once: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A generated project of one toolset, as the working directory."""
    root = tmp_path / "project"
    shutil.copytree(generated_once, root, symlinks=True)
    monkeypatch.chdir(root)
    monkeypatch.setenv("TOOLSPEC_CACHE_DIR", str(tmp_path / "cache"))
    return root


def tree(directory: Path) -> dict[str, str | bytes]:
    """Every entry below directory: a link as its target (never followed), a file as its bytes."""
    found: dict[str, str | bytes] = {}
    for path in sorted(directory.rglob("*")):
        name = path.relative_to(directory).as_posix()
        if path.is_symlink():
            found[name] = f"-> {os.readlink(path)}"
        elif path.is_file():
            found[name] = path.read_bytes()
    return found


def _file_out(out: Path, elsewhere: Path) -> Path:
    (elsewhere / "passwd").write_text(SECRET + "\n", "utf-8")
    (out / "weather" / "models.py").unlink()
    (out / "weather" / "models.py").symlink_to(elsewhere / "passwd")
    return out / "weather" / "models.py"


def _manifest_out(out: Path, elsewhere: Path) -> Path:
    shutil.move(out / "toolspec.manifest.json", elsewhere / "manifest.json")
    (out / "toolspec.manifest.json").symlink_to(elsewhere / "manifest.json")
    return out / "toolspec.manifest.json"


def _directory_out(out: Path, elsewhere: Path) -> Path:
    shutil.move(out / "weather", elsewhere / "weather")
    (out / "weather").symlink_to(elsewhere / "weather")
    return out / "weather"


def _cache_out(out: Path, elsewhere: Path) -> Path:
    (elsewhere / "keep.pyc").write_text("keep me", "utf-8")
    (out / "weather" / "__pycache__").symlink_to(elsewhere)
    return out / "weather" / "__pycache__"


def _inside(out: Path, elsewhere: Path) -> Path:
    (out / "weather" / "helpers.py").symlink_to("models.py")  # a link to an owned file, inside
    return out / "weather" / "helpers.py"


def _loop(out: Path, elsewhere: Path) -> Path:
    (out / "loop").symlink_to("loop")
    return out / "loop"


def _output_itself(out: Path, elsewhere: Path) -> Path:
    shutil.move(out, elsewhere / "out")
    out.symlink_to(elsewhere / "out")
    return out


LINKS: dict[str, Callable[[Path, Path], Path]] = {
    "file": _file_out,
    "manifest": _manifest_out,
    "directory": _directory_out,
    "pycache": _cache_out,
    "inside": _inside,
    "loop": _loop,
    "output": _output_itself,
}
"""How a pull request may put a link in the output directory -> the link it makes."""


@pytest.mark.parametrize("make_link", LINKS.values(), ids=LINKS.keys())
@pytest.mark.parametrize("command", [["check"], ["check", "--no-cache"], ["generate"]])
def test_a_symbolic_link_in_the_output_stops_generate_and_check(
    project: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    make_link: Callable[[Path, Path], Path],
    command: list[str],
) -> None:
    """check must not print what a link leads to (`ln -sf /etc/passwd generated/weather/models.py`)
    and generate must not write, replace or remove through one; both name the link, exit 2."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (tmp_path / "elsewhere" / "victim.py").write_text("keep me", "utf-8")
    link = make_link(project / "out", elsewhere)
    (project / "specs" / "weather.yaml").write_text(WEATHER.replace("Retrieves", "Fetches"), "utf-8")
    before = tree(project), tree(elsewhere)
    capsys.readouterr()
    assert cli.main(command) == 2
    out, err = capsys.readouterr()
    assert str(link) in err and "symbolic link" in err, err
    assert "root:x" not in out + err and "keep me" not in out + err
    assert (tree(project), tree(elsewhere)) == before


def test_a_manifest_linked_to_a_fifo_is_never_opened(project: Path, tmp_path: Path) -> None:
    """Opening a FIFO for reading waits for a writer: a run that opened the link would hang."""
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    manifest = project / "out" / "toolspec.manifest.json"
    manifest.unlink()
    manifest.symlink_to(fifo)
    for command in ("check", "generate"):
        result = subprocess.run(
            [sys.executable, "-m", "toolspec", command], cwd=project, capture_output=True, text=True, timeout=60
        )
        assert result.returncode == 2 and str(manifest) in result.stderr, result.stderr


def _spec_with(description: str, enum_value: str = "celsius") -> str:
    """A toolset and its one tool, both described by description: the tool's at 5:18, its
    parameters at 7:7."""
    text, value = json.dumps(description), json.dumps(enum_value)  # JSON strings are YAML's
    return (
        f"toolset: answers\ndescription: {text}\ntools:\n  - name: answer\n    description: {text}\n"
        f"    parameters:\n      unit: {{type: string, enum: [{value}], description: The unit.}}\n"
    )


@pytest.mark.parametrize("end", ['"', '""', '"""', "\\", '\\"', '" ', "'''"])
def test_a_first_line_ending_in_a_quote_or_backslash_is_generated(project: Path, end: str) -> None:
    """The first line of a description is a handler's one-line docstring: escaped as that line,
    not as the whole text, whose end is elsewhere."""
    (project / "specs" / "weather.yaml").write_text(_spec_with(f'Reply with "yes{end}\nor with "no".'), "utf-8")
    assert cli.main(["generate", "-q"]) == 0
    handlers = ast.parse((project / "out" / "answers" / "handlers.py").read_text("utf-8"))
    handlers_class = next(n for n in handlers.body if isinstance(n, ast.ClassDef) and n.name == "AnswersHandlers")
    method = next(n for n in handlers_class.body if isinstance(n, ast.FunctionDef) and n.name == "answer")
    first_line = f'Reply with "yes{end}'.rstrip()
    assert (ast.get_docstring(handlers_class) or "").rstrip().endswith(f"answers: {first_line}")
    assert (ast.get_docstring(method) or "").rstrip() == first_line
    assert cli.main(["check", "-q"]) == 0


RUN = tokens.MAX_RUN + 1


@pytest.mark.parametrize(
    ("spec", "place", "message"),
    [
        (_spec_with("a" * 1_000_000), "5:18", "the description of tool 'answer' has 1,000,000 letters in a row"),
        (_spec_with(f"a {'.' * RUN} b"), "5:18", f"the description of tool 'answer' has {RUN:,} punctuation marks"),
        (_spec_with(f"a{' ' * RUN}b"), "5:18", f"the description of tool 'answer' has {RUN:,} white-space characters"),
        (_spec_with("Answer.", "日" * RUN), "7:7", f"a text in the parameters of tool 'answer' has {RUN:,} letters"),
    ],
    ids=["million-letters", "signs", "white-space", "enum-value"],
)
def test_text_too_long_to_count_is_refused_at_its_place(
    project: Path, capsys: pytest.CaptureFixture[str], spec: str, place: str, message: str
) -> None:
    """harmony panics on a million letters in a row, and takes seconds on 40,000: such a run
    stops lint and generate (exit 2) where it is, before any output is written."""
    shutil.rmtree(project / "out")
    (project / "specs" / "weather.yaml").write_text(spec, "utf-8")
    for command in ("lint", "generate"):
        capsys.readouterr()
        assert cli.main([command]) == 2, command
        err = capsys.readouterr().err
        assert f"toolspec: error: specs/weather.yaml:{place}: {message}" in err, err
        assert "break it up" in err and "Traceback" not in err
    assert not (project / "out").exists()


def test_a_run_of_the_longest_length_counted_is_counted(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "specs" / "weather.yaml").write_text(_spec_with("a" * tokens.MAX_RUN), "utf-8")
    assert cli.main(["lint", "-q", "--select", "TS405"]) == 0, capsys.readouterr().err


def test_a_manifest_nested_too_deep_is_refused_at_its_place(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Python's json ends in a RecursionError near 1,000 levels: the depth is checked first."""
    manifest = project / "out" / "toolspec.manifest.json"
    manifest.write_text("[" * 100_000 + "]" * 100_000, "utf-8")
    (project / "specs" / "weather.yaml").write_text(WEATHER.replace("Retrieves", "Fetches"), "utf-8")
    before = tree(project)
    for command in (["generate"], ["check"], ["check", "--no-cache"]):
        capsys.readouterr()
        assert cli.main(command) == 2, command
        err = capsys.readouterr().err
        assert f"the manifest {manifest} is unreadable (nested more than 32 levels deep at line 1 column 33)" in err
    assert tree(project) == before
