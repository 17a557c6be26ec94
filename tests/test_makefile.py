"""The Makefile picks a Python that is new enough, as a fresh clone with only 3.12 or 3.13 has.

`make -n` prints the commands without running them; the pythons on the PATH are fakes that
answer the version check, so that no real interpreter or network is needed.
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
    bin_dir.mkdir()
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
