"""SVG snapshots of the app's screens, on fixed data (ids, clock, day, device, TZ=UTC): the
case list, the first run, the new-case form, help and a case's overview, each in our default
(dark) theme and our light one at 120x40; the case list and an emergency overview at 80x24.

Update the baselines with
`pytest tests/snapshots/test_screens_snapshots.py --snapshot-update` after looking at them.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from textual.widgets import Input

from ui_kit import seed_sample, settle

SHOWN_CASES_DIR = Path("/home/sam/Sync/secondview-cases")
THEMES = [pytest.param("secondview-dark", id="dark"), pytest.param("secondview-light", id="light")]


def _steps(*keys: str, theme: str | None = None):
    """A run_before that sets ``theme``, waits for the list, presses ``keys`` and waits for
    what they start."""

    async def run(pilot):
        if theme is not None:
            pilot.app.theme = theme
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
        for box in pilot.app.screen.query(Input):
            box.cursor_blink = False  # a blinking cursor would make the image flaky
        await pilot.pause()

    return run


@pytest.mark.parametrize("theme", THEMES)
def test_first_run(snap_compare, make_app, world, theme):
    app = make_app()
    # the welcome names the cases folder: show a fixed one instead of the tmp folder
    app.paths = replace(world.paths, cases_dir=SHOWN_CASES_DIR)
    assert snap_compare(app, terminal_size=(120, 40), run_before=_steps(theme=theme))


@pytest.mark.parametrize("theme", THEMES)
def test_case_list(snap_compare, make_app, world, theme):
    seed_sample(world)
    assert snap_compare(make_app(), terminal_size=(120, 40), run_before=_steps(theme=theme))


def test_case_list_80x24(snap_compare, make_app, world):
    seed_sample(world)
    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=_steps())


def test_case_list_filtered(snap_compare, make_app, world):
    seed_sample(world)
    assert snap_compare(
        make_app(), terminal_size=(120, 40), run_before=_steps("slash", "k", "n", "e")
    )


def test_case_list_sorted_with_archived_shown(snap_compare, make_app, world):
    seed_sample(world)
    assert snap_compare(make_app(), terminal_size=(120, 40), run_before=_steps("a", "1"))


@pytest.mark.parametrize("theme", THEMES)
def test_new_case_form(snap_compare, make_app, world, theme):
    seed_sample(world)
    keys = ("n", *"Gran - cataract", "tab", *"cataract")
    assert snap_compare(make_app(), terminal_size=(120, 40),
                        run_before=_steps(*keys, theme=theme))


def test_new_case_form_refuses_an_empty_title(snap_compare, make_app, world):
    assert snap_compare(make_app(), terminal_size=(120, 40), run_before=_steps("n", "ctrl+s"))


@pytest.mark.parametrize("theme", THEMES)
def test_overview(snap_compare, make_app, world, theme):
    seed_sample(world)
    keys = ("down", "down", "enter")  # Mum - knee surgery
    assert snap_compare(make_app(), terminal_size=(120, 40),
                        run_before=_steps(*keys, theme=theme))


def test_overview_emergency_80x24(snap_compare, make_app, world):
    seed_sample(world)
    keys = ("down", "enter")  # Dad - chest pain
    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=_steps(*keys))


@pytest.mark.parametrize("theme", THEMES)
def test_help(snap_compare, make_app, world, theme):
    seed_sample(world)
    assert snap_compare(make_app(), terminal_size=(120, 40),
                        run_before=_steps("question_mark", theme=theme))
