"""SVG snapshots of several cases at once in the case list: two cases selected (the mark in
their rows, the count in the title) in our dark and light themes at 120x40 and at 80x24, and
the dialog exporting them at 120x40 and 80x24. Fixed data as in test_screens_snapshots.py.

Update the baselines with
`pytest tests/snapshots/test_selection_snapshots.py --snapshot-update` after looking at them.
"""

from __future__ import annotations

import pytest
from textual.widgets import Input

from ui_kit import seed_sample, settle

THEMES = [pytest.param("secondview-dark", id="dark"), pytest.param("secondview-light", id="light")]
SHOWN_FOLDER = "/home/sam/Documents/second-opinion"


def _selected(theme: str | None = None, *then: str):
    """Select the second and third cases (space moves on), then press ``then``."""

    async def run(pilot):
        if theme is not None:
            pilot.app.theme = theme
        await settle(pilot)
        for key in ("down", "space", "space", *then):
            await pilot.press(key)
            await settle(pilot)
        for box in pilot.app.screen.query(Input):
            box.cursor_blink = False  # a blinking cursor would make the image flaky
            if box.id == "folder":
                box.value = SHOWN_FOLDER  # not the test's own folder
        await pilot.pause()

    return run


@pytest.mark.parametrize("theme", THEMES)
def test_case_list_with_a_selection(snap_compare, make_app, world, theme):
    seed_sample(world)
    assert snap_compare(make_app(), terminal_size=(120, 40), run_before=_selected(theme))


def test_case_list_with_a_selection_80x24(snap_compare, make_app, world):
    seed_sample(world)
    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=_selected())


def test_export_cases_dialog(snap_compare, make_app, world):
    seed_sample(world)
    assert snap_compare(make_app(), terminal_size=(120, 40), run_before=_selected(None, "x"))


def test_export_cases_dialog_80x24(snap_compare, make_app, world):
    seed_sample(world)
    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=_selected(None, "x"))
