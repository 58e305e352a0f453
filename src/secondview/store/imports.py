"""Reading a file the user names for an import (a FHIR export), for the command line and the app.

``secondview import-fhir`` (cli/records.py) and the FHIR import dialog
(ui/screens/fhir_import_screen.py) both read through ``read_import_file``, which says what
went wrong in the same words for both. Only reads; nothing happens when this module is
imported.
"""

from __future__ import annotations

from pathlib import Path


class ImportFileError(ValueError):
    """The file cannot be read; the message names it and says what to do."""


def read_import_file(path: Path, shown: str, regular_only: bool = False) -> bytes:
    """The bytes of the file at ``path`` (named ``shown`` in messages). Only reads.

    With ``regular_only`` (the app, which must not hang on a pipe) only a regular file is
    read. Raises ImportFileError.
    """
    path = Path(path)
    try:
        if regular_only and not path.is_dir() and path.exists() and not path.is_file():
            raise ImportFileError(f"{shown}: not a regular file; name the exported file")
        return path.read_bytes()
    except IsADirectoryError:
        raise ImportFileError(f"{shown}: a folder; name the exported file (.json or .ndjson) "
                              "inside it") from None
    except FileNotFoundError:
        raise ImportFileError(f"{shown}: no such file; check the path of the exported "
                              "file") from None
    except PermissionError:
        raise ImportFileError(f"{shown}: not allowed to read it; check its permissions"
                              ) from None
    except OSError as exc:
        raise ImportFileError(f"{shown}: cannot be read ({exc.strerror or exc})") from None
