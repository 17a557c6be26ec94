"""`toolspec init`: a project's `[tool.toolspec]`, an example spec and the pre-commit hooks.

Each file is created, or appended to, and never overwritten: every target is read and the
writes planned before the first is made, so a refusal leaves the directory as it was. An append
is kept only if the file, read back, holds what it held before plus the new part.
"""

from __future__ import annotations

import os
import re
import sys
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from toolspec.compile.names import pascal_case
from toolspec.ground.errors import UsageError

TOOLSET_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
"""The language's pattern of a toolset name (`toolset` in language.schema.json)."""

HOOK_IDS = ("toolspec-lint", "toolspec-check")
_CANNOT_APPEND_HOOKS = "toolspec's hooks cannot be appended at the end of its repos; add them by hand"


@dataclass(frozen=True)
class Write:
    """One file of the project: `text` is its whole new content; `appended` says it had some."""

    path: Path
    text: str
    appended: bool


def plan(root: Path, toolset: str) -> list[Write]:
    """The writes that set up the project at root, or a UsageError naming what is in the way."""
    if not TOOLSET_NAME.match(toolset):
        raise UsageError(f"{toolset!r} is not a toolset name: lower-case letters, digits and underscores")
    spec = root / "specs" / f"{toolset}.yaml"
    if spec.exists():
        raise UsageError(f"specs/{toolset}.yaml exists: toolspec init never overwrites a file (--toolset NAME)")
    return [
        _pyproject(root / "pyproject.toml", toolset),
        Write(spec, _example_spec(_schema_reference(spec.parent, root), toolset), appended=False),
        _pre_commit(root / ".pre-commit-config.yaml", _command(root)),
    ]


def write(writes: list[Write]) -> None:
    """Make the planned writes; a file appended to is opened for appending, never rewritten."""
    for planned in writes:
        planned.path.parent.mkdir(parents=True, exist_ok=True)
        if planned.appended:
            old = planned.path.read_text("utf-8")
            with planned.path.open("a", encoding="utf-8") as stream:
                stream.write(planned.text[len(old) :])
        else:
            with planned.path.open("x", encoding="utf-8") as stream:
                stream.write(planned.text)


def _pyproject(path: Path, toolset: str) -> Write:
    section = (
        "[tool.toolspec]\n"
        'specs = "specs"          # the directory of spec files\n'
        'output = "generated"     # the directory toolspec generate writes, committed\n'
        f"# The class that implements each toolset, which toolspec check holds to its spec; write it\n"
        f"# with `toolspec scaffold {toolset} -o app/{toolset}.py`:\n"
        f'# handlers = {{{toolset} = "app.{toolset}:{pascal_case(toolset)}"}}\n'
    )
    if not path.exists():
        return Write(path, section, appended=False)
    old = path.read_text("utf-8")
    before = _toml(old, path)
    if "toolspec" in before.get("tool", {}):
        raise UsageError(f"{path.name} has a [tool.toolspec] section already: toolspec init never overwrites one")
    text = old + ("" if old.endswith("\n") or not old else "\n") + ("\n" if old.strip() else "") + section
    after = _toml(text, path, appended=True)
    expected = {**before, "tool": {**before.get("tool", {}), "toolspec": {"specs": "specs", "output": "generated"}}}
    if after != expected:
        raise UsageError(
            f"{path.name}: a [tool.toolspec] section appended would change its other tables; add it by hand"
        )
    return Write(path, text, appended=True)


def _toml(text: str, path: Path, *, appended: bool = False) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        if appended:
            raise UsageError(f"{path.name}: [tool.toolspec] cannot be appended ({error}); add it by hand") from None
        raise UsageError(f"{path.name} is not valid TOML: {error}") from None


def _example_spec(schema: str, toolset: str) -> str:
    return (
        f"# yaml-language-server: $schema={schema}\n"
        f"toolset: {toolset}\n"
        "description: An example to start from; each tool is a function the model may call.\n"
        "tools:\n"
        "  - name: get_weather\n"
        "    description: Retrieves current weather for the given location.\n"
        "    effect: read\n"
        "    parameters:\n"
        "      location:\n"
        "        type: string\n"
        "        description: City and country e.g. Bogotá, Colombia\n"
        "      units:\n"
        "        type: string\n"
        "        enum: [celsius, fahrenheit]\n"
        "        description: Units the temperature will be returned in.\n"
        "        optional: true\n"
        "        default: celsius\n"
    )


def _schema_reference(directory: Path, root: Path) -> str:
    """The language's schema as an editor finds it from the spec: relative to the spec's
    directory where toolspec is installed in the project (its .venv), else its absolute path."""
    with resources.as_file(resources.files("toolspec.spec").joinpath("language.schema.json")) as schema:
        inside = _inside(schema, root)
        if inside is None:
            return schema.resolve().as_posix()
        return Path(os.path.relpath(root.resolve() / inside, directory.resolve())).as_posix()


def _command(root: Path) -> str:
    """How a hook runs this toolspec: by its path where it is installed in the project (.venv),
    so that a commit needs no activated environment; else from the PATH."""
    script = Path(sys.executable).parent / "toolspec"
    inside = _inside(script, root) if script.exists() else None
    return "toolspec" if inside is None else inside.as_posix()


def _inside(path: Path, root: Path) -> Path | None:
    """path relative to the project's root, or None when it lies outside."""
    target, project = path.absolute(), root.absolute()
    return target.relative_to(project) if target.is_relative_to(project) else None


def _pre_commit(path: Path, command: str) -> Write:
    hooks = (
        "  # toolspec's hooks, run by the toolspec of this project's environment.\n"
        "  - repo: local\n"
        "    hooks:\n"
        "      - id: toolspec-lint\n"
        "        name: toolspec lint\n"
        f"        entry: {command} lint\n"
        "        language: system\n"
        "        types: [yaml]\n"
        "        files: ^specs/\n"
        "        require_serial: true\n"
        "      - id: toolspec-check\n"
        "        name: toolspec check\n"
        f"        entry: {command} check\n"
        "        language: system\n"
        "        pass_filenames: false\n"
        "        always_run: true\n"
        "        require_serial: true\n"
    )
    if not path.exists():
        return Write(path, "repos:\n" + hooks, appended=False)
    old = path.read_text("utf-8")
    before = _yaml(old, path)
    repos = before.get("repos") if isinstance(before, dict) else None
    if not isinstance(repos, list):
        raise UsageError(f"{path.name} has no list of repos to append toolspec's hooks to; add them by hand")
    if any(hook.get("id") in HOOK_IDS for repo in repos for hook in _hooks(repo)):
        raise UsageError(f"{path.name} has toolspec's hooks already: toolspec init never overwrites them")
    indent = _item_indent(old)
    text = (
        old
        + ("" if old.endswith("\n") else "\n")
        + "".join((indent + line[2:] if line.strip() else line) + "\n" for line in hooks.splitlines())
    )
    after = _yaml(text, path, appended=True)
    if not isinstance(after, dict) or after.get("repos") != [*repos, yaml.safe_load(hooks)[0]]:
        raise UsageError(f"{path.name}: {_CANNOT_APPEND_HOOKS}")
    return Write(path, text, appended=True)


def _yaml(text: str, path: Path, *, appended: bool = False) -> Any:
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as error:
        if appended:
            raise UsageError(f"{path.name}: {_CANNOT_APPEND_HOOKS}") from None
        raise UsageError(f"{path.name} is not valid YAML: {error}") from None


def _hooks(repo: object) -> list[dict[str, Any]]:
    hooks = repo.get("hooks") if isinstance(repo, dict) else None
    return [hook for hook in hooks if isinstance(hook, dict)] if isinstance(hooks, list) else []


def _item_indent(text: str) -> str:
    """The indentation of the items of `repos:` (two spaces where none is found)."""
    match = re.search(r"^repos:[ \t]*(?:#.*)?\n(?:[ \t]*(?:#.*)?\n)*([ \t]*)- ", text, re.MULTILINE)
    return match.group(1) if match else "  "
