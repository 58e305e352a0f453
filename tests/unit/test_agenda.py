"""What the agenda lists for one case, on a pinned day (core.agenda)."""

from __future__ import annotations

import datetime as dt

from secondview.core import agenda, progress
from secondview.core.replica import Write, new_case

DEVICE = "aaaaaaaaaaaa"
TODAY = dt.date(2026, 12, 6)


def _case(*writes: Write, archived: bool = False):  # type: ignore[no-untyped-def]
    state, _ = new_case({"title": "Dad - prostate"}, DEVICE, "2026-12-01T10:00:00.000Z")
    if archived:
        writes = (*writes, Write("case", state.case().id, {"archived": True}))
    return state.apply(writes, DEVICE, "2026-12-01T10:00:01.000Z").case()


def _story(*more: Write, archived: bool = False):  # type: ignore[no-untyped-def]
    return _case(
        Write("doctors", "d-lin", {"name": "Dr. Sarah Lin"}),
        Write("doctors", "d-roy", {"name": "Dr. Roy"}),
        Write("records", "r-path", {"title": "Pathology slides"}),
        Write("records", "r-mri", {"title": "MRI"}),
        # asked 40 days ago: overdue; asked 10 days ago: not yet
        Write("transfers", "t-path", {"record": "r-path", "recipient": "Dr. Sarah Lin (UCC)",
                                      "doctor_id": "d-lin", "requested_on": "2026-10-27"}),
        Write("transfers", "t-mri", {"record": "r-mri", "recipient": "Imaging",
                                     "requested_on": "2026-11-26"}),
        Write("appointments", "v-lin", {"date": "2026-12-09", "time": "14:30",
                                        "zone": "America/Chicago", "status": "planned",
                                        "doctor_id": "d-lin", "place": "University Cancer Center"}),
        Write("appointments", "v-far", {"date": "2027-01-20", "status": "planned"}),
        Write("appointments", "v-roy", {"date": "2026-11-30", "status": "done",
                                        "doctor_id": "d-roy"}),
        Write("checklist", "c-late", {"text": "Sign the release", "due": "2026-12-01"}),
        Write("checklist", "c-soon", {"text": "Write the questions", "due": "2026-12-15"}),
        Write("checklist", "c-far", {"text": "Plan the trip", "due": "2027-02-01"}),
        Write("checklist", "c-done", {"text": "Call the office", "due": "2026-12-02",
                                      "done": True}),
        Write("checklist", "c-undated", {"text": "Read the guide"}),
        *more,
        archived=archived,
    )


def test_entries_list_what_is_due_by_date_with_where_it_lives() -> None:
    found = agenda.entries(_story(), TODAY)
    assert [(e.date.isoformat(), e.kind, e.pane, e.item_id) for e in found] == [
        ("2026-10-27", agenda.OVERDUE_REQUEST, "records", "r-path"),
        ("2026-11-30", agenda.AWAITING_OPINION, "visits", "v-roy"),
        ("2026-12-01", agenda.STEP, "checklist", "c-late"),
        ("2026-12-09", agenda.VISIT, "visits", "v-lin"),
        ("2026-12-15", agenda.STEP, "checklist", "c-soon"),
    ]
    late, awaiting, step, visit, soon = found
    assert {e.case_title for e in found} == {"Dad - prostate"}
    assert late.record_title == "Pathology slides"
    assert late.rule == agenda.rule_words(progress.overdue_transfers(_story(), TODAY)[0])
    assert "Dr. Sarah Lin" in late.words and "Pathology slides" in late.words
    assert "Dr. Roy" in awaiting.words
    assert visit.time == "14:30 America/Chicago"
    assert "Dr. Sarah Lin" in visit.words and "University Cancer Center" in visit.words
    assert [e.late(TODAY) for e in found] == [True, True, True, False, False]


def test_days_widens_the_look_ahead_and_archived_cases_have_nothing() -> None:
    assert [e.item_id for e in agenda.entries(_story(), TODAY, days=60)][-3:] == [
        "c-soon", "v-far", "c-far"]
    assert [e.item_id for e in agenda.entries(_story(), TODAY, days=2)] == [
        "r-path", "v-roy", "c-late"]
    assert agenda.entries(_story(archived=True), TODAY) == []


def test_recording_the_opinion_takes_the_visit_off() -> None:
    case = _story(Write("opinions", "o-roy", {"doctor": "Dr. Roy", "doctor_id": "d-roy"}))
    assert agenda.AWAITING_OPINION not in {e.kind for e in agenda.entries(case, TODAY)}


def test_the_dated_rows_show_on_exactly_the_days_entries_lists_them() -> None:
    case = _story(
        Write("appointments", "v-undated", {"status": "planned"}),
        Write("transfers", "t-bad", {"record": "r-mri", "recipient": "X",
                                     "requested_on": "not a date"}),
    )
    rows = agenda.dated(case)
    day = dt.date(2026, 10, 1)
    while day <= dt.date(2027, 2, 20):
        for days in (0, 3, 14, 40):
            shown = sorted((r.entry for r in rows if r.shows(day, days)),
                           key=agenda.Entry.sort_key)
            assert shown == agenda.entries(case, day, days), (day, days)
        day += dt.timedelta(days=3)


def test_the_day_each_rule_gives_is_the_first_day_the_rule_holds() -> None:
    """record_requests.late_from and visits.opinion_wanted_from say when overdue_transfers
    and awaiting_opinion start listing an item: checked day by day around each boundary."""
    from secondview.core import record_requests, visits

    case = _story(Write("appointments", "v-past", {"date": "2026-11-20", "status": "planned"}),
                  Write("transfers", "t-ext", {"record": "r-mri", "recipient": "Imaging",
                                               "request_kind": "access",
                                               "extended_to": "2026-12-20",
                                               "requested_on": "2026-11-10"}))
    for transfer in case.transfers:
        since = record_requests.late_from(case, transfer)
        assert since is not None, transfer.id
        for day in (since - dt.timedelta(days=1), since):
            listed = any(o.transfer.id == transfer.id
                         for o in progress.overdue_transfers(case, day))
            assert listed is (day == since), (transfer.id, day)
        assert record_requests.deadline(case, transfer) == since - dt.timedelta(days=1)
    for visit in case.appointments:
        since = visits.opinion_wanted_from(visit)
        if since is None or visits.has_opinion(case, visit):
            continue
        for day in (since - dt.timedelta(days=1), since):
            listed = visit in visits.awaiting_opinion(case, day)
            assert listed is (day == since), (visit.id, day)
