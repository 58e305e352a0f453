"""ConfirmScreen: a small yes-or-no question, answered with a key or a button."""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static


class ConfirmScreen(ModalScreen[bool]):
    """Asks ``question``; dismisses with True (y, or the confirm button) or False (n, escape,
    or the cancel button, which has the focus so a stray enter changes nothing)."""

    CSS_PATH = Path(__file__).with_name("forms.tcss")  # read when first shown, not at start

    HELP_TITLE = "A question"
    GUIDANCE = ("Answer with y or n, or choose a button. Escape means no.",)
    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no"),
    ]

    def __init__(self, question: str, confirm: str = "Yes", cancel: str = "No") -> None:
        super().__init__()
        self.question = question
        self.confirm_label = confirm
        self.cancel_label = cancel

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm", classes="dialog"):
            yield Static(Content(self.question), id="question")
            with Horizontal(classes="form-buttons"):
                yes = Content(f"{self.confirm_label} (y)")
                yield Button(yes, variant="error", compact=True, id="yes")
                yield Button(Content(f"{self.cancel_label} (n)"), compact=True, id="no")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    @on(Button.Pressed, "#yes")
    def _yes(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#no")
    def _no(self) -> None:
        self.dismiss(False)

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)

    @classmethod
    def close_form(cls, form: ModalScreen, changed: bool, question: str) -> None:
        """Close ``form`` with None: at once when nothing ``changed``, else only once the
        person confirms that what they typed may be lost."""
        if not changed:
            form.dismiss(None)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                form.dismiss(None)

        form.app.push_screen(cls(question, confirm="Discard", cancel="Keep editing"), answered)
