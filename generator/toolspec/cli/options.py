"""The option every command that reads the project takes, `--config`, declared once, and the
configuration it names: shared by app.py and import_export.py."""

from __future__ import annotations

import argparse
from pathlib import Path

from toolspec.project.config import Config, load_config, load_config_file, with_rules

CONFIG_HELP = "the pyproject.toml to read (default: the nearest one)"


def add_config_option(command: argparse.ArgumentParser, help_text: str = CONFIG_HELP) -> None:
    """`--config PATH`; a command without --select and --ignore runs the configured rules."""
    command.add_argument("--config", type=Path, metavar="PATH", help=help_text)
    command.set_defaults(select=None, ignore=None)


def project_config(args: argparse.Namespace) -> Config:
    """The configuration of --config, else of the nearest pyproject.toml, with the rules that
    --select and --ignore choose in place of the configured ones."""
    config = load_config_file(args.config) if args.config is not None else load_config(Path.cwd())
    return with_rules(config, select=args.select, ignore=args.ignore)
