"""RecordTransfers: the records pane's keys for the transfers of the highlighted record
(add, edit, move to the next state, delete; into and out of the transfers list).

Mixed into ``widgets.records_pane.RecordsPane``, whose case, highlighted record and transfers
table it uses. Every change goes up as a message (``FormRequested``, ``ChangeRequested``,
``DeleteRequested``): it never touches files.
"""

from __future__ import annotations

import datetime as _dt
from typing import TYPE_CHECKING, Any

from . import text
from .messages.change_requested import ChangeRequested
from .messages.delete_requested import DeleteRequested
from .messages.form_requested import FormRequested
from .transfer_rows import STATE_MARKS, next_state

if TYPE_CHECKING:
    from textual.app import App
    from textual.message import Message

    from ..core.model import Case, Item
    from .kit.item_table import ItemTable
    from .widgets.transfers_table import TransfersTable

TRANSFER_FORM = ("recipient", "state", "from_provider", "authorisation_signed", "request_kind",
                 "requested_on", "extended_to", "sent_on", "received_on", "confirmed_on",
                 "waiting_on", "notes")


class RecordTransfers:
    """The transfer keys of the records pane. See the module docstring."""

    if TYPE_CHECKING:  # provided by the pane this is mixed into
        app: App[Any]
        case: Case | None
        today: _dt.date
        table: ItemTable
        transfers_table: TransfersTable

        @property
        def highlighted(self) -> Item | None: ...
        def post_message(self, message: Message) -> bool: ...

    @property
    def highlighted_transfer(self) -> Item | None:
        doc_id = self.transfers_table.cursor_key
        if doc_id is None or self.case is None:
            return None
        return next((t for t in self.case.transfers if t.id == doc_id), None)

    def action_focus_transfers(self) -> None:
        """Move into the highlighted record's transfers."""
        if self.transfers_table.row_count:
            self.transfers_table.focus()

    def action_focus_records(self) -> None:
        """Back up to the records list."""
        self.table.focus()

    def _label(self, transfer: Item) -> str:
        record = next((r for r in self.case.records if r.id == transfer.record), None) \
            if self.case is not None else None
        what = str(record.title) if record is not None else "a record"
        return f"{what[:60]} to {str(transfer.recipient)[:60]}"

    def action_add_transfer(self) -> None:
        """Ask for the form that adds a transfer of the highlighted record to a doctor."""
        record = self.highlighted
        if record is None:
            self.app.notify("Add a record first (a), then say where it goes.", timeout=4)
            return
        self.post_message(FormRequested(
            "transfers", None, TRANSFER_FORM,
            preset={"record": record.id, "requested_on": self.today.isoformat()},
            title=f"Send '{str(record.title)[:50]}' to a doctor",
        ))

    def action_edit_transfer(self) -> None:
        """Ask for the form that edits the highlighted transfer."""
        transfer = self.highlighted_transfer
        if transfer is not None:
            self.post_message(FormRequested("transfers", transfer.id, TRANSFER_FORM,
                                            title=f"Transfer of {self._label(transfer)}"))

    def action_advance_transfer(self) -> None:
        """Move the highlighted transfer to its next state, dated today unless already dated."""
        transfer = self.highlighted_transfer
        if transfer is None:
            return
        state = next_state(str(transfer.state))
        if state is None:
            self.app.notify(f"Already confirmed: {text.clean(self._label(transfer))}.",
                            timeout=4, markup=False)
            return
        values: dict[str, Any] = {"state": state}
        if not str(getattr(transfer, f"{state}_on")).strip():
            values[f"{state}_on"] = self.today.isoformat()
        self.post_message(ChangeRequested("transfers", transfer.id, values,
                                          f"{STATE_MARKS[state]} {state.capitalize()}: "
                                          f"{self._label(transfer)}"))

    def action_delete_transfer(self) -> None:
        """Ask to delete the highlighted transfer (ctrl+z undoes it)."""
        transfer = self.highlighted_transfer
        if transfer is not None:
            self.post_message(DeleteRequested("transfers", transfer.id,
                                              f"transfer of {self._label(transfer)}"))
