"""The new-case form: saving to disk, validation in the form, cancelling safely."""

from __future__ import annotations

import json

from secondview.store.content_files import load_content

from ui_kit import Notes, drive, screen_text, seed_sample, settle, static_text, table_rows


def _replica(world, case_id):
    return json.loads((world.repo.own_file(case_id)).read_text(encoding="utf-8"))


def test_n_type_a_title_ctrl_s_saves_the_case_and_highlights_it(make_app, world):
    seed_sample(world)
    app = make_app()

    async def steps(pilot):
        await pilot.press("n")
        await pilot.pause()
        assert type(app.screen).__name__ == "NewCaseScreen"
        await pilot.press(*"Gran - cataract", "tab", *"cataract")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert type(app.screen).__name__ == "HomeScreen"
        table = app.screen.query_one("#cases")
        new_id = table.current_id()
        assert any("Gran - cataract" in r[0] for r in table_rows(app))
        row = table_rows(app)[table.cursor_row]
        assert "Gran - cataract" in row[0]
        return new_id

    new_id = drive(app, steps)
    listed = {s.id: s for s in world.repo.list()}
    assert listed[new_id].title == "Gran - cataract"
    assert listed[new_id].condition == "cataract"
    assert listed[new_id].urgency == "routine"
    data = _replica(world, new_id)
    assert new_id in data["tables"]["case"]
    assert data["tables"]["case"][new_id]["title"][0]["v"] == "Gran - cataract"


def test_empty_title_is_refused_in_the_form_with_the_reason(make_app, world):
    app = make_app()

    async def steps(pilot):
        await pilot.press("n")
        await pilot.pause()
        await pilot.press("space", "space", "ctrl+s")
        await pilot.pause()
        assert type(app.screen).__name__ == "NewCaseScreen"
        assert app.screen.query_one("#title-error").display
        assert static_text(app, "#title-error") == "Title: cannot be empty"
        assert "Title: cannot be empty" in screen_text(app)
        assert app.screen.query_one("#title").has_focus

    drive(app, steps)
    assert world.case_ids() == []
    assert not world.paths.cases_dir.exists() or not any(world.paths.cases_dir.iterdir())


def test_what_they_said_needs_a_doctor(make_app, world):
    app = make_app()

    async def steps(pilot):
        await pilot.press("n")
        await pilot.pause()
        app.screen.query_one("#title").value = "Knee"
        app.screen.query_one("#diagnosis").value = "torn meniscus"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert type(app.screen).__name__ == "NewCaseScreen"
        assert "name the doctor" in static_text(app, "#doctor-error")

    drive(app, steps)
    assert world.case_ids() == []


def test_first_doctor_and_what_they_said_become_the_first_opinion(make_app, world):
    app = make_app()

    async def steps(pilot):
        await pilot.press("n")
        await pilot.pause()
        screen = app.screen
        screen.query_one("#title").value = "Dad - prostate"
        screen.query_one("#condition").value = "prostate cancer"
        screen.query_one("#doctor").value = "Dr Rivera"
        screen.query_one("#diagnosis").value = "Gleason 7 adenocarcinoma"
        screen.query_one("#treatment").value = "Radical prostatectomy"
        await pilot.press("ctrl+s")
        await settle(pilot)
        return app.screen.query_one("#cases").current_id()

    case_id = drive(app, steps)
    case = world.repo.open(case_id).case
    first = case.first_opinion()
    assert (first.doctor, first.order) == ("Dr Rivera", 1)
    assert first.diagnosis == "Gleason 7 adenocarcinoma"
    assert first.treatment == "Radical prostatectomy"
    assert case.info.condition == "prostate cancer"


def test_urgency_emergency_is_saved_and_warned_in_the_form(make_app, world):
    app = make_app()

    async def steps(pilot):
        await pilot.press("n")
        await pilot.pause()
        await pilot.press(*"Chest pain", "tab", "tab")  # to the urgency select
        assert app.screen.query_one("#urgency").has_focus
        await pilot.press("enter", "down", "down", "enter")
        await pilot.pause()
        assert app.screen.query_one("#urgency").value == "emergency"
        assert app.screen.query_one("#form-emergency").display
        assert "Do not wait for a second opinion" in screen_text(app)
        await pilot.press("ctrl+s")
        await settle(pilot)
        return app.screen.query_one("#cases").current_id()

    case_id = drive(app, steps)
    assert world.repo.open(case_id).case.info.urgency == "emergency"


def test_content_gives_a_new_case_its_starter_checklist_and_questions(make_app, world):
    content = load_content()
    app = make_app(content=content)

    async def steps(pilot):
        await pilot.press("n")
        await pilot.pause()
        await pilot.press(*"Knee", "ctrl+s")
        await settle(pilot)
        return app.screen.query_one("#cases").current_id()

    case_id = drive(app, steps)
    case = world.repo.open(case_id).case
    expected = content.starter_writes({"title": "Knee", "urgency": "routine"})
    assert len(case.checklist) == sum(1 for w in expected if w.table == "checklist")
    assert len(case.questions) == sum(1 for w in expected if w.table == "questions")
    assert case.checklist and case.questions


def test_content_read_after_the_first_frame_still_starts_new_cases(world):
    from secondview.ui.app import SecondViewApp

    calls = []

    def loader():
        calls.append("read")
        return load_content()

    app = SecondViewApp(world.repo, paths=world.paths, content_loader=loader)
    assert calls == []  # nothing read before the app runs

    async def steps(pilot):
        assert app.content is not None and calls == ["read"]  # in once the app has settled
        await pilot.press("n")
        await pilot.pause()
        await pilot.press(*"Knee", "ctrl+s")
        await settle(pilot)
        return app.screen.query_one("#cases").current_id()

    case = world.repo.open(drive(app, steps)).case
    assert case.checklist and case.questions


def test_escape_on_an_untouched_form_closes_it_at_once(make_app, world):
    app = make_app()

    async def steps(pilot):
        await pilot.press("n")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert type(app.screen).__name__ == "HomeScreen"

    drive(app, steps)
    assert world.case_ids() == []


def test_escape_with_typed_text_asks_before_discarding(make_app, world):
    app = make_app()

    async def steps(pilot):
        await pilot.press("n")
        await pilot.pause()
        await pilot.press(*"Half typed")
        await pilot.press("escape")
        await pilot.pause()
        assert type(app.screen).__name__ == "ConfirmScreen"
        assert "Discard this new case?" in screen_text(app)
        await pilot.press("n")  # keep editing
        await pilot.pause()
        assert type(app.screen).__name__ == "NewCaseScreen"
        assert app.screen.query_one("#title").value == "Half typed"
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("enter")  # the focused button is "Keep editing": enter is safe
        await pilot.pause()
        assert type(app.screen).__name__ == "NewCaseScreen"
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert type(app.screen).__name__ == "HomeScreen"

    drive(app, steps)
    assert world.case_ids() == []


def test_a_save_that_fails_is_reported_and_the_form_stays(make_app, world, monkeypatch):
    app = make_app()
    notes = Notes(app, monkeypatch)

    def refuse(values, extra=()):
        raise PermissionError(13, "Permission denied", str(world.paths.cases_dir))

    monkeypatch.setattr(world.repo, "create", refuse)

    async def steps(pilot):
        await pilot.press("n")
        await pilot.pause()
        await pilot.press(*"Knee", "ctrl+s")
        await settle(pilot)
        assert type(app.screen).__name__ == "NewCaseScreen"
        assert app.screen.query_one("#title").value == "Knee"
        assert "The case was not saved" in notes.text()
        assert "Permission denied" in notes.text()

    drive(app, steps)
