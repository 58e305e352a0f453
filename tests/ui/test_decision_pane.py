"""The decision pane (7): write the options, the choice, its reasons and whether the treating
doctor was told through the form; see it on disk (one decision document, the case's id), on
the pane and in the case list's decision state; edit it and undo the edit."""

from __future__ import annotations

from textual.widgets import Checkbox, Select

from secondview.store.repository import CaseRepository

from ui_kit import (
    DEVICE,
    HOSTILE,
    TODAY,
    case_uuid,
    drive,
    screen_text,
    seed_case,
    settle,
    table_rows,
)

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
        # the old free-text fields are no longer offered (options, factors replace them)
        assert not app.screen.query("#f-options") and not app.screen.query("#f-matters")
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
        assert (decision.options, decision.matters) == ("", "")
        assert (decision.who_decides, decision.choice) == ("shared", "Physio first")
        assert decision.reasons == "Smaller step first;\nsurgery stays possible"
        assert (decision.doctor_told, decision.told_on) == (True, "2026-09-12")

        text = pane.plain()
        assert "Where things stand: Decided, and the treating doctor has been told" in text
        assert "Choice  Physio first" in text
        assert "Who decides  Shared with family or doctors" in text
        assert "Treating doctor told  yes" in text and "Told on  2026-09-12" in text
        shown = screen_text(app)
        assert "Notes from before" not in shown
        for words in ("Smaller step first;", "surgery stays possible", "2026-09-12"):
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
        assert app.screen.query_one("#f-choice").value == ""
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


# -- options, benefits and risks, SURE, leanings (issue 5) -------------------------------------

def option_titles(case):
    return [o.title for o in case.options]


async def add_factor(pilot, key, words, importance=None):
    """Press ``key`` (b or r) and fill the benefit/risk form."""
    await pilot.press(key)
    await settle(pilot)
    assert type(pilot.app.screen).__name__ == "ItemFormScreen"
    await type_into(pilot, "text", words)
    if importance is not None:
        field = pilot.app.screen.query_one("#f-importance")
        field.value = ""
        await type_into(pilot, "importance", str(importance))
    await pilot.press("ctrl+s")
    await settle(pilot)
    assert type(pilot.app.screen).__name__ == "CaseScreen"


def test_options_factors_importance_sure_leanings_and_a_choice_on_disk_and_screen(
        make_app, world):
    import datetime as dt

    seed_case(world, CASE, {"title": "Mum - knee"}, OPINIONS)
    app = make_app()

    async def steps(pilot):
        pane = await open_decision(pilot)
        pane.focus()
        await pilot.press("o")  # the doctors' options and wait and watch, one save
        await settle(pilot)
        case = on_disk(world)
        assert option_titles(case) == ["Total knee replacement",
                                       "Physiotherapy for three months", WAIT]
        assert [o.source for o in case.options] == ["opinion", "opinion", "waiting"]
        assert case.options[0].opinion == case_uuid(101)
        await pilot.press("o")  # nothing new to add: nothing written
        await settle(pilot)
        assert len(on_disk(world).options) == 3

        await pilot.press("a")
        await settle(pilot)
        await type_into(pilot, "title", "Knee injections")
        await pilot.press("ctrl+s")
        await settle(pilot)
        case = on_disk(world)
        assert option_titles(case)[-1] == "Knee injections"
        assert case.options[-1].source == "own"

        # the highlight is on the first option: a benefit and a risk with importance
        await add_factor(pilot, "b", "Walk the dog again", importance=5)
        await add_factor(pilot, "r", "Six weeks off work", importance=2)
        case = on_disk(world)
        knee = case.options[0]
        assert [(f.kind, f.text, f.importance, f.option) for f in case.factors_for(knee.id)] == [
            ("benefit", "Walk the dog again", 5, knee.id),
            ("risk", "Six weeks off work", 2, knee.id)]
        text = pane.plain()
        assert "+ benefit \u25cf\u25cf\u25cf\u25cf\u25cf 5  Walk the dog again" in text
        assert "\u2212 risk    \u25cf\u25cf\u25cb\u25cb\u25cb 2  Six weeks off work" in text

        # a factor of the second option, then importance changed on the first's risk
        await pilot.press("down", "down", "down")  # benefit, risk, Physiotherapy
        await add_factor(pilot, "b", "No operation")
        physio = on_disk(world).options[1]
        assert [(f.text, f.importance) for f in on_disk(world).factors_for(physio.id)] == [
            ("No operation", 3)]
        await pilot.press("up")  # the highlight stayed on Physiotherapy; up: the knee's risk
        assert pane.current.table == "factors" and pane.current.text == "Six weeks off work"
        await pilot.press("plus", "plus")
        await settle(pilot)
        risk = next(f for f in on_disk(world).factors if f.text == "Six weeks off work")
        assert risk.importance == 4
        await pilot.press("minus")
        await settle(pilot)
        risk = next(f for f in on_disk(world).factors if f.text == "Six weeks off work")
        assert risk.importance == 3
        assert "\u25cf\u25cf\u25cf\u25cb\u25cb 3  Six weeks off work" in pane.plain()

        # SURE: three toggles yes, one back to no
        assert "SURE 0/4" in pane.plain()
        await pilot.press("k", "v", "s", "f")
        await settle(pilot)
        await pilot.press("f")
        await settle(pilot)
        decision = on_disk(world).decision
        assert (decision.sure_know, decision.sure_values, decision.sure_support,
                decision.sure_certain) == (True, True, True, False)
        assert "SURE 3/4: a 'no' is worth talking through" in pane.plain()
        assert "[x] yes  k  Do I know the benefits" in pane.plain()
        assert "[ ] no   f  Do I feel sure" in pane.plain()

        # the leaning on two days: the knee today, physio tomorrow
        await pilot.press("up")  # the knee's benefit: leaning goes to its option
        assert pane.current_option.title == "Total knee replacement"
        await pilot.press("l")
        await settle(pilot)
        pane.today = TODAY + dt.timedelta(days=1)
        await pilot.press("down", "down", "down")  # risk, Physiotherapy, its benefit
        assert pane.current_option.title == "Physiotherapy for three months"
        await pilot.press("l")
        await settle(pilot)
        case = on_disk(world)
        by_id = {o.id: o.title for o in case.options}
        assert [(i.date, by_id[i.option]) for i in case.leanings_by_date()] == [
            ("2026-09-14", "Total knee replacement"),
            ("2026-09-15", "Physiotherapy for three months")]
        assert case.decision.leaning == "Physiotherapy for three months"
        text = pane.plain()
        assert "2026-09-14  leaning towards Total knee replacement" in text
        assert "2026-09-15  leaning towards Physiotherapy for three months" in text
        assert "Where things stand: Leaning one way, not decided" in text

        # the choice, its reasons, told: the decision form (no SURE fields in it)
        await pilot.press("e")
        await settle(pilot)
        assert not app.screen.query("#f-sure_know")
        await type_into(pilot, "choice", "Physio first")
        await type_into(pilot, "reasons", "Smaller step first")
        app.screen.query_one("#f-doctor_told", Checkbox).focus()
        await pilot.press("space")
        await type_into(pilot, "told_on", "2026-09-16")
        await pilot.press("ctrl+s")
        await settle(pilot)
        decision = on_disk(world).decision
        assert (decision.choice, decision.reasons, decision.doctor_told, decision.told_on) == (
            "Physio first", "Smaller step first", True, "2026-09-16")
        assert decision.sure_know is True  # untouched by the form
        assert "Decided, and the treating doctor has been told" in pane.plain()
        shown = screen_text(app)
        assert "Walk the dog again" in shown and "SURE 3/4" in shown

        await pilot.press("escape")
        await settle(pilot)
        [summary] = app.known_cases()
        assert summary.decision == "decided, doctor told"
        await pilot.resize_terminal(170, 40)  # the list's Decision column needs the room
        await settle(pilot)
        [row] = table_rows(app)
        assert "Decided, told" in row

    drive(app, steps)


WAIT = "Wait and watch"


def test_importance_stays_within_0_to_5_and_a_typed_6_is_refused(make_app, world):
    option = case_uuid(300)
    seed_case(world, CASE, {"title": "Mum - knee"}, [
        ("options", option, {"title": "Physio", "source": "own", "order": 1.0}),
        ("factors", case_uuid(301), {"option": option, "kind": "risk", "text": "Slow",
                                     "importance": 5}),
    ])
    app = make_app()

    async def steps(pilot):
        pane = await open_decision(pilot)
        pane.focus()
        await pilot.press("down", "plus")  # already 5: nothing written
        await settle(pilot)
        assert on_disk(world).factors[0].importance == 5
        await pilot.press("up")
        await pilot.press("b")
        await settle(pilot)
        await type_into(pilot, "text", "Cheap")
        app.screen.query_one("#f-importance").value = ""
        await type_into(pilot, "importance", "6")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert type(app.screen).__name__ == "ItemFormScreen"  # refused, with the reason
        assert "from 0 to 5" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        if type(app.screen).__name__ == "ConfirmScreen":
            await pilot.press("y")
            await settle(pilot)
        assert len(on_disk(world).factors) == 1

    drive(app, steps)


def test_the_case_list_shows_the_decision_state(make_app, world):
    seed_case(world, CASE, {"title": "Mum - knee"}, [
        ("options", case_uuid(300), {"title": "Physio", "source": "own", "order": 1.0}),
    ])
    app = make_app()

    async def steps(pilot):
        [row] = table_rows(app)
        assert "Weighing" in row
        await pilot.resize_terminal(100, 30)  # narrow: the Decision column goes first
        await settle(pilot)
        [narrow] = table_rows(app)
        assert "Weighing" not in narrow and "Mum - knee" in narrow[0]
        await pilot.resize_terminal(170, 40)
        await settle(pilot)
        pane = await open_decision(pilot)
        pane.focus()
        await pilot.press("l")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        [row] = table_rows(app)
        assert "Leaning" in row

    drive(app, steps, size=(170, 40))  # wide enough for the Decision column


def test_c_on_the_decision_pane_settles_conflicts_and_f_answers_feel_sure(make_app, world):
    """c is the workspace's "settle conflicts" on the decision pane too (it once answered the
    SURE question "certain", which now has f)."""
    from secondview.core.replica import HybridClock

    from ui_kit import FIXED_MS, OTHER_DEVICE

    seed_case(world, CASE, {"title": "Mum - knee"}, [
        ("decision", CASE, {"choice": "Physio"}),
    ])
    phone = CaseRepository(world.paths, OTHER_DEVICE, HybridClock(lambda: FIXED_MS + 60_000),
                           TODAY)
    on_phone, here = phone.open(CASE), world.repo.open(CASE)
    world.repo.update(here, "decision", CASE, {"choice": "Physio first"})
    phone.update(on_phone, "decision", CASE, {"choice": "Surgery"})
    phone.close()
    assert on_disk(world).conflicts == (("decision", CASE, "choice"),)
    app = make_app()

    async def steps(pilot):
        pane = await open_decision(pilot)
        assert app.focused is pane
        await pilot.press("f")
        await settle(pilot)
        assert on_disk(world).decision.sure_certain is True
        assert "[x] yes  f  Do I feel sure" in pane.plain()
        await pilot.press("c")
        await settle(pilot)
        assert type(app.screen).__name__ == "ConflictScreen"
        assert on_disk(world).decision.sure_certain is True  # c answered nothing
        await pilot.press("escape")
        await settle(pilot)
        assert type(app.screen).__name__ == "CaseScreen"
        assert app.screen.pane == "decision"

    drive(app, steps)


def test_old_free_text_shows_as_notes_from_before_and_t_turns_it_into_options(make_app, world):
    """A case written by an older version holds its options and what matters as free text:
    shown read-only, never in the form; t makes options of it (one save, one ctrl+z)."""
    seed_case(world, CASE, {"title": "Mum - knee"}, [
        ("options", case_uuid(300), {"title": "Physio first", "source": "own", "order": 1.0}),
        ("decision", CASE, {"options": "1. Replace the knee now\n2. Physio first\n\n"
                                       "- [@click=app.quit]x",
                            "matters": "Walking the dog again: a lot", "leaning": "Physio"}),
    ])
    app = make_app()

    async def steps(pilot):
        pane = await open_decision(pilot)
        shown = pane.plain()
        assert "Notes from before" in shown and "read-only" in shown
        assert "1. Replace the knee now\n2. Physio first" in shown
        assert "What matters most\nWalking the dog again: a lot" in shown
        assert "t turns these options into options" in shown
        assert pane.check_action("notes_to_options", ()) is True
        await pilot.press("e")
        await settle(pilot)
        assert not app.screen.query("#f-options") and not app.screen.query("#f-matters")
        await pilot.press("escape")
        await settle(pilot)

        pane.focus()
        await pilot.press("t")
        await settle(pilot)
        case = on_disk(world)
        assert option_titles(case) == ["Physio first", "Replace the knee now",
                                       "[@click=app.quit]x"]  # Physio first was there
        assert [o.source for o in case.options] == ["own", "own", "own"]
        assert case.decision.options == ""  # moved, not copied
        assert case.decision.matters == "Walking the dog again: a lot"  # still kept
        shown = pane.plain()
        assert "Replace the knee now  (your own idea)" in shown
        assert "What matters most\nWalking the dog again: a lot" in shown
        assert "t turns" not in shown and app.is_running
        assert pane.check_action("notes_to_options", ()) is False  # t does nothing now

        await pilot.press("ctrl+z")  # one undo: the notes back, the new options gone
        await settle(pilot)
        case = on_disk(world)
        assert option_titles(case) == ["Physio first"]
        assert case.decision.options.startswith("1. Replace the knee now")
        assert "t turns these options into options" in pane.plain()

    drive(app, steps)



def test_m_clears_the_old_what_matters_most_after_asking_and_ctrl_z_brings_it_back(
        make_app, world):
    seed_case(world, CASE, {"title": "Mum - knee"}, [
        ("decision", CASE, {"matters": "Walking the dog again: a lot"}),
    ])
    app = make_app()

    async def steps(pilot):
        pane = await open_decision(pilot)
        assert "m clears what matters most" in pane.plain()
        assert pane.check_action("clear_matters", ()) is True
        assert pane.check_action("notes_to_options", ()) is False  # no old options here
        await pilot.press("m")
        await settle(pilot)
        assert type(app.screen).__name__ == "ConfirmScreen"
        await pilot.press("n")  # kept
        await settle(pilot)
        assert on_disk(world).decision.matters == "Walking the dog again: a lot"
        pane.focus()
        await pilot.press("m")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert on_disk(world).decision.matters == ""
        shown = pane.plain()
        assert "Notes from before" not in shown and "Walking the dog" not in shown
        assert pane.check_action("clear_matters", ()) is False
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert on_disk(world).decision.matters == "Walking the dog again: a lot"
        assert "What matters most\nWalking the dog again: a lot" in pane.plain()

    drive(app, steps)


def test_deleting_an_option_takes_its_benefits_and_risks_and_ctrl_z_brings_them_back(
        make_app, world, monkeypatch):
    from ui_kit import Notes

    option = case_uuid(301)
    seed_case(world, CASE, {"title": "Mum - knee"}, [
        *OPINIONS,
        ("options", option, {"title": "Physiotherapy first", "order": 1}),
        ("factors", case_uuid(302), {"option": option, "kind": "benefit",
                                     "text": "No operation", "importance": 4}),
        ("factors", case_uuid(303), {"option": option, "kind": "risk",
                                     "text": "Months of pain", "importance": 3}),
    ])
    app = make_app()
    notes = Notes(app, monkeypatch)

    async def steps(pilot):
        await open_decision(pilot)
        await pilot.press("delete")  # the highlighted line: the option
        await settle(pilot)
        assert on_disk(world).options == () and on_disk(world).factors == ()
        assert "Deleted 'Physiotherapy first' and its 2 benefits and risks" in notes.text()
        assert "No operation" not in screen_text(app)
        await pilot.press("ctrl+z")
        await settle(pilot)
        case = on_disk(world)
        assert [o.title for o in case.options] == ["Physiotherapy first"]
        assert sorted(f.text for f in case.factors) == ["Months of pain", "No operation"]
        assert "No operation" in screen_text(app)

    drive(app, steps)


def test_o_stores_whole_alternatives_and_never_a_second_wait_and_watch(make_app, world):
    # issue 14: the title was cut ("…" stored), one doctor's "surveillance or SBRT" made one
    # option, and "Wait and watch" was added beside the doctor's own waiting option
    waiting = ("Wait and watch: a PSA blood test every three months and an MRI scan every "
               "year, then decide")
    seed_case(world, CASE, {"title": "Dad - prostate"}, [
        ("opinions", case_uuid(101), {"doctor": "Dr Okafor", "order": 1,
                                      "treatment": "Active surveillance or SBRT (five "
                                                   "sessions of targeted radiotherapy)"}),
        ("opinions", case_uuid(102), {"doctor": "Dr Lind", "order": 2,
                                      "treatment": waiting}),
    ])
    app = make_app()

    async def steps(pilot):
        pane = await open_decision(pilot)
        pane.focus()
        await pilot.press("o")
        await settle(pilot)
        case = on_disk(world)
        assert option_titles(case) == [
            "Active surveillance", "SBRT (five sessions of targeted radiotherapy)", waiting]
        assert not any("\u2026" in t for t in option_titles(case))
        assert [o.opinion for o in case.options] == [case_uuid(101)] * 2 + [case_uuid(102)]
        await pilot.press("o")
        await settle(pilot)
        assert len(on_disk(world).options) == 3

    drive(app, steps)
