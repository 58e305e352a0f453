"""SVG snapshots of every screen of the app, on fixed data (ids, clock, day, device, TZ).

Update the baselines with `pytest tests/snapshots --snapshot-update` after looking at them.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from textual.widgets import Input
from ui_kit import seed_sample, settle

SHOWN_CASES_DIR = Path("/home/sam/Sync/secondview-cases")


def _steps(*keys: str):
    """A run_before that waits for the list, presses ``keys`` and waits for what they start."""

    async def run(pilot):
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
        for box in pilot.app.screen.query(Input):
            box.cursor_blink = False  # a blinking cursor would make the image flaky
        await pilot.pause()

    return run


def test_first_run(snap_compare, make_app, world):
    app = make_app()
    # the welcome names the cases folder: show a fixed one instead of the tmp folder
    app.paths = replace(world.paths, cases_dir=SHOWN_CASES_DIR)
    assert snap_compare(app, terminal_size=(120, 40), run_before=_steps())


def test_case_list(snap_compare, make_app, world):
    seed_sample(world)
    assert snap_compare(make_app(), terminal_size=(120, 40), run_before=_steps())


def test_case_list_80x24(snap_compare, make_app, world):
    seed_sample(world)
    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=_steps())


def test_case_list_filtered(snap_compare, make_app, world):
    seed_sample(world)
    assert snap_compare(
        make_app(), terminal_size=(120, 40), run_before=_steps("slash", "k", "n", "e")
    )


def test_new_case_form(snap_compare, make_app, world):
    seed_sample(world)
    keys = ("n", *"Gran - cataract", "tab", *"cataract")
    assert snap_compare(make_app(), terminal_size=(120, 40), run_before=_steps(*keys))


def test_new_case_form_refuses_an_empty_title(snap_compare, make_app, world):
    assert snap_compare(make_app(), terminal_size=(120, 40), run_before=_steps("n", "ctrl+s"))


def test_overview(snap_compare, make_app, world):
    seed_sample(world)
    keys = ("down", "down", "enter")  # Mum - knee surgery
    assert snap_compare(make_app(), terminal_size=(120, 40), run_before=_steps(*keys))


def test_overview_emergency_80x24(snap_compare, make_app, world):
    seed_sample(world)
    keys = ("down", "enter")  # Dad - chest pain
    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=_steps(*keys))


def test_help(snap_compare, make_app, world):
    seed_sample(world)
    assert snap_compare(make_app(), terminal_size=(120, 40), run_before=_steps("question_mark"))
