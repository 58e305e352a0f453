"""FormRequested: the person asked to add or edit an item in a form."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from textual.message import Message


class FormRequested(Message):
    """Open the item form for ``table``: a new item when ``doc_id`` is None.

    ``fields`` names the fields to show, in order (all of the table's when empty);
    ``preset`` gives starting values for a new item (e.g. the record a transfer is for).
    """

    def __init__(
        self,
        table: str,
        doc_id: str | None = None,
        fields: Sequence[str] = (),
        preset: Mapping[str, Any] | None = None,
        title: str = "",
    ) -> None:
        super().__init__()
        self.table = table
        self.doc_id = doc_id
        self.fields = tuple(fields)
        self.preset = dict(preset or {})
        self.title = title
