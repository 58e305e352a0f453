"""CaseSorting: the order of the case list, by any column, either way round.

``s`` sorts by the next column, every one in turn, also those left out at this width (and
the urgency, whose mark is drawn before each title): the list's title then says which
(``sort_note``). ``r`` reverses, ``1`` to ``9`` pick a column shown, a click on a header
sorts by it; the highlighted case stays highlighted. Mixed into the home screen, whose table
and ``_sort`` it uses.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..case_columns import BY_KEY, COLUMN_KEYS, label_of, starts_descending

if TYPE_CHECKING:
    from textual.app import App

    from ..widgets.case_table import CaseTable


class CaseSorting:
    """The case list's sort actions."""

    if TYPE_CHECKING:  # provided by the screen this is mixed into
        app: App[Any]
        table: CaseTable
        sort_column: str
        descending: bool

        def _sort(self, keep: str | None = None) -> None: ...

    def set_sort(self, column: str, descending: bool | None = None) -> None:
        """Sort the list by ``column`` (a key of the table's columns); ``descending`` None
        picks the column's natural first order (text from A, counts and times from the
        most). The highlighted case stays highlighted."""
        if descending is None:
            descending = starts_descending(column)
        self.sort_column, self.descending = column, descending
        self._sort()

    def action_sort_next(self) -> None:
        """Sort by the next column (after the last, back to the first): every column, shown
        at this width or not."""
        at = COLUMN_KEYS.index(self.sort_column) if self.sort_column in COLUMN_KEYS else -1
        self.set_sort(COLUMN_KEYS[(at + 1) % len(COLUMN_KEYS)])

    def sort_note(self) -> str:
        """What the list's title adds when the rows are sorted by a column not shown: which
        one, and why it is not there; "" when its header shows the arrow."""
        column = self.sort_column
        if column in self.table.column_keys or column not in BY_KEY:
            return ""
        host = BY_KEY[column].drawn_in
        if host:
            return f"  \u00b7  sorted by {label_of(column).lower()} (the mark before each title)"
        return f"  \u00b7  sorted by {label_of(column)} (not shown at this width)"

    def action_sort_reverse(self) -> None:
        """Reverse the order of the list."""
        self.set_sort(self.sort_column, not self.descending)

    def action_sort_by(self, number: int) -> None:
        """Sort by the column shown at ``number`` (0 for the first); the same one again
        reverses the order."""
        shown = self.table.column_keys
        if not 0 <= number < len(shown):
            self.app.notify(f"There are {len(shown)} columns at this width.", timeout=3)
            return
        column = shown[number]
        if column == self.sort_column:
            self.action_sort_reverse()
        else:
            self.set_sort(column)

    def on_case_table_header_clicked(self, event: CaseTable.HeaderClicked) -> None:
        """A click on a column's header sorts by it (again: the other way round)."""
        event.stop()
        if event.column == self.sort_column:
            self.action_sort_reverse()
        else:
            self.set_sort(event.column)
