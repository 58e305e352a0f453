"""Reading a case folder's files: reading and merging them, quarantining bad ones.

``CaseRepository`` opens and reloads cases through these functions. Each case file is opened
through TinyDB (``store.replica_db``: one read per file, never following a link); the files
are merged, with the writes of two installs under one id told apart first
(``core.separation``) and this install's kept copy merged back when its own file lacks what
it last wrote (``store.twin_installs``). Unreadable files are copied to ``quarantine/`` (once
per version) and reported; they are left where they are and never overwritten.

Side effects are named in each function's docstring; nothing happens at import.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..core.install_record import Kept
from ..core.registers import Tables, merge_tables
from ..core.replica_json import Reading
from ..core.separation import DEVICE_NAMES, Origin, Parsed, recorded_names, separate
from .case_folder import OddEntry, read_case_file
from .key_file import is_sealed_folder
from .open_case import FolderRead, Problem
from .open_case import read_only_reason as problems_read_only
from .paths import Device, Paths
from .replica_db import ReplicaDB
from .replica_parts import PartMissing, PartShelf
from .storage import (
    NOT_SEALED,
    Locked,
    NewerFormat,
    Sealer,
    Stamp,
    UnreadableFile,
    atomic_write,
    ensure_dir,
    parse_replica,
    unsealed,
)
from .twin_installs import kept_path, read_kept


def read_files(paths: Paths, device: Device, case_id: str, names: Sequence[str],
               base: Tables | None = None, key: Sealer | None = None,
               shelf: PartShelf | None = None) -> FolderRead:
    """Merge the named files of a case folder as ``device`` sees them (with ``base``, the
    state held in memory, only when two installs' writes must be told apart: see
    ``core.separation.separate``). Sealed files are opened with ``key``; without it they are
    reported (Locked), never quarantined: the folder is locked, the files are fine. A file
    that names parts is read whole through ``shelf`` (``store.replica_parts``); one whose
    part has not arrived is reported as waiting (read again next time), never quarantined.

    Side effects: unreadable files are copied, as their raw bytes, to quarantine.
    """
    folder = paths.cases_dir / case_id
    own_name = f"{device.id}.json"
    parsed: list[Parsed] = []
    devices: dict[str, str] = {}
    problems: list[Problem] = []
    shelf = shelf or PartShelf()
    reading = Reading()  # a table written alike in two files is parsed and checked once
    for name in sorted(names):
        db = ReplicaDB(folder / name, key=key, reading=reading,
                       resolve=shelf.resolver(folder, case_id, key, own=name == own_name))
        read = _read_one(paths, db, case_id, name == own_name)
        if isinstance(read, Problem):
            problems.append(read)
        elif read is not None:
            origin = Origin.of(db.replica.meta)
            if origin.device:
                devices[origin.device] = origin.name or origin.device
            parsed.append(Parsed(name, origin, read, db.replica.raw))
    kept = read_kept(paths, case_id)
    recovered = _kept_tables(paths, own_name, case_id, kept, parsed, names, key, shelf)
    if recovered is not None:
        base = recovered if base is None else merge_tables(base, recovered)
    separation = separate(parsed, device, base, kept) if parsed else None
    merged: Tables | None = None
    if separation is not None:
        merged = separation.tables
        devices.update(separation.names)
    else:
        for p in parsed:
            merged = p.tables if merged is None else merge_tables(merged, p.tables)
        if recovered is not None:
            merged = recovered if merged is None else merge_tables(merged, recovered)
    if merged is not None and DEVICE_NAMES in merged:
        for dev, device_name in recorded_names(merged).items():
            devices.setdefault(dev, device_name)
    origins = {p.name: p.origin for p in parsed}
    return FolderRead(merged, devices, problems, problems_read_only(problems), origins,
                      separation, recovered is not None)


def _read_one(paths: Paths, db: ReplicaDB, case_id: str, own: bool) -> Tables | Problem | None:
    """The tables of one file of the case (``own``: this device's), None when it is gone
    since the folder was listed (a sync tool moved it), or the Problem it has (damaged
    files copied to quarantine)."""
    path = db.replica.path
    try:
        tables = _read(db, paths)
        if tables is None:
            return None
        found = next(iter(tables["case"]))
        if found != case_id:
            raise UnreadableFile(path, f"it holds another case ({found})")
    except OddEntry as exc:
        return Problem(path, exc.problem, None, case_id)
    except PartMissing as exc:
        return Problem(path, exc.problem, None, case_id, exc.problem if own else "",
                       waiting=True)
    except (NewerFormat, Locked) as exc:
        return Problem(path, exc.problem, None, case_id, exc.problem)
    except (UnreadableFile, OSError) as exc:
        problem = exc.problem if isinstance(exc, UnreadableFile) else str(exc)
        blocks = ""
        if own:
            blocks = (f"this device's file {path.name} is unreadable ({problem}); "
                      "move it aside to edit the case again")
        return Problem(path, problem, quarantine(paths, path, case_id), case_id, blocks)
    return tables


def _read(db: ReplicaDB, paths: Paths) -> Tables | None:
    """``db.read_all()``, a sealed file in a folder that is not sealed being unreadable
    (quarantined), not locked: no unlock would open it."""
    try:
        return db.read_all()
    except Locked:
        if is_sealed_folder(paths.cases_dir):
            raise  # the folder is locked here: the file is fine
        raise UnreadableFile(db.replica.path, NOT_SEALED) from None


def _kept_tables(paths: Paths, own_name: str, case_id: str, kept: Kept | None,
                 parsed: Sequence[Parsed], names: Sequence[str], key: Sealer | None,
                 shelf: PartShelf) -> Tables | None:
    """The state this install last wrote to a case (store.twin_installs), when its own
    file was read and is not that (a sync tool put another version in its place) or is
    missing; None otherwise (an unreadable own file keeps the case read-only), or when
    there is no such record or it cannot be read."""
    if kept is None or not kept.raw or any(p.raw == kept.raw for p in parsed):
        return None
    if own_name in names:
        if not any(p.name == own_name for p in parsed):
            return None  # unreadable: the case is read-only until it is moved aside
    elif (paths.cases_dir / case_id / own_name).exists():
        return None  # not re-read: unchanged since the state in memory was read
    try:
        where = kept_path(paths, case_id)
        folder = paths.cases_dir / case_id
        _, tables = parse_replica(where, unsealed(where, kept.raw, key),
                                  shelf.resolver(folder, case_id, key))
        if next(iter(tables["case"])) != case_id:
            return None
    except (UnreadableFile, KeyError, StopIteration):
        return None
    return tables


def quarantine(paths: Paths, path: Path, case_id: str) -> Path | None:
    """Copy an unreadable file to quarantine (once per version); the original stays put.

    The copy is private from its first byte and whole or absent: written to a 0600 temp
    file (``atomic_write``), fsynced, then renamed; a failure (a full disk) removes the
    temp file and returns None, so no partial copy is ever left, readable or not.
    """
    stamp = Stamp.of(path)
    if stamp is None:
        return None
    target_dir = paths.quarantine_dir / case_id
    target = target_dir / f"{path.name}.{stamp.mtime_ns}.{stamp.size}"
    if target.exists():
        return target
    try:
        data = read_case_file(path)
        ensure_dir(target_dir)
        atomic_write(target, data)
    except (OSError, UnreadableFile):
        return None
    return target
