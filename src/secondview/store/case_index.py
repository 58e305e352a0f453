"""The case list index: one row per case (``core.case_summary.CaseSummary``), in SQLite, in
the local cache folder; ``summarise`` makes the row of an open case. Beside it, table
``agenda`` keeps what may fall due in each case (``core.agenda.dated``: dates, never whether
they are due today), written with the case's row, so the agenda of every case is one query
(``agenda``) that decides what is due on the day asked.

The index is a cache, rebuilt from the case files whenever it is missing, damaged, of
another layout (``INDEX_VERSION``) or unusable. It never decides whether an edit was saved:
the case file does. So when the cache folder or the index file cannot be written (read-only,
full, owned by someone else), the index carries on in memory, filled from the file's rows
where they can still be read; ``warning`` then says why, for the command line and the app to
show, and everything else works (listing reads the case files it cannot trust the cache for).

A sealed cases folder's index is never this file: it lives in memory and is kept sealed
(``store.sealed_index``), which ``sealing`` (given by the repository) decides at each opening.

Side effects: creates the cache folder (0700) and the index (0600) on first use, nothing at
import.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import sqlite3
from collections.abc import Callable, Iterable, Mapping, Sequence
from operator import itemgetter
from pathlib import Path
from typing import Any, Protocol

from ..core import agenda as agenda_rules
from ..core import decision, progress
from ..core.case_summary import CaseSummary, dated_fields
from . import search_index
from .errors import CaseError, CaseNotFound
from .open_case import OpenCase, Problem
from .sealed_index import SealedIndex
from .search_writes import Panes
from .storage import FILE_MODE, Stamp, ensure_dir, tighten

SUMMARY_COLUMNS = tuple(CaseSummary.__dataclass_fields__)
_INTEGER_COLUMNS = frozenset(
    {"records_confirmed", "records_total", "open_questions", "conflicts", "archived"}
    | {c for c in SUMMARY_COLUMNS if c.startswith("waiting_")}
)
_UPDATED_AT = SUMMARY_COLUMNS.index("updated_at")
_ID = SUMMARY_COLUMNS.index("id")
_ARCHIVED = "archived"

AGENDA_COLUMNS = ("day", "kind", "words", "case_id", "case_title", "pane", "item_id", "time",
                  "record_title", "rule", "waiting_on", "transfer_id", "since", "ahead", "until",
                  "archived", "case_key", "rank")
"""Table ``agenda``: an entry (``core.agenda.Entry``'s fields first, in its order), the days
it shows (``core.agenda.Dated``: ISO dates, ``ahead`` "1" or "", ``until`` "" for none),
whether its case is archived ("1" or ""), and its order (``Entry.sort_key``: the case's
``case_key`` and the kind's rank in KINDS). The case's title and archived flag are copied
from its row in ``cases``, written with it, so the agenda reads one table in its order."""
_ENTRY_FIELDS = tuple(agenda_rules.Entry.__dataclass_fields__)
AGENDA_QUERY = (
    f"SELECT {', '.join(('day', *_ENTRY_FIELDS[1:]))} FROM agenda WHERE archived = '' "
    # core.agenda.Dated.shows, in SQL (a test holds them equal)
    "AND since <= CASE WHEN ahead = '1' THEN :horizon ELSE :today END "
    "AND (until = '' OR until >= :today)"
)
AGENDA_ORDER = " ORDER BY day, time, case_key, rank, item_id"
"""Entry.sort_key's order (ISO dates and texts compare as in Python: by code point)."""


def agenda_row(summary: CaseSummary, dated: agenda_rules.Dated) -> tuple[str, ...]:
    """The ``agenda`` row (AGENDA_COLUMNS order) of one dated entry of the case ``summary``
    describes (its title and archived flag)."""
    entry = dated.entry
    return (entry.date.isoformat(), entry.kind, entry.words, summary.id, summary.title,
            entry.pane, entry.item_id, entry.time, entry.record_title, entry.rule,
            entry.waiting_on, entry.transfer_id,
            dated.since.isoformat(), "1" if dated.ahead else "",
            dated.until.isoformat() if dated.until else "", "1" if summary.archived else "",
            agenda_rules.case_key(summary.title, summary.id),
            str(agenda_rules.KINDS.index(entry.kind)))


def entry_of_row(row: Sequence[Any]) -> agenda_rules.Entry:
    """An Entry from a row of ``AGENDA_QUERY``, filled directly as ``summary_of_row`` does
    (the agenda of 10,000 cases makes tens of thousands)."""
    entry = object.__new__(agenda_rules.Entry)
    fields = entry.__dict__
    fields.update(zip(_ENTRY_FIELDS, row, strict=True))
    fields["date"] = _dt.date.fromisoformat(row[0])
    return entry


INDEX_VERSION = 7
"""The index's layout. An index of another version is dropped and rebuilt from the cases."""


class CaseSource(Protocol):
    """What refreshing the index reads cases through (``store.repository.CaseRepository``)."""

    @property
    def today(self) -> _dt.date: ...

    def case_ids(self) -> list[str]: ...

    def folder(self, case_id: str) -> Path: ...

    def folder_stamps(self, case_id: str) -> dict[str, Stamp | None]: ...

    def open(self, case_ref: str, upgrade: bool = True) -> OpenCase: ...

    def problems_of_unreadable(self, case_id: str) -> list[Problem]: ...


def stamps_key(stamps: Mapping[str, Stamp | None]) -> str:
    """The stamps of a case folder's files as one text: equal texts, unchanged files."""
    return json.dumps(
        {n: [s.mtime_ns, s.size, s.ino] if s else None for n, s in sorted(stamps.items())}
    )


def summarise(opened: OpenCase, today: _dt.date) -> CaseSummary:
    """The case list's row of an open case (what the index keeps for it)."""
    case = opened.case
    done, total = progress.records_confirmed(case)
    latest = max((case.info, *case.log), key=lambda i: i.changed_at)
    steps = progress.next_steps(case, today, limit=1)
    return CaseSummary(
        id=case.id,
        title=case.title,
        condition=case.info.condition,
        urgency=case.info.urgency,
        phase=progress.phase(case),
        next_step=steps[0] if steps else "",
        records_confirmed=done,
        records_total=total,
        open_questions=progress.open_questions(case),
        conflicts=len(case.conflicts) + len(case.races),
        decision=decision.state(case),
        archived=case.archived,
        updated_at=opened.state.max_at,
        updated_by=opened.device_name(latest.changed_by),
        error=opened.read_only,
        **dated_fields(case),
    )


def summary_of_row(row: Sequence[Any]) -> CaseSummary:
    """A CaseSummary from an index row (SUMMARY_COLUMNS order).

    Fills the instance's fields directly instead of calling the frozen dataclass's generated
    ``__init__``, which sets each field through ``object.__setattr__`` and costs a third of a
    first paint's budget for 10,000 rows (bench/listing.py). The result is an ordinary, equal
    CaseSummary (a test compares it with ``summarise``).
    """
    summary = object.__new__(CaseSummary)
    fields = summary.__dict__
    fields.update(zip(SUMMARY_COLUMNS, row, strict=True))
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
            db.execute("DROP TABLE IF EXISTS agenda")
            agenda_columns = ", ".join(f"{c} TEXT NOT NULL" for c in AGENDA_COLUMNS)
            db.execute(f"CREATE TABLE agenda ({agenda_columns})")
            db.execute("CREATE INDEX agenda_by_case ON agenda (case_id)")
            # the agenda's order, unarchived first: a screenful is read without sorting, and
            # with the days each entry shows, entries are counted from the index alone
            db.execute("CREATE INDEX agenda_by_date ON agenda "
                       "(archived, day, time, case_key, rank, item_id, since, ahead, until)")
            search_index.create_tables(db)
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

    def __init__(self, path: Path,
                 sealing: Callable[[], SealedIndex | None] | None = None,
                 read_kept: search_index.KeptReader | None = None) -> None:
        self.path = path
        self._sealing = sealing
        """Asked at each opening: how a sealed folder's index is kept (None: the file)."""
        self._sealed: SealedIndex | None = None
        self.read_kept = read_kept
        """How the search index reads the notes kept in a case (None: it does not)."""
        self.search = search_index.SearchIndex(self.db)
        """Full-text search of every case (``store.search_index``), in this database."""
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
                self._db = self._sealed.load(_connect)
                try:
                    _set_up(self._db)
                except sqlite3.DatabaseError:  # not an index: a cache, rebuilt
                    self._db.close()
                    self._db = _connect(":memory:")
                    _set_up(self._db)
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

    def _write(self, sql: str, rows: Sequence[Any], many: bool) -> None:
        """One write, moved to memory once if the file refuses it: ``rows`` are the parameters
        of one statement, or (``many``) a sequence of them."""
        rows = list(rows) if many else rows
        for last in (self.in_memory, True):
            db = self.db()
            try:
                if many:
                    db.executemany(sql, rows)
                else:
                    db.execute(sql, rows)
                self._wrote(db)
                return
            except sqlite3.Error as exc:
                if last:
                    raise
                self._to_memory(exc)

    def put(self, summary: CaseSummary, stamps_key: str,
            dated: Sequence[agenda_rules.Dated] = (),
            searchable: Panes = ()) -> None:
        """Write (or replace) the row of one case, with the stamps it was read from, its
        agenda rows (``dated``: none for a case that cannot be read) and its search rows
        (``store.search_index``: the pieces of each pane, none for a case that cannot be
        read), in one transaction."""
        values = [getattr(summary, c) for c in SUMMARY_COLUMNS]
        marks = ", ".join("?" for _ in range(len(values) + 1))
        self._write_case(
            (f"INSERT OR REPLACE INTO cases (stamps, {', '.join(SUMMARY_COLUMNS)}) "
             f"VALUES ({marks})", [stamps_key, *values]),
            summary.id, [agenda_row(summary, d) for d in dated], searchable)

    def _write_case(self, case_row: tuple[str, Sequence[Any]], case_id: str,
                    agenda: Sequence[tuple[str, ...]],
                    searchable: Panes = ()) -> None:
        """The case's row and its agenda rows in one transaction (moved to memory once if the
        file refuses it), so no reader sees one without the other."""
        marks = ", ".join("?" for _ in AGENDA_COLUMNS)
        for last in (self.in_memory, True):
            db = self.db()
            try:
                db.execute("BEGIN")
                try:
                    db.execute(*case_row)
                    db.execute("DELETE FROM agenda WHERE case_id = ?", (case_id,))
                    db.executemany(f"INSERT INTO agenda ({', '.join(AGENDA_COLUMNS)}) "
                                   f"VALUES ({marks})", agenda)
                    self.search.replace_case(db, case_id, searchable)
                    db.execute("COMMIT")
                except BaseException:
                    db.execute("ROLLBACK")
                    raise
                self._wrote(db)
                return
            except sqlite3.Error as exc:
                if last:
                    raise
                self._to_memory(exc)

    def put_case(self, opened: OpenCase, today: _dt.date) -> None:
        """Write the row of an open case, with the stamps it was read from, and its agenda."""
        self.put(summarise(opened, today), stamps_key(opened.stamps),
                 agenda_rules.dated(opened.case), self.searchable(opened))

    def searchable(self, opened: OpenCase) -> Panes:
        """The search rows of an open case, by pane (``SearchIndex.pieces``)."""
        return self.search.pieces(self.db(), opened.case, self.read_kept)

    def refresh(self, cases: CaseSource, progress: Callable[[int, int], None] | None = None
                ) -> list[Problem]:
        """Bring the index up to date with the cases folder; problems found on the way.

        Reads only case folders whose file stamps differ from the index's: every folder is
        listed first (cheap), then those are opened through ``cases``, ``progress(done,
        to_read)`` called after each one (from this thread; the index already holds the rows
        read so far). Side effects: those of opening the cases read (quarantine, tightened
        permissions); rows rewritten, rows of cases gone deleted.
        """
        known = self.known_stamps()
        problems: list[Problem] = []
        present = set()
        to_read: list[str] = []  # ids only: 10,000 folders' stamps held here cost ~5 MiB
        for case_id in cases.case_ids():
            present.add(case_id)
            stamps = self._stamps_or_problem(cases, case_id, problems)
            if stamps is not None and known.get(case_id) != stamps_key(stamps):
                to_read.append(case_id)
        if progress is not None and to_read:
            progress(0, len(to_read))
        for done, case_id in enumerate(to_read, start=1):
            stamps = self._stamps_or_problem(cases, case_id, problems)  # again, just before
            if stamps is None:
                continue
            key = stamps_key(stamps)
            try:
                opened = cases.open(case_id, upgrade=False)  # listing writes nothing
            except CaseError as exc:
                problems.extend(cases.problems_of_unreadable(case_id))
                self.put(CaseSummary(case_id, title=case_id[:8], error=str(exc)), key)
            else:
                problems.extend(opened.problems)
                # stamps from this very scan, so files changed meanwhile are seen next time
                self.put(summarise(opened, cases.today), key, agenda_rules.dated(opened.case),
                         self.searchable(opened))
            if progress is not None:
                progress(done, len(to_read))
        gone = set(known) - present
        if gone:
            self.delete(gone)
        return problems

    def _stamps_or_problem(self, cases: CaseSource, case_id: str, problems: list[Problem]
                           ) -> dict[str, Stamp | None] | None:
        """The case folder's stamps; None if it is gone, or cannot be listed (then said in
        ``problems`` and indexed as a row holding the error, so the rest is still listed)."""
        try:
            return cases.folder_stamps(case_id)
        except CaseNotFound:
            return None
        except CaseError as exc:
            problems.append(Problem(cases.folder(case_id), str(exc), None, case_id))
            self.put(CaseSummary(case_id, title=case_id[:8], error=str(exc)), "")
            return None

    def delete(self, ids: Iterable[str]) -> None:
        """Forget the rows (and agenda rows) of cases no longer there."""
        rows = [(i,) for i in ids]
        self._write("DELETE FROM agenda WHERE case_id = ?", rows, many=True)
        self.search.delete_cases(self.db(), [i for i, in rows])
        self._write("DELETE FROM cases WHERE id = ?", rows, many=True)

    def agenda(self, today: _dt.date, days: int, limit: int | None = None
               ) -> list[agenda_rules.Entry]:
        """What is due in every unarchived case on ``today``, looking ``days`` days ahead
        (``core.agenda.entries`` of each, from the index alone), by date (``Entry.sort_key``);
        with ``limit``, the first that many. [] if unreadable."""
        horizon = today + _dt.timedelta(days=days)
        params: dict[str, Any] = {"today": today.isoformat(), "horizon": horizon.isoformat()}
        query = AGENDA_QUERY + AGENDA_ORDER
        if limit is not None:
            query += " LIMIT :limit"
            params["limit"] = limit
        try:
            found = self.db().execute(query, params).fetchall()
        except sqlite3.DatabaseError:
            return []
        return [entry_of_row(row) for row in found]

    def agenda_count(self, today: _dt.date, days: int) -> int:
        """How many entries ``agenda(today, days)`` lists; 0 if the index is unreadable."""
        horizon = today + _dt.timedelta(days=days)
        try:
            found = self.db().execute(
                f"SELECT COUNT(*) FROM ({AGENDA_QUERY})",
                {"today": today.isoformat(), "horizon": horizon.isoformat()}).fetchone()
        except sqlite3.DatabaseError:
            return 0
        return int(found[0])

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

    def count(self) -> int:
        """How many unarchived cases the index holds (``rows()`` lists them all); 0 if it
        cannot be read."""
        try:
            found = self.db().execute("SELECT COUNT(*) FROM cases WHERE archived = 0").fetchone()
        except sqlite3.DatabaseError:
            return 0
        return int(found[0])

    def _wrote(self, db: sqlite3.Connection) -> None:
        if self._sealed is not None:
            self._sealed.written(db)

    def close(self) -> None:
        """Close the connection; a sealed folder's index is saved sealed first."""
        if self._db is not None:
            if self._sealed is not None:
                self._sealed.save(self._db)
                self._sealed = None
            self._db.close()
            self._db = None
