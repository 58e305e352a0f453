"""A case kept by someone other than the patient: "Kept by" on the case form (e on the
overview) adds the checklist step on the helper's authority, on disk and on screen."""

from __future__ import annotations

from secondview.store.content_files import load_content
from secondview.store.editing import Editor
from secondview.store.repository import CaseRepository

from ui_kit import DEVICE, TODAY, drive, screen_text, settle


def _on_disk(world, case_id: str):
    fresh = CaseRepository(world.paths, DEVICE, world.repo.clock, TODAY)
    try:
        return fresh.open(case_id).case
    finally:
        fresh.close()


def test_kept_by_someone_else_adds_the_step_on_their_authority(make_app, world):
    content = load_content()
    opened = Editor(world.repo).create_case({"title": "Mum", "condition": "knee"}, content)
    world.repo.refresh()
    case_id = opened.case_id
    assert "general/caregiver-authority" not in {i.template_id for i in opened.case.checklist}
    app = make_app(content=content)

    async def steps(pilot):
        app.open_case(case_id)
        await settle(pilot)
        await pilot.press("e")  # the case form, from the overview
        await settle(pilot)
        app.screen.query_one("#f-kept_by").focus()
        await pilot.press("enter", "down", "enter")  # open the choice, pick the next one
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        case = _on_disk(world, case_id)
        assert case.info.kept_by == "someone_else"
        step = next(i for i in case.checklist if i.template_id == "general/caregiver-authority")
        await pilot.press("2")
        await settle(pilot)
        assert str(step.text)[:40] in screen_text(app)

    drive(app, steps)
