"""SVG snapshots of the modal screens and the guides, each in our dark (default) and light
themes at 120x40: the item form (editing a checklist step), the archive question, the guides,
the export dialog and the attach dialog. Fixed data as in test_screens_snapshots.py.

Update the baselines with
`pytest tests/snapshots/test_modal_snapshots.py --snapshot-update` after looking at them.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from textual.widgets import Input, TextArea

from secondview.core.content_items import Guide

from ui_kit import seed_sample, settle

THEMES = [pytest.param("secondview-dark", id="dark"), pytest.param("secondview-light", id="light")]
GUIDES = [
    Guide("when", "When to ask for a second opinion",
          "# When to ask for a second opinion\n\nWhen a diagnosis is serious or unclear, "
          "or a big operation is planned.\n\n## Not in an emergency\n\nGet care first.\n",
          Path("/guides/01-when.md")),
    Guide("visit", "Preparing for the visit",
          "# Preparing for the visit\n\n- Write the questions down.\n- Bring someone.\n",
          Path("/guides/02-visit.md")),
]


def _in_case(*keys: str, theme: str, pane_keys: tuple[str, ...] = ()):
    """Open the knee case, show a pane, press ``keys``; cursors steady for the image."""

    async def run(pilot):
        pilot.app.theme = theme
        await settle(pilot)
        pilot.app.open_case(pilot.app._snapshot_case)
        await settle(pilot)
        for key in (*pane_keys, *keys):
            await pilot.press(key)
            await settle(pilot)
        for box in pilot.app.screen.query(Input):
            box.cursor_blink = False
        for area in pilot.app.screen.query(TextArea):
            area.cursor_blink = False
        await pilot.pause()

    return run


def _app(make_app, world, **kwargs):
    ids = seed_sample(world)
    app = make_app(**kwargs)
    app._snapshot_case = ids["knee"]
    return app


@pytest.mark.parametrize("theme", THEMES)
def test_item_form(snap_compare, make_app, world, theme):
    app = _app(make_app, world)
    assert snap_compare(app, terminal_size=(120, 40),
                        run_before=_in_case("down", "e", theme=theme, pane_keys=("2",)))


@pytest.mark.parametrize("theme", THEMES)
def test_archive_question(snap_compare, make_app, world, theme):
    seed_sample(world)

    async def run(pilot):
        pilot.app.theme = theme
        await settle(pilot)
        await pilot.press("delete")
        await settle(pilot)

    assert snap_compare(make_app(), terminal_size=(120, 40), run_before=run)


@pytest.mark.parametrize("theme", THEMES)
def test_guides(snap_compare, make_app, world, theme):
    app = _app(make_app, world, content=SimpleNamespace(guides=GUIDES, problems=[]))
    assert snap_compare(app, terminal_size=(120, 40), run_before=_in_case("g", theme=theme))


@pytest.mark.parametrize("theme", THEMES)
def test_export_dialog(snap_compare, make_app, world, theme):
    app = _app(make_app, world, config={"export_dir": "/home/sam/Documents"})
    assert snap_compare(app, terminal_size=(120, 40), run_before=_in_case("x", theme=theme))


@pytest.mark.parametrize("theme", THEMES)
def test_attach_dialog(snap_compare, make_app, world, theme):
    app = _app(make_app, world)
    assert snap_compare(app, terminal_size=(120, 40),
                        run_before=_in_case("f", theme=theme, pane_keys=("3",)))


def test_attach_dialog_80x24(snap_compare, make_app, world):
    """The attach dialog on a small terminal: the path, the keep-a-copy box, the buttons."""
    app = _app(make_app, world)
    assert snap_compare(app, terminal_size=(80, 24),
                        run_before=_in_case("f", theme="secondview-dark", pane_keys=("3",)))


@pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=["120x40", "80x24"])
def test_fhir_import_dialog_after_checking_a_file(snap_compare, make_app, world, size,
                                                  tmp_path, monkeypatch):
    """The import dialog once a portal's bundle was checked: what it would add, what it
    skips, the vital signs it only counts, and the box that keeps them."""
    fixtures = Path(__file__).resolve().parent.parent / "fixtures" / "fhir"
    monkeypatch.setenv("HOME", str(tmp_path))  # the typed path, ~/portal.json, is the same
    (tmp_path / "portal.json").write_bytes((fixtures / "portal_bundle.json").read_bytes())
    app = _app(make_app, world)
    keys = ("i", *"~/portal.json", "ctrl+s")
    assert snap_compare(app, terminal_size=size,
                        run_before=_in_case(*keys, theme="secondview-dark", pane_keys=("3",)))


def test_export_dialog_80x24(snap_compare, make_app, world):
    # issue 14: at 80x24 the buttons were below the bottom of the screen
    app = _app(make_app, world, config={"export_dir": "/home/sam/Documents"})
    assert snap_compare(app, terminal_size=(80, 24),
                        run_before=_in_case("x", theme="secondview-dark"))


@pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=["120x40", "80x24"])
def test_kept_note_viewer(snap_compare, make_app, world, size, tmp_path, monkeypatch):
    """A note an import kept in the case, read with v on the records pane."""
    fixtures = Path(__file__).resolve().parent.parent / "fixtures" / "fhir"
    monkeypatch.setenv("HOME", str(tmp_path))
    (tmp_path / "portal.json").write_bytes((fixtures / "portal_bundle.json").read_bytes())
    app = _app(make_app, world)
    imported = _in_case("i", *"~/portal.json", "ctrl+s", "ctrl+s", theme="secondview-dark",
                        pane_keys=("3",))

    async def run(pilot):
        await imported(pilot)
        table = pilot.app.screen.query_one("#records").table
        titles = [str(table.get_row_at(n)[1]) for n in range(table.row_count)]
        table.move_cursor(row=next(n for n, t in enumerate(titles) if "pathology" in t))
        pilot.app.clear_notifications()  # the import's toast, gone in a few seconds anyway
        await settle(pilot)
        await pilot.press("v")
        await settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run)
