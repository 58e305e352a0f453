"""The decision pane (7): write the options, the choice, its reasons and whether the treating
doctor was told through the form; see it on disk (one decision document, the case's id), on
the pane and in the case list's decision state; edit it and undo the edit."""

from __future__ import annotations

from secondview.store.repository import CaseRepository
from textual.widgets import Checkbox, Select
from ui_kit import DEVICE, HOSTILE, TODAY, case_uuid, drive, screen_text, seed_case, settle

CASE = case_uuid(7)
OPINIONS = [
    ("opinions", case_uuid(101), {"doctor": "Dr Okafor", "order": 1,
                                  "treatment": "Total knee replacement"}),
    ("opinions", case_uuid(102), {"doctor": "Dr Lind", "order": 2,
                                  "treatment": "Physiotherapy for three months"}),
]


def fresh_repo(world):
    return CaseRepository(world.paths, DEVICE, today=TODAY)


def on_disk(world):
    """The case as a fresh repository reads it from the files."""
    repo = fresh_repo(world)
    try:
        return repo.open(CASE).case
    finally:
        repo.close()


async def open_decision(pilot):
    await pilot.press("enter")  # the only case in the list
    await settle(pilot)
    await pilot.press("7")
    await settle(pilot)
    return pilot.app.screen.query_one("#decision")


async def type_into(pilot, name, words):
    """Focus the form field ``name`` and type ``words`` (enter starts a new line)."""
    pilot.app.screen.query_one(f"#f-{name}").focus()
    await pilot.pause()
    for n, line in enumerate(words.split("\n")):
        if n:
            await pilot.press("enter")
        await pilot.press(*line)


async def choose(pilot, name, value):
    """Pick ``value`` in the form's Select ``name`` with the keys."""
    select = pilot.app.screen.query_one(f"#f-{name}", Select)
    select.focus()
    await pilot.pause()
    values = [v for _, v in select._options if v is not Select.NULL]  # noqa: SLF001
    start = values.index(select.value) if select.value in values else -1
    await pilot.press("enter", *["down"] * (values.index(value) - start), "enter")
    await pilot.pause()
    assert select.value == value


def test_the_decision_is_written_in_the_form_and_shows_on_disk_pane_and_list(make_app, world):
    seed_case(world, CASE, {"title": "Mum - knee"}, OPINIONS)
    app = make_app()

    async def steps(pilot):
        pane = await open_decision(pilot)
        assert "Where things stand: Not started" in pane.plain()
        assert "Dr Okafor (first opinion)  Total knee replacement" in pane.plain()
        assert "Dr Lind (second opinion)  Physiotherapy for three months" in pane.plain()
        await pilot.press("e")
        await settle(pilot)
        assert type(app.screen).__name__ == "ItemFormScreen"
        await type_into(pilot, "options", "1. Replace the knee now\n2. Physio first")
        await type_into(pilot, "matters", "Walking the dog again")
        await choose(pilot, "who_decides", "shared")
        await type_into(pilot, "choice", "Physio first")
        await type_into(pilot, "reasons", "Smaller step first;\nsurgery stays possible")
        app.screen.query_one("#f-doctor_told", Checkbox).focus()
        await pilot.press("space")
        await type_into(pilot, "told_on", "2026-09-12")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert type(app.screen).__name__ == "CaseScreen"

        case = on_disk(world)
        decision = case.decision
        assert decision is not None and decision.id == CASE  # one document, the case's id
        assert decision.options == "1. Replace the knee now\n2. Physio first"
        assert (decision.matters, decision.who_decides, decision.choice) == (
            "Walking the dog again", "shared", "Physio first")
        assert decision.reasons == "Smaller step first;\nsurgery stays possible"
        assert (decision.doctor_told, decision.told_on) == (True, "2026-09-12")

        text = pane.plain()
        assert "Where things stand: Decided, and the treating doctor has been told" in text
        assert "Choice  Physio first" in text and "Who decides  shared" in text
        assert "Treating doctor told  yes" in text and "Told on  2026-09-12" in text
        shown = screen_text(app)
        for words in ("1. Replace the knee now", "2. Physio first", "Smaller step first;",
                      "surgery stays possible", "Walking the dog again", "2026-09-12"):
            assert words in shown

        await pilot.press("escape")  # back to the case list
        await settle(pilot)
        [summary] = app.known_cases()
        assert summary.decision == "decided, doctor told"
        repo = fresh_repo(world)
        try:
            assert [s.decision for s in repo.list()] == ["decided, doctor told"]
        finally:
            repo.close()

    drive(app, steps)


def test_editing_the_decision_changes_only_what_changed_and_ctrl_z_undoes_it(make_app, world):
    seed_case(world, CASE, {"title": "Mum - knee"}, [
        *OPINIONS,
        ("decision", CASE, {"options": "Surgery or physio", "leaning": "Physio"}),
    ])
    app = make_app()

    async def steps(pilot):
        pane = await open_decision(pilot)
        assert "Where things stand: Leaning one way, not decided" in pane.plain()
        await pilot.press("e")
        await settle(pilot)
        await type_into(pilot, "choice", "Physio first")
        await pilot.press("ctrl+s")
        await settle(pilot)
        decision = on_disk(world).decision
        assert (decision.options, decision.leaning, decision.choice) == (
            "Surgery or physio", "Physio", "Physio first")
        assert "Where things stand: Decided; the treating doctor has not been told" in (
            pane.plain())
        assert "Treating doctor told  not yet" in pane.plain()
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert on_disk(world).decision.choice == ""
        assert "Leaning one way" in screen_text(app)

    drive(app, steps)


def test_a_decision_saved_under_another_id_is_edited_not_duplicated(make_app, world):
    # the command line and older files hold the decision under an id of its own
    other_id = case_uuid(900)
    seed_case(world, CASE, {"title": "Mum - knee"}, [
        ("decision", other_id, {"options": "Surgery or physio"}),
    ])
    app = make_app()

    async def steps(pilot):
        await open_decision(pilot)
        await pilot.press("enter")  # enter edits too
        await settle(pilot)
        assert app.screen.query_one("#f-options").text == "Surgery or physio"
        await type_into(pilot, "leaning", "Physio")
        await pilot.press("ctrl+s")
        await settle(pilot)
        case = on_disk(world)
        assert case.decision.id == other_id
        assert (case.decision.options, case.decision.leaning) == ("Surgery or physio", "Physio")
        repo = fresh_repo(world)
        try:
            assert list(repo.open(CASE).state.tables["decision"]) == [other_id]
        finally:
            repo.close()

    drive(app, steps)


def test_hostile_text_in_the_decision_is_literal_and_inert(make_app, world):
    seed_case(world, CASE, {"title": "Hostile"}, [
        ("opinions", case_uuid(101), {"doctor": "[@click=app.quit]Dr", "order": 1,
                                      "treatment": "[/"}),
        ("decision", CASE, {"options": "\n".join(HOSTILE), "choice": "[@click=app.quit]x",
                            "reasons": "[link=https://e.x]y[/link]"}),
    ])
    app = make_app()

    async def steps(pilot):
        pane = await open_decision(pilot)
        text = pane.plain()
        assert "Choice  [@click=app.quit]x" in text
        assert "Reasons  [link=https://e.x]y[/link]" in text
        assert "[@click=app.quit]Dr (first opinion)  [/" in text
        assert "\u241b[31mred" in text and "\x1b" not in text and "\u202e" not in text
        for y in range(4, 36, 2):
            await pilot.click("#decision", offset=(34, y))
            await pilot.pause()
        await settle(pilot)
        assert app.is_running and type(app.screen).__name__ == "CaseScreen"

    drive(app, steps)
