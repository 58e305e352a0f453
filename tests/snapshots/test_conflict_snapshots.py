"""SVG snapshot of the conflict screen at 120x40, on fixed data (ids, clocks, day, device
names, TZ=UTC): a record's title written on two devices at once and a record deleted on one
while edited on the other.

Update the baseline with
`pytest tests/snapshots/test_conflict_snapshots.py --snapshot-update` after looking at it.
"""

from __future__ import annotations

from secondview.core.replica import HybridClock
from secondview.store.repository import CaseRepository

from ui_kit import FIXED_MS, OTHER_DEVICE, case_uuid, seed_case, settle

CASE = case_uuid(1)
MRI, LABS = case_uuid(201), case_uuid(202)


def _conflicts(world) -> None:
    seed_case(world, CASE, {"title": "Mum - knee", "condition": "osteoarthritis"},
              [("records", MRI, {"title": "MRI report", "kind": "imaging_report"}),
               ("records", LABS, {"title": "Blood tests", "kind": "labs"})])
    phone = CaseRepository(world.paths, OTHER_DEVICE, HybridClock(lambda: FIXED_MS + 60_000),
                           world.repo.today)
    theirs, mine = phone.open(CASE), world.repo.open(CASE)
    mine = world.repo.update(mine, "records", MRI, {"title": "MRI report (knee)"})
    world.repo.update(mine, "records", LABS, {"title": "Blood tests, March"})
    # both of the phone's writes come from the version it read before this device's edits
    phone.update(theirs, "records", MRI, {"title": "MRI of the left knee"})
    phone.delete(theirs, "records", LABS)
    phone.close()


def test_conflict_screen(snap_compare, make_app, world):
    _conflicts(world)

    async def run(pilot):
        await settle(pilot)
        for key in ("enter", "c", "down"):  # open the case, the screen, the title conflict
            await pilot.press(key)
            await settle(pilot)
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=(120, 40), run_before=run)
