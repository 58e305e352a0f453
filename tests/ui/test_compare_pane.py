"""The compare pane (6): two opinions row by row with agreement marked, [ and ] choose the
opinions, the doctors' answers side by side, keyboard scrolling, a stacked layout at 80x24.
(The comparison itself, core/compare.py, has its own unit tests.)"""

from __future__ import annotations

import re

from secondview.core.comparison import RowKind

from ui_kit import HOSTILE, Notes, case_uuid, drive, screen_lines, screen_text, seed_case, settle

CASE = case_uuid(7)
OKAFOR, LIND, CHEN = case_uuid(101), case_uuid(102), case_uuid(103)
WAIT_Q, OPTIONS_Q, COST_Q = case_uuid(401), case_uuid(402), case_uuid(403)

PAIR = [
    ("opinions", OKAFOR, {"doctor": "Dr Okafor", "order": 1, "specialty": "Orthopaedic surgery",
                          "date": "2026-08-01", "visit_mode": "in_person",
                          "diagnosis": "Severe wear of the knee joint",
                          "treatment": "Total knee replacement",
                          "risks": "Infection, blood clots", "written_copy": True}),
    ("opinions", LIND, {"doctor": "Dr Lind", "order": 2, "specialty": "Sports medicine",
                        "date": "2026-09-01", "visit_mode": "in_person",
                        "diagnosis": "severe  wear of the KNEE joint",
                        "treatment": "Physiotherapy for three months, then decide",
                        "written_copy": True}),
    ("questions", WAIT_Q, {"text": "What happens if we wait?", "order": 1.0}),
    ("questions", OPTIONS_Q, {"text": "What are the other options?", "order": 2.0}),
    ("questions", COST_Q, {"text": "What will it cost?", "order": 3.0}),
    ("answers", case_uuid(601), {"question": WAIT_Q, "opinion": OKAFOR,
                                 "text": "It will slowly get worse"}),
    ("answers", case_uuid(602), {"question": WAIT_Q, "opinion": LIND,
                                 "text": "Nothing bad; try physio first"}),
    ("answers", case_uuid(603), {"question": OPTIONS_Q, "opinion": LIND,
                                 "text": "Injections or physio"}),
]
THIRD = ("opinions", CHEN, {"doctor": "Dr Chen", "order": 3, "specialty": "Rheumatology",
                            "diagnosis": "Inflammatory arthritis",
                            "treatment": "Total knee replacement"})


async def open_compare(pilot):
    await pilot.press("enter")  # the only case in the list
    await settle(pilot)
    await pilot.press("6")
    await settle(pilot)
    return pilot.app.screen.query_one("#compare")


def line_with(app, *words):
    """The one screen line holding every word in ``words``."""
    hits = [line for line in screen_lines(app) if all(w in line for w in words)]
    assert len(hits) == 1, (words, hits)
    return hits[0]


SAME, DIFFERS, NEITHER = RowKind.SAME, RowKind.DIFFERS, RowKind.NEITHER
ONLY_A, ONLY_B = RowKind.ONLY_LEFT, RowKind.ONLY_RIGHT


def marks(pane):
    return {row.name: row.kind for row in pane.rows}


def test_the_words_that_differ_are_underlined_not_only_coloured():
    from secondview.core.compare import compare_fields
    from secondview.core.model import Item
    from secondview.ui.compare_text import side_text

    a = Item("opinions", OKAFOR, {"treatment": "Knee replacement within a month"})
    b = Item("opinions", LIND, {"treatment": "Physiotherapy within a month"})
    row = next(r for r in compare_fields(a, b) if r.name == "treatment")
    assert row.kind is DIFFERS
    left = side_text(row.left, row.left_spans, row.kind)
    marked = {left.plain[s.start:s.end].strip() for s in left.spans if "underline" in str(s.style)}
    assert "Knee replacement" in marked and "within a month" not in marked
    right = side_text(row.right, row.right_spans, row.kind)
    assert right.plain == "Physiotherapy within a month"
    hostile = side_text("[@click=app.quit]x\x1b", (("[@click=app.quit]x\x1b", True),), DIFFERS)
    assert hostile.plain == "[@click=app.quit]x\u241b"
    assert side_text("  ", (), ONLY_A).plain == "not recorded"


# -- the pane ----------------------------------------------------------------------------------


def test_compare_marks_what_agrees_and_what_differs_row_by_row(make_app, world):
    seed_case(world, CASE, {"title": "Mum - knee"}, PAIR)
    app = make_app()

    async def steps(pilot):
        pane = await open_compare(pilot)
        assert (pane.a_id, pane.b_id) == (OKAFOR, LIND)  # first and second by default
        got = marks(pane)
        assert got["diagnosis"] == SAME and got["visit_mode"] == SAME
        assert got["written_copy"] == SAME
        assert got["treatment"] == DIFFERS and got["specialty"] == DIFFERS
        assert got["risks"] == ONLY_A
        assert got["costs"] == NEITHER
        # on screen: the symbol on the row of each field, both doctors' words side by side
        assert line_with(app, "Diagnosis", "Severe wear of the knee joint",
                         "severe  wear of the KNEE joint").lstrip().startswith("=")
        treatment = line_with(app, "Recommended", "Total knee replacement", "Physiotherapy")
        assert treatment.lstrip().startswith("\u2260")
        assert line_with(app, "Risks", "Infection, blood clots", "not recorded"
                         ).lstrip().startswith("\u25d0")
        shown = screen_text(app)
        assert "A  Dr Okafor  first opinion" in shown and "B  Dr Lind  second opinion" in shown
        assert "= 3 the same   \u2260 2 different   \u25d0\u25d1 1 only one says" in shown
        assert "Neither records:" in shown and "costs" in shown

    drive(app, steps)


def test_answers_are_side_by_side_and_the_pane_scrolls_with_the_keys(make_app, world):
    seed_case(world, CASE, {"title": "Mum - knee"}, PAIR)
    app = make_app()

    async def steps(pilot):
        pane = await open_compare(pilot)
        answers = {r.question.text: (r.kind, r.left, r.right) for r in pane.answer_rows}
        assert answers == {
            "What happens if we wait?": (
                DIFFERS, "It will slowly get worse", "Nothing bad; try physio first"),
            "What are the other options?": (ONLY_B, "", "Injections or physio"),
        }  # the question neither answered is counted under the table
        assert app.focused is pane
        assert "It will slowly get worse" not in screen_text(app)  # below the fold
        await pilot.press("end")
        await settle(pilot)
        assert "Answers to the same questions" in screen_text(app)
        line_with(app, "What happens if we wait?", "It will slowly get worse",
                  "Nothing bad; try physio first")
        line_with(app, "What are the other options?", "not recorded", "Injections or physio")
        assert "1 more question answered by neither" in screen_text(app)
        await pilot.press("home")
        await settle(pilot)
        assert pane.scroll_y == 0
        await pilot.press("pagedown")
        await settle(pilot)
        assert pane.scroll_y > 0

    drive(app, steps, size=(120, 30))


def test_brackets_choose_the_opinions_in_each_column(make_app, world):
    seed_case(world, CASE, {"title": "Mum - knee"}, [*PAIR, THIRD])
    app = make_app()

    async def steps(pilot):
        pane = await open_compare(pilot)
        # the first opinion and the latest one by default
        assert (pane.a_id, pane.b_id) == (OKAFOR, CHEN)
        assert "B  Dr Chen  third opinion" in screen_text(app)
        await pilot.press("right_square_bracket")  # B: the next one, wrapping to Dr Lind
        await settle(pilot)
        assert (pane.a_id, pane.b_id) == (OKAFOR, LIND)
        assert "B  Dr Lind  second opinion" in screen_text(app)
        assert marks(pane)["treatment"] == DIFFERS
        await pilot.press("right_square_bracket")  # B skips Okafor (in A): Dr Chen
        await settle(pilot)
        assert (pane.a_id, pane.b_id) == (OKAFOR, CHEN)
        assert marks(pane)["treatment"] == SAME  # Okafor and Chen both say replacement
        assert marks(pane)["diagnosis"] == DIFFERS
        line_with(app, "Recommended", "Total knee replacement", "Total knee replacement")
        await pilot.press("left_square_bracket")  # A: the next one, Dr Lind
        await settle(pilot)
        assert (pane.a_id, pane.b_id) == (LIND, CHEN)
        assert "A  Dr Lind  second opinion" in screen_text(app)
        assert marks(pane)["treatment"] == DIFFERS
        await pilot.press("left_square_bracket")  # A skips Dr Chen (in B), back to Okafor
        await settle(pilot)
        assert (pane.a_id, pane.b_id) == (OKAFOR, CHEN)
        await pilot.press("right_square_bracket")  # B skips Okafor (in A): Dr Lind
        await settle(pilot)
        assert (pane.a_id, pane.b_id) == (OKAFOR, LIND)

    drive(app, steps)


def test_with_one_opinion_the_pane_explains_and_with_two_the_brackets_say_why_not(
        make_app, world, monkeypatch):
    seed_case(world, CASE, {"title": "Mum - knee"}, PAIR[:1])
    app = make_app()
    notes = Notes(app, monkeypatch)

    async def steps(pilot):
        pane = await open_compare(pilot)
        assert "Two opinions are needed to compare: record the second one" in screen_text(app)
        assert pane.rows == ()
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert app.is_running and pane.rows == ()
        app.screen.save_values("opinions", None, {"doctor": "Dr Lind", "order": 2})
        await settle(pilot)
        assert "B  Dr Lind  second opinion" in screen_text(app)
        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert "Only two opinions are recorded" in notes.text()
        assert (pane.a_id, pane.b_id) == (OKAFOR, pane.opinions()[1].id)

    drive(app, steps)


def test_an_edit_elsewhere_shows_in_the_comparison(make_app, world):
    seed_case(world, CASE, {"title": "Mum - knee"}, PAIR)
    app = make_app()

    async def steps(pilot):
        pane = await open_compare(pilot)
        assert marks(pane)["treatment"] == DIFFERS
        screen = app.screen
        screen.save_values("opinions", LIND, {"treatment": "total knee  Replacement"})
        await settle(pilot)
        assert marks(pane)["treatment"] == SAME
        line_with(app, "Recommended", "Total knee replacement", "total knee  Replacement")

    drive(app, steps)


def test_compare_stacks_the_columns_at_80_by_24(make_app, world):
    seed_case(world, CASE, {"title": "Mum - knee"}, PAIR)
    app = make_app()

    async def steps(pilot):
        pane = await open_compare(pilot)
        assert pane.has_class("-narrow")
        lines = screen_lines(app)
        assert len(lines) == 24 and all(len(line) <= 80 for line in lines)
        shown = "\n".join(lines)
        assert "Verdict: differ" in shown  # the verdict first, then the rows
        for _ in range(30):  # down, line by line, until the first row is in view
            if "B  severe  wear of the KNEE joint" in screen_text(app):
                break
            await pilot.press("down")
            await settle(pilot)
        shown = screen_text(app)
        assert "= Diagnosis  the same" in shown
        assert "A  Severe wear of the knee joint" in shown
        assert "B  severe  wear of the KNEE joint" in shown
        await pilot.press("end")
        await settle(pilot)
        shown = screen_text(app)
        assert "A  It will slowly get worse" in shown
        assert "B  Nothing bad; try physio first" in shown

    drive(app, steps, size=(80, 24))


def test_hostile_text_in_both_opinions_and_answers_is_literal_and_inert(make_app, world):
    fields = ("diagnosis", "stage", "treatment", "alternatives", "risks", "goals",
              "recovery", "evidence", "costs")
    left = {name: HOSTILE[n % len(HOSTILE)] for n, name in enumerate(fields)}
    right = {name: HOSTILE[(n + 1) % len(HOSTILE)] for n, name in enumerate(fields)}
    seed_case(world, CASE, {"title": "Hostile"}, [
        ("opinions", OKAFOR, {"doctor": "[@click=app.quit]A", "order": 1, **left}),
        ("opinions", LIND, {"doctor": "[link=https://e.x]B[/link]", "order": 2, **right}),
        ("questions", WAIT_Q, {"text": "[/", "order": 1.0}),
        ("answers", case_uuid(601), {"question": WAIT_Q, "opinion": OKAFOR,
                                     "text": "\x1b[2Jgone"}),
        ("answers", case_uuid(602), {"question": WAIT_Q, "opinion": LIND,
                                     "text": "a\u202eevil"}),
    ])
    app = make_app()

    async def steps(pilot):
        pane = await open_compare(pilot)
        assert marks(pane)["diagnosis"] == DIFFERS
        shown = screen_text(app)
        assert "A  [@click=app.quit]A" in shown and "B  [link=https://e.x]B[/link]" in shown
        assert "[@click=app.quit]x" in shown and "\u241b[31mred" in shown
        await pilot.press("end")
        await settle(pilot)
        shown = screen_text(app)
        assert "\u241b[2Jgone" in shown and "a\u27e8U+202E\u27e9evil" in shown
        for y in range(4, 36, 2):
            await pilot.click("#compare", offset=(40, y))
            await pilot.pause()
        await settle(pilot)
        assert app.is_running and type(app.screen).__name__ == "CaseScreen"

    drive(app, steps)


# -- differences only, the verdict, relations, a third opinion (issue 5) ---------------------


def on_disk(world):
    """The case as a fresh repository reads it from the files."""
    from secondview.store.repository import CaseRepository

    from ui_kit import DEVICE, TODAY

    repo = CaseRepository(world.paths, DEVICE, today=TODAY)
    try:
        return repo.open(CASE).case
    finally:
        repo.close()


def test_d_shows_only_the_differences_and_says_so(make_app, world):
    seed_case(world, CASE, {"title": "Mum - knee"}, PAIR)
    app = make_app()

    async def steps(pilot):
        await open_compare(pilot)
        assert "d: only the differences" in screen_text(app)
        line_with(app, "Diagnosis", "Severe wear of the knee joint")
        await pilot.press("d")
        await settle(pilot)
        shown = screen_text(app)
        assert "showing only the differences (d shows all)" in shown
        assert "Severe wear of the knee joint" not in shown  # the same: left out
        assert "Neither records:" not in shown
        line_with(app, "Recommended", "Total knee replacement", "Physiotherapy")
        line_with(app, "Risks", "Infection, blood clots", "not recorded")
        await pilot.press("end")
        await settle(pilot)
        line_with(app, "What happens if we wait?", "It will slowly get worse")
        await pilot.press("home", "d")
        await settle(pilot)
        assert "d: only the differences" in screen_text(app)
        line_with(app, "Diagnosis", "Severe wear of the knee joint")

    drive(app, steps)


def test_the_verdict_of_an_agreeing_and_of_a_differing_pair(make_app, world):
    from secondview.core.compare import AGREE_HEADLINES, COVERAGE_NOTE, DIFFER_HEADLINES

    agreeing = [("opinions", OKAFOR, {"doctor": "Dr Okafor", "order": 1,
                                      "diagnosis": "Severe wear of the knee joint",
                                      "treatment": "Total knee replacement"}),
                ("opinions", LIND, {"doctor": "Dr Lind", "order": 2,
                                    "diagnosis": "severe wear of the knee joint",
                                    "treatment": "Total knee replacement"})]
    seed_case(world, CASE, {"title": "Mum - knee"}, agreeing)
    app = make_app()

    async def steps(pilot):
        pane = await open_compare(pilot)
        verdict = app.screen.query_one("#compare").verdict_plain
        assert "Verdict: agree" in verdict
        assert AGREE_HEADLINES[("diagnosis", "treatment")] in verdict
        assert "Medicare" not in verdict and "third opinion" not in verdict
        assert "Diagnosis: looks confirmed: the same words" in verdict
        # the second doctor now says something else entirely
        app.screen.save_values("opinions", LIND, {
            "treatment": "Physiotherapy for three months, then decide"})
        await settle(pilot)
        verdict = app.screen.query_one("#compare").verdict_plain
        assert "Verdict: differ" in verdict
        assert DIFFER_HEADLINES[("treatment",)] in verdict
        assert COVERAGE_NOTE in verdict  # insurers such as Medicare may cover a third one
        assert "o starts a third opinion" in verdict
        assert "Treatment: looks changed:" in verdict
        assert pane.comparison.verdict.kind == "differ"
        assert "Verdict: differ" in screen_text(app)

    drive(app, steps)


def test_D_settles_the_diagnosis_relation_on_disk_and_shows_it_settled(make_app, world):
    # issue 14: D and T cycled and saved on every press; now they open a small picker
    seed_case(world, CASE, {"title": "Mum - knee"}, PAIR)
    app = make_app()

    async def pick(pilot, key, number):
        await pilot.press(key)
        await settle(pilot)
        assert type(app.screen).__name__ == "RelationPickerScreen"
        await pilot.press(number)
        await settle(pilot)
        assert type(app.screen).__name__ == "CaseScreen"

    async def steps(pilot):
        await open_compare(pilot)
        verdict = app.screen.query_one("#compare").verdict_plain
        assert "Diagnosis: looks confirmed: the same words" in verdict
        assert "D settles it" in verdict
        log_before = len(on_disk(world).log)
        await pilot.press("D")
        await settle(pilot)
        picker = app.screen
        assert type(picker).__name__ == "RelationPickerScreen"
        shown = screen_text(app)
        assert "How does B's diagnosis relate to A's?" in shown
        assert "looks confirmed: the same words" in shown
        for word in ("confirmed", "refined", "changed", "unsettled"):
            assert word in shown
        assert len(on_disk(world).log) == log_before  # opening the picker saves nothing
        await pilot.press("escape")
        await settle(pilot)
        assert type(app.screen).__name__ == "CaseScreen"
        assert len(on_disk(world).log) == log_before  # nor does closing it
        await pick(pilot, "D", "1")
        lind = on_disk(world).find(LIND)
        assert lind.diagnosis_relation == "confirmed"
        assert lind.treatment_relation in ("", "unsettled", None)
        await pick(pilot, "D", "2")
        assert on_disk(world).find(LIND).diagnosis_relation == "refined"
        verdict = app.screen.query_one("#compare").verdict_plain
        assert ("Diagnosis: refined (settled by you; secondview suggests confirmed)"
                in verdict)
        assert "Verdict: refine" not in verdict  # the treatment still differs
        await pick(pilot, "T", "3")  # changed, in one step
        assert on_disk(world).find(LIND).treatment_relation == "changed"
        verdict = app.screen.query_one("#compare").verdict_plain
        assert "Treatment: changed (settled by you" in verdict
        await pick(pilot, "D", "4")  # back to unsettled
        assert on_disk(world).find(LIND).diagnosis_relation == "unsettled"
        assert "Diagnosis: looks confirmed:" in app.screen.query_one("#compare").verdict_plain
        assert len(on_disk(world).log) == log_before + 4  # one save per choice made

    drive(app, steps)


def test_a_third_opinion_starts_with_its_transfers_and_open_questions_in_one_save(
        make_app, world):
    scan, letter, notes_ = case_uuid(201), case_uuid(202), case_uuid(203)
    seed_case(world, CASE, {"title": "Mum - knee"}, [
        *PAIR,
        ("records", scan, {"title": "MRI of the knee"}),
        ("records", letter, {"title": "Referral letter"}),
        ("records", notes_, {"title": "GP notes"}),
        ("transfers", case_uuid(301), {"record": scan, "recipient": "Dr Lind",
                                       "state": "confirmed"}),
        ("transfers", case_uuid(302), {"record": letter, "recipient": "dr lind",
                                       "state": "received"}),
        ("transfers", case_uuid(303), {"record": notes_, "recipient": "Dr Okafor",
                                       "state": "confirmed"}),
    ])
    # the cost question was asked of both and answered by neither
    world.repo.update(world.repo.open(CASE), "questions", COST_Q, {"asked": "yes"})
    app = make_app()

    async def steps(pilot):
        await open_compare(pilot)
        log_before = len(on_disk(world).log)
        await pilot.press("o")
        await settle(pilot)
        form = app.screen
        assert type(form).__name__ == "ItemFormScreen"
        assert form.query_one("#f-order").value == "3"
        assert not form.query("#f-diagnosis_relation")
        await pilot.press(*"Dr Chen")
        await pilot.press("ctrl+s")
        await settle(pilot)
        case = on_disk(world)
        chen = next(o for o in case.opinions if o.doctor == "Dr Chen")
        assert chen.order == 3
        mine = sorted((t.record, t.state) for t in case.transfers if t.recipient == "Dr Chen")
        assert mine == sorted([(scan, "requested"), (letter, "requested")])  # sent to Lind
        assert case.find(COST_Q).asked is False  # open again for Dr Chen
        assert case.find(WAIT_Q).asked in (False, None)
        assert len(case.log) == log_before + 1  # one save
        await pilot.press("ctrl+z")
        await settle(pilot)
        case = on_disk(world)
        assert [o.doctor for o in case.opinions if o.doctor == "Dr Chen"] == []
        assert not [t for t in case.transfers if t.recipient == "Dr Chen"]
        assert len(case.transfers) == 3
        assert case.find(COST_Q).asked is True

    drive(app, steps)


def test_a_very_long_field_is_cut_short_with_what_is_left_out_and_f_shows_every_word(
        make_app, world):
    long_a = " ".join(f"word{n}" for n in range(2_000))
    long_b = long_a.replace("word1500 ", "other ")
    seed_case(world, CASE, {"title": "Long"}, [
        ("opinions", OKAFOR, {"doctor": "Dr Okafor", "order": 1, "treatment": long_a}),
        ("opinions", LIND, {"doctor": "Dr Lind", "order": 2, "treatment": long_b}),
    ])
    app = make_app()

    async def steps(pilot):
        pane = await open_compare(pilot)
        assert pane.comparison.row("treatment").kind is DIFFERS
        await pilot.press("end")
        await settle(pilot)
        text_ = screen_text(app)
        note = re.search(r"\u2026 ([\d,]+) more words, ([\d,]+) of them different: f\s",
                         text_)
        assert note, text_
        assert int(note[1].replace(",", "")) > 1_500 and 1 <= int(note[2]) < 10
        assert "word1999" not in text_ and "shows every word" in text_
        assert re.search(r"word86 *\n", text_)  # cut between words
        await pilot.press("f")
        await settle(pilot)
        await pilot.press("end")
        await settle(pilot)
        text_ = screen_text(app)
        assert "f shows every word" not in text_
        assert "word1999" in text_

    drive(app, steps)


def test_a_suggestion_reads_as_words_not_counts(make_app, world):
    # issue 14: "suggested: Keeps 4 of 7 key words and adds 13 of its own" was not help
    seed_case(world, CASE, {"title": "Mum - knee"}, PAIR)
    app = make_app()

    async def steps(pilot):
        await open_compare(pilot)
        verdict = app.screen.query_one("#compare").verdict_plain
        assert "Diagnosis: looks confirmed: the same words" in verdict
        assert "Treatment: looks changed: B says something else" in verdict
        assert "key words" not in verdict and "Keeps" not in verdict
        assert "key words" not in screen_text(app)

    drive(app, steps)


def test_right_bracket_with_only_two_opinions_says_why(make_app, world, monkeypatch):
    # issue 14 lists ] with two opinions as silent; typed as the character it says why
    seed_case(world, CASE, {"title": "Mum - knee"}, PAIR)
    app = make_app()
    notes = Notes(app, monkeypatch)

    async def steps(pilot):
        pane = await open_compare(pilot)
        await pilot.press("]")
        await settle(pilot)
        assert "Only two opinions are recorded" in notes.text()
        assert (pane.a_id, pane.b_id) == (OKAFOR, LIND)

    drive(app, steps)


def test_the_pair_chosen_is_remembered_across_restarts_outside_the_case(make_app, world):
    # issue 14: the compare pane remembers its chosen pair per case (local state, not synced)
    from secondview.store.app_state import AppState

    seed_case(world, CASE, {"title": "Mum - knee"}, [*PAIR, THIRD])
    world.repo.open(CASE)  # opened once: its typed doctor names made the care team (issue 13)
    case_files = {p.name: p.read_bytes() for p in (world.paths.cases_dir / CASE).iterdir()
                  if p.is_file()}
    app = make_app()

    async def choose(pilot):
        pane = await open_compare(pilot)
        assert (pane.a_id, pane.b_id) == (OKAFOR, CHEN)
        await pilot.press("right_square_bracket", "left_square_bracket")
        await settle(pilot)
        assert (pane.a_id, pane.b_id) == (CHEN, LIND)

    drive(app, choose)
    state, _ = AppState.load(world.paths.state_file)
    assert state.pair(CASE) == (CHEN, LIND)
    assert {p.name: p.read_bytes() for p in (world.paths.cases_dir / CASE).iterdir()
            if p.is_file()} == case_files  # the case itself is untouched

    async def reopened(pilot):
        pane = await open_compare(pilot)
        assert (pane.a_id, pane.b_id) == (CHEN, LIND)
        assert "A  Dr Chen  third opinion" in screen_text(pilot.app)

    drive(make_app(), reopened)


def test_an_empty_opinion_just_started_is_not_compared_by_default(make_app, world):
    # issue 14: after o started an empty third opinion, the comparison was against it
    seed_case(world, CASE, {"title": "Mum - knee"}, [
        *PAIR, ("opinions", CHEN, {"doctor": "Dr Chen", "order": 3})])
    app = make_app()

    async def steps(pilot):
        pane = await open_compare(pilot)
        assert (pane.a_id, pane.b_id) == (OKAFOR, LIND)
        assert "Not enough to compare" not in pane.verdict_plain

    drive(app, steps)


def test_at_80_by_24_the_advice_folds_away_and_n_unfolds_it(make_app, world):
    # issue 14: at 80x24 the verdict's advice pushed the table below the fold
    from secondview.core.compare import COVERAGE_NOTE

    seed_case(world, CASE, {"title": "Mum - knee"}, PAIR)
    app = make_app()

    async def steps(pilot):
        pane = await open_compare(pilot)
        shown = screen_text(app)
        assert "Verdict: differ" in shown
        assert "= Diagnosis  the same" in shown  # the first row, without scrolling
        assert "Insurers such as Medicare" not in shown
        assert "n shows them" in shown
        await pilot.press("n")
        await settle(pilot)
        assert COVERAGE_NOTE in pane.verdict_plain
        assert "Insurers such as Medicare" in screen_text(app)
        await pilot.press("n")
        await settle(pilot)
        assert "Insurers such as Medicare" not in screen_text(app)

    drive(app, steps, size=(80, 24))


def test_at_120_by_40_the_advice_shows_and_n_folds_it(make_app, world):
    from secondview.core.compare import COVERAGE_NOTE

    seed_case(world, CASE, {"title": "Mum - knee"}, PAIR)
    app = make_app()

    async def steps(pilot):
        pane = await open_compare(pilot)
        assert COVERAGE_NOTE in pane.verdict_plain
        await pilot.press("n")
        await settle(pilot)
        assert COVERAGE_NOTE not in pane.verdict_plain
        assert "n shows them" in screen_text(app)

    drive(app, steps)
