"""TransfersTable: the transfers of the highlighted record, one row per doctor it must reach.

Lives in the records pane under the records table. Its keys ask the pane to add, edit,
advance or delete a transfer; the pane turns them into messages for the case screen. The
table itself holds no case data beyond its rows and never touches files.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.binding import Binding
from .item_table import ItemTable

if TYPE_CHECKING:
    from .records_pane import RecordsPane


class TransfersTable(ItemTable):
    """Rows are transfers, keyed by their id. ``escape`` goes back to the records."""

    BINDINGS = [
        Binding("a,t", "pane('add_transfer')", "Add transfer", id="transfers.add"),
        Binding("e", "pane('edit_transfer')", "Edit", id="transfers.edit"),
        Binding("s", "pane('advance_transfer')", "Next state", id="transfers.advance"),
        Binding("delete", "pane('delete_transfer')", "Delete", id="transfers.delete"),
        Binding("slash", "pane('filter')", "Filter", id="transfers.filter"),
        Binding("escape", "pane('focus_records')", "Records", id="transfers.back"),
    ]

    def action_pane(self, name: str) -> None:
        """Run the records pane's action ``name`` (the pane decides what it means)."""
        getattr(self._pane(), f"action_{name}")()

    @on(ItemTable.RowSelected)
    def _selected(self, event: ItemTable.RowSelected) -> None:
        # enter edits the transfer; the pane above must not take it for the record
        event.stop()
        self._pane().action_edit_transfer()

    @on(ItemTable.RowHighlighted)
    def _highlighted(self, event: ItemTable.RowHighlighted) -> None:
        event.stop()  # a transfer's row says nothing about which record is highlighted

    def _pane(self) -> RecordsPane:
        from .records_pane import RecordsPane

        for node in self.ancestors:
            if isinstance(node, RecordsPane):
                return node
        raise LookupError("a TransfersTable lives in a RecordsPane")
