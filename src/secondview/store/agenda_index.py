"""Table ``agenda`` of the case list index: what may fall due in each case
(``core.agenda.dated``: dates, never whether they are due today), written with the case's row
(``store.case_index``), so the agenda of every case is one query (``AGENDA_QUERY``) that
decides what is due on the day asked. Pure: the SQL, the rows and the layout; nothing is run
at import.
"""

from __future__ import annotations

import datetime as _dt
import sqlite3
from collections.abc import Sequence
from typing import Any

from ..core import agenda as agenda_rules
from ..core.case_summary import CaseSummary

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


def create_table(db: sqlite3.Connection) -> None:
    """Drop and create table ``agenda`` and its indexes (inside the caller's transaction)."""
    db.execute("DROP TABLE IF EXISTS agenda")
    agenda_columns = ", ".join(f"{c} TEXT NOT NULL" for c in AGENDA_COLUMNS)
    db.execute(f"CREATE TABLE agenda ({agenda_columns})")
    db.execute("CREATE INDEX agenda_by_case ON agenda (case_id)")
    # the agenda's order, unarchived first: a screenful is read without sorting, and
    # with the days each entry shows, entries are counted from the index alone
    db.execute("CREATE INDEX agenda_by_date ON agenda "
               "(archived, day, time, case_key, rank, item_id, since, ahead, until)")


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
    """An Entry from a row of ``AGENDA_QUERY``, filled directly as
    ``store.index_file.summary_of_row`` does (the agenda of 10,000 cases makes tens of
    thousands)."""
    entry = object.__new__(agenda_rules.Entry)
    fields = entry.__dict__
    fields.update(zip(_ENTRY_FIELDS, row, strict=True))
    fields["date"] = _dt.date.fromisoformat(row[0])
    return entry
