"""EmptyState: what the case list shows before there is any case (the first run)."""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from .. import text

WELCOME = "Welcome to secondview"
PURPOSE = (
    "A second opinion means many loose ends: records to send, questions to ask, two doctors' "
    "views to weigh. secondview keeps them together, one case per person or problem, so "
    "nothing is lost between visits. It organizes; it never gives medical advice."
)
SAFETY = "If this is an emergency, get care now. Do not wait for a second opinion."


class EmptyState(Vertical):
    """A short welcome: what the app is for, the key to start, the demo, the cases folder."""

    def __init__(self, cases_dir: Path, id: str | None = None) -> None:
        super().__init__(id=id)
        self.cases_dir = cases_dir

    def compose(self) -> ComposeResult:
        yield Static(Content.styled(WELCOME, "bold"), classes="welcome-title")
        yield Static(Content(PURPOSE), classes="welcome-text")
        yield Static(
            Content.assemble("Press ", ("n", "bold reverse"), " to start your first case."),
            classes="welcome-start",
        )
        yield Static(
            Content.assemble(
                "Just looking? Quit (",
                ("ctrl+q", "bold"),
                ") and run ",
                ("secondview --demo", "bold"),
                " to explore a sample case with two opinions that disagree.",
            ),
            classes="welcome-text",
        )
        yield Static(
            Content.assemble("Your cases are kept in ", text.content(self.cases_dir, "bold")),
            classes="welcome-text",
        )
        yield Static(Content.styled(SAFETY, "italic"), classes="welcome-safety")
