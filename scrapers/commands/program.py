"""The name of the program the user typed, for messages and suggestions: ``scrapy`` in the repository,
``presswire`` for the installed command (``cli.main`` says so). A suggestion such as `scrapy sites`
fails where no scrapy.cfg is; `presswire sites` works everywhere Presswire is installed."""

from __future__ import annotations

import argparse
import difflib
import sys
from collections.abc import Sequence
from typing import NoReturn

from ..config.checks import check_names, check_settings

EXIT_USAGE = 2
_typed = {"program": "scrapy"}


def program() -> str:
    return _typed["program"]


def set_program(name: str) -> None:
    _typed["program"] = name


# commands whose presswire name differs from their module's (scrapers/commands/cli.py MODULES)
_PRESSWIRE_NAMES = {"newsite": "new-site"}


def typed(command: str) -> str:
    """The command as the user typed it, for messages: ``presswire new-site`` or ``scrapy newsite``."""
    if program() == "presswire":
        command = _PRESSWIRE_NAMES.get(command, command)
    return f"{program()} {command}"


def one_line_errors(parser: argparse.ArgumentParser, command: str) -> None:
    """Usage errors (argparse's and ``UsageError``'s) as one line naming the command typed: Scrapy
    prints its usage block and ``PROG: error:`` with PROG the script's file name (``cli.py``)."""

    def error(message: str) -> NoReturn:
        print(f"{typed(command)}: {message} (`{typed(command)} --help` shows the options)", file=sys.stderr)
        sys.exit(EXIT_USAGE)

    parser.error = error  # type: ignore[method-assign]
    lenient = parser.parse_known_args

    def strict(args: Sequence[str] | None = None,
               namespace: argparse.Namespace | None = None) -> tuple[argparse.Namespace, list[str]]:
        # scrapy parses with parse_known_args: an unknown option would become a file or spider name
        opts, rest = lenient(args, namespace)
        unknown = [arg for arg in rest if arg.startswith("-") and arg != "-"]
        if unknown:
            option = unknown[0].split("=")[0]
            close = difflib.get_close_matches(option, list(parser._option_string_actions), n=1, cutoff=0.75)
            error(f"unknown option {option}" + (f"; did you mean {close[0]}?" if close else ""))
        # Scrapy turns a value it cannot store (a dict setting's non-JSON) into "Invalid -s value"
        for item in getattr(opts, "set", None) or []:
            name, equals, value = item.partition("=")
            if not equals or not name:
                error(f"-s {item}: expected -s NAME=VALUE")
            problems = check_names([name], [])[0] or check_settings({name: value})
            if problems:
                error(problems[0])
        return opts, rest

    parser.parse_known_args = strict  # type: ignore[method-assign,assignment]
    parser.prog = typed(command)
    level = parser._option_string_actions.get("-L")
    if level is not None and program() == "presswire":  # cli.main's default, not the settings'
        level.help = "log level (default: WARNING; with --logfile or -s LOG_FILE: INFO)"
    if parser.usage and parser.usage.startswith(f"scrapy {command}"):
        parser.usage = typed(command) + parser.usage[len(f"scrapy {command}"):]
