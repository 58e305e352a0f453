"""The agenda of every case, read from the case list index (store.case_index, table agenda)."""

from __future__ import annotations

import datetime as dt

import pytest

from secondview.core import agenda
from secondview.store.paths import Device, Paths
from secondview.store.repository import CaseRepository, OpenCase

TODAY = dt.date(2026, 12, 6)
DESK = Device("aaaaaaaaaaaa", "desk")
LAPTOP = Device("bbbbbbbbbbbb", "laptop")


@pytest.fixture
def desk(paths: Paths):
    repo = CaseRepository(paths, DESK, today=TODAY)
    yield repo
    repo.close()


def _laptop(paths: Paths) -> CaseRepository:
    local = paths.data_dir.parent / "laptop"
    return CaseRepository(Paths(paths.cases_dir, local / "data", local / "cache",
                                local / "config"), LAPTOP, today=TODAY)


def _busy_case(repo: CaseRepository, title: str) -> OpenCase:
    opened = repo.create({"title": title})
    opened, record = repo.add(opened, "records", {"title": "Pathology slides"})
    opened, doctor = repo.add(opened, "doctors", {"name": "Dr. Sarah Lin"})
    opened, _ = repo.add(opened, "transfers", {"record": record, "recipient": "Dr. Sarah Lin",
                                               "requested_on": "2026-10-27"})
    opened, _ = repo.add(opened, "appointments", {"date": "2026-12-09", "time": "14:30",
                                                  "status": "planned", "doctor_id": doctor})
    opened, _ = repo.add(opened, "appointments", {"date": "2026-11-20", "status": "done",
                                                  "doctor_id": doctor})
    opened, _ = repo.add(opened, "checklist", {"text": "Sign the release",
                                               "due": "2026-12-01"})
    opened, _ = repo.add(opened, "checklist", {"text": "Plan the trip", "due": "2027-01-10"})
    return opened


def test_the_index_lists_what_entries_lists_on_every_day(desk):
    one = _busy_case(desk, "Dad - prostate")
    two = _busy_case(desk, "Mum - knee")
    day = dt.date(2026, 10, 20)
    while day <= dt.date(2027, 1, 20):
        for days in (0, 14, 30):
            expected = sorted(agenda.entries(one.case, day, days)
                              + agenda.entries(two.case, day, days), key=agenda.Entry.sort_key)
            assert desk.index.agenda(day, days) == expected, (day, days)
        day += dt.timedelta(days=4)


def test_an_edit_moves_an_entry_and_done_takes_it_off(desk):
    opened = desk.create({"title": "Dad - prostate"})
    opened, step = desk.add(opened, "checklist", {"text": "Sign the release",
                                                  "due": "2026-12-30"})
    assert desk.index.agenda(TODAY, 14) == []
    opened = desk.update(opened, "checklist", step, {"due": "2026-12-10"})
    [entry] = desk.index.agenda(TODAY, 14)
    assert (entry.date, entry.item_id, entry.pane) == (dt.date(2026, 12, 10), step, "checklist")
    assert entry.case_title == "Dad - prostate"
    desk.update(opened, "checklist", step, {"done": True})
    assert desk.index.agenda(TODAY, 14) == []


def test_an_edit_on_another_device_reaches_the_agenda_on_refresh(paths, desk):
    opened = desk.create({"title": "Dad - prostate"})
    opened, step = desk.add(opened, "checklist", {"text": "Sign the release"})
    desk.list()
    laptop = _laptop(paths)
    laptop.update(laptop.open(opened.case_id), "checklist", step, {"due": "2026-12-08"})
    laptop.close()
    desk.refresh()
    assert [e.item_id for e in desk.index.agenda(TODAY, 14)] == [step]


def test_archived_cases_are_left_out_and_come_back_when_restored(desk):
    kept = _busy_case(desk, "Kept")
    gone = desk.set_archived(_busy_case(desk, "Archived"), True)
    assert {e.case_id for e in desk.index.agenda(TODAY, 14)} == {kept.case_id}
    desk.set_archived(gone, False)
    assert {e.case_id for e in desk.index.agenda(TODAY, 14)} == {kept.case_id, gone.case_id}


def test_a_case_removed_from_the_folder_leaves_the_agenda(desk):
    import shutil

    gone = _busy_case(desk, "Leaving")
    desk.list()
    shutil.rmtree(desk.folder(gone.case_id))
    desk.refresh()
    assert desk.index.agenda(TODAY, 14) == []
    rows = desk.index.db().execute("SELECT COUNT(*) FROM agenda").fetchone()[0]
    assert rows == 0


def test_a_screenful_is_read_in_order_straight_from_the_sql_index(desk):
    for n in range(3):
        _busy_case(desk, f"Case {n}")
    whole = desk.index.agenda(TODAY, 40)
    assert desk.index.agenda_count(TODAY, 40) == len(whole) == 15
    for limit in (1, 4, 9):
        assert desk.index.agenda(TODAY, 40, limit=limit) == whole[:limit]
    from secondview.store import agenda_index

    query = agenda_index.AGENDA_QUERY + agenda_index.AGENDA_ORDER + " LIMIT 5"
    plan = " ".join(str(r) for r in desk.index.db().execute(
        f"EXPLAIN QUERY PLAN {query}", {"today": "2026-12-06", "horizon": "2026-12-20"}))
    assert "agenda_by_date" in plan and "TEMP B-TREE" not in plan
    count = f"EXPLAIN QUERY PLAN SELECT COUNT(*) FROM ({agenda_index.AGENDA_QUERY})"
    plan = " ".join(str(r) for r in desk.index.db().execute(
        count, {"today": "2026-12-06", "horizon": "2026-12-20"}))
    assert "COVERING INDEX agenda_by_date" in plan
