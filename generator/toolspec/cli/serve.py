"""`toolspec serve`: the configured handlers, served over MCP by the generated Dispatcher.

`[tool.toolspec] handlers` names each toolset's class; serve imports the generated package and
those classes from the project root, makes one of each (without arguments), and runs
`Dispatcher.run_mcp`. Over stdio nothing but the protocol goes to stdout: an MCP client's
configuration is `"command": "toolspec", "args": ["serve"]`.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from typing import Any

from toolspec.cli.options import add_config_option, project_config
from toolspec.ground.errors import EXIT_OK, UsageError

TRANSPORTS = ("stdio", "http")


def add_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    serve = commands.add_parser("serve", help="serve the configured handlers over MCP")
    serve.add_argument(
        "--toolset",
        action="append",
        metavar="NAME",
        help="a toolset to serve (again for more); default: every toolset in `handlers`",
    )
    serve.add_argument("--transport", choices=TRANSPORTS, default="stdio", help="default: stdio")
    serve.add_argument("--host", default="127.0.0.1", help="http: the address to listen on (default: 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="http: the port; the endpoint is /mcp (default: 8000)")
    add_config_option(serve)
    serve.set_defaults(run=_serve)


def _serve(args: argparse.Namespace) -> int:
    config = project_config(args)
    if not config.handlers:
        example = 'handlers = {weather = "app.weather:Weather"}'
        raise UsageError(f"no handlers to serve: name each toolset's class in [tool.toolspec], e.g. {example}")
    names = args.toolset or sorted(config.handlers)
    unknown = [name for name in names if name not in config.handlers]
    if unknown:
        known = ", ".join(sorted(config.handlers))
        raise UsageError(f"--toolset {', '.join(unknown)}: not in [tool.toolspec] handlers, which has {known}")
    sys.path.insert(0, str(config.root))
    package = _package(config.package)
    dispatcher = package.Dispatcher(*(_instance(name, config.handlers[name]) for name in names))
    try:
        dispatcher.run_mcp(args.transport, host=args.host, port=args.port, name="+".join(names))
    except ModuleNotFoundError as error:
        if error.name not in ("mcp", "uvicorn"):
            raise
        raise UsageError(str(error)) from None
    return EXIT_OK


def _package(name: str) -> Any:
    try:
        return importlib.import_module(name)
    except Exception as error:  # noqa: BLE001 - the project's package may fail in any way
        raise UsageError(
            f"cannot import the generated package {name}: {type(error).__name__}: {error}; run `toolspec generate`"
        ) from None


def _instance(toolset: str, target: str) -> Any:
    """One object of the class that handles toolset, made without arguments."""
    from toolspec.project.coverage import load_class  # what serve runs on, imported when it runs

    found = load_class(target)
    if isinstance(found, str):
        raise UsageError(f"handlers.{toolset}: {found}")
    try:
        return found()
    except Exception as error:  # noqa: BLE001 - the team's constructor may fail in any way
        raise UsageError(
            f"handlers.{toolset}: {target}() failed: {type(error).__name__}: {error} "
            "(serve makes each class without arguments)"
        ) from None
