"""QuestionsPane: the questions to ask, in order; space marks one asked.

Shows the bound ``case``; every change goes up as a message (see ``ListPane``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

from rich.text import Text
from textual.binding import Binding

from .. import text
from ..messages import ChangeRequested
from .list_pane import ListPane, conflict_mark, yes_mark

if TYPE_CHECKING:
    from ...core.model import Item


class QuestionsPane(ListPane):
    """The question list."""

    TABLE = "questions"
    TITLE = "Questions"
    NOUN = "question"
    COLUMNS = (("Asked", 5), ("Priority", 8), ("Category", 14), ("Question", None), ("", 1))
    FORM_FIELDS = ("text", "category", "priority", "asked", "why")
    EMPTY = "No questions yet: press a to write one."
    GUIDANCE = ("The questions to ask each doctor. space marks the highlighted one asked.",)
    BINDINGS = [Binding("space", "toggle", "Asked", id="questions.toggle")]

    def cells(self, item: Item) -> Sequence[Text]:
        return (
            yes_mark(item.asked),
            text.cell(item.priority),
            text.cell(str(item.category).replace("_", " ")),
            text.cell(item.text, style="dim" if item.asked else ""),
            conflict_mark(item),
        )

    def action_toggle(self) -> None:
        """Mark the highlighted question asked, or not asked."""
        item = self.highlighted
        if item is not None:
            self.post_message(ChangeRequested(self.TABLE, item.id, {"asked": not item.asked},
                                              f"Asked: {str(item.text)[:60]}"))
