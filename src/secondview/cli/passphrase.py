"""How the command line is given a passphrase or a recovery key: never on the command line.

From the file ``--passphrase-file`` names, or the one ``SECONDVIEW_PASSPHRASE_FILE`` names
(its first line), else asked on the terminal without echo (getpass); a new passphrase is
asked twice. Only reads (the files, the terminal); nothing happens at import.
"""

from __future__ import annotations

import getpass
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ..store.errors import CaseError

if TYPE_CHECKING:
    import argparse

PASSPHRASE_ENV = "SECONDVIEW_PASSPHRASE_FILE"
MIN_PASSPHRASE = 10


def first_line(path: str, what: str) -> str:
    """The first line of a file that holds a secret; CaseError if unreadable or empty."""
    try:
        text = Path(path).expanduser().read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CaseError(f"the {what} file {path} cannot be read ({exc})") from None
    line = text.splitlines()[0] if text else ""
    if not line:
        raise CaseError(f"the {what} file {path} is empty")
    return line


def ask(prompt: str) -> str:
    """A secret typed without echo; CaseError when there is no terminal to ask on."""
    if not sys.stdin.isatty():
        raise CaseError(f"no terminal to ask on; give --passphrase-file FILE or {PASSPHRASE_ENV}")
    return getpass.getpass(prompt)


def passphrase_given(file: str | None) -> str | None:
    """The passphrase from ``file`` or the file ``SECONDVIEW_PASSPHRASE_FILE`` names; None
    when neither is given."""
    chosen = file or os.environ.get(PASSPHRASE_ENV)
    return first_line(chosen, "passphrase") if chosen else None


def current_passphrase(args: argparse.Namespace) -> str:
    """The folder's passphrase: ``--passphrase-file``, the variable's file, else asked."""
    return passphrase_given(args.passphrase_file) or ask("Passphrase of this cases folder: ")


def new_passphrase(file: str | None) -> str:
    """A new passphrase: from ``file``, else asked twice; CaseError when too short or the
    two differ."""
    if file:
        chosen = first_line(file, "passphrase")
    else:
        chosen = ask("New passphrase: ")
        if ask("The same passphrase again: ") != chosen:
            raise CaseError("the two passphrases differ; nothing was changed")
    if len(chosen) < MIN_PASSPHRASE:
        raise CaseError(f"a passphrase needs at least {MIN_PASSPHRASE} characters (several "
                        "words are easiest to remember); nothing was changed")
    return chosen
