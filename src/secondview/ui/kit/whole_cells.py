"""WholeCells: under a narrow table, the highlighted row's words that its columns cut.

An ``ItemTable`` cuts a cell too wide for its column with an ellipsis; on a small terminal
that is most of a checklist item or a question. This line shows, for the highlighted row,
each cut column's cell whole ("Item  Settle whether the visit is in person or by video"),
wrapped as needed. It shows while any row of the table is cut, for whichever row is
highlighted, so the table above keeps its height as the cursor moves; it hides when every
cell fits. Textual has no such part: ``DataTable`` cuts cells the same way and shows them
nowhere else.

Shows what the table holds (cells already cleaned by ``ui/text.py``), as plain text; never
writes.
"""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from .item_table import ItemTable

SEPARATOR = "\n"
"""Between two cut columns' cells (each on its own line)."""


class WholeCells(Static):
    """See the module docstring. ``show_row`` follows the table's cursor."""

    DEFAULT_CSS = """
    WholeCells {
        height: auto;
        max-height: 4;
        padding: 0 1;
    }
    """

    def show_row(self, table: ItemTable) -> bool:
        """Show the cut cells of ``table``'s highlighted row whole, or hide when no column
        is cut (or there is no row). Whether it shows."""
        row = table.cursor_row
        parts: list[Content | tuple[str, str] | str] = []
        if 0 <= row < table.row_count:
            cells = table.get_row_at(row)
            for n in sorted(table.cut_columns()):
                heading = table.columns[n].label
                if n >= len(cells) or not heading:
                    continue
                if parts:
                    parts.append(SEPARATOR)
                # the cell's words only: its colours belong to the row (a done item's fade)
                parts += [(f"{heading}  ", "bold"), Content(cells[n].plain)]
        shown = bool(parts)
        if shown:
            self.update(Content.assemble(*parts))
        self.display = shown
        return shown
