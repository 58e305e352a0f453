"""CursorRows: what the case list and the panes' tables share: one-line rows under a header
line, a cursor row kept in view, the keys that move it, and clicks.

A subclass says how many rows there are (``row_count``), what a move of the cursor tells
(``cursor_moved``), what choosing a row does (``row_chosen``), and may answer a click on the
header (``header_clicked``).
"""

from __future__ import annotations

from textual import events
from textual.scroll_view import ScrollView


class CursorRows(ScrollView, can_focus=True):
    """See the module docstring. ``header_lines``: lines above the first row (0 or 1)."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.cursor_row = 0
        self.header_lines = 1

    @property
    def row_count(self) -> int:
        raise NotImplementedError

    def cursor_moved(self, row: int) -> None:
        """The cursor is on ``row`` now (or was put there again): tell who listens."""

    def row_chosen(self, row: int) -> None:
        """``row`` was chosen (enter, or a click on the highlighted row)."""

    def header_clicked(self, x: int) -> None:
        """A click on the header, ``x`` cells from the left of the rows."""

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
