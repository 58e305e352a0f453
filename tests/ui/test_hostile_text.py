"""Text from a case file or the keyboard is shown literally and never acts."""

from __future__ import annotations

import pytest
from rich.text import Text
from textual.content import Content

from secondview.ui import text

from ui_kit import HOSTILE, case_uuid, drive, screen_text, section, seed_case, settle


@pytest.mark.parametrize("hostile", HOSTILE)
def test_text_helpers_build_plain_text(hostile):
    shown = text.content(hostile)
    assert isinstance(shown, Content)
    assert not shown.spans  # no style, link or action came from the text
    cell = text.cell(hostile)
    assert isinstance(cell, Text) and not cell.spans
    assert "\x1b" not in shown.plain and "\u202e" not in shown.plain
    assert all(ord(ch) >= 0x20 for ch in shown.plain)


def test_controls_and_bidi_overrides_become_visible_placeholders():
    assert text.clean("\x1b[31mred") == "\u241b[31mred"
    assert text.clean("a\u202eevil\u202c") == "a\u27e8U+202E\u27e9evil\u27e8U+202C\u27e9"
    assert text.clean("\u2066x\u2069") == "\u27e8U+2066\u27e9x\u27e8U+2069\u27e9"
    assert text.clean("\x9bx\x7f") == "\u27e8U+009B\u27e9x\u2421"
    assert text.clean("one\ntwo\tthree") == "one\u21b5two three"
    assert text.clean("one\r\ntwo", multiline=True) == "one\ntwo"
    assert text.clean("[@click=app.quit]x") == "[@click=app.quit]x"
    assert text.clean("\u4e2d\u6587 \U0001f600") == "\u4e2d\u6587 \U0001f600"
    assert text.clean(None) == ""


def test_markup_in_content_is_not_parsed():
    shown = text.labelled("Title ", "[b]bold[/b] [@click=app.quit]x")
    assert shown.plain == "Title [b]bold[/b] [@click=app.quit]x"


def _hostile_case(world):
    joined = " ".join(HOSTILE[:6])
    seed_case(
        world,
        case_uuid(66),
        {"title": joined, "condition": "[link=https://e.x]y[/link]", "patient": HOSTILE[6],
         "insurance_plan": HOSTILE[7] + " " + HOSTILE[8], "notes": "line\x1b[2J\nnext"},
        [("opinions", case_uuid(67), {"doctor": "[@click=app.quit]Dr", "order": 1,
                                      "diagnosis": "[red]x[/red]", "treatment": "[/"})],
    )
    return joined


def test_hostile_text_in_the_list_and_overview_is_literal_and_inert(make_app, world):
    joined = _hostile_case(world)
    app = make_app()

    async def steps(pilot):
        listed = screen_text(app)
        assert "[@click=app.qu" in listed  # cut to the column, but literal
        assert "[link=https://e.x]y[/link]" in listed
        # clicking the title in the list opens the case, and does nothing else
        await pilot.click("#cases", offset=(4, 1))
        await settle(pilot)
        assert app.is_running
        assert type(app.screen).__name__ == "CaseScreen"
        case = section(app, "case")
        assert text.clean(joined) in case
        assert "[link=https://e.x]y[/link]" in case
        assert "x" * 10_000 in case
        opinion = section(app, "opinion")
        assert "[@click=app.quit]Dr" in opinion and "[red]x[/red]" in opinion
        shown = screen_text(app)
        assert "[@click=app.quit]x [link=https://e.x]y[/link] [/ [a[0]]" in shown
        assert "\u241b[31mred" in shown and "\u27e8U+202E\u27e9" in shown
        insurance = section(app, "insurance")
        assert "\U0001f600 emoji \u2764\ufe0f \u4e2d\u6587 CJK" in insurance
        # click all over the hostile title (the top bar, and the first lines of the
        # overview below the pane tabs, where it wraps): no action fires
        for y in (0, *range(4, 9)):
            for x in (3, 10, 30, 60, 90):
                await pilot.click(offset=(x, y))
            await pilot.pause()
            assert app.is_running
        assert type(app.screen).__name__ == "CaseScreen"
        assert app.screen.pane == "overview"

    drive(app, steps, size=(220, 50))  # wide: every column of the list, the condition whole


def test_hostile_text_typed_into_the_form_is_saved_and_shown_literally(make_app, world):
    app = make_app()

    async def steps(pilot):
        await pilot.press("n")
        await pilot.pause()
        app.screen.query_one("#title").value = "[@click=app.quit]x [/ [a[0]]"
        app.screen.query_one("#condition").value = "[link=https://e.x]y[/link]"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "[@click=app.quit]x [/ [a[0]]" in screen_text(app)
        await pilot.click("#cases", offset=(5, 1))
        await settle(pilot)
        assert app.is_running
        return app.screen

    drive(app, steps, size=(180, 40))  # the list with its Decision column
    titles = [s.title for s in world.repo.list()]
    assert titles == ["[@click=app.quit]x [/ [a[0]]"]


def test_hostile_titles_in_the_palette_are_literal(make_app, world):
    _hostile_case(world)
    app = make_app()

    async def steps(pilot):
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"open case")
        await pilot.pause(0.5)
        shown = screen_text(app)
        assert "open case [@click=app.quit]x" in shown
        await pilot.press("enter")
        await settle(pilot)
        assert app.is_running
        assert type(app.screen).__name__ == "CaseScreen"

    drive(app, steps)


def test_palette_matching_copes_with_long_repeated_titles():
    # Textual's fuzzy search tries every combination of positions here and never finishes
    from secondview.ui.commands import quick_match

    score, offsets = quick_match("oaaaaaaaaz", "open case " + "a" * 10_000 + "z")
    assert score > 0 and offsets[0] == 0 and offsets[-1] == 10_010
    assert quick_match("zzz", "open case " + "a" * 10_000) == (0.0, [])
    assert quick_match("case a", "open case abc")[1] == list(range(5, 11))
