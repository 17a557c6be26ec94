"""The Makefile picks a Python that is new enough, as a fresh clone with only 3.12 or 3.13 has.

`make -n` prints the commands without running them; the pythons on the PATH are fakes that
answer the version check, so that no real interpreter or network is needed, and, where this
machine has them, real interpreters (a real 3.12 alone on the PATH is chosen).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import REPO

MAKE = shutil.which("make")
pytestmark = pytest.mark.skipif(MAKE is None, reason="make is not installed")


def _make(tmp_path: Path, pythons: dict[str, bool], *args: str) -> subprocess.CompletedProcess[str]:
    """Run make on the repository's Makefile in an empty project whose PATH holds only fake
    pythons, name -> whether it is 3.11 or newer."""
    bin_dir, project = tmp_path / "bin", tmp_path / "project"
    bin_dir.mkdir(exist_ok=True)
    project.mkdir()
    (project / "pyproject.toml").write_text("", "utf-8")
    for name, new_enough in pythons.items():
        fake = bin_dir / name
        fake.write_text(f"#!/bin/sh\nexit {0 if new_enough else 1}\n", "utf-8")
        fake.chmod(0o755)
    assert MAKE is not None
    return subprocess.run(
        [MAKE, "--no-print-directory", "-f", str(REPO / "Makefile"), "-C", str(project), *args],
        env={"PATH": str(bin_dir)},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("pythons", "chosen"),
    [
        ({"python3.12": False, "python3.11": True, "python3": True}, "python3.11"),
        ({"python3.13": True, "python3.12": True}, "python3.13"),
        ({"python3": True}, "python3"),
    ],
    ids=["an old python3.12 is skipped", "the newest comes first", "plain python3"],
)
def test_the_first_python_that_is_new_enough_creates_the_venv(
    tmp_path: Path, pythons: dict[str, bool], chosen: str
) -> None:
    result = _make(tmp_path, pythons, "-n", "generate")
    assert result.returncode == 0, result.stderr
    assert f"\n{chosen} -m venv .venv\n" in result.stdout, result.stdout


def test_python_on_the_command_line_overrides_the_search(tmp_path: Path) -> None:
    result = _make(tmp_path, {"python3.13": True}, "-n", "generate", "PYTHON=/opt/python/bin/python3.12")
    assert "\n/opt/python/bin/python3.12 -m venv .venv\n" in result.stdout, result.stdout


def test_the_install_says_what_it_does_and_shows_pip_progress(tmp_path: Path) -> None:
    result = _make(tmp_path, {"python3": True}, "-n", "test")
    assert "a minute or two" in result.stdout
    install = next(line for line in result.stdout.splitlines() if "pip install" in line)
    assert "--quiet" not in install and "-q " not in install


def test_without_a_python_that_is_new_enough_make_stops_before_touching_anything(tmp_path: Path) -> None:
    result = _make(tmp_path, {"python3.11": False, "python3": False}, "generate")
    assert result.returncode == 2
    assert "no Python 3.11 or newer on the PATH (tried python3.13 python3.12 python3.11 python3)" in result.stderr
    assert not (tmp_path / "project" / ".venv").exists()


def _real_python(version: str) -> Path | None:
    """The interpreter of Python version ("3.12") on this machine, resolved past pyenv-style
    shims (which need more than the PATH of the test), or None."""
    candidates = [shutil.which(f"python{version}"), *sorted(Path("/root/.pyenv/versions").glob(f"{version}.*/bin"))]
    candidates += [f"/usr/bin/python{version}", f"/usr/local/bin/python{version}"]
    for candidate in candidates:
        if candidate is None:
            continue
        executable = Path(candidate) / f"python{version}" if Path(candidate).is_dir() else Path(candidate)
        if not executable.is_file():
            continue
        script = "import sys; print(sys.executable); print('%d.%d' % sys.version_info[:2])"
        try:
            result = subprocess.run([str(executable), "-c", script], capture_output=True, text=True, timeout=30)
        except OSError:
            continue
        lines = result.stdout.split()
        if result.returncode == 0 and len(lines) == 2 and lines[1] == version:
            return Path(lines[0]).resolve()
    return None


PYTHON_3_12 = _real_python("3.12")


@pytest.mark.skipif(PYTHON_3_12 is None, reason="no Python 3.12 found (tried python3.12 on the PATH, pyenv, /usr)")
def test_a_real_python_3_12_alone_on_the_path_creates_the_venv(tmp_path: Path) -> None:
    """The check runs the real interpreter: the only Python on the PATH is a real 3.12, and
    python3.13, python3.11 and python3 are missing, as on a machine with only 3.12 installed."""
    assert PYTHON_3_12 is not None
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "python3.12").symlink_to(PYTHON_3_12)
    result = _make(tmp_path, {}, "-n", "generate")
    assert result.returncode == 0, result.stderr
    assert "\npython3.12 -m venv .venv\n" in result.stdout, result.stdout
    assert "Creating .venv with python3.12" in result.stdout


@pytest.mark.skipif(PYTHON_3_12 is None, reason="no Python 3.12 found (tried python3.12 on the PATH, pyenv, /usr)")
def test_a_real_python_that_is_too_old_is_passed_over_for_3_12(tmp_path: Path) -> None:
    """A real older interpreter under a newer name fails the version check and is skipped."""
    old = _real_python("3.10") or _real_python("3.9")
    if old is None:
        pytest.skip("no Python 3.9 or 3.10 found to stand in as a too-old python3.13")
    assert PYTHON_3_12 is not None
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "python3.13").symlink_to(old)
    (bin_dir / "python3.12").symlink_to(PYTHON_3_12)
    result = _make(tmp_path, {}, "-n", "generate")
    assert result.returncode == 0, result.stderr
    assert "\npython3.12 -m venv .venv\n" in result.stdout, result.stdout
