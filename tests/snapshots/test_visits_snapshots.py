"""SVG snapshots of the visits pane (9) and the visit form, at 120x40 and 80x24, on fixed
data (ids, clock, day 2026-09-14, device, TZ=UTC): a planned visit with its doctor, one whose
doctor was removed on another device, a done one and a cancelled one.

Update the baselines with `pytest tests/snapshots/test_visits_snapshots.py --snapshot-update`
after looking at them.
"""

from __future__ import annotations

from ui_kit import case_uuid, seed_case, settle

CASE = case_uuid(91)
LIN = case_uuid(901)


def seed(world) -> None:
    seed_case(world, CASE, {"title": "Dad - prostate cancer", "condition": "prostate cancer"}, [
        ("doctors", LIN, {"name": "Dr. Sarah Lin", "institution": "University Cancer Center"}),
        ("doctors", case_uuid(902), {"name": "Dr. Paul Roy", "role": "first"}),
        ("appointments", case_uuid(911), {
            "doctor_id": LIN, "date": "2026-09-30", "time": "14:30", "zone": "America/Chicago",
            "mode": "in_person", "place": "University Cancer Center, 5 Main St, floor 3",
            "companions": "Anna", "bring": "The biopsy report and the medication list",
            "status": "planned"}),
        ("appointments", case_uuid(912), {
            "doctor_id": case_uuid(999), "date": "2026-10-20", "time": "09:00",
            "mode": "video", "place": "https://meet.example.org/abc", "status": "planned"}),
        ("appointments", case_uuid(913), {
            "doctor_id": case_uuid(902), "date": "2026-08-02", "time": "11:00",
            "zone": "America/New_York", "status": "done"}),
        ("appointments", case_uuid(914), {"date": "2026-09-20", "mode": "phone",
                                          "status": "cancelled"}),
    ])


def _visits(*keys: str):
    """Open the case, show the visits, press ``keys``."""

    async def run(pilot):
        await settle(pilot)
        for key in ("enter", "9", *keys):
            await pilot.press(key)
            await settle(pilot)
        await pilot.pause()

    return run


SHOWN = _visits("down", "down")  # the visit with Dr. Lin highlighted
EDIT = _visits("down", "down", "e")  # and open in the form


def test_visits_pane(snap_compare, make_app, world):
    seed(world)
    assert snap_compare(make_app(), terminal_size=(120, 40), run_before=SHOWN)


def test_visits_pane_80x24(snap_compare, make_app, world):
    seed(world)
    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=SHOWN)


def test_visit_form(snap_compare, make_app, world):
    seed(world)
    assert snap_compare(make_app(), terminal_size=(120, 40), run_before=EDIT)


def test_visit_form_80x24(snap_compare, make_app, world):
    seed(world)
    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=EDIT)
