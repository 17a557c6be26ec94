"""`[tool.toolspec]` in pyproject.toml: where specs are, where output goes, which rules run.

Unknown keys and unknown rule codes are errors, so that a typo does not silently turn a
rule off.
"""

from __future__ import annotations

import difflib
import keyword
import re
import sys
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from toolspec.ground.change_rules import CHANGE_RULES
from toolspec.ground.diagnostics import Severity
from toolspec.ground.errors import ToolspecError
from toolspec.ground.fixed_codes import FIXED_CODES, Code
from toolspec.lint.rule import Options, Rule
from toolspec.lint.rules import RULES, schema_rejected

KEYS = ("specs", "output", "package", "select", "ignore", "templates", "options", "timeout", "handlers", "breaking")
BREAKING_KEYS = ("ignore",)
"""The keys of `[tool.toolspec.breaking]` (or `breaking.ignore = [...]` in [tool.toolspec])."""


class ConfigError(ToolspecError):
    """A problem with the configuration; the message says what and where."""


ALWAYS_ON = (schema_rejected.CODE,)
"""TS506 compiles every schema as the API and llguidance would, and refuses what they refuse:
with it, turning rules off (a prefix, `select` of a few) never lets through a schema the
API rejects. It stays quiet where a precise rule reported. A comment with a reason can still
suppress one of its findings; no configuration turns it off."""


@dataclass(frozen=True)
class Config:
    root: Path
    """The directory of pyproject.toml (or the working directory when there is none)."""
    specs: Path
    output: Path
    package: str
    """The import name of the generated package."""
    select: tuple[str, ...] = ("TS",)
    ignore: tuple[str, ...] = ()
    templates: Path | None = None
    options: Options = field(default_factory=lambda: default_options())
    """Rule code -> option -> value: every rule's options, as configured or by default."""
    timeout: float | None = None
    """Seconds a tool call may run when its spec sets no `timeout`; None: no limit."""
    handlers: Mapping[str, str] = field(default_factory=dict)
    """Toolset -> `module:Class` that implements it, for `toolspec check` to hold to the spec."""
    always_on: tuple[str, ...] = ALWAYS_ON
    """Rules no select or ignore turns off (ALWAYS_ON); only tests of one rule at a time empty it."""
    breaking_ignore: tuple[str, ...] = ()
    """Codes (or prefixes) of the changes `toolspec breaking` accepts (`breaking.ignore`)."""
    source: str = field(default="defaults")

    def how_to_set(self, key: str) -> str:
        """Where a message should send the user to change key: the pyproject.toml in use, if any."""
        if self.source == "defaults":
            return f"set `{key}` in [tool.toolspec] of a pyproject.toml; none was found in {self.root} or above"
        return f"set `{key}` in [tool.toolspec] of {self.source}"

    def enabled_rules(self) -> tuple[Rule, ...]:
        """The rules select and ignore leave on, and always those of always_on."""
        return tuple(
            rule
            for rule in RULES
            if rule.code in self.always_on
            or any(rule.code.startswith(code) for code in self.select)
            and not any(rule.code.startswith(code) for code in self.ignore)
        )


def default_options() -> Options:
    return {rule.code: dict(rule.options) for rule in RULES if rule.options}


def find_pyproject(start: Path) -> tuple[Path, object] | None:
    """The nearest pyproject.toml at or above start that has [tool.toolspec], and that table.
    Files without the section are skipped, as ruff, mypy and pytest do, so that a sub-project's
    own pyproject.toml does not hide the configuration above it."""
    for directory in (start, *start.parents):
        candidate = directory / "pyproject.toml"
        if candidate.is_file():
            try:
                tool = tomllib.loads(candidate.read_text("utf-8")).get("tool")
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
                raise ConfigError(f"{candidate}: cannot read it: {error}") from None
            if isinstance(tool, dict) and "toolspec" in tool:
                return candidate, tool["toolspec"]
    return None


def load_config(start: Path) -> Config:
    """The configuration for a run started in directory start."""
    found = find_pyproject(start.resolve())
    if found is None:
        return _build(start.resolve(), {}, "defaults")
    pyproject, table = found
    if not isinstance(table, dict):
        raise ConfigError(f"{pyproject}: [tool.toolspec] must be a table")
    return _build(pyproject.parent, table, str(pyproject))


def load_config_file(pyproject: Path) -> Config:
    """The configuration in the file pyproject (`--config`); paths are relative to its directory."""
    pyproject = pyproject.resolve()
    if not pyproject.is_file():
        raise ConfigError(f"{pyproject}: no such file")
    try:
        data = tomllib.loads(pyproject.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"{pyproject}: cannot read it: {error}") from None
    tool = data.get("tool", {})
    table = tool.get("toolspec", {}) if isinstance(tool, dict) else None
    if not isinstance(table, dict):
        raise ConfigError(f"{pyproject}: [tool.toolspec] must be a table")
    return _build(pyproject.parent, table, str(pyproject))


def _build(root: Path, table: dict[str, object], source: str) -> Config:
    for key in table:
        if key not in KEYS:
            close = difflib.get_close_matches(key, KEYS, n=1)
            hint = f" (did you mean `{close[0]}`?)" if close else f"; known keys: {', '.join(KEYS)}"
            raise ConfigError(f"{source}: [tool.toolspec] has an unknown key `{key}`{hint}")
    package = _string(table, "package", "generated", source)
    _check_package(package, source)
    templates = table.get("templates")
    return Config(
        root=root,
        specs=root / _string(table, "specs", "specs", source),
        output=root / _string(table, "output", "generated", source),
        package=package,
        select=_codes(table, "select", ("TS",), source),
        ignore=_codes(table, "ignore", (), source),
        templates=root / _string(table, "templates", "", source) if templates else None,
        options=_options(table.get("options", {}), source),
        timeout=_timeout(table.get("timeout"), source),
        handlers=_handlers(table.get("handlers", {}), source),
        breaking_ignore=_breaking_ignore(table.get("breaking", {}), source),
        source=source,
    )


SHADOWED_MODULES = frozenset(
    {"pydantic", "pydantic_core", "typing_extensions", "annotated_types", "openai", "toolspec"}
)
"""Modules the generated code or toolspec needs, besides the standard library's."""


def _check_package(package: str, source: str) -> None:
    """package must be importable with an import statement and shadow no module the code needs."""
    where = f"{source}: [tool.toolspec] package"
    if not re.fullmatch(r"[A-Za-z_]\w*(\.[A-Za-z_]\w*)*", package, re.ASCII):
        raise ConfigError(f"{where} must be a Python import name (such as `generated`), not {package!r}")
    keywords = [part for part in package.split(".") if keyword.iskeyword(part)]
    if keywords:
        raise ConfigError(
            f"{where} {package!r} holds the Python keyword {keywords[0]!r}: the generated code could not "
            "import it; choose another name"
        )
    top = package.split(".")[0]
    if top in sys.stdlib_module_names or top in SHADOWED_MODULES:
        raise ConfigError(
            f"{where} {package!r} would shadow the module {top!r}, which the generated code or toolspec "
            "imports; choose another name"
        )


def _string(table: dict[str, object], key: str, default: str, source: str) -> str:
    value = table.get(key, default)
    if not isinstance(value, str):
        raise ConfigError(f"{source}: [tool.toolspec] {key} must be a string")
    return value


def with_rules(config: Config, *, select: str | None = None, ignore: str | None = None) -> Config:
    """config with select and ignore given on the command line (comma-separated codes or
    prefixes), which replace the configured ones."""

    def codes(key: str, text: str | None, configured: tuple[str, ...]) -> tuple[str, ...]:
        if text is None:
            return configured
        value = [code.strip() for code in text.split(",") if code.strip()]
        return _codes({key: value}, key, (), "", label=f"--{key}")

    return replace(config, select=codes("select", select, config.select), ignore=codes("ignore", ignore, config.ignore))


def _codes(
    table: dict[str, object], key: str, default: tuple[str, ...], source: str, *, label: str | None = None
) -> tuple[str, ...]:
    label = label or f"{source}: [tool.toolspec] {key}"
    value = table.get(key, list(default))
    if not isinstance(value, list) or not all(isinstance(code, str) for code in value):
        raise ConfigError(f"{label} must be a list of rule codes")
    codes = sorted(rule.code for rule in RULES)
    for code in value:
        if code in ALWAYS_ON and key == "ignore":
            raise ConfigError(
                f"{label} names {code!r}, which cannot be turned off: it refuses what the API would "
                "refuse; fix the schema, or suppress one finding with `# toolspec: ignore[TS506] reason`"
            )
        fixed = [c for c in FIXED_CODES if c.code.startswith(code)] if code else []
        if fixed and not any(rule_code.startswith(code) for rule_code in codes):
            raise ConfigError(f"{label} names {code!r}, but {_not_configurable(fixed)}")
        lint_code = any(rule_code.startswith(code) for rule_code in codes)
        if code and not lint_code and any(change.code.startswith(code) for change in CHANGE_RULES):
            raise ConfigError(
                f"{label} names {code!r}, a code of toolspec breaking, not of lint: "
                "list it in `breaking.ignore` of [tool.toolspec]"
            )
        if not code or not lint_code:
            close = difflib.get_close_matches(code, codes, n=1, cutoff=0.6)
            hint = f" (did you mean {close[0]!r}?)" if close else "; `toolspec rule --all` lists them"
            raise ConfigError(f"{label} names {code!r}, which is no rule code or prefix{hint}")
    return tuple(value)


def _not_configurable(fixed: list[Code]) -> str:
    """Why the fixed codes a prefix names cannot be turned off, saying which are warnings."""
    reading = [c.code for c in fixed if not c.code.startswith("TS9")]
    parts = []
    if reading:
        they = "they are errors" if len(reading) > 1 else "it is an error"
        parts.append(f"{', '.join(reading)} cannot be turned off: {they} in reading a spec, which must be fixed in it")
    if suppression := [c for c in fixed if c.code.startswith("TS9")]:
        kinds = ", ".join(
            f"{c.code} is {'an error' if c.severity is Severity.ERROR else 'a warning'} "
            f"({c.summary[:1].lower()}{c.summary[1:].rstrip('.')})"
            for c in suppression
        )
        parts.append(
            f"{', '.join(c.code for c in suppression)} cannot be turned off: {kinds}, fixed in the comment "
            "(`toolspec rule CODE` says how)"
        )
    return "; ".join(parts)


def _options(table: object, source: str) -> Options:
    """`[tool.toolspec.options.<rule name>]` tables over the rules' defaults."""
    if not isinstance(table, dict):
        raise ConfigError(f"{source}: [tool.toolspec.options] must be a table of rule names")
    options = {code: dict(values) for code, values in default_options().items()}
    by_name = {rule.name: rule for rule in RULES}
    for name, values in table.items():
        rule = by_name.get(name)
        if rule is None or not rule.options:
            with_options = sorted(r.name for r in RULES if r.options)
            close = difflib.get_close_matches(name, with_options, n=1)
            hint = f" (did you mean `{close[0]}`?)" if close else f"; rules with options: {', '.join(with_options)}"
            raise ConfigError(f"{source}: [tool.toolspec.options] names `{name}`, which is no rule with options{hint}")
        if not isinstance(values, dict):
            raise ConfigError(f"{source}: [tool.toolspec.options.{name}] must be a table")
        for option, value in values.items():
            if option not in rule.options:
                known = ", ".join(f"`{o}`" for o in rule.options)
                raise ConfigError(
                    f"{source}: [tool.toolspec.options.{name}] has an unknown option `{option}`; {name} has {known}"
                )
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise ConfigError(
                    f"{source}: [tool.toolspec.options.{name}] {option} must be a whole number, 0 or more"
                )
            limit = rule.option_limits.get(option)
            if limit is not None and value > limit:
                raise ConfigError(
                    f"{source}: [tool.toolspec.options.{name}] {option} = {value} is above the API's limit "
                    f"of {limit}: the option may lower that limit, not raise it (the API would refuse the request)"
                )
            options[rule.code][option] = value
    return options


def _timeout(value: object, source: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not value > 0:
        raise ConfigError(f"{source}: [tool.toolspec] timeout must be a number of seconds above 0, not {value!r}")
    return float(value)


def _handlers(table: object, source: str) -> dict[str, str]:
    """`handlers = {toolset = "package.module:Class"}`: where each toolset is implemented."""
    if not isinstance(table, dict):
        raise ConfigError(f'{source}: [tool.toolspec] handlers must be a table: {{weather = "app.weather:Weather"}}')
    for toolset, target in table.items():
        if not isinstance(target, str) or not re.fullmatch(r"[A-Za-z_][\w.]*:[A-Za-z_]\w*", target):
            raise ConfigError(
                f"{source}: [tool.toolspec] handlers.{toolset} must name a class as "
                f'"package.module:Class", not {target!r}'
            )
    return dict(table)


def _breaking_ignore(table: object, source: str) -> tuple[str, ...]:
    """`breaking.ignore = ["TS704", ...]`: codes or prefixes of `toolspec breaking`'s codes."""
    where = f"{source}: [tool.toolspec] breaking"
    if not isinstance(table, dict):
        raise ConfigError(f'{where} must be a table: breaking.ignore = ["TS704"]')
    for key in table:
        if key not in BREAKING_KEYS:
            close = difflib.get_close_matches(key, BREAKING_KEYS, n=1)
            hint = f" (did you mean `{close[0]}`?)" if close else f"; known keys: {', '.join(BREAKING_KEYS)}"
            raise ConfigError(f"{where} has an unknown key `{key}`{hint}")
    value = table.get("ignore", [])
    if not isinstance(value, list) or not all(isinstance(code, str) for code in value):
        raise ConfigError(f"{where}.ignore must be a list of codes of toolspec breaking (TS7xx)")
    codes = [rule.code for rule in CHANGE_RULES]
    for code in value:
        if not code or not any(known.startswith(code) for known in codes):
            close = difflib.get_close_matches(code, codes, n=1, cutoff=0.6)
            hint = f" (did you mean {close[0]!r}?)" if close else "; `toolspec rule --all` lists them (TS7xx)"
            raise ConfigError(f"{where}.ignore names {code!r}, which is no code of toolspec breaking{hint}")
    return tuple(value)
