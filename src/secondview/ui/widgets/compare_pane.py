"""ComparePane: two opinions side by side, row by row, agreement marked by a symbol.

Shows the bound ``case``; ``[`` and ``]`` choose which opinions are compared.
"""

from __future__ import annotations

import datetime as _dt
from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.reactive import reactive
from textual.widgets import Static

from ...core import model
from .. import text

if TYPE_CHECKING:
    from textual.app import ComposeResult

    from ...core.model import Case, Item

COMPARED = (
    "diagnosis", "stage", "treatment", "alternatives", "risks", "side_effects", "goals",
    "recovery", "if_waiting", "evidence", "specialty", "institution", "independent",
    "visit_mode", "written_copy", "costs",
)
SAME, DIFFERS, ONE_SIDE = "=", "\u2260", "\u25d0"


def _shown(value: object) -> str:
    if value is True:
        return "yes"
    if value is False:
        return "no"
    return str(value or "").strip()


class ComparePane(VerticalScroll):
    """Two opinions in two columns."""

    can_focus = True
    BINDINGS = [
        Binding("left_square_bracket", "cycle(-1)", "Other left", id="compare.left"),
        Binding("right_square_bracket", "cycle(1)", "Other right", id="compare.right"),
    ]
    GUIDANCE = (
        "Two opinions side by side: = the same, \u2260 different, \u25d0 only one says. "
        "[ and ] choose which opinions are compared.",
    )

    case: reactive[Case | None] = reactive(None, init=False, always_update=True)

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.today = _dt.date.today()
        self.left = 0
        self.right = 1

    def compose(self) -> ComposeResult:
        yield Static(id="compare-table")

    def watch_case(self) -> None:
        if self.is_mounted:
            self.render_table()

    def on_mount(self) -> None:
        self.render_table()

    def opinions(self) -> list[Item]:
        if self.case is None:
            return []
        return sorted(self.case.opinions, key=lambda o: (o.order or 10**6, o.changed_at))

    def action_cycle(self, step: int) -> None:
        """Choose another opinion for the right (or left) column."""
        count = len(self.opinions())
        if count < 2:
            return
        if step > 0:
            self.right = (self.right + 1) % count
            if self.right == self.left:
                self.right = (self.right + 1) % count
        else:
            self.left = (self.left + 1) % count
            if self.left == self.right:
                self.left = (self.left + 1) % count
        self.render_table()

    def render_table(self) -> None:
        box = self.query_one("#compare-table", Static)
        ops = self.opinions()
        if len(ops) < 2:
            box.update(Text("Two opinions are needed to compare: add them in the Opinions "
                            "pane (5).", style="dim"))
            return
        self.left %= len(ops)
        self.right %= len(ops)
        if self.left == self.right:
            self.right = (self.left + 1) % len(ops)
        a, b = ops[self.left], ops[self.right]
        grid = Table(expand=True, show_lines=True)
        grid.add_column("", width=3, no_wrap=True)
        grid.add_column("", width=16)
        grid.add_column(text.cell(a.doctor, style="bold"), ratio=1)
        grid.add_column(text.cell(b.doctor, style="bold"), ratio=1)
        for name in COMPARED:
            left, right = _shown(a.values.get(name)), _shown(b.values.get(name))
            if not left and not right:
                continue
            mark = SAME if left.casefold() == right.casefold() else (
                ONE_SIDE if not (left and right) else DIFFERS)
            grid.add_row(
                Text(mark, style="bold"),
                Text(model.spec("opinions", name).label, style="bold"),
                Text(text.clean(left, multiline=True)),
                Text(text.clean(right, multiline=True)),
            )
        box.update(grid)
