"""A case's dates as an iCalendar file (RFC 5545), for the calendar program people use.

What goes in: each visit as an event at its time in the zone of its place (with the place,
and a link when the place is one), record-request deadlines (the day ``progress`` says the
office must answer by) and checklist steps that have a due day (their own, or one the planned
visit sets: ``visits.step_due``), the last two as all-day entries. Every entry's UID is made
from the case's id and the item's, so importing a newer export updates the entries instead of
adding them again; a cancelled or moved visit stays in the file, marked cancelled, so the
calendar drops it on the next import.

Written with the ``icalendar`` library. Pure: ``calendar_bytes`` returns the file's bytes and
never writes (``store.exports.write_calendar`` does); the stamp the format requires is passed
in, never read from a clock.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterable, Sequence

import icalendar

from . import care_team, record_requests, visits
from .content_rules import steps_that_apply
from .model import Case, Item, spec

PRODUCT_ID = "-//secondview//case calendar//EN"
VISIT_LENGTH = _dt.timedelta(hours=1)
"""How long a visit is shown to last: the case holds no end time."""
UID_DOMAIN = "secondview.invalid"
"""The right-hand side of every UID (a name that is nobody's domain)."""
LINK = re.compile(r"https?://\S+")
CALENDAR_TABLES = ("appointments", "transfers", "checklist")
"""The tables whose items a calendar holds."""


def uid(case: Case, item: Item) -> str:
    """The entry's UID: the same on every export of the same item, on every device."""
    return f"{case.id}-{item.table}-{item.id}@{UID_DOMAIN}"


def case_items(case: Case, today: _dt.date) -> tuple[Item, ...]:
    """The items of ``case`` its calendar holds: every dated visit (cancelled ones too, to be
    marked so), each record request with a deadline, and each checklist step still to do
    that applies to the case and has a due day."""
    found: list[Item] = [v for v in visits.in_order(case) if visits.day(v) is not None]
    found += [t for t in case.transfers if record_requests.deadline(case, t) is not None]
    found += [s for s in steps_that_apply(case) if not s.done and _step_day(case, s, today)]
    return tuple(found)


def calendar_bytes(cases: Iterable[tuple[Case, Sequence[Item]]], today: _dt.date,
                   stamp: _dt.datetime) -> bytes:
    """One iCalendar file holding, for each (case, items), an entry per item (items of
    other tables, or with no date, are left out). ``stamp``: when the file is made (an
    aware datetime; the format asks for it on every entry)."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    for case, items in cases:
        for item in items:
            entry = _entry(case, item, today)
            if entry is not None:
                entry.add("uid", uid(case, item))
                entry.add("dtstamp", stamp.astimezone(_dt.UTC))
                calendar.add_component(entry)
    calendar.add_missing_timezones()
    return bytes(calendar.to_ical())


# -- one entry per item -------------------------------------------------------------------------


def _entry(case: Case, item: Item, today: _dt.date) -> icalendar.Event | None:
    if item.table == "appointments":
        return _visit(case, item)
    if item.table == "transfers":
        deadline = record_requests.deadline(case, item)
        if deadline is None:
            return None
        titles = {r.id: r.title for r in case.records}
        record = titles.get(item.record) or "a record"
        who = f" for {item.recipient}" if item.recipient else ""
        return _all_day(deadline, f"Deadline: '{record}'{who} ({case.title})",
                        "The last day for the office to answer the request for records.")
    if item.table == "checklist":
        due = _step_day(case, item, today)
        if due is None:
            return None
        return _all_day(due, f"{item.text} ({case.title})", "A step of the checklist.")
    return None


def _step_day(case: Case, step: Item, today: _dt.date) -> _dt.date | None:
    """A checklist step's due day: its own, else the one the planned visit sets."""
    try:
        if step.due:
            return _dt.date.fromisoformat(str(step.due))
    except ValueError:
        return None
    return visits.step_due(case, step, today)


def _visit(case: Case, visit: Item) -> icalendar.Event | None:
    day = visits.day(visit)
    if day is None:
        return None
    event = icalendar.Event()
    doctor = care_team.doctor_name(case, visit)
    event.add("summary", f"Visit{f' with {doctor}' if doctor else ''} ({case.title})")
    start = visits.starts_at(visit)
    if start is None:  # no time: the whole day
        event.add("dtstart", day)
        event.add("dtend", day + _dt.timedelta(days=1))
    else:  # in the zone of the place (a time without a zone floats: local wherever it is read)
        event.add("dtstart", start)
        event.add("dtend", start + VISIT_LENGTH)
    place = str(visit.place or "").strip()
    if place:
        event.add("location", place)
        link = LINK.search(place)
        if link:
            event.add("url", link.group(0))
    lines = [f"{label}: {value}" for label, value in (
        ("Doctor", doctor), ("How", _label(visit, "mode")),
        ("Who comes along", visit.companions), ("What to bring", visit.bring),
        ("Notes", visit.notes)) if value]
    if lines:
        event.add("description", "\n".join(lines))
    event.add("status", "CANCELLED" if visit.status in ("cancelled", "moved") else "CONFIRMED")
    return event


def _all_day(day: _dt.date, summary: str, description: str) -> icalendar.Event:
    event = icalendar.Event()
    event.add("summary", summary)
    event.add("dtstart", day)
    event.add("dtend", day + _dt.timedelta(days=1))
    event.add("transp", "TRANSPARENT")  # a deadline does not make the person busy
    if description:
        event.add("description", description)
    return event


def _label(item: Item, field: str) -> str:
    return str(spec(item.table, field).label_of(getattr(item, field)))
