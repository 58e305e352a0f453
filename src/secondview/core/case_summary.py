"""One row of the case list: what the list, the index and the home screen show of a case.

Made by ``store.case_index.summarise`` from an open case and kept in the list index; shown by
``ui.widgets.case_table``. Pure data: no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CaseSummary:
    """One row of the case list."""

    id: str
    title: str = ""
    condition: str = ""
    urgency: str = "routine"
    phase: str = ""
    next_step: str = ""
    records_confirmed: int = 0
    records_total: int = 0
    open_questions: int = 0
    conflicts: int = 0
    decision: str = ""
    archived: bool = False
    updated_at: str = ""
    updated_by: str = ""
    error: str = ""
