"""TransfersTable: the transfers of the highlighted record, one row per doctor it must reach.

Lives in the records pane under the records table. Its keys (and ``enter`` on a row) post
``TransfersTable.ActionChosen`` naming what the person asked for (add, edit, advance or
delete a transfer, filter, back to the records); the pane decides what that means and turns
it into messages for the case screen. The table holds no case data beyond its rows, never
touches files, and knows nothing of the pane above it.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.binding import Binding, BindingType
from textual.message import Message

from ..kit.item_table import ItemTable


class TransfersTable(ItemTable):
    """Rows are transfers, keyed by their id. ``escape`` goes back to the records."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a,t", "choose('add_transfer')", "Add transfer", id="transfers.add"),
        Binding("e", "choose('edit_transfer')", "Edit", id="transfers.edit"),
        Binding("s", "choose('advance_transfer')", "Next state", id="transfers.advance"),
        Binding("delete", "choose('delete_transfer')", "Delete", id="transfers.delete"),
        Binding("slash", "choose('filter')", "Filter", id="transfers.filter"),
        Binding("escape", "choose('focus_records')", "Records", id="transfers.back"),
    ]

    class ActionChosen(Message):
        """A key of the table asked for ``action`` (a name the records pane knows)."""

        def __init__(self, table: TransfersTable, action: str) -> None:
            super().__init__()
            self.table = table
            self.action = action

        @property
        def control(self) -> TransfersTable:
            return self.table

    def action_choose(self, action: str) -> None:
        """Tell the pane above that ``action`` was asked for."""
        self.post_message(self.ActionChosen(self, action))

    @on(ItemTable.RowSelected)
    def _selected(self, event: ItemTable.RowSelected) -> None:
        # enter edits the transfer; the pane above must not take it for the record
        event.stop()
        self.action_choose("edit_transfer")

    @on(ItemTable.RowHighlighted)
    def _highlighted(self, event: ItemTable.RowHighlighted) -> None:
        event.stop()  # a transfer's row says nothing about which record is highlighted
