"""`toolspec import` of real OpenAPI documents that no one here wrote, fetched from the npm
registry once (with npm itself) into the user's cache directory, never into the repository;
where npm or the registry cannot be had the tests are skipped, saying why.

- ReadMe's `@readme/oas-examples`: every OpenAPI 3.0 and 3.1 example imports without a
  traceback, or is refused with its place.
- GitHub's `@octokit/openapi` (api.github.com, 1,200 operations): refused as one toolset, with the
  advice; split by tag it imports, lints with no errors, and generates.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tarfile
import tempfile
import traceback
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from conftest import project_config, run_toolspec, unavailable
from toolspec import pipeline
from toolspec.cli.import_check import lint_text
from toolspec.ground.user_cache import cache_directory
from toolspec.importing import SourceError, import_by_tag, import_sources
from toolspec.output.files import write_files
from toolspec.output.staged import Rendered

OAS_EXAMPLES = ("@readme/oas-examples", "8.2.2")
GITHUB = ("@octokit/openapi", "23.0.2")
GITHUB_DOCUMENT = "package/generated/api.github.com.json"


def _package(name: str, version: str, wanted: str) -> Path:
    """The unpacked files of an npm package under wanted (a folder or file of it), fetched once."""
    cache = cache_directory()
    if cache is None:
        unavailable("no user cache directory (no home) to keep the downloaded documents in")
    target = cache / "npm" / f"{name.replace('/', '+')}-{version}"
    if not (target / wanted).exists():
        npm = shutil.which("npm")
        if npm is None:
            unavailable(f"npm is not installed: cannot fetch {name}@{version} from the npm registry")
        target.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=target.parent) as scratch:
            packed = subprocess.run(
                [npm, "pack", f"{name}@{version}", "--pack-destination", scratch],
                capture_output=True,
                text=True,
                timeout=900,
                check=False,
            )
            if packed.returncode != 0:
                last = (packed.stderr.strip().splitlines() or ["no message"])[-1]
                unavailable(f"npm pack {name}@{version} failed (no registry?): {last}")
            unpacked = Path(scratch) / "unpacked"
            with tarfile.open(next(Path(scratch).glob("*.tgz"))) as archive:
                members = [m for m in archive.getmembers() if m.name.startswith(wanted)]
                archive.extractall(unpacked, members=members, filter="data")
            try:
                os.replace(unpacked, target)  # in one step: another test process may be fetching too
            except OSError:
                if not (target / wanted).exists():
                    raise
    return target / wanted


def _strict_or_says_why(imported: Any) -> list[str]:
    """The tools that are neither strict nor say in the report why not."""
    return [
        tool.name
        for tool in imported.report.tools
        if not tool.strict and not any("strict: false" in change.message for change in tool.changes)
    ]


def test_every_oas_example_imports_or_is_refused_with_its_place(tmp_path: Path) -> None:
    root = _package(*OAS_EXAMPLES, "package")
    documents = sorted(root.glob("3.*/*/*.*"))
    documents = [path for path in documents if path.suffix in (".json", ".yaml")]
    assert len(documents) > 50, documents
    imported, refused, broken = [], [], []
    config = project_config(tmp_path)
    for path in documents:
        try:
            result = import_sources([str(path)], toolset="examples")
        except SourceError as error:
            assert str(error).startswith(str(path)), error  # a place: the file, and where in it
            refused.append(path)
            continue
        except Exception:  # noqa: BLE001 (every traceback is collected, and the test fails naming them)
            broken.append(f"{path}:\n{traceback.format_exc()}")
            continue
        lint_text(result.text, "examples.yaml", config)  # lints without a traceback
        assert _strict_or_says_why(result) == [], path
        imported.append(path)
    assert broken == []
    assert len(imported) >= 0.9 * len(documents), refused


@pytest.fixture(scope="module")
def github() -> Path:
    return _package(*GITHUB, GITHUB_DOCUMENT)


def _tags(document: Path) -> Counter[str]:
    data = json.loads(document.read_text("utf-8"))
    methods = ("get", "put", "post", "patch", "delete", "head", "options")
    return Counter(
        (operation.get("tags") or ["default"])[0]
        for item in data["paths"].values()
        for method, operation in item.items()
        if method in methods
    )


def test_a_large_api_is_refused_as_one_toolset_with_the_advice(github: Path) -> None:
    with pytest.raises(SourceError) as whole:
        import_sources([str(github)])
    operations = sum(_tags(github).values())
    assert operations > 1000
    assert f"{operations} operations in one toolset: past 128 tools the API refuses" in str(whole.value)
    assert "--split-by-tag" in str(whole.value)
    with pytest.raises(SourceError) as split:
        import_by_tag([str(github)])
    too_many = [tag for tag, count in _tags(github).items() if count > 128]
    assert any(f"operations with the tag {tag!r}" in str(split.value) for tag in too_many)


@pytest.mark.xdist_group("github_openapi")
def test_a_large_api_split_by_tag_imports_lints_clean_and_generates(github: Path, tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.toolspec]\nspecs = "specs"\noutput = "generated"\npackage = "generated"\n', "utf-8"
    )
    tags = [tag for tag, count in _tags(github).items() if count <= 128]
    chosen = sum(_tags(github)[tag] for tag in tags)
    assert chosen > 500  # several hundred operations
    options = [option for tag in tags for option in ("--tag", tag)]
    result = run_toolspec("import", str(github), "--split-by-tag", *options, cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    specs = sorted((tmp_path / "specs").glob("*.yaml"))
    assert len(specs) == len(tags)
    config = project_config(tmp_path)
    built = pipeline.build([tmp_path / "specs"], config)
    assert [d for d in built.diagnostics if d.severity.value == "error"] == []
    tools = [tool for context in built.toolsets for tool in context.toolset.tools]
    assert len(tools) == chosen
    assert all(tool.http is not None for tool in tools)  # type: ignore[union-attr]
    loose = [line for line in result.stderr.splitlines() if ": strict: false," in line]
    assert all("changes" in line for line in loose)  # each says why, in its changes
    # What `toolspec generate` writes, rendered from this build rather than from a second one.
    rendered = pipeline.render(built, config)
    assert isinstance(rendered, Rendered), rendered
    write_files(rendered.files, config.output)
    assert (tmp_path / "generated" / "issues" / "tools.py").is_file()
