"""SVG snapshots of the unlock screen (a sealed, locked cases folder) at 120x40 and 80x24.

Update the baselines with
`pytest tests/snapshots/test_unlock_snapshots.py --snapshot-update` after looking at them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input

from secondview.store.paths import Paths
from secondview.store.repository import CaseRepository
from secondview.ui.app import SecondViewApp

from ui_kit import settle

SIZES = [pytest.param((120, 40), id="120x40"), pytest.param((80, 24), id="80x24")]


@pytest.mark.parametrize("size", SIZES)
def test_unlock_screen(snap_compare, world, size):
    # the cases folder the screen names: the same on every machine (nothing is read from it)
    shown = Paths(Path("/home/sam/Dropbox/cases"), world.paths.data_dir, world.paths.cache_dir,
                  world.paths.config_dir)
    repo = CaseRepository(shown, world.repo.device)
    app = SecondViewApp(repo, paths=shown, locked=True)

    async def run(pilot):
        await settle(pilot)
        await pilot.press(*"typed, never shown")
        for box in pilot.app.screen.query(Input):
            box.cursor_blink = False
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run)
