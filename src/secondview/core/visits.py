"""When a case's visits happen, and which of them still wait for something: the one place
the rules about visits' dates live, read by the next steps, the agenda and the calendar.

A visit (table ``appointments``) has a date, maybe a time (24-hour, in the time zone of the
place) and maybe that zone's name. Pure functions of a ``model.Case`` and today's date
(passed in, so tests pin it); no clock, no I/O.
"""

from __future__ import annotations

import datetime as _dt
import zoneinfo

from .model import Case, Item, order_key

UPCOMING_DAYS = 14
"""How far ahead the agenda looks for visits unless told otherwise."""

OPINION_GRACE_DAYS = 7
"""How long after a visit its opinion may wait before the next steps ask for it: a written
report often follows the visit by days."""

LIVE_STATUSES = ("planned",)
"""A visit in one of these states is still going to happen (cancelled and moved ones are
kept for the record but no longer planned)."""


def day(visit: Item) -> _dt.date | None:
    """The visit's date; None when the stored text is not a date (a damaged or hand-made
    file: such a visit is listed, never scheduled)."""
    try:
        return _dt.date.fromisoformat(visit.date) if visit.date else None
    except (TypeError, ValueError):
        return None


def starts_at(visit: Item) -> _dt.datetime | None:
    """When the visit starts: an aware datetime in the place's zone when both a time and a
    known zone are set, a naive one (this device's local time) with a time but no zone, and
    None without a time (an all-day visit) or a date."""
    date = day(visit)
    if date is None or not visit.time:
        return None
    try:
        hours, minutes = (int(part) for part in str(visit.time).split(":"))
        moment = _dt.datetime.combine(date, _dt.time(hours, minutes))
    except ValueError:
        return None
    if visit.zone:
        try:
            return moment.replace(tzinfo=zoneinfo.ZoneInfo(visit.zone))
        except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
            return moment
    return moment


def in_order(case: Case) -> tuple[Item, ...]:
    """Every visit of the case, soonest first; undated ones last."""
    return tuple(sorted(
        case.appointments,
        key=lambda v: (day(v) or _dt.date.max, str(v.time), *order_key(v)[1:]),
    ))


def planned(case: Case) -> tuple[Item, ...]:
    """The visits still to happen (status planned, dated), soonest first."""
    return tuple(v for v in in_order(case) if v.status in LIVE_STATUSES and day(v) is not None)


def next_visit(case: Case, today: _dt.date) -> Item | None:
    """The first planned visit on or after today, or None."""
    return next((v for v in planned(case) if (day(v) or today) >= today), None)


def upcoming(case: Case, today: _dt.date, days: int = UPCOMING_DAYS) -> tuple[Item, ...]:
    """Planned visits from today to ``days`` days ahead, soonest first."""
    last = today + _dt.timedelta(days=days)
    return tuple(v for v in planned(case) if today <= (day(v) or today) <= last)


def has_opinion(case: Case, visit: Item) -> bool:
    """Whether an opinion is recorded from the visit's doctor (by the doctor's id). A visit
    with no doctor never counts as having one."""
    return bool(visit.doctor_id) and any(o.doctor_id == visit.doctor_id for o in case.opinions)


def awaiting_opinion(case: Case, today: _dt.date, grace: int = 0) -> tuple[Item, ...]:
    """Visits that took place at least ``grace`` days ago (marked done, or planned with their
    date passed) whose doctor has no opinion recorded yet, oldest first."""
    found = []
    for visit in in_order(case):
        date = day(visit)
        if date is None or visit.status in ("cancelled", "moved"):
            continue
        if visit.status == "planned" and date >= today:
            continue
        if (today - date).days >= grace and not has_opinion(case, visit):
            found.append(visit)
    return tuple(found)
