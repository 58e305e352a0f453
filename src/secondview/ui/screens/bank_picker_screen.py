"""BankPickerScreen: browse the question bank and pick questions to add to the case.

A new case starts with a short list of questions; the rest of the bank waits here. The list
shows the bank's questions the case does not have: first those that fit the case (its
answers), most important first, then the others. Under the list, the highlighted question
in full and why it is worth asking. Dismisses with the keys of the picked questions (in list
order), or None. Shows what it is given; never writes.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import SelectionList, Static
from textual.widgets.option_list import OptionDoesNotExist
from textual.widgets.selection_list import Selection

from .. import text
from ..kit.marked_selection_list import MarkedSelectionList
from ..messages.bank_pick_requested import BankRow


class BankPickerScreen(ModalScreen[list[str] | None]):
    """The bank's questions the case does not have; space picks, enter adds (see module)."""

    HELP_TITLE = "Questions from the bank"
    GUIDANCE = (
        "The questions of the bank that this case does not have yet. The ones marked for "
        "this case fit its answers (cancer, surgery, a rare condition...) and come first, "
        "the most important at the top.",
        "Up and down move; the full question and why it helps show under the list. space "
        "picks or unpicks a question; enter adds the picked ones (or the highlighted one "
        "when none is picked) at the end of your list. Escape goes back without adding.",
    )
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="bank.cancel"),
        Binding("enter,ctrl+s", "add", "Add", priority=True, id="bank.add"),
    ]
    DEFAULT_CSS = """
    BankPickerScreen {
        align: center middle;
    }
    BankPickerScreen #bank {
        width: 100;
        max-width: 100%;
        height: 90%;
        padding: 0 1;
        border: round $primary;
        background: $surface;
    }
    BankPickerScreen #bank-help {
        color: $text-muted;
    }
    BankPickerScreen SelectionList {
        height: 1fr;
        min-height: 3;
    }
    BankPickerScreen #bank-detail {
        height: auto;
        max-height: 7;
        padding: 0 1;
        border-top: solid $primary 40%;
    }
    BankPickerScreen .bank-foot {
        color: $text-muted;
    }
    """

    def __init__(self, rows: Sequence[BankRow]) -> None:
        super().__init__()
        self.rows = list(rows)

    def compose(self) -> ComposeResult:
        with Vertical(id="bank"):
            yield Static(Content.styled("Questions from the bank", "bold"), id="bank-title")
            if self.rows:
                fits = sum(1 for row in self.rows if row.fits)
                yield Static(Content(
                    f"{len(self.rows)} questions this case does not have; {fits} marked "
                    "\u2605 fit its answers."), id="bank-help")
            else:
                yield Static(Content("This case has every question of the bank already."),
                             id="bank-help")
            yield MarkedSelectionList[str](
                *(Selection(self._prompt(row), row.key) for row in self.rows), id="bank-list")
            yield Static(Content(""), id="bank-detail")
            yield Static(Content("space picks, enter adds, escape goes back, ? help"),
                         classes="bank-foot")

    @staticmethod
    def _prompt(row: BankRow) -> Content:
        mark = ("\u2605 ", "bold") if row.fits else ("  ", "")
        weight = "bold" if row.priority == "high" else ""
        return Content.assemble(mark, text.content(row.text, weight))

    def on_mount(self) -> None:
        listed = self.query_one("#bank-list", SelectionList)
        if self.rows:
            listed.highlighted = 0
        listed.focus()
        self._show_detail()

    @on(SelectionList.SelectionHighlighted, "#bank-list")
    def _highlighted(self) -> None:
        self._show_detail()

    def _highlighted_row(self) -> BankRow | None:
        listed = self.query_one("#bank-list", SelectionList)
        index = listed.highlighted
        if index is None:
            return None
        try:
            key = listed.get_option_at_index(index).value
        except OptionDoesNotExist:
            return None
        return next((row for row in self.rows if row.key == key), None)

    def _show_detail(self) -> None:
        row = self._highlighted_row()
        detail = self.query_one("#bank-detail", Static)
        if row is None:
            detail.update(Content(""))
            return
        what = f"{row.category.replace('_', ' ')}, {row.priority} priority"
        if row.fits:
            what += ", fits this case"
        parts: list[Content | tuple[str, str] | str] = [
            text.content(row.text, "bold"), "\n", (what, "dim")]
        if row.why.strip():
            parts += ["\n", ("Why ask  ", "bold"), text.content(row.why.strip())]
        detail.update(Content.assemble(*parts))

    def action_add(self) -> None:
        """Close with the picked questions' keys, in list order (the highlighted one when
        none is picked); nothing when the list is empty."""
        listed = self.query_one("#bank-list", SelectionList)
        picked = set(listed.selected)
        keys = [row.key for row in self.rows if row.key in picked]
        if not keys:
            row = self._highlighted_row()
            keys = [row.key] if row is not None else []
        self.dismiss(keys or None)

    def action_cancel(self) -> None:
        self.dismiss(None)
