"""The committed output depends on the specs and the recorded tool versions, nothing else.

The manifest records the versions of toolspec, ruff (the formatter) and datamodel-code-generator
that wrote the output; `check` compares the files, and when they differ and were written with
other versions, it says so before anything else.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO
from toolspec.cli import main
from toolspec.output.versions import running_versions

MANIFEST = "toolspec.manifest.json"


def _project(root: Path) -> Path:
    shutil.copytree(REPO / "specs", root / "specs")
    (root / "pyproject.toml").write_text(
        '[tool.toolspec]\nspecs = "specs"\noutput = "generated"\npackage = "generated"\n', "utf-8"
    )
    return root


def _snapshot(directory: Path) -> dict[str, bytes]:
    return {
        path.relative_to(directory).as_posix(): path.read_bytes()
        for path in sorted(directory.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts and ".mypy_cache" not in path.parts
    }


def test_the_manifest_records_the_versions_that_wrote_the_output() -> None:
    manifest = json.loads((REPO / "generated" / MANIFEST).read_text("utf-8"))
    assert manifest["versions"] == running_versions()
    assert list(manifest["versions"]) == ["toolspec", "ruff", "datamodel-code-generator", "openai-harmony"]


def test_the_committed_output_depends_on_nothing_else_of_the_machine(tmp_path: Path) -> None:
    root = _project(tmp_path / "project")
    (tmp_path / "home").mkdir()
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp_path / "home"),  # nothing of the user's
        "PYTHONHASHSEED": "4242",
        "LC_ALL": "C",
        "LANG": "C",
        "TZ": "Pacific/Kiritimati",
    }
    result = subprocess.run(
        [sys.executable, "-m", "toolspec", "generate", "--quiet"],
        cwd=root / "specs" / "grammars",  # found through the pyproject.toml two levels up
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert _snapshot(root / "generated") == _snapshot(REPO / "generated")


@pytest.fixture
def generated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = _project(tmp_path)
    monkeypatch.chdir(root)
    monkeypatch.setenv("TOOLSPEC_CACHE_DIR", str(tmp_path / "cache"))
    assert main(["generate", "--quiet"]) == 0
    return root


def _record_versions(root: Path, **versions: str) -> None:
    path = root / "generated" / MANIFEST
    manifest = json.loads(path.read_text("utf-8"))
    manifest["versions"].update({name.replace("_", "-"): value for name, value in versions.items()})
    path.write_text(json.dumps(manifest, indent=2) + "\n", "utf-8")


def test_check_names_other_versions_first_when_the_output_differs(
    generated: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _record_versions(generated, ruff="0.8.0")
    models = generated / "generated" / "weather" / "models.py"
    models.write_text(models.read_text("utf-8").replace("    ", "  "), "utf-8")
    assert main(["check"]) == 1
    err = capsys.readouterr().err
    first = err.splitlines()[0]
    assert "ruff 0.8.0" in first and f"ruff {running_versions()['ruff']}" in first, err
    assert "pip install 'ruff==0.8.0'" in first and "toolspec generate" in first
    assert "datamodel-code-generator" not in first, "only the versions that differ are named"


def test_other_versions_alone_are_no_drift(generated: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _record_versions(generated, ruff="0.8.0", datamodel_code_generator="0.88.0")
    assert main(["check"]) == 0
    assert "note" not in capsys.readouterr().err


def test_no_version_note_when_the_versions_are_the_same(generated: Path, capsys: pytest.CaptureFixture[str]) -> None:
    models = generated / "generated" / "weather" / "models.py"
    models.write_text(models.read_text("utf-8") + "# edited\n", "utf-8")
    assert main(["check"]) == 1
    assert "note" not in capsys.readouterr().err


def test_the_versions_are_looked_up_again_when_the_installation_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """running_versions keeps what it looked up in the user's cache, under a fingerprint of the
    directories on sys.path: a distribution installed, upgraded or removed changes one of them,
    and the versions are looked up again; so does a damaged cache file."""
    from toolspec.output import versions

    monkeypatch.setenv("TOOLSPEC_CACHE_DIR", str(tmp_path / "cache"))
    site = tmp_path / "site-packages"
    site.mkdir()
    monkeypatch.setattr(sys, "path", [*sys.path, str(site)])
    looked_up: list[dict[str, str]] = []
    real = versions._looked_up_versions

    def counted() -> dict[str, str]:
        looked_up.append(real())
        return looked_up[-1]

    monkeypatch.setattr(versions, "_looked_up_versions", counted)
    first = running_versions()
    assert running_versions() == first and len(looked_up) == 1, "the cached versions were not used"
    (site / "ruff-99.0.dist-info").mkdir()  # an upgrade, as pip makes it
    os.utime(site, ns=(1, 1))
    assert running_versions() == first and len(looked_up) == 2
    (tmp_path / "cache" / "versions.json").write_text('{"fingerprint": "x", "versions": [1', "utf-8")
    assert running_versions() == first and len(looked_up) == 3
    cached = json.loads((tmp_path / "cache" / "versions.json").read_text("utf-8"))
    cached["versions"]["ruff"] = 99
    (tmp_path / "cache" / "versions.json").write_text(json.dumps(cached), "utf-8")
    assert running_versions() == first and len(looked_up) == 4, "a version that is no string was taken"
