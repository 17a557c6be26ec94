"""The option every command that reads the project takes, `--config`, declared once, and the
configuration it names: shared by app.py and import_export.py. What builds the parser imports
nothing a command may not use: `toolspec --version` runs in about a bare interpreter's time."""

from __future__ import annotations

import argparse
import functools
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, overload

if TYPE_CHECKING:
    from toolspec.project.config import Config

CONFIG_HELP = "the pyproject.toml to read (default: the nearest one)"


def add_config_option(command: argparse.ArgumentParser, help_text: str = CONFIG_HELP) -> None:
    """`--config PATH`; a command without --select and --ignore runs the configured rules."""
    command.add_argument("--config", type=Path, metavar="PATH", help=help_text)
    command.set_defaults(select=None, ignore=None)


def project_config(args: argparse.Namespace) -> Config:
    """The configuration of --config, else of the nearest pyproject.toml, with the rules that
    --select and --ignore choose in place of the configured ones."""
    from toolspec.project.config import load_config, load_config_file, with_rules

    config = load_config_file(args.config) if args.config is not None else load_config(Path.cwd())
    return with_rules(config, select=args.select, ignore=args.ignore)


class LazyChoices(Sequence[str]):
    """An option's choices read from the module that knows them when argparse first checks or
    shows them, not when the parser is built; the option needs a metavar (argparse lists the
    choices of an option without one as it adds it)."""

    def __init__(self, names: Callable[[], Iterable[str]]) -> None:
        self._names = names

    @functools.cached_property
    def _known(self) -> tuple[str, ...]:
        return tuple(self._names())

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[str]: ...
    def __getitem__(self, index: int | slice) -> str | Sequence[str]:
        return self._known[index]

    def __len__(self) -> int:
        return len(self._known)
