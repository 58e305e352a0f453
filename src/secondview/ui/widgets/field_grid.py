"""FieldGrid: labelled values in two columns, long text wrapped under its value.

Used by the panes that show one item in full (an opinion, the decision). Labels and values
may come from a case (a question's text, a doctor's words), so both are shown literally:
labels are cleaned here, values are given as rich ``Text`` built with ``value_text`` (never
markup). Shows what it is given: no I/O.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from .. import text

Row = tuple[str, Text]
"""(label, value) of one line of the grid; an empty value shows as a dim dash."""

CONFLICT_MARK = "\u2260"


def value_text(value: object, style: str = "") -> Text:
    """A case value as wrapping, literal text: line breaks kept, controls made visible.

    ``True``/``False`` read as yes/no. A long unbroken word folds onto the next line.
    """
    if value is True:
        shown = "yes"
    elif value is False:
        shown = "no"
    else:
        shown = text.clean(value, multiline=True).strip("\n")
    return Text(shown, style=style, overflow="fold", end="")


class FieldGrid(Static):
    """Rows of label and value; ``show`` replaces them. See the module docstring."""

    DEFAULT_CSS = """
    FieldGrid {
        height: auto;
    }
    """

    def __init__(self, label_width: int = 30, *, id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.label_width = label_width
        self.rows: tuple[Row, ...] = ()
        self.marked: frozenset[int] = frozenset()

    def show(self, rows: Sequence[Row], marked: Sequence[int] = ()) -> None:
        """Show ``rows``; the rows at the indexes in ``marked`` get a ≠ after their label
        (two devices saved different values there: a conflict to settle)."""
        self.rows = tuple(rows)
        self.marked = frozenset(marked)
        grid = Table.grid(padding=(0, 1), expand=True)
        grid.add_column(width=self.label_width, overflow="fold")
        grid.add_column(ratio=1, overflow="fold")
        for index, (label, value) in enumerate(self.rows):
            shown_label = Text(text.clean(label), style="bold", overflow="fold", end="")
            if index in self.marked:
                shown_label.append(f" {CONFLICT_MARK}", style="bold reverse")
            grid.add_row(shown_label, value if value.plain else Text("-", style="dim"))
        self.update(grid)

    def plain(self) -> str:
        """The rows as plain text, one 'label  value' per row (for tests and copying)."""
        return "\n".join(
            f"{text.clean(label)}{' ' + CONFLICT_MARK if n in self.marked else ''}  "
            f"{value.plain or '-'}"
            for n, (label, value) in enumerate(self.rows)
        )
