"""The visits pane (9): visits soonest first with their doctor, the visit form (added,
edited, deleted, ctrl+z; bad dates, times and zones refused with the reason) and the offer to
record the opinion once a visit is done (issue 13)."""

from __future__ import annotations

from ui_kit import case_uuid, drive, screen_text, seed_case, settle, static_text

CASE = case_uuid(91)
LIN = case_uuid(901)
GONE = case_uuid(999)
V_SOON = case_uuid(911)
V_LATE = case_uuid(912)
V_GONE = case_uuid(913)


def _seed(world) -> None:
    seed_case(world, CASE, {"title": "Dad - prostate cancer", "condition": "prostate cancer"}, [
        ("doctors", LIN, {"name": "Dr. Sarah Lin", "institution": "University Cancer Center",
                          "specialty": "Radiation oncology"}),
        ("appointments", V_LATE, {"doctor_id": GONE, "date": "2026-10-20", "time": "09:00",
                                  "status": "planned"}),
        ("appointments", V_SOON, {"doctor_id": LIN, "date": "2026-09-30", "time": "14:30",
                                  "zone": "America/Chicago", "mode": "in_person",
                                  "place": "Clinic B, floor 3", "status": "planned"}),
    ])


async def _open_visits(pilot) -> None:
    pilot.app.open_case(CASE)
    await settle(pilot)
    await pilot.press("9")
    await settle(pilot)


def _visits(world):
    return {v.id: v for v in world.repo.open(CASE).case.appointments}


async def _type(pilot, field: str, typed: str) -> None:
    box = pilot.app.screen.query_one(f"#f-{field}")
    box.focus()
    box.value = ""
    await pilot.press(*typed)


def test_the_visits_pane_lists_visits_soonest_first_with_their_doctor(make_app, world):
    _seed(world)
    app = make_app()

    async def steps(pilot):
        await _open_visits(pilot)
        shown = screen_text(app)
        rows = [line for line in shown.splitlines() if "Planned" in line]
        assert len(rows) == 2
        soon, late = rows  # soonest first
        assert "14:30" in soon and "America/Chicago" in soon and "Dr. Sarah Lin" in soon
        assert "In person" in soon and "Planned" in soon
        assert "doctor removed" in late  # its doctor was deleted on another device
        assert "2026-09-30" in soon and "2026-10-20" in late
        assert "Clinic B, floor 3" in shown  # the highlighted one's place, under the list
        assert "9 Visits" in shown

    drive(app, steps)


def test_a_visit_is_added_edited_deleted_and_brought_back(make_app, world):
    _seed(world)
    app = make_app()

    async def steps(pilot):
        await _open_visits(pilot)
        await pilot.press("a")
        await settle(pilot)
        assert type(app.screen).__name__ == "ItemFormScreen"
        await _type(pilot, "date", "2026-11-02")
        await _type(pilot, "time", "08:15")
        await _type(pilot, "zone", "Europe/Berlin")
        app.screen.query_one("#f-doctor_id").value = LIN
        await pilot.press("ctrl+s")
        await settle(pilot)
        added = [v for v in _visits(world).values() if v.date == "2026-11-02"]
        assert len(added) == 1
        new = added[0]
        assert (new.time, new.zone, new.doctor_id, new.status) == (
            "08:15", "Europe/Berlin", LIN, "planned")
        # the cursor is on the new visit: edit it
        await pilot.press("e")
        await settle(pilot)
        await _type(pilot, "time", "09:45")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert _visits(world)[new.id].time == "09:45"
        await pilot.press("delete")
        await settle(pilot)
        assert new.id not in _visits(world)
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert _visits(world)[new.id].time == "09:45"

    drive(app, steps)


def test_the_visit_form_refuses_a_date_time_or_zone_that_does_not_exist(make_app, world):
    _seed(world)
    app = make_app()

    async def steps(pilot):
        await _open_visits(pilot)
        before = _visits(world)
        await pilot.press("a")
        await settle(pilot)
        await _type(pilot, "date", "2027-02-31")
        await _type(pilot, "time", "25:00")
        await _type(pilot, "zone", "Mars/Olympus_Mons")
        await pilot.press("ctrl+s")
        await settle(pilot)
        form = app.screen
        assert type(form).__name__ == "ItemFormScreen"  # still open: nothing saved
        for field, typed in (("date", "2027-02-31"), ("time", "25:00"),
                             ("zone", "Mars/Olympus_Mons")):
            assert form.query_one(f"#{field}-error").display, field
            assert form.query_one(f"#f-{field}").value == typed  # what was typed is kept
        assert static_text(app, "#date-error").startswith("Date: ")
        assert static_text(app, "#time-error").startswith("Time: ")
        assert static_text(app, "#zone-error").startswith("Time zone: ")
        shown = screen_text(app)
        assert "Time zone: " in shown and "Time: " in shown
        assert _visits(world).keys() == before.keys()

    drive(app, steps)


def test_marking_a_visit_done_offers_its_opinion_with_the_doctor_filled_in(make_app, world):
    _seed(world)
    app = make_app()

    async def steps(pilot):
        await _open_visits(pilot)
        await pilot.press("home", "e")  # the visit with Dr. Lin, soonest
        await settle(pilot)
        app.screen.query_one("#f-status").value = "done"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert _visits(world)[V_SOON].status == "done"
        assert type(app.screen).__name__ == "ConfirmScreen"
        assert "Dr. Sarah Lin" in screen_text(app)
        await pilot.press("y")
        await settle(pilot)
        form = app.screen
        assert type(form).__name__ == "ItemFormScreen"
        assert form.query_one("#f-doctor").value == "Dr. Sarah Lin"
        assert form.carried["doctor_id"] == LIN  # the care team's doctor, by id, kept as it is
        assert form.query_one("#f-date").value == "2026-09-30"
        form.query_one("#f-diagnosis").focus()
        await pilot.press(*"Localised, low risk")
        await pilot.press("ctrl+s")
        await settle(pilot)
        opinions = world.repo.open(CASE).case.opinions
        assert [(o.doctor, o.doctor_id, o.order) for o in opinions] == [
            ("Dr. Sarah Lin", LIN, 1)]

    drive(app, steps)


def test_a_visit_marked_done_declined_asks_no_more(make_app, world):
    _seed(world)
    app = make_app()

    async def steps(pilot):
        await _open_visits(pilot)
        await pilot.press("home", "e")
        await settle(pilot)
        app.screen.query_one("#f-status").value = "done"
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("n")  # later
        await settle(pilot)
        assert type(app.screen).__name__ == "CaseScreen"
        await pilot.press("e")
        await settle(pilot)
        await _type(pilot, "time", "15:00")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert type(app.screen).__name__ == "CaseScreen"  # no change of status: no question
        assert world.repo.open(CASE).case.opinions == ()

    drive(app, steps)


def test_the_checklist_times_a_visit_step_from_the_planned_visit(make_app, world):
    _seed(world)
    world.repo.apply(world.repo.open(CASE), [_step()], "a step")
    app = make_app()

    async def steps(pilot):
        pilot.app.open_case(CASE)
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        shown = screen_text(app)
        # the due column: three days before the visit of 30 Sep
        assert any("every record" in line and "2026-09-27" in line
                   for line in shown.splitlines()), shown
        assert "3 days before the visit on 30 Sep: check that every record has arrived" \
            in " ".join(shown.split())

    drive(app, steps)


def _step():
    from secondview.core.replica import Write

    return Write("checklist", case_uuid(950), {
        "text": "A few days before the visit, check that every record has arrived.",
        "phase": "preparing", "order": 1.0,
        "template_id": "general/confirm-records-arrived"})


def test_hostile_text_in_a_visit_shows_as_text(make_app, world):
    from secondview.ui import text

    from ui_kit import HOSTILE

    seed_case(world, CASE, {"title": "Hostile"}, [
        ("doctors", LIN, {"name": HOSTILE[0]}),
        ("appointments", V_SOON, {"doctor_id": LIN, "date": "2026-09-30",
                                  "place": HOSTILE[1], "bring": HOSTILE[4],
                                  "companions": HOSTILE[5]}),
    ])
    app = make_app()

    async def steps(pilot):
        await _open_visits(pilot)
        shown = screen_text(app)
        assert app.is_running  # [@click=app.quit] did nothing
        assert "\x1b" not in shown
        assert text.clean(HOSTILE[0]) in shown
        assert "[link=https://e.x]y[/link]" in shown

    drive(app, steps)
