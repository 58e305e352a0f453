"""AttachRequested: the person asked to attach a file or folder to a record."""

from __future__ import annotations

from textual.message import Message


class AttachRequested(Message):
    """Open the attach dialog for the record ``record_id`` (named ``title``); what it hashes
    is saved by the case screen in one save (one ctrl+z)."""

    def __init__(self, record_id: str, title: str) -> None:
        super().__init__()
        self.record_id = record_id
        self.title = title
