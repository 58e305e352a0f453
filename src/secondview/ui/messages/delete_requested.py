"""DeleteRequested: the person asked to delete an item (undone with ctrl+z)."""

from __future__ import annotations

from textual.message import Message


class DeleteRequested(Message):
    """Delete one item of ``table``; ``label`` names it in the confirmation and the undo."""

    def __init__(self, table: str, doc_id: str, label: str = "") -> None:
        super().__init__()
        self.table = table
        self.doc_id = doc_id
        self.label = label
