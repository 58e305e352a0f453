"""The opinions pane (5): record the first, second and a third opinion through the form, edit
one, delete and undo, read an opinion in full. Each flow is checked on disk (a fresh
repository opens the case) and on the screen."""

from __future__ import annotations

from textual.widgets import Checkbox, Input, Select, TextArea

from secondview.core import model
from secondview.store.repository import CaseRepository
from secondview.ui.forms import form_specs

from ui_kit import DEVICE, HOSTILE, TODAY, case_uuid, drive, screen_text, seed_case, settle

CASE = case_uuid(7)
FIRST, SECOND = case_uuid(101), case_uuid(102)


def on_disk(world):
    """The case as a fresh repository reads it from the files."""
    repo = CaseRepository(world.paths, DEVICE, today=TODAY)
    try:
        return repo.open(CASE).case
    finally:
        repo.close()


def opinions_on_disk(world):
    return sorted(on_disk(world).opinions, key=lambda o: o.order)


async def open_pane(pilot, key="5"):
    await pilot.press("enter")  # the only case in the list
    await settle(pilot)
    await pilot.press(key)
    await settle(pilot)
    return pilot.app.screen.query_one("#opinions")


async def type_into(pilot, name, words, replace=True):
    """Focus the form field ``name`` and type ``words`` (enter starts a new line in a text
    area); ``replace`` clears what the field held first."""
    widget = pilot.app.screen.query_one(f"#f-{name}")
    widget.focus()
    await pilot.pause()
    if replace and isinstance(widget, Input):
        widget.value = ""
    if replace and isinstance(widget, TextArea):
        widget.clear()
    for n, line in enumerate(words.split("\n")):
        if n:
            await pilot.press("enter")
        await pilot.press(*line)
    await pilot.pause()


async def choose(pilot, name, value):
    """Pick ``value`` in the form's Select ``name`` with the keys (enter, down..., enter)."""
    select = pilot.app.screen.query_one(f"#f-{name}", Select)
    select.focus()
    await pilot.pause()
    values = [v for _, v in select._options if v is not Select.NULL]  # noqa: SLF001
    await pilot.press("enter")
    await pilot.pause()
    start = values.index(select.value) if select.value in values else -1
    for _ in range(values.index(value) - start):
        await pilot.press("down")
    await pilot.press("enter")
    await pilot.pause()
    assert select.value == value


def full_view(app):
    return app.screen.query_one("#opinions").full_text()


def row_cells(app):
    table = app.screen.query_one("#opinions .pane-table")
    return [[c.plain for c in table.get_row_at(i)] for i in range(table.row_count)]


def test_first_second_and_third_opinions_added_edited_deleted_and_undone(make_app, world):
    seed_case(world, CASE, {"title": "Mum - knee", "condition": "osteoarthritis"})
    app = make_app()

    async def steps(pilot):
        pane = await open_pane(pilot)
        assert "No opinions yet: press a" in screen_text(app)

        # -- the first opinion --
        await pilot.press("a")
        await settle(pilot)
        form = app.screen
        assert type(form).__name__ == "ItemFormScreen"
        for spec in form_specs("opinions"):  # the form offers every field but two
            assert form.query(f"#f-{spec.name}"), spec.name
        for name in ("diagnosis_relation", "treatment_relation"):  # settled in compare (6)
            assert not form.query(f"#f-{name}"), name
        assert form.query_one("#f-order", Input).value == "1"  # numbered first
        await pilot.press(*"Dr Okafor")  # the first field has the focus
        await type_into(pilot, "specialty", "Orthopaedics")
        await type_into(pilot, "date", "2026-08-01")
        await choose(pilot, "visit_mode", "in_person")
        await type_into(pilot, "diagnosis", "Severe wear")
        await type_into(pilot, "treatment", "Knee replacement")
        await type_into(pilot, "recovery", "Six weeks.\nDriving later.")
        await pilot.press("ctrl+s")  # from a text area
        await settle(pilot)
        assert type(app.screen).__name__ == "CaseScreen"

        [first] = opinions_on_disk(world)
        assert (first.doctor, first.order, first.specialty, first.date, first.visit_mode) == (
            "Dr Okafor", 1, "Orthopaedics", "2026-08-01", "in_person")
        assert first.diagnosis == "Severe wear"
        assert first.recovery == "Six weeks.\nDriving later."
        assert row_cells(app)[0][:2] == ["1 first", "Dr Okafor"]
        shown = screen_text(app)
        assert "1 first" in shown and "Dr Okafor" in shown
        assert "Six weeks." in shown and "Driving later." in shown

        # -- the second opinion --
        await pilot.press("a")
        await settle(pilot)
        assert app.screen.query_one("#f-order", Input).value == "2"
        await pilot.press(*"Dr Lind")
        await type_into(pilot, "institution", "Uni Clinic")
        await choose(pilot, "independent", "yes")
        await type_into(pilot, "diagnosis", "Early wear")
        await type_into(pilot, "treatment", "Physio")
        await type_into(pilot, "if_waiting", "Safe to wait")
        app.screen.query_one("#f-written_copy", Checkbox).focus()
        await pilot.press("space")
        await pilot.press("ctrl+s")  # from a checkbox
        await settle(pilot)

        first, second = opinions_on_disk(world)
        assert first.doctor == "Dr Okafor" and second.doctor == "Dr Lind"
        assert (second.order, second.institution, second.independent) == (
            2, "Uni Clinic", "yes")
        assert second.if_waiting == "Safe to wait" and second.written_copy is True
        assert [r[:2] for r in row_cells(app)] == [["1 first", "Dr Okafor"], ["2", "Dr Lind"]]
        assert pane.highlighted.doctor == "Dr Lind"  # the cursor is on the new one
        assert "Physio" in screen_text(app)
        assert "second opinion" in full_view(app)

        # -- edit the second: only what changed is written --
        await pilot.press("e")
        await settle(pilot)
        assert app.screen.query_one("#f-doctor", Input).value == "Dr Lind"
        await type_into(pilot, "diagnosis", "Early to moderate wear")
        await choose(pilot, "visit_mode", "video")  # ctrl+s from a select
        await pilot.press("ctrl+s")
        await settle(pilot)
        first, second = opinions_on_disk(world)
        assert second.diagnosis == "Early to moderate wear"
        assert second.visit_mode == "video"
        assert second.treatment == "Physio"  # untouched
        assert first.diagnosis == "Severe wear"
        assert "Early to moderate wear" in screen_text(app)

        # -- a third opinion --
        await pilot.press("a")
        await settle(pilot)
        assert app.screen.query_one("#f-order", Input).value == "3"
        await pilot.press(*"Dr Chen")
        await type_into(pilot, "diagnosis", "Moderate wear")
        await type_into(pilot, "notes", "The first two differ")
        await pilot.press("ctrl+s")  # from the last field, far down the form
        await settle(pilot)
        opinions = opinions_on_disk(world)
        assert [(o.doctor, o.order) for o in opinions] == [
            ("Dr Okafor", 1), ("Dr Lind", 2), ("Dr Chen", 3)]
        assert [r[0] for r in row_cells(app)] == ["1 first", "2", "3"]
        assert "third opinion" in full_view(app)
        assert "The first two differ" in full_view(app)

        # -- delete the third, then undo --
        await pilot.press("delete")
        await settle(pilot)
        assert [o.doctor for o in opinions_on_disk(world)] == ["Dr Okafor", "Dr Lind"]
        assert "Dr Chen" not in screen_text(app)
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert [o.doctor for o in opinions_on_disk(world)] == ["Dr Okafor", "Dr Lind", "Dr Chen"]
        assert "Dr Chen" in screen_text(app)

    drive(app, steps)


def test_a_missing_doctor_is_refused_in_the_form_and_nothing_is_saved(make_app, world):
    seed_case(world, CASE, {"title": "Mum - knee"})
    app = make_app()

    async def steps(pilot):
        await open_pane(pilot)
        await pilot.press("a")
        await settle(pilot)
        await type_into(pilot, "diagnosis", "Something")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert type(app.screen).__name__ == "ItemFormScreen"
        assert "Doctor: cannot be empty" in screen_text(app)
        assert on_disk(world).opinions == ()

    drive(app, steps)


ALL_VALUES = {
    "doctor": "Dr Every Field",
    "order": 2,
    "specialty": "value of specialty",
    "institution": "value of institution",
    "independent": "no",
    "visit_mode": "records_review",
    "date": "2026-09-01",
    "diagnosis": "value of diagnosis",
    "stage": "value of stage",
    "treatment": "value of treatment",
    "alternatives": "value of alternatives",
    "risks": "value of risks",
    "side_effects": "value of side effects",
    "goals": "value of goals",
    "recovery": "value of recovery",
    "if_waiting": "value of if waiting",
    "evidence": "value of evidence",
    "written_copy": True,
    "costs": "value of costs",
    "notes": "value of notes, the last field",
}
SHOWN_AS = {"independent": "No", "visit_mode": "Records review only", "written_copy": "Yes",
            "order": "second opinion"}


def test_the_full_view_shows_every_field_and_scrolls_with_the_keys(make_app, world):
    long_risks = " ".join(f"risk{n}" for n in range(60)) + "\nA second paragraph of risks."
    seed_case(world, CASE, {"title": "Mum - knee"}, [
        ("opinions", FIRST, {"doctor": "Dr Okafor", "order": 1, "diagnosis": "Wear"}),
        ("opinions", SECOND, {**ALL_VALUES, "risks": long_risks}),
        ("questions", case_uuid(401), {"text": "What happens if we wait?", "order": 1.0}),
        ("answers", case_uuid(601), {"question": case_uuid(401), "opinion": SECOND,
                                     "text": "Nothing urgent"}),
    ])
    app = make_app()

    async def steps(pilot):
        pane = await open_pane(pilot)
        await pilot.press("down")
        await settle(pilot)
        assert pane.highlighted.id == SECOND
        full = full_view(app)
        for name, value in ALL_VALUES.items():
            if name not in ("order", "risks"):
                label = model.spec("opinions", name).label
                assert f"{label}  {SHOWN_AS.get(name, value)}" in full, name
        assert "second opinion" in full
        assert "What happens if we wait?  Nothing urgent" in full
        # long text wraps inside the terminal, line breaks kept
        lines = screen_text(app).splitlines()
        assert all(len(line) <= 120 for line in lines)
        assert any("risk0" in line for line in lines)
        assert any("risk59" in line for line in lines)
        assert not any("risk0" in line and "risk59" in line for line in lines)
        assert "value of notes, the last field" not in screen_text(app)  # below the fold
        await pilot.press("tab")  # into the full view
        assert app.focused.id == "opinion-full"
        await pilot.press("end")
        await settle(pilot)
        shown = screen_text(app)
        assert "value of notes, the last field" in shown
        assert "Nothing urgent" in shown
        await pilot.press("shift+tab")  # back to the list
        assert app.focused is pane.table

    drive(app, steps, size=(120, 30))


def test_the_opinions_pane_fits_80_by_24(make_app, world):
    seed_case(world, CASE, {"title": "Mum - knee"}, [
        ("opinions", FIRST, {"doctor": "Dr Okafor", "order": 1,
                             "diagnosis": "Severe wear of the knee joint " * 5}),
        ("opinions", SECOND, {"doctor": "Dr Lind", "order": 2, "diagnosis": "Early wear"}),
    ])
    app = make_app()

    async def steps(pilot):
        await open_pane(pilot)
        lines = screen_text(app).splitlines()
        assert len(lines) == 24 and all(len(line) <= 80 for line in lines)
        shown = "\n".join(lines)
        assert "Dr Okafor" in shown and "Dr Lind" in shown and "Diagnosis" in shown

    drive(app, steps, size=(80, 24))


def test_the_long_form_follows_the_focus_and_ctrl_s_saves_from_each_kind_of_field(
        make_app, world):
    seed_case(world, CASE, {"title": "Mum - knee"}, [
        ("opinions", FIRST, {"doctor": "Dr Okafor", "order": 1}),
    ])
    app = make_app()

    async def steps(pilot):
        await open_pane(pilot)
        await pilot.press("e")
        await settle(pilot)
        names = [s.name for s in form_specs("opinions")]
        for n, name in enumerate(names):  # tab down the whole form: each field comes into view
            if n:
                await pilot.press("tab")
            await pilot.pause()
            assert app.focused.id == f"f-{name}"
            assert model.spec("opinions", name).label in screen_text(app), f"{name} unseen"
        await pilot.press("escape")
        await settle(pilot)
        # ctrl+s from a field of each kind (the binding is the form's, whatever has focus)
        kinds = {"doctor": Input, "visit_mode": Select, "written_copy": Checkbox,
                 "notes": TextArea}
        for name, kind in kinds.items():
            await pilot.press("e")
            await settle(pilot)
            widget = app.screen.query_one(f"#f-{name}", kind)
            widget.focus()
            await pilot.pause()
            if kind is Input:
                await pilot.press("end", *"!")
            elif kind is TextArea:
                await pilot.press(*"x")
            elif kind is Checkbox:
                await pilot.press("space")
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert type(app.screen).__name__ == "CaseScreen", f"ctrl+s from {name}"
        item = on_disk(world).opinions[0]
        assert (item.doctor, item.notes, item.written_copy) == ("Dr Okafor!", "x", True)

    drive(app, steps)


def test_hostile_text_in_an_opinion_is_shown_literally_and_does_nothing(make_app, world):
    text_fields = [s.name for s in model.OPINION_FIELDS
                   if s.kind is model.Kind.TEXT and s.name != "doctor"]
    values = {name: HOSTILE[n % len(HOSTILE)] for n, name in enumerate(text_fields)}
    seed_case(world, CASE, {"title": "Hostile"}, [
        ("opinions", FIRST, {"doctor": "[@click=app.quit]Dr", "order": 1, **values}),
        ("questions", case_uuid(401), {"text": "[b]Q[/b] [@click=app.quit]?", "order": 1.0}),
        ("answers", case_uuid(601), {"question": case_uuid(401), "opinion": FIRST,
                                     "text": "[link=https://e.x]y[/link]"}),
    ])
    app = make_app()

    async def steps(pilot):
        await open_pane(pilot)
        full = full_view(app)
        assert "[@click=app.quit]Dr" in full
        assert "[b]Q[/b] [@click=app.quit]?  [link=https://e.x]y[/link]" in full
        assert "\u241b[31mred" in full and "\u27e8U+202E\u27e9" in full
        assert "x" * 10_000 in full.replace("\n", "")
        assert "\x1b" not in full and "\u202e" not in full
        shown = screen_text(app)
        assert "[@click=app.quit]Dr" in shown
        for y in range(1, 27, 2):  # click over the full view's labels and values
            for x in (4, 40):
                await pilot.click("#opinion-full", offset=(x, y))
                await pilot.pause()
        await settle(pilot)
        assert app.is_running and type(app.screen).__name__ == "CaseScreen"

    drive(app, steps)


def test_a_resize_keeps_the_highlighted_opinion_and_fits_the_diagnosis(make_app, world):
    seed_case(world, CASE, {"title": "Mum - knee"}, [
        ("opinions", FIRST, {"doctor": "Dr Okafor", "order": 1, "diagnosis": "Wear " * 30}),
        ("opinions", SECOND, {"doctor": "Dr Lind", "order": 2, "diagnosis": "Early wear"}),
    ])
    app = make_app()

    async def steps(pilot):
        pane = await open_pane(pilot)
        await pilot.press("down")
        await settle(pilot)
        assert pane.highlighted.id == SECOND
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        assert pane.highlighted.id == SECOND
        lines = screen_text(app).splitlines()
        assert all(len(line) <= 80 for line in lines)
        [okafor] = [line for line in lines if "Dr Okafor" in line and "Wear" in line]
        assert okafor.rstrip().endswith("\u2026")  # cut to the column, with an ellipsis
        assert pane.table.virtual_size.width <= pane.table.size.width  # no sideways scroll

    drive(app, steps)


def test_deleting_an_opinion_asks_takes_its_answers_and_ctrl_z_brings_them_back(
        make_app, world):
    question, record, option = case_uuid(201), case_uuid(301), case_uuid(401)
    seed_case(world, CASE, {"title": "Mum - knee"}, [
        ("opinions", FIRST, {"doctor": "Dr Okafor", "order": 1}),
        ("opinions", SECOND, {"doctor": "Dr Lind", "order": 2, "treatment": "Physio"}),
        ("questions", question, {"text": "What if we wait?", "order": 1.0}),
        ("answers", case_uuid(211), {"question": question, "opinion": FIRST, "text": "Worse"}),
        ("answers", case_uuid(212), {"question": question, "opinion": SECOND,
                                     "text": "Nothing bad"}),
        ("records", record, {"title": "MRI report"}),
        ("transfers", case_uuid(311), {"record": record, "recipient": "Dr Lind"}),
        ("options", option, {"title": "Physio", "source": "opinion", "opinion": SECOND,
                             "order": 1.0}),
    ])
    app = make_app()

    async def steps(pilot):
        pane = await open_pane(pilot)
        pane.table.move_cursor(row=1)  # Dr Lind
        await pilot.pause()
        await pilot.press("delete")
        await settle(pilot)
        assert type(app.screen).__name__ == "ConfirmScreen"
        assert app.screen.question == ("Delete 'Dr Lind' and its 1 answer? ctrl+z brings it "
                                       "back.")
        assert "Delete 'Dr Lind' and its 1 answer?" in screen_text(app)
        await pilot.press("y")
        await settle(pilot)
        case = on_disk(world)
        assert [o.doctor for o in case.opinions] == ["Dr Okafor"]
        assert [a.text for a in case.answers] == ["Worse"]
        assert [t.recipient for t in case.transfers] == ["Dr Lind"]  # kept: a fact
        assert [(o.title, o.opinion) for o in case.options] == [("Physio", SECOND)]  # kept

        await pilot.press("7")  # the option stays, its doctor's opinion marked deleted
        await settle(pilot)
        assert "Physio  (recommended; the doctor's opinion was deleted)" in (
            app.screen.query_one("#decision").plain())

        await pilot.press("ctrl+z")
        await settle(pilot)
        case = on_disk(world)
        assert sorted(o.doctor for o in case.opinions) == ["Dr Lind", "Dr Okafor"]
        assert sorted(a.text for a in case.answers) == ["Nothing bad", "Worse"]
        assert "Physio  (Dr Lind, second opinion)" in app.screen.query_one("#decision").plain()

    drive(app, steps)
