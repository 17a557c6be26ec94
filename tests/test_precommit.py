"""The hooks of .pre-commit-hooks.yaml, run by pre-commit in a temporary repository that uses them.

pre-commit installs toolspec into an environment of its own, as it does for a user: from a copy of
this repository's working tree (committed in a repository of its own), with pip. That takes about
twenty seconds; the three scenarios then take a few seconds each. pre-commit's home is kept in
pytest's cache: a run whose copy is the same commit as the last run's (the same files, committed
at a fixed date) reuses the environment installed then, as pre-commit does for a user whose
`rev` did not move.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, run_toolspec

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("pre_commit") is None or shutil.which("git") is None,
    reason="pre-commit (in the dev extras: pip install -e '.[dev]') and git are needed to run the hooks",
)

SPEC = """\
toolset: notes
description: The user's notes.
tools:
  - name: add_note
    description: Adds a note to the user's notes.
    effect: write
    parameters:
      text:
        type: string
        description: The note's text.
"""


def _env(home: Path) -> dict[str, str]:
    """The environment of git and pre-commit: no GIT_* of an enclosing hook, a fixed author."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("GIT_")}
    identity = {"GIT_AUTHOR_NAME": "test", "GIT_AUTHOR_EMAIL": "test@example.com"}
    identity |= {"GIT_COMMITTER_NAME": "test", "GIT_COMMITTER_EMAIL": "test@example.com"}
    return env | identity | {"PRE_COMMIT_HOME": str(home), "PIP_DISABLE_PIP_VERSION_CHECK": "1"}


def _git(*args: str, cwd: Path, env: dict[str, str]) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, f"git {' '.join(args)}: {done.stderr}"
    return done.stdout


def _snapshot(destination: Path, env: dict[str, str]) -> str:
    """Commit this repository's working tree (tracked and untracked files, less the ignored ones)
    as a new repository at destination, so that the hooks tested are the ones being edited; the
    same files give the same commit."""
    env = env | {"GIT_AUTHOR_DATE": "2026-01-01T00:00:00Z", "GIT_COMMITTER_DATE": "2026-01-01T00:00:00Z"}
    listed = _git("ls-files", "-z", "--cached", "--others", "--exclude-standard", cwd=REPO, env=env)
    for name in filter(None, listed.split("\0")):
        source = REPO / name
        if source.is_file() or source.is_symlink():
            (destination / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, destination / name, follow_symlinks=False)
    _git("init", "-q", cwd=destination, env=env)
    _git("add", "-A", cwd=destination, env=env)
    _git("commit", "-q", "--no-verify", "-m", "snapshot", cwd=destination, env=env)
    return _git("rev-parse", "HEAD", cwd=destination, env=env).strip()


def _config(hooks_repo: Path, rev: str) -> str:
    return (
        f"repos:\n  - repo: {hooks_repo}\n    rev: {rev}\n"
        "    hooks:\n      - id: toolspec-lint\n      - id: toolspec-check\n"
    )


def _pre_commit(*args: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "pre_commit", *args, "--color", "never"]
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=600, check=False)


def _project(root: Path, config: str, env: dict[str, str]) -> Path:
    """A committed git repository with a toolspec project: a spec, its generated code, and the hooks."""
    (root / "specs").mkdir(parents=True)
    (root / "pyproject.toml").write_text('[tool.toolspec]\nspecs = "specs"\noutput = "generated"\n')
    (root / "specs" / "notes.yaml").write_text(SPEC)
    (root / ".pre-commit-config.yaml").write_text(config)
    generated = run_toolspec("generate", "--quiet", cwd=root)
    assert generated.returncode == 0, generated.stdout + generated.stderr
    _git("init", "-q", cwd=root, env=env)
    _git("add", "-A", cwd=root, env=env)
    _git("commit", "-q", "--no-verify", "-m", "project", cwd=root, env=env)
    return root


def _install(root: Path, cache: Path, env: dict[str, str]) -> str:
    """The configuration that uses the hooks, once pre-commit has installed them into env's
    PRE_COMMIT_HOME (in cache): toolspec and its dependencies, with pip, as for a user. The home
    holds the environment of the last commit only: another commit starts it afresh."""
    hooks_repo = cache / "hooks-repo"
    shutil.rmtree(hooks_repo, ignore_errors=True)
    hooks_repo.mkdir(parents=True)
    rev = _snapshot(hooks_repo, env)
    home, installed_rev = Path(env["PRE_COMMIT_HOME"]), cache / "installed-rev"
    if not installed_rev.exists() or installed_rev.read_text("utf-8") != rev:
        shutil.rmtree(home, ignore_errors=True)
        installed_rev.unlink(missing_ok=True)
    config = _config(hooks_repo, rev)
    installed = _pre_commit("install-hooks", cwd=_project(root / "install", config, env), env=env)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    installed_rev.write_text(rev, "utf-8")
    return config


def _a_valid_project_passes_both_hooks(project: Path, env: dict[str, str]) -> None:
    done = _pre_commit("run", "--all-files", cwd=project, env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "toolspec lint......" in done.stdout and "toolspec check......" in done.stdout
    assert done.stdout.count("Passed") == 2, done.stdout

    # A YAML file outside specs/ is not a spec: lint leaves it alone, check still runs.
    (project / "compose.yaml").write_text("services: [not, a, spec\n")
    _git("add", "compose.yaml", cwd=project, env=env)
    done = _pre_commit("run", cwd=project, env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "toolspec lint" in done.stdout and "(no files to check)Skipped" in done.stdout
    assert "toolspec check" in done.stdout and "Passed" in done.stdout


def _a_broken_spec_fails_lint_at_its_line(project: Path, env: dict[str, str]) -> None:
    (project / "specs" / "notes.yaml").write_text(SPEC.replace("type: string", "type: strin"))
    _git("add", "specs/notes.yaml", cwd=project, env=env)
    done = _pre_commit("run", "toolspec-lint", cwd=project, env=env)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "toolspec lint" in done.stdout and "Failed" in done.stdout
    assert "specs/notes.yaml:9:15: error: TS106 unknown type `strin`" in done.stdout


def _a_spec_changed_without_generating_fails_check(project: Path, env: dict[str, str]) -> None:
    (project / "specs" / "notes.yaml").write_text(SPEC.replace("The note's text.", "The text of the note."))
    _git("add", "specs/notes.yaml", cwd=project, env=env)
    done = _pre_commit("run", cwd=project, env=env)
    assert done.returncode == 1, done.stdout + done.stderr
    lint, check = done.stdout.split("toolspec check", 1)
    assert "Passed" in lint
    assert "Failed" in check and "generated/notes/tools.py" in check, done.stdout


def test_the_hooks_in_a_repository_that_uses_them(tmp_path: Path, request: pytest.FixtureRequest) -> None:
    """One test, so that one xdist worker installs the hooks while the other runs other tests."""
    pytest_cache = getattr(request.config, "cache", None)  # None with -p no:cacheprovider
    cache = pytest_cache.mkdir("pre-commit") if pytest_cache is not None else tmp_path / "pre-commit"
    env = _env(cache / "home")
    config = _install(tmp_path, cache, env)
    _a_valid_project_passes_both_hooks(_project(tmp_path / "valid", config, env), env)
    _a_broken_spec_fails_lint_at_its_line(_project(tmp_path / "broken", config, env), env)
    _a_spec_changed_without_generating_fails_check(_project(tmp_path / "stale", config, env), env)
