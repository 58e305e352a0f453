"""ConfirmationRequested: a change that needs a yes first (deleting answers with a question,
clearing old notes)."""

from __future__ import annotations

from textual.message import Message


class ConfirmationRequested(Message):
    """Ask ``question`` (buttons ``confirm`` and ``cancel``); on a yes, act on ``then`` (a
    ``ChangeRequested``, ``DeleteRequested``...) as if the pane had posted it. On a no,
    nothing happens. The screen asks: a widget never opens a dialog itself."""

    def __init__(self, question: str, then: Message, confirm: str = "Yes",
                 cancel: str = "No") -> None:
        super().__init__()
        self.question = question
        self.then = then
        self.confirm = confirm
        self.cancel = cancel
