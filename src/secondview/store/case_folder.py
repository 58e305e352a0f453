"""What may stand in the cases folder and in a case folder, and how an entry is read.

One rule for everything found there, applied by every command and screen through
``CaseRepository``:

- A case folder is a real folder whose name is exactly a case id (``core.ids.is_case_id``:
  a lower-case UUID). Anything else with a dot or another name (``.stfolder``, ``.git``,
  ``.stversions``, our hidden temp folders) is a sync tool's or ours, and is passed over.
- secondview never follows a link inside the cases folder, and never writes through one: a
  link named like a case folder or a case file is not read, and is reported (``Odd``) so the
  person learns that another device's edits behind it are not being merged.
- In a case folder, every ``*.json`` not starting with "." or "~" is a case file. One that is
  a link, a folder, a pipe, a socket or a device is reported by name and never opened.
- A folder the person made read-only (its owner may not write, or this user may not) is left
  as it is and reported as read-only; the app never adds a permission.

Reading a case file (``read_case_file``) refuses, at the moment of opening, a link or
anything but a regular file, so an entry swapped after the folder was listed is not followed
either. Only reads and ``lstat``s: nothing here writes.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from ..core.ids import is_case_id
from .storage import Stamp, UnreadableFile

LINK = ("is a link; secondview never follows links in the cases folder, so what it points to "
        "is not read: put the {what} itself here instead of a link")


def is_case_folder_name(name: str) -> bool:
    """Whether a name in the cases folder is a case folder's (exactly a case id)."""
    return is_case_id(name)


KEPT_FOLDER = "files"
"""The folder of files kept inside a case folder (``store.case_files``); its name has no
``.json``, so it is never taken for a case file."""
KEPT_STAMP = KEPT_FOLDER + "/"
"""The key of the kept folder's stamp among a case folder's stamps (``scan_case_folder``):
a file kept there changes it, so a note or a part that syncs after the replica naming it
is read at the next look. No case file has this name."""


def is_replica_name(name: str) -> bool:
    """Whether a name in a case folder is a case file's (``*.json``, not hidden, no temp)."""
    return name.endswith(".json") and not name.startswith((".", "~"))


class OddEntry(UnreadableFile):
    """A case file that is a link, a folder, a pipe...: reported, never read nor copied."""


@dataclass(frozen=True)
class Odd:
    """An entry named like ours that is not what the name says: never read, reported."""

    path: Path
    problem: str


def _kind(mode: int) -> str:
    if stat.S_ISLNK(mode):
        return "link"
    if stat.S_ISDIR(mode):
        return "folder"
    if stat.S_ISFIFO(mode):
        return "pipe"
    if stat.S_ISSOCK(mode):
        return "socket"
    return "device file" if stat.S_ISBLK(mode) or stat.S_ISCHR(mode) else "file"


def odd_case_file(path: Path, mode: int) -> str:
    """Why an entry named like a case file is not read ("" when it is a regular file)."""
    if stat.S_ISREG(mode):
        return ""
    if stat.S_ISLNK(mode):
        return LINK.format(what="case file")
    kind = _kind(mode)
    return (f"not a regular file (a {kind} named like a case file), so it is not read; "
            "move it out of the case folder")


def scan_case_folder(folder: Path) -> tuple[dict[str, Stamp | None], list[Odd]]:
    """The stamp of every case file in ``folder`` (and of its kept folder, under
    ``KEPT_STAMP``, when it is a real folder), and the entries named like case files that
    are not regular files. FileNotFoundError if the folder is gone; OSError if it cannot be
    listed."""
    stamps: dict[str, Stamp | None] = {}
    odd: list[Odd] = []
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.name == KEPT_FOLDER and entry.is_dir(follow_symlinks=False):
                st = entry.stat(follow_symlinks=False)
                stamps[KEPT_STAMP] = Stamp(st.st_mtime_ns, st.st_size, st.st_ino)
                continue
            if not is_replica_name(entry.name):
                continue
            try:
                st = entry.stat(follow_symlinks=False)
            except FileNotFoundError:
                continue  # moved away since the folder was listed (a sync tool at work)
            problem = odd_case_file(Path(entry.path), st.st_mode)
            if problem:
                odd.append(Odd(Path(entry.path), problem))
            else:
                stamps[entry.name] = Stamp(st.st_mtime_ns, st.st_size, st.st_ino)
    return stamps, odd


def scan_cases_folder(cases_dir: Path) -> tuple[list[str], list[Odd]]:
    """The ids of the case folders in ``cases_dir`` (sorted), and the entries named like case
    folders that are not real folders (links, files). FileNotFoundError if it is missing."""
    ids: list[str] = []
    odd: list[Odd] = []
    with os.scandir(cases_dir) as entries:
        for entry in entries:
            if not is_case_folder_name(entry.name):
                continue
            if entry.is_dir(follow_symlinks=False):
                ids.append(entry.name)
            elif entry.is_symlink():
                odd.append(Odd(Path(entry.path), LINK.format(what="case folder")))
            else:
                odd.append(Odd(Path(entry.path), "named like a case folder but not a folder, "
                                                  "so it is not read; move it elsewhere"))
    return sorted(ids), odd


def is_real_folder(path: Path) -> bool:
    """Whether ``path`` is a folder and not a link to one."""
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return False


def is_link(path: Path) -> bool:
    try:
        return stat.S_ISLNK(os.lstat(path).st_mode)
    except OSError:
        return False


def read_only_reason(folder: Path) -> str:
    """Why the case in ``folder`` cannot be written here ("" when it can): the person made
    the folder (or the cases folder above it) read-only, or it belongs to someone else."""
    for place in (folder.parent, folder):
        try:
            mode = os.stat(place).st_mode
        except OSError:
            continue
        if not mode & stat.S_IWUSR or not os.access(place, os.W_OK):
            shown = f"{stat.S_IMODE(mode):04o}"
            return (f"the folder {place} is read-only (mode {shown}); make it writable "
                    "(chmod u+w) to edit this case")
    return ""


def read_case_file(path: Path) -> bytes:
    """The bytes of one case file: opened without following a link and without waiting on
    a pipe, read, closed. UnreadableFile when it is not a regular file (swapped since the
    folder was listed); OSError (FileNotFoundError included) as ``open`` raises them."""
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if is_link(path):
            raise OddEntry(path, LINK.format(what="case file")) from None
        raise exc
    try:
        mode = os.fstat(fd).st_mode
        problem = odd_case_file(path, mode)
        if problem:
            raise OddEntry(path, problem)
        chunks = []
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)
