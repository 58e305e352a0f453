"""ThirdOpinionRequested: the person asked to start another opinion after two that differ."""

from __future__ import annotations

from collections.abc import Sequence

from textual.message import Message


class ThirdOpinionRequested(Message):
    """Open the opinion form for a new opinion numbered ``order``; once it is saved, save
    with it, in the same single save (one file write, one log line, one ctrl+z): a transfer
    in state requested of every record of ``records`` to the new doctor, and ``asked`` set
    back to no on every question of ``reopen`` (asked before, answered by neither doctor:
    open again for the new one).
    """

    def __init__(self, order: int, records: Sequence[str] = (),
                 reopen: Sequence[str] = (), open_questions: int = 0) -> None:
        super().__init__()
        self.order = order
        self.records = tuple(records)
        self.reopen = tuple(reopen)
        self.open_questions = open_questions
