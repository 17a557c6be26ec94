"""ToolsetStore: toolsets beyond the first few go to disk and come back the same, one at a time."""

from __future__ import annotations

import gc
import pickle
import shutil
import tempfile
import weakref
from pathlib import Path
from typing import Any

import pytest

from test_incremental import _snapshot
from toolspec import cli, pipeline
from toolspec.compile.outline import outline
from toolspec.compile.toolset import CompiledToolset
from toolspec.lint.rule import ToolsetContext
from toolspec.project import load
from toolspec.project.config import load_config
from toolspec.speed import toolset_store
from toolspec.speed.spec_cache import PackedContext
from toolspec.speed.toolset_store import ToolsetStore

SECOND_WEATHER = """\
toolset: more_weather
description: The weather told another way.
tools:
  - name: get_weather
    description: Gets the weather somewhere else.
    parameters:
      location:
        type: string
        description: A city.
  - name: get_horoscope  # toolspec: ignore[TS303] read another way on purpose
    description: Another horoscope.
    parameters:
      sign:
        type: string
        description: A sign.
"""


def _contexts(project: Path) -> list[ToolsetContext]:
    config = load_config(project)
    return list(pipeline.build(load.configured_spec_files(config, "generate"), config).toolsets)


def test_spilled_toolsets_come_back_equal_in_the_order_of_their_positions(generated_copy: Path) -> None:
    contexts = _contexts(generated_copy)
    assert len(contexts) >= 3, "the example project has several toolsets"
    store = ToolsetStore(in_memory=1)
    for position in reversed(range(len(contexts))):  # built in any order, kept in the files' order
        context = contexts[position]
        store.put(position * 10, context, outline(context.compiled, context.source.path))
    assert store.spilled == len(contexts) - 1
    assert list(store) == contexts
    assert store[-1] == contexts[-1] and list(store[1:]) == contexts[1:]
    assert store[-1] is contexts[-1], "the first put is held as it is"
    assert store[0] is not store[0], "a spilled toolset is read back anew each time"
    assert [store.name(i) for i in range(len(store))] == [c.compiled.name for c in contexts]
    assert [store.spec_path(i) for i in range(len(store))] == [c.compiled.spec_path for c in contexts]
    names = sorted(c.compiled.name for c in contexts)
    assert [c.name for c in store.compiled_in_name_order()] == names
    assert [c.name for c in store.compiled_in_name_order(leaving_out={names[0]})] == names[1:]
    with pytest.raises(IndexError):
        store[len(contexts)]


def test_a_project_spilled_to_disk_generates_and_lints_as_one_held_in_memory(
    generated_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same bytes and the same findings (a warning on every toolset, a project rule's
    finding, one suppressed) with every toolset but one read back from disk."""
    with (generated_copy / "pyproject.toml").open("a", encoding="utf-8") as stream:
        stream.write("[tool.toolspec.options.token-budget]\nmax-tokens = 10\n")
    (generated_copy / "specs" / "zz_weather.yaml").write_text(SECOND_WEATHER, "utf-8")
    config = load_config(generated_copy)
    files = load.configured_spec_files(config, "generate")
    held = pipeline.build(files, config)
    assert held.toolsets.spilled == 0 and not held.has_errors
    codes = [(d.path.rsplit("/", 1)[-1], d.code) for d in held.diagnostics]
    assert ("zz_weather.yaml", "TS303") in codes, "get_weather is defined two ways"
    assert codes.count(("zz_weather.yaml", "TS303")) == 1, "get_horoscope's is suppressed"
    assert "TS902" not in {code for _, code in codes}, "and the suppression is used"
    monkeypatch.setattr(toolset_store, "IN_MEMORY", 1)
    spilled = pipeline.build(files, config)
    assert spilled.toolsets.spilled == len(spilled.toolsets) - 1
    assert spilled.diagnostics == held.diagnostics
    monkeypatch.setattr(toolset_store, "IN_MEMORY", 1000)
    shutil.rmtree(generated_copy / "generated")
    assert cli.main(["generate", "--quiet", "--no-cache"]) == 0
    expected = _snapshot(generated_copy / "generated")
    monkeypatch.setattr(toolset_store, "IN_MEMORY", 1)
    shutil.rmtree(generated_copy / "generated")
    assert cli.main(["generate", "--quiet", "--no-cache"]) == 0
    assert _snapshot(generated_copy / "generated") == expected
    assert cli.main(["check", "--no-cache"]) == 0


def test_render_holds_one_spilled_toolset_at_a_time(generated_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    toolsets = len(_contexts(generated_copy))
    monkeypatch.setattr(toolset_store, "IN_MEMORY", 0)
    alive: list[weakref.ref[ToolsetContext]] = []
    most = 0
    original = ToolsetStore._read

    def counting(self: ToolsetStore, *args: Any) -> ToolsetContext:
        nonlocal most
        context = original(self, *args)
        alive.append(weakref.ref(context))
        gc.collect()  # held, not garbage awaiting the collector
        most = max(most, sum(1 for ref in alive if ref() is not None))
        return context

    monkeypatch.setattr(ToolsetStore, "_read", counting)
    shutil.rmtree(generated_copy / "generated")
    assert cli.main(["generate", "--quiet", "--no-cache"]) == 0
    assert len(alive) >= toolsets, "every toolset was read back"
    assert most <= 2, f"{most} toolsets read back were in memory at once"


def test_a_run_leaves_nothing_in_the_temporary_directory(generated_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The spilled toolsets and the staged files go with the run, of generate and of check."""
    temporary = generated_copy / "tmp"
    temporary.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    monkeypatch.setattr(toolset_store, "IN_MEMORY", 1)
    shutil.rmtree(generated_copy / "generated")
    assert cli.main(["generate", "--quiet", "--no-cache"]) == 0
    assert cli.main(["check", "--no-cache"]) == 0
    gc.collect()
    assert list(temporary.iterdir()) == []


def test_a_packed_toolset_stays_packed_until_a_step_reads_it(generated_copy: Path) -> None:
    contexts = _contexts(generated_copy)
    store = ToolsetStore(in_memory=1)
    outlines = [outline(c.compiled, c.source.path) for c in contexts]
    for position, context in enumerate(contexts):  # the first held, the others spilled: all packed
        store.put(position, PackedContext(pickle.dumps(context)), outlines[position])
    assert list(store.outlines()) == outlines
    assert list(store) == contexts, "read back whole where asked for"
    names = sorted(c.compiled.name for c in contexts)
    members = store.members_in_name_order(outlined=set(names[1:]))
    assert isinstance(members[0], CompiledToolset) and members[0].name == names[0]
    assert list(members[1:]) == sorted(outlines[1:], key=lambda each: each.name), "the others as outlined"


def test_one_spec_changed_reads_no_other_toolset_back_and_writes_what_a_full_run_writes(
    generated_copy: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("TOOLSPEC_CACHE_DIR", str(tmp_path / "cache"))
    (generated_copy / "specs" / "zz_weather.yaml").write_text(SECOND_WEATHER, "utf-8")
    assert cli.main(["generate", "--quiet"]) == 0
    spec = generated_copy / "specs" / "zz_weather.yaml"
    spec.write_text(SECOND_WEATHER.replace("somewhere else", "elsewhere"), "utf-8")
    unpacked: list[str] = []
    original = PackedContext.unpacked

    def counted(self: PackedContext) -> ToolsetContext:
        context = original(self)
        unpacked.append(context.compiled.name)
        return context

    monkeypatch.setattr(PackedContext, "unpacked", counted)
    assert cli.main(["generate", "--quiet"]) == 0
    assert unpacked == [], "the unchanged toolsets were taken from their outlines"
    incremental = _snapshot(generated_copy / "generated")
    shutil.rmtree(generated_copy / "generated")
    assert cli.main(["generate", "--quiet", "--no-cache"]) == 0
    assert _snapshot(generated_copy / "generated") == incremental
