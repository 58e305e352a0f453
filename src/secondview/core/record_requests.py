"""How long an office has to answer a request for records, and when a request is late: the
one home of that rule. ``progress.overdue_transfers`` asks here; the records pane's clock, the
next steps, the overview, the agenda and the command line all go through it.

What US law sets (HIPAA's right of access, 45 CFR 164.524, as HHS explains it):

- A person's request for their own records (``access``): the office must act within 30
  calendar days of getting it. It may take one more 30 days only if it says so in writing,
  with the reason and the date it will answer, so 60 days at most. Some states set shorter
  limits; we count the federal ones.
- A written request that the office send the records to someone the person names
  (``third_party``): the same 30 days, for records kept in the office's electronic record.
- Records sent from one office to another under a release or for treatment (``office``): no
  federal deadline. Nor are slides and tissue blocks bound by one, whoever asked.

Where no law sets a deadline the app still reminds the person after ``TYPICAL_DAYS`` without
an answer, in words that make no legal claim.

Transfers written before the kind of request was recorded have none (``not_said``): one
requested from a provider gets the reminder, never the legal wording, since nobody said the
law covers it. A transfer not requested from a provider (the person hands it over) has no
clock at all, as before.

Pure functions of a ``model.Case`` and a date passed in: no I/O.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from dataclasses import dataclass

from .model import Case, Item

LEGAL_DAYS = 30
"""HIPAA's limit for acting on an access request, in calendar days."""
LONGEST_EXTENSION_DAYS = 60
"""With the one written extension, the latest an access request may be answered."""
TYPICAL_DAYS = 30
"""Where no law sets a deadline: days without an answer before the app reminds the person."""

LEGAL_KINDS = ("access", "third_party")
"""Request kinds a legal clock can cover (``choices.REQUEST_KIND_LABELS``)."""
NO_DEADLINE_RECORDS = ("pathology_slides",)
"""Record kinds no federal deadline covers, whatever the request: slides and tissue blocks."""


@dataclass(frozen=True)
class Clock:
    """How long a request may run: ``days`` from the request date, and whether the law sets
    them (``legal``), with ``words`` saying which rule applies."""

    days: int
    legal: bool
    words: str


def _date(text: object) -> _dt.date | None:
    try:
        return _dt.date.fromisoformat(str(text)) if text else None
    except ValueError:
        return None


def request_kind(transfer: Item) -> str:
    """The transfer's kind of request; ``not_said`` for one written before the field was."""
    return str(transfer.values.get("request_kind") or "not_said")


def has_clock(transfer: Item) -> bool:
    """Whether the app counts days for this transfer at all: not for a record the person
    hands over themselves (``from_provider`` false), whatever its kind."""
    return bool(transfer.from_provider)


def clock(transfer: Item, record_kind: str = "") -> Clock | None:
    """The clock for ``transfer`` (of a record of ``record_kind``), or None when none runs."""
    if not has_clock(transfer):
        return None
    asked = _date(transfer.requested_on)
    kind = request_kind(transfer)
    if kind not in LEGAL_KINDS or record_kind in NO_DEADLINE_RECORDS:
        return Clock(TYPICAL_DAYS, False,
                     f"no legal deadline; the app reminds you after {TYPICAL_DAYS} days")
    extended = _date(transfer.values.get("extended_to"))
    if extended is not None and asked is not None and extended > asked:
        days = min((extended - asked).days, LONGEST_EXTENSION_DAYS)
        return Clock(days, True, f"past the date the office gave in writing ({days} days)")
    scope = " for electronic records" if kind == "third_party" else ""
    return Clock(LEGAL_DAYS, True, f"past the {LEGAL_DAYS} days the law allows{scope}")


@dataclass(frozen=True)
class Overdue:
    """A request still unanswered past its clock: ``rule`` says which rule made it late and
    ``legal`` whether the law sets that limit."""

    transfer: Item
    record_title: str
    days_waiting: int
    rule: str = ""
    legal: bool = False


def _running(records: Mapping[str, Item], transfer: Item) -> tuple[Item, _dt.date, Clock] | None:
    """(its record, the day it was asked, its clock) for a request still waiting whose clock
    runs; None when it is answered, undated, without a clock, or its record is gone."""
    record = records.get(str(transfer.record))
    asked = _date(transfer.requested_on)
    if transfer.state != "requested" or record is None or asked is None:
        return None
    limit = clock(transfer, str(record.kind))
    return None if limit is None else (record, asked, limit)


def late_from(case: Case, transfer: Item) -> _dt.date | None:
    """The first day ``overdue`` counts ``transfer`` late (the day after its clock runs
    out), or None when it never will as the case stands: answered, no date, no clock, or a
    record that is gone. The day after ``deadline``."""
    running = _running({r.id: r for r in case.records}, transfer)
    if running is None:
        return None
    _, asked, limit = running
    return asked + _dt.timedelta(days=limit.days + 1)


def deadline(case: Case, transfer: Item) -> _dt.date | None:
    """The last day the office has to answer ``transfer`` (None: see ``late_from``)."""
    late = late_from(case, transfer)
    return None if late is None else late - _dt.timedelta(days=1)


def overdue(case: Case, today: _dt.date) -> list[Overdue]:
    """Requests still unanswered past their clock, longest waiting first."""
    records = {r.id: r for r in case.records}
    found = []
    for transfer in case.transfers:
        running = _running(records, transfer)
        if running is None:
            continue
        record, asked, limit = running
        waiting = (today - asked).days
        if waiting > limit.days:
            found.append(Overdue(transfer, str(record.title), waiting, limit.words, limit.legal))
    return sorted(found, key=lambda o: -o.days_waiting)


def day_count(transfer: Item, record_kind: str, today: _dt.date) -> tuple[int, int] | None:
    """(days waited, days allowed) for a request still waiting; None when no clock runs."""
    limit = clock(transfer, record_kind)
    asked = _date(transfer.requested_on)
    if limit is None or asked is None or transfer.state != "requested":
        return None
    waited = (today - asked).days
    return None if waited < 0 else (waited, limit.days)
