"""RecordsPane: the records that exist and, per doctor, where each one is on its way.

Shows the bound ``case``; every change goes up as a message (see ``ListPane``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

from rich.text import Text

from .. import text
from .list_pane import ListPane, conflict_mark

if TYPE_CHECKING:
    from ...core.model import Item


class RecordsPane(ListPane):
    """Each record: kind, title, date, who holds it."""

    TABLE = "records"
    TITLE = "Records"
    NOUN = "record"
    COLUMNS = (("Kind", 18), ("Title", None), ("Date", 12), ("Held by", 24), ("", 1))
    EMPTY = "No records yet: press a to add the first (a lab result, a scan, a report)."
    GUIDANCE = ("The records a second doctor needs, and who holds each one.",)

    def cells(self, item: Item) -> Sequence[Text]:
        return (
            text.cell(str(item.kind).replace("_", " ")),
            text.cell(item.title),
            text.cell(item.date),
            text.cell(item.source),
            conflict_mark(item),
        )
