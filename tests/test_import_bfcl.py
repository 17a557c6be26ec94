"""3,416 real tool definitions (tests/data/bfcl_tools.json.gz: the Berkeley Function Calling
Leaderboard's, in 146 files of up to 35 tools) go through `toolspec import` and `toolspec
generate`, each file a toolset, as a user would bring them in: no file is refused, the imported
specs have no lint error (import lints each, and generate lints them all and refuses any error),
and every tool comes out as an argument model.

One test, so that the 146 imports and the generation run once (~20 s on 2 cores).
"""

from __future__ import annotations

import gzip
import importlib
import json
import sys
from pathlib import Path
from typing import Any

import pytest

from toolspec.cli import main

FIXTURE = Path(__file__).parent / "data" / "bfcl_tools.json.gz"
EXIT_REFUSED = 2


def test_every_bfcl_tool_imports_lints_and_generates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    toolsets: dict[str, list[dict[str, Any]]] = json.loads(gzip.decompress(FIXTURE.read_bytes()))
    assert sum(len(tools) for tools in toolsets.values()) >= 3000
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TOOLSPEC_CACHE_DIR", str(tmp_path / "cache"))
    Path("pyproject.toml").write_text('[tool.toolspec]\nspecs = "specs"\noutput = "bfcl"\npackage = "bfcl"\n', "utf-8")
    Path("sources").mkdir()
    refused: dict[str, str] = {}
    with_errors: dict[str, list[str]] = {}
    imported = python_names = 0
    for name, tools in toolsets.items():
        source = Path("sources") / f"{name}.json"
        source.write_text(json.dumps(tools), "utf-8")
        status = main(["import", str(source), "-o", f"specs/{name}.yaml", "--format", "json"])
        err = capsys.readouterr().err
        if status == EXIT_REFUSED:
            refused[name] = err
            continue
        report = json.loads(err)
        imported += len(report["tools"])
        python_names += sum(c["kind"] == "python_name" for tool in report["tools"] for c in tool["changes"])
        errors = [f"{f['line']}: {f['code']} {f['message']}" for f in report["findings"] if f["severity"] == "error"]
        if errors or status != 0:
            with_errors[name] = errors
    assert not refused, refused
    assert not with_errors, with_errors
    assert imported == sum(len(tools) for tools in toolsets.values())
    assert python_names >= 1, "GET_PARCEL_STATE and get_parcel_state share a toolset: one gets a python_name"

    # generate lints every spec first and refuses any with an error, printing its findings.
    assert main(["generate", "--quiet"]) == 0, capsys.readouterr()
    sys.path.insert(0, str(tmp_path))
    try:
        models = sum(len(importlib.import_module(f"bfcl.{name}").ARGUMENT_MODELS) for name in toolsets)
    finally:
        sys.path.remove(str(tmp_path))
    assert models == imported >= 3000
