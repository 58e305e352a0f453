"""The export dialog (ui/screens/export_screen.py), driven with keys on the real app over an
open case: the suggested file, the document and format chosen with the arrow keys, the file
on disk (0600, the document asked for), a file that is there kept unless 'Replace' is ticked,
all the documents into a folder, and escape writing nothing.

The workspace's key and palette entry are wired by the case screen; here the dialog is
pushed over the open workspace the way that key does."""

from __future__ import annotations

import stat
from pathlib import Path

from textual.widgets import Checkbox, Input, RadioSet, Select

from secondview.ui.screens.export_screen import ExportScreen

from ui_kit import HOSTILE, TODAY, Notes, case_uuid, drive, screen_text, seed_case, settle

CASE = case_uuid(9)
ITEMS = [
    ("opinions", case_uuid(101), {"doctor": "Dr Okafor", "order": 1,
                                  "diagnosis": "Severe wear of the knee joint",
                                  "treatment": "Total knee replacement"}),
    ("records", case_uuid(201), {"title": "MRI report", "kind": "imaging_report",
                                 "date": "2026-08-01", "source": "Northside Imaging"}),
    ("transfers", case_uuid(301), {"record": case_uuid(201), "recipient": "Dr Lind",
                                   "state": "sent", "from_provider": True,
                                   "requested_on": "2026-08-10", "sent_on": "2026-08-20"}),
    ("questions", case_uuid(401), {"text": "What happens if we wait?", "order": 1.0}),
]


async def open_export(pilot, folder: Path, results: list) -> ExportScreen:
    await pilot.press("enter")  # the only case in the list
    await settle(pilot)
    workspace = pilot.app.screen
    dialog = ExportScreen(workspace.case, TODAY, folder)
    pilot.app.push_screen(dialog, results.append)
    await settle(pilot)
    assert pilot.app.screen is dialog
    return dialog


def test_export_the_brief_as_suggested(world, make_app, monkeypatch):
    seed_case(world, CASE, {"title": "Mum - knee surgery", "condition": "osteoarthritis"},
              ITEMS)
    folder = world.tmp / "exports"
    folder.mkdir()
    app = make_app()
    notes = Notes(app, monkeypatch)
    results: list = []

    async def steps(pilot):
        dialog = await open_export(pilot, folder, results)
        path = dialog.query_one("#path", Input).value
        assert path == str(folder / "mum-knee-surgery-brief.html")
        assert "Mum - knee surgery" in screen_text(pilot.app)
        await pilot.press("ctrl+s")
        await settle(pilot)

    drive(app, steps)
    target = folder / "mum-knee-surgery-brief.html"
    assert results == [[target]]
    page = target.read_text()
    assert "<h1>Brief for a new doctor: Mum - knee surgery</h1>" in page
    assert "MRI report" in page and "What happens if we wait?" in page
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert f"Exported to {target}" in notes.text()


def test_choose_the_packet_as_markdown_for_a_doctor_with_the_keys(world, make_app):
    seed_case(world, CASE, {"title": "Mum - knee surgery"}, ITEMS)
    folder = world.tmp / "exports"
    folder.mkdir()
    results: list = []

    async def steps(pilot):
        dialog = await open_export(pilot, folder, results)
        await pilot.press("down", "down", "enter")  # what: the packet
        await pilot.press("tab", "down", "enter")  # format: Markdown
        await pilot.pause()
        assert dialog.query_one("#what", RadioSet).pressed_button.id == "what-packet"
        assert dialog.query_one("#format", RadioSet).pressed_button.id == "format-md"
        # for any doctor, the packet goes to the office most records went to
        assert dialog.query_one("#path", Input).value == \
            str(folder / "mum-knee-surgery-packet-dr-lind.md")
        await pilot.press("tab", "enter", "down", "enter")  # doctor: Dr Okafor
        await pilot.pause()
        assert dialog.query_one("#doctor", Select).value == case_uuid(101)
        # the packet for Dr Okafor's office has a name of its own: another office's stays
        assert dialog.query_one("#path", Input).value == \
            str(folder / "mum-knee-surgery-packet-dr-okafor.md")
        await pilot.press("ctrl+s")
        await settle(pilot)

    drive(make_app(), steps)
    target = folder / "mum-knee-surgery-packet-dr-okafor.md"
    assert results == [[target]]
    text = target.read_text()
    assert text.startswith("# Records packet: Mum - knee surgery\n")
    assert "| 1 | MRI report | Imaging report | 2026-08-01 | Northside Imaging | none |" in text
    # the packet goes to Dr Okafor's office, which has no transfer yet
    assert "For Dr Okafor ·" in text and "not requested" in text


def test_a_file_that_is_there_is_replaced_only_when_asked(world, make_app):
    seed_case(world, CASE, {"title": "Mum - knee surgery"}, ITEMS)
    folder = world.tmp / "exports"
    folder.mkdir()
    target = folder / "mum-knee-surgery-brief.html"
    target.write_text("my own notes")
    results: list = []

    async def steps(pilot):
        dialog = await open_export(pilot, folder, results)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert pilot.app.screen is dialog
        shown = screen_text(pilot.app)
        assert "mum-knee-surgery-brief.html is already there: tick 'Replace'" in shown
        assert target.read_text() == "my own notes"
        dialog.query_one("#replace", Checkbox).focus()
        await pilot.press("space", "ctrl+s")
        await settle(pilot)

    drive(make_app(), steps)
    assert results == [[target]]
    assert target.read_text().startswith("<!DOCTYPE html>")
    assert sorted(p.name for p in folder.iterdir()) == ["mum-knee-surgery-brief.html"]


def test_all_documents_go_into_a_new_folder(world, make_app, monkeypatch):
    seed_case(world, CASE, {"title": "Mum - knee surgery"}, ITEMS)
    app = make_app()
    notes = Notes(app, monkeypatch)
    results: list = []

    async def steps(pilot):
        dialog = await open_export(pilot, world.tmp, results)
        await pilot.press("up", "enter")  # what: all (up from the first wraps to the last)
        await pilot.pause()
        assert dialog.query_one("#what", RadioSet).pressed_button.id == "what-all"
        assert dialog.query_one("#path", Input).value == \
            str(world.tmp / "mum-knee-surgery-documents")
        await pilot.press("ctrl+s")
        await settle(pilot)

    drive(app, steps)
    folder = world.tmp / "mum-knee-surgery-documents"
    names = sorted(p.name for p in folder.iterdir())
    assert names == ["mum-knee-surgery-brief.html", "mum-knee-surgery-decision.html",
                     "mum-knee-surgery-packet-dr-lind.html", "mum-knee-surgery-questions.html"]
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert results == [[folder / n for n in ("mum-knee-surgery-brief.html",
                                             "mum-knee-surgery-questions.html",
                                             "mum-knee-surgery-packet-dr-lind.html",
                                             "mum-knee-surgery-decision.html")]]
    assert f"Exported to 4 files in {folder}" in notes.text()
    assert "No comparison: 'Mum - knee surgery' has 1 opinion; a comparison needs two." \
        in notes.text()


def test_a_typed_path_is_kept_and_escape_writes_nothing(world, make_app):
    title = " ".join(HOSTILE[:3])
    seed_case(world, CASE, {"title": title}, ITEMS)
    folder = world.tmp / "exports"
    folder.mkdir()
    results: list = []

    async def steps(pilot):
        dialog = await open_export(pilot, folder, results)
        assert dialog.query_one("#path", Input).value == \
            str(folder / "click-app-quit-x-link-https-e-x-y-link-brief.html")
        assert "[@click=app.quit]x" in screen_text(pilot.app)  # the title shown literally
        box = dialog.query_one("#path", Input)
        box.value = ""
        box.focus()
        await pilot.press(*str(folder / "mine.html"))
        await pilot.press("shift+tab", "shift+tab", "shift+tab", "down", "enter")  # Markdown
        await pilot.pause()
        assert dialog.query_one("#path", Input).value == str(folder / "mine.html")
        await pilot.press("escape")
        await settle(pilot)

    app = make_app()
    drive(app, steps)
    assert results == [None]
    assert list(folder.iterdir()) == []


def test_x_in_the_workspace_opens_the_dialog_at_the_configured_folder(world, make_app):
    seed_case(world, CASE, {"title": "Mum - knee surgery"}, ITEMS)
    folder = world.tmp / "exports"
    folder.mkdir()
    app = make_app(config={"export_dir": str(folder)})

    async def steps(pilot):
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("4")  # from any pane
        await pilot.pause()
        await pilot.press("x")
        await settle(pilot)
        assert type(pilot.app.screen).__name__ == "ExportScreen"
        assert pilot.app.screen.query_one("#path", Input).value.startswith(str(folder))
        await pilot.press("escape")
        await settle(pilot)
        assert type(pilot.app.screen).__name__ == "CaseScreen"
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"export a document")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        assert type(pilot.app.screen).__name__ == "ExportScreen"

    drive(app, steps)
    assert list(folder.iterdir()) == []  # escape wrote nothing


# -- the comparison's two opinions (issue 14) ---------------------------------------------------

OKAFOR, LIND, CHEN = case_uuid(101), case_uuid(102), case_uuid(103)
THREE = [
    ITEMS[0],
    ("opinions", LIND, {"doctor": "Dr Lind", "order": 2, "diagnosis": "Worn knee joint",
                        "treatment": "Physiotherapy for three months"}),
    ("opinions", CHEN, {"doctor": "Dr Chen", "order": 3}),  # just started with o: empty
]


async def choose_in(pilot, select_id, value):
    """Pick ``value`` in the dialog's Select ``select_id`` with the keys."""
    select = pilot.app.screen.query_one(f"#{select_id}", Select)
    select.focus()
    await pilot.pause()
    values = [v for _, v in select._options if v is not Select.NULL]  # noqa: SLF001
    steps = values.index(value) - values.index(select.value)
    await pilot.press("enter", *(["down"] * steps if steps > 0 else ["up"] * -steps), "enter")
    await pilot.pause()
    assert select.value == value


def test_the_comparison_compares_the_two_opinions_chosen(world, make_app):
    # issue 14: the export always took the first and the latest (an empty one just started)
    seed_case(world, CASE, {"title": "Mum - knee surgery"}, THREE)
    folder = world.tmp / "exports"
    folder.mkdir()
    results: list = []

    async def steps(pilot):
        dialog = await open_export(pilot, folder, results)
        assert not dialog.query_one("#opinions").display  # only for a comparison
        await pilot.press("down", "down", "down", "enter")  # what: the comparison
        await pilot.pause()
        assert dialog.query_one("#opinions").display
        assert dialog.query_one("#opinion-a", Select).value == OKAFOR
        assert dialog.query_one("#opinion-b", Select).value == LIND  # not the empty one
        await pilot.press("ctrl+s")
        await settle(pilot)

    drive(make_app(), steps)
    target = folder / "mum-knee-surgery-comparison.html"
    page = target.read_text()
    assert "B:</strong> Dr Lind" in page and "Not enough to compare" not in page

    results.clear()

    async def again(pilot):
        dialog = await open_export(pilot, folder, results)
        await pilot.press("down", "down", "down", "enter")
        await choose_in(pilot, "opinion-a", LIND)
        await choose_in(pilot, "opinion-b", CHEN)
        dialog.query_one("#replace", Checkbox).value = True
        await pilot.press("ctrl+s")
        await settle(pilot)

    drive(make_app(), again)
    page = target.read_text()
    assert "A:</strong> Dr Lind" in page and "B:</strong> Dr Chen" in page


def test_the_dialog_starts_from_the_pair_the_compare_pane_shows(world, make_app):
    seed_case(world, CASE, {"title": "Mum - knee surgery"}, [
        *THREE[:2], ("opinions", CHEN, {"doctor": "Dr Chen", "order": 3,
                                        "treatment": "Injections"})])

    async def steps(pilot):
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("6", "right_square_bracket")  # B: Dr Chen -> Dr Lind
        await settle(pilot)
        pane = pilot.app.screen.query_one("#compare")
        assert (pane.a_id, pane.b_id) == (OKAFOR, LIND)
        await pilot.press("x")
        await settle(pilot)
        dialog = pilot.app.screen
        assert isinstance(dialog, ExportScreen)
        assert dialog.query_one("#opinion-a", Select).value == OKAFOR
        assert dialog.query_one("#opinion-b", Select).value == LIND

    drive(make_app(), steps)


def test_two_same_opinions_are_refused_with_the_reason(world, make_app):
    seed_case(world, CASE, {"title": "Mum - knee surgery"}, THREE)
    folder = world.tmp / "exports"
    folder.mkdir()
    results: list = []

    async def steps(pilot):
        dialog = await open_export(pilot, folder, results)
        await pilot.press("down", "down", "down", "enter")
        await choose_in(pilot, "opinion-b", OKAFOR)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert pilot.app.screen is dialog
        assert "Choose two different opinions" in screen_text(pilot.app)

    drive(make_app(), steps)
    assert list(folder.iterdir()) == []


def test_the_buttons_are_on_screen_at_80_by_24(world, make_app):
    # issue 14: at 80x24 the export dialog's buttons were below the bottom of the screen
    seed_case(world, CASE, {"title": "Mum - knee surgery"}, THREE)
    results: list = []

    async def steps(pilot):
        dialog = await open_export(pilot, world.tmp, results)
        for what in ("what-brief", "what-comparison", "what-all"):
            dialog.query_one(f"#{what}").value = True
            await settle(pilot)
            for button in ("#do-export", "#close"):
                region = dialog.query_one(button).region
                assert region.height and pilot.app.screen.region.contains_region(region), what
            shown = screen_text(pilot.app)
            assert "Export (ctrl+s)" in shown and "Close (escape)" in shown

    drive(make_app(), steps, size=(80, 24))
