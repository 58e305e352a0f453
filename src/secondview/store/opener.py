"""Hand a file kept in the case to the system's viewer, when the person asks for it.

The system's opener decides which program shows the file: ``xdg-open`` on Linux and other
Unix systems, ``open`` on macOS, ``os.startfile`` on Windows. secondview never runs a file it
keeps and never goes through a shell: the opener is started with one argument, the full path
of a copy made for viewing.

Why a copy: a kept file is named by its SHA-256 alone (``store.case_files``), and a viewer
picks its program from the name's ending (macOS and Windows always do). So the bytes, checked
against their name first, are written to ``<cache>/opened/<sha256>/<name>`` (0600 in 0700
folders, the name cleaned of separators and controls) and that path is handed over; what the
viewer shows is exactly what was checked, even if the case folder changes afterwards. For a
sealed folder those copies are plain, so they are removed when the app closes and at
``secondview lock`` (``forget_opened``).

Side effects are named in each function's docstring; nothing happens at import.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .case_files import read_kept
from .storage import Sealer, atomic_write, ensure_dir

OPENED_DIR = "opened"
"""The folder (in the cache folder) of the copies handed to the viewer."""

UNIX_OPENER = "xdg-open"
MAC_OPENER = "open"

_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\:]+")


class OpenerError(Exception):
    """The viewer could not be started; the message says why."""


class NoOpener(OpenerError):
    """This computer has no program that opens files for the person."""


@dataclass(frozen=True)
class Opener:
    """The program that opens a file in the person's own viewer.

    ``command`` is the program and any fixed arguments; the path is added as the last one.
    An empty command stands for Windows' ``os.startfile``."""

    command: tuple[str, ...]

    @property
    def name(self) -> str:
        """What to call the opener in a message."""
        return Path(self.command[0]).name if self.command else "the Windows file opener"

    def launch(self, path: Path) -> None:
        """Start the opener on ``path`` and return without waiting for it (it may show the file
        for hours). Side effects: starts one process (no shell, no input, output discarded,
        in a session of its own so closing secondview does not close the viewer).
        OpenerError when it cannot be started."""
        if not path.is_absolute():
            raise OpenerError(f"{path} is not a full path; nothing was opened")
        try:
            if not self.command:
                _start_file(path)
                return
            subprocess.Popen(  # a list of arguments: no shell reads it
                [*self.command, str(path)], stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, close_fds=True,
                start_new_session=True)
        except OSError as exc:
            raise OpenerError(f"{self.name} could not be started "
                              f"({exc.strerror or exc})") from None


def _start_file(path: Path) -> None:
    """Windows' own opener (the program a double-click would start)."""
    if sys.platform == "win32":
        os.startfile(str(path))
    else:
        raise OpenerError("this computer has no Windows file opener")


def system_opener(platform: str = sys.platform,
                  which: Callable[[str], str | None] = shutil.which) -> Opener | None:
    """This system's opener, or None when there is none (a server without a desktop, where
    ``xdg-open`` is not installed). Only looks (``which`` searches PATH)."""
    if platform == "win32":
        return Opener(())
    found = which(MAC_OPENER if platform == "darwin" else UNIX_OPENER)
    return Opener((found,)) if found else None


def no_opener_message(platform: str = sys.platform) -> str:
    """What to tell the person when ``system_opener`` found none."""
    wanted = MAC_OPENER if platform == "darwin" else UNIX_OPENER
    return (f"No program that opens files was found on this computer ({wanted} is not "
            "installed), so secondview cannot show this file in another program.")


def viewing_name(name: str, digest: str) -> str:
    """The name of the copy handed to the viewer: the kept file's own name, its last part
    only, without separators or control characters, never starting with a dot or a dash."""
    last = re.split(r"[\\/]", name.strip())[-1]
    cleaned = _UNSAFE.sub("_", last).strip(" .-")[-120:].lstrip(" .-")
    return cleaned or f"{digest[:12]}"


def open_kept(case_folder: Path, digest: str, name: str, cache_dir: Path,
              opener: Opener | None, key: Sealer | None = None) -> Path:
    """Show the kept file ``digest`` (named ``name``) in the system's viewer; the path handed
    to it.

    Reads the kept file and checks it against its name first (``store.case_files``:
    CaseFileError when it is missing or changed, and nothing is opened). Side effects: writes
    the copy ``<cache_dir>/opened/<digest>/<name>`` (0600, atomically; left for the viewer,
    which may read it long after this returns) and starts ``opener`` on it. NoOpener when
    ``opener`` is None, OpenerError when it cannot be written or started. In a sealed folder
    (``key``) the copy is plain, in this device's cache (never synced): the viewer needs it
    so."""
    data = read_kept(case_folder, digest, key)
    if opener is None:
        raise NoOpener(no_opener_message())
    folder = cache_dir / OPENED_DIR / digest
    copy = folder / viewing_name(name, digest)
    try:
        ensure_dir(folder)
        if not (copy.is_file() and not copy.is_symlink() and copy.read_bytes() == data):
            atomic_write(copy, data)
    except OSError as exc:
        raise OpenerError(f"{copy} could not be written ({exc.strerror or exc})") from None
    opener.launch(copy.absolute())
    return copy


def forget_opened(cache_dir: Path) -> bool:
    """Remove every copy made for the viewer (``<cache_dir>/opened``); whether there was one.

    For a sealed folder, whose documents must not stay readable in this device's cache once
    the person is done: called when the app closes and by ``secondview lock``. A viewer still
    showing a copy keeps what it has read. Side effects: the folder and everything in it
    removed; links inside it are removed, never followed; a link in its place is removed
    alone."""
    folder = cache_dir / OPENED_DIR
    if folder.is_symlink():
        folder.unlink()
        return True
    if not folder.is_dir():
        return False
    shutil.rmtree(folder, ignore_errors=True)
    return True
