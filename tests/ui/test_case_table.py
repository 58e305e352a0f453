"""The case table on its own terms: keys, clicks and scrolling through many cases."""

from __future__ import annotations

import datetime as dt

from secondview.core.case_summary import CaseSummary
from secondview.ui.kit.cursor_rows import SCROLL_MARK_CELLS
from secondview.ui.widgets.case_table import COLUMN_KEYS, fit_columns, sorted_rows

from ui_kit import TODAY, drive, screen_lines, settle


def _many(world, monkeypatch, count):
    rows = [
        CaseSummary(id=f"{i:08d}-0000-4000-8000-000000000000", title=f"Case {i:04d}",
                    condition="knee" if i % 2 else "heart", phase="deciding",
                    next_step="Add the records", updated_at="2026-09-14T10:30:00.000Z/0000",
                    updated_by="phone")
        for i in range(count)
    ]
    monkeypatch.setattr(world.repo, "indexed", lambda: rows)
    monkeypatch.setattr(world.repo, "refresh", lambda progress=None: [])
    return rows


def test_keys_move_the_cursor_and_keep_it_on_screen(make_app, world, monkeypatch):
    _many(world, monkeypatch, 500)
    app = make_app()

    async def steps(pilot):
        table = app.screen.query_one("#cases")
        assert table.current_id().startswith("00000000")
        await pilot.press("down", "down", "down")
        assert table.cursor_row == 3
        await pilot.press("pagedown")
        assert table.cursor_row > 30
        await pilot.press("end")
        await pilot.pause()
        assert table.cursor_row == 499
        assert any("Case 0499" in line for line in screen_lines(app))
        await pilot.press("home")
        await pilot.pause()
        assert table.cursor_row == 0
        assert any("Case 0000" in line for line in screen_lines(app))
        await pilot.press("up")
        assert table.cursor_row == 0

    drive(app, steps)


def test_filtering_many_cases_keeps_only_matches(make_app, world, monkeypatch):
    _many(world, monkeypatch, 2000)
    app = make_app()

    async def steps(pilot):
        await pilot.press("slash", *"case 19")
        await pilot.pause()
        table = app.screen.query_one("#cases")
        titles = [table.row_at(i).title for i in range(table.row_count)]
        assert titles == [f"Case 19{i:02d}" for i in range(100)]

    drive(app, steps)


def test_a_click_highlights_and_a_second_click_opens(make_app, world, monkeypatch):
    rows = _many(world, monkeypatch, 5)
    opened = []
    app = make_app()

    async def steps(pilot):
        home = app.screen
        monkeypatch.setattr(home, "open_case", opened.append)
        table = home.query_one("#cases")
        await pilot.click("#cases", offset=(5, 3))  # header is line 0: this is the third row
        await pilot.pause()
        assert table.cursor_row == 2 and opened == []
        await pilot.click("#cases", offset=(5, 3))
        await settle(pilot)
        assert opened == [rows[2].id]
        await pilot.click("#cases", offset=(5, 0))  # the header sorts (here: the same order)
        await pilot.pause()
        assert table.cursor_row == 2 and opened == [rows[2].id]
        assert table.sort_column == "title"

    drive(app, steps)


def test_columns_fit_every_width_and_keep_title_and_next_step():
    for width in range(60, 240, 7):
        fitted = fit_columns(width)
        keys = [c.key for c, _ in fitted]
        assert "title" in keys and "next" in keys and "changed" in keys
        if width >= 80:
            assert sum(cells + 2 for _, cells in fitted) <= width - SCROLL_MARK_CELLS
    # what the list answers first (late requests, the next visit, what waits on me) stays
    # longest; records, questions, the device and the decision go first
    assert [c.key for c, _ in fit_columns(120)] == [
        "title", "condition", "phase", "next", "overdue", "visit", "mine", "conflicts",
        "changed"]
    assert [c.key for c, _ in fit_columns(80)] == [
        "title", "next", "overdue", "mine", "conflicts", "changed"]
    assert "urgency" not in [c.key for c, _ in fit_columns(240)]  # drawn in the title


def _summary(n, **values):
    return CaseSummary(id=f"{n:08d}-0000-4000-8000-000000000000", **values)


def test_every_column_sorts_and_ties_keep_the_newest_first():
    rows = [
        _summary(1, title="beta", condition="", phase="comparing", next_step="Call",
                 records_confirmed=1, records_total=3, open_questions=2, conflicts=0,
                 updated_at="2026-09-14T10:30:00.000Z/0003", updated_by="phone"),
        _summary(2, title="Alpha", condition="knee", phase="deciding", next_step="add",
                 records_confirmed=1, records_total=5, open_questions=0, conflicts=3,
                 updated_at="2026-09-14T10:30:00.000Z/0002", updated_by="Laptop"),
        _summary(3, title="gamma", condition="Heart", phase="", next_step="book",
                 records_confirmed=0, records_total=0, open_questions=2, conflicts=0,
                 updated_at="2026-09-14T10:30:00.000Z/0001", updated_by="desk"),
    ]

    def order(column, descending=False):
        return [int(r.id[:8]) for r in sorted_rows(rows, column, descending, TODAY)]

    assert order("title") == [2, 1, 3]  # without regard to case
    assert order("title", True) == [3, 1, 2]
    assert order("condition") == [1, 3, 2]
    assert order("phase") == [2, 1, 3]  # in the order of the phases; unknown last
    assert order("next") == [2, 3, 1]
    assert order("records", True) == [2, 1, 3]
    assert order("questions", True) == [1, 3, 2]  # a tie keeps the list's order
    assert order("conflicts", True) == [2, 1, 3]
    assert order("changed", True) == [1, 2, 3]
    assert order("by") == [3, 2, 1]
    assert set(COLUMN_KEYS) == {"title", "condition", "phase", "next", "records", "questions",
                                "conflicts", "changed", "by", "decision", "overdue", "visit",
                                "mine", "urgency"}


def test_the_new_columns_sort_by_what_is_late_next_and_mine_on_the_day_shown():
    rows = [
        _summary(1, urgency="soon", overdue_from="2026-09-01", visit_dates="2026-09-30",
                 waiting_me=5),
        _summary(2, urgency="emergency", overdue_from="2026-08-01 2026-09-10",
                 visit_dates="2026-09-10 2026-09-20", waiting_me=1, my_due="2026-09-01"),
        _summary(3, overdue_from="2026-10-01", waiting_me=9),
    ]

    def order(column, descending, today=TODAY):
        return [int(r.id[:8]) for r in sorted_rows(rows, column, descending, today)]

    assert order("urgency", True) == [2, 1, 3]  # emergency, soon, routine
    assert order("overdue", True) == [2, 1, 3]  # 2 late, 1 late, not yet
    assert order("overdue", True, today=dt.date(2026, 8, 15)) == [2, 1, 3]
    assert order("overdue", True, today=dt.date(2026, 8, 1)) == [2, 1, 3]
    assert order("overdue", True, today=dt.date(2026, 7, 1)) == [1, 2, 3]  # none late: a tie
    assert order("visit", False) == [2, 1, 3]  # the 20th, the 30th, none
    assert order("visit", False, today=dt.date(2026, 9, 21)) == [1, 2, 3]
    assert order("mine", True) == [2, 3, 1]  # one past due first, then by count


def test_the_sort_arrow_never_cuts_a_column_name(make_app, world, monkeypatch):
    _many(world, monkeypatch, 3)
    app = make_app()

    async def steps(pilot):
        home = app.screen
        for column in COLUMN_KEYS:
            home.set_sort(column, False)
            await pilot.pause()
            header = screen_lines(app)[1]
            assert "\u25b2" in header, column
            for label in ("Title", "Condition", "Phase", "Next step", "Records", "Open Q",
                          "Last change", "Device"):
                assert label in header, (column, header)

    drive(app, steps, size=(160, 30))


def test_at_160_columns_a_title_takes_the_room_other_columns_leave(make_app, world):
    """Columns narrower than their room (a short device name) leave it to a long title."""
    from ui_kit import OTHER_DEVICE, case_uuid, seed_case

    seed_case(world, case_uuid(1), {"title": "Dad - prostate cancer",
                                    "condition": "prostate cancer"}, device=OTHER_DEVICE)
    seed_case(world, case_uuid(2), {"title": "Mum - knee", "condition": "knee"},
              device=OTHER_DEVICE)
    app = make_app()

    async def steps(pilot):
        await settle(pilot)
        lines = screen_lines(app)
        assert any("Dad - prostate cancer" in line for line in lines), lines[:4]
        assert all(len(line) <= 160 for line in lines)
        assert "Device" in lines[1] and "phone" in "\n".join(lines)

    drive(app, steps, size=(160, 40))


def test_columns_fitted_to_their_cells_never_pass_the_width():
    wide = {"title": 200, "condition": 90, "next": 300, "by": 40, "phase": 16, "decision": 13}
    narrow = {"title": 6, "condition": 0, "next": 4, "by": 3, "phase": 9, "decision": 0}
    for width in range(60, 240, 7):
        for natural in (wide, narrow):
            fitted = fit_columns(width, natural)
            keys = [c.key for c, _ in fitted]
            assert "title" in keys and "next" in keys and "changed" in keys
            if width >= 80:
                assert sum(cells + 2 for _, cells in fitted) <= width - SCROLL_MARK_CELLS
            assert all(cells >= 1 for _, cells in fitted)
