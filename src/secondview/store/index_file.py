"""The case list index's database and the rows the case list is painted from.

``IndexFile`` owns the connection to the index (SQLite, in the local cache folder; see
``store.case_index`` for what it holds and why it is only a cache): it opens the file on first
use, makes or replaces its layout (``INDEX_VERSION``), rebuilds a damaged file, carries on in
memory when the file cannot be written (``warning`` says why), and keeps a sealed folder's
index sealed (``store.sealed_index``, which ``sealing`` decides at each opening). It reads the
case list's rows (``rows``, ``count``): all the first frame needs of the index.

What writes the index (rows of cases read, the agenda's and the search's rows) is
``store.case_index.CaseIndex``, on this same connection. The agenda's and the search's tables
are laid out by the modules that write them (``store.agenda_index``, ``store.search_index``),
imported here only when a layout is made.

Side effects: creates the cache folder (0700) and the index (0600) on first use, nothing at
import.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Sequence
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..core.case_summary import CaseSummary
from .storage import FILE_MODE, ensure_dir, tighten

if TYPE_CHECKING:
    from .sealed_index import SealedIndex

SUMMARY_COLUMNS = tuple(CaseSummary.__dataclass_fields__)
_INTEGER_COLUMNS = frozenset(
    {"records_confirmed", "records_total", "open_questions", "conflicts", "archived"}
    | {c for c in SUMMARY_COLUMNS if c.startswith("waiting_")}
)
_UPDATED_AT = SUMMARY_COLUMNS.index("updated_at")
_ID = SUMMARY_COLUMNS.index("id")
_ARCHIVED = "archived"

INDEX_VERSION = 7
"""The index's layout. An index of another version is dropped and rebuilt from the cases."""


def summary_of_row(row: Sequence[Any]) -> CaseSummary:
    """A CaseSummary from an index row (SUMMARY_COLUMNS order).

    Fills the instance's fields directly instead of calling the frozen dataclass's generated
    ``__init__``, which sets each field through ``object.__setattr__`` and costs a third of a
    first paint's budget for 10,000 rows (bench/listing.py). The result is an ordinary, equal
    CaseSummary (a test compares it with ``store.case_index.summarise``).
    """
    summary = object.__new__(CaseSummary)
    fields = summary.__dict__
    fields.update(zip(SUMMARY_COLUMNS, row, strict=True))
    fields[_ARCHIVED] = bool(fields[_ARCHIVED])
    return summary


def set_up(db: sqlite3.Connection) -> None:
    """The layout (INDEX_VERSION) in ``db``, made or replaced in one transaction."""
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=OFF")  # a cache: rebuilt from the cases if lost
    db.execute("BEGIN IMMEDIATE")  # one process at a time sets the layout up
    try:
        if db.execute("PRAGMA user_version").fetchone()[0] != INDEX_VERSION:
            _make_layout(db)
        # the first screenful's order, ties by id, read straight from the index (an index
        # made before ids broke ties is replaced here: no case file is read)
        db.execute("DROP INDEX IF EXISTS cases_by_change")
        db.execute("CREATE INDEX IF NOT EXISTS cases_by_change_and_id "
                   "ON cases (archived, updated_at, id)")
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise


def _make_layout(db: sqlite3.Connection) -> None:
    """Drop and make every table of the index (inside ``set_up``'s transaction)."""
    # The agenda's and the search's tables are laid out where they are written; imported
    # only now, so a start that paints from an index already made never loads them. Neither
    # module imports this one.
    from . import agenda_index, search_index

    columns = ", ".join(
        f"{c} {'INTEGER' if c in _INTEGER_COLUMNS else 'TEXT'} NOT NULL"
        for c in SUMMARY_COLUMNS
        if c != "id"
    )
    db.execute("DROP TABLE IF EXISTS cases")
    db.execute(f"CREATE TABLE cases (id TEXT PRIMARY KEY, stamps TEXT, {columns})")
    agenda_index.create_table(db)
    search_index.create_tables(db)
    db.execute(f"PRAGMA user_version = {INDEX_VERSION}")


def connect(target: Path | str) -> sqlite3.Connection:
    """A connection to the index file (or ``":memory:"``), usable from the refresh thread."""
    # check_same_thread=False: the app refreshes the index in a worker thread after painting
    # from it on the main thread; sqlite3 here is serialized (threadsafety 3).
    return sqlite3.connect(target, timeout=10, isolation_level=None, check_same_thread=False)


class IndexFile:
    """The index file ``path`` (see the module docstring); ``db()`` opens it on first use."""

    def __init__(self, path: Path,
                 sealing: Callable[[], SealedIndex | None] | None = None) -> None:
        self.path = path
        self._sealing = sealing
        """Asked at each opening: how a sealed folder's index is kept (None: the file)."""
        self._sealed: SealedIndex | None = None
        self._db: sqlite3.Connection | None = None
        self.in_memory = False
        self.warning = ""
        """Why the index is kept in memory only (the file cannot be written), or ""."""

    def db(self) -> sqlite3.Connection:
        """The connection, opened on first use: the file, made or rebuilt if damaged, or an
        index in memory if the file cannot be used at all (``warning`` says why)."""
        if self._sealed is not None and self._sealed.key is None and self._sealing is not None:
            now = self._sealing()
            if now is None or now.key is not None:
                self.close()  # opened while the folder was locked: opened again, unlocked
        if self._db is None and self._sealing is not None:
            self._sealed = self._sealing()
            if self._sealed is not None:
                self._db = self._sealed.load(connect)
                try:
                    set_up(self._db)
                except sqlite3.DatabaseError:  # not an index: a cache, rebuilt
                    self._db.close()
                    self._db = connect(":memory:")
                    set_up(self._db)
        if self._db is None:
            try:
                ensure_dir(self.path.parent)
                try:
                    self._db = self._open_file()
                except sqlite3.DatabaseError:  # damaged, not a database: a cache, rebuilt
                    for suffix in ("", "-wal", "-shm"):
                        try:
                            os.unlink(f"{self.path}{suffix}")
                        except FileNotFoundError:
                            pass
                    self._db = self._open_file()
            except (OSError, sqlite3.Error) as exc:
                self.to_memory(exc)
        assert self._db is not None
        return self._db

    def _open_file(self) -> sqlite3.Connection:
        db = connect(self.path)
        try:
            os.chmod(self.path, FILE_MODE)
            set_up(db)
            for suffix in ("-wal", "-shm"):  # made by SQLite with the process's umask
                tighten(Path(f"{self.path}{suffix}"))
        except BaseException:
            db.close()
            raise
        return db

    def to_memory(self, exc: BaseException) -> None:
        """Carry on with an index in memory, holding what the file's rows still say; the
        reason (``exc``) goes into ``warning``."""
        memory = connect(":memory:")
        source = self._db
        if source is None:  # not opened for writing: its rows may still be read
            try:
                source = sqlite3.connect(f"{self.path.absolute().as_uri()}?mode=ro", uri=True)
            except sqlite3.Error:
                source = None
        if source is not None:
            try:
                source.backup(memory)
            except sqlite3.Error:
                pass
            source.close()
        set_up(memory)
        self._db = memory
        self.in_memory = True
        reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
        self.warning = (f"the case list index {self.path} cannot be written ({reason}); "
                        "working without it, so listing reads every case file: make the "
                        "cache folder writable (or free space) to make it fast again")

    def wrote(self, db: sqlite3.Connection) -> None:
        """Called after each write: a sealed folder's index is saved sealed now and then."""
        if self._sealed is not None:
            self._sealed.written(db)

    def rows(self, limit: int | None = None) -> list[CaseSummary]:
        """Every row, most recently changed first (ties by id, last first), or with
        ``limit`` that many unarchived ones, straight from the SQL index; [] if unreadable."""
        columns = ", ".join(SUMMARY_COLUMNS)
        try:
            if limit is not None:
                found = self.db().execute(
                    f"SELECT {columns} FROM cases WHERE archived = 0 "
                    "ORDER BY updated_at DESC, id DESC LIMIT ?",
                    (limit,),
                ).fetchall()
                return [summary_of_row(row) for row in found]
            found = self.db().execute(f"SELECT {columns} FROM cases").fetchall()
        except sqlite3.DatabaseError:
            return []
        found.sort(key=itemgetter(_UPDATED_AT, _ID), reverse=True)
        return [summary_of_row(row) for row in found]

    def count(self) -> int:
        """How many unarchived cases the index holds (``rows()`` lists them all); 0 if it
        cannot be read."""
        try:
            found = self.db().execute("SELECT COUNT(*) FROM cases WHERE archived = 0").fetchone()
        except sqlite3.DatabaseError:
            return 0
        return int(found[0])

    def close(self) -> None:
        """Close the connection; a sealed folder's index is saved sealed first."""
        if self._db is not None:
            if self._sealed is not None:
                self._sealed.save(self._db)
                self._sealed = None
            self._db.close()
            self._db = None
