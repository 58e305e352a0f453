"""The records pane and the next steps per kind of request (core/record_requests.py): an
office-to-office request past 30 days is reminded, never called past a legal deadline; an
access request with the office's written new date counts to that date. Keys pressed in the
real app; the case read back from disk."""

from __future__ import annotations

import datetime as dt
from typing import Any

from secondview.core import progress
from secondview.core.replica import HybridClock
from secondview.store.repository import CaseRepository

from ui_kit import DEVICE, TODAY, case_uuid, drive, screen_text, section, seed_case, settle

CASE = case_uuid(1)
MRI, SLIDES = case_uuid(211), case_uuid(212)


def _ago(days: int) -> str:
    return (TODAY - dt.timedelta(days=days)).isoformat()


def _seed(world: Any) -> None:
    seed_case(world, CASE, {"title": "Mum - biopsy", "condition": "a lump"}, [
        ("records", MRI, {"title": "MRI report", "kind": "imaging_report"}),
        ("records", SLIDES, {"title": "Biopsy slides", "kind": "pathology_slides"}),
        ("transfers", case_uuid(311), {"record": MRI, "recipient": "Dr Office", "state":
                                       "requested", "requested_on": _ago(44),
                                       "request_kind": "office"}),
        ("transfers", case_uuid(312), {"record": MRI, "recipient": "Me", "state": "requested",
                                       "requested_on": _ago(40), "request_kind": "access",
                                       "extended_to": _ago(-15)}),
        ("transfers", case_uuid(313), {"record": SLIDES, "recipient": "Dr Path", "state":
                                       "requested", "requested_on": _ago(35),
                                       "request_kind": "access"}),
    ])


def _on_disk(world: Any) -> Any:
    repo = CaseRepository(world.paths, DEVICE, HybridClock(), TODAY)
    try:
        return repo.open(CASE).case
    finally:
        repo.close()


def test_each_kind_of_request_gets_its_own_clock_in_the_pane_and_the_steps(make_app, world):
    _seed(world)
    app = make_app()

    async def steps(pilot):
        await pilot.press("enter")
        await settle(pilot)
        late = {o.transfer.recipient: (o.days_waiting, o.legal)
                for o in progress.overdue_transfers(_on_disk(world), TODAY)}
        assert late == {"Dr Office": (44, False), "Dr Path": (35, False)}
        steps_text = " ".join(section(app, "steps").split())
        assert "Dr Office: requested 44 days ago, no legal deadline" in steps_text
        assert "law allows" not in steps_text
        assert "call the office's records department" in steps_text
        await pilot.press("3")
        await settle(pilot)
        records = app.screen.query_one("#records")
        names = [records.table.get_row_at(i)[1].plain.strip()
                 for i in range(records.table.row_count)]
        records.table.focus()
        records.table.move_cursor(row=names.index("MRI report"))
        await settle(pilot)
        table = records.transfers_table
        clocks = [table.get_row_at(i)[-2].plain.strip() for i in range(table.row_count)]
        assert clocks == ["! 44 days", "day 40 of 55"]  # the MRI's two requests
        assert "day 40 of 55" in screen_text(app)

    drive(app, steps)
