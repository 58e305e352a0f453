"""Writing this device's replica of a case, through TinyDB, after this install's record.

A device writes only its own file, ``<case-id>/<device-id>.json``: one ``write()`` of a
``ReplicaDB`` (``store.replica_db``: canonical bytes, atomic, 0600, fsynced) per save. The
bytes of each document and of each table are remembered on the state
(``CaseState.memoized``, ``memoized_table``), so a save serialises only what it changed. Before
the replica is replaced, the same bytes and the write they hold are recorded in the local
data folder (``store.twin_installs.record``), so a crash never leaves a write of ours
unrecorded. A new case is written whole or not at all (``create_case_folder``).

Call these under the case lock (``CaseRepository``). Side effects are named in each
function's docstring; nothing happens at import.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..core.replica import CaseState
from .errors import ReadOnlyCase
from .key_file import LOCKED_FOLDER, is_sealed_folder
from .paths import Device, Paths
from .replica_db import ReplicaDB
from .replica_parts import Layout, PartShelf
from .storage import (
    DIR_MODE,
    Sealer,
    Stamp,
    document_text,
    ensure_dir,
    fsync_folder,
    table_part,
)
from .twin_installs import record


def write_replica(paths: Paths, device: Device, case_id: str, path: Path, state: CaseState,
                  made: bool = False, renamed: Mapping[str, tuple[int, str]] | None = None,
                  key: Sealer | None = None, shelf: PartShelf | None = None) -> Stamp:
    """Write ``state`` as ``device``'s replica of the case to ``path``; its new stamp.
    Sealed with ``key`` when the folder is sealed (the record keeps the sealed bytes, as the
    file holds them).

    ``made``: the state holds a new write of this device (its latest number), to be noted
    in this install's record; ``renamed``: its own writes just told apart from a twin's.
    With ``shelf``, a very large state keeps its settled documents in parts
    (``store.replica_parts``) and the replica holds the rest; without it, the replica holds
    every document. ReadOnlyCase when the folder is sealed and no key is given. Side
    effects: a new part, when one is made (kept in the case folder: atomic, fsynced); this
    install's record of the case (the same bytes and the write noted, in the local data
    folder); then the replica (one TinyDB write: atomic, fsynced).
    """
    if key is None and is_sealed_folder(paths.cases_dir):
        raise ReadOnlyCase(LOCKED_FOLDER)  # never a plain file in a sealed folder
    number = state.counter(device.id) if made else 0

    def note(data: bytes) -> None:
        record(paths, case_id, data, device.id, number, state.tables, renamed)

    def text_of(doc: dict[str, Any]) -> str:
        return str(state.memoized(doc, 2, lambda: document_text(doc)))

    def part_of(name: str, docs: dict[str, Any]) -> bytes:
        if docs is not state.tables.get(name):
            # the few documents of a table its parts do not hold: remembering their bytes
            # under the table's name would push out the whole table's work (one entry a name)
            return table_part(name, docs, text_of)
        # A save changes a table or two: the others' bytes are the ones last written.
        return bytes(state.memoized_table(name, docs, 2, lambda: table_part(name, docs, text_of)))

    def size_of(tables: Mapping[str, dict[str, Any]]) -> int:
        return sum(len(part_of(name, docs)) for name, docs in tables.items())

    layout = Layout((), state.tables)
    if shelf is not None:
        layout = shelf.layout(path.parent, case_id, state.tables, key, size_of, text_of)
    db = ReplicaDB(
        path,
        device_id=device.id,
        device_name=device.name,
        install=device.install,
        text_of=text_of,
        before_write=note,
        key=key,
        part_of=part_of,
        parts=layout.parts,
    )
    stamp = db.write_all(layout.own)
    if shelf is not None:
        shelf.wrote(case_id, layout)
    return stamp


def create_case_folder(paths: Paths, device: Device, case_id: str, state: CaseState,
                       key: Sealer | None = None, shelf: PartShelf | None = None) -> Stamp:
    """Make the case folder of a new case holding ``device``'s replica of ``state``, whole
    or not at all; the replica's stamp.

    The folder is made under a hidden temporary name (``.<id>.new.tmp``, which sync tools
    and the case list pass over), this device's file written and fsynced in it, and only
    then renamed into place: a full disk or a crash leaves no empty or half-made case
    folder in the synced folder. The caller checks that the case folder does not exist.
    Side effects: the case folder (0700) and this device's file (0600), this install's record.
    """
    ensure_dir(paths.cases_dir)
    making = paths.cases_dir / f".{case_id}.new.tmp"
    shutil.rmtree(making, ignore_errors=True)  # left by a crash mid-creation
    try:
        os.mkdir(making, DIR_MODE)
        stamp = write_replica(paths, device, case_id, making / f"{device.id}.json", state,
                              made=True, key=key, shelf=shelf)
        os.rename(making, paths.cases_dir / case_id)
        fsync_folder(paths.cases_dir)
    except BaseException:
        shutil.rmtree(making, ignore_errors=True)
        raise
    return stamp


def remove_leftover_temp_files(folder: Path, device_id: str) -> None:
    """Delete temp files of this device's own saves that were killed before the rename.

    Call under the case lock, when no save of this device to this case is under way, so
    every ``.<device>.json.*.tmp`` here is a leftover; without this, each crash would
    leave one in the synced folder for every device to download. Other devices' files
    and every replica are left alone.
    """
    prefix = f".{device_id}.json."
    try:
        with os.scandir(folder) as entries:
            leftovers = [
                e.path
                for e in entries
                if e.name.startswith(prefix) and e.name.endswith(".tmp")
                and e.is_file(follow_symlinks=False)
            ]
    except FileNotFoundError:
        return
    for path in leftovers:
        try:
            os.unlink(path)
        except OSError:
            pass  # a leftover is harmless: it is never read as a replica
