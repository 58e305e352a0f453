"""ChecklistPane: the decision checklist, by phase; space ticks an item done or not done.

Shows the bound ``case``; every change goes up as a message (see ``ListPane``).
"""

from __future__ import annotations

import datetime as _dt
from typing import TYPE_CHECKING, Sequence

from rich.text import Text
from textual.binding import Binding
from textual.content import Content

from ...core.model import PHASES
from .. import text
from ..messages import ChangeRequested
from .list_pane import ListPane, conflict_mark, yes_mark

if TYPE_CHECKING:
    from ...core.model import Case, Item

PHASE_WORDS = {
    "deciding": "Deciding whether",
    "preparing": "Preparing",
    "visit": "The visit",
    "after": "After",
}


def _date(value: str) -> _dt.date | None:
    try:
        return _dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


class ChecklistPane(ListPane):
    """The checklist items, phase by phase."""

    TABLE = "checklist"
    TITLE = "Checklist"
    NOUN = "checklist item"
    COLUMNS = (("Done", 4), ("Phase", 16), ("Item", None), ("Due", 12), ("", 1))
    FORM_FIELDS = ("text", "phase", "due", "done", "notes")
    EMPTY = "The checklist is empty: press a to add an item."
    GUIDANCE = (
        "The steps of a second opinion, phase by phase: deciding whether to get one, "
        "preparing, the visit, and after. space ticks the highlighted item done (or not).",
        "a adds your own item, e or enter edits one (notes, a due date), delete removes it "
        "(ctrl+z brings it back). A due date that has passed is marked overdue.",
    )
    BINDINGS = [Binding("space", "toggle", "Done", id="checklist.toggle")]

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.today = _dt.date.today()

    def items(self, case: Case) -> Sequence[Item]:
        order = {p: n for n, p in enumerate(PHASES)}
        return sorted(case.checklist, key=lambda i: (order.get(i.phase, 99), i.order))

    def cells(self, item: Item) -> Sequence[Text]:
        due = _date(item.due)
        late = due is not None and due < self.today and not item.done
        due_cell = text.cell(item.due, style="bold" if late else "")
        if late:
            due_cell.append(" !", style="bold")
        return (
            yes_mark(item.done),
            text.cell(PHASE_WORDS.get(item.phase, item.phase), style="dim" if item.done else ""),
            text.cell(item.text, style="dim" if item.done else ""),
            due_cell,
            conflict_mark(item),
        )

    def summary(self, case: Case) -> Content:
        parts: list[Content | tuple[str, str] | str] = []
        for phase in PHASES:
            items = [i for i in case.checklist if i.phase == phase]
            if not items:
                continue
            done = sum(1 for i in items if i.done)
            mark = "\u2714 " if done == len(items) else ""
            if parts:
                parts.append(("  \u00b7  ", "dim"))
            parts.append((f"{mark}{PHASE_WORDS[phase]} {done}/{len(items)}", "bold"
                          if done == len(items) else ""))
        return Content.assemble(*parts) if parts else Content("")

    def detail(self, item: Item) -> Content:
        parts: list[Content | tuple[str, str]] = []
        due = _date(item.due)
        if due is not None:
            late = due < self.today and not item.done
            parts.append((f"Due {item.due}{' (overdue)' if late else ''}   ", "bold"))
        if str(item.notes).strip():
            parts.append(text.content(item.notes, multiline=True))
        elif not parts:
            parts.append(("No notes. e adds some.", "dim"))
        if item.conflicts:
            parts.append((f"\n\u2260 Two devices changed: {', '.join(sorted(item.conflicts))}",
                          "bold"))
        return Content.assemble(*parts)

    def action_toggle(self) -> None:
        """Tick the highlighted item done, or not done."""
        item = self.highlighted
        if item is None:
            return
        done = not item.done
        self.post_message(ChangeRequested(
            self.TABLE, item.id, {"done": done},
            f"{'Done' if done else 'Not done'}: {str(item.text)[:60]}",
        ))
