"""AnswersView: under the question list, why the highlighted question matters and what each
doctor answered to it, one doctor a line (an answer's own line breaks kept).

Shows what it is given; all of it is user text (names, answers, the reason), shown literally
through ``ui/text.py``. Never writes.

``ask_before_deleting`` is shared by the questions and opinions panes: deleting either takes
its answers with it, so the person is told how many first (the screen asks:
``ConfirmationRequested``).
"""

from __future__ import annotations

from collections.abc import Iterable

from textual.content import Content
from textual.widget import Widget
from textual.widgets import Static

from .. import text
from ..messages.confirmation_requested import ConfirmationRequested
from ..messages.delete_requested import DeleteRequested

NOT_ANSWERED = "not answered yet"
ANSWERED_MARK = "\u2714"  # ✔
OPEN_MARK = "\u2610"  # ☐


class AnswersView(Static):
    """The highlighted question's reason and every doctor's answer (see the module)."""

    DEFAULT_CSS = """
    AnswersView {
        height: auto;
        max-height: 50%;
        padding: 0 1;
        border-top: solid $primary 40%;
    }
    """

    def show(
        self,
        why: str,
        doctors: Iterable[tuple[str, str | None]],
        conflicts: Iterable[str] = (),
    ) -> None:
        """Show ``why`` and, for each (doctor label, answer text or None), the answer."""
        self.update(self.render_answers(why, list(doctors), sorted(conflicts)))

    def show_nothing(self) -> None:
        """Show nothing (no question highlighted)."""
        self.update(Content(""))

    @staticmethod
    def render_answers(why: str, doctors: list[tuple[str, str | None]],
                       conflicts: list[str]) -> Content:
        parts: list[Content | tuple[str, str] | str] = []
        if why.strip():
            parts += [("Why ask  ", "bold"), text.content(why.strip(), "dim", multiline=True),
                      "\n"]
        if not doctors:
            parts.append(("No opinion yet: add the doctor in pane 5, then w writes their "
                          "answer here.", "dim"))
        else:
            parts += [("Answers  ", "bold"), ("w writes or changes one", "dim")]
            for label, answer in doctors:
                given = answer is not None and bool(answer.strip())
                parts += ["\n", f"{ANSWERED_MARK if given else OPEN_MARK} ",
                          text.content(label, "bold"), "  "]
                if given:
                    assert answer is not None
                    parts.append(text.content(answer.strip(), multiline=True))
                else:
                    parts.append((NOT_ANSWERED, "dim"))
        if conflicts:
            parts.append((f"\n\u2260 Two devices changed: {', '.join(conflicts)}", "bold"))
        return Content.assemble(*parts)


def answers_count(count: int) -> str:
    """'1 answer', '3 answers'."""
    return f"{count} answer{'s' if count != 1 else ''}"


def ask_before_deleting(widget: Widget, table: str, doc_id: str, label: str,
                        answers: int) -> None:
    """Ask to delete a question or an opinion (``DeleteRequested`` from ``widget``): at once
    when no answer goes with it, else after a yes to a question (``ConfirmationRequested``:
    the screen asks) that says how many answers go too and that ctrl+z brings them all
    back. The case screen deletes them in one save."""
    delete = DeleteRequested(table, doc_id, label)
    if answers <= 0:
        widget.post_message(delete)
        return
    shown = text.clean(label)
    shown = shown if len(shown) <= 120 else shown[:119] + "\u2026"
    widget.post_message(ConfirmationRequested(
        f"Delete '{shown}' and its {answers_count(answers)}? ctrl+z brings "
        f"{'it' if answers == 1 else 'them all'} back.",
        delete, confirm="Delete", cancel="Keep it"))
