"""Screenshots the person saves from the command palette: private files in a folder of theirs.

A screenshot shows a case (names, diagnoses, doctors): it is written 0600 like every file the
app writes, in a folder made 0700 when missing, and never over an existing file. Side effects:
only ``save_screenshot``'s; nothing at import.
"""

from __future__ import annotations

from pathlib import Path

from .storage import atomic_write, ensure_dir


def default_folder() -> Path:
    """Where screenshots go unless told otherwise: the person's downloads folder."""
    from platformdirs import user_downloads_path

    return user_downloads_path()


def save_screenshot(folder: Path, name: str, svg: str) -> Path:
    """Write ``svg`` to ``folder/name`` (or ``name-2``, ``-3``... if taken); its path.

    Side effects: creates ``folder`` (0700) and any missing parents; writes the file (0600,
    fsynced). OSError when the folder cannot be made or written.
    """
    ensure_dir(folder)
    target = folder / Path(name).name
    stem, suffix = target.stem, target.suffix
    number = 1
    while target.exists() or target.is_symlink():
        number += 1
        target = folder / f"{stem}-{number}{suffix}"
    atomic_write(target, svg.encode("utf-8"))
    return target
