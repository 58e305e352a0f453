"""SVG snapshots of the question bank's picker (key b in the questions pane) at 120x40 and
80x24: the knee case of test_screens_snapshots.py with the bundled bank, one question picked.

Update the baselines with
`pytest tests/snapshots/test_bank_picker_snapshots.py --snapshot-update` after looking at them.
"""

from __future__ import annotations

import pytest

from secondview.store.content_files import load_content

from ui_kit import seed_sample, settle

SIZES = [pytest.param((120, 40), id="120x40"), pytest.param((80, 24), id="80x24")]


@pytest.mark.parametrize("size", SIZES)
def test_bank_picker(snap_compare, make_app, world, size):
    ids = seed_sample(world)
    app = make_app(content=load_content())

    async def run(pilot):
        await settle(pilot)
        pilot.app.open_case(ids["knee"])
        await settle(pilot)
        for key in ("4", "b", "down", "space", "down"):
            await pilot.press(key)
            await settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run)
