"""OpinionsPane: every opinion, the first one and each one after it, recorded in full.

The table lists the opinions in order (the first one marked); the highlighted one is shown in
full underneath, every field, long text wrapped, with the answers that doctor gave to the
case's questions. ``a`` adds an opinion (numbered next), ``e``/``enter`` edits, ``delete``
deletes it with its answers, asking first when there are any (one ctrl+z brings all back;
record transfers to the doctor and options they recommended stay). Shows the bound ``case``;
every change goes up as a message to the case screen (see ``ListPane``). No I/O.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from ...core import care_team, model
from .. import text
from ..messages.form_requested import FormRequested
from .answers_view import ask_before_deleting
from .field_grid import FieldGrid, value_text
from .list_pane import ListPane, conflict_mark

if TYPE_CHECKING:
    from textual import events

    from ...core.model import Case, Item

ORDINALS = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth", 6: "sixth"}
def field_words(spec: model.FieldSpec, value: Any) -> Any:
    """A stored value as a person reads it: ``in_person`` -> ``In person``, True -> Yes
    (``FieldSpec.label_of``, as everywhere)."""
    if spec.kind in (model.Kind.CHOICE, model.Kind.BOOL):
        return spec.label_of(value)
    return value


def role(item: Item, first: Item | None) -> str:
    """'first opinion', 'second opinion'..., or 'opinion' when it has no number."""
    if first is not None and first.id == item.id:
        return "first opinion"
    number = item.order
    if number in ORDINALS:
        return f"{ORDINALS[number]} opinion"
    return f"opinion {number}" if number else "opinion"


class OpinionsPane(ListPane):
    """The opinions, in order, and the highlighted one in full. See the module docstring."""

    DEFAULT_CSS = """
    #opinion-full {
        height: 1fr;
        padding: 0 1;
        border-top: solid $primary 40%;
    }
    #opinion-full:focus {
        border-top: heavy $accent;
    }
    #opinion-heading {
        margin-bottom: 1;
    }
    #opinion-answers-title {
        margin-top: 1;
    }
    """

    TABLE = "opinions"
    TITLE = "Opinions"
    NOUN = "opinion"
    COLUMNS = (("Opinion", 8), ("Doctor", 18), ("Specialty", 16), ("Date", 10),
               ("Diagnosis", 40), ("", 1))
    DIAGNOSIS_COLUMN = 4
    """The diagnosis takes what the other columns leave of the pane's width."""
    EMPTY = "No opinions yet: press a to record the first doctor's."
    GUIDANCE = (
        "Each doctor's opinion in full: who they are, how you saw them, the diagnosis, the "
        "treatment they recommend, the alternatives, risks, side effects, goals, recovery, "
        "what happens if you wait, the evidence they cited, costs and your notes.",
        "a adds an opinion (numbered after the last one), e or enter edits the highlighted "
        "one, delete removes it with the answers that doctor gave (it asks first when there "
        "are any; ctrl+z brings them back). The form is long: tab moves on, "
        "ctrl+s saves from any field.",
        "The highlighted opinion is shown in full under the list; tab moves into it, the "
        "arrow and page keys scroll it, shift+tab goes back to the list.",
    )

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.diagnosis_width = dict(self.COLUMNS)["Diagnosis"]
        """The opinions there were when ``a`` was pressed: the one that appears next is the
        one just added, and the cursor moves to it."""

    # -- building -----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        for widget in super().compose():
            if widget.has_class("pane-detail"):
                continue  # the full view below replaces the one-line detail
            yield widget
        yield VerticalScroll(
            Static(id="opinion-heading"),
            FieldGrid(id="opinion-fields"),
            Static(id="opinion-answers-title"),
            FieldGrid(id="opinion-answers"),
            id="opinion-full",
        )

    def on_resize(self, event: events.Resize) -> None:
        """Give the diagnosis column what the pane's width leaves (no sideways scrolling)."""
        others = sum(w + 2 for n, (_, w) in enumerate(self.COLUMNS)
                     if n != self.DIAGNOSIS_COLUMN)  # 2: a cell's padding
        width = max(12, event.size.width - others - 4)  # 4: its padding and a scrollbar
        if width == self.diagnosis_width:
            return
        self.diagnosis_width = width
        table = self.table
        keep = self.highlighted_id
        table.clear(columns=True)
        for n, (heading, fixed) in enumerate(self.COLUMNS):
            table.add_column(heading, width=width if n == self.DIAGNOSIS_COLUMN else fixed)
        self.rebuild()
        ids = [i.id for i in self.visible_items()]
        if keep in ids:  # the same opinion stays highlighted
            table.move_cursor(row=ids.index(keep), animate=False)

    # -- what the list shows ------------------------------------------------------------------

    def items(self, case: Case) -> Sequence[Item]:
        return case.opinions_in_order()

    def cells(self, item: Item) -> Sequence[Text]:
        first = self.case.first_opinion() if self.case is not None else None
        number = text.cell(item.order or "-")
        if first is not None and first.id == item.id:
            number.append(" first", style="bold")
        return (
            number,
            text.cell(self.doctor(item), 18),
            text.cell(item.specialty, 16),
            text.cell(item.date),
            text.cell(item.diagnosis, self.diagnosis_width),
            conflict_mark(item),
        )

    def doctor(self, item: Item) -> str:
        """The opinion's doctor as the care team names them (``care_team.doctor_name``)."""
        return care_team.doctor_name(self.case, item) if self.case is not None else ""

    def summary(self, case: Case) -> Content:
        count = len(case.opinions)
        if not count:
            return Content("")
        first = case.first_opinion()
        parts: list[Content | tuple[str, str]] = [
            (f"{count} opinion{'s' if count != 1 else ''}", "bold"),
        ]
        if first is not None:
            parts += [("  \u00b7  first: ", "dim"), text.content(self.doctor(first))]
        if count == 1:
            parts.append(("  \u00b7  a adds the second opinion", "dim"))
        else:
            parts.append(("  \u00b7  6 compares two of them", "dim"))
        return Content.assemble(*parts)

    # -- the full view ------------------------------------------------------------------------

    def _show_detail(self) -> None:
        self.show_full(self.highlighted)

    def show_full(self, item: Item | None) -> None:
        """Show every field of ``item`` (and its doctor's answers) under the list."""
        full = self.query_one("#opinion-full", VerticalScroll)
        full.display = item is not None
        if item is None or self.case is None:
            return
        first = self.case.first_opinion()
        heading: list[Content | tuple[str, str]] = [
            text.content(self.doctor(item) or "(no name)", "bold"),
            (f"  {role(item, first)}", ""),
        ]
        if item.order:
            heading.append((f"  (number {item.order})", "dim"))
        if item.conflicts:
            heading.append(("  \u2260 two devices saved different values: settle them with e",
                            "bold"))
        self.query_one("#opinion-heading", Static).update(Content.assemble(*heading))
        shown = model.listed_fields("opinions")  # its number is in the heading
        rows = [(s.label, value_text(field_words(s, getattr(item, s.name)))) for s in shown]
        marked = [n for n, s in enumerate(shown) if s.name in item.conflicts]
        self.query_one("#opinion-fields", FieldGrid).show(rows, marked)
        answers = self.answers(item)
        title = self.query_one("#opinion-answers-title", Static)
        title.update(Content.styled(
            "Answers to your questions" if answers else
            "No answers from this doctor recorded yet (the Questions pane, 4, holds them).",
            "bold" if answers else "dim",
        ))
        self.query_one("#opinion-answers", FieldGrid).show(answers)

    def answers(self, item: Item) -> list[tuple[str, Text]]:
        """(question, answer) for every question this opinion's doctor answered, in order."""
        if self.case is None:
            return []
        given = {a.question: a for a in self.case.answers if a.opinion == item.id}
        return [(q.text, value_text(given[q.id].text))
                for q in self.case.questions if q.id in given]

    def full_text(self) -> str:
        """The full view as plain text (heading, fields, answers): what a reader gets."""
        return "\n".join((
            str(self.query_one("#opinion-heading", Static).content),
            self.query_one("#opinion-fields", FieldGrid).plain(),
            str(self.query_one("#opinion-answers-title", Static).content),
            self.query_one("#opinion-answers", FieldGrid).plain(),
        ))

    # -- asking the screen --------------------------------------------------------------------

    def next_number(self) -> int:
        """The number a new opinion gets: one after the highest (and after the count)."""
        return 1 if self.case is None else self.case.next_opinion_number()

    def action_add(self) -> None:
        """Ask for the form to add an opinion, numbered after the others."""
        number = self.next_number()
        self.expect_new_item()
        word = ORDINALS.get(number, f"number {number}")
        self.post_message(FormRequested(self.TABLE, None, self.FORM_FIELDS,
                                        preset={"order": number},
                                        title=f"New opinion ({word})"))

    def action_delete(self) -> None:
        """Ask to delete the highlighted opinion with its doctor's answers (asks first when
        there are any; ctrl+z brings all back). Record transfers to that doctor and options
        they recommended are kept."""
        item = self.highlighted
        if item is None or self.case is None:
            return
        answers = sum(1 for a in self.case.answers if a.opinion == item.id)
        ask_before_deleting(self, self.TABLE, item.id, self.label(item), answers)
