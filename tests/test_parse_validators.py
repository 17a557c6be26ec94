"""jsonschema-rs answers "is this spec valid?"; jsonschema explains the invalid ones. They must
agree, or a spec the fast validator passes would skip the checks jsonschema would report."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import REPO
from spec_factory import random_specs
from toolspec.spec.parse import _fast_validator, _validator

TESTS = Path(__file__).parent


def _documents() -> list[tuple[str, Any]]:
    texts = {f"random/{name}": text for name, text in random_specs(60).items()}
    for folder in (REPO / "specs", TESTS / "broken"):
        for path in sorted(folder.glob("*.yaml")):
            texts[f"{folder.name}/{path.name}"] = path.read_text("utf-8")
    documents = []
    for name, text in sorted(texts.items()):
        try:
            documents.append((name, yaml.safe_load(text)))
        except yaml.YAMLError:
            continue  # not YAML: never reaches the validators
    return documents


def _mutations(data: Any) -> list[Any]:
    """Small breakages of a valid spec: each a different kind of language error."""
    broken = []
    for change in (
        lambda d: d.update(unknown_key=1),
        lambda d: d.pop("tools"),
        lambda d: d["tools"][0].update(effect="sometimes"),
        lambda d: d["tools"][0].update(strict="yes"),
        lambda d: d["tools"][0].pop("name"),
        lambda d: d["tools"][0].update(parameters=[1, 2]),
        lambda d: d.update(toolset=7),
    ):
        mutated = copy.deepcopy(data)
        try:
            change(mutated)
        except (KeyError, IndexError, TypeError, AttributeError):
            continue
        broken.append(mutated)
    return broken


DOCUMENTS = _documents()


@pytest.mark.parametrize(("name", "data"), DOCUMENTS, ids=[name for name, _ in DOCUMENTS])
def test_the_fast_validator_agrees_with_jsonschema(name: str, data: Any) -> None:
    for instance in [data, *(_mutations(data) if isinstance(data, dict) else [])]:
        explained = not any(True for _ in _validator().iter_errors(instance))
        assert _fast_validator().is_valid(instance) == explained, name
