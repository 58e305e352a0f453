"""The rules about when visits happen and which wait for an opinion (core.visits)."""

from __future__ import annotations

import datetime as dt

from secondview.core import visits
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
