"""What starting another opinion saves, once its form is filled in: the opinion, a transfer
in state requested of each record sent to the doctor before, the questions open again, and
the doctor of the care team the typed name names (made when there is none yet).

Pure: builds the changes ``CaseScreen.save_many`` saves as one; no I/O.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from ..core.care_team import linked_values
from ..core.model import Case

Change = tuple[str, str, dict[str, Any]]


def third_opinion_changes(case: Case, result: dict[str, Any], order: int,
                          records: Sequence[str], reopen: Sequence[str], open_questions: int,
                          new_id: Callable[[], str]) -> tuple[list[Change], str]:
    """(changes, summary) of a new opinion numbered ``order`` with the form's ``result``:
    the doctor (linked by ``doctor_id``; the name is kept in the text field older versions
    read), its record transfers and ``asked`` set back to no on ``reopen``."""
    opinion, made = linked_values(case, "opinions", result, new_id())
    doctor = str(opinion.get("doctor", ""))
    linked = {"doctor_id": opinion["doctor_id"]} if opinion.get("doctor_id") else {}
    changes: list[Change] = [("doctors", *made)] if made else []
    changes.append(("opinions", new_id(), opinion))
    changes += [("transfers", new_id(), {"record": r, "recipient": doctor,
                                         "state": "requested", **linked}) for r in records]
    changes += [("questions", q, {"asked": False}) for q in reopen]
    return changes, (f"Started opinion {order} with {doctor}: {len(records)} record "
                     f"transfer(s) requested, {open_questions} question(s) still open")
