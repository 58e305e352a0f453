"""What writes the case list index: one row per case (``core.case_summary.CaseSummary``), in
SQLite, in the local cache folder; ``summarise`` makes the row of an open case. Beside it,
table ``agenda`` keeps what may fall due in each case (``store.agenda_index``), written with
the case's row, so the agenda of every case is one query (``agenda``) that decides what is
due on the day asked; and the search tables (``store.search_index``), written with it too.

The index is a cache, rebuilt from the case files whenever it is missing, damaged, of
another layout (``store.index_file.INDEX_VERSION``) or unusable. It never decides whether an
edit was saved: the case file does. So when the cache folder or the index file cannot be
written (read-only, full, owned by someone else), the index carries on in memory, filled from
the file's rows where they can still be read; ``warning`` then says why, for the command line
and the app to show, and everything else works (listing reads the case files it cannot trust
the cache for).

The database itself, its layout and the rows the case list is painted from are
``store.index_file.IndexFile``'s: the first frame reads them without this module. A sealed
cases folder's index is never the file: it lives in memory and is kept sealed
(``store.sealed_index``), which the ``IndexFile``'s ``sealing`` decides at each opening.

Side effects: creates the cache folder (0700) and the index (0600) on first use, nothing at
import.
"""

from __future__ import annotations

import datetime as _dt
import json
import sqlite3
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol

from ..core import agenda as agenda_rules
from ..core import decision, progress
from ..core.case_summary import CaseSummary
from ..core.summary_dates import dated_fields
from . import search_index
from .agenda_index import AGENDA_COLUMNS, AGENDA_ORDER, AGENDA_QUERY, agenda_row, entry_of_row
from .errors import CaseError, CaseNotFound
from .index_file import SUMMARY_COLUMNS, IndexFile
from .open_case import OpenCase, Problem
from .search_writes import Panes
from .storage import Stamp


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


class CaseIndex:
    """Writes the index of ``file`` (see the module docstring) and searches it (``search``):
    the rows of cases read, their agenda rows and search rows; the case list's own reads are
    ``file``'s (``IndexFile``), on the same connection."""

    def __init__(self, file: IndexFile,
                 read_kept: search_index.KeptReader | None = None) -> None:
        self.file = file
        self.read_kept = read_kept
        """How the search index reads the notes kept in a case (None: it does not)."""
        self.search = search_index.SearchIndex(self.db)
        """Full-text search of every case (``store.search_index``), in this database."""

    def db(self) -> sqlite3.Connection:
        """The connection (``IndexFile.db``: opened on first use)."""
        return self.file.db()

    @property
    def path(self) -> Path:
        return self.file.path

    @property
    def in_memory(self) -> bool:
        return self.file.in_memory

    @property
    def warning(self) -> str:
        """Why the index is kept in memory only (the file cannot be written), or ""."""
        return self.file.warning

    def _to_memory(self, exc: BaseException) -> None:
        self.file.to_memory(exc)

    def _wrote(self, db: sqlite3.Connection) -> None:
        self.file.wrote(db)

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
        """``IndexFile.rows``: every row, most recently changed first, or ``limit`` of the
        unarchived ones."""
        return self.file.rows(limit)

    def count(self) -> int:
        """``IndexFile.count``: how many unarchived cases the index holds."""
        return self.file.count()

    def close(self) -> None:
        """Close the connection; a sealed folder's index is saved sealed first."""
        self.file.close()
