"""The care team in the app (core/care_team.py): a third opinion started from the comparison
requests every record already sent to the second doctor, however each transfer spelled the
doctor's name (issue 13: it copied one transfer of four)."""

from __future__ import annotations

from ui_kit import case_uuid, drive, seed_case, settle

CASE = case_uuid(7)
WEBB, LIN = case_uuid(101), case_uuid(102)
LIN_AT = "Dr. Sarah Lin (University Cancer Center)"


def on_disk(world):
    """The case as a fresh repository reads it from the files."""
    from secondview.store.repository import CaseRepository

    from ui_kit import DEVICE, TODAY

    repo = CaseRepository(world.paths, DEVICE, today=TODAY)
    try:
        return repo.open(CASE).case
    finally:
        repo.close()


def test_a_third_opinion_requests_every_record_sent_to_the_second_doctor(make_app, world):
    records = [case_uuid(200 + n) for n in range(5)]
    titles = ("Pathology slides", "Biopsy report", "MRI of the pelvis", "PSA results",
              "Bone scan")
    seed_case(world, CASE, {"title": "Dad - prostate"}, [
        ("opinions", WEBB, {"doctor": "Dr. Marcus Webb", "order": 1, "specialty": "Urology",
                            "diagnosis": "Localised prostate cancer",
                            "treatment": "Radical prostatectomy"}),
        ("opinions", LIN, {"doctor": "Dr. Sarah Lin", "order": 2,
                           "specialty": "Radiation oncology",
                           "diagnosis": "Localised prostate cancer",
                           "treatment": "Radiotherapy with hormone therapy"}),
        *[("records", r, {"title": t}) for r, t in zip(records, titles, strict=True)],
        *[("transfers", case_uuid(300 + n), {"record": records[n], "recipient": LIN_AT,
                                             "state": "received"}) for n in range(3)],
        ("transfers", case_uuid(303), {"record": records[3], "recipient": "Dr. Sarah Lin",
                                       "state": "requested"}),
        ("transfers", case_uuid(304), {"record": records[4], "recipient": "Dr. Marcus Webb",
                                       "state": "confirmed"}),
    ])
    app = make_app()

    async def steps(pilot):
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("6")
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        await pilot.press(*"Dr Okafor")
        await pilot.press("ctrl+s")
        await settle(pilot)
        case = on_disk(world)
        okafor = next(o for o in case.opinions if o.order == 3)
        mine = [t for t in case.transfers
                if t.doctor_id and t.doctor_id == okafor.doctor_id
                or t.recipient == "Dr Okafor"]
        assert sorted(t.record for t in mine) == sorted(records[:4])
        assert all(t.state == "requested" for t in mine)

    drive(app, steps)


# -- the care team's picker in the forms ----------------------------------------------------

LIN_ID, WEBB_ID = case_uuid(801), case_uuid(802)
TEAM = [
    ("doctors", LIN_ID, {"name": "Dr. Sarah Lin", "institution": "University Cancer Center",
                         "role": "second"}),
    ("doctors", WEBB_ID, {"name": "Dr. Marcus Webb", "institution": "Riverside Urology",
                          "role": "first"}),
]


async def new_opinion_form(pilot):
    await pilot.press("enter")
    await settle(pilot)
    await pilot.press("5")
    await settle(pilot)
    await pilot.press("a")
    await settle(pilot)
    assert type(pilot.app.screen).__name__ == "ItemFormScreen"


def test_a_few_letters_and_enter_pick_a_doctor_of_the_care_team(make_app, world):
    seed_case(world, CASE, {"title": "Dad - prostate"}, TEAM)
    app = make_app()

    async def steps(pilot):
        await new_opinion_form(pilot)
        await pilot.press(*"slin")
        await pilot.press("enter")
        await settle(pilot)
        picker = app.screen
        assert type(picker).__name__ == "CareTeamPickerScreen"
        options = picker.query_one("#care-team-options")
        assert options.get_option_at_index(0).id == LIN_ID
        await pilot.press("enter")
        await settle(pilot)
        form = app.screen
        assert type(form).__name__ == "ItemFormScreen"
        assert form.query_one("#f-doctor").value == "Dr. Sarah Lin"
        await pilot.press("ctrl+s")
        await settle(pilot)
        case = on_disk(world)
        [opinion] = case.opinions
        assert (opinion.doctor_id, opinion.doctor) == (LIN_ID, "Dr. Sarah Lin")
        assert len(case.doctors) == 2

    drive(app, steps)


def test_the_picker_adds_the_name_typed_as_a_new_doctor(make_app, world):
    seed_case(world, CASE, {"title": "Dad - prostate"}, TEAM)
    app = make_app()

    async def steps(pilot):
        await new_opinion_form(pilot)
        await pilot.press(*"Dr. Ana Ortiz (City Hospital)")
        await pilot.press("enter")
        await settle(pilot)
        options = app.screen.query_one("#care-team-options")
        assert options.option_count == 1 and options.get_option_at_index(0).id == "+new"
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        case = on_disk(world)
        [opinion] = case.opinions
        made = case.find(opinion.doctor_id)
        assert made is not None and made.table == "doctors"
        assert (made.name, made.institution) == ("Dr. Ana Ortiz", "City Hospital")
        assert len(case.doctors) == 3
        # one save: ctrl+z takes the opinion and the new doctor back
        await pilot.press("ctrl+z")
        await settle(pilot)
        case = on_disk(world)
        assert case.opinions == () and len(case.doctors) == 2

    drive(app, steps)


def test_escape_in_the_picker_keeps_what_was_typed(make_app, world):
    seed_case(world, CASE, {"title": "Dad - prostate"}, TEAM)
    app = make_app()

    async def steps(pilot):
        await new_opinion_form(pilot)
        await pilot.press(*"webb")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        form = app.screen
        assert type(form).__name__ == "ItemFormScreen"
        assert form.query_one("#f-doctor").value == "webb"
        await pilot.press("ctrl+s")
        await settle(pilot)
        # a typed name is linked by its name key when saved: "webb" is no doctor's key
        case = on_disk(world)
        [opinion] = case.opinions
        assert opinion.doctor_id not in (LIN_ID, WEBB_ID) and len(case.doctors) == 3

    drive(app, steps)


def test_editing_an_opinion_shows_the_doctor_as_renamed(make_app, world):
    seed_case(world, CASE, {"title": "Dad - prostate"}, [
        *TEAM, ("opinions", LIN, {"doctor": "Dr Lin (old text)", "doctor_id": LIN_ID,
                                  "order": 2})])
    app = make_app()

    async def steps(pilot):
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("5")
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        assert app.screen.query_one("#f-doctor").value == "Dr. Sarah Lin"

    drive(app, steps)
