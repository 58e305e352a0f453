"""RelationPickRequested: the person wants to settle how B's diagnosis or treatment relates to
A's (confirmed, refined, changed, or back to unsettled)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from ...core.comparison import Relation


class RelationPickRequested(Message):
    """Ask which setting ``relation`` should have (``setting``: the one stored now, or
    "unsettled"); ``picked`` is called with the one chosen when it differs from ``setting``
    (not at all when the person goes back). The screen shows the picker: a widget never
    opens a dialog itself."""

    def __init__(self, relation: Relation, setting: str,
                 picked: Callable[[str], None]) -> None:
        super().__init__()
        self.relation = relation
        self.setting = setting
        self.picked = picked
