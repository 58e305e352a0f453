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
