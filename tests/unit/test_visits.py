"""The rules about when visits happen and which wait for an opinion (core.visits)."""

from __future__ import annotations

import datetime as dt

from secondview.core import care_team, visits
from secondview.core.replica import Write, new_case

DEVICE = "aaaaaaaaaaaa"
TODAY = dt.date(2026, 12, 6)


def _case(*writes: Write):  # type: ignore[no-untyped-def]
    state, _ = new_case({"title": "Dad - prostate"}, DEVICE, "2026-12-01T10:00:00.000Z")
    return state.apply(writes, DEVICE, "2026-12-01T10:00:01.000Z").case()


def test_the_next_visit_is_the_first_planned_one_from_today() -> None:
    case = _case(
        Write("appointments", "v-past", {"date": "2026-11-20", "status": "planned"}),
        Write("appointments", "v-late", {"date": "2026-12-30", "status": "planned"}),
        Write("appointments", "v-soon", {"date": "2026-12-09", "time": "14:30",
                                         "zone": "America/Chicago", "status": "planned"}),
        Write("appointments", "v-off", {"date": "2026-12-07", "status": "cancelled"}),
    )
    assert visits.next_visit(case, TODAY).id == "v-soon"  # type: ignore[union-attr]
    assert [v.id for v in visits.upcoming(case, TODAY)] == ["v-soon"]
    assert [v.id for v in visits.upcoming(case, TODAY, days=30)] == ["v-soon", "v-late"]
    start = visits.starts_at(case.find("v-soon"))  # type: ignore[arg-type]
    assert start is not None and start.utcoffset() == dt.timedelta(hours=-6)


def test_a_visit_that_took_place_waits_for_its_doctors_opinion() -> None:
    case = _case(
        Write("doctors", "d-lin", {"name": "Dr. Sarah Lin"}),
        Write("doctors", "d-roy", {"name": "Dr. Roy"}),
        Write("appointments", "v-lin", {"date": "2026-11-25", "status": "done",
                                        "doctor_id": "d-lin"}),
        Write("appointments", "v-roy", {"date": "2026-12-03", "status": "planned",
                                        "doctor_id": "d-roy"}),
        Write("opinions", "o-roy", {"doctor": "Dr. Roy", "doctor_id": "d-roy"}),
    )
    assert [v.id for v in visits.awaiting_opinion(case, TODAY)] == ["v-lin"]
    assert [v.id for v in visits.awaiting_opinion(case, TODAY, grace=7)] == ["v-lin"]
    assert visits.awaiting_opinion(case, TODAY, grace=12) == ()


def test_next_steps_time_the_records_check_from_the_planned_visit() -> None:
    from secondview.core import progress

    case = _case(
        Write("appointments", "v-soon", {"date": "2026-12-09", "time": "14:30",
                                         "status": "planned"}),
        Write("checklist", "c-arrived", {"text": "A few days before the visit, check it all",
                                         "phase": "preparing", "order": 1.0,
                                         "template_id": "general/confirm-records-arrived"}),
    )
    steps = progress.next_steps(case, TODAY)
    assert "3 days before the visit on 9 Dec: check that every record has arrived" in steps
    step = case.find("c-arrived")
    assert visits.step_due(case, step, TODAY) == dt.date(2026, 12, 6)  # type: ignore[arg-type]


def test_without_a_planned_visit_the_step_keeps_its_own_words() -> None:
    from secondview.core import progress

    case = _case(Write("checklist", "c-arrived", {
        "text": "Check it all", "phase": "preparing",
        "template_id": "general/confirm-records-arrived"}))
    assert "Check it all" in progress.next_steps(case, TODAY)


def test_next_steps_ask_for_the_opinion_a_week_after_the_visit() -> None:
    from secondview.core import progress

    case = _case(
        Write("doctors", "d-lin", {"name": "Dr. Sarah Lin"}),
        Write("appointments", "v-lin", {"date": "2026-11-25", "status": "done",
                                        "doctor_id": "d-lin"}),
        Write("appointments", "v-new", {"date": "2026-12-02", "status": "done",
                                        "doctor_id": "d-lin"}),
    )
    steps = progress.next_steps(case, TODAY)
    asking = [s for s in steps if s.startswith("Record the opinion")]
    # the visit of 2 Dec is within the week a written report may take; 25 Nov is past it
    assert asking == ["Record the opinion from the visit with Dr. Sarah Lin on 25 Nov, or "
                      "ask for it in writing"]
    later = _case(
        Write("doctors", "d-lin", {"name": "Dr. Sarah Lin"}),
        Write("appointments", "v-lin", {"date": "2026-11-25", "status": "done",
                                        "doctor_id": "d-lin"}),
        Write("opinions", "o-lin", {"doctor": "Dr. Sarah Lin", "doctor_id": "d-lin"}),
    )
    assert not [s for s in progress.next_steps(later, TODAY) if "Record the opinion" in s]


def test_a_visits_doctor_deleted_elsewhere_reads_doctor_removed() -> None:
    case = _case(
        Write("doctors", "d-lin", {"name": "Dr. Sarah Lin"}),
        Write("appointments", "v-lin", {"date": "2026-12-09", "doctor_id": "d-lin"}),
        Write("appointments", "v-gone", {"date": "2026-12-10", "doctor_id": "d-gone"}),
        Write("appointments", "v-none", {"date": "2026-12-11"}),
    )
    assert care_team.doctor_name(case, case.find("v-lin")) == "Dr. Sarah Lin"  # type: ignore[arg-type]
    assert care_team.doctor_name(case, case.find("v-gone")) == "doctor removed"  # type: ignore[arg-type]
    assert care_team.doctor_name(case, case.find("v-none")) == ""  # type: ignore[arg-type]


def test_the_demo_case_has_a_planned_visit_its_next_steps_count_from(paths) -> None:  # type: ignore[no-untyped-def]
    from secondview.core import progress
    from secondview.demo import build_demo
    from secondview.store.content_files import load_content
    from secondview.store.paths import Device
    from secondview.store.repository import CaseRepository

    repo = CaseRepository(paths, Device("aaaaaaaaaaaa", "desk", "n1"), today=TODAY)
    try:
        case = build_demo(repo, load_content()).case
    finally:
        repo.close()
    coming = visits.next_visit(case, TODAY)
    assert coming is not None and visits.starts_at(coming) is not None
    assert care_team.doctor_name(case, coming) not in ("", care_team.DOCTOR_REMOVED)
    assert visits.awaiting_opinion(case, TODAY, grace=visits.OPINION_GRACE_DAYS) == ()
    day = visits.short_day(visits.day(coming))  # type: ignore[arg-type]
    assert any(f"before the visit on {day}" in s for s in progress.next_steps(case, TODAY, 9))


def test_every_step_the_visit_times_is_a_step_of_the_content_set() -> None:
    from secondview.store.content_files import load_content

    values = {"title": "x", "surgery": True}
    writes = load_content().starter_writes(values)
    ids = {w.values.get("template_id") for w in writes if w.table == "checklist"}
    assert set(visits.VISIT_STEPS) <= ids, set(visits.VISIT_STEPS) - ids
