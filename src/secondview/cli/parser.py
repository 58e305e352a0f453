"""The argument parser: the global options and every command, each with its handler.

Each module of commands adds its commands with its ``register(add, case_help)`` (listed in
``REGISTERS``) and names each command's handler with ``set_defaults(handler=...)``:
``entry.main`` runs ``args.handler(args, env)``, the one way a command is dispatched. This
module (with argparse and every command module) is imported only when the words are not a
plain start of the app (``entry.plain_start``): building the parser costs CPU the first frame
would wait for.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any, NoReturn

from .. import __version__
from .agenda import register as agenda
from .cases import register as cases
from .diagnostics import register as diagnostics
from .exports import register as exports
from .output import PROG
from .records import register as records
from .seal import register as seal
from .search import register as search
from .settle import register as settle
from .sync import register as sync

REGISTERS: tuple[Callable[[Callable[..., Any], str], None], ...] = (
    cases, agenda, search, diagnostics, settle, sync, exports, records, seal
)
"""Each module of commands' ``register``, in the order ``secondview --help`` lists them."""

CASE_HELP = "the case: its title or any unique part of it (\"Garcia\"), or its id or a start of it"


class UsageError(Exception):
    """The command line itself is wrong (unknown option, missing argument)."""

    def __init__(self, message: str, prog: str) -> None:
        super().__init__(message)
        self.prog = prog


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose mistakes are our one-line message and exit status 1, not 2."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(message, self.prog)


def build_parser() -> argparse.ArgumentParser:
    """The parser of the whole command line. Raises UsageError (from ``parse_args``) for
    words it cannot take; --help and --version print and raise SystemExit."""
    # Global options are accepted before or after the command.
    common = _Parser(add_help=False)
    common.add_argument(
        "--cases",
        metavar="DIR",
        default=argparse.SUPPRESS,
        help="the cases folder (else SECONDVIEW_CASES, else cases_dir in config.yaml)",
    )
    common.add_argument(
        "--demo",
        action="store_true",
        default=argparse.SUPPRESS,
        help="work on a throwaway copy of a sample case; it is removed on exit",
    )
    json_opt = _Parser(add_help=False)
    json_opt.add_argument("--json", action="store_true", help="print JSON for scripts")

    parser = _Parser(
        prog=PROG,
        description=(
            "A terminal companion for getting a second medical opinion. With no sub-command "
            "the app starts; the sub-commands below change and report cases for scripts."
        ),
        parents=[common],
        epilog="Every sub-command has --help. Exit status: 0 on success, 1 on any problem.",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    def add(name: str, summary: str, *, json: bool = False, epilog: str = "") -> _Parser:
        """A command's parser, with the global options (and --json when it has it)."""
        parents = [common, json_opt] if json else [common]
        parser: _Parser = sub.add_parser(
            name,
            help=summary,
            description=summary,
            parents=parents,
            epilog=epilog or None,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        return parser

    for register in REGISTERS:
        register(add, CASE_HELP)
    return parser
