"""The questions pane (key 4): moving questions with keys, marking them asked, each doctor's
answer, filtering, adding, and the questions a newer bank brings. Keys are pressed in the real
app; then the case is read back from disk with a fresh repository, and the screen is read."""

from __future__ import annotations

from pathlib import Path

from secondview.store.content_files import load_content
from secondview.store.repository import CaseRepository

from ui_kit import DEVICE, TODAY, Notes, case_uuid, drive, screen_text, seed_case, settle

CASE = case_uuid(8)
Q1, Q2, Q3 = case_uuid(701), case_uuid(702), case_uuid(703)
HALE, OKAFOR = case_uuid(801), case_uuid(802)
QUESTIONS = [
    ("questions", Q1, {"text": "How sure are you of the diagnosis?", "category": "diagnosis",
                       "priority": "high", "order": 1.0, "why": "It decides everything else."}),
    ("questions", Q2, {"text": "What happens if we wait?", "category": "waiting",
                       "order": 2.0}),
    ("questions", Q3, {"text": "How long is the recovery?", "category": "recovery",
                       "priority": "low", "order": 3.0}),
]
OPINIONS = [
    ("opinions", HALE, {"doctor": "Dr Hale", "order": 1}),
    ("opinions", OKAFOR, {"doctor": "Dr Okafor", "order": 2}),
]


def _seed(world, opinions=OPINIONS, questions=QUESTIONS) -> None:
    seed_case(world, CASE, {"title": "Back", "condition": "stenosis"},
              [*opinions, *questions])


def _on_disk(world, case_id: str = CASE):
    """The case as a fresh repository reads it from the files (nothing cached)."""
    fresh = CaseRepository(world.paths, DEVICE, world.repo.clock, TODAY)
    try:
        return fresh.open(case_id).case
    finally:
        fresh.close()


def _question(case, question_id):
    return next((q for q in case.questions if q.id == question_id), None)


def _pane(app):
    return app.screen.query_one("#questions")


def _rows(app) -> list[list[str]]:
    table = _pane(app).table
    return [[c.plain.rstrip() for c in table.get_row_at(n)] for n in range(table.row_count)]


def _texts(app) -> list[str]:
    return [row[4] for row in _rows(app)]


def _detail(app) -> str:
    return str(_pane(app).query_one(".answers-view").content)


async def _open(pilot, app, case_id: str = CASE) -> None:
    app.open_case(case_id)
    await settle(pilot)
    await pilot.press("4")
    await settle(pilot)


async def _to_row(pilot, app, text: str) -> None:
    _pane(app).table.move_cursor(row=_texts(app).index(text))
    await pilot.pause()


async def _press(pilot, *keys: str) -> None:
    for key in keys:
        await pilot.press(key)
        await settle(pilot)


async def _type(pilot, words: str) -> None:
    for char in words:
        await pilot.press("space" if char == " " else char)


def _order_on_disk(world, case_id: str = CASE) -> list[str]:
    return [q.text for q in _on_disk(world, case_id).questions_in_order()]


def test_questions_move_with_keys_and_the_order_is_saved(make_app, world):
    _seed(world)
    app = make_app()
    first, second, third = (QUESTIONS[n][2]["text"] for n in range(3))

    async def steps(pilot):
        await _open(pilot, app)
        assert _texts(app) == [first, second, third]
        await _to_row(pilot, app, third)
        await _press(pilot, "shift+up")
        assert _order_on_disk(world) == [first, third, second]
        assert _question(_on_disk(world), Q3).order == 1.5  # only its own number changed
        assert _question(_on_disk(world), Q2).order == 2.0
        assert _texts(app) == [first, third, second]
        assert [r[1] for r in _rows(app)] == ["1", "2", "3"]
        await _press(pilot, "K")  # the cursor stayed on the question it moved
        assert _order_on_disk(world) == [third, first, second]
        assert _texts(app) == [third, first, second]
        await _press(pilot, "K")  # already first: nothing changes
        assert _order_on_disk(world) == [third, first, second]
        await _press(pilot, "J", "shift+down")
        assert _order_on_disk(world) == [first, second, third]
        assert _texts(app) == [first, second, third]
        await _press(pilot, "ctrl+z")  # undo the last move
        assert _order_on_disk(world) == [first, third, second]

    drive(app, steps)


def test_questions_with_the_same_number_are_numbered_afresh_when_one_moves(make_app, world):
    same = [(t, i, {**v, "order": 0.0}) for t, i, v in QUESTIONS]
    _seed(world, questions=same)
    app = make_app()

    async def steps(pilot):
        await _open(pilot, app)
        shown = _texts(app)
        await _to_row(pilot, app, shown[2])
        await _press(pilot, "shift+up")
        assert _order_on_disk(world) == [shown[0], shown[2], shown[1]]
        assert sorted(q.order for q in _on_disk(world).questions) == [1.0, 2.0, 3.0]
        assert _texts(app) == [shown[0], shown[2], shown[1]]

    drive(app, steps)


def test_moving_while_filtered_passes_the_next_question_shown(make_app, world):
    _seed(world)
    app = make_app()
    first, second, third = (QUESTIONS[n][2]["text"] for n in range(3))

    async def steps(pilot):
        await _open(pilot, app)
        await pilot.press("slash")
        await _type(pilot, "how")  # the first and the third
        await pilot.pause()
        assert _texts(app) == [first, third]
        await pilot.press("enter")  # back to the list, the filter kept
        await _to_row(pilot, app, third)
        await _press(pilot, "shift+up")
        assert _order_on_disk(world) == [third, first, second]
        assert _texts(app) == [third, first]

    drive(app, steps)


def test_space_marks_a_question_asked_and_again_not_asked(make_app, world):
    _seed(world)
    app = make_app()

    async def steps(pilot):
        await _open(pilot, app)
        assert _rows(app)[0][0] == "\u2610"
        await _press(pilot, "space")
        assert _question(_on_disk(world), Q1).asked is True
        assert _rows(app)[0][0] == "\u2714"
        summary = str(_pane(app).query_one(".pane-summary").content)
        assert "1 of 3 asked" in summary
        await _press(pilot, "space")
        assert _question(_on_disk(world), Q1).asked is False
        assert _rows(app)[0][0] == "\u2610"

    drive(app, steps)


def test_each_doctor_answers_and_both_answers_show_under_the_question(make_app, world):
    _seed(world)
    app = make_app()

    async def steps(pilot):
        await _open(pilot, app)
        await _to_row(pilot, app, "What happens if we wait?")
        detail = _detail(app)
        assert "\u2610 Dr Hale (first opinion)  not answered yet" in detail
        assert "\u2610 Dr Okafor (opinion 2)  not answered yet" in detail
        # the first doctor: w, then 1 in the picker
        await _press(pilot, "w")
        assert type(app.screen).__name__ == "AnswerDoctorPickerScreen"
        assert "What happens if we wait?" in screen_text(app)
        await _press(pilot, "1")
        assert type(app.screen).__name__ == "ItemFormScreen"
        await _type(pilot, "Nothing is lost in three months")
        await _press(pilot, "ctrl+s")
        # the second doctor: w, down, enter
        await _press(pilot, "w", "down", "enter")
        assert type(app.screen).__name__ == "ItemFormScreen"
        await _type(pilot, "The pain may grow")
        await _press(pilot, "ctrl+s")
        case = _on_disk(world)
        answers = case.answers_for(Q2)
        assert answers[HALE].text == "Nothing is lost in three months"
        assert answers[OKAFOR].text == "The pain may grow"
        assert case.answers_for(Q1) == {}
        detail = _detail(app)
        assert "\u2714 Dr Hale (first opinion)  Nothing is lost in three months" in detail
        assert "\u2714 Dr Okafor (opinion 2)  The pain may grow" in detail
        assert _rows(app)[1][5] == "2/2"
        assert _rows(app)[0][5] == "0/2"
        shown = screen_text(app)
        assert "Nothing is lost in three months" in shown and "The pain may grow" in shown
        # w on a doctor who answered changes that answer, and adds no second one
        await _press(pilot, "w", "2")
        form = app.screen
        assert form.raw("text") == "The pain may grow"
        form.query_one("#f-text").text = ""
        await _type(pilot, "It may get worse")
        await _press(pilot, "ctrl+s")
        case = _on_disk(world)
        assert len(case.answers) == 2
        assert case.answers_for(Q2)[OKAFOR].text == "It may get worse"
        assert "It may get worse" in _detail(app)

    drive(app, steps)


def test_escape_in_the_doctor_picker_writes_nothing(make_app, world):
    _seed(world)
    app = make_app()

    async def steps(pilot):
        await _open(pilot, app)
        await _press(pilot, "w", "escape")
        assert type(app.screen).__name__ == "CaseScreen"
        assert _on_disk(world).answers == ()

    drive(app, steps)


def test_with_one_doctor_w_still_asks_whose_answer_so_the_1_typed_is_not_in_the_text(
        make_app, world):
    # The person types as they do with two doctors: w, 1 for the first doctor, the answer.
    # The "whose answer?" step must appear every time, or the 1 lands in the text.
    _seed(world, opinions=OPINIONS[:1])
    app = make_app()

    async def steps(pilot):
        await _open(pilot, app)
        await pilot.press("w", "1")
        await _type(pilot, "Most men regain control")
        await _press(pilot, "ctrl+s")
        answer = _on_disk(world).answers_for(Q1)[HALE]
        assert answer.text == "Most men regain control"
        assert answer.question == Q1 and answer.opinion == HALE
        assert "Dr Hale (first opinion)  Most men regain control" in _detail(app)
        # enter chooses the one doctor as well
        await _press(pilot, "w")
        assert type(app.screen).__name__ == "AnswerDoctorPickerScreen"
        assert "1  Dr Hale (first opinion)" in screen_text(app)
        await _press(pilot, "enter")
        assert type(app.screen).__name__ == "ItemFormScreen"
        assert app.screen.raw("text") == "Most men regain control"

    drive(app, steps)


def test_writing_an_answer_marks_the_question_asked_and_one_ctrl_z_takes_both_back(
        make_app, world, monkeypatch):
    _seed(world)
    app = make_app()
    notes = Notes(app, monkeypatch)

    async def steps(pilot):
        await _open(pilot, app)
        await _to_row(pilot, app, "What happens if we wait?")
        assert not _question(_on_disk(world), Q2).asked
        await _press(pilot, "w", "2")
        await _type(pilot, "The pain may grow")
        await _press(pilot, "ctrl+s")
        case = _on_disk(world)
        assert case.answers_for(Q2)[OKAFOR].text == "The pain may grow"
        assert _question(case, Q2).asked
        assert _rows(app)[1][0] != ""  # the Asked column shows it
        assert "ctrl+z" in notes.text()
        await _press(pilot, "ctrl+z")  # one undo: the answer and the mark
        case = _on_disk(world)
        assert case.answers_for(Q2) == {}
        assert not _question(case, Q2).asked
        # an answer left empty is not an answer: the question stays not asked
        await _press(pilot, "w", "1", "ctrl+s")
        assert not _question(_on_disk(world), Q2).asked

    drive(app, steps)


def test_without_an_opinion_w_says_where_to_add_one(make_app, world, monkeypatch):
    _seed(world, opinions=())
    app = make_app()
    notes = Notes(app, monkeypatch)

    async def steps(pilot):
        await _open(pilot, app)
        assert "No opinion yet" in _detail(app)
        await _press(pilot, "w")
        assert type(app.screen).__name__ == "CaseScreen"
        assert "pane 5" in notes.text()
        assert _on_disk(world).answers == ()

    drive(app, steps)


def test_the_filter_finds_questions_and_answers(make_app, world):
    _seed(world, questions=[*QUESTIONS, ("answers", case_uuid(901), {
        "question": Q3, "opinion": HALE, "text": "About six weeks"})])
    app = make_app()

    async def steps(pilot):
        await pilot.pause()
        await _open(pilot, app)
        await pilot.press("slash")
        await _type(pilot, "wait")
        await pilot.pause()
        assert _texts(app) == ["What happens if we wait?"]
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("slash")
        await _type(pilot, "six weeks")  # words of an answer
        await pilot.pause()
        assert _texts(app) == ["How long is the recovery?"]

    drive(app, steps)


def test_a_new_question_goes_to_the_end_of_the_list(make_app, world):
    _seed(world)
    app = make_app()

    async def steps(pilot):
        await _open(pilot, app)
        await _press(pilot, "a")
        await _type(pilot, "Who else should we see?")
        await _press(pilot, "ctrl+s")
        added = [q for q in _on_disk(world).questions if q.text == "Who else should we see?"]
        assert len(added) == 1 and added[0].order == 4.0
        assert _texts(app)[-1] == "Who else should we see?"
        assert _pane(app).highlighted.id == added[0].id  # the cursor went to it

    drive(app, steps)


USER_BANK = """\
id: family-questions
title: Our questions
version: 1
questions:
  - id: travel
    category: recovery
    text: Can he travel by plane after the operation?
"""


def test_questions_a_newer_bank_brings_are_offered_and_added(make_app, world, tmp_path: Path):
    values = {"title": "Back", "condition": "stenosis", **load_content().template_fields()}
    opened = world.repo.create(values, extra=load_content().starter_writes(values))
    count = len(opened.case.questions)
    extra = tmp_path / "user-content"
    (extra / "questions").mkdir(parents=True)
    (extra / "questions" / "family.yaml").write_text(USER_BANK)
    app = make_app(content=load_content([extra]))

    async def steps(pilot):
        await _open(pilot, app, opened.case_id)
        offer = _pane(app).query_one(".pane-offer")
        assert "1 new question is available: press u to add it." in str(offer.content)
        await _press(pilot, "u")
        case = _on_disk(world, opened.case_id)
        assert len(case.questions) == count + 1
        new = next(q for q in case.questions if q.bank_id == "family-questions/travel")
        assert new.category == "recovery"
        assert "Can he travel by plane after the operation?" in _texts(app)
        assert not offer.display

    drive(app, steps)


def test_hostile_names_and_answers_show_literally_in_the_pane_and_the_picker(make_app, world):
    from ui_kit import HOSTILE

    opinions = [("opinions", HALE, {"doctor": "[@click=app.quit]x", "order": 1}),
                ("opinions", OKAFOR, {"doctor": "a\u202eevil\u202c", "order": 2})]
    questions = [("questions", Q1, {"text": "[link=https://e.x]y[/link]", "order": 1.0,
                                    "why": "\x1b[31mred"}),
                 *(("answers", case_uuid(900 + n), {"question": Q1, "opinion": HALE,
                                                    "text": h})
                   for n, h in enumerate(HOSTILE[:1]))]
    _seed(world, opinions=opinions, questions=questions)
    app = make_app()

    async def steps(pilot):
        await _open(pilot, app)
        shown = screen_text(app)
        assert "[@click=app.quit]x (first opinion)  [@click=app.quit]x" in shown
        assert "a\u27e8U+202E\u27e9evil\u27e8U+202C\u27e9 (opinion 2)" in shown
        assert "\u241b[31mred" in shown
        await _press(pilot, "w")
        assert type(app.screen).__name__ == "AnswerDoctorPickerScreen"
        shown = screen_text(app)
        assert "[link=https://e.x]y[/link]" in shown
        assert "1  [@click=app.quit]x (first opinion)" in shown
        await pilot.click("#doctors", offset=(8, 1))
        await settle(pilot)
        assert app.is_running  # no action fired
        assert app.return_code is None

    drive(app, steps)


def test_enter_edits_a_question_and_delete_with_ctrl_z_brings_it_back(make_app, world):
    _seed(world)
    app = make_app()

    async def steps(pilot):
        await _open(pilot, app)
        await _to_row(pilot, app, "What happens if we wait?")
        await _press(pilot, "enter")
        form = app.screen
        assert form.raw("text") == "What happens if we wait?"
        form.query_one("#f-text").value = ""
        await _type(pilot, "What happens if we wait a year?")
        await _press(pilot, "ctrl+s")
        assert _question(_on_disk(world), Q2).text == "What happens if we wait a year?"
        assert _question(_on_disk(world), Q2).order == 2.0  # still in its place
        await _press(pilot, "delete")
        assert _question(_on_disk(world), Q2) is None
        assert "What happens if we wait a year?" not in _texts(app)
        await _press(pilot, "ctrl+z")
        assert _question(_on_disk(world), Q2).text == "What happens if we wait a year?"
        assert _texts(app)[1] == "What happens if we wait a year?"

    drive(app, steps)


ANSWERS = [
    ("answers", case_uuid(901), {"question": Q2, "opinion": HALE, "text": "Slow worsening."}),
    ("answers", case_uuid(902), {"question": Q2, "opinion": OKAFOR, "text": "Nothing bad."}),
    ("answers", case_uuid(903), {"question": Q1, "opinion": HALE, "text": "Quite sure."}),
]


def test_deleting_an_answered_question_asks_with_the_count_and_ctrl_z_brings_all_back(
        make_app, world, monkeypatch):
    _seed(world, questions=[*QUESTIONS, *ANSWERS])
    app = make_app()
    notes = Notes(app, monkeypatch)

    async def steps(pilot):
        await _open(pilot, app)
        await _to_row(pilot, app, "What happens if we wait?")
        await _press(pilot, "delete")
        assert type(app.screen).__name__ == "ConfirmScreen"
        assert "Delete 'What happens if we wait?' and its 2 answers?" in screen_text(app)
        await _press(pilot, "n")  # keep it: nothing written
        assert type(app.screen).__name__ == "CaseScreen"
        assert len(_on_disk(world).answers) == 3

        await _press(pilot, "delete", "y")
        case = _on_disk(world)
        assert _question(case, Q2) is None
        assert [a.text for a in case.answers] == ["Quite sure."]  # tombstoned with it
        repo = CaseRepository(world.paths, DEVICE, world.repo.clock, TODAY)
        try:
            tables = repo.open(CASE).state.tables
        finally:
            repo.close()
        dots = {tuple(tables[t][d]["deleted"][0]["dot"]) for t, d in (
            ("questions", Q2), ("answers", case_uuid(901)), ("answers", case_uuid(902)))}
        assert len(dots) == 1  # one save
        assert "Deleted 'What happens if we wait?' and its 2 answers" in notes.text()
        assert "What happens if we wait?" not in _texts(app)

        await _press(pilot, "ctrl+z")  # one undo: the question and both answers
        case = _on_disk(world)
        assert _question(case, Q2).text == "What happens if we wait?"
        assert {a.text for a in case.answers} == {"Slow worsening.", "Nothing bad.",
                                                  "Quite sure."}
        await _to_row(pilot, app, "What happens if we wait?")
        assert "Slow worsening." in _detail(app) and "Nothing bad." in _detail(app)

        await _to_row(pilot, app, "How long is the recovery?")  # no answers: no question
        await _press(pilot, "delete")
        assert type(app.screen).__name__ == "CaseScreen"
        assert _question(_on_disk(world), Q3) is None

    drive(app, steps)


def _new_case(world):
    from secondview.store.editing import Editor

    return Editor(world.repo).create_case({"title": "Dad - prostate cancer", "cancer": True},
                                          load_content())


def test_the_person_s_own_questions_come_before_the_bank_s(make_app, world):
    opened = _new_case(world)
    bank = [q.text for q in opened.case.questions_in_order()]
    app = make_app(content=load_content())

    async def steps(pilot):
        await _open(pilot, app, opened.case_id)
        assert _texts(app) == bank
        await _press(pilot, "a")
        await _type(pilot, "Will he need a catheter?")
        await _press(pilot, "ctrl+s")
        await _press(pilot, "a")
        await _type(pilot, "Can he still drive?")
        await _press(pilot, "ctrl+s")
        assert _texts(app) == ["Will he need a catheter?", "Can he still drive?", *bank]
        assert _order_on_disk(world, opened.case_id)[:2] == [
            "Will he need a catheter?", "Can he still drive?"]
        assert _pane(app).highlighted.text == "Can he still drive?"

    drive(app, steps)


def test_t_moves_the_highlighted_question_to_the_top(make_app, world):
    _seed(world)
    app = make_app()

    async def steps(pilot):
        await _open(pilot, app)
        await _to_row(pilot, app, "How long is the recovery?")
        await _press(pilot, "t")
        expected = ["How long is the recovery?", "How sure are you of the diagnosis?",
                    "What happens if we wait?"]
        assert _texts(app) == expected
        assert _order_on_disk(world) == expected
        assert _pane(app).highlighted.text == "How long is the recovery?"
        await _press(pilot, "t")  # already at the top: nothing changes
        assert _order_on_disk(world) == expected
        await _press(pilot, "ctrl+z")
        assert _order_on_disk(world)[0] == "How sure are you of the diagnosis?"

    drive(app, steps)


def test_b_browses_the_bank_and_adds_the_picked_questions_at_the_end(make_app, world):
    opened = _new_case(world)
    content = load_content()
    started = [q.text for q in opened.case.questions_in_order()]
    app = make_app(content=content)

    async def steps(pilot):
        await _open(pilot, app, opened.case_id)
        await _press(pilot, "b")
        assert type(app.screen).__name__ == "BankPickerScreen"
        shown = screen_text(app)
        assert "Questions from the bank" in shown
        first = app.screen.rows[0]
        assert first.fits and first.key not in {q.bank_id for q in opened.case.questions}
        assert len(app.screen.rows) == len(content.questions) - len(started)
        assert first.text in shown  # the highlighted one in full
        # space picks the first, down, space picks the second; enter adds both
        second = app.screen.rows[1]
        await _press(pilot, "space", "down", "space", "enter")
        assert type(app.screen).__name__ == "CaseScreen"
        case = _on_disk(world, opened.case_id)
        assert [q.text for q in case.questions_in_order()] == [*started, first.text,
                                                                second.text]
        added = {q.bank_id: q for q in case.questions}
        assert added[first.key].why and not added[first.key].asked
        assert _texts(app)[-2:] == [first.text, second.text]
        # nothing is offered as new content, and the picker no longer lists them
        assert not _pane(app).query_one(".pane-offer").display
        await _press(pilot, "b")
        assert first.key not in {row.key for row in app.screen.rows}
        await _press(pilot, "escape")
        assert len(_on_disk(world, opened.case_id).questions) == len(started) + 2
        await _press(pilot, "ctrl+z")  # one undo takes both away
        assert len(_on_disk(world, opened.case_id).questions) == len(started)

    drive(app, steps)
