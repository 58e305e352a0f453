"""SearchHits: under the case list, where the filter's text was found in the highlighted case.

One row per hit (``core.search_text.Hit``, found by ``store.search_index``): where it
matched ("Records: MRI lumbar spine", "Transfer to Dr. Patel ...") and the text around the
match. ``enter`` on a row posts ``SearchHits.Chosen``: the list opens the case there (its
pane, the row highlighted). The panel shows only while the filter holds free text that the
highlighted case matches. Shows what it is given; never reads files. Every cell goes
through ``text.cell``.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual import on
from textual.app import ComposeResult
from textual.content import Content
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Static

from ...core.search_text import Hit
from .. import text
from ..kit.item_table import ItemTable

WHERE_WIDTH = 44
"""Cells of the column saying where a hit is (the text around the match takes the rest)."""
NARROW_WHERE = 30
"""The same below ``NARROW`` columns."""
NARROW = 100
SNIPPET_MIN = 16


class SearchHits(Widget):
    """The hits of one case (see the module docstring)."""

    DEFAULT_CSS = """
    SearchHits { display: none; height: auto; max-height: 9;
                 border-top: solid $primary 40%; }
    SearchHits #hits-title { height: 1; padding: 0 1; }
    SearchHits #hits-table { height: auto; max-height: 7; }
    """

    class Chosen(Message):
        """The person chose a hit (``enter`` on its row): open its case there."""

        def __init__(self, hit: Hit) -> None:
            super().__init__()
            self.hit = hit

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.hits: list[Hit] = []
        self._wanted = ""

    def compose(self) -> ComposeResult:
        yield Static(id="hits-title")
        yield ItemTable(id="hits-table")

    @property
    def table(self) -> ItemTable:
        return self.query_one("#hits-table", ItemTable)

    def show(self, hits: Sequence[Hit], wanted: str) -> None:
        """Show ``hits`` (those of one case) for the text ``wanted``; hidden when none.
        Called before the panel is mounted (it is mounted when a search first finds
        something), the rows are filled once it is."""
        self.hits, self._wanted = list(hits), wanted
        self.display = bool(hits)
        if hits and self.is_mounted:
            self._fill()

    def on_mount(self) -> None:
        if self.hits:
            self._fill()

    def _fill(self) -> None:
        hits, wanted = self.hits, self._wanted
        width = self.app.size.width
        where = NARROW_WHERE if width < NARROW else WHERE_WIDTH
        rest = max(width - where - 7, SNIPPET_MIN)
        table = self.table
        table.clear(columns=True)
        table.add_column("Found in", where)
        table.add_column("Text", rest)
        for n, hit in enumerate(hits):
            table.add_row(text.cell(hit.where, where), text.cell(hit.snippet, rest), key=str(n))
        count = f"{len(hits)} place{'' if len(hits) == 1 else 's'}"
        self.query_one("#hits-title", Static).update(Content.assemble(
            text.content(wanted[:40], "bold"), f" found in {count} of ",
            text.content(hits[0].case_title[:60], "bold"),
            ("  enter opens the first, tab picks another" if width >= NARROW else "", "dim")))

    @on(ItemTable.RowSelected, "#hits-table")
    def _chosen(self, event: ItemTable.RowSelected) -> None:
        event.stop()
        if event.row_key is not None and event.row_key.isdigit():
            self.post_message(self.Chosen(self.hits[int(event.row_key)]))
