"""FileHashes (speed/file_hashes.py): generate takes a file's hash from the user's cache only
while the file's status is as when it was hashed, and long enough after its last change."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

import pytest

from conftest import run_toolspec_here
from toolspec.speed import file_hashes
from toolspec.speed.file_hashes import RACY, FileHashes

WEATHER = """\
toolset: weather
tools:
  - name: get_weather
    description: Current weather for a city.
    effect: read
    parameters:
      city: {type: string, description: The city.}
"""


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def kept_entry(cache: Path, path: Path) -> list[Any]:
    (kept,) = (cache / "hashes").iterdir()
    entry: list[Any] = json.loads(kept.read_text("utf-8"))["files"][str(path)]
    return entry


def make_settled(path: Path, seconds_ago: float = 10.0) -> None:
    """Set the file's modification time into the past; its change time stays now, so it is
    settled only for a hash taken a while later (the entry's hashed-at time is moved back here)."""
    past = int((os.stat(path).st_mtime - seconds_ago) * 1e9)
    os.utime(path, ns=(past, past))


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("TOOLSPEC_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def hashes_with(cache: Path, path: Path, **changed: object) -> FileHashes:
    """The hashes kept for path's directory, with path's entry edited (hashed_at, sha)."""
    kept = next((cache / "hashes").iterdir())
    data = json.loads(kept.read_text("utf-8"))
    entry = data["files"][str(path)]
    if "hashed_at" in changed:
        entry[5] = changed["hashed_at"]
    if "sha" in changed:
        entry[6] = changed["sha"]
    kept.write_text(json.dumps(data), "utf-8")
    return FileHashes(kept)


def test_a_file_unchanged_since_it_was_hashed_is_not_read_again(tmp_path: Path, cache: Path) -> None:
    path = tmp_path / "out" / "a.py"
    path.parent.mkdir()
    path.write_bytes(b"x = 1\n")
    first = FileHashes.for_output(tmp_path / "out")
    assert first.sha256(str(path)) == sha(b"x = 1\n")
    first.keep()
    changed_at = os.stat(path).st_ctime_ns
    # the kept hash is what a later run answers, as long as the status is the same: a made-up
    # hash kept for it proves the file was not read
    later = hashes_with(cache, path, hashed_at=changed_at + 10 * RACY, sha="kept")
    assert later.sha256(str(path)) == "kept"


def test_a_file_written_again_at_the_same_size_is_read_again(tmp_path: Path, cache: Path) -> None:
    path = tmp_path / "a.py"
    path.write_bytes(b"x = 1\n")
    first = FileHashes.for_output(tmp_path)
    first.sha256(str(path))
    first.keep()
    entry = kept_entry(cache, path)
    later = hashes_with(cache, path, hashed_at=os.stat(path).st_ctime_ns + 10 * RACY, sha="kept")
    path.write_bytes(b"x = 2\n")  # same size; its change time moves on
    os.utime(path, ns=(entry[1], entry[1]))  # even with its old modification time
    assert later.sha256(str(path)) == sha(b"x = 2\n")


def test_a_file_hashed_within_a_tick_of_its_last_change_is_read_again(tmp_path: Path, cache: Path) -> None:
    path = tmp_path / "a.py"
    path.write_bytes(b"x = 1\n")
    first = FileHashes.for_output(tmp_path)
    first.sha256(str(path))
    first.keep()
    changed_at = os.stat(path).st_ctime_ns
    racy = hashes_with(cache, path, hashed_at=changed_at + RACY // 2, sha="kept")
    assert racy.sha256(str(path)) == sha(b"x = 1\n")


def test_whole_second_times_need_a_longer_wait() -> None:
    status = (6, 5_000_000_000, 5_000_000_000, 1, 1)
    assert not file_hashes._settled(status, 5_000_000_000 + 2 * 1_000_000_000)  # a FAT tick is 2 s
    assert file_hashes._settled(status, 5_000_000_000 + file_hashes.RACY_WHOLE_SECONDS + 1)
    fine = (6, 5_000_000_123, 5_000_000_123, 1, 1)
    assert file_hashes._settled(fine, 5_000_000_123 + RACY + 1)
    assert not file_hashes._settled(fine, 5_000_000_123 + RACY - 1)


@pytest.mark.parametrize("damage", ["", "{", '{"format": 99, "files": {}}', '{"format": 1, "files": {"x": "y"}}'])
def test_a_damaged_cache_costs_a_read_not_a_wrong_hash(tmp_path: Path, cache: Path, damage: str) -> None:
    path = tmp_path / "a.py"
    path.write_bytes(b"x = 1\n")
    first = FileHashes.for_output(tmp_path)
    first.sha256(str(path))
    first.keep()
    kept = next((cache / "hashes").iterdir())
    kept.write_text(damage, "utf-8")
    assert FileHashes(kept).sha256(str(path)) == sha(b"x = 1\n")


def test_generate_finds_a_generated_file_edited_at_the_same_size(tmp_path: Path, cache: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.toolspec]\nspecs = "specs"\noutput = "out"\n', "utf-8")
    (tmp_path / "specs").mkdir()
    (tmp_path / "specs" / "weather.yaml").write_text(WEATHER, "utf-8")
    assert run_toolspec_here("generate", "--quiet", cwd=tmp_path).returncode == 0
    models = tmp_path / "out" / "weather" / "models.py"
    for path in (tmp_path / "out").rglob("*"):
        if path.is_file():
            make_settled(path)
    assert run_toolspec_here("generate", cwd=tmp_path).stdout == "out is up to date (28 files).\n"
    original = models.read_bytes()
    models.write_bytes(original.replace(b"city", b"ytic", 1))
    again = run_toolspec_here("generate", cwd=tmp_path)
    assert again.stdout == "changed out/weather/models.py\n" and models.read_bytes() == original
