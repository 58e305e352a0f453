"""VisitsPane: the case's visits (table ``appointments``), soonest first.

Each row shows the date, the time and the zone of the place, the doctor (by the visit's
``doctor_id`` in the care team; "doctor removed" when that entry is gone), how the visit
happens and its status; the highlighted one shows its place, who comes along and what to
bring underneath. ``a`` adds a visit, ``e``/``enter`` edits, ``delete`` deletes (ctrl+z
brings it back), all through the generic item form (see ``ListPane``).

When the person marks a visit done here and its doctor has no opinion recorded yet, the pane
asks whether to record it now; a yes opens the opinion form with the doctor, the date and the
mode filled in (``core.visits.opinion_preset``). Shows the bound ``case``; every change goes up
as a message to the case screen. No I/O.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from textual.content import Content

from ...core import care_team, model, visits
from .. import text
from ..messages.confirmation_requested import ConfirmationRequested
from ..messages.form_requested import FormRequested
from .list_pane import ListPane, conflict_mark

if TYPE_CHECKING:
    from rich.text import Text

    from ...core.model import Case, Item


class VisitsPane(ListPane):
    """The visits, soonest first. See the module docstring."""

    TABLE = "appointments"
    TITLE = "Visits"
    NOUN = "visit"
    COLUMNS = (("Date", 10), ("Time", 5), ("Zone", 16), ("Doctor", None), ("How", 12),
               ("Status", 9), ("", 1))
    EMPTY = "No visits yet: press a to add the date, time and place of a visit."
    GUIDANCE = (
        "The visits of this case, soonest first: the date, the time in the zone of the "
        "place, the doctor, how it happens (in person, video, phone, records only) and "
        "whether it is planned, done, cancelled or moved.",
        "a adds a visit, e or enter edits the highlighted one, delete removes it (ctrl+z "
        "brings it back). The form refuses a date or time that does not exist, and a time "
        "zone this device does not know, and says why.",
        "Mark a visit done and, when its doctor has no opinion recorded yet, you are asked "
        "whether to write it down now. The next steps on the overview count the days to the "
        "planned visit.",
    )

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.today = _dt.date.today()
        """The day "next" counts from (the case screen sets the repository's)."""
        self._editing: tuple[str, str] | None = None
        """(visit id, its status) while its form is open: a save that marks it done
        offers to record the opinion."""

    # -- what the list shows ------------------------------------------------------------------

    def items(self, case: Case) -> Sequence[Item]:
        return visits.in_order(case)

    def cells(self, item: Item) -> Sequence[Text]:
        case = self.case
        doctor = care_team.doctor_name(case, item) if case is not None else ""
        spec = model.spec
        return (
            text.cell(item.date),
            text.cell(item.time),
            text.cell(item.zone, 16),
            text.cell(doctor, 30),
            text.cell(spec("appointments", "mode").label_of(item.mode), 12),
            text.cell(spec("appointments", "status").label_of(item.status), 9),
            conflict_mark(item),
        )

    def detail(self, item: Item) -> Content:
        parts: list[Content | tuple[str, str]] = []
        for name, heading in (("place", "Place"), ("companions", "With"),
                              ("bring", "Bring"), ("notes", "Notes")):
            value = item.values.get(name)
            if value:
                if parts:
                    parts.append(("  \u00b7  ", "dim"))
                parts += [(f"{heading}: ", "bold"), text.content(value)]
        return Content.assemble(*parts) if parts else Content("")

    def summary(self, case: Case) -> Content:
        count = len(case.appointments)
        if not count:
            return Content("")
        parts: list[Content | tuple[str, str]] = [
            (f"{count} visit{'s' if count != 1 else ''}", "bold"),
        ]
        coming = visits.next_visit(case, self.today)
        if coming is not None:
            when = f"{coming.date} {coming.time}".strip()
            parts += [("  \u00b7  next: ", "dim"), (when, "")]
            who = care_team.doctor_name(case, coming)
            if who:
                parts += [(" with ", "dim"), text.content(who)]
        return Content.assemble(*parts)

    def label(self, item: Item) -> str:
        return f"the visit on {item.date}" if item.date else "the visit"

    # -- asking the screen --------------------------------------------------------------------

    def action_edit(self) -> None:
        """Ask for the form to edit the highlighted visit (remembering its status, so that
        marking it done offers the opinion)."""
        item = self.highlighted
        if item is not None:
            self._editing = (item.id, str(item.status))
        super().action_edit()

    def watch_case(self) -> None:
        super().watch_case()
        self._offer_opinion()

    def _offer_opinion(self) -> None:
        """After this pane's form marked a visit done whose doctor has no opinion yet, ask
        whether to record it now (the opinion form, filled in from the visit)."""
        editing, case = self._editing, self.case
        if editing is None or case is None:
            return
        visit = case.find(editing[0])
        if visit is None or visit.status == editing[1]:
            return  # not saved yet, or saved without a change of status
        self._editing = None
        if visit.status != "done" or visits.has_opinion(case, visit):
            return
        preset = visits.opinion_preset(case, visit)
        who = text.clean(care_team.doctor_name(case, visit) or "the doctor")
        self.post_message(ConfirmationRequested(
            f"The visit with {who} is done. Record the opinion now?",
            FormRequested("opinions", None, preset=preset, title="New opinion"),
            confirm="Record the opinion", cancel="Later",
        ))
