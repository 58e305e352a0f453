"""CareTeamPickerScreen: pick the doctor a form names from the case's care team, by typing a
few letters of the name or the institution; or add the name typed as a new doctor.

Dismisses with (doctor id, name) of the doctor picked, ("", name typed) to make a new one
(the save makes it: ``core.care_team.linked_values``), or None (escape). The names are user
text, shown literally. No I/O.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from ...core import care_team
from ...core.model import Item
from .. import text

NEW = "+new"
"""The id of the option that adds the name typed as a new doctor."""

Picked = tuple[str, str]


class CareTeamPickerScreen(ModalScreen[Picked | None]):
    """Type to narrow the care team; enter picks the highlighted doctor or adds a new one."""

    HELP_TITLE = "Pick a doctor"
    GUIDANCE = (
        "Type a few letters of the doctor's name or institution: the list narrows as you "
        "type, best fit first. Up and down move in the list, enter picks. The last line adds "
        "the name you typed to the care team. Escape goes back without picking.",
    )
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="care_team_picker.cancel"),
        Binding("down", "move(1)", "Next", show=False, id="care_team_picker.down"),
        Binding("up", "move(-1)", "Previous", show=False, id="care_team_picker.up"),
    ]
    DEFAULT_CSS = """
    CareTeamPickerScreen {
        align: center middle;
    }
    CareTeamPickerScreen #care-team-picker {
        width: 76;
        max-width: 100%;
        height: auto;
        max-height: 90%;
        padding: 1 2;
        border: round $primary;
        background: $surface;
    }
    CareTeamPickerScreen OptionList {
        height: auto;
        max-height: 12;
        margin-top: 1;
    }
    CareTeamPickerScreen .picker-foot {
        margin-top: 1;
        color: $text-muted;
    }
    """

    def __init__(self, doctors: Sequence[Item], typed: str = "") -> None:
        super().__init__()
        self.doctors = list(doctors)
        self.typed = text.clean(typed).strip()

    def compose(self) -> ComposeResult:
        with Vertical(id="care-team-picker"):
            yield Static(Content.styled("Which doctor?", "bold"))
            yield Input(self.typed, placeholder="a few letters of the name or institution",
                        compact=True, id="care-team-typed")
            yield OptionList(id="care-team-options")
            yield Static(Content("type to narrow, up and down choose, enter picks, escape "
                                 "goes back"), classes="picker-foot")

    def on_mount(self) -> None:
        self.offer(self.typed)
        self.query_one("#care-team-typed", Input).focus()

    def offer(self, typed: str) -> None:
        """List the doctors ``typed`` fits, and the line that adds it as a new doctor."""
        typed = typed.strip()
        self.typed = typed
        options = self.query_one("#care-team-options", OptionList)
        options.clear_options()
        found = care_team.matching_doctors(self.doctors, typed)
        for doctor in found:
            place = text.clean(doctor.values.get("institution"))
            options.add_option(Option(Content.assemble(
                text.content(doctor.values.get("name") or "(no name)"),
                *((("  " + place, "dim"),) if place else ())), id=doctor.id))
        same = any(care_team.name_key(d.values.get("name")) == care_team.name_key(typed)
                   for d in found)
        if typed and not same and care_team.name_key(typed):
            options.add_option(Option(Content.assemble(
                ("+ add ", "bold"), text.content(typed), (" to the care team", "")), id=NEW))
        options.highlighted = 0 if options.option_count else None

    @on(Input.Changed, "#care-team-typed")
    def _typed(self, event: Input.Changed) -> None:
        self.offer(event.value)

    @on(Input.Submitted, "#care-team-typed")
    def _submitted(self) -> None:
        options = self.query_one("#care-team-options", OptionList)
        if options.highlighted is not None:
            self.pick(options.get_option_at_index(options.highlighted).id or "")

    @on(OptionList.OptionSelected, "#care-team-options")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.pick(event.option.id or "")

    def pick(self, option_id: str) -> None:
        """Dismiss with the doctor of ``option_id`` (or the typed name, for NEW)."""
        if option_id == NEW:
            self.dismiss(("", self.typed))
            return
        doctor = next((d for d in self.doctors if d.id == option_id), None)
        if doctor is not None:
            self.dismiss((doctor.id, text.clean(doctor.values.get("name"))))

    def action_move(self, step: int) -> None:
        """Move the highlight in the list while the typing box keeps the focus."""
        options = self.query_one("#care-team-options", OptionList)
        if options.option_count:
            at = options.highlighted or 0
            options.highlighted = max(0, min(options.option_count - 1, at + step))

    def action_cancel(self) -> None:
        self.dismiss(None)
