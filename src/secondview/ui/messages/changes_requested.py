"""ChangesRequested: several items changed or added at once, saved and undone as one."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from textual.message import Message


class ChangesRequested(Message):
    """Save every (table, doc_id, values) of ``changes`` in one save: one file write, one log
    line (``summary``), one ctrl+z.

    A ``doc_id`` the case does not hold adds the item under that id (steps and questions from
    the content set carry ids that are the same on every device); undo deletes it again.
    """

    def __init__(
        self, changes: Sequence[tuple[str, str, Mapping[str, Any]]], summary: str = ""
    ) -> None:
        super().__init__()
        self.changes = [(table, doc_id, dict(values)) for table, doc_id, values in changes]
        self.summary = summary
