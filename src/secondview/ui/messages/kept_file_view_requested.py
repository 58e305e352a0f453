"""KeptFileViewRequested: the person asked to read a file kept in the case (an imported note)."""

from __future__ import annotations

from textual.message import Message


class KeptFileViewRequested(Message):
    """Show the kept file ``sha256`` (named ``name``, of ``record_title``): the case screen
    reads it from the case folder, checked against its name, and opens the viewer."""

    def __init__(self, record_title: str, name: str, sha256: str) -> None:
        super().__init__()
        self.record_title = record_title
        self.name = name
        self.sha256 = sha256
