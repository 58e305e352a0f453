"""QuestionsPane: the questions to ask, in the person's order, and each doctor's answers.

The list holds the person's own questions first (``a`` puts a new one after their others),
then those from the content set's bank, in the order they chose (``shift+up``/``shift+down``,
or ``K``/``J``, move the highlighted one, ``t`` to the top: its ``order`` number is written,
so the order reaches the other devices too). ``space`` marks a question asked. A new case
holds a short list from the bank (``core.starter_questions``); ``b`` browses the rest and
adds the ones picked. Under the table (an ``AnswersView``), the highlighted question's reason
and every doctor's answer; ``w`` writes or changes one doctor's answer (asking which doctor
first, every time; an answer with text marks the question asked). When a newer bank brings
questions the case never met, a line offers them and ``u`` adds them. ``delete`` takes the
question's answers with it (asking first when there are any; one ctrl+z brings all back).

Shows the bound ``case``; every change goes up as a message (see ``ListPane``): the pane never
touches files.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content

from ...core import model, starter_questions
from ...core.care_team import doctor_name
from ...core.content import missing_summary
from ...core.ids import new_id
from .. import text
from ..kit.item_table import ItemTable
from ..messages.answer_form_requested import AnswerFormRequested
from ..messages.bank_pick_requested import BankPickRequested, BankRow
from ..messages.change_requested import ChangeRequested
from ..messages.changes_requested import ChangesRequested
from ..messages.doctor_pick_requested import DoctorPickRequested
from ..messages.form_requested import FormRequested
from .answers_view import AnswersView, ask_before_deleting
from .checklist_pane import quiet_colour
from .content_offer import ContentOffer
from .list_pane import ListPane, conflict_mark, yes_mark

if TYPE_CHECKING:
    from textual.theme import Theme

    from ...core.content_items import BankQuestion
    from ...core.model import Case, Item

def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


def own_question_order(ordered: Sequence[Item]) -> float:
    """The ``order`` of a question the person adds, given the questions in list order: just
    after the last of their own (no ``bank_id``), or before everything when they have none
    yet, so their own questions come before the bank's."""
    numbers = [_number(q.order) or 0.0 for q in ordered]
    own = [n for n, q in enumerate(ordered) if not q.values.get("bank_id")]
    if not ordered:
        return 1.0
    if not own:
        return numbers[0] - 1.0
    at = own[-1]
    if at + 1 == len(ordered):
        return numbers[at] + 1.0
    low, high = numbers[at], numbers[at + 1]
    return (low + high) / 2.0 if low < high else low + 1.0


class QuestionsPane(ListPane):
    """The question list and the answers. See the module docstring."""

    TABLE = "questions"
    TITLE = "Questions"
    NOUN = "question"
    COLUMNS = (("Asked", 5), ("#", 3), ("Priority", 8), ("Category", 12), ("Question", None),
               ("Answers", 7), ("", 1))
    FORM_FIELDS = ("text", "category", "priority", "asked", "why")
    EMPTY = "No questions yet: press a to write one."
    GUIDANCE = (
        "The questions to ask each doctor, in your order: shift+up and shift+down (or K and "
        "J) move the highlighted question, t moves it to the top; the most important first "
        "is a good rule. space marks it asked.",
        "A new case starts with about ten questions chosen by its answers. b opens the "
        "bank: the other questions, those that fit this case first; space picks, enter adds "
        "them at the end.",
        "Under the list: why the question matters and what each doctor answered. w writes or "
        "changes a doctor's answer: choose whose first (its number or enter), and the "
        "question is marked asked once it has an answer. The Answers column counts the "
        "doctors who answered, of all who gave an opinion.",
        "a adds your own question (your own come before the bank's), e or enter edits one, "
        "delete removes it with its answers (it asks first when there are any) and ctrl+z "
        "brings them back. When a newer question bank has questions this case has never "
        "seen, a line says so and u adds them.",
    )
    BINDINGS = [
        Binding("space", "toggle", "Asked", id="questions.toggle"),
        Binding("w", "answer", "Answer", id="questions.answer"),
        Binding("shift+up,K", "move(-1)", "Move up", show=False, id="questions.move_up"),
        Binding("shift+down,J", "move(1)", "Move down", show=False, id="questions.move_down"),
        # out of the footer, which has no room left at 120 columns: the summary names it
        Binding("b", "bank", "Bank", show=False, id="questions.bank"),
        Binding("t", "top", "Move to top", show=False, id="questions.top"),
        Binding("u", "add_new_questions", "Add new questions", id="questions.add_new"),
    ]

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        """Ids of the items when the add form was asked for (the new one gets the cursor)."""
        self._positions: dict[str, int] = {}

    def compose(self) -> ComposeResult:
        for widget in super().compose():
            if widget.has_class("pane-detail"):  # the answers view takes its place
                widget.display = False
            yield widget
            if widget.has_class("pane-summary"):
                yield ContentOffer("questions", "question", "questions",
                                   classes="pane-offer").data_bind(ListPane.editable)
        yield AnswersView(classes="answers-view")

    def on_mount(self) -> None:
        # (ListPane.on_mount runs after this one: it adds the columns and fills the table.)
        self.app.theme_changed_signal.subscribe(self, self._theme_changed)

    def _theme_changed(self, theme: Theme) -> None:
        # the quiet colour comes from the theme: repaint (a hidden pane when next shown)
        self.watch_case()

    @property
    def offer(self) -> ContentOffer:
        return self.query_one(ContentOffer)

    # -- the doctors --------------------------------------------------------------------------

    def opinions(self) -> list[Item]:
        """The case's opinions, first opinion first (by number, then when written)."""
        if self.case is None:
            return []
        return list(self.case.opinions_in_order())

    def doctor_name(self, opinion: Item) -> str:
        """The opinion's doctor as the care team names them now, or "A doctor"."""
        name = doctor_name(self.case, opinion).strip() if self.case is not None else ""
        return name or "A doctor"

    def doctor_label(self, opinion: Item, position: int) -> str:
        """'Dr Lind (first opinion)', 'Dr Okafor (opinion 2)' (user text: show through text)."""
        doctor = self.doctor_name(opinion)
        role = "first opinion" if position == 1 else f"opinion {position}"
        return f"{doctor} ({role})"

    def answers(self, question: Item) -> list[tuple[str, Item, Item | None]]:
        """(doctor label, opinion, its answer or None) for every opinion, in order."""
        given = self.case.answers_for(question.id) if self.case is not None else {}
        return [
            (self.doctor_label(o, n), o, given.get(o.id))
            for n, o in enumerate(self.opinions(), start=1)
        ]

    @staticmethod
    def answered(answer: Item | None) -> bool:
        return answer is not None and bool(str(answer.text).strip())

    # -- what the list shows ------------------------------------------------------------------

    def search_text(self, item: Item) -> str:
        """What the filter looks in: the question, its category, priority, reason, answers."""
        words = [str(item.text), model.spec("questions", "category").label_of(item.category),
                 str(item.priority),
                 str(item.why)]
        if self.case is not None:
            words += [str(a.text) for a in self.case.answers_for(item.id).values()]
        return " ".join(words).casefold()

    def visible_items(self) -> list[Item]:
        if self.case is None:
            return []
        items = list(self.items(self.case))
        self._positions = {item.id: n for n, item in enumerate(items, start=1)}
        if self.filter_text:
            needle = self.filter_text.casefold()
            items = [i for i in items if needle in self.search_text(i)]
        return items

    def cells(self, item: Item) -> Sequence[Text]:
        asked = bool(item.asked)
        priority = str(item.priority)
        doctors = self.answers(item)
        count = sum(1 for _, _, answer in doctors if self.answered(answer))
        quiet = quiet_colour(self.app.theme_variables)
        return (
            yes_mark(asked),
            text.cell(self._positions.get(item.id, ""), style=quiet),
            text.cell(model.spec("questions", "priority").label_of(priority),
                      style="bold" if priority == "high" else
                      quiet if priority == "low" else ""),
            text.cell(model.spec("questions", "category").label_of(item.category)),
            text.cell(item.text, style=quiet if asked else ""),
            text.cell(f"{count}/{len(doctors)}" if doctors else "-",
                      style="" if count else quiet),
            conflict_mark(item),
        )

    def summary(self, case: Case) -> Content:
        questions = case.questions
        if not questions:
            return Content("")
        asked = sum(1 for q in questions if q.asked)
        open_high = sum(1 for q in questions if not q.asked and q.priority == "high")
        parts: list[Content | tuple[str, str] | str] = [
            ("Questions  ", "bold"), f"{asked} of {len(questions)} asked",
        ]
        if open_high:
            parts += [("  \u00b7  ", "dim"), (f"{open_high} high priority still to ask", "bold")]
        parts += [("  \u00b7  b more from the bank", "dim")]
        opinions = self.opinions()
        if opinions:
            parts += ["\n", ("Answered  ", "bold")]
            for n, opinion in enumerate(opinions, start=1):
                given = sum(
                    1 for q in questions
                    if self.answered(case.answers_for(q.id).get(opinion.id))
                )
                if n > 1:
                    parts.append(("  \u00b7  ", "dim"))
                parts += [text.content(self.doctor_name(opinion)),
                          f" {given} of {len(questions)}"]
        return Content.assemble(*parts)

    def show_answers(self) -> None:
        """Fill the answers view for the highlighted question."""
        view = self.query_one(AnswersView)
        item = self.highlighted
        if item is None:
            view.show_nothing()
            return
        view.show(
            str(item.why),
            [(label, None if answer is None else str(answer.text))
             for label, _, answer in self.answers(item)],
            item.conflicts,
        )

    @on(ItemTable.RowHighlighted)
    def _show_answers(self) -> None:
        self.show_answers()

    def rebuild(self) -> None:
        super().rebuild()
        if not self.is_mounted:
            return
        self.show_answers()
        self.offer.refresh_offer()  # and the footer's u, while there is something to add

    # -- keys ---------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "add_new_questions":  # in the footer only when there is something to add
            return self.is_mounted and bool(self.query(ContentOffer).first().display)
        return super().check_action(action, parameters)

    def action_toggle(self) -> None:
        """Mark the highlighted question asked, or not asked."""
        item = self.highlighted
        if item is not None:
            asked = not item.asked
            self.post_message(ChangeRequested(
                self.TABLE, item.id, {"asked": asked},
                f"{'Asked' if asked else 'Not asked'}: {str(item.text)[:60]}",
            ))

    def action_delete(self) -> None:
        """Ask to delete the highlighted question with its answers (asks first when it has
        any; ctrl+z brings all back)."""
        item = self.highlighted
        if item is None or self.case is None:
            return
        answers = sum(1 for a in self.case.answers if a.question == item.id)
        ask_before_deleting(self, self.TABLE, item.id, self.label(item), answers)

    def action_add(self) -> None:
        """Ask for the form to add the person's own question: it goes after their other own
        questions, before the ones from the bank (``own_question_order``)."""
        if self.case is None:
            return
        self.expect_new_item()
        self.post_message(FormRequested(self.TABLE, None, self.FORM_FIELDS,
                                        preset={"order": own_question_order(
                                            self.items(self.case))},
                                        title=f"New {self.NOUN}"))

    def action_move(self, step: int) -> None:
        """Move the highlighted question one place up (-1) or down (1) among those shown.

        Writes only its ``order``: a number between its new neighbours'. When they hold the
        same number (old cases, or numbers too close), every question is numbered afresh.
        """
        item = self.highlighted
        if item is None or self.case is None:
            return
        shown = self.visible_items()
        ids = [i.id for i in shown]
        target = ids.index(item.id) + step
        if not 0 <= target < len(shown):
            return
        rest = [i for i in self.items(self.case) if i.id != item.id]
        at = next(n for n, i in enumerate(rest) if i.id == shown[target].id)
        at = at if step < 0 else at + 1
        low = _number(rest[at - 1].order) if at > 0 else None
        high = _number(rest[at].order) if at < len(rest) else None
        word = "up" if step < 0 else "down"
        summary = f"Moved {word}: {str(item.text)[:60]}"
        if low is None and high is None:
            new = None
        elif low is None:
            new = high - 1.0  # type: ignore[operator]
        elif high is None:
            new = low + 1.0
        else:
            new = (low + high) / 2.0
            if not low < new < high:
                new = None
        if new is not None:
            self.post_message(ChangeRequested(self.TABLE, item.id, {"order": new}, summary))
            return
        placed = [*rest[:at], item, *rest[at:]]
        for n, question in enumerate(placed, start=1):
            if _number(question.order) != float(n) or question.id == item.id:
                self.post_message(ChangeRequested(
                    self.TABLE, question.id, {"order": float(n)},
                    summary if question.id == item.id else "Questions numbered afresh",
                ))

    def action_bank(self) -> None:
        """Ask for the question bank's picker (the bank's questions this case lacks, those
        that fit it first: ``starter_questions.choices``); the picked ones are added after
        the last question, in one save."""
        content = getattr(self.app, "content", None)
        if self.case is None or content is None:
            self.app.notify("No question bank is loaded.", severity="warning")
            return
        held = {str(q.bank_id) for q in self.case.questions if q.bank_id}
        listed = starter_questions.choices(
            content.questions, content.applicable_questions(self.case.info.values), held)
        by_key = {q.key: q for q, _ in listed}
        rows = [BankRow(q.key, q.text, q.category, q.priority, q.why, fits)
                for q, fits in listed]
        self.post_message(BankPickRequested(rows, lambda keys: self._add_from_bank(
            [by_key[k] for k in keys if k in by_key])))

    def _add_from_bank(self, picked: Sequence[BankQuestion]) -> None:
        """Add ``picked`` after the last question, in their order: one save, one ctrl+z."""
        if self.case is None or not picked:
            return
        orders = [_number(q.order) for q in self.case.questions]
        last = max((o for o in orders if o is not None), default=0.0)
        changes = [("questions", new_id(), q.case_values(last + n))
                   for n, q in enumerate(picked, start=1)]
        noun = "question" if len(picked) == 1 else "questions"
        self.post_message(ChangesRequested(changes, f"Added {len(picked)} {noun} from the bank"))

    def action_top(self) -> None:
        """Move the highlighted question to the top of the list (writes only its order)."""
        item = self.highlighted
        if item is None or self.case is None:
            return
        ordered = list(self.items(self.case))
        if not ordered or ordered[0].id == item.id:
            return
        first = _number(ordered[0].order)
        self.post_message(ChangeRequested(
            self.TABLE, item.id, {"order": (first if first is not None else 0.0) - 1.0},
            f"Moved to the top: {str(item.text)[:60]}"))

    def action_answer(self) -> None:
        """Write or change a doctor's answer to the highlighted question: always asks which
        doctor first, even when there is one, so the keys typed for that step (its number,
        enter) never land in the answer's text."""
        item = self.highlighted
        if item is None:
            return
        doctors = self.answers(item)
        if not doctors:
            self.app.notify("No doctor has given an opinion yet: add it in pane 5 (Opinions), "
                            "then write the answer here.", severity="warning")
            return
        question_id = item.id
        self.post_message(DoctorPickRequested(
            str(item.text), [(label, o.id, self.answered(a)) for label, o, a in doctors],
            lambda opinion_id: self._ask_for_answer(question_id, opinion_id),
        ))

    def _ask_for_answer(self, question_id: str, opinion_id: str) -> None:
        """Ask for the answer form of one doctor: a new answer, or theirs to change (the
        screen saves it, marking the question asked)."""
        if self.case is None:
            return
        question = next((q for q in self.case.questions if q.id == question_id), None)
        found = next(((label, a) for label, o, a in self.answers(question)
                      if o.id == opinion_id), None) if question is not None else None
        if question is None or found is None:
            self.app.notify("That question or opinion is gone (deleted on another device?).",
                            severity="warning")
            return
        label, answer = found
        title = f"Answer from {label}: {text.clean(question.text)[:120]}"
        self.post_message(AnswerFormRequested(
            question_id, opinion_id, None if answer is None else answer.id, title,
            asked=bool(question.asked),
        ))

    def action_add_new_questions(self) -> None:
        """Add the questions the content set has and the case lacks, and record the content
        version in the case: one save, one ctrl+z."""
        writes = self.offer.writes()
        if writes:
            self.post_message(ChangesRequested(
                [(w.table, w.doc_id, w.values) for w in writes], missing_summary(writes)
            ))
