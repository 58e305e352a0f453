"""OpinionsPane: every opinion, the first one and each one after it, recorded in full.

Shows the bound ``case``; every change goes up as a message (see ``ListPane``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

from rich.text import Text

from .. import text
from .list_pane import ListPane, conflict_mark

if TYPE_CHECKING:
    from ...core.model import Item


class OpinionsPane(ListPane):
    """The opinions, in order."""

    TABLE = "opinions"
    TITLE = "Opinions"
    NOUN = "opinion"
    COLUMNS = (("#", 3), ("Doctor", 24), ("Specialty", 20), ("Diagnosis", None), ("", 1))
    EMPTY = "No opinions yet: press a to record the first doctor's."
    GUIDANCE = ("Each doctor's opinion in full: diagnosis, treatment, risks and the rest.",)

    def cells(self, item: Item) -> Sequence[Text]:
        return (
            text.cell(item.order or ""),
            text.cell(item.doctor),
            text.cell(item.specialty),
            text.cell(item.diagnosis),
            conflict_mark(item),
        )
