"""A case replica as a TinyDB database: ``ReplicaDB`` over the atomic ``ReplicaStorage``.

Every replica file is a TinyDB database, and the store opens and saves them through it: one
``read()`` of the storage per file opened (``ReplicaDB.read_all``), one ``write()`` per save
(``ReplicaDB.write_all``). The storage keeps every guarantee of a case file:

- ``read()`` goes through ``store.case_folder.read_case_file`` (a link or anything but a
  regular file is refused when opened, no handle is held) and ``store.storage.parse_replica``
  (UnreadableFile, NewerFormat on bad input: bad input is never taken as empty); a missing
  file is TinyDB's empty database (None). A sealed file is opened with the folder key first
  (``store.storage.unsealed``; Locked without one). A replica that names parts
  (``store.replica_parts``) is read whole through ``resolve``, or not at all. The bytes
  read (as on disk) and the file's ``meta`` (its writer) stay on the storage for the caller.
- ``write()`` writes the canonical bytes (``store.storage.replica_bytes``, with the writer's
  install nonce and optional memoized ``text_of`` per document and ``part_of`` per table),
  naming ``parts`` when given, sealed when a folder key is given (``store.storage.sealed``),
  through ``atomic_write``; a
  ``before_write`` hook gets the bytes to be written first (the store records them as this
  install's, ``store.twin_installs.record``, before the replica is replaced).

TinyDB's own JSONStorage is never used: it keeps a handle open and writes in place. Document
ids are UUID strings (``UuidTable``), never TinyDB's counter, which collides across devices.
A plain ``TinyDB(path, storage=ReplicaStorage)`` opens the same files (its integer ids cannot
list documents, but ``tables()``, ``len()`` and ``get(doc_id=...)`` work). Nothing happens
when this module is imported.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, cast

from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Table

from ..core.ids import new_id
from ..core.registers import Tables
from ..core.replica_json import Reading
from .case_folder import read_case_file
from .storage import (
    PartResolver,
    Sealer,
    Stamp,
    atomic_write,
    document_text,
    parse_replica,
    replica_bytes,
    sealed,
    unsealed,
)


class ReplicaStorage(Storage):
    """TinyDB Storage over one replica file. See the module docstring.

    ``read()`` returns None for a missing file (TinyDB's 'empty') and raises UnreadableFile
    for anything it cannot take as a replica: it never treats bad input as empty. After a
    read, ``raw`` and ``meta`` hold the file's bytes and what it says besides its tables;
    after a read or a write, ``stamp`` is the file's stamp (None: no file).
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        device_id: str = "",
        device_name: str = "",
        install: str = "",
        text_of: Callable[[dict[str, Any]], str] = document_text,
        before_write: Callable[[bytes], None] | None = None,
        key: Sealer | None = None,
        part_of: Callable[[str, dict[str, Any]], bytes] | None = None,
        parts: Sequence[str] = (),
        resolve: PartResolver | None = None,
        reading: Reading | None = None,
    ) -> None:
        super().__init__()
        self.path = Path(path)
        self.device_id = device_id
        self.device_name = device_name
        self.install = install
        self.text_of = text_of
        self.part_of = part_of
        self.before_write = before_write
        self.key = key
        self.parts = parts
        self.resolve = resolve
        self.reading = reading
        self.meta: dict[str, Any] = {}
        self.raw = b""
        self.stamp: Stamp | None = None

    def read(self) -> dict[str, dict[str, Any]] | None:
        """The file's tables (None if there is no file). Reads the file once; no handle is
        kept. UnreadableFile (OddEntry for a link or a pipe, NewerFormat, Locked: sealed and
        no key) or OSError."""
        try:
            raw = read_case_file(self.path)
        except FileNotFoundError:
            self.meta, self.raw, self.stamp = {}, b"", None
            return None
        self.meta, tables = parse_replica(self.path, unsealed(self.path, raw, self.key),
                                          self.resolve, reading=self.reading)
        self.raw = raw
        self.stamp = Stamp.of(self.path)
        return tables

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        """Replace the file with ``data`` as canonical bytes, atomically (0600, fsynced).

        Sealed when the storage has a folder key. Side effects: ``before_write`` (if given)
        is called with the bytes to be written first; then the temp file, the rename and the
        folder fsync of ``store.storage.atomic_write``.
        """
        plain = replica_bytes(data, self.device_id, self.device_name, self.text_of, self.install,
                              self.part_of, self.parts)
        raw = sealed(plain, self.key)
        if self.before_write is not None:
            self.before_write(raw)
        self.stamp = atomic_write(self.path, raw)
        self.raw = raw


class UuidTable(Table):
    """A TinyDB table whose document ids are UUID strings, never TinyDB's counter."""

    document_id_class = str  # type: ignore[assignment]

    def _get_next_id(self) -> str:  # TinyDB's documented hook for choosing ids
        return new_id()


class ReplicaDB(TinyDB):
    """TinyDB over a replica file: ``ReplicaDB(path, device_id=..., device_name=...)`` (the
    keywords are ``ReplicaStorage``'s)."""

    table_class = UuidTable
    default_storage_class = ReplicaStorage  # type: ignore[assignment]  # TinyDB types it narrowly

    @property
    def replica(self) -> ReplicaStorage:
        """The storage, with what the last read or write left on it (bytes, meta, stamp)."""
        return cast(ReplicaStorage, self.storage)

    def read_all(self) -> Tables | None:
        """Every table of the file, in one ``read()`` of the storage (None: no file)."""
        return self.replica.read()

    def write_all(self, tables: Tables) -> Stamp:
        """Replace the whole database with ``tables`` in one ``write()`` of the storage; the
        new file's stamp. For a database whose tables were not queried before (as the store
        uses it: one ReplicaDB per save), so no table holds a stale query cache."""
        self.replica.write(tables)
        stamp = self.replica.stamp
        assert stamp is not None
        return stamp
