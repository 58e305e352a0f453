"""The doctors pane (8): the care team listed, a doctor added, renamed (the opinions pane then
shows the new name: it reads the doctor through the id), deleted (the opinion then says
"doctor removed") and brought back with ctrl+z. Checked on disk and on the screen."""

from __future__ import annotations

from secondview.core import care_team
from secondview.store.repository import CaseRepository

from ui_kit import DEVICE, TODAY, case_uuid, drive, screen_text, seed_case, settle

CASE = case_uuid(7)
LIN, OPINION = case_uuid(801), case_uuid(101)


def on_disk(world):
    repo = CaseRepository(world.paths, DEVICE, today=TODAY)
    try:
        return repo.open(CASE).case
    finally:
        repo.close()


def seed(world):
    seed_case(world, CASE, {"title": "Dad - prostate"}, [
        ("doctors", LIN, {"name": "Dr. Sarah Lin", "role": "second",
                          "institution": "University Cancer Center", "phone": "+1 555 0100",
                          "in_network": "yes",
                          "notes": "Ask for the nurse navigator; she calls back the same day."}),
        ("opinions", OPINION, {"doctor": "Dr. Sarah Lin", "doctor_id": LIN, "order": 2,
                               "diagnosis": "Localised prostate cancer"}),
        ("records", case_uuid(201), {"title": "Biopsy report", "kind": "pathology_report"}),
        ("transfers", case_uuid(301), {"record": case_uuid(201), "recipient": "Dr. Sarah Lin",
                                       "doctor_id": LIN, "state": "requested"}),
    ])


async def open_doctors(pilot):
    await pilot.press("enter")
    await settle(pilot)
    await pilot.press("8")
    await settle(pilot)
    return pilot.app.screen.query_one("#doctors")


def test_the_pane_lists_the_care_team_with_the_highlighted_one_in_full(make_app, world):
    seed(world)
    app = make_app()

    async def steps(pilot):
        pane = await open_doctors(pilot)
        shown = screen_text(app)
        for words in ("Dr. Sarah Lin", "Second opinion", "University Cancer Center",
                      "+1 555 0100", "Yes"):
            assert words in shown
        full = pane.full_text()
        assert "nurse navigator; she calls back the same day." in full
        assert "1 opinion, 1 record transfer" in full

    drive(app, steps)


def test_add_rename_delete_and_undo_a_doctor(make_app, world):
    seed(world)
    app = make_app()

    async def steps(pilot):
        await open_doctors(pilot)
        await pilot.press("a")
        await settle(pilot)
        await pilot.press(*"Records office, City Hospital")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert sorted(d.name for d in on_disk(world).doctors) == [
            "Dr. Sarah Lin", "Records office, City Hospital"]
        # rename Dr. Lin: the opinion reads her through the id
        pane = app.screen.query_one("#doctors")
        rows = [pane.table.get_row_at(n)[0].plain for n in range(pane.table.row_count)]
        pane.table.move_cursor(row=rows.index("Dr. Sarah Lin"))
        await pilot.press("e")
        await settle(pilot)
        name = app.screen.query_one("#f-name")
        name.value = ""
        await pilot.press(*"Sarah Lin, MD")
        await pilot.press("ctrl+s")
        await settle(pilot)
        case = on_disk(world)
        assert care_team.doctor_name(case, case.find(OPINION)) == "Sarah Lin, MD"
        await pilot.press("5")
        await settle(pilot)
        assert "Sarah Lin, MD" in screen_text(app)
        await pilot.press("3")
        await settle(pilot)
        assert "Sarah Lin, MD" in screen_text(app)
        await pilot.press("8")
        await settle(pilot)
        await pilot.press("delete")
        await settle(pilot)
        if type(app.screen).__name__ != "CaseScreen":  # a confirmation
            await pilot.press("y")
            await settle(pilot)
        case = on_disk(world)
        assert [d.name for d in case.doctors] == ["Records office, City Hospital"]
        assert care_team.doctor_name(case, case.find(OPINION)) == care_team.DOCTOR_REMOVED
        await pilot.press("5")
        await settle(pilot)
        assert "doctor removed" in screen_text(app)
        await pilot.press("3")  # the record's transfer names her through the id too
        await settle(pilot)
        assert "doctor removed" in screen_text(app)
        await pilot.press("ctrl+z")
        await settle(pilot)
        case = on_disk(world)
        assert care_team.doctor_name(case, case.find(OPINION)) == "Sarah Lin, MD"

    drive(app, steps)


def test_the_help_names_key_8(make_app, world):
    seed(world)
    app = make_app()

    async def steps(pilot):
        await open_doctors(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        lines = [line for line in screen_text(app).splitlines() if "Doctors" in line]
        assert any(" 8 " in f" {line} " for line in lines), lines

    drive(app, steps)
