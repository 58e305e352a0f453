"""DecisionPane: the options, what matters, the choice, its reasons, and who was told.

Shows the bound ``case``; ``e`` asks the screen for the decision form.
"""

from __future__ import annotations

import datetime as _dt
from typing import TYPE_CHECKING

from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Static

from ...core import model
from .. import text
from ..messages import FormRequested

if TYPE_CHECKING:
    from textual.app import ComposeResult

    from ...core.model import Case


class DecisionPane(VerticalScroll):
    """The decision, field by field."""

    can_focus = True
    BINDINGS = [Binding("e", "edit", "Edit the decision", id="decision.edit")]
    GUIDANCE = ("Your options, what matters to you, your choice and why. e edits it.",)

    case: reactive[Case | None] = reactive(None, init=False, always_update=True)

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.today = _dt.date.today()

    def compose(self) -> ComposeResult:
        yield Static(id="decision-body")

    def watch_case(self) -> None:
        if self.is_mounted:
            self.show_case()

    def on_mount(self) -> None:
        self.show_case()

    def show_case(self) -> None:
        if self.case is None:
            return
        decision = self.case.decision
        lines: list[Content] = []
        for spec in model.DECISION_FIELDS:
            value = decision.values.get(spec.name, spec.empty()) if decision else spec.empty()
            shown = "yes" if value is True else "no" if value is False else value
            lines.append(text.labelled(spec.label, shown, width=24, multiline=True))
        self.query_one("#decision-body", Static).update(Content("\n").join(lines))

    def action_edit(self) -> None:
        """Ask for the decision form."""
        if self.case is not None:
            self.post_message(FormRequested("decision", self.case.id, title="The decision"))
