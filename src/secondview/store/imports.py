"""Reading a file the user names for an import (a FHIR export), for the command line and the app.

``secondview import-fhir`` (subcommands/records.py) and the FHIR import dialog
(ui/screens/fhir_import_screen.py) both read through ``read_import_file``; each words the
errors for its own place. Only reads; nothing happens when this module is imported.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path


class NotAFile(OSError):
    """The path names something that is neither a regular file nor a folder (a device, a
    pipe, a socket)."""


def read_import_file(path: Path, regular_only: bool = False) -> bytes:
    """The bytes of the file at ``path``. Only reads.

    With ``regular_only`` (the app, which must not hang on a pipe) only a regular file is
    read. Raises FileNotFoundError, IsADirectoryError, PermissionError, NotAFile (with
    ``regular_only``) or another OSError.
    """
    path = Path(path)
    if regular_only and not path.is_file():
        if path.is_dir():
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
        if path.exists():
            raise NotAFile(errno.EINVAL, "not a regular file", str(path))
        raise FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT), str(path))
    return path.read_bytes()
