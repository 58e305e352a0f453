"""The records pane (key 3): records, their transfers to each doctor, the overdue requests.

Every flow presses keys in the real app on a throwaway repository, then reads the case back
from disk with a fresh CaseRepository (what another start of the app would see) and checks
what the screen shows.
"""

from __future__ import annotations

from typing import Any

import pytest

from secondview.core import progress
from secondview.core.replica import HybridClock
from secondview.store.content_files import load_content
from secondview.store.repository import CaseRepository

from ui_kit import (
    DEVICE,
    TODAY,
    Notes,
    World,
    case_uuid,
    drive,
    screen_text,
    section,
    seed_case,
    settle,
)

CASE = case_uuid(1)
MRI, BLOODS, XRAY = case_uuid(201), case_uuid(202), case_uuid(203)
LIND, PARK, NG, BLOODS_PARK = case_uuid(301), case_uuid(302), case_uuid(303), case_uuid(304)


@pytest.fixture(scope="module")
def content() -> Any:
    return load_content()


def seed_records(world: World, **extra: Any) -> None:
    """A case with three records; the MRI report goes to three doctors (one confirmed, one
    request 44 days old, one sent), the blood tests to one (confirmed)."""
    seed_case(world, CASE, {"title": "Mum - knee surgery", "condition": "osteoarthritis"}, [
        ("records", MRI, {"title": "MRI report", "kind": "imaging_report",
                          "date": "2026-06-02", "source": "City Imaging",
                          "files": "/home/sam/scans/mri.pdf", "notes": "Left knee"}),
        ("records", BLOODS, {"title": "Blood tests", "kind": "labs", "date": "2026-07-20",
                             "source": "Acme Lab"}),
        ("records", XRAY, {"title": "Knee X-ray images", "kind": "imaging_images"}),
        ("transfers", LIND, {"record": MRI, "recipient": "Dr Lind", "state": "confirmed",
                             "requested_on": "2026-07-01", "sent_on": "2026-07-03",
                             "received_on": "2026-07-08", "confirmed_on": "2026-07-09",
                             "authorisation_signed": True, "from_provider": True}),
        ("transfers", PARK, {"record": MRI, "recipient": "Dr Park", "state": "requested",
                             "requested_on": "2026-08-01", "from_provider": True}),
        ("transfers", NG, {"record": MRI, "recipient": "Prof Ng", "state": "sent",
                           "requested_on": "2026-09-01", "sent_on": "2026-09-05",
                           "from_provider": True, "authorisation_signed": True}),
        ("transfers", BLOODS_PARK, {"record": BLOODS, "recipient": "Dr Park",
                                    "state": "confirmed", "confirmed_on": "2026-08-02",
                                    "authorisation_signed": True, "from_provider": True}),
        *extra.get("items", ()),
    ])


def on_disk(world: World) -> Any:
    """The case as a fresh repository reads it from the files."""
    repo = CaseRepository(world.paths, DEVICE, HybridClock(), TODAY)
    try:
        return repo.open(CASE).case
    finally:
        repo.close()


def pane(app: Any) -> Any:
    return app.screen.query_one("#records")


def rows(table: Any) -> list[list[str]]:
    return [[c.plain.rstrip() for c in table.get_row_at(i)] for i in range(table.row_count)]


def record_rows(app: Any) -> list[list[str]]:
    return rows(pane(app).table)


def transfer_rows(app: Any) -> list[list[str]]:
    return rows(pane(app).transfers_table)


def titles(app: Any) -> list[str]:
    return [r[1] for r in record_rows(app)]


async def open_records(pilot: Any) -> None:
    await pilot.press("enter")  # the only case in the list
    await settle(pilot)
    await pilot.press("3")
    await settle(pilot)
    assert type(pilot.app.screen).__name__ == "CaseScreen"


async def go_to(pilot: Any, title: str) -> None:
    """Put the records cursor on the record called ``title``."""
    table = pane(pilot.app).table
    table.focus()
    shown = [t.removesuffix(" \u25a4") for t in titles(pilot.app)]  # the attached mark
    table.move_cursor(row=shown.index(title.removesuffix(" \u25a4")))
    await settle(pilot)


async def press(pilot: Any, *keys: str) -> None:
    for key in keys:
        await pilot.press(key)
        await settle(pilot)


def summary_text(app: Any) -> str:
    return str(pane(app).query_one(".pane-summary").content)


def detail_text(app: Any) -> str:
    return str(pane(app).query_one(".pane-detail").content)


# -- records --------------------------------------------------------------------------------


def test_a_adds_a_record_with_kind_title_date_holder_and_file(make_app, world, content):
    seed_case(world, CASE, {"title": "Mum - knee surgery"})
    app = make_app(content=content)

    async def steps(pilot):
        await open_records(pilot)
        assert "No records yet" in screen_text(app)
        await press(pilot, "a")
        assert type(app.screen).__name__ == "ItemFormScreen"
        await pilot.press(*"MRI report", "tab")
        # the kind: open the list, go to the top, down to the fourth (imaging report)
        await press(pilot, "enter", "home", "down", "down", "down", "enter")
        await pilot.press("tab", *"2026-06-02", "tab", *"City Imaging", "tab",
                          *"/home/sam/scans/mri [1].pdf")
        await press(pilot, "ctrl+s")
        assert type(app.screen).__name__ == "CaseScreen"

        (record,) = on_disk(world).records
        assert (record.title, record.kind, record.date, record.source, record.files) == (
            "MRI report", "imaging_report", "2026-06-02", "City Imaging",
            "/home/sam/scans/mri [1].pdf")
        assert record_rows(app) == [["Imaging report", "MRI report", "2026-06-02",
                                     "City Imaging", "none yet", "", ""]]
        detail = detail_text(app)
        assert "File  /home/sam/scans/mri [1].pdf  (a path only: never opened)" in detail
        assert "Not on its way to any doctor yet" in screen_text(app)
        assert "1 record, 0 fully confirmed" in summary_text(app)

    drive(app, steps)


def test_a_record_without_a_title_is_refused_in_the_form(make_app, world):
    seed_case(world, CASE, {"title": "Mum - knee surgery"})
    app = make_app()

    async def steps(pilot):
        await open_records(pilot)
        await press(pilot, "a", "ctrl+s")
        assert type(app.screen).__name__ == "ItemFormScreen"
        assert "Title: cannot be empty" in screen_text(app)
        await press(pilot, "escape")
        assert on_disk(world).records == ()

    drive(app, steps)


def test_the_detail_shows_the_hint_for_the_highlighted_kind(make_app, world, content):
    seed_records(world)
    app = make_app(content=content)

    async def steps(pilot):
        await open_records(pilot)
        await go_to(pilot, "Blood tests")
        labs = content.record_kind("labs")
        detail = detail_text(app)
        assert detail.startswith("Lab results  held by Acme Lab  dated 2026-07-20")
        assert f"Ask for  {labs.what_to_request}" in detail
        assert f"Usually held by  {labs.usually_held_by}" in detail
        assert "reminder after 30 days" in detail
        await go_to(pilot, "MRI report")
        detail = detail_text(app)
        assert content.record_kind("imaging_report").what_to_request in detail
        assert labs.what_to_request not in detail
        assert "Left knee" in detail

    drive(app, steps)


def test_without_a_content_set_kinds_show_in_plain_words(make_app, world):
    seed_records(world)
    app = make_app(content=None)

    async def steps(pilot):
        await open_records(pilot)
        # the labels are the app's own (core.choices), with or without a content set
        assert [r[0] for r in record_rows(app)] == ["Lab results", "Imaging report",
                                                    "Imaging files"]
        await go_to(pilot, "MRI report")
        assert "Ask for" not in detail_text(app)

    drive(app, steps)


def test_the_records_table_counts_confirmed_transfers_and_marks_the_overdue(
        make_app, world, content):
    seed_records(world)
    app = make_app(content=content)

    async def steps(pilot):
        await open_records(pilot)
        assert record_rows(app) == [
            ["Lab results", "Blood tests", "2026-07-20", "Acme Lab", "1/1 confirmed", "", ""],
            ["Imaging report", "MRI report", "2026-06-02", "City Imaging", "1/3 confirmed",
             "! 44 days", ""],
            ["Imaging files", "Knee X-ray images", "", "", "none yet", "", ""],
        ]
        summary = summary_text(app)
        assert summary.startswith("3 records, 1 fully confirmed")
        assert "\u25d4 1 requested \u25d1 1 sent \u2714 2 confirmed" in summary
        assert "! 1 overdue" in summary
        assert "\u2610 1 release to sign" in summary

    drive(app, steps)


# -- transfers ------------------------------------------------------------------------------


def test_t_adds_a_transfer_of_the_highlighted_record(make_app, world, content):
    seed_records(world)
    app = make_app(content=content)

    async def steps(pilot):
        await open_records(pilot)
        await go_to(pilot, "Knee X-ray images")
        await press(pilot, "t")
        assert type(app.screen).__name__ == "ItemFormScreen"
        assert "Send 'Knee X-ray images' to a doctor" in screen_text(app)
        # the record is not a field of the form: the form is for this record
        assert not app.screen.query("#f-record")
        await pilot.press(*"Dr Okafor")
        await press(pilot, "ctrl+s")
        assert type(app.screen).__name__ == "CaseScreen"

        (added,) = [t for t in on_disk(world).transfers if t.recipient == "Dr Okafor"]
        assert added.record == XRAY  # carried from the preset although not shown
        assert (added.state, added.requested_on, added.from_provider) == (
            "requested", TODAY.isoformat(), True)
        assert added.sent_on == "" and added.authorisation_signed is False
        assert transfer_rows(app) == [["Dr Okafor", "\u25d4 Requested", TODAY.isoformat(),
                                       "", "", "", "\u2610 No", "Yes", "day 0 of 30", ""]]
        assert record_rows(app)[2][4] == "0/1 confirmed"

    drive(app, steps)


def test_t_without_a_record_says_to_add_one_first(make_app, world, monkeypatch):
    seed_case(world, CASE, {"title": "Mum - knee surgery"})
    app = make_app()
    notes = Notes(app, monkeypatch)

    async def steps(pilot):
        await open_records(pilot)
        await press(pilot, "t")
        assert type(app.screen).__name__ == "CaseScreen"
        assert "Add a record first" in notes.text()

    drive(app, steps)


def test_s_moves_a_transfer_through_every_state_dating_each_step(make_app, world, monkeypatch):
    seed_records(world)
    app = make_app()
    notes = Notes(app, monkeypatch)
    today = TODAY.isoformat()

    async def steps(pilot):
        await open_records(pilot)
        await go_to(pilot, "MRI report")
        await press(pilot, "tab")
        assert app.focused is pane(app).transfers_table
        await press(pilot, "down")  # Dr Park, requested on 2026-08-01
        assert transfer_rows(app)[1][:2] == ["Dr Park", "\u25d4 Requested"]

        await press(pilot, "s")
        park = on_disk(world).find(PARK)
        assert (park.state, park.requested_on, park.sent_on) == ("sent", "2026-08-01", today)
        assert transfer_rows(app)[1][:4] == ["Dr Park", "\u25d1 Sent", "2026-08-01", today]
        assert app.focused is pane(app).transfers_table  # the cursor stays on Dr Park

        await press(pilot, "s")
        park = on_disk(world).find(PARK)
        assert (park.state, park.received_on) == ("received", today)
        assert transfer_rows(app)[1][1] == "\u25d5 Received"

        await press(pilot, "s")
        park = on_disk(world).find(PARK)
        assert (park.state, park.confirmed_on) == ("confirmed", today)
        assert transfer_rows(app)[1][:6] == ["Dr Park", "\u2714 Confirmed", "2026-08-01",
                                             today, today, today]
        assert record_rows(app)[1][4] == "2/3 confirmed"

        await press(pilot, "s")
        assert "Already confirmed: MRI report to Dr Park." in notes.text()
        assert on_disk(world).find(PARK).state == "confirmed"

        await press(pilot, "ctrl+z")  # undoes the last step only
        park = on_disk(world).find(PARK)
        assert (park.state, park.received_on, park.confirmed_on) == ("received", today, "")
        assert transfer_rows(app)[1][1] == "\u25d5 Received"

    drive(app, steps)


def test_s_keeps_a_date_already_written_for_the_next_state(make_app, world):
    seed_records(world, items=[
        ("transfers", case_uuid(305), {"record": XRAY, "recipient": "Dr Ames",
                                       "state": "requested", "requested_on": "2026-09-01",
                                       "sent_on": "2026-09-03"}),
    ])
    app = make_app()

    async def steps(pilot):
        await open_records(pilot)
        await go_to(pilot, "Knee X-ray images")
        await press(pilot, "tab", "s")
        ames = on_disk(world).find(case_uuid(305))
        assert (ames.state, ames.sent_on) == ("sent", "2026-09-03")

    drive(app, steps)


def test_an_overdue_request_stands_out_in_the_pane_and_the_next_steps(make_app, world):
    seed_records(world, items=[
        # 31 days: overdue; 30 days: still inside the window; 60 days but not from a
        # provider (no clock at all): not overdue
        ("transfers", case_uuid(306), {"record": XRAY, "recipient": "Dr Ames",
                                       "state": "requested", "requested_on": "2026-08-14",
                                       "from_provider": True}),
        ("transfers", case_uuid(307), {"record": XRAY, "recipient": "Dr Bell",
                                       "state": "requested", "requested_on": "2026-08-15",
                                       "from_provider": True}),
        ("transfers", case_uuid(308), {"record": XRAY, "recipient": "Dr Cole",
                                       "state": "requested", "requested_on": "2026-07-16",
                                       "from_provider": False}),
    ])
    app = make_app()

    async def steps(pilot):
        await open_records(pilot)
        # the pane marks exactly what core.progress finds overdue
        late = {o.transfer.id: o.days_waiting
                for o in progress.overdue_transfers(on_disk(world), TODAY)}
        assert late == {PARK: 44, case_uuid(306): 31}
        assert "! 2 overdue" in summary_text(app)
        assert [r[5] for r in record_rows(app)] == ["", "! 44 days", "! 31 days"]

        await go_to(pilot, "Knee X-ray images")
        assert [(r[0], r[1], r[-2]) for r in transfer_rows(app)] == [
            ("Dr Ames", "\u25d4 Requested", "! 31 days"),
            ("Dr Bell", "\u25d4 Requested", "day 30 of 30"),
            ("Dr Cole", "\u25d4 Requested", ""),
        ]
        shown = screen_text(app)
        assert "! 31 days" in shown and "day 30 of 30" in shown

        await press(pilot, "1")
        steps_text = section(app, "steps")
        # written before the kind of request was recorded: reminded, with no legal claim
        assert ("Chase 'MRI report' for Dr Park: requested 44 days ago, no legal deadline; "
                "the app reminds you after 30 days") in steps_text
        assert "Chase 'Knee X-ray images' for Dr Ames: requested 31 days ago" in steps_text
        assert "Dr Bell" not in steps_text and "Dr Cole" not in steps_text

        # once the overdue request is answered (sent), it no longer stands out
        await press(pilot, "3")
        await go_to(pilot, "MRI report")
        await press(pilot, "tab", "down", "s")
        assert on_disk(world).find(PARK).state == "sent"
        assert record_rows(app)[1][5] == ""
        assert "! 1 overdue" in summary_text(app)
        await press(pilot, "1")
        assert "Dr Park" not in section(app, "steps")

    drive(app, steps)


def test_the_release_authorisation_is_ticked_in_the_form(make_app, world):
    seed_records(world)
    app = make_app()

    async def steps(pilot):
        await open_records(pilot)
        await go_to(pilot, "MRI report")
        await press(pilot, "tab", "down")  # Dr Park: release not signed
        assert transfer_rows(app)[1][6] == "\u2610 No"
        await press(pilot, "e")
        assert type(app.screen).__name__ == "ItemFormScreen"
        assert app.screen.query_one("#f-recipient").value == "Dr Park"
        # recipient -> state -> requested from a provider -> release authorisation signed
        await press(pilot, "tab", "tab", "tab")
        assert app.focused.id == "f-authorisation_signed"
        await press(pilot, "space", "ctrl+s")
        assert type(app.screen).__name__ == "CaseScreen"

        park = on_disk(world).find(PARK)
        assert park.authorisation_signed is True
        assert park.record == MRI and park.recipient == "Dr Park"  # the rest untouched
        assert transfer_rows(app)[1][6] == "\u2714 Yes"
        assert "to sign" not in summary_text(app)

    drive(app, steps)


def test_enter_on_a_transfer_edits_the_transfer_not_the_record(make_app, world):
    seed_records(world)
    app = make_app()

    async def steps(pilot):
        await open_records(pilot)
        await go_to(pilot, "MRI report")
        await press(pilot, "tab", "down", "down", "enter")  # Prof Ng
        assert type(app.screen).__name__ == "ItemFormScreen"
        assert "Transfer of MRI report to Prof Ng" in screen_text(app)
        box = app.screen.query_one("#f-recipient")
        box.value = ""
        # another doctor (the same name with an office in brackets is the same doctor:
        # core.care_team)
        await pilot.press(*"Dr Alvarez (Boston)")
        await press(pilot, "ctrl+s")
        assert on_disk(world).find(NG).recipient == "Dr Alvarez (Boston)"
        assert on_disk(world).find(MRI).title == "MRI report"
        assert "Dr Alvarez" in [row[0] for row in transfer_rows(app)]
        assert app.focused is pane(app).transfers_table
        await press(pilot, "escape")  # back up to the records
        assert app.focused is pane(app).table
        await press(pilot, "escape")  # and back to the case list
        assert type(app.screen).__name__ == "HomeScreen"

    drive(app, steps)


def test_delete_removes_a_transfer_and_ctrl_z_brings_it_back(make_app, world, monkeypatch):
    seed_records(world)
    app = make_app()
    notes = Notes(app, monkeypatch)

    async def steps(pilot):
        await open_records(pilot)
        await go_to(pilot, "MRI report")
        await press(pilot, "tab", "down", "delete")
        case = on_disk(world)
        assert case.find(PARK) is None
        assert {r.id for r in case.records} == {MRI, BLOODS, XRAY}  # the record stays
        assert [r[0] for r in transfer_rows(app)] == ["Dr Lind", "Prof Ng"]
        assert "Deleted 'transfer of MRI report to Dr Park'. ctrl+z brings it back." in (
            notes.text())
        assert "overdue" not in summary_text(app)

        await press(pilot, "ctrl+z")
        park = on_disk(world).find(PARK)
        assert (park.recipient, park.state, park.requested_on) == (
            "Dr Park", "requested", "2026-08-01")
        assert [r[0] for r in transfer_rows(app)] == ["Dr Lind", "Dr Park", "Prof Ng"]
        assert "! 1 overdue" in summary_text(app)

    drive(app, steps)


def test_deleting_the_last_transfer_returns_to_the_records(make_app, world):
    seed_records(world)
    app = make_app()

    async def steps(pilot):
        await open_records(pilot)
        await go_to(pilot, "Blood tests")
        await press(pilot, "tab", "delete")
        assert on_disk(world).find(BLOODS_PARK) is None
        assert pane(app).transfers_table.row_count == 0
        assert app.focused is pane(app).table
        assert "Not on its way to any doctor yet" in screen_text(app)

    drive(app, steps)


def test_the_transfers_follow_the_highlighted_record(make_app, world):
    seed_records(world)
    app = make_app()

    async def steps(pilot):
        await open_records(pilot)
        assert titles(app) == ["Blood tests", "MRI report", "Knee X-ray images"]
        assert [r[0] for r in transfer_rows(app)] == ["Dr Park"]
        await press(pilot, "down")
        assert [r[0] for r in transfer_rows(app)] == ["Dr Lind", "Dr Park", "Prof Ng"]
        assert "Transfers of MRI report" in screen_text(app)
        await press(pilot, "down")
        assert transfer_rows(app) == []
        # tab does not go into an empty transfers list
        await press(pilot, "tab")
        assert app.focused is not pane(app).transfers_table

    drive(app, steps)


# -- filter, help, size -----------------------------------------------------------------------


def test_the_filter_matches_titles_kinds_holders_and_doctors(make_app, world, content):
    seed_records(world)
    app = make_app(content=content)

    async def steps(pilot):
        await open_records(pilot)
        await press(pilot, "slash")
        await pilot.press(*"park")
        await settle(pilot)
        assert titles(app) == ["Blood tests", "MRI report"]  # both go to Dr Park
        await press(pilot, *["backspace"] * 4)
        await pilot.press(*"imaging files")  # the kind's label
        await settle(pilot)
        assert titles(app) == ["Knee X-ray images"]
        await press(pilot, *["backspace"] * 13)
        await pilot.press(*"acme")  # who holds it
        await settle(pilot)
        assert titles(app) == ["Blood tests"]
        await press(pilot, "x", "y", "z")
        assert titles(app) == [] and "Nothing matches the filter." in screen_text(app)
        await press(pilot, "escape")
        assert titles(app) == ["Blood tests", "MRI report", "Knee X-ray images"]
        assert app.focused is pane(app).table

    drive(app, steps)


def test_help_explains_the_keys_of_each_list(make_app, world):
    seed_records(world)
    app = make_app()

    async def steps(pilot):
        await open_records(pilot)
        await press(pilot, "question_mark")
        shown = screen_text(app)
        assert "Help: Records (3 of 9)" in shown
        assert "Add transfer" in shown and "Transfers" in shown
        guidance = " ".join(app.screen.guidance)
        assert "s moves the highlighted transfer to its next state" in guidance
        assert "30 days" in guidance
        assert "Attach file" in shown and "Import FHIR" in shown
        assert "f attaches a file or folder to the highlighted record" in guidance
        assert "i imports records from a FHIR file" in guidance
        await press(pilot, "escape", "tab", "question_mark")
        shown = screen_text(app)
        assert "Next state" in shown and "a / t" in shown
        await press(pilot, "escape")

    drive(app, steps)


def test_the_records_pane_fits_80_by_24(make_app, world, content):
    seed_records(world)
    app = make_app(content=content)

    async def steps(pilot):
        await open_records(pilot)
        await go_to(pilot, "MRI report")
        lines = screen_text(app).splitlines()
        assert len(lines) == 24 and all(len(line) <= 80 for line in lines)
        assert record_rows(app)[1] == ["Imaging report", "MRI report", "2026-06-02",
                                       "1 of 3", "! 44d", ""]
        assert [r[:3] for r in transfer_rows(app)] == [
            ["Dr Lind", "\u2714 Confirmed", "2026-07-09"],
            ["Dr Park", "\u25d4 Requested", "2026-08-01"],
            ["Prof Ng", "\u25d1 Sent", "2026-09-05"],
        ]
        shown = "\n".join(lines)
        assert "Dr Park" in shown and "! 44 days" in shown

    drive(app, steps, size=(80, 24))


def test_case_text_shows_literally(make_app, world):
    hostile = "[@click=app.quit]x[b]y\x1b[31m"
    seed_case(world, CASE, {"title": "Mum - knee surgery"}, [
        ("records", MRI, {"title": hostile, "source": hostile, "files": hostile,
                          "notes": hostile}),
        ("transfers", PARK, {"record": MRI, "recipient": hostile, "state": "requested"}),
    ])
    app = make_app()

    async def steps(pilot):
        await open_records(pilot)
        shown = screen_text(app)
        assert "[@click=app.quit]x[b]y\u241b[31m" in shown
        assert record_rows(app)[0][1] == "[@click=app.quit]x[b]y\u241b[31m"
        assert transfer_rows(app)[0][0].startswith("[@click=app.quit]x")
        await pilot.click("#records .pane-detail")
        await settle(pilot)
        assert app.is_running

    drive(app, steps)


def test_overdue_marks_take_the_new_themes_colour(make_app, world):
    seed_records(world)
    app = make_app()

    async def steps(pilot):
        await open_records(pilot)
        late = pane(app).table.get_row_at(1)[5]
        assert late.plain == "! 44 days"
        dark = str(late.style)
        app.theme = "secondview-light"
        await settle(pilot)
        late = pane(app).table.get_row_at(1)[5]
        assert late.plain == "! 44 days" and "bold" in str(late.style)
        assert str(late.style) != dark
        assert app.theme_variables["text-error"].lower() in str(late.style).lower()

    drive(app, steps)


# -- attached files (f) -----------------------------------------------------------------------


async def attach(pilot: Any, path: Any) -> None:
    """f on the highlighted record, type the path, enter: hashed in a worker, then saved."""
    await press(pilot, "f")
    assert type(pilot.app.screen).__name__ == "AttachScreen"
    await pilot.press(*str(path))
    await pilot.press("enter")
    await settle(pilot)
    await settle(pilot)
    assert type(pilot.app.screen).__name__ == "CaseScreen"


def test_f_attaches_a_file_and_a_folder_with_their_checksums(make_app, world):
    import hashlib

    from secondview.store import attachments

    seed_records(world)
    pdf = world.tmp / "mri.pdf"
    pdf.write_bytes(b"%PDF-1.7 report of the left knee\n" * 5000)
    cd = world.tmp / "cd"
    (cd / "DICOM").mkdir(parents=True)
    for n in range(3):
        (cd / "DICOM" / f"I{n}").write_bytes(bytes([n]) * 2000)
    app = make_app()

    async def steps(pilot):
        await open_records(pilot)
        await go_to(pilot, "MRI report")
        await attach(pilot, pdf)
        [file] = on_disk(world).attachments_for(MRI)
        assert file.sha256 == hashlib.sha256(pdf.read_bytes()).hexdigest()
        assert (file.path, file.kind, file.size, file.file_count) == (
            str(pdf), "file", pdf.stat().st_size, 1)
        assert file.hashed_at.endswith("Z")

        await go_to(pilot, "Knee X-ray images")
        await attach(pilot, cd)
        [folder] = on_disk(world).attachments_for(XRAY)
        assert (folder.kind, folder.size, folder.file_count) == ("folder", 6000, 3)
        assert folder.sha256 == attachments.hash_path(str(cd)).sha256

        # The detail lists it (path as text, kind, size, files, short checksum, when).
        shown = detail_text(app)
        assert str(cd) in shown
        assert "folder \u00b7 6.0 kB \u00b7 3 files \u00b7 sha256 " + folder.sha256[:12] in shown
        assert "hashed " + folder.hashed_at.replace("T", " ").rstrip("Z") + " UTC" in shown
        # The table marks records with files; the one without has no mark.
        marked = {r[1] for r in record_rows(app) if r[1].endswith("\u25a4")}
        assert marked == {"MRI report \u25a4", "Knee X-ray images \u25a4"}
        await go_to(pilot, "MRI report \u25a4")
        shown = detail_text(app)
        assert str(pdf) in shown and "file \u00b7 165.0 kB \u00b7 sha256 " in shown
        assert "files" not in shown.split(str(pdf))[1].splitlines()[0]  # no count for a file

    drive(app, steps)


def test_ctrl_z_takes_an_attachment_back(make_app, world):
    seed_records(world)
    pdf = world.tmp / "letter.pdf"
    pdf.write_bytes(b"letter")
    app = make_app()

    async def steps(pilot):
        await open_records(pilot)
        await go_to(pilot, "Blood tests")
        await attach(pilot, pdf)
        assert len(on_disk(world).attachments_for(BLOODS)) == 1
        await press(pilot, "ctrl+z")
        assert on_disk(world).attachments_for(BLOODS) == ()
        assert str(pdf) not in detail_text(app)
        assert "Blood tests" in titles(app)  # the mark went with it

    drive(app, steps)


def test_attaching_again_a_path_deleted_before_brings_it_back(make_app, world):
    """The attachment's id comes from the record and the path: attaching a deleted one again
    must lift the deletion in the same save (not leave the tombstone beside the new values,
    which reads as a deletion racing an edit)."""
    from secondview.store import attachments

    seed_records(world)
    pdf = world.tmp / "mri.pdf"
    pdf.write_bytes(b"first version")
    doc_id = attachments.attachment_id(MRI, str(pdf))
    app = make_app()

    async def steps(pilot):
        await open_records(pilot)
        await go_to(pilot, "MRI report")
        await attach(pilot, pdf)
        # Deleted elsewhere (another device, the command line).
        repo = CaseRepository(world.paths, DEVICE, HybridClock(), TODAY)
        try:
            repo.delete(repo.open(CASE), "attachments", doc_id)
        finally:
            repo.close()
        assert on_disk(world).attachments_for(MRI) == ()
        pdf.write_bytes(b"second version, changed")
        await go_to(pilot, "MRI report")  # the pane may still show the old mark
        await attach(pilot, pdf)
        case = on_disk(world)
        [back] = case.attachments_for(MRI)
        assert back.id == doc_id
        # Brought back, not left as "deleted on one device, changed on another".
        assert ("attachments", doc_id) not in case.races
        assert back.size == len(b"second version, changed")
        assert str(pdf) in detail_text(app)
        # ctrl+z deletes it again.
        await press(pilot, "ctrl+z")
        assert on_disk(world).attachments_for(MRI) == ()

    drive(app, steps)


def test_f_in_a_read_only_case_says_so_and_opens_nothing(make_app, world, monkeypatch):
    seed_records(world)
    app = make_app()
    notes = Notes(app, monkeypatch)

    async def steps(pilot):
        await open_records(pilot)
        import dataclasses

        app.screen.opened = dataclasses.replace(app.screen.opened,
                                                read_only="written by a newer secondview")
        await go_to(pilot, "MRI report")
        await press(pilot, "f")
        assert type(app.screen).__name__ == "CaseScreen"
        await press(pilot, "i")
        assert type(app.screen).__name__ == "CaseScreen"
        assert "This case is read-only: written by a newer secondview" in notes.text()

    drive(app, steps)


def test_attached_paths_with_hostile_text_show_literally(make_app, world):
    """A path synced from another device is case text: shown as typed, never as markup."""
    seed_records(world, items=[
        ("attachments", case_uuid(600 + n), {"record": MRI, "path": f"/p/{n}{hostile}",
                                             "kind": "file", "size": 10, "file_count": 1,
                                             "sha256": "ab" * 32,
                                             "hashed_at": "2026-09-10T08:30:00Z"})
        for n, hostile in enumerate(["[@click=app.quit]x", "[b]bold[/b]", "a\u202eevil"])
    ])
    app = make_app()

    async def steps(pilot):
        await open_records(pilot)
        await go_to(pilot, "MRI report")
        shown = detail_text(app)
        assert "/p/0[@click=app.quit]x" in shown
        assert "/p/1[b]bold[/b]" in shown
        assert "\u202e" not in shown  # the bidi override is made visible, not obeyed
        assert type(app.screen).__name__ == "CaseScreen"  # nothing was run

    drive(app, steps)
