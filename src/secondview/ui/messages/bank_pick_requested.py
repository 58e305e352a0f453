"""BankPickRequested: the person asked to browse the question bank and pick questions."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from textual.message import Message


@dataclass(frozen=True)
class BankRow:
    """One question of the bank as the picker lists it (text from the content files, which
    may be the person's own: shown literally)."""

    key: str
    text: str
    category: str
    priority: str
    why: str
    fits: bool
    """Whether it fits the case's answers (listed first, marked)."""


class BankPickRequested(Message):
    """Show the bank picker with ``rows`` (the bank's questions the case does
    not have); ``picked`` is called with the keys of the questions picked (not at all when
    the person goes back). The screen shows the picker: a widget never opens a dialog."""

    def __init__(self, rows: Sequence[BankRow], picked: Callable[[list[str]], None]) -> None:
        super().__init__()
        self.rows = list(rows)
        self.picked = picked
