"""A case's dates as iCalendar (core.calendar_file): visits at their time in the zone of the
place, record-request deadlines and due checklist steps as all-day entries, stable UIDs."""

from __future__ import annotations

import datetime as dt

import icalendar

from secondview.core import calendar_file, progress, record_requests
from secondview.core.replica import Write, new_case

DEVICE = "aaaaaaaaaaaa"
TODAY = dt.date(2026, 12, 1)
STAMP = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)


def _case():  # type: ignore[no-untyped-def]
    state, _ = new_case({"title": "Dad - prostate"}, DEVICE, "2026-11-01T10:00:00.000Z",
                        case_id="00000000-0000-4000-8000-000000000007")
    writes = (
        Write("doctors", "d-lin", {"name": "Dr. Sarah Lin"}),
        Write("appointments", "v-lin", {"doctor_id": "d-lin", "date": "2026-12-09",
                                        "time": "14:30", "zone": "America/Chicago",
                                        "place": "University Cancer Center, 5 Main St",
                                        "status": "planned"}),
        Write("appointments", "v-video", {"date": "2026-12-15", "time": "08:00",
                                          "zone": "Europe/Berlin", "mode": "video",
                                          "place": "https://meet.example.org/abc",
                                          "status": "planned"}),
        Write("appointments", "v-off", {"date": "2026-12-04", "status": "cancelled"}),
        Write("records", "r-slides", {"title": "Pathology slides"}),
        Write("transfers", "t-slides", {"record": "r-slides", "recipient": "Dr. Sarah Lin",
                                        "state": "requested", "from_provider": True,
                                        "requested_on": "2026-11-10"}),
        Write("transfers", "t-done", {"record": "r-slides", "recipient": "Dr. Roy",
                                      "state": "confirmed", "from_provider": True,
                                      "requested_on": "2026-11-10"}),
        Write("checklist", "c-own", {"text": "Book the train", "phase": "preparing",
                                     "due": "2026-12-05"}),
        Write("checklist", "c-arrived", {"text": "Check the records arrived",
                                         "phase": "preparing",
                                         "template_id": "general/confirm-records-arrived"}),
        Write("checklist", "c-done", {"text": "Done already", "phase": "preparing",
                                      "due": "2026-12-02", "done": True}),
    )
    return state.apply(writes, DEVICE, "2026-11-01T10:00:01.000Z").case()


def _events(data: bytes) -> dict[str, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(data)
    return {str(e["uid"]).split("-", 5)[-1].split("@")[0]: e for e in calendar.walk("VEVENT")}


def test_the_response_deadline_is_asked_of_the_overdue_rule() -> None:
    case = _case()
    deadline = record_requests.deadline(case, case.find("t-slides"))  # type: ignore[arg-type]
    assert deadline is not None
    assert not progress.overdue_transfers(case, deadline)
    assert progress.overdue_transfers(case, deadline + dt.timedelta(days=1))
    assert record_requests.deadline(case, case.find("t-done")) is None  # type: ignore[arg-type]


def test_visits_are_events_at_the_time_of_their_place() -> None:
    case = _case()
    data = calendar_file.calendar_bytes([(case, calendar_file.case_items(case, TODAY))],
                                        TODAY, STAMP)
    events = _events(data)
    lin = events["appointments-v-lin"]
    start = lin.decoded("dtstart")
    assert start.astimezone(dt.UTC) == dt.datetime(2026, 12, 9, 20, 30, tzinfo=dt.UTC)
    assert str(lin["location"]) == "University Cancer Center, 5 Main St"
    assert "Dr. Sarah Lin" in str(lin["summary"]) and "Dad - prostate" in str(lin["summary"])
    assert b"TZID=America/Chicago" in data and b"BEGIN:VTIMEZONE" in data
    video = events["appointments-v-video"]
    assert str(video["url"]) == "https://meet.example.org/abc"
    assert video.decoded("dtstart").astimezone(dt.UTC).hour == 7
    assert str(events["appointments-v-off"]["status"]) == "CANCELLED"


def test_deadlines_and_due_steps_are_all_day_entries() -> None:
    case = _case()
    deadline = record_requests.deadline(case, case.find("t-slides"))  # type: ignore[arg-type]
    events = _events(calendar_file.calendar_bytes(
        [(case, calendar_file.case_items(case, TODAY))], TODAY, STAMP))
    slides = events["transfers-t-slides"]
    assert slides.decoded("dtstart") == deadline
    assert "Pathology slides" in str(slides["summary"])
    assert "transfers-t-done" not in events  # answered: no deadline
    assert events["checklist-c-own"].decoded("dtstart") == dt.date(2026, 12, 5)
    # three days before the planned visit of 9 Dec
    assert events["checklist-c-arrived"].decoded("dtstart") == dt.date(2026, 12, 6)
    assert "checklist-c-done" not in events


def test_exporting_again_gives_the_same_uids() -> None:
    case = _case()
    first = calendar_file.calendar_bytes([(case, calendar_file.case_items(case, TODAY))],
                                         TODAY, STAMP)
    later = calendar_file.calendar_bytes([(case, calendar_file.case_items(case, TODAY))],
                                         TODAY, STAMP + dt.timedelta(days=3))
    uids = [str(e["uid"]) for e in icalendar.Calendar.from_ical(first).walk("VEVENT")]
    assert len(uids) == len(set(uids)) == 6
    assert uids == [str(e["uid"]) for e in icalendar.Calendar.from_ical(later).walk("VEVENT")]
    assert all(u.startswith(case.id) for u in uids)
