"""Hostile text in every field of a case, shown in every pane and every form of the workspace.

A case file can come from anywhere (another device, a sync tool, a stranger), so every text
field here holds markup, links, broken markup, escape sequences, a bidi override, a
10,000-character line, emoji and CJK. Every pane (1 to 7) and every edit form (e on the first
item) is opened and clicked all over: nothing crashes, no action fires (the app keeps running
on the same screen), and the text shows as the characters it is.
"""

from __future__ import annotations

from itertools import cycle

import pytest
from textual.widgets import Input, TextArea

from secondview.core import model
from secondview.ui import text
from secondview.ui.case_panes import PANES

from ui_kit import HOSTILE, case_uuid, drive, screen_lines, screen_text, seed_case, settle

CASE = case_uuid(600)
PANE_KEYS = tuple(key for _, key, *_ in PANES)
LONG = HOSTILE[6]
TALL = (200, 60)


def _hostile_values(table: str, pieces, **fixed):
    """Every field of ``table`` that stores a string gets the next hostile string (choices
    and dates too: a file from elsewhere may hold anything there); true/false and numbers
    keep values of their type (anything else makes the file unreadable, tested elsewhere)."""
    values = {}
    for spec in model.SCHEMA[table]:
        if spec.name in fixed:
            values[spec.name] = fixed[spec.name]
        elif spec.kind in (model.Kind.TEXT, model.Kind.CHOICE, model.Kind.DATE):
            values[spec.name] = next(pieces)
        elif spec.kind is model.Kind.BOOL:
            values[spec.name] = True
        elif spec.kind in (model.Kind.INT, model.Kind.NUMBER):
            values[spec.name] = 1
    return values


def seed_hostile_case(world) -> dict[str, str]:
    """One case with every field of every table filled with hostile strings; returns the
    title."""
    pieces = cycle(HOSTILE)
    title = " ".join(HOSTILE[:6])
    info = _hostile_values("case", pieces, title=title, archived=False, urgency="soon")
    items = []
    ids = {name: [case_uuid(610 + 10 * n + i) for i in range(2)]
           for n, name in enumerate(("checklist", "records", "transfers", "opinions",
                                     "questions", "answers"))}
    for n, doc in enumerate(ids["checklist"]):
        items.append(("checklist", doc, _hostile_values("checklist", pieces, order=n + 1.0)))
    for doc in ids["records"]:
        items.append(("records", doc, _hostile_values("records", pieces)))
    for doc, record in zip(ids["transfers"], ids["records"], strict=False):
        items.append(("transfers", doc, _hostile_values("transfers", pieces, record=record)))
    for n, doc in enumerate(ids["opinions"]):
        items.append(("opinions", doc, _hostile_values("opinions", pieces, order=n + 1)))
    for n, doc in enumerate(ids["questions"]):
        items.append(("questions", doc, _hostile_values("questions", pieces, order=n + 1.0)))
    for doc, question, opinion in zip(ids["answers"], ids["questions"], ids["opinions"],
                                      strict=False):
        items.append(("answers", doc, _hostile_values("answers", pieces, question=question,
                                                      opinion=opinion)))
    items.append(("decision", CASE, _hostile_values("decision", pieces)))
    seed_case(world, CASE, info, items)
    return {"title": title}


def test_every_field_of_the_seeded_case_holds_hostile_text(world):
    seed_hostile_case(world)
    case = world.repo.open(CASE).case
    seen = set()
    for table in model.TABLES:
        if table == "log":
            continue
        for item in case.table(table):
            for spec in model.SCHEMA[table]:
                value = item.values.get(spec.name)
                if spec.kind is model.Kind.TEXT or isinstance(value, str) and value in HOSTILE:
                    seen.add(value)
    assert set(HOSTILE) <= seen
    assert len(case.opinions) == 2 and case.decision is not None and len(case.answers) == 2


MARKERS = ("[@click=app.quit]x", "[link=https://e.x]y[/link]", "[a[0]]", "[/",
           "\u241b[31m", "\u27e8U+202E\u27e9", "\U0001f600", "\u4e2d\u6587", "x" * 12)
"""How the hostile strings look on screen (controls and overrides shown as placeholders)."""
SPOTS_PER_PANE = 14
"""Clicks on hostile text per pane (each click costs Pilot about 0.2 s)."""


def _text_spots(app, lines: range, grid: int = 3) -> list[tuple[int, int]]:
    """Where hostile text shows on ``lines`` of the screen: a point inside each occurrence
    (on the '@' of '[@click', the 'l' of '[link'...), then a ``grid`` by ``grid`` spread
    of points over the rest."""
    spots: list[tuple[int, int]] = []
    for y, line in enumerate(screen_lines(app)):
        if y not in lines:
            continue
        for marker in MARKERS:
            at = line.find(marker)
            while at >= 0:
                spots.append((at + min(2, len(marker) - 1), y))
                at = line.find(marker, at + len(marker))
    spots = list(dict.fromkeys(spots))
    if len(spots) > SPOTS_PER_PANE:  # spread over the whole pane, not its first lines
        step = len(spots) / SPOTS_PER_PANE
        spots = [spots[int(i * step)] for i in range(SPOTS_PER_PANE)]
    if not grid:
        return spots
    width = app.size.width
    xs = range(3, width - 3, max(1, width // grid))
    ys = lines[:: max(1, len(lines) // grid)]
    return spots + [(x, y) for x in xs for y in ys]


async def _click_spots(pilot, spots, screen) -> list[str]:
    """Click each spot on ``screen``; nothing may happen but what the widget under the
    pointer is made for. A click on a table's highlighted row opens that row's edit form
    (as designed): the form is closed again (it asks nothing: nothing was typed) and the
    clicking goes on. Returns the titles of the forms so opened."""
    from secondview.ui.kit.item_table import ItemTable

    app = pilot.app
    opened = []
    for x, y in spots:
        try:
            widget, _ = screen.get_widget_at(x, y)
        except Exception:  # nothing there
            widget = None
        await pilot.click(offset=(x, y))
        assert app.is_running, f"the click at ({x}, {y}) quit the app"
        if app.screen is not screen:
            await pilot.pause()
            assert isinstance(widget, ItemTable), (
                f"a click at ({x}, {y}) on {widget!r} opened {type(app.screen).__name__}")
            assert type(app.screen).__name__ == "ItemFormScreen"
            opened.append(app.screen.form_title)
            await pilot.press("escape")
            await pilot.pause()
            assert app.screen is screen, "the form opened by a click asked before closing"
    return opened


def _case_screen(app):
    return next(s for s in app.screen_stack if type(s).__name__ == "CaseScreen")


@pytest.mark.slow
def test_every_pane_shows_hostile_text_literally_and_clicks_fire_nothing(make_app, world):
    seeded = seed_hostile_case(world)
    app = make_app()

    async def steps(pilot):
        width, height = TALL
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert type(screen).__name__ == "CaseScreen"
        shown_anywhere = []
        for key, (name, *_) in zip(PANE_KEYS, _panes(), strict=True):
            await pilot.press(key)
            await settle(pilot)
            assert screen.pane == name
            shown = screen_text(app)
            shown_anywhere.append(shown)
            assert "\x1b" not in shown and "\u202e" not in shown
            # the title bar, and the pane below the tabs (the footer's keys act when
            # clicked, as they should, so they are left alone)
            spots = (_text_spots(app, range(0, 1), grid=0)[:3]
                     + _text_spots(app, range(4, height - 1)))
            await _click_spots(pilot, spots, screen)
            assert screen.pane == name, f"a click in {name} moved to {screen.pane}"
        everything = "\n".join(shown_anywhere)
        assert text.clean(seeded["title"]) in everything  # the title bar, literally
        for literal in ("[@click=app.quit]x", "[link=https://e.x]y[/link]", "[a[0]]",
                        "\u241b[31mred", "a\u27e8U+202E\u27e9evil", "\U0001f600 emoji",
                        "\u4e2d\u6587 CJK"):
            assert literal in everything, literal
        assert app.is_running

    drive(app, steps, size=TALL)


def _panes():
    from secondview.ui.case_panes import PANES

    return PANES


FORM_PANES = ("overview", "checklist", "records", "questions", "opinions", "decision")
"""The panes whose first item e opens in a form (compare only shows)."""


@pytest.mark.slow
def test_every_edit_form_shows_hostile_text_and_closes_untouched(make_app, world):
    seeded_title = seed_hostile_case(world)["title"]
    app = make_app()
    world.repo.open(CASE)  # opened once: its typed doctor names made the care team (issue 13)
    before = world.repo.own_file(CASE).read_bytes()

    async def steps(pilot):
        _, height = TALL
        await pilot.press("enter")
        await settle(pilot)
        case_screen = app.screen
        names = [p[0] for p in _panes()]
        for pane in FORM_PANES:
            await pilot.press(PANE_KEYS[names.index(pane)])
            await settle(pilot)
            await pilot.press("home", "e")  # the first item
            await settle(pilot)
            form = app.screen
            assert type(form).__name__ == "ItemFormScreen", f"e in {pane} opened no form"
            values = [w.value for w in form.query(Input)] + [w.text for w in form.query(TextArea)]
            literal = {text.clean(h) for h in HOSTILE} | {text.clean(h, True) for h in HOSTILE}
            words = [v for v in values if v and not v.isdigit()]
            assert words, pane
            for value in words:  # each box holds a hostile string, as its characters
                assert value in literal or value == text.clean(seeded_title), (pane, value[:60])
            assert "\x1b" not in screen_text(app)
            # click into every text field (buttons, boxes and lists act when clicked, as
            # they should; text must not)
            spots = []
            for widget in [*form.query(Input), *form.query(TextArea)]:
                region = widget.region
                if region.height and region.y < height - 1:
                    spots += [(region.x + dx, region.y) for dx in (1, 20) if dx < region.width]
            await _click_spots(pilot, spots, form)
            await pilot.press("escape")  # nothing was typed: closes without asking
            await settle(pilot)
            assert app.screen is case_screen, f"{pane}: {type(app.screen).__name__}"
        assert app.is_running

    drive(app, steps, size=TALL)
    assert world.repo.own_file(CASE).read_bytes() == before  # nothing was saved


def test_saving_a_form_rewrites_only_the_field_typed_in(make_app, world):
    seed_hostile_case(world)
    stored = world.repo.open(CASE).case.info.values
    app = make_app()

    async def steps(pilot):
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("e")  # the case form; the title box has the focus
        await settle(pilot)
        form = app.screen
        assert form.raw("notes") == text.clean(stored["notes"], multiline=True)
        form.query_one("#f-title", Input).value = "A plain title"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert type(app.screen).__name__ == "CaseScreen"

    drive(app, steps, size=TALL)
    info = world.repo.open(CASE).case.info.values
    assert info["title"] == "A plain title"
    for name in ("patient", "condition", "notes", "insurance_plan"):
        assert info[name] == stored[name], name  # escape and bidi characters kept as stored
    assert any("\x1b" in str(v) or "\u202e" in str(v) for v in info.values())
