"""o on a kept file's viewer hands the file to the system's opener (never a shell, never the
file run): the bytes are checked against their name first, a changed copy is refused, and a
computer with no opener is told so on screen.

The opener is a fake ``xdg-open`` (and ``open``) first on PATH: a script that writes down the
one argument it was given.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import stat
import time
from pathlib import Path
from typing import Any

from ui_kit import Notes, case_uuid, drive, screen_text, seed_case, settle, static_text

CASE = case_uuid(1)
PDF = b"%PDF-1.4\n% a letter from the clinic\n%%EOF\n"


def letter_bundle(folder: Path) -> Path:
    """An export whose one document carries a PDF inside it."""
    document = {"resourceType": "DocumentReference", "id": "d1", "status": "current",
                "subject": {"reference": "Patient/p"}, "description": "Clinic letter",
                "date": "2026-03-02T10:00:00Z",
                "content": [{"attachment": {"contentType": "application/pdf",
                                            "title": "Clinic letter",
                                            "data": base64.b64encode(PDF).decode()}}]}
    path = folder / "letter.json"
    path.write_text(json.dumps({"resourceType": "Bundle", "type": "collection",
                                "entry": [{"resource": document}]}))
    return path


def fake_opener(folder: Path, monkeypatch: Any) -> Path:
    """Put a fake opener first on PATH; the file it writes each argument to."""
    record = folder / "opened.txt"
    bin_dir = folder / "bin"
    bin_dir.mkdir()
    for name in ("xdg-open", "open"):
        script = bin_dir / name
        script.write_text(f'#!/bin/sh\nprintf "%s|%s\\n" "$#" "$1" >> "{record}"\n')
        script.chmod(script.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}")
    return record


def wait_for(path: Path) -> str:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if path.exists() and path.read_text().endswith("\n"):
            return path.read_text()
        time.sleep(0.05)
    return ""


async def view_the_letter(pilot: Any, bundle: Path) -> None:
    await pilot.press("enter")
    await settle(pilot)
    await pilot.press("3")
    await settle(pilot)
    await pilot.press("i")
    await settle(pilot)
    await pilot.press(*str(bundle))
    await pilot.press("ctrl+s")
    await settle(pilot)
    await pilot.press("ctrl+s")
    await settle(pilot)
    table = pilot.app.screen.query_one("#records").table
    titles = [str(table.get_row_at(n)[1]) for n in range(table.row_count)]
    table.move_cursor(row=next(n for n, t in enumerate(titles) if "Clinic letter" in t))
    await settle(pilot)
    await pilot.press("v")
    await settle(pilot)
    assert type(pilot.app.screen).__name__ == "KeptFileScreen"


def kept_file(world: Any) -> Path:
    """The letter's PDF as kept in the case: named by the SHA-256 of its bytes. Found without
    opening the case a second time while the app has it open (a second repository of the
    same device in one process would look to the app like another writer)."""
    path = world.paths.cases_dir / CASE / "files" / hashlib.sha256(PDF).hexdigest()
    assert path.is_file()
    return path


def test_o_hands_the_checked_pdf_to_the_system_opener(make_app, world, tmp_path, monkeypatch):
    seed_case(world, CASE, {"title": "Mum - knee surgery"})
    record = fake_opener(tmp_path, monkeypatch)
    bundle = letter_bundle(tmp_path)
    app = make_app()

    async def steps(pilot):
        await view_the_letter(pilot, bundle)
        assert "o opens it in this computer's viewer" in screen_text(app)
        await pilot.press("o")
        await settle(pilot)
        count, _, handed = wait_for(record).strip().partition("|")
        assert count == "1"  # one argument: the path, nothing else
        opened = Path(handed)
        assert opened.is_absolute() and opened.name == "Clinic letter.pdf"
        assert opened.read_bytes() == PDF
        assert not os.access(opened, os.X_OK)  # a document, never made runnable
        assert "Opened" in screen_text(app)

    drive(app, steps)


def test_a_changed_kept_file_is_not_handed_to_the_opener(make_app, world, tmp_path,
                                                         monkeypatch):
    seed_case(world, CASE, {"title": "Mum - knee surgery"})
    record = fake_opener(tmp_path, monkeypatch)
    bundle = letter_bundle(tmp_path)
    app = make_app()
    notes = Notes(app, monkeypatch)

    async def steps(pilot):
        await view_the_letter(pilot, bundle)
        kept_file(world).write_bytes(b"altered")
        await pilot.press("o")
        await settle(pilot)
        time.sleep(0.3)
        assert not record.exists()
        # what the viewer says (read from its status line: a screenshot may still show the
        # frame before it, on a busy machine)
        assert "has changed" in static_text(app, "#kept-status") + notes.text()

    drive(app, steps)


def test_with_no_opener_the_screen_says_so(make_app, world, tmp_path, monkeypatch):
    seed_case(world, CASE, {"title": "Mum - knee surgery"})
    bundle = letter_bundle(tmp_path)
    empty = tmp_path / "nothing"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    app = make_app()

    async def steps(pilot):
        await view_the_letter(pilot, bundle)
        await pilot.press("o")
        await settle(pilot)
        shown = " ".join(screen_text(app).split())
        assert "No program that opens files was found" in shown

    drive(app, steps)
