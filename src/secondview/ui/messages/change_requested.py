"""ChangeRequested: the person changed an item directly (a toggle, a move), no form needed."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from textual.message import Message


class ChangeRequested(Message):
    """Save ``values`` (typed-in or already typed) to one item of ``table``.

    ``doc_id`` None adds a new item. ``summary`` is the log line and the undo label.
    """

    def __init__(
        self, table: str, doc_id: str | None, values: Mapping[str, Any], summary: str = ""
    ) -> None:
        super().__init__()
        self.table = table
        self.doc_id = doc_id
        self.values = dict(values)
        self.summary = summary
