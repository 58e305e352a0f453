"""SVG snapshots of the case list filtered by a search (`/lumbar`), with the hits panel under
the table, at 120x40 and 80x24. Update with `--snapshot-update` after looking at them."""

from __future__ import annotations

import pytest
from search_kit import seed_search

from ui_kit import settle


async def _search(pilot):
    await settle(pilot)
    await pilot.press("slash", *"lumbar")
    await settle(pilot)


@pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=["120x40", "80x24"])
def test_case_list_with_search_hits(snap_compare, make_app, world, size):
    seed_search(world)
    assert snap_compare(make_app(), terminal_size=size, run_before=_search)
