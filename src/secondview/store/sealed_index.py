"""The case list index of a sealed cases folder: in memory, kept between runs as one sealed file.

The index (``store.case_index``) holds every case's title, conditions and next steps, and
whatever else its tables gather (the search table too). For a plain folder it is a SQLite
file in the cache folder. For a sealed folder that file would show a stolen disk what the
sealing hides from the sync service, so instead the whole database lives in memory and is
kept in ``<cache>/index.sqlite.age``: SQLite's own bytes (``Connection.serialize``) sealed
with the folder key (``store.storage.sealed``), written atomically (0600). It is loaded at
the first use of the index, written back when the index is closed and at most every
``SAVE_EVERY`` seconds after writes. It is a cache: a file that does not open (another key,
damaged, cut by a crash) only means the index is rebuilt from the cases.

While the folder is locked (no key on this device) nothing of the index is written at all.
The plain index file is never written for a sealed folder, and one left from before the
sealing is removed. Side effects are named in each function's docstring; nothing happens at
import.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path

from .key_file import is_sealed_folder
from .paths import Paths
from .storage import Sealer, UnreadableFile, atomic_write, ensure_dir, read_bytes, unsealed

SAVE_EVERY = 5.0
"""Seconds between two saves of the sealed index while it is written to (a crash between
costs at most a rebuild of what changed)."""

SUFFIX = ".age"


def sealed_index_file(index_file: Path) -> Path:
    """Where the sealed index of the index file ``index_file`` is kept."""
    return index_file.with_name(index_file.name + SUFFIX)


class SealedIndex:
    """The index of a sealed folder: ``load`` gives the in-memory database, ``written``
    after each write, ``save`` at close. ``key`` None: the folder is locked, nothing is
    kept."""

    def __init__(self, index_file: Path, key: Sealer | None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.index_file = index_file
        self.path = sealed_index_file(index_file)
        self.key = key
        self._clock = clock
        self._saved_at = clock()
        self._saved_changes = 0
        self._writer: threading.Thread | None = None
        """The thread sealing and writing the last periodic save, if one runs."""

    def load(self, connect: Callable[[str], sqlite3.Connection]) -> sqlite3.Connection:
        """A database in memory (``connect(":memory:")``) holding the sealed index's rows
        when it opens with the key, else empty (to be rebuilt). Side effects: the plain index
        file and its WAL files removed (a sealed folder never keeps one)."""
        self._remove_plain()
        db = connect(":memory:")
        data = self._read()
        if data:
            try:
                db.deserialize(data)
                db.execute("PRAGMA schema_version").fetchone()  # a damaged one fails here
            except sqlite3.Error:
                db.close()
                db = connect(":memory:")
        self._saved_changes = db.total_changes
        return db

    def _read(self) -> bytes:
        if self.key is None:
            return b""
        try:
            raw = read_bytes(self.path)
            return unsealed(self.path, raw, self.key) if raw else b""
        except (OSError, UnreadableFile):
            return b""  # missing, another key's, damaged: rebuilt from the cases

    def written(self, db: sqlite3.Connection) -> None:
        """After a write: save when the last save is ``SAVE_EVERY`` seconds old, the sealing
        and writing in a thread (the save that triggers it waits only for SQLite's copy of
        the database: the index of a large folder, search text and all, takes much longer to
        seal and write). Side effects: those of ``save`` then."""
        if self._clock() - self._saved_at >= SAVE_EVERY:
            self.save(db, wait=False)

    def save(self, db: sqlite3.Connection, wait: bool = True) -> None:
        """Write the database sealed (atomic, 0600), if it changed since it was loaded or
        saved and the folder is unlocked; ``wait`` False: in a thread (``finish`` waits for
        it; a save always waits for the one before, so they land in order). A disk that
        refuses is passed over: a cache."""
        self._saved_at = self._clock()
        if self.key is None or not self.key.seals or db.total_changes == self._saved_changes:
            self.finish()
            return
        try:
            data = bytes(db.serialize())
        except sqlite3.Error:
            return
        self._saved_changes = db.total_changes
        self.finish()
        if wait:
            self._write(data)
            return
        self._writer = threading.Thread(target=self._write, args=(data,),
                                        name="sealed-index-save", daemon=False)
        self._writer.start()

    def finish(self) -> None:
        """Wait for a save running in a thread, if any."""
        writer, self._writer = self._writer, None
        if writer is not None:
            writer.join()

    def _write(self, data: bytes) -> None:
        key = self.key
        if key is None:
            return
        try:
            ensure_dir(self.path.parent)
            atomic_write(self.path, key.seal(data))
        except OSError:
            pass  # a cache: the next save or the next start's rebuild makes up for it

    def _remove_plain(self) -> None:
        remove_index(self.index_file, sealed=False)


def remove_index(index_file: Path, sealed: bool) -> None:
    """Remove the index kept one way: the sealed file (``sealed``, when the folder is no
    longer sealed), else the plain file and its WAL files (when it is sealed). Side effects:
    those files deleted; a cache folder that refuses is passed over."""
    names = [sealed_index_file(index_file)] if sealed else [
        Path(f"{index_file}{suffix}") for suffix in ("", "-wal", "-shm")]
    for path in names:
        try:
            os.unlink(path)
        except OSError:
            pass  # absent, or a cache folder that refuses: nothing is written to it either


def sealed_index(paths: Paths, key: Sealer | None) -> SealedIndex | None:
    """How the index of ``paths.cases_dir`` is kept when the folder is sealed (a key that
    seals, or the key file there); None for a plain folder (and while the sealing is being
    turned off: the person chose plain text), whose index is the plain file. One ``stat``."""
    if key is not None:
        return SealedIndex(paths.index_file, key) if key.seals else None
    return SealedIndex(paths.index_file, None) if is_sealed_folder(paths.cases_dir) else None
