"""CursorRows: what the case list and the panes' tables share: one-line rows under a header
line, a cursor row kept in view, the keys that move it, and clicks.

A subclass says how many rows there are (``row_count``), what a move of the cursor tells
(``cursor_moved``), what choosing a row does (``row_chosen``), and may answer a click on the
header (``header_clicked``).

The rows draw their own scrollbar: a one-cell column at the right (``SCROLL_MARK_CELLS``),
a thumb of full blocks over a plain track, drawn with each line (``with_scroll_mark``), in
place of Textual's ``ScrollBar`` widget (``overflow-y: hidden``). Textual's scrollbar is a
widget of its own over the rows: each time a pane was shown it was restyled and drawn again,
line by line, twice (a measurable share of a pane switch's budget and a second frame: the
figure is in ui/kit/README.md). The
wheel still scrolls (``allow_vertical_scroll``); the thumb is a shape, not only a colour.
"""

from __future__ import annotations

from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.scroll_view import ScrollView
from textual.strip import Strip

SCROLL_MARK_CELLS = 1
"""Cells at the right of each line kept for the scrollbar."""
THUMB = "\u2588"  # a full block: the thumb shows by its shape too, not only its colour


class CursorRows(ScrollView, can_focus=True):
    """See the module docstring. ``header_lines``: lines above the first row (0 or 1)."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"cursor-rows--scrollbar"}
    DEFAULT_CSS = """
    CursorRows {
        overflow-y: hidden;
    }
    CursorRows > .cursor-rows--scrollbar {
        background: $scrollbar-background;
        color: $scrollbar;
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.cursor_row = 0
        self.header_lines = 1

    @property
    def row_count(self) -> int:
        raise NotImplementedError

    @property
    def allow_vertical_scroll(self) -> bool:
        """The wheel scrolls the rows when they overflow (Textual would ask its scrollbar)."""
        return self.is_scrollable and not self.disabled and self.max_scroll_y > 0

    def cursor_moved(self, row: int) -> None:
        """The cursor is on ``row`` now (or was put there again): tell who listens."""

    def row_chosen(self, row: int) -> None:
        """``row`` was chosen (enter, or a click on the highlighted row)."""

    def header_clicked(self, x: int) -> None:
        """A click on the header, ``x`` cells from the left of the rows."""

    # -- the scrollbar -------------------------------------------------------------------------

    def thumb_at(self, line: int) -> bool | None:
        """Whether the scrollbar's thumb is beside row line ``line`` (0: the first line under
        the header); None when every row shows (no scrollbar then)."""
        shown = self.size.height - self.header_lines
        total = self.row_count
        if shown <= 0 or total <= shown:
            return None
        size = max(1, round(shown * shown / total))
        top = round((shown - size) * self.scroll_offset.y / max(1, total - shown))
        return top <= line < top + size

    @staticmethod
    def with_scroll_mark(strip: Strip, thumb: bool | None, width: int, style: Style) -> Strip:
        """``strip`` cut to ``width`` less the scrollbar's cell, then that cell in ``style``
        (the ``cursor-rows--scrollbar`` component's): the thumb, or the track; ``strip`` as
        it is when ``thumb`` is None (no scrollbar)."""
        if thumb is None:
            return strip
        mark = Segment(THUMB if thumb else " ", style)
        body = strip.crop_extend(0, max(0, width - SCROLL_MARK_CELLS), None)
        return Strip([*body, mark], width)

    # -- the cursor ----------------------------------------------------------------------------

    def move_cursor(self, row: int, animate: bool = False) -> None:
        """Highlight ``row`` (kept within the rows there are) and scroll it into view."""
        if not self.row_count:
            return
        row = max(0, min(row, self.row_count - 1))
        if row != self.cursor_row:
            self.cursor_row = row
            self.refresh()
        self.scroll_to_cursor()
        self.cursor_moved(row)

    def scroll_to_cursor(self) -> None:
        """Scroll just enough for the cursor's row to show under the header."""
        visible = max(1, self.size.height - self.header_lines)
        top = int(self.scroll_offset.y)
        highest = max(0, self.row_count + self.header_lines - self.size.height)
        if self.cursor_row < top:
            top = self.cursor_row
        elif self.cursor_row >= top + visible:
            top = self.cursor_row - visible + 1
        top = min(top, highest)
        if top != int(self.scroll_offset.y):
            self.scroll_to(y=top, animate=False, immediate=True)

    def action_move(self, delta: int) -> None:
        self.move_cursor(self.cursor_row + delta)

    def action_page(self, direction: int) -> None:
        self.move_cursor(self.cursor_row + direction * max(1, self.size.height - 2))

    def action_move_to(self, row: int) -> None:
        self.move_cursor(row if row >= 0 else self.row_count - 1)

    def action_select(self) -> None:
        if 0 <= self.cursor_row < self.row_count:
            self.row_chosen(self.cursor_row)

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        if offset.y < self.header_lines:
            self.header_clicked(offset.x + int(self.scroll_offset.x))
            return
        row = int(self.scroll_offset.y) + offset.y - self.header_lines
        if not 0 <= row < self.row_count:
            return
        if row == self.cursor_row or event.chain > 1:
            self.move_cursor(row)
            self.action_select()
        else:
            self.move_cursor(row)
