"""The agenda (d on the case list, or "agenda" in the palette): what is due across every case,
by date; enter opens the case at the item, on its pane with its row highlighted."""

from __future__ import annotations

from agenda_kit import BOOK, DAD, MUM, NEXT, RELEASE, SEEN, SLIDES, seed_agenda
from ui_kit import drive, screen_text, settle


def _rows(app) -> list[str]:
    table = app.screen.query_one("#agenda-list")
    return [table.row_key_at(i) for i in range(table.row_count)]


def test_d_lists_what_is_due_and_enter_opens_the_case_at_the_step(make_app, world):
    seed_agenda(world)
    app = make_app()

    async def steps(pilot):
        await pilot.press("d")
        await settle(pilot)
        assert type(app.screen).__name__ == "AgendaScreen"
        assert _rows(app) == [
            f"{DAD}/overdue_request/{SLIDES}", f"{DAD}/awaiting_opinion/{SEEN}",
            f"{MUM}/step/{RELEASE}", f"{MUM}/visit/{NEXT}", f"{MUM}/step/{BOOK}"]
        shown = screen_text(app)
        assert "Pathology slides" in shown and "Dad - prostate" in shown
        assert "2026-09-10 !" in shown and "Archived step" not in shown
        assert "5 due in the next 14 days or overdue" in shown
        assert "Visit with Dr. Sarah Lin, University Cancer Center" in shown

        await pilot.press("down", "down", "enter")  # Sign the release form, second in its pane
        await settle(pilot)
        case = app.screen
        assert type(case).__name__ == "CaseScreen" and case.case_id == MUM
        assert case.pane == "checklist"
        assert case.query_one("#checklist").highlighted_id == RELEASE
        assert "Due 2026-09-10 ! overdue" in str(  # the highlighted step's detail
            case.query_one("#checklist .pane-detail").content)

        await pilot.press("space")  # done: it leaves the agenda
        await settle(pilot)
        assert world.repo.open(MUM).case.find(RELEASE).done is True
        await pilot.press("escape")
        await settle(pilot)
        assert type(app.screen).__name__ == "AgendaScreen"
        assert f"{MUM}/step/{RELEASE}" not in _rows(app) and len(_rows(app)) == 4
        await pilot.press("escape")
        await settle(pilot)
        assert type(app.screen).__name__ == "HomeScreen"

    drive(app, steps)


def test_an_overdue_request_opens_on_its_record(make_app, world):
    seed_agenda(world)
    app = make_app()

    async def steps(pilot):
        await pilot.press("d")
        await settle(pilot)
        # the highlighted entry's detail says who has to act: the office asked for the slides
        assert "for an office to act" in str(app.screen.query_one("#agenda-detail").content)
        await pilot.press("down")  # the visit seen with no opinion recorded: yours to do
        await settle(pilot)
        assert "for you to act" in str(app.screen.query_one("#agenda-detail").content)
        await pilot.press("up", "enter")
        await settle(pilot)
        case = app.screen
        assert (case.case_id, case.pane) == (DAD, "records")
        assert case.query_one("#records").highlighted_id == SLIDES

    drive(app, steps)


def test_the_palette_opens_the_agenda_and_an_empty_one_says_so(make_app, world):
    app = make_app()

    async def steps(pilot):
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"agenda")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "AgendaScreen"
        assert "Nothing is due in the next 14 days" in screen_text(app)

    drive(app, steps)


def test_a_long_agenda_lists_the_first_entries_and_counts_them_all(make_app, world,
                                                                   monkeypatch):
    from secondview.core import agenda

    monkeypatch.setattr(agenda, "SHOWN_AT_MOST", 2)
    seed_agenda(world)
    app = make_app()

    async def steps(pilot):
        await pilot.press("d")
        await settle(pilot)
        assert len(_rows(app)) == 2
        assert "5 due in the next 14 days or overdue (the first 2 here" in screen_text(app)

    drive(app, steps)
