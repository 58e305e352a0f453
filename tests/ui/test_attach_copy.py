"""f with "keep a copy in the case": the file is copied into the case folder the way an
import keeps what an export carries (``files/<sha256>``, 0600, never rewritten), the
attachment is of kind "kept", the packet lists its checksum, and a second device that shares
the cases folder verifies it though the original is not there. A folder is refused with the
reason, since only files are kept."""

from __future__ import annotations

import hashlib
import os
from typing import Any

from secondview import cli
from secondview.core import export
from secondview.core.replica import HybridClock
from secondview.store.repository import CaseRepository

from ui_kit import DEVICE, TODAY, case_uuid, drive, screen_text, seed_case, settle

CASE = case_uuid(1)
MRI = case_uuid(201)
SCAN = b"%PDF-1.4\n% the MRI report from the clinic\n" + bytes(range(256)) * 40


def seed(world: Any) -> None:
    seed_case(world, CASE, {"title": "Mum - knee surgery"}, [
        ("records", MRI, {"title": "MRI report", "kind": "imaging_report"}),
    ])


def on_disk(world: Any) -> Any:
    repo = CaseRepository(world.paths, DEVICE, HybridClock(), TODAY)
    try:
        return repo.open(CASE).case
    finally:
        repo.close()


async def attach(pilot: Any, path: str, keep: bool) -> None:
    """On the records pane, f on the MRI report, type the path, tick the box, enter."""
    await pilot.press("enter")
    await settle(pilot)
    await pilot.press("3")
    await settle(pilot)
    await pilot.press("f")
    await settle(pilot)
    assert type(pilot.app.screen).__name__ == "AttachScreen"
    await pilot.press(*path)
    if keep:
        await pilot.press("tab", "space")
        await settle(pilot)
    await pilot.press("shift+tab") if keep else None
    await pilot.press("enter")
    await settle(pilot)


def test_a_copy_kept_in_the_case_is_in_the_packet_and_verified_on_a_second_device(
        make_app, world, tmp_path, monkeypatch, capsys):
    seed(world)
    source = tmp_path / "Downloads" / "MRI report.pdf"
    source.parent.mkdir()
    source.write_bytes(SCAN)
    digest = hashlib.sha256(SCAN).hexdigest()
    app = make_app()

    async def steps(pilot):
        await attach(pilot, str(source), keep=True)
        assert type(app.screen).__name__ == "CaseScreen"

    drive(app, steps)
    (kept,) = on_disk(world).attachments
    assert (kept.kind, kept.path, kept.sha256, kept.size) == (
        "kept", "MRI report.pdf", digest, len(SCAN))
    copy = world.paths.cases_dir / CASE / "files" / digest
    assert copy.read_bytes() == SCAN and copy.stat().st_mode & 0o777 == 0o600
    packet = export.build("packet", on_disk(world), TODAY).render("md")
    assert digest in packet and "MRI report.pdf" in packet

    source.unlink()  # the original stays on the first device only; the copy is in the case
    monkeypatch.setenv("SECONDVIEW_DATA_DIR", str(tmp_path / "laptop-data"))
    monkeypatch.setenv("SECONDVIEW_CACHE_DIR", str(tmp_path / "laptop-cache"))
    capsys.readouterr()
    assert cli.main(["verify", CASE]) == 0
    out = capsys.readouterr().out
    assert "1 attachment checked: 1 ok" in out
    copy.write_bytes(SCAN[:-1])
    assert cli.main(["verify", CASE]) == 1
    assert "1 changed" in capsys.readouterr().out


def test_a_folder_is_not_kept_and_the_reason_is_said(make_app, world, tmp_path):
    seed(world)
    folder = tmp_path / "cd"
    folder.mkdir()
    (folder / "I0001").write_bytes(b"dicom")
    app = make_app()

    async def steps(pilot):
        await attach(pilot, str(folder), keep=True)
        assert type(app.screen).__name__ == "AttachScreen"
        shown = " ".join(screen_text(app).split())
        assert "folder" in shown and "cannot be kept" in shown

    drive(app, steps)
    assert not on_disk(world).attachments
    assert not (world.paths.cases_dir / CASE / "files").exists()


def test_without_the_box_ticked_nothing_is_copied(make_app, world, tmp_path):
    seed(world)
    source = tmp_path / "scan.pdf"
    source.write_bytes(SCAN)
    app = make_app()

    async def steps(pilot):
        await attach(pilot, str(source), keep=False)

    drive(app, steps)
    (attached,) = on_disk(world).attachments
    assert (attached.kind, attached.path) == ("file", str(source))
    assert not os.path.exists(world.paths.cases_dir / CASE / "files")
