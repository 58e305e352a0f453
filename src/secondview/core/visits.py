"""When a case's visits happen, and which of them still wait for something: the one place
the rules about visits' dates live, read by the next steps, the agenda and the calendar.

A visit (table ``appointments``) has a date, maybe a time (24-hour, in the time zone of the
place) and maybe that zone's name. Pure functions of a ``model.Case`` and today's date
(passed in, so tests pin it); no clock, no I/O.
"""

from __future__ import annotations

import datetime as _dt
import zoneinfo
from typing import Any

from . import care_team
from .model import Case, Item, order_key
from .upcoming import UPCOMING_DAYS

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


def opinion_wanted_from(visit: Item, grace: int = 0) -> _dt.date | None:
    """The first day the visit's opinion is wanted: once the visit has taken place (its date
    when marked done; the day after when still marked planned, as the day itself may still be
    ahead) and ``grace`` days have passed since its date. None for a cancelled, moved or
    undated visit. Whether an opinion is recorded is ``has_opinion``'s to say."""
    date = day(visit)
    if date is None or visit.status in ("cancelled", "moved"):
        return None
    took_place = date + _dt.timedelta(days=0 if visit.status == "done" else 1)
    return max(took_place, date + _dt.timedelta(days=grace))


def awaiting_opinion(case: Case, today: _dt.date, grace: int = 0) -> tuple[Item, ...]:
    """Visits whose opinion is wanted by ``today`` (``opinion_wanted_from``) and whose
    doctor has no opinion recorded yet, oldest first."""
    return tuple(
        visit for visit in in_order(case)
        if (wanted := opinion_wanted_from(visit, grace)) is not None and wanted <= today
        and not has_opinion(case, visit)
    )


# -- the visit in words -----------------------------------------------------------------------


def short_day(date: _dt.date) -> str:
    """A date as the next steps say it: '9 Dec'."""
    return f"{date.day} {date:%b}"


# -- the checklist's steps that hang on the visit ------------------------------------------------

VISIT_STEPS: dict[str, tuple[int, str]] = {
    # checklist template id -> (days before the visit, what to do then)
    "general/confirm-records-arrived": (3, "check that every record has arrived"),
    "general/video-check": (1, "test the video link, camera and sound"),
    "general/questions-written": (1, "put your questions in order, the most important first"),
    "general/own-copies": (1, "pack your own copies of the key reports"),
}
"""The checklist steps (by their id in the content set, content/checklists/general.yaml) whose
time comes from the planned visit, and how long before it."""


def _step_rule(case: Case, step: Item, today: _dt.date) -> tuple[int, str, _dt.date] | None:
    """(days before, what to do, the visit's date) for a step tied to the next planned
    visit; None for other steps or with no visit planned."""
    rule = VISIT_STEPS.get(str(step.template_id or ""))
    visit = next_visit(case, today) if rule is not None else None
    date = day(visit) if visit is not None else None
    if rule is None or date is None:
        return None
    return rule[0], rule[1], date


def step_due(case: Case, step: Item, today: _dt.date) -> _dt.date | None:
    """When a checklist step tied to the visit (VISIT_STEPS) falls due: so many days before
    the next planned visit; None for other steps or with no visit planned."""
    rule = _step_rule(case, step, today)
    return None if rule is None else rule[2] - _dt.timedelta(days=rule[0])


def step_words(case: Case, step: Item, today: _dt.date) -> str | None:
    """The step as the next steps say it when it hangs on the planned visit: "3 days before
    the visit on 9 Dec: check that every record has arrived"; None otherwise."""
    rule = _step_rule(case, step, today)
    if rule is None:
        return None
    days, what, date = rule
    before = "The day" if days == 1 else f"{days} days"
    return f"{before} before the visit on {short_day(date)}: {what}"


def opinion_wanted_words(case: Case, visit: Item) -> str:
    """The next step for a visit still waiting for its opinion."""
    date = day(visit)
    who = care_team.doctor_name(case, visit) or "the doctor"
    when = f" on {short_day(date)}" if date is not None else ""
    return f"Record the opinion from the visit with {who}{when}, or ask for it in writing"


OPINION_VISIT_MODES = {"in_person": "in_person", "video": "video", "records_only": "records_review"}
"""A visit's mode as the opinion form's "Visit" field says it (a phone call has no match)."""


def opinion_preset(case: Case, visit: Item) -> dict[str, Any]:
    """What the opinion form starts with when a visit that took place offers to record its
    opinion: the doctor (name and care-team id), the visit's date and mode, and the next
    opinion number. A doctor removed elsewhere leaves the name to be typed."""
    preset: dict[str, Any] = {"order": case.next_opinion_number()}
    doctor = care_team.doctor_of(case, visit)
    if doctor is not None:
        preset["doctor_id"] = doctor.id
        preset["doctor"] = str(doctor.name or "")
        for field in ("specialty", "institution"):
            if doctor.values.get(field):
                preset[field] = doctor.values[field]
    if day(visit) is not None:
        preset["date"] = visit.date
    if visit.mode in OPINION_VISIT_MODES:
        preset["visit_mode"] = OPINION_VISIT_MODES[visit.mode]
    return preset
