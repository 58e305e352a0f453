"""CaseOpened: the person opened a case from the list."""

from __future__ import annotations

from textual.message import Message


class CaseOpened(Message):
    """Show the case ``case_id`` (its workspace, over the list); the app decides how."""

    def __init__(self, case_id: str) -> None:
        super().__init__()
        self.case_id = case_id
