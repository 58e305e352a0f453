"""What is due in a case, dated: the agenda's entries, and the days each one is on it.

An entry is one of ``KINDS``: a record request past its response window (the rule is
``progress.overdue_transfers``), a planned visit in the next ``days`` days (``visits.upcoming``),
a checklist step not done whose due date falls on or before the end of those days (this
module's own rule: the agenda looks ahead as far for steps as for visits), and a visit that
took place with no opinion recorded from its doctor (``visits.awaiting_opinion``).

``entries(case, today, days)`` asks those rules directly. The case list index cannot open
every case each time the agenda is shown, so ``dated(case)`` gives each entry that may ever
show with the days it shows (``Dated``), none of them depending on today; ``Dated.shows``
then decides at query time (the index's SQL says the same: a test holds them equal). The
first day a request is overdue, or a visit waits for its opinion, is its rule's to say
(``record_requests.late_from``, ``visits.opinion_wanted_from``).

Pure functions of a ``model.Case`` and dates passed in: no clock, no I/O.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass

from . import care_team, progress, record_requests, visits, waiting
from .content_rules import steps_that_apply
from .model import Case, Item
from .upcoming import UPCOMING_DAYS

OVERDUE_REQUEST = "overdue_request"
VISIT = "visit"
STEP = "step"
AWAITING_OPINION = "awaiting_opinion"
KINDS = (OVERDUE_REQUEST, VISIT, STEP, AWAITING_OPINION)
KIND_LABELS = {
    OVERDUE_REQUEST: "Records late",
    VISIT: "Visit",
    STEP: "Step",
    AWAITING_OPINION: "Opinion due",
}

SHOWN_AT_MOST = 500
"""How many entries the agenda screen lists, soonest first (the command line lists all): a
person with more has no use for a longer list, and the screen stays quick to appear."""

VISITS_PANE = "visits"
"""The case pane that lists visits (key 9)."""

EARLIEST = _dt.date(1900, 1, 1)
"""The date an entry whose own date is unreadable sorts under (first: it needs a look)."""


def case_key(title: str, case_id: str) -> str:
    """How entries of one day and time order by case: by title, whatever its case."""
    return title.casefold() + case_id


@dataclass(frozen=True)
class Entry:
    """One thing due in one case. ``date`` is the day it is about (the visit's, the step's
    due date, the day a request was sent); ``pane`` and ``item_id`` say where it lives in the
    case (the row to highlight). ``words`` never depend on today. ``time`` is a visit's
    start ("14:30 Europe/Paris"); ``record_title`` and ``rule`` belong to an overdue request.
    ``waiting_on`` says who has to act (``core.choices.WHO``; "" for a visit to come);
    ``transfer_id`` is an overdue request's own id (``item_id`` is its record's: the row the
    records pane highlights).
    """

    date: _dt.date
    kind: str
    words: str
    case_id: str
    case_title: str
    pane: str
    item_id: str
    time: str = ""
    record_title: str = ""
    rule: str = ""
    waiting_on: str = ""
    transfer_id: str = ""

    def sort_key(self) -> tuple[_dt.date, str, str, int, str]:
        """By date, then time, then case (``case_key``), then kind (KINDS' order)."""
        return (self.date, self.time, case_key(self.case_title, self.case_id),
                KINDS.index(self.kind), self.item_id)

    def late(self, today: _dt.date) -> bool:
        """Whether the entry is past its time: an overdue request or a visit waiting for its
        opinion always, a step once its due date has gone by, a visit never."""
        if self.kind == STEP:
            return self.date < today
        return self.kind in (OVERDUE_REQUEST, AWAITING_OPINION)


@dataclass(frozen=True)
class Dated:
    """An entry and the days it shows. ``ahead``: it shows from ``days`` before ``since``
    (the look-ahead window of visits and steps), else from ``since`` itself; ``until``: the
    last day it shows, or None while the case stays as it is."""

    entry: Entry
    since: _dt.date
    ahead: bool
    until: _dt.date | None = None

    def shows(self, today: _dt.date, days: int) -> bool:
        """Whether the entry is on the agenda of ``today`` looking ``days`` days ahead."""
        start = today + _dt.timedelta(days=days) if self.ahead else today
        return self.since <= start and (self.until is None or today <= self.until)


def _parse(text: object) -> _dt.date | None:
    try:
        return _dt.date.fromisoformat(str(text)) if text else None
    except ValueError:
        return None


def rule_words(late: record_requests.Overdue) -> str:
    """Which rule made a request overdue (``record_requests``' words)."""
    return late.rule


def _request(case: Case, late: record_requests.Overdue) -> Entry:
    transfer = late.transfer
    sent = _parse(transfer.requested_on) or EARLIEST
    to = care_team.doctor_name(case, transfer)
    rule = rule_words(late)
    return Entry(sent, OVERDUE_REQUEST,
                 f"Chase '{late.record_title}' from {to}, asked for on {sent.isoformat()}: "
                 f"{rule}", case.id, case.title, "records", str(transfer.record),
                 record_title=late.record_title, rule=rule, waiting_on=waiting.waits_on(transfer),
                 transfer_id=transfer.id)


def _start(visit: Item) -> str:
    if not visit.time:
        return ""
    return f"{visit.time} {visit.zone}".strip()


def _visit(case: Case, visit: Item) -> Entry:
    with_whom = care_team.doctor_name(case, visit)
    where = str(visit.place or "").strip()
    words = "Visit" + (f" with {with_whom}" if with_whom else "") + (f", {where}" if where else "")
    return Entry(visits.day(visit) or EARLIEST, VISIT, words, case.id, case.title, VISITS_PANE,
                 visit.id, time=_start(visit))


def _awaiting(case: Case, visit: Item) -> Entry:
    with_whom = care_team.doctor_name(case, visit)
    words = ("Record the opinion from the visit" + (f" with {with_whom}" if with_whom else "")
             + " (none recorded yet)")
    # recording the opinion (or asking for it in writing) is the person's to do
    return Entry(visits.day(visit) or EARLIEST, AWAITING_OPINION, words, case.id, case.title,
                 VISITS_PANE, visit.id, time=_start(visit), waiting_on=waiting.ME)


def _step(case: Case, item: Item, due: _dt.date) -> Entry:
    return Entry(due, STEP, str(item.text), case.id, case.title, "checklist", item.id,
                 waiting_on=waiting.waits_on(item))


def _steps_with_due(case: Case) -> list[tuple[Item, _dt.date]]:
    """Checklist steps that apply, not done, with a due date."""
    found = []
    for item in steps_that_apply(case):
        due = _parse(item.due)
        if not item.done and due is not None:
            found.append((item, due))
    return found


def entries(case: Case, today: _dt.date, days: int = UPCOMING_DAYS) -> list[Entry]:
    """What is due in ``case`` on ``today``, looking ``days`` days ahead, by date. An
    archived case has none."""
    if case.archived:
        return []
    found = [_request(case, late) for late in progress.overdue_transfers(case, today)]
    found += [_visit(case, v) for v in visits.upcoming(case, today, days)]
    horizon = today + _dt.timedelta(days=days)
    found += [_step(case, item, due) for item, due in _steps_with_due(case) if due <= horizon]
    found += [_awaiting(case, v) for v in visits.awaiting_opinion(case, today)]
    return sorted(found, key=Entry.sort_key)


def dated(case: Case) -> list[Dated]:
    """Every entry of ``case`` that may show on some day, with the days it shows (see the
    module docstring): what the case list index keeps. Archived cases included (the index
    leaves them out when asked, so archiving needs no new rows)."""
    found: list[Dated] = []
    for transfer in case.transfers:
        since = record_requests.late_from(case, transfer)
        if since is not None:
            [late] = (o for o in progress.overdue_transfers(case, since)
                      if o.transfer.id == transfer.id)
            found.append(Dated(_request(case, late), since, ahead=False))
    for visit in visits.planned(case):
        day = visits.day(visit)
        if day is not None:
            found.append(Dated(_visit(case, visit), day, ahead=True, until=day))
    for item, due in _steps_with_due(case):
        found.append(Dated(_step(case, item, due), due, ahead=True))
    for visit in visits.in_order(case):
        since = visits.opinion_wanted_from(visit)
        if since is not None and not visits.has_opinion(case, visit):
            found.append(Dated(_awaiting(case, visit), since, ahead=False))
    return found
