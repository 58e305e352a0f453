"""The attach dialog on the real app: a typed path is hashed in a worker behind a progress
bar and handed back for saving; bad paths are refused with the reason; escape stops the
hashing. The dialog saves nothing itself (the case screen saves what it returns)."""

from __future__ import annotations

import hashlib
import threading

from textual.widgets import Input, ProgressBar

from secondview.store import attachments
from secondview.ui.screens import attach_screen
from secondview.ui.screens.attach_screen import AttachScreen

from ui_kit import HOSTILE, drive, screen_text, settle

RECORD = "11111111-2222-4333-8444-555555555555"


def open_dialog(app, results: list, path: str = "", title: str = "CT images"):
    app.push_screen(AttachScreen(RECORD, title, path), results.append)


def test_a_typed_folder_is_hashed_and_handed_back(make_app, world) -> None:
    folder = world.tmp / "cd"
    (folder / "DICOM").mkdir(parents=True)
    for n in range(5):
        (folder / "DICOM" / f"I{n}").write_bytes(bytes([n]) * 300_000)
    results: list = []
    app = make_app()

    async def steps(pilot):
        open_dialog(app, results)
        await pilot.pause()
        await pilot.press(*str(folder), "enter")
        await settle(pilot)
        return app.screen

    screen = drive(app, steps)
    assert not isinstance(screen, AttachScreen)
    [(doc_id, values)] = results
    digest = attachments.hash_path(str(folder))
    assert doc_id == attachments.attachment_id(RECORD, str(folder))
    assert values["record"] == RECORD and values["path"] == str(folder)
    assert (values["kind"], values["size"], values["file_count"], values["sha256"]) == (
        "folder", 1_500_000, 5, digest.sha256)


def test_a_file_given_up_front_is_hashed_on_enter(make_app, world) -> None:
    pdf = world.tmp / "report.pdf"
    pdf.write_bytes(b"%PDF report")
    results: list = []
    app = make_app()

    async def steps(pilot):
        open_dialog(app, results, str(pdf))
        await pilot.pause()
        await pilot.press("enter")
        await settle(pilot)

    drive(app, steps)
    [(_, values)] = results
    assert values["sha256"] == hashlib.sha256(b"%PDF report").hexdigest()


def test_a_relative_or_missing_path_is_refused_with_the_reason(make_app, world) -> None:
    results: list = []
    app = make_app()

    async def steps(pilot):
        open_dialog(app, results, "scans/report.pdf")
        await pilot.pause()
        await pilot.press("enter")
        await settle(pilot)
        first = screen_text(app)
        field = app.screen.query_one(Input)
        field.value = str(world.tmp / "gone.pdf")
        await pilot.press("enter")
        await settle(pilot)
        return first, screen_text(app), isinstance(app.screen, AttachScreen), field.disabled

    first, second, still_open, disabled = drive(app, steps)
    assert "is not a full path" in first
    assert "nothing is there" in second
    assert still_open and not disabled and results == []  # typed again, nothing handed back


def test_progress_shows_and_escape_stops_the_hashing(make_app, world, monkeypatch) -> None:
    reported = threading.Event()
    stopped = threading.Event()

    def slow_hash(given, progress=None, cancelled=None):
        progress(0, 400, given)
        progress(100, 400, f"{given}/I0001")
        reported.set()
        while not cancelled():
            stopped.wait(0.01)
        stopped.set()
        raise attachments.HashCancelled()

    monkeypatch.setattr(attach_screen.attachments, "hash_path", slow_hash)
    monkeypatch.setattr(attach_screen, "PROGRESS_EVERY", 0.0)
    results: list = []
    app = make_app()

    async def steps(pilot):
        open_dialog(app, results, str(world.tmp / "cd"))
        await pilot.pause()
        await pilot.press("enter")
        while not reported.is_set():
            await pilot.pause(0.01)
        await pilot.pause(0.05)
        bar = app.screen.query_one(ProgressBar)
        seen = (bar.display, bar.progress, bar.total, screen_text(app))
        await pilot.press("escape")
        await settle(pilot)
        return seen

    display, progress, total, shown = drive(app, steps)
    assert display and (progress, total) == (100, 400)
    assert "25%" in shown and "I0001" in shown
    assert stopped.is_set()  # the worker saw the cancel and stopped reading
    assert results == [None]


def test_the_record_title_and_path_show_literally(make_app, world) -> None:
    results: list = []
    app = make_app()
    title = HOSTILE[0] + " " + HOSTILE[4]

    async def steps(pilot):
        open_dialog(app, results, "[b]not bold[/b]", title=title)
        await pilot.pause()
        await pilot.press("enter")
        await settle(pilot)
        return screen_text(app), app.is_running

    shown, running = drive(app, steps)
    assert "[@click=app.quit]x" in shown and "\u241b[31mred" in shown
    assert "'[b]not bold[/b]' is not a full path" in shown
    assert running
