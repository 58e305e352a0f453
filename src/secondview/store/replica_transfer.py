"""Sending a case as one file: ``export_replica`` writes a case's merged state as a replica,
``import_replica`` merges one (an export, or any device's replica) into the cases folder.

Side effects are named in each function's docstring; importing this module has none.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from ..core.ids import new_id
from ..core.registers import case_id_of, merge_tables
from ..core.replica import CaseState, Write
from ..core.separation import Origin, name_write
from .case_folder import is_case_folder_name
from .errors import CaseError, ReadOnlyCase
from .open_case import OpenCase
from .repository import CaseRepository
from .storage import (
    NewerFormat,
    UnreadableFile,
    atomic_write,
    parse_replica,
    read_bytes,
    replica_bytes,
    unsealed,
)


def export_replica(repo: CaseRepository, case_ref: str, path: Path,
                   replace: bool = False) -> OpenCase:
    """Write a case's merged state to ``path`` as one replica file, for sending to someone.

    The file is a valid replica of the whole merged case (every device's edits, unsettled
    conflicts, deletions and the log) under this device's id and name, without its install
    nonce: an export is a snapshot, never this device's own file. CaseError if ``path`` is a
    folder, exists and ``replace`` is False, or its folder is missing. Side effects: writes
    ``path`` (0600, fsynced; atomically, replacing a link at ``path`` itself, never the file
    it points to).
    """
    opened = repo.open(case_ref)
    path = Path(path)
    if path.is_dir() and not path.is_symlink():
        raise CaseError(f"{path} is a folder; name the file to write")
    if not replace and (path.exists() or path.is_symlink()):
        raise CaseError(f"{path} already exists; choose another name")
    if not path.parent.is_dir():
        raise CaseError(f"{path.parent} is not a folder; create it first or choose another")
    data = replica_bytes(opened.state.tables, repo.device.id, repo.device.name)
    atomic_write(path, data)
    return opened


@dataclass(frozen=True)
class Imported:
    """What an import did."""

    case_id: str
    title: str
    created: bool
    changed: bool


def import_replica(repo: CaseRepository, path: Path) -> Imported:
    """Merge a replica file (an export, or any device's replica) into the cases folder.

    A case not known here gets a new case folder holding this device's replica; a known one
    has the file merged into this device's replica, through an ordinary save. Nothing else
    is written and ``path`` is left where it is. CaseError when the file cannot be read as a
    replica (the message says why) or the case is read-only here.
    """
    path = Path(path)
    try:
        raw = read_bytes(path)
        meta, tables = parse_replica(path, unsealed(path, raw, repo.key))
    except FileNotFoundError:
        raise CaseError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise CaseError(f"{path} is a folder; name a case file (.json)") from None
    except NewerFormat as exc:
        raise CaseError(f"{path}: {exc.problem}") from None
    except UnreadableFile as exc:
        raise CaseError(f"{path} cannot be imported: {exc.problem}") from None
    except OSError as exc:
        raise CaseError(f"{path} cannot be read ({exc.strerror or exc})") from None
    case_id = case_id_of(tables)
    if not is_case_folder_name(case_id):
        raise CaseError(f"{path} cannot be imported: its case id '{case_id[:40]}' is not one "
                        "secondview makes")
    incoming = CaseState(tables)
    summary = f"Imported {path.name}"[:200]
    log = Write("log", new_id(), {"action": "import", "summary": summary})
    origin = Origin.of(meta)
    named = []
    if origin.device and origin.name and origin.device != repo.device.id:
        named = [name_write(origin.device, origin.name)]
    if not os.path.lexists(repo.folder(case_id)):
        repo.clock.observe(incoming.max_at)
        state = incoming.apply([*named, log], repo.device.id, repo.clock.now())
        try:
            opened = repo.create_from(case_id, state)
        except CaseError:
            pass  # made meanwhile by another process: merged into it below
        else:
            return Imported(case_id, opened.case.title, True, True)
    opened = repo.open(case_id)
    if opened.read_only:
        raise ReadOnlyCase(f"this case is read-only: {opened.read_only}")
    if merge_tables(opened.state.tables, tables) == opened.state.tables:
        return Imported(case_id, opened.case.title, False, False)
    if named and origin.device in opened.devices:
        named = []  # named already, by its own file or an earlier import
    saved = repo.apply(opened, named, summary, merge=tables)
    return Imported(case_id, saved.case.title, False, True)
