"""A wheel built from the repository works on its own, from another directory: the templates
and the language schema ship inside it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

from conftest import REPO


def test_wheel_lints_and_generates_from_another_directory(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", str(dist), str(REPO)],
        capture_output=True, text=True,
    )  # fmt: skip
    assert built.returncode == 0, built.stderr
    (wheel,) = dist.glob("toolspec-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "toolspec/templates/tools.py.jinja" in names
    assert "toolspec/spec/language.schema.json" in names

    site = tmp_path / "site"
    installed = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(site), str(wheel)],
        capture_output=True, text=True,
    )  # fmt: skip
    assert installed.returncode == 0, installed.stderr

    project = tmp_path / "elsewhere"
    shutil.copytree(REPO / "specs", project / "specs")
    # The dependencies come from this environment's site-packages, read as a plain path, so
    # that the repository's editable install (a .pth hook) is not active: toolspec is the wheel's.
    dependencies = sysconfig.get_paths()["purelib"]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), dependencies]), "PYTHONNOUSERSITE": "1"}
    python = [getattr(sys, "_base_executable", sys.executable), "-s"]
    where = subprocess.run(
        [*python, "-c", "import toolspec; print(toolspec.__file__)"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
    )
    assert where.stdout.startswith(str(site)), where.stdout + where.stderr

    lint = subprocess.run([*python, "-m", "toolspec", "lint"], cwd=project, env=env, capture_output=True, text=True)
    assert lint.returncode == 0, lint.stdout + lint.stderr
    generate = subprocess.run(
        [*python, "-m", "toolspec", "generate"], cwd=project, env=env, capture_output=True, text=True
    )
    assert generate.returncode == 0, generate.stderr
    assert (project / "generated" / "weather" / "tools.py").read_bytes() == (
        REPO / "generated" / "weather" / "tools.py"
    ).read_bytes()
