"""The case table on its own terms: keys, clicks and scrolling through many cases."""

from __future__ import annotations

from ui_kit import drive, screen_lines, settle

from secondview.store.repository import CaseSummary
from secondview.ui.widgets.case_table import fit_columns


def _many(world, monkeypatch, count):
    rows = [
        CaseSummary(id=f"{i:08d}-0000-4000-8000-000000000000", title=f"Case {i:04d}",
                    condition="knee" if i % 2 else "heart", phase="deciding",
                    next_step="Add the records", updated_at="2026-09-14T10:30:00.000Z/0000",
                    updated_by="phone")
        for i in range(count)
    ]
    monkeypatch.setattr(world.repo, "indexed", lambda: rows)
    monkeypatch.setattr(world.repo, "refresh", lambda: [])
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
        await pilot.click("#cases", offset=(5, 0))  # the header does nothing
        await pilot.pause()
        assert table.cursor_row == 2

    drive(app, steps)


def test_columns_fit_every_width_and_keep_title_and_next_step():
    for width in range(60, 240, 7):
        fitted = fit_columns(width)
        keys = [c.key for c, _ in fitted]
        assert "title" in keys and "next" in keys and "changed" in keys
        if width >= 80:
            assert sum(cells + 2 for _, cells in fitted) <= width - 2
    assert [c.key for c, _ in fit_columns(120)] == [
        "title", "condition", "phase", "next", "records", "questions", "conflicts",
        "changed", "by"]
