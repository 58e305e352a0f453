"""Exporting several cases at once (ui/screens/export_cases_screen.py): from the case list
(`x` on a selection, or on the highlighted case alone), and the dialog alone in a small host
app: a file per case on disk (0600, in a folder made 0700), a file that is there kept unless
'Replace' is ticked, a case that cannot be exported named, escape writing nothing."""

from __future__ import annotations

import asyncio
import stat

from textual.app import App
from textual.widgets import Checkbox, Input, RadioSet

from secondview.ui.screens.export_cases_screen import ExportCasesScreen
from secondview.ui.screens.export_screen import WHAT_LABELS

from ui_kit import HOSTILE, TODAY, Notes, drive, screen_text, seed_sample, settle


class Host(App[None]):
    """A bare app showing the dialog, keeping what it closes with."""

    def __init__(self, dialog: ExportCasesScreen) -> None:
        super().__init__()
        self.dialog = dialog
        self.results: list = []

    def on_mount(self) -> None:
        self.push_screen(self.dialog, self.results.append)


def run_alone(dialog, steps, size=(120, 40)):
    host = Host(dialog)

    async def main():
        async with host.run_test(size=size) as pilot:
            await settle(pilot)
            await steps(pilot)

    asyncio.run(main())
    return host


def test_x_exports_the_two_selected_cases_one_file_each(make_app, world, monkeypatch):
    ids = seed_sample(world)
    folder = world.tmp / "out" / "briefs"
    app = make_app()
    notes = Notes(app, monkeypatch)

    async def steps(pilot):
        table = app.screen.query_one("#cases")
        await pilot.press("down")  # Dad - chest pain
        assert table.current_id() == ids["chest"]
        await pilot.press("space", "space")  # and Mum - knee surgery
        await pilot.press("x")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ExportCasesScreen)
        shown = screen_text(app)
        assert "Export 2 cases" in shown
        assert "'Dad - chest pain', 'Mum - knee surgery'" in shown
        dialog.query_one("#folder", Input).value = str(folder)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert type(app.screen).__name__ == "HomeScreen"

    drive(app, steps)
    assert sorted(p.name for p in folder.iterdir()) == ["dad-chest-pain-brief.html",
                                                       "mum-knee-surgery-brief.html"]
    assert "Dad - chest pain" in (folder / "dad-chest-pain-brief.html").read_text()
    for path in folder.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert f"Exported 2 files to {folder}" in notes.text()


def test_x_without_a_selection_exports_the_highlighted_case(make_app, world):
    seed_sample(world)
    app = make_app()

    async def steps(pilot):
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, ExportCasesScreen)
        assert "Export 1 case" in screen_text(app)
        assert "'Thyroid nodule'" in screen_text(app)

    drive(app, steps)


def test_the_dialog_offers_the_documents_of_the_case_screens_export(world):
    ids = seed_sample(world)
    dialog = ExportCasesScreen(world.repo, [(ids["knee"], "Mum - knee surgery")], TODAY,
                               world.tmp)

    async def steps(pilot):
        buttons = dialog.query_one("#what", RadioSet).query("RadioButton")
        assert [b.id for b in buttons] == [f"what-{name}" for name, _ in WHAT_LABELS]

    run_alone(dialog, steps)


def test_markdown_chosen_with_the_keys_and_a_file_there_kept_until_replace(world):
    ids = seed_sample(world)
    folder = world.tmp / "exports"
    folder.mkdir()
    (folder / "thyroid-nodule-brief.md").write_text("my own notes")
    cases = [(ids["thyroid"], "Thyroid nodule"), (ids["chest"], "Dad - chest pain")]
    dialog = ExportCasesScreen(world.repo, cases, TODAY, folder)

    async def steps(pilot):
        await pilot.press("tab", "down", "enter")  # format: Markdown
        await pilot.pause()
        assert dialog.query_one("#format", RadioSet).pressed_button.id == "format-md"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert pilot.app.screen is dialog
        assert "thyroid-nodule-brief.md is already there" in screen_text(pilot.app)
        assert not (folder / "dad-chest-pain-brief.md").exists()  # nothing written
        dialog.query_one("#replace", Checkbox).focus()
        await pilot.press("space", "ctrl+s")
        await settle(pilot)

    host = run_alone(dialog, steps)
    assert sorted(p.name for p in host.results[0]) == ["dad-chest-pain-brief.md",
                                                       "thyroid-nodule-brief.md"]
    assert (folder / "thyroid-nodule-brief.md").read_text().startswith("# Brief")


def test_cases_that_cannot_be_exported_are_named_and_nothing_is_closed(world):
    ids = seed_sample(world)
    folder = world.tmp / "exports"
    cases = [(ids["knee"], "Mum - knee surgery"), (ids["chest"], "Dad - chest pain")]
    dialog = ExportCasesScreen(world.repo, cases, TODAY, folder)

    async def steps(pilot):
        dialog.query_one("#what-comparison").value = True  # neither has two opinions
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert pilot.app.screen is dialog
        status = str(dialog.query_one("#export-status").content)
        assert "Nothing was written" in status
        assert "Mum - knee surgery" in status and "Dad - chest pain" in status

    run_alone(dialog, steps)
    assert not folder.exists() or not any(folder.iterdir())


def test_escape_writes_nothing_and_a_hostile_title_shows_as_typed(world):
    ids = seed_sample(world)
    folder = world.tmp / "exports"
    cases = [(ids["knee"], HOSTILE[0]), (ids["chest"], HOSTILE[1])]
    dialog = ExportCasesScreen(world.repo, cases, TODAY, folder)

    async def steps(pilot):
        assert HOSTILE[0] in screen_text(pilot.app)
        await pilot.press("escape")
        await settle(pilot)

    host = run_alone(dialog, steps)
    assert host.results == [None]
    assert not folder.exists()


def test_it_fits_80x24(world):
    ids = seed_sample(world)
    cases = [(ids[k], k) for k in ("knee", "chest", "thyroid")]
    dialog = ExportCasesScreen(world.repo, cases, TODAY, world.tmp)

    async def steps(pilot):
        shown = screen_text(pilot.app)
        assert "Export (ctrl+s)" in shown and "Close (escape)" in shown

    run_alone(dialog, steps, size=(80, 24))
