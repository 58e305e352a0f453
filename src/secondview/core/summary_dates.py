"""The dates and counts of a case-list row (``core.case_summary.CaseSummary``) worked out from
a case: what is late, when the next visits are, what waits on whom. Used where a row is made
(``store.case_index.summarise``), never where one is read. Pure: no I/O, no clock.
"""

from __future__ import annotations

from typing import Any

from . import record_requests, visits, waiting
from .case_summary import join_dates
from .choices import WHO
from .model import Case


def dated_fields(case: Case) -> dict[str, Any]:
    """The row's fields that answer "what is late, when is the next visit, what waits on
    whom" for ``case``: ISO dates and counts, none depending on today (see
    ``core.case_summary``)."""
    late = (record_requests.late_from(case, t) for t in case.transfers)
    planned = (visits.day(v) for v in visits.planned(case))
    counts = waiting.counts(case)
    return {
        "overdue_from": join_dates([d for d in late if d is not None]),
        "visit_dates": join_dates([d for d in planned if d is not None]),
        "my_due": join_dates(waiting.due_dates(case, waiting.ME)),
        **{f"waiting_{who}": counts[who] for who in WHO},
    }
