"""DoctorsPane: the care team of a case, the doctors and offices its opinions, record
transfers and visits name by id.

The table lists each doctor's name, role, institution, phone and whether they are in the
network; the highlighted one is shown in full underneath (every field, long text wrapped,
and what in the case names them), reachable with tab and scrolled with the arrow keys. ``a``
adds a doctor, ``e``/``enter`` edits (a new name shows wherever the doctor is named),
``delete`` deletes (ctrl+z brings it back; opinions and transfers that named the doctor show
"doctor removed"). Shows the bound ``case``; every change goes up as a message to the case
screen (see ``ListPane``). No I/O.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content

from ...core import care_team, model
from .. import text
from .field_grid import FieldGrid, value_text
from .list_pane import ListPane, conflict_mark

if TYPE_CHECKING:
    from ...core.model import Case, Item


def named_by(case: Case, doctor: Item) -> str:
    """What in ``case`` names ``doctor``: its opinions and record transfers, counted."""
    opinions = sum(1 for o in case.opinions if care_team.doctor_ref(case, o) == doctor.id)
    transfers = len(care_team.transfers_of(case, doctor.id))
    parts = []
    if opinions:
        parts.append(f"{opinions} opinion{'' if opinions == 1 else 's'}")
    if transfers:
        parts.append(f"{transfers} record transfer{'' if transfers == 1 else 's'}")
    return ", ".join(parts) or "nothing yet"


class DoctorsPane(ListPane):
    """The case's doctors and offices, and the highlighted one in full."""

    DEFAULT_CSS = """
    DoctorsPane .pane-table {
        height: auto;
        max-height: 12;
    }
    #doctor-full {
        height: 1fr;
        padding: 0 1;
        border-top: solid $primary 40%;
    }
    #doctor-full:focus {
        border-top: heavy $accent;
    }
    """

    TABLE = "doctors"
    TITLE = "Doctors"
    NOUN = "doctor"
    COLUMNS = (("Name", None), ("Role", 14), ("Institution", None), ("Phone", 16),
               ("In network", 13), ("", 1))
    EMPTY = "No doctors yet: press a to add one, or name one in an opinion or a transfer."
    GUIDANCE = (
        "The doctors and offices of this case: who gave each opinion, where records go, "
        "with their phone, fax, email, patient portal and whether they are in your "
        "insurance network.",
        "a adds a doctor, e or enter edits the highlighted one (a new name shows wherever "
        "the doctor is named), delete removes it (ctrl+z brings it back; opinions and "
        "transfers that named it then say 'doctor removed').",
        "The highlighted doctor is shown in full under the list; tab moves into it, the "
        "arrow and page keys scroll it, shift+tab goes back to the list.",
    )

    def compose(self) -> ComposeResult:
        for widget in super().compose():
            if widget.has_class("pane-detail"):
                continue  # the full view below replaces the one-line detail
            yield widget
        yield VerticalScroll(FieldGrid(label_width=22, id="doctor-fields"), id="doctor-full")

    def items(self, case: Case) -> Sequence[Item]:
        return sorted(case.doctors, key=lambda d: (text.clean(d.name).casefold(), d.id))

    def cells(self, item: Item) -> Sequence[Text]:
        return (
            text.cell(item.name),
            text.cell(model.spec("doctors", "role").label_of(item.role), 14),
            text.cell(item.institution),
            text.cell(item.phone, 16),
            text.cell(model.spec("doctors", "in_network").label_of(item.in_network), 13),
            conflict_mark(item),
        )

    def label(self, item: Item) -> str:
        return str(item.name or self.NOUN)

    def summary(self, case: Case) -> Content:
        count = len(case.doctors)
        if not count:
            return Content("")
        return Content.assemble(
            (f"{count} in the care team", "bold"),
            ("  \u00b7  opinions, transfers and visits name them", "dim"))

    def _show_detail(self) -> None:
        self.show_full(self.highlighted)

    def show_full(self, item: Item | None) -> None:
        """Show every field of ``item`` and what names it, under the list."""
        full = self.query_one("#doctor-full", VerticalScroll)
        full.display = item is not None
        if item is None or self.case is None:
            return
        specs = model.listed_fields("doctors")
        rows = [(s.label, value_text(s.label_of(getattr(item, s.name))
                                     if s.kind is model.Kind.CHOICE else getattr(item, s.name)))
                for s in specs]
        rows.append(("Named by", value_text(named_by(self.case, item))))
        marked = [n for n, s in enumerate(specs) if s.name in item.conflicts]
        self.query_one("#doctor-fields", FieldGrid).show(rows, marked)

    def full_text(self) -> str:
        """The full view as plain text: what a reader gets."""
        return self.query_one("#doctor-fields", FieldGrid).plain()
