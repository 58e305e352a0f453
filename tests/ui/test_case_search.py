"""Search from the case list (`/` reads every case's text, the hits panel says where) and
from the palette (archived cases too): enter opens the case at the hit's row."""

from __future__ import annotations

from pathlib import Path

import pytest
from search_kit import GARCIA, LEE, MRI, NG, PATEL, QUESTION, seed_search

from ui_kit import drive, screen_text, seed_case, settle, table_rows

SYNTHEA = Path("/work/shared/fhir/synthea")


def _titles(app) -> list[str]:
    return [r[0].strip(" !‼") for r in table_rows(app)]


def test_slash_patel_finds_the_client_and_enter_opens_the_transfer(make_app, world):
    seed_search(world)
    app = make_app()

    async def steps(pilot):
        await pilot.press("slash", *"Patel")
        await settle(pilot)
        assert _titles(app) == ["Garcia, Maria"]
        shown = screen_text(app)
        assert "Transfer to Dr. Patel (MRI lumbar spine)" in shown
        assert "found in 1 place of Garcia, Maria" in shown
        await pilot.press("enter", "enter")  # out of the box, then open the case
        await settle(pilot)
        case = app.screen
        assert type(case).__name__ == "CaseScreen" and case.case_id == GARCIA
        assert case.pane == "records"
        records = case.query_one("#records")
        assert records.highlighted_id == MRI
        assert records.transfers_table.cursor_key == PATEL  # not Dr. Adams, listed first
        assert "Transfers of MRI lumbar spine" in screen_text(app)

    drive(app, steps)


def test_slash_mri_finds_a_record_title_and_the_title_still_filters(make_app, world):
    seed_search(world)
    app = make_app()

    async def steps(pilot):
        # the first frame has no hits panel: it is mounted when a search first finds
        assert not app.screen.query("#search-hits")
        await pilot.press("slash", *"mri")
        await settle(pilot)
        assert _titles(app) == ["Garcia, Maria"]
        assert "Records: MRI lumbar spine" in screen_text(app)
        await pilot.press(*["backspace"] * 3, *"ng, s")
        await settle(pilot)
        assert _titles(app) == ["Ng, Sam"]
        await pilot.press("escape")
        await settle(pilot)
        assert not app.screen.query_one("#search-hits").display

    drive(app, steps)


def test_tab_moves_into_the_hits_and_enter_opens_the_one_chosen(make_app, world):
    seed_search(world)
    app = make_app()

    async def steps(pilot):
        await pilot.press("slash", *"lumbar", "enter")
        await settle(pilot)
        hits = app.screen.query_one("#search-hits")
        assert [h.where for h in hits.hits] == ["Condition", "Records: MRI lumbar spine"]
        await pilot.press("tab")
        assert app.screen.query_one("#hits-table").has_focus
        await pilot.press("end", "enter")
        await settle(pilot)
        assert app.screen.case_id == GARCIA
        assert app.screen.pane == "records"
        assert app.screen.query_one("#records").highlighted_id == MRI

    drive(app, steps)


def test_archived_hits_show_with_archived_cases_and_the_palette_opens_them(make_app, world):
    seed_search(world)
    app = make_app()

    async def steps(pilot):
        await pilot.press("slash", *"Okafor")
        await settle(pilot)
        assert _titles(app) == []
        await pilot.press("escape")  # clears the filter
        await pilot.press("a", "slash", *"Okafor")
        await settle(pilot)
        assert _titles(app) == ["Lee, Ann"]
        assert "Question: Would Dr. Okafor operate?" in screen_text(app)
        await pilot.press("escape", "a")
        await settle(pilot)

        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"okafor")
        await pilot.pause(0.5)
        shown = screen_text(app)
        assert "Question: Would Dr. Okafor operate? - Lee, Ann (archived)" in shown
        await pilot.press("down", "enter")
        await settle(pilot)
        case = app.screen
        assert type(case).__name__ == "CaseScreen" and case.case_id == LEE
        assert case.pane == "questions"
        assert case.query_one("#questions").highlighted_id == QUESTION

    drive(app, steps)


@pytest.mark.skipif(not SYNTHEA.is_dir(), reason="the shared FHIR files are not here")
def test_an_imported_notes_text_is_found(make_app, world):
    from secondview.core import fhir
    from secondview.store.case_files import keep_all

    seed_case(world, NG, {"title": "Jacobs, Aurore"})
    opened = world.repo.open(NG)
    source = sorted(SYNTHEA.glob("Aurore*.json"))[0]
    plan = fhir.plan(fhir.parse(source.read_bytes()), opened.state)
    keep_all(world.repo.folder(NG), plan.files, world.repo.key)
    world.repo.apply(opened, list(plan.writes), "Imported")
    app = make_app()

    async def steps(pilot):
        await pilot.press("slash", *"hispanic white female")
        await settle(pilot)
        assert _titles(app) == ["Jacobs, Aurore"]
        assert "Imported note: " in screen_text(app)
        await pilot.press("enter", "enter")
        await settle(pilot)
        assert app.screen.pane == "records"
        assert app.screen.query_one("#records").highlighted_id is not None

    drive(app, steps)


def test_hostile_text_in_a_hit_shows_literally(make_app, world):
    seed_case(world, NG, {"title": "Ng, Sam"}, [
        ("records", MRI, {"title": "[b]Scan[/b] [@click=app.quit] \x1b[2J"}),
    ])
    app = make_app()

    async def steps(pilot):
        await pilot.press("slash", *"scan")
        await settle(pilot)
        shown = screen_text(app)
        assert "Records: [b]Scan[/b] [@click=app.quit] \u241b[2J" in shown
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"click=app")
        await pilot.pause(0.5)
        assert "[@click=app.quit]" in screen_text(app)
        assert app.is_running

    drive(app, steps)
