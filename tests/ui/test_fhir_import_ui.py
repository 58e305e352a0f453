"""FHIR import from the records pane (i): the dialog reads and plans the file, shows what it
would add, and saves every record in one save on confirm; a malformed file imports nothing and
says why; re-importing adds nothing; ctrl+z takes the whole import back.

Keys are pressed in the real app on a throwaway repository; the case is then read back from
disk with a fresh CaseRepository.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from secondview.core.replica import HybridClock
from secondview.store.case_files import read_kept
from secondview.store.repository import CaseRepository
from secondview.ui.screens.fhir_import_screen import FhirImportScreen

from ui_kit import (
    DEVICE,
    HOSTILE,
    TODAY,
    Notes,
    case_uuid,
    drive,
    screen_text,
    seed_case,
    settle,
)

CASE = case_uuid(1)
MRI = case_uuid(201)
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "fhir"
PORTAL_TITLES = {
    "Discharge summary after knee arthroscopy", "Surgical pathology report",
    "Complete blood count", "CT of the right knee without contrast", "Hemoglobin A1c",
    "C-reactive protein",
}


def seed(world: Any) -> None:
    seed_case(world, CASE, {"title": "Mum - knee surgery"}, [
        ("records", MRI, {"title": "MRI report", "kind": "imaging_report"}),
    ])


def on_disk(world: Any) -> Any:
    repo = CaseRepository(world.paths, DEVICE, HybridClock(), TODAY)
    try:
        return repo.open(CASE)
    finally:
        repo.close()


def titles_on_disk(world: Any) -> set[str]:
    return {str(r.title) for r in on_disk(world).case.records}


def status(app: Any) -> str:
    return str(app.screen.query_one("#fhir-status").content)


async def open_records(pilot: Any) -> None:
    await pilot.press("enter")
    await settle(pilot)
    await pilot.press("3")
    await settle(pilot)
    assert type(pilot.app.screen).__name__ == "CaseScreen"


async def check_file(pilot: Any, path: Path | str) -> None:
    """i, type the path, ctrl+s: the dialog shows what the file would add."""
    await pilot.press("i")
    await settle(pilot)
    assert isinstance(pilot.app.screen, FhirImportScreen)
    await pilot.press(*str(path))
    await pilot.press("ctrl+s")
    await settle(pilot)


def test_i_imports_a_portal_bundle_in_one_save_and_reimport_adds_nothing(make_app, world):
    seed(world)
    app = make_app()

    async def steps(pilot):
        await open_records(pilot)
        await check_file(pilot, FIXTURES / "portal_bundle.json")
        shown = status(app)
        assert "To add: 6 records by kind: " in shown
        assert "made from 2 documents, 1 report, 1 imaging study, 2 lab records" in shown
        assert "observations): 1 Organization, 1 Patient, 1 Practitioner." in shown
        assert "Health summary (1 Condition): added to the case's summary (the overview " \
            "shows it)." in " ".join(shown.split())
        assert "Problems: none." in shown
        assert "Not results (1 vital signs): counted, not imported; the box above keeps " \
            "them." in " ".join(shown.split())
        assert titles_on_disk(world) == {"MRI report"}  # nothing saved before confirming

        await pilot.press("ctrl+s")  # confirm
        await settle(pilot)
        assert type(app.screen).__name__ == "CaseScreen"
        opened = on_disk(world)
        assert {str(r.title) for r in opened.case.records} == {"MRI report", *PORTAL_TITLES}
        log = [str(e.summary) for e in opened.case.log]
        assert sum("Imported 6 records from portal_bundle.json (FHIR)" in e for e in log) == 1
        (kept,) = [a for a in opened.case.attachments if a.kind == "kept"]
        folder = world.paths.cases_dir / CASE
        assert read_kept(folder, kept.sha256).startswith(b"Specimen: synovium")
        table = app.screen.query_one("#records").table
        assert table.row_count == 7

        # The same file again: nothing new.
        await check_file(pilot, FIXTURES / "portal_bundle.json")
        assert "To add: no records" in status(app)
        assert "Skipped: 6 resources already in the case" in status(app)  # not records
        await pilot.press("ctrl+s")  # nothing to confirm: the dialog stays
        await settle(pilot)
        assert isinstance(app.screen, FhirImportScreen)

        # Asked for: the vital signs come in as a record of their own.
        await pilot.press("tab", "space", "ctrl+s")
        await settle(pilot)
        assert "To add: 1 record by kind: 1 other." in status(app)
        assert "made from 1 lab record grouping 1 observation." in status(app)
        assert "Not results (1 vital signs): kept as records of their own." in status(app)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert type(app.screen).__name__ == "CaseScreen"
        assert "Other observations: vital signs" in titles_on_disk(world)
        assert len(on_disk(world).case.records) == 8

    drive(app, steps)


def test_ctrl_z_takes_back_the_whole_import(make_app, world):
    seed(world)
    app = make_app()

    async def steps(pilot):
        await open_records(pilot)
        await check_file(pilot, FIXTURES / "portal_bundle.json")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert len(on_disk(world).case.records) == 7
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert titles_on_disk(world) == {"MRI report"}
        assert app.screen.query_one("#records").table.row_count == 1

    drive(app, steps)


def test_a_malformed_file_imports_nothing_and_says_why(make_app, world):
    seed(world)
    app = make_app()

    async def steps(pilot):
        await open_records(pilot)
        await check_file(pilot, FIXTURES / "malformed.json")
        shown = status(app)
        assert "Nothing will be imported: 4 problems in the file." in shown
        assert "content should be a list, found an object" in shown
        assert "DiagnosticReport/rep-nocode" in shown
        await pilot.press("ctrl+s")  # nothing to import: stays open, saves nothing
        await settle(pilot)
        assert isinstance(app.screen, FhirImportScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert titles_on_disk(world) == {"MRI report"}

    drive(app, steps)


def test_missing_relative_and_folder_paths_are_refused_with_the_reason(make_app, world):
    seed(world)
    app = make_app()

    async def steps(pilot):
        await open_records(pilot)
        await check_file(pilot, world.tmp / "nope.json")
        assert "no such file" in status(app)
        inp = app.screen.query_one("#fhir-path")
        inp.value = "exports/bundle.json"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "is not a full path" in status(app)
        inp.value = str(FIXTURES)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "a folder; name the exported file" in status(app)
        await pilot.press("escape")
        await settle(pilot)
        assert titles_on_disk(world) == {"MRI report"}

    drive(app, steps)


def test_hostile_text_in_an_export_is_shown_and_saved_literally(make_app, world):
    seed(world)
    bundle = {"resourceType": "Bundle", "type": "collection", "entry": [
        {"resource": {"resourceType": "DocumentReference", "id": f"d{n}", "status": "current",
                      "description": hostile, "content": [{"attachment": {"url": "x"}}]}}
        for n, hostile in enumerate(HOSTILE[:3])
    ] + [{"resource": {"resourceType": "[b]Weird[/b]", "id": "w"}}]}
    path = world.tmp / "hostile.json"
    path.write_text(json.dumps(bundle))
    app = make_app()

    async def steps(pilot):
        await open_records(pilot)
        await check_file(pilot, path)
        assert "1 [b]Weird[/b]" in status(app)  # a type name from the file, not markup
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert len(on_disk(world).case.records) == 4

    drive(app, steps)


def test_the_palette_offers_the_import_and_the_attach(make_app, world):
    seed(world)
    app = make_app()

    async def steps(pilot):
        await open_records(pilot)
        await pilot.press("1")  # another pane: the command shows Records
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"import records from a FHIR")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, FhirImportScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen.pane == "records"
        assert app.screen.current_pane().display
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"attach a file to the highlighted")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "AttachScreen"
        assert "MRI report" in str(app.screen.query_one("#attach-title").content)

    drive(app, steps)


def test_v_reads_a_note_the_import_kept_and_a_changed_copy_is_refused(make_app, world,
                                                                       monkeypatch):
    seed(world)
    app = make_app()
    notes = Notes(app, monkeypatch)

    async def steps(pilot):
        await open_records(pilot)
        await check_file(pilot, FIXTURES / "portal_bundle.json")
        await pilot.press("ctrl+s")
        await settle(pilot)
        table = app.screen.query_one("#records").table
        titles = [str(table.get_row_at(n)[1]) for n in range(table.row_count)]
        table.move_cursor(row=next(n for n, t in enumerate(titles) if "pathology" in t))
        await settle(pilot)
        await pilot.press("v")
        await settle(pilot)
        assert type(app.screen).__name__ == "KeptFileScreen"
        shown = screen_text(app)
        assert "Specimen: synovium, right knee. Diagnosis: benign." in shown
        assert "Pathology report.txt" in shown
        await pilot.press("escape")
        await settle(pilot)
        (kept,) = [a for a in on_disk(world).case.attachments if a.kind == "kept"]
        (world.paths.cases_dir / CASE / "files" / kept.sha256).write_bytes(b"altered")
        await pilot.press("v")
        await settle(pilot)
        assert type(app.screen).__name__ == "CaseScreen"  # not shown: it is not what was kept
        assert "has changed" in notes.text()

    drive(app, steps)


def test_the_preview_lists_records_by_kind_as_dry_run_does(make_app, world, monkeypatch,
                                                           capsys):
    """The dialog's preview and ``import-fhir --dry-run`` say one outcome in one wording:
    the records to add by kind, then what is merged, skipped and why."""
    from secondview import cli

    seed(world)
    capsys.readouterr()
    assert cli.main(["import-fhir", str(FIXTURES / "portal_bundle.json"), "--case", CASE,
                     "--dry-run"]) == 0
    dry_run = [line.strip() for line in capsys.readouterr().out.splitlines()[1:]]
    by_kind = ("To add: 6 records by kind: 3 lab results, 1 pathology report, "
               "1 imaging files, 1 discharge summary.")
    assert by_kind in dry_run
    assert any(line.startswith("Merged into the records: ") for line in dry_run)
    assert any(line.startswith("Skipped: ") for line in dry_run)
    app = make_app()

    async def steps(pilot):
        await open_records(pilot)
        await check_file(pilot, FIXTURES / "portal_bundle.json")
        shown = [line.strip() for line in status(app).splitlines()]
        same = [line for line in dry_run if "--other-observations" not in line]
        assert [line for line in shown if line in same] == same

    drive(app, steps)
