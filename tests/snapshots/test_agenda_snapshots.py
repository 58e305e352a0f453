"""SVG snapshots of the agenda (d on the case list) at 120x40 and 80x24, with something of
every kind due, and empty. Update with `--snapshot-update` after looking at them."""

from __future__ import annotations

import pytest

from agenda_kit import seed_agenda
from ui_kit import settle


async def _agenda(pilot):
    await settle(pilot)
    await pilot.press("d")
    await settle(pilot)


@pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=["120x40", "80x24"])
def test_agenda(snap_compare, make_app, world, size):
    seed_agenda(world)
    assert snap_compare(make_app(), terminal_size=size, run_before=_agenda)


@pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=["120x40", "80x24"])
def test_agenda_empty(snap_compare, make_app, world, size):
    assert snap_compare(make_app(), terminal_size=size, run_before=_agenda)
