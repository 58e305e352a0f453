"""AnswerDoctorPickerScreen: choose whose answer to write when more than one doctor gave an
opinion (the care team's own picker, for forms that name a doctor, is CareTeamPickerScreen)."""

from __future__ import annotations

from collections.abc import Sequence

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from .. import text


class AnswerDoctorPickerScreen(ModalScreen[str | None]):
    """A short list of doctors; dismisses with the chosen opinion's id (enter, or its number
    1-9), or None (escape). ``doctors`` is (label, opinion id, already answered) in order;
    the labels and ``question`` are user text, shown literally."""

    HELP_TITLE = "Whose answer"
    GUIDANCE = (
        "Choose the doctor whose answer you want to write or change: up and down, then "
        "enter, or the doctor's number. Escape goes back without choosing.",
    )
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="picker.cancel"),
        *(Binding(str(n), f"pick({n})", "Choose the doctor of that number", show=False,
                  id=f"picker.doctor{n}") for n in range(1, 10)),
    ]
    DEFAULT_CSS = """
    AnswerDoctorPickerScreen {
        align: center middle;
    }
    AnswerDoctorPickerScreen #picker {
        width: 70;
        max-width: 100%;
        height: auto;
        max-height: 90%;
        padding: 1 2;
        border: round $primary;
        background: $surface;
    }
    AnswerDoctorPickerScreen #picker-question {
        margin-bottom: 1;
        color: $text-muted;
    }
    AnswerDoctorPickerScreen OptionList {
        height: auto;
        max-height: 12;
    }
    AnswerDoctorPickerScreen .picker-foot {
        margin-top: 1;
        color: $text-muted;
    }
    """

    def __init__(self, question: str, doctors: Sequence[tuple[str, str, bool]]) -> None:
        super().__init__()
        self.question = question
        self.doctors = list(doctors)

    def compose(self) -> ComposeResult:
        with Vertical(id="picker"):
            yield Static(Content.styled("Whose answer?", "bold"), id="picker-title")
            yield Static(text.content(self.question), id="picker-question")
            options = []
            for n, (label, opinion_id, answered) in enumerate(self.doctors, start=1):
                state = ("\u2714 answered", "") if answered else ("not answered yet", "dim")
                prompt = Content.assemble(
                    (f"{n}  " if n < 10 else "   ", "bold"), text.content(label), "   ", state
                )
                options.append(Option(prompt, id=opinion_id))
            yield OptionList(*options, id="doctors")
            yield Static(Content("enter or a number chooses, escape goes back"),
                         classes="picker-foot")

    def on_mount(self) -> None:
        options = self.query_one("#doctors", OptionList)
        options.highlighted = 0 if self.doctors else None
        options.focus()

    @on(OptionList.OptionSelected, "#doctors")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_pick(self, number: int) -> None:
        """Choose the doctor with this number (1 is the first in the list)."""
        if 1 <= number <= len(self.doctors):
            self.dismiss(self.doctors[number - 1][1])

    def action_cancel(self) -> None:
        self.dismiss(None)
