"""AnswerFormRequested: the person chose whose answer to a question to write or change."""

from __future__ import annotations

from textual.message import Message


class AnswerFormRequested(Message):
    """Open the answer form of opinion ``opinion_id`` to question ``question_id``: a new
    answer when ``answer_id`` is None, else that answer to change. ``title`` heads the form.
    Once saved, an answer with text also marks the question asked (unless ``asked`` says it
    is already), in the same single save: one file write, one log line, one ctrl+z.
    """

    def __init__(self, question_id: str, opinion_id: str, answer_id: str | None,
                 title: str, asked: bool) -> None:
        super().__init__()
        self.question_id = question_id
        self.opinion_id = opinion_id
        self.answer_id = answer_id
        self.title = title
        self.asked = asked
