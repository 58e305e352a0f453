"""SVG snapshots of the new-case form saying that its title is already used (issue 18), at
120x40 and 80x24, on fixed data (tests/ui/ui_kit.py's sample: 'Old shoulder' is archived).

Update the baselines with
`pytest tests/snapshots/test_new_case_namesakes_snapshots.py --snapshot-update` after
looking at them.
"""

from __future__ import annotations

import pytest
from textual.widgets import Input

from ui_kit import seed_sample, settle


async def _type_a_used_title(pilot) -> None:
    await settle(pilot)
    await pilot.press("n")
    await settle(pilot)
    await pilot.press(*"old shoulder")
    await settle(pilot)
    for box in pilot.app.screen.query(Input):
        box.cursor_blink = False  # a blinking cursor would make the image flaky
    await pilot.pause()


@pytest.mark.parametrize("size", [pytest.param((120, 40), id="120x40"),
                                  pytest.param((80, 24), id="80x24")])
def test_new_case_form_says_the_title_is_used(snap_compare, make_app, world, size):
    seed_sample(world)
    assert snap_compare(make_app(), terminal_size=size, run_before=_type_a_used_title)
