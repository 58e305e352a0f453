"""RelationPickerScreen: settle how B's diagnosis or treatment relates to A's, in one step.

The compare pane's ``D`` and ``T`` open it: the four settings (confirmed, refined, changed,
unsettled), each with what it means, the one stored now marked and highlighted, and above
them secondview's own reading of the two texts with the figures behind it. Nothing is saved
here: the screen dismisses with the setting chosen (enter, or its number 1-4), or None
(escape), and the pane asks for the save.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ...core.comparison import Relation
from ..compare_text import SETTING_WORDS


class RelationPickerScreen(ModalScreen[str | None]):
    """The settings of ``relation`` to choose from; ``setting`` is the one stored now."""

    HELP_TITLE = "How B relates to A"
    GUIDANCE = (
        "Say how the second doctor's words (column B) relate to the first's (column A): "
        "confirmed (the same), refined (the same, with more detail or narrowed), changed "
        "(something else), or unsettled (secondview's reading stands).",
        "secondview's reading, shown at the top, compares the words only; you know what the "
        "doctors meant. Your setting is kept with B's opinion and decides the verdict.",
        "Up and down, then enter, or the setting's number. Escape goes back without "
        "changing anything.",
    )
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="relation.cancel"),
        *(Binding(str(n), f"pick({n})", "Choose the setting of that number", show=False,
                  id=f"relation.setting{n}") for n in range(1, len(SETTING_WORDS) + 1)),
    ]
    DEFAULT_CSS = """
    RelationPickerScreen {
        align: center middle;
    }
    RelationPickerScreen #relation-picker {
        width: 72;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        padding: 0 2;
        border: round $primary;
        background: $surface;
    }
    RelationPickerScreen #relation-reading {
        margin: 1 0;
    }
    RelationPickerScreen #relation-counts {
        color: $text-muted;
        margin-bottom: 1;
    }
    RelationPickerScreen OptionList {
        height: auto;
        max-height: 8;
    }
    RelationPickerScreen .picker-foot {
        margin-top: 1;
        color: $text-muted;
    }
    """

    def __init__(self, relation: Relation, setting: str) -> None:
        super().__init__()
        self.relation = relation
        self.setting = setting if setting in SETTING_WORDS else "unsettled"

    def compose(self) -> ComposeResult:
        topic = self.relation.topic
        with Vertical(id="relation-picker"):
            yield Static(Content.styled(f"How does B's {topic} relate to A's?", "bold"),
                         id="relation-title")
            reading = self.relation.reason
            if self.relation.suggested:
                reading = f"looks {self.relation.suggested}: {reading}"
            yield Static(Content.assemble(("secondview's reading: ", "bold"), reading),
                         id="relation-reading")
            counts = Static(Content(self.relation.counts), id="relation-counts")
            counts.display = bool(self.relation.counts)
            yield counts
            options = []
            for n, (name, meaning) in enumerate(SETTING_WORDS.items(), start=1):
                now = "  (now)" if name == self.setting else ""
                options.append(Option(Content.assemble(
                    (f"{n}  ", "bold"), (f"{name:<11}", "bold"), meaning, (now, "dim")),
                    id=name))
            yield OptionList(*options, id="relation-settings")
            yield Static(Content("enter or a number chooses, escape goes back unchanged"),
                         classes="picker-foot")

    def on_mount(self) -> None:
        settings = self.query_one("#relation-settings", OptionList)
        settings.highlighted = list(SETTING_WORDS).index(self.setting)
        settings.focus()

    @on(OptionList.OptionSelected, "#relation-settings")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_pick(self, number: int) -> None:
        """Choose the setting numbered ``number`` (1-4)."""
        names = list(SETTING_WORDS)
        if 1 <= number <= len(names):
            self.dismiss(names[number - 1])

    def action_cancel(self) -> None:
        self.dismiss(None)
