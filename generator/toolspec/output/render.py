"""Render every file of the generated package in memory: nothing is written here.

Templates only render: every name, string and value they show is decided by the compiler
(compile/) and reaches them through two filters, `pyrepr` for Python values and `docstring`
for text inside a docstring, so that no string in a spec can change the code around it.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Sequence
from importlib import resources
from pathlib import Path, PurePosixPath
from typing import Any

import black
from black.mode import TargetVersion
import jinja2

from toolspec.compile.argument_models import argument_models_source
from toolspec.compile.json_schema import NULL_DEFAULT_KEY, parameters_schema
from toolspec.compile.names import argument_class_names, parameters_constant_names
from toolspec.compile.python_literal import PythonName, python_literal
from toolspec.compile.tool_shapes import chat_completions_tools, responses_tools
from toolspec.spec import model

MANIFEST = "toolspec.manifest.json"
"""The file, at the root of the output, that lists every file the generator owns."""

RenderedFiles = dict[PurePosixPath, bytes]


def docstring_text(text: str) -> str:
    """Text that can stand inside a triple-quoted docstring and reads the same.

    Backslashes and control characters are escaped, and so is a quote that follows another
    unescaped one or ends the text, so that no three quotes can close the docstring early.
    """
    out: list[str] = []
    for index, char in enumerate(text):
        if char == '"' and (index == len(text) - 1 or out[-1:] == ['"']):
            out.append('\\"')
        else:
            out.append(_DOCSTRING_ESCAPES.get(char, char))
    return "".join(out)


_DOCSTRING_ESCAPES = {
    "\\": "\\\\",
    **{chr(code): f"\\x{code:02x}" for code in (*range(0x20), 0x7F) if chr(code) not in "\n\t"},
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else ""


def template_environment(override_dir: Path | None) -> jinja2.Environment:
    """The package's templates, with those of override_dir (if any) taking precedence."""
    loaders: list[jinja2.BaseLoader] = []
    if override_dir is not None:
        loaders.append(jinja2.FileSystemLoader(override_dir))
    loaders.append(jinja2.FileSystemLoader(str(resources.files("toolspec.templates"))))
    environment = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
    )
    environment.filters["pyrepr"] = python_literal
    environment.filters["docstring"] = docstring_text
    environment.filters["first_line"] = _first_line
    return environment


def format_python(source: str) -> str:
    """Black's formatting, once per module, remembered across runs by content.

    Black is the slowest stage by far; `check` right after `generate` formats the very same
    sources, so a cache keyed by black's version and the source makes it nearly free.
    """
    key = hashlib.sha256(f"{_black_version()}\0{source}".encode()).hexdigest()
    cache = _cache_dir()
    cached = cache / key[:2] / key if cache is not None else None
    if cached is not None:
        try:
            return cached.read_text("utf-8")
        except (OSError, UnicodeDecodeError):
            pass
    formatted = black.format_str(source, mode=black.Mode(target_versions={TargetVersion.PY311}))
    if cached is None:
        return formatted
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        temporary = cached.with_name(f".{key}.{os.getpid()}.tmp")
        temporary.write_text(formatted, "utf-8")
        os.replace(temporary, cached)
    except OSError:
        pass  # a cache that cannot be written only costs time
    return formatted


def _black_version() -> str:
    return str(getattr(black, "__version__", "unknown"))


def _cache_dir() -> Path | None:
    """TOOLSPEC_CACHE_DIR, else the user's cache directory; None when there is no home."""
    configured = os.environ.get("TOOLSPEC_CACHE_DIR")
    if configured:
        return Path(configured)
    try:
        base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    except RuntimeError:  # no HOME and no user entry: run without a cache
        return None
    return Path(base) / "toolspec" / "black"


def _json_file(value: Any) -> bytes:
    return (json.dumps(value, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def render_package(
    toolsets: Sequence[model.Toolset],
    *,
    package: str,
    specs_dir: str,
    spec_paths: dict[str, str],
    templates: jinja2.Environment,
    progress: Callable[[int, int], None] | None = None,
) -> RenderedFiles:
    """Every file of the generated package, by its path below the output directory."""
    ordered = sorted(toolsets, key=lambda t: t.name)

    def python(template: str, **context: Any) -> bytes:
        return format_python(templates.get_template(template).render(**context)).encode("utf-8")

    files: RenderedFiles = {
        PurePosixPath("__init__.py"): python("package_init.py.jinja", toolsets=ordered, specs_dir=specs_dir),
        PurePosixPath("_base.py"): python("base.py.jinja", null_default_key=NULL_DEFAULT_KEY),
    }
    for done, toolset in enumerate(ordered, start=1):
        directory = PurePosixPath(toolset.name)
        schemas = {
            tool.name: parameters_schema(tool, toolset) for tool in toolset.tools if isinstance(tool, model.FunctionTool)
        }
        constants = parameters_constant_names(toolset)

        def schema_of(tool: model.FunctionTool) -> dict[str, Any]:
            return schemas[tool.name]

        def constant_of(tool: model.FunctionTool) -> PythonName:
            return PythonName(constants[tool.name])

        context = {
            "toolset": toolset,
            "spec_path": spec_paths[toolset.name],
            "class_names": argument_class_names(toolset),
            # In Python each parameters schema is a constant, which both lists refer to.
            "parameters": [(constants[name], name, schema) for name, schema in schemas.items()],
            "responses_tools": responses_tools(toolset, constant_of),
            "chat_completions_tools": chat_completions_tools(toolset, constant_of),
            "models_source": argument_models_source(toolset, package),
        }
        files[directory / "__init__.py"] = python("toolset_init.py.jinja", **context)
        files[directory / "models.py"] = python("models.py.jinja", **context)
        files[directory / "tools.py"] = python("tools.py.jinja", **context)
        files[directory / f"{toolset.name}.responses.json"] = _json_file(responses_tools(toolset, schema_of))
        files[directory / f"{toolset.name}.chat_completions.json"] = _json_file(chat_completions_tools(toolset, schema_of))
        if progress is not None:
            progress(done, len(ordered))
    files[PurePosixPath(MANIFEST)] = _json_file(
        {"generator": "toolspec", "files": sorted(str(path) for path in files)}
    )
    return files
