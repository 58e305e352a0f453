"""ComparePairChosen: the person chose which two opinions the compare pane sets side by side."""

from __future__ import annotations

from textual.message import Message


class ComparePairChosen(Message):
    """The opinions ``a_id`` (column A) and ``b_id`` (column B) were chosen for the case
    ``case_id``. The app remembers them in its local state (never in the case's files), so
    the pane, the export dialog and ``secondview export`` start from them next time."""

    def __init__(self, case_id: str, a_id: str, b_id: str) -> None:
        super().__init__()
        self.case_id = case_id
        self.a_id = a_id
        self.b_id = b_id
