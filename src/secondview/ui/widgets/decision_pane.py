"""DecisionPane: the options, what matters, who decides, the leaning, the choice, its reasons,
and whether (and when) the treating doctor was told.

Every field of the decision is shown, long text wrapped, with where things stand (the case
list's words) on top and what each doctor recommended underneath, to weigh the options
against. ``e`` (or ``enter``) asks the case screen for the decision form. The decision is one
document whose id is the case's, so two devices starting it at once write the same document;
the screen creates it on the first save. Shows the bound ``case``; never writes. No I/O.
"""

from __future__ import annotations

import datetime as _dt
from typing import TYPE_CHECKING, Any

from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Static

from ...core import model, progress
from .. import text
from ..messages import FormRequested
from .field_grid import FieldGrid, value_text
from .opinions_pane import opinion_order, role

if TYPE_CHECKING:
    from textual.app import ComposeResult

    from ...core.model import Case

STATE_WORDS = {
    "": "Not started",
    "weighing options": "Weighing the options",
    "leaning": "Leaning one way, not decided",
    "decided": "Decided; the treating doctor has not been told yet",
    "decided, doctor told": "Decided, and the treating doctor has been told",
}


def decision_words(spec: model.FieldSpec, value: Any) -> Any:
    """A decision value as a person reads it (``someone_else`` -> ``someone else``)."""
    if spec.kind is model.Kind.CHOICE and isinstance(value, str):
        return "" if value == "unknown" else value.replace("_", " ")
    if spec.name == "doctor_told":
        return "yes" if value else "not yet"
    return value


class DecisionPane(VerticalScroll):
    """The decision, field by field. See the module docstring."""

    DEFAULT_CSS = """
    DecisionPane {
        padding: 0 1;
    }
    DecisionPane #decision-state {
        margin-bottom: 1;
    }
    DecisionPane #decision-opinions-title {
        margin-top: 1;
    }
    """

    can_focus = True
    BINDINGS = [
        Binding("e,enter", "edit", "Edit the decision", id="decision.edit"),
    ]
    GUIDANCE = (
        "Your decision, in your words: the options you have, what matters most to you, who "
        "decides, which way you lean, your choice and why, and whether you have told the "
        "doctor who treats you.",
        "e or enter opens the form; ctrl+s saves. What each doctor recommended is listed "
        "underneath, to weigh the options against. The arrow and page keys scroll.",
        "secondview records what you decide; it never recommends a treatment.",
    )

    case: reactive[Case | None] = reactive(None, init=False, always_update=True)

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.today = _dt.date.today()
        self._stale = True

    def compose(self) -> ComposeResult:
        yield Static(id="decision-state")
        yield FieldGrid(id="decision-fields")
        yield Static(id="decision-opinions-title")
        yield FieldGrid(id="decision-opinions")

    def on_mount(self) -> None:
        self.show_case()

    def watch_case(self) -> None:
        # A hidden pane waits until it is shown: edits elsewhere cost it nothing.
        self._stale = True
        if self.is_mounted and self.display:
            self.show_case()

    def on_show(self) -> None:
        if self._stale:
            self.show_case()

    def show_case(self) -> None:
        """Show the bound case's decision (and the doctors' recommendations)."""
        self._stale = False
        case = self.case
        if case is None:
            return
        decision = case.decision
        state = progress.decision_state(case)
        line: list[Content | tuple[str, str]] = [
            ("Where things stand: ", "bold"), (STATE_WORDS.get(state, state), ""),
        ]
        if not state:
            line.append(("  \u00b7  press e to write down your options", "dim"))
        if decision is not None and decision.conflicts:
            line.append(("\n\u2260 two devices saved different values: e settles them",
                         "bold"))
        self.query_one("#decision-state", Static).update(Content.assemble(*line))
        rows = []
        for spec in model.DECISION_FIELDS:
            value = getattr(decision, spec.name) if decision is not None else spec.empty()
            rows.append((spec.label, value_text(decision_words(spec, value))))
        marked = [n for n, s in enumerate(model.DECISION_FIELDS)
                  if decision is not None and s.name in decision.conflicts]
        self.query_one("#decision-fields", FieldGrid).show(rows, marked)
        self._show_recommendations(case)

    def _show_recommendations(self, case: Case) -> None:
        first = case.first_opinion()
        rows = []
        for item in sorted(case.opinions, key=opinion_order):
            rows.append((f"{text.clean(item.doctor) or '(no name)'} ({role(item, first)})",
                         value_text(item.treatment)))
        self.query_one("#decision-opinions-title", Static).update(Content.styled(
            "What each doctor recommended" if rows else
            "No opinions recorded yet (the Opinions pane, 5).",
            "bold" if rows else "dim"))
        self.query_one("#decision-opinions", FieldGrid).show(rows)

    def plain(self) -> str:
        """The pane as plain text: state, fields, recommendations (for tests and copying)."""
        return "\n".join((
            str(self.query_one("#decision-state", Static).content),
            self.query_one("#decision-fields", FieldGrid).plain(),
            str(self.query_one("#decision-opinions-title", Static).content),
            self.query_one("#decision-opinions", FieldGrid).plain(),
        ))

    def action_edit(self) -> None:
        """Ask for the decision form (the decision is created on its first save)."""
        if self.case is None:
            return
        doc_id = self.case.decision.id if self.case.decision is not None else self.case.id
        self.post_message(FormRequested("decision", doc_id, title="The decision"))
