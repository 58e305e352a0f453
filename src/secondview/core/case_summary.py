"""One row of the case list: what the list, the index and the home screen show of a case.

Made by ``store.case_index.summarise`` from an open case (its dates by
``core.summary_dates.dated_fields``) and kept in the list index; shown by
``ui.widgets.case_table``. A row holds counts and ISO dates only, never whether something is
due today: the index keeps rows for days, so what is late (``overdue_count``, ``late_for_me``)
and which visit is next (``next_visit``) are worked out from the dates on the day shown, as
the agenda does. Reading a row needs none of the rules that made it: the case list's first
frame imports this module alone. Pure data and functions of it: no I/O, no clock.
"""

from __future__ import annotations

import datetime as _dt
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

DATE_SEPARATOR = " "
"""Between the ISO dates of a row's date fields (each field's dates sorted)."""


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
    overdue_from: str = ""
    """The first day each unanswered record request counts as late
    (``record_requests.late_from``), sorted ISO dates."""
    visit_dates: str = ""
    """The dates of the planned visits, sorted ISO dates."""
    my_due: str = ""
    """The due dates of the open items waiting on the user, sorted ISO dates."""
    waiting_me: int = 0
    """Open items waiting on the user (``core.waiting``); the three below likewise."""
    waiting_patient: int = 0
    waiting_office: int = 0
    waiting_doctor: int = 0


def join_dates(dates: list[_dt.date]) -> str:
    """Dates as a row keeps them: sorted ISO dates, one text."""
    return DATE_SEPARATOR.join(sorted(d.isoformat() for d in dates))


def _dates(text: str) -> list[str]:
    return text.split(DATE_SEPARATOR) if text else []


def overdue_count(summary: CaseSummary, today: _dt.date) -> int:
    """How many record requests of the case are late on ``today``."""
    dates = summary.overdue_from
    if not dates:  # most rows; these run for every row at every key typed into the filter
        return 0
    day = today.isoformat()
    if dates[-10:] <= day:  # all of them (the dates are sorted): no need to split
        return dates.count(DATE_SEPARATOR) + 1
    return bisect_right(dates.split(DATE_SEPARATOR), day)


def next_visit(summary: CaseSummary, today: _dt.date) -> _dt.date | None:
    """The first planned visit on or after ``today``, or None."""
    text, day = summary.visit_dates, today.isoformat()
    if not text or text[-10:] < day:  # none planned, or all gone by
        return None
    dates = _dates(text)
    at = bisect_left(dates, day)
    return _dt.date.fromisoformat(dates[at]) if at < len(dates) else None


def late_for_me(summary: CaseSummary, today: _dt.date) -> int:
    """How many items waiting on the user are past their due date on ``today``."""
    dates = summary.my_due
    if not dates:
        return 0
    day = today.isoformat()
    if dates[-10:] < day:
        return dates.count(DATE_SEPARATOR) + 1
    return bisect_left(dates.split(DATE_SEPARATOR), day)


def waiting_on(summary: CaseSummary, who: str) -> int:
    """How many open items of the case wait on ``who`` (one of ``core.choices.WHO``)."""
    return int(summary.__dict__[_WAITING_FIELDS[who]])


_WAITING_FIELDS = {f.removeprefix("waiting_"): f for f in CaseSummary.__dataclass_fields__
                   if f.startswith("waiting_")}
"""who -> the row's field counting what waits on them (``dated_fields`` fills one per
``core.choices.WHO``)."""
