"""Where a case stands: its phase, what to do next, which record requests are overdue.

Pure functions of a ``model.Case`` and today's date (passed in, so tests pin it).
"""

from __future__ import annotations

import datetime as _dt

from . import decision, record_requests, visits
from .content_rules import steps_that_apply
from .model import PHASES, Case, Item
from .record_requests import Overdue

CASE_PHASES = ("deciding", "preparing", "visit", "comparing", "choosing", "decided")
COMPARE_STEP = "Compare the opinions side by side, then record your decision"
LEANING_STEP = "Note which option you are leaning towards, and what matters most to you"
DECIDE_STEP = "Record your decision when you feel ready"

EMERGENCY_STEP = "Emergency: get care now. Do not wait for a second opinion."
EMERGENCY_CALL = "Call 911 or your local emergency number."
"""How to get care now: the banner of an emergency case says it after EMERGENCY_STEP."""

LATE_LEGAL_STEP = ("A request is past its legal time: write to the office's records "
                   "department or privacy officer, and keep a copy (guide 'When records are "
                   "late')")
LATE_STEP = ("A request has waited long: call the office's records department, and ask the "
             "second office whether it can ask for the records itself")
"""What to do about late requests, once, after the requests that are late."""


def _date(text: str) -> _dt.date | None:
    try:
        return _dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _past_due(item: Item, today: _dt.date) -> bool:
    """Whether a checklist step's own due date has gone by."""
    due = _date(str(item.due or ""))
    return due is not None and due < today


def overdue_transfers(case: Case, today: _dt.date) -> list[Overdue]:
    """Requests still unanswered past their time, oldest first; which time applies, and
    whether the law sets it, is ``core.record_requests``' rule (each ``Overdue.rule``)."""
    return record_requests.overdue(case, today)


def _said(opinion: Item) -> bool:
    return bool(str(opinion.diagnosis).strip() or str(opinion.treatment).strip())


def _compared(opinion: Item) -> bool:
    """Whether the person has settled how this opinion relates to the first, for each of
    diagnosis and treatment that it states."""
    return all(
        getattr(opinion, f"{name}_relation") != "unsettled"
        for name in ("diagnosis", "treatment")
        if str(getattr(opinion, name)).strip()
    )


def phase(case: Case) -> str:
    """One of CASE_PHASES, from what the case holds.

    Comparing ends, and choosing starts, once every later opinion that says something has its
    relations to the first settled, or once the person weighs options or records a leaning.
    """
    if case.decision is not None and str(case.decision.choice).strip():
        return "decided"
    seconds = case.later_opinions()
    said = [o for o in seconds if _said(o)]
    if said:
        if all(_compared(o) for o in said) or decision.state(case):
            return "choosing"
        return "comparing"
    if seconds:
        return "visit"
    if case.records or case.transfers or any(
        i.done for i in case.checklist if i.phase != "deciding"
    ):
        return "preparing"
    return "deciding"


def next_steps(case: Case, today: _dt.date, limit: int = 5) -> list[str]:
    """What to do next, most pressing first, in words for the person; none for an archived
    case (``core.urgency.urgency_now``)."""
    if case.archived:
        return []
    steps: list[str] = []
    if case.info.urgency == "emergency":
        steps.append(EMERGENCY_STEP)
    late_requests = overdue_transfers(case, today)
    for late in late_requests:
        steps.append(
            f"Chase '{late.record_title}' for {late.transfer.recipient}: requested "
            f"{late.days_waiting} days ago, {late.rule}"
        )
    if late_requests:
        steps.append(LATE_LEGAL_STEP if any(o.legal for o in late_requests) else LATE_STEP)
    for visit in visits.awaiting_opinion(case, today, grace=visits.OPINION_GRACE_DAYS):
        steps.append(visits.opinion_wanted_words(case, visit))
    if case.conflicts or case.races:
        steps.append("Settle the edits that conflict between devices")
    current = phase(case)
    if current == "decided":
        if not case.decision.doctor_told:  # type: ignore[union-attr]
            steps.append("Tell the treating doctor what you decided")
    else:
        order = {p: i for i, p in enumerate(PHASES)}
        # a step past its due date comes first, whatever its phase: an advocate's own to-do
        # (phase "preparing" unless said) must not wait behind the open deciding steps
        todo = sorted(
            (i for i in steps_that_apply(case) if not i.done),
            key=lambda i: (not _past_due(i, today), order.get(i.phase, 99),
                           _date(i.due) or visits.step_due(case, i, today) or _dt.date.max,
                           i.order),
        )
        for item in todo[:3]:
            timed = visits.step_words(case, item, today)  # tied to the planned visit
            if timed is not None and not item.due:
                steps.append(timed)
                continue
            due = _date(item.due)
            when = f" (due {item.due})" if due else ""
            past = " - overdue" if due and due < today else ""
            steps.append(f"{item.text}{when}{past}")
        if current == "comparing":
            steps.append(COMPARE_STEP)
        elif current == "choosing":
            leaning = decision.state(case) == "leaning"
            steps.append(DECIDE_STEP if leaning else LEANING_STEP)
    if not steps:
        steps.append("Add the records and questions for the second doctor")
    return steps[:limit]


def records_confirmed(case: Case) -> tuple[int, int]:
    """(records whose every transfer is confirmed, records in all)."""
    by_record: dict[str, list[Item]] = {}
    for t in case.transfers:
        by_record.setdefault(t.record, []).append(t)
    done = sum(
        1
        for r in case.records
        if by_record.get(r.id) and all(t.state == "confirmed" for t in by_record[r.id])
    )
    return done, len(case.records)


def open_questions(case: Case) -> int:
    """Questions not yet asked."""
    return sum(1 for q in case.questions if not q.asked)
