"""SVG snapshots of the doctors pane (8) on fixed data (ids, clock, day, device, TZ) at
120x40 and 80x24: two doctors and a records office, one highlighted in full.

Update the baselines with `pytest tests/snapshots --snapshot-update` after looking at them.
"""

from __future__ import annotations

import pytest

from ui_kit import case_uuid, seed_case, settle

CASE = case_uuid(7)
WEBB, LIN, RECORDS = case_uuid(801), case_uuid(802), case_uuid(803)
ITEMS = [
    ("doctors", WEBB, {"name": "Dr. Marcus Webb", "role": "first", "specialty": "Urology",
                       "institution": "Riverside Urology", "phone": "+1 555 0142",
                       "in_network": "yes"}),
    ("doctors", LIN, {"name": "Dr. Sarah Lin", "role": "second",
                      "specialty": "Radiation oncology",
                      "institution": "University Cancer Center", "phone": "+1 555 0100",
                      "fax": "+1 555 0101", "email": "lin.office@ucc.example",
                      "portal": "https://portal.ucc.example", "in_network": "unknown",
                      "address": "1 Campus Drive\nBuilding C, floor 3",
                      "notes": "Ask for the nurse navigator; she calls back the same day."}),
    ("doctors", RECORDS, {"name": "Records office, Riverside", "role": "records_office",
                          "phone": "+1 555 0150", "in_network": "unknown"}),
    ("opinions", case_uuid(101), {"doctor": "Dr. Marcus Webb", "doctor_id": WEBB, "order": 1,
                                  "diagnosis": "Localised prostate cancer"}),
    ("opinions", case_uuid(102), {"doctor": "Dr. Sarah Lin", "doctor_id": LIN, "order": 2,
                                  "diagnosis": "Localised prostate cancer"}),
]


def _steps(pilot_rows: int = 1):
    async def run(pilot):
        await settle(pilot)
        await pilot.press("enter")  # the only case in the list
        await settle(pilot)
        await pilot.press("8")
        await settle(pilot)
        for _ in range(pilot_rows):
            await pilot.press("down")
        await settle(pilot)

    return run


@pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=["120x40", "80x24"])
def test_doctors_pane(snap_compare, make_app, world, size):
    seed_case(world, CASE, {"title": "Dad - prostate", "patient": "Tom"}, ITEMS)
    assert snap_compare(make_app(), terminal_size=size, run_before=_steps())


def _picker_steps():
    async def run(pilot):
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("5")
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        await pilot.press(*"lin")
        await pilot.press("enter")
        await settle(pilot)

    return run


@pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=["120x40", "80x24"])
def test_care_team_picker(snap_compare, make_app, world, size):
    seed_case(world, CASE, {"title": "Dad - prostate", "patient": "Tom"}, ITEMS)
    assert snap_compare(make_app(), terminal_size=size, run_before=_picker_steps())
