"""A record's transfer to a doctor as one row of the records pane: its state by symbol and
word, the dates, the signed release, and the response clock where one applies.

Pure functions of the transfer and what the pane knows (today, the overdue request, the
width): no I/O, no widget. ``core.progress`` decides what is overdue; this only shows it.
"""

from __future__ import annotations

import datetime as _dt
from typing import TYPE_CHECKING

from rich.text import Text

from ..core import model, progress, record_requests
from ..core.care_team import doctor_name
from ..core.model import TRANSFER_STATES
from . import text
from .widgets.list_pane import conflict_mark

if TYPE_CHECKING:
    from ..core.model import Case, Item

STATE_MARKS = {"requested": "\u25d4", "sent": "\u25d1", "received": "\u25d5",
               "confirmed": "\u2714"}
"""A symbol per transfer state (a circle filling up, then a tick): never colour alone."""
OVERDUE_MARK = "!"
SIGNED = ("\u2714 Yes", "\u2610 No")


def next_state(state: str) -> str | None:
    """The state after ``state`` (None after confirmed; an unknown state starts over)."""
    if state not in TRANSFER_STATES:
        return TRANSFER_STATES[0]
    at = TRANSFER_STATES.index(state)
    return TRANSFER_STATES[at + 1] if at + 1 < len(TRANSFER_STATES) else None


def transfer_cells(transfer: Item, late: progress.Overdue | None, alert: str, wide: bool,
                   to_width: int, today: _dt.date, record_kind: str = "",
                   case: Case | None = None) -> list[Text]:
    """The cells of one transfer's row: to whom (as ``case``'s care team names them now),
    state, dates (all when ``wide``, else the current state's), signed release, from whom
    (``wide``), clock, conflict mark. ``record_kind`` picks the clock that applies."""
    state = str(transfer.state)
    mark = STATE_MARKS.get(state, "?")
    row = [
        text.cell(doctor_name(case, transfer) if case is not None else transfer.recipient,
                  width=to_width),
        text.cell(f"{mark} {model.spec('transfers', 'state').label_of(state)}", width=11,
                  style=alert if late else "bold" if state == "confirmed" else ""),
    ]
    if wide:
        row += [text.cell(getattr(transfer, f"{s}_on")) for s in TRANSFER_STATES]
    else:
        since = getattr(transfer, f"{state}_on") if state in TRANSFER_STATES else ""
        row.append(text.cell(since))
    signed = bool(transfer.authorisation_signed)
    row.append(text.cell(SIGNED[0] if signed else SIGNED[1], style="" if signed else "dim"))
    if wide:
        row.append(text.cell(model.spec("transfers", "from_provider").label_of(
            bool(transfer.from_provider))))
    row += [response_clock(transfer, late, alert, today, record_kind), conflict_mark(transfer)]
    return row


def response_clock(transfer: Item, late: progress.Overdue | None, alert: str,
                   today: _dt.date, record_kind: str = "") -> Text:
    """The response clock: '! 45 days' past its time, 'day 12 of 30' inside it (the time
    that applies to this kind of request: ``core.record_requests``)."""
    if late is not None:
        return Text(f"{OVERDUE_MARK} {late.days_waiting} days", style=alert, no_wrap=True,
                    end="")
    count = record_requests.day_count(transfer, record_kind, today)
    if count is None:
        return Text("")
    return text.cell(f"day {count[0]} of {count[1]}", style="dim")
