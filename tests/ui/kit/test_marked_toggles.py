"""Checkboxes and radio buttons show their state by a mark of its own, not only by colour:
in the item form (a real app) and the export dialog."""

from __future__ import annotations

from textual.widgets import Checkbox, RadioButton

from ui_kit import case_uuid, drive, screen_lines, seed_sample, settle


def _line_of(app, widget) -> str:
    return screen_lines(app)[widget.region.y]


def test_a_checkbox_looks_different_ticked_and_not(make_app, world):
    seed_sample(world)
    app = make_app()

    async def steps(pilot):
        app.open_case(case_uuid(1))  # Mum - knee surgery
        await settle(pilot)
        await pilot.press("2")  # the checklist: its first item is done
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        box = app.screen.query_one("#f-done", Checkbox)
        assert box.value
        ticked = _line_of(app, box)
        box.value = False
        await settle(pilot)
        assert _line_of(app, box) != ticked  # another mark, not only another colour

    drive(app, steps)


def test_radio_buttons_look_different_on_and_off(make_app, world):
    seed_sample(world)
    app = make_app()

    async def steps(pilot):
        app.open_case(case_uuid(1))
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        buttons = list(app.screen.query(RadioButton))
        on = next(b for b in buttons if b.value)
        off = next(b for b in buttons if not b.value and b.parent is on.parent)
        mark = on.region.x + 1  # ▐ then the mark
        assert _line_of(app, on)[mark] != _line_of(app, off)[mark]

    drive(app, steps)


def test_the_import_dialog_s_box_looks_different_ticked_and_not(make_app, world):
    seed_sample(world)
    app = make_app()

    async def steps(pilot):
        app.open_case(case_uuid(1))
        await settle(pilot)
        await pilot.press("3", "i")
        await settle(pilot)
        box = app.screen.query_one("#fhir-other", Checkbox)
        off = _line_of(app, box)
        box.value = True
        await settle(pilot)
        assert _line_of(app, box) != off and "\u2714" in _line_of(app, box)

    drive(app, steps)


def test_the_bank_picker_marks_a_picked_question_apart_from_the_others(make_app, world):
    from secondview.store.content_files import load_content

    seed_sample(world)
    app = make_app(content=load_content())

    async def steps(pilot):
        app.open_case(case_uuid(1))
        await settle(pilot)
        await pilot.press("4", "b")
        await settle(pilot)
        listed = app.screen.query_one("#bank-list")
        first = listed.region.y + 1  # the list's top border, then its first item
        assert "\u2714" not in screen_lines(app)[first]
        await pilot.press("space")
        await settle(pilot)
        assert "\u2714" in screen_lines(app)[first]
        assert "\u2714" not in screen_lines(app)[first + 1]

    drive(app, steps)
