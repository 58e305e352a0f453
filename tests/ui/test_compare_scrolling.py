"""The compare pane with long opinions: it lays out only the rows in view at first (the rest
just after), so these check that whatever is scrolled into view, at any moment, is the right
rows with the two columns side by side, line for line, wide and stacked, cut and in full."""

from __future__ import annotations

import re

from secondview.core.model import compared_fields, spec

from ui_kit import case_uuid, drive, screen_lines, screen_text, seed_case, settle

CASE = case_uuid(8)
A_ID, B_ID = case_uuid(111), case_uuid(112)
WORDS = 150
TEXT_FIELDS = [f.name for f in compared_fields("opinions") if f.multiline]


def words(side: str, field: int) -> str:
    """WORDS words of one length, so both columns wrap alike: a03w017 is side a, field 3,
    word 17."""
    return " ".join(f"{side}{field:02d}w{n:03d}" for n in range(WORDS))


def seed(world) -> None:
    a = {"doctor": "Dr Alpha", "order": 1}
    b = {"doctor": "Dr Beta", "order": 2}
    for i, name in enumerate(TEXT_FIELDS):
        a[name], b[name] = words("a", i), words("b", i)
    q = case_uuid(401)
    seed_case(world, CASE, {"title": "Long"}, [
        ("opinions", A_ID, a), ("opinions", B_ID, b),
        ("questions", q, {"text": "What happens if we wait?", "order": 1.0}),
        ("answers", case_uuid(601), {"question": q, "opinion": A_ID, "text": "It gets worse"}),
        ("answers", case_uuid(602), {"question": q, "opinion": B_ID, "text": "Nothing much"}),
    ])


WORD = re.compile(r"\b([ab])(\d\d)w(\d\d\d)\b")


def check_aligned(lines: list[str], seen: set[tuple[int, int]]) -> None:
    """Every line that holds words of both columns holds the same field's same words on
    both sides (both wrap alike), A's left of B's; notes which (field, first word) lines
    were seen."""
    for line in lines:
        found = [(m[1], int(m[2]), int(m[3]), m.start()) for m in WORD.finditer(line)]
        a = [f for f in found if f[0] == "a"]
        b = [f for f in found if f[0] == "b"]
        if not a and not b:
            continue
        assert a and b, line  # side by side: never one column alone on a line of words
        assert [(f, n) for _, f, n, _ in a] == [(f, n) for _, f, n, _ in b], line
        assert a[-1][3] < b[0][3], line
        seen.add((a[0][1], a[0][2]))


async def open_compare(pilot):
    await pilot.press("enter")
    await settle(pilot)
    await pilot.press("6")
    await pilot.pause()
    return pilot.app.screen.query_one("#compare")


def test_paging_through_long_opinions_shows_every_row_in_order_with_the_columns_aligned(
        make_app, world):
    seed(world)
    app = make_app()

    async def steps(pilot):
        pane = await open_compare(pilot)
        seen: set[tuple[int, int]] = set()
        labels: list[str] = []
        for _ in range(60):  # pages, pressed without waiting for the rows below to be laid out
            lines = screen_lines(app)
            check_aligned(lines, seen)
            # a row's first line: its mark, the label's first word (labels wrap at 18
            # columns) and the first word of both sides
            labels += [n for i, n in enumerate(TEXT_FIELDS) if any(re.match(
                rf"^ *\u2260 +{re.escape(spec('opinions', n).label.split()[0])}\b.*"
                rf"a{i:02d}w000 .*b{i:02d}w000 ", line) for line in lines)]
            if "What happens if we wait?" in screen_text(app):
                break
            await pilot.press("pagedown")
        assert "It gets worse" in screen_text(app) and "Nothing much" in screen_text(app)
        labels = list(dict.fromkeys(labels))
        assert labels == TEXT_FIELDS
        # each field's first line, and the cut note under it, were seen
        assert {(f, 0) for f in range(len(TEXT_FIELDS))} <= seen
        assert screen_text(app).count("more words") in (0, 2, 4)  # both sides, or none
        # the height settles at the full layout: the end is the end
        await settle(pilot)
        await pilot.press("end")
        await settle(pilot)
        assert pane.scroll_y == pane.max_scroll_y > 0
        assert "answered by neither" not in screen_text(app)
        assert re.search(r"What happens if we wait\? +It gets worse +Nothing much",
                         screen_text(app))

    drive(app, steps)


def test_every_word_in_full_text_is_reached_aligned_and_end_goes_to_the_real_end(
        make_app, world):
    seed(world)
    app = make_app()

    async def steps(pilot):
        pane = await open_compare(pilot)
        await pilot.press("f")
        await pilot.press("end")  # at once: the rows below are laid out first
        await pilot.pause()
        await pilot.wait_for_scheduled_animations()  # end scrolls there smoothly
        assert pane.scroll_y == pane.max_scroll_y
        assert "What happens if we wait?" in screen_text(app)
        await pilot.press("home")
        seen: set[tuple[int, int]] = set()
        for _ in range(200):
            check_aligned(screen_lines(app), seen)
            if pane.scroll_y >= pane.max_scroll_y:
                break
            await pilot.press("pagedown")
        last = len(TEXT_FIELDS) - 1
        # every line of every field went by (each line starts a word further on)
        for f in range(len(TEXT_FIELDS)):
            assert {n for g, n in seen if g == f} >= {0}, f
            assert max(n for g, n in seen if g == f) > WORDS - 10, f
        assert (last, 0) in seen

    drive(app, steps)


def test_stacked_at_80_columns_a_long_row_shows_a_above_b_while_paging(make_app, world):
    seed(world)
    app = make_app()

    async def steps(pilot):
        await open_compare(pilot)
        order: list[str] = []
        for _ in range(80):
            for line in screen_lines(app):
                m = re.match(r"^ +([AB])  ([ab])(\d\d)w000\b", line)
                if m:
                    assert m[1].lower() == m[2], line  # A's words under A, B's under B
                    order.append(f"{m[1]}{int(m[3])}")
            if "What happens if we wait?" in screen_text(app):
                break
            await pilot.press("pagedown")
        order = list(dict.fromkeys(order))
        assert order == [f"{s}{f}" for f in range(len(TEXT_FIELDS)) for s in "AB"]

    drive(app, steps, size=(80, 24))
