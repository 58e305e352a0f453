"""The case list index: one row per case, in SQLite, in the local cache folder.

The index is a cache, rebuilt from the case files whenever it is missing, damaged, of
another layout (``INDEX_VERSION``) or unusable. It never decides whether an edit was saved:
the case file does. So when the cache folder or the index file cannot be written (read-only,
full, owned by someone else), the index carries on in memory, filled from the file's rows
where they can still be read; ``warning`` then says why, for the command line and the app to
show, and everything else works (listing reads the case files it cannot trust the cache for).

Side effects: creates the cache folder (0700) and the index (0600) on first use, nothing at
import.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path
from typing import Any, Iterable, Sequence

from .storage import FILE_MODE, ensure_dir, tighten


@dataclass(frozen=True)
class CaseSummary:
    """One row of the case list."""

    id: str
    title: str = ""
    condition: str = ""
    urgency: str = "routine"
    phase: str = ""
    next_step: str = ""
    records_confirmed: int = 0
    records_total: int = 0
    open_questions: int = 0
    conflicts: int = 0
    decision: str = ""
    archived: bool = False
    updated_at: str = ""
    updated_by: str = ""
    error: str = ""


SUMMARY_COLUMNS = tuple(CaseSummary.__dataclass_fields__)
_INTEGER_COLUMNS = frozenset(
    {"records_confirmed", "records_total", "open_questions", "conflicts", "archived"}
)
_UPDATED_AT = SUMMARY_COLUMNS.index("updated_at")
_ID = SUMMARY_COLUMNS.index("id")
_ARCHIVED = "archived"

INDEX_VERSION = 3
"""The index's layout. An index of another version is dropped and rebuilt from the cases."""


def summary_of_row(row: Sequence[Any]) -> CaseSummary:
    """A CaseSummary from an index row (SUMMARY_COLUMNS order).

    Fills the instance's fields directly instead of calling the frozen dataclass's generated
    ``__init__``, which sets each field through ``object.__setattr__`` and costs a third of a
    first paint's budget for 10,000 rows (bench/listing.py). The result is an ordinary, equal
    CaseSummary (a test compares it with ``repository.summarise``).
    """
    summary = object.__new__(CaseSummary)
    fields = summary.__dict__
    fields.update(zip(SUMMARY_COLUMNS, row))
    fields[_ARCHIVED] = bool(fields[_ARCHIVED])
    return summary


def _set_up(db: sqlite3.Connection) -> None:
    """The layout (INDEX_VERSION) in ``db``, made or replaced in one transaction."""
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=OFF")  # a cache: rebuilt from the cases if lost
    db.execute("BEGIN IMMEDIATE")  # one process at a time sets the layout up
    try:
        if db.execute("PRAGMA user_version").fetchone()[0] != INDEX_VERSION:
            columns = ", ".join(
                f"{c} {'INTEGER' if c in _INTEGER_COLUMNS else 'TEXT'} NOT NULL"
                for c in SUMMARY_COLUMNS
                if c != "id"
            )
            db.execute("DROP TABLE IF EXISTS cases")
            db.execute(f"CREATE TABLE cases (id TEXT PRIMARY KEY, stamps TEXT, {columns})")
            db.execute(f"PRAGMA user_version = {INDEX_VERSION}")
        # the first screenful's order, ties by id, read straight from the index (an index
        # made before ids broke ties is replaced here: no case file is read)
        db.execute("DROP INDEX IF EXISTS cases_by_change")
        db.execute("CREATE INDEX IF NOT EXISTS cases_by_change_and_id "
                   "ON cases (archived, updated_at, id)")
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise


def _connect(target: Path | str) -> sqlite3.Connection:
    # check_same_thread=False: the app refreshes the index in a worker thread after painting
    # from it on the main thread; sqlite3 here is serialized (threadsafety 3).
    return sqlite3.connect(target, timeout=10, isolation_level=None, check_same_thread=False)


class CaseIndex:
    """The index file ``path`` (see the module docstring); ``db()`` opens it on first use."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._db: sqlite3.Connection | None = None
        self.in_memory = False
        self.warning = ""
        """Why the index is kept in memory only (the file cannot be written), or ""."""

    def db(self) -> sqlite3.Connection:
        """The connection, opened on first use: the file, made or rebuilt if damaged, or an
        index in memory if the file cannot be used at all (``warning`` says why)."""
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
                self._to_memory(exc)
        assert self._db is not None
        return self._db

    def _open_file(self) -> sqlite3.Connection:
        db = _connect(self.path)
        try:
            os.chmod(self.path, FILE_MODE)
            _set_up(db)
            for suffix in ("-wal", "-shm"):  # made by SQLite with the process's umask
                tighten(Path(f"{self.path}{suffix}"))
        except BaseException:
            db.close()
            raise
        return db

    def _to_memory(self, exc: BaseException) -> None:
        """Carry on with an index in memory, holding what the file's rows still say."""
        memory = _connect(":memory:")
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
        _set_up(memory)
        self._db = memory
        self.in_memory = True
        reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
        self.warning = (f"the case list index {self.path} cannot be written ({reason}); "
                        "working without it, so listing reads every case file: make the "
                        "cache folder writable (or free space) to make it fast again")

    def _write(self, sql: str, rows: Iterable[Sequence[Any]], many: bool) -> None:
        """One write, moved to memory once if the file refuses it."""
        rows = list(rows) if many else rows
        for last in (self.in_memory, True):
            db = self.db()
            try:
                if many:
                    db.executemany(sql, rows)
                else:
                    db.execute(sql, rows)
                return
            except sqlite3.Error as exc:
                if last:
                    raise
                self._to_memory(exc)

    def put(self, summary: CaseSummary, stamps_key: str) -> None:
        """Write (or replace) the row of one case, with the stamps it was read from."""
        values = [getattr(summary, c) for c in SUMMARY_COLUMNS]
        marks = ", ".join("?" for _ in range(len(values) + 1))
        self._write(
            f"INSERT OR REPLACE INTO cases (stamps, {', '.join(SUMMARY_COLUMNS)}) "
            f"VALUES ({marks})", [stamps_key, *values], many=False)

    def delete(self, ids: Iterable[str]) -> None:
        """Forget the rows of cases no longer there."""
        self._write("DELETE FROM cases WHERE id = ?", [(i,) for i in ids], many=True)

    def known_stamps(self) -> dict[str, str]:
        """case id -> the stamps its row was made from."""
        try:
            return dict(self.db().execute("SELECT id, stamps FROM cases").fetchall())
        except sqlite3.Error as exc:
            self._to_memory(exc)
            return dict(self.db().execute("SELECT id, stamps FROM cases").fetchall())

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

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
