"""OverviewSection: one section of the case overview (the case, first opinion, insurance...),
drawn as a single widget. Shows the rows it is given; never reads files."""

from __future__ import annotations

from collections.abc import Iterable

from textual.content import Content
from textual.geometry import Size
from textual.widget import Widget

LABEL_WIDTH = 26
"""Cells of the label column; a value's continuation lines start under its first line."""

Row = tuple[str, Content] | Content
"""A ``(label, value)`` pair, or a line of its own (a next step, a note that none exist)."""


class OverviewSection(Widget):
    """One section of the overview, drawn as a single widget: a bold label column
    ``LABEL_WIDTH`` cells wide and a value column that wraps under itself.

    One widget instead of a label and a value widget per row, so that showing the overview
    lays out five widgets, not ninety. ``set_rows`` replaces what it shows and refreshes
    its layout; the values are ``Content`` (never markup), so user text shows literally.
    """

    DEFAULT_CSS = """
    OverviewSection {
        height: auto;
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._rows: list[Row] = []
        self._lines: tuple[int, Content] = (-1, Content())

    def set_rows(self, rows: Iterable[Row]) -> None:
        """Show ``rows`` instead of what is shown; refreshes this widget and its layout."""
        self._rows = list(rows)
        self._lines = (-1, Content())
        self.refresh(layout=True)

    def _content(self, width: int) -> Content:
        """Every row laid out for ``width`` cells, a line break at every wrap (cached)."""
        if self._lines[0] == width:
            return self._lines[1]
        value_width = max(1, width - LABEL_WIDTH)
        indent = " " * LABEL_WIDTH
        lines: list[Content] = []
        for row in self._rows:
            if isinstance(row, Content):
                lines.extend(row.wrap(max(1, width)))
                continue
            label, value = row
            head = Content.assemble((label, "bold"), " " * max(0, LABEL_WIDTH - len(label)))
            for index, line in enumerate(value.wrap(value_width)):
                lines.append((head if index == 0 else Content(indent)) + line)
        shown = Content("\n").join(lines)
        self._lines = (width, shown)
        return shown

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        if not width or not self._rows:
            return 0
        return len(self._content(width).split(allow_blank=True))

    def render(self) -> Content:
        return self._content(self.content_size.width)

    def text(self) -> str:
        """The plain text of the rows, a line per row ('label  value')."""
        return "\n".join(
            row.plain if isinstance(row, Content) else f"{row[0]}  {row[1].plain}"
            for row in self._rows
        )
