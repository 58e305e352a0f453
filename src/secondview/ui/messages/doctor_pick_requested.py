"""DoctorPickRequested: the person must choose one of several doctors (whose answer to
write)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from textual.message import Message


class DoctorPickRequested(Message):
    """Ask which doctor of ``doctors`` (label, opinion id, whether they answered already), for
    ``question``; ``picked`` is called with the chosen opinion's id (not at all when the
    person cancels). The screen shows the picker: a widget never opens a dialog itself."""

    def __init__(self, question: str, doctors: Sequence[tuple[str, str, bool]],
                 picked: Callable[[str], None]) -> None:
        super().__init__()
        self.question = question
        self.doctors = list(doctors)
        self.picked = picked
