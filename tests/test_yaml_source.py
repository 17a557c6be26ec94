"""libyaml composes specs when PyYAML has it, pure-Python PyYAML when not: both must read a
spec the same way and refuse the same things at the same place."""

from __future__ import annotations

from pathlib import Path

import pytest

from toolspec.ground.diagnostics import Diagnostic
from toolspec.spec import yaml_source
from toolspec.spec.parse import parse_toolset

SAMPLES = {
    "plain": b"toolset: a\ntools: [x, yes, 2024-01-01, 0x1f, 1.5, ~]\nmeta: {k: 'v'}\n",
    "duplicate key": b"a: 1\nb: 2\na: 3\n",
    "python tag": b"a: !!python/object/apply:os.system [echo]\n",
    "custom tag": b"a: !custom x\n",
    "tag on the wrong kind": b"a: !!str {b: 1}\n",
    "tagged key": b"!!python/name:os.system : 1\n",
    "alias bomb": b"a: &a [x,x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
    b"c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
    b"e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]\n",
    "recursive alias": b"a: &a [*a]\n",
    "several documents": b"a: 1\n---\nb: 2\n",
    "merge key": b"x: &x {a: 1}\ny:\n  <<: *x\n",
    "empty": b"# nothing\n",
    "infinity": b"a: .inf\n",
}


def _read(sample: bytes) -> object:
    result = yaml_source.parse_document(sample, "spec.yaml")
    if isinstance(result, Diagnostic):
        return (result.code, result.position.line)
    return result.data


@pytest.mark.parametrize("name", SAMPLES)
def test_both_loaders_agree(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    fast = _read(SAMPLES[name])
    monkeypatch.setattr(yaml_source, "_Loader", yaml_source._PureLoader)
    assert _read(SAMPLES[name]) == fast
    if name != "plain":
        assert isinstance(fast, tuple), f"{name} was not refused"


def test_yaml_1_2_scalars() -> None:
    data = _read(SAMPLES["plain"])
    assert data == {"toolset": "a", "tools": ["x", "yes", "2024-01-01", 31, 1.5, None], "meta": {"k": "v"}}


@pytest.mark.parametrize("loader", ["libyaml", "pure"])
def test_hints_for_tabs_and_commas_do_not_depend_on_the_loader(
    loader: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    if loader == "pure":
        monkeypatch.setattr(yaml_source, "_Loader", yaml_source._PureLoader)
    tab = yaml_source.parse_document(b"toolset: a\ntools:\n\t- name: x\n", "spec.yaml")
    assert isinstance(tab, Diagnostic) and "YAML does not allow tabs for indentation" in tab.message
    comma = (
        "toolset: a\ntools:\n  - name: x\n    description: Bogotá, Colombia.\n"
        "    parameters:\n      p: {type: string, description: Bogotá, Colombia}\n"
    )
    document = yaml_source.parse_document(comma.encode("utf-8"), "spec.yaml")
    assert isinstance(document, yaml_source.Document)
    found = parse_toolset(document, tmp_path).diagnostics
    assert [d.message for d in found] == [
        'unknown key `Colombia`: a comma inside `{...}` separates keys; quote the value ("Bogotá, Colombia")'
    ]
