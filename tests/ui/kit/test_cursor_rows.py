"""CursorRows alone: a subclass with plain numbered rows in a tiny host app. What the case list
and the panes' tables share: the keys move a cursor kept in view, the hooks hear moves,
choices and header clicks, and the one-cell scrollbar's thumb follows the rows."""

from __future__ import annotations

from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.strip import Strip

from secondview.ui.kit.cursor_rows import SCROLL_MARK_CELLS, THUMB, CursorRows

from ui_kit import drive, screen_lines, settle


class Numbers(CursorRows):
    """``count`` rows 'row 0', 'row 1'... under a header; every hook noted in ``heard``."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select", id="t.select"),
        Binding("up", "move(-1)", id="t.up"),
        Binding("down", "move(1)", id="t.down"),
        Binding("pagedown", "page(1)", id="t.page_down"),
        Binding("end", "move_to(-1)", id="t.last"),
    ]

    def __init__(self, count: int) -> None:
        super().__init__(id="rows")
        self.count = count
        self.heard: list[tuple[str, int]] = []
        self.virtual_size = Size(20, count + self.header_lines)

    @property
    def row_count(self) -> int:
        return self.count

    def cursor_moved(self, row: int) -> None:
        self.heard.append(("moved", row))

    def row_chosen(self, row: int) -> None:
        self.heard.append(("chosen", row))

    def header_clicked(self, x: int) -> None:
        self.heard.append(("header", x))

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        if y == 0:
            return Strip([Segment("header".ljust(width))], width)
        row = int(self.scroll_offset.y) + y - 1
        mark = "> " if row == self.cursor_row else "  "
        strip = Strip([Segment(f"{mark}row {row}".ljust(width))], width)
        return self.with_scroll_mark(strip, self.thumb_at(y - 1), width, Style())


class Host(App[None]):
    def __init__(self, count: int) -> None:
        super().__init__()
        self.count = count

    def compose(self) -> ComposeResult:
        yield Numbers(self.count)

    def on_mount(self) -> None:
        rows = self.query_one(Numbers)
        rows.styles.height = 6  # a header and five rows
        rows.focus()


def test_keys_move_the_cursor_within_the_rows_and_keep_it_in_view() -> None:
    app = Host(20)

    async def steps(pilot):
        rows = app.query_one(Numbers)
        await pilot.press("up")  # already at the top: stays
        await pilot.press("down", "down")
        await settle(pilot)
        assert rows.cursor_row == 2 and rows.heard[-1] == ("moved", 2)
        await pilot.press("end")
        await settle(pilot)
        assert rows.cursor_row == 19
        assert "> row 19" in "\n".join(screen_lines(app))  # scrolled into view
        assert int(rows.scroll_offset.y) == 15  # just enough: the last five rows show
        await pilot.press("enter")
        await settle(pilot)
        assert rows.heard[-1] == ("chosen", 19)
        rows.move_cursor(99)  # kept within the rows there are
        assert rows.cursor_row == 19

    drive(app, steps, size=(30, 8))


def test_clicks_move_then_choose_and_the_header_reports_where() -> None:
    app = Host(5)

    async def steps(pilot):
        rows = app.query_one(Numbers)
        await pilot.click(Numbers, offset=(3, 2))  # line 0 is the header: row 1
        await settle(pilot)
        assert rows.cursor_row == 1 and ("chosen", 1) not in rows.heard
        await pilot.click(Numbers, offset=(3, 2))
        await settle(pilot)
        assert rows.heard[-1] == ("chosen", 1)
        await pilot.click(Numbers, offset=(4, 0))
        await settle(pilot)
        assert rows.heard[-1] == ("header", 4)

    drive(app, steps, size=(30, 8))


def test_the_thumb_shows_only_when_rows_overflow_and_follows_the_scroll() -> None:
    app = Host(20)

    async def steps(pilot):
        rows = app.query_one(Numbers)
        thumbs = [rows.thumb_at(line) for line in range(5)]
        assert thumbs[0] is True and False in thumbs  # at the top, a part of the track
        await pilot.press("end")
        await settle(pilot)
        assert rows.thumb_at(4) is True and rows.thumb_at(0) is False
        lines = screen_lines(app)[1:6]
        assert lines[-1].rstrip().endswith(THUMB)
        rows.count = 3  # every row shows: no scrollbar at all
        assert rows.thumb_at(0) is None

    drive(app, steps, size=(30, 8))


def test_the_scroll_mark_takes_the_last_cell_only_when_there_is_a_scrollbar() -> None:
    line = Strip([Segment("abcdef")], 6)
    assert CursorRows.with_scroll_mark(line, None, 6, Style()) is line
    marked = CursorRows.with_scroll_mark(line, True, 6, Style())
    assert marked.text == "abcde" + THUMB and SCROLL_MARK_CELLS == 1
    assert CursorRows.with_scroll_mark(line, False, 6, Style()).text == "abcde "
