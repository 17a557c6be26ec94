"""A command imports what it runs on, when it runs: `toolspec --version` and a generate that
finds its output current import neither the compiler, the lint rules' checkers nor the
libraries they run on, so that they cost about what starting Python costs."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import run_toolspec

LIBRARIES = ("pydantic", "jinja2", "jsonschema", "llguidance", "openai_harmony", "datamodel_code_generator", "yaml")
"""What the stages run on; none is needed to tell that nothing is to be done."""


def imported_by(*args: str, cwd: Path) -> set[str]:
    """The modules a process running `toolspec args` had imported when it exited."""
    script = (
        "import atexit, json, sys\n"
        "atexit.register(lambda: print(json.dumps(sorted(sys.modules)), file=sys.stderr))\n"
        "from toolspec.cli import main\n"
        f"raise SystemExit(main({list(args)!r}))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=cwd, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return set(json.loads(result.stderr.strip().splitlines()[-1]))


def tops(modules: set[str]) -> set[str]:
    return {name.split(".")[0] for name in modules}


def test_version_imports_only_the_command_line(tmp_path: Path) -> None:
    modules = imported_by("--version", cwd=tmp_path)
    ours = {name for name in modules if name.startswith("toolspec.")}
    assert ours <= {
        "toolspec.cli",
        "toolspec.cli.app",
        "toolspec.cli.options",
        "toolspec.cli.import_export",
        "toolspec.cli.serve",
        "toolspec.ground",
        "toolspec.ground.diagnostics",
        "toolspec.ground.errors",
        "toolspec.project",
        "toolspec.project.load",
    }, sorted(ours)
    assert not tops(modules) & set(LIBRARIES)


def test_a_generate_with_nothing_to_do_imports_no_stage(generated_copy: Path) -> None:
    modules = imported_by("generate", cwd=generated_copy)
    assert not tops(modules) & set(LIBRARIES), sorted(tops(modules) & set(LIBRARIES))
    stages = ("toolspec.compile.toolset", "toolspec.spec.parse", "toolspec.output.render", "toolspec.speed.workers")
    assert not modules & set(stages)


def test_a_generate_with_a_change_still_imports_the_stages(generated_copy: Path) -> None:
    spec = generated_copy / "specs" / "weather.yaml"
    spec.write_text(spec.read_text("utf-8").replace("description:", "description: Changed.", 1), "utf-8")
    modules = imported_by("generate", "-q", cwd=generated_copy)
    assert {"toolspec.compile.toolset", "toolspec.output.render"} <= modules
    assert run_toolspec("check", "-q", cwd=generated_copy).returncode == 0
