"""PaneTable: the table inside a list pane; its keys ask the pane to add, edit, delete, filter."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.binding import Binding
from .item_table import ItemTable

if TYPE_CHECKING:
    from .list_pane import ListPane


class PaneTable(ItemTable):
    """The pane's table: rows are items, keyed by their id."""

    BINDINGS = [
        Binding("a", "pane_add", "Add", id="pane.add"),
        Binding("e", "pane_edit", "Edit", id="pane.edit"),
        Binding("delete", "pane_delete", "Delete", id="pane.delete"),
        Binding("slash", "pane_filter", "Filter", id="pane.filter"),
    ]

    def action_pane_add(self) -> None:
        self._pane().action_add()

    def action_pane_edit(self) -> None:
        self._pane().action_edit()

    def action_pane_delete(self) -> None:
        self._pane().action_delete()

    def action_pane_filter(self) -> None:
        self._pane().action_filter()

    def _pane(self) -> ListPane:
        from .list_pane import ListPane

        for node in self.ancestors:
            if isinstance(node, ListPane):
                return node
        raise LookupError("a PaneTable lives in a ListPane")
