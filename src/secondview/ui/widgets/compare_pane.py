"""ComparePane: two opinions side by side, row by row, agreement marked by a symbol.

Column A and column B each hold one opinion; ``[`` chooses another opinion for A, ``]`` for
B (the pair is remembered for the case in the app's local state: ``ComparePairChosen``).
Every compared field is a row: ``=`` the same, ``≠`` different (the words that differ
underlined), ``◐`` only A says, ``◑`` only B says; the symbol is coloured from the theme
too, but never stands on colour alone. The answers each doctor gave to the same question
follow, side by side. ``d`` shows only the rows that differ (fields and answers). Each row
draws both columns (one row of a table with fixed column widths), so they always scroll
together; on a narrow terminal they are stacked (A above B within each row). The pane
scrolls with the arrow and page keys. A side longer than FOLD_CHARS is cut short with a
note of the words left out and how many of them differ; ``f`` shows every word.

How a side, a relation and the verdict read is ``compare_text``'s; the heading and the rows
are laid out by ``compare_layout``. The rows are drawn by CompareRows (compare_rows.py):
those in view before the frame, the rest just after, and a row's word diff is worked out when
its row is first drawn (the engine's spans are lazy), so two 2,000-word opinions show in a
frame or two.

Above the rows: the verdict (agree, refine, differ) with its notes (``n`` folds them into
one line, as they start on a short terminal: FOLD_BELOW), and how B's diagnosis and
treatment relate to A's (confirmed, refined, changed), suggested by the engine or settled by
the person: ``D`` and ``T`` open a small picker of the settings (confirmed, refined, changed,
unsettled) and the one chosen is kept in B's ``diagnosis_relation``/``treatment_relation``
(only when A is the first opinion: the setting is always against it). ``o`` starts another
opinion (offered plainly when the two differ): the opinion form, then the new opinion saved
with a transfer requested of the records sent to B's doctor (every record when none was) and
the questions neither doctor answered opened again (``asked`` set back to no): one save, one
ctrl+z.

The comparison itself is ``core.compare.compare``; this pane only shows it. It shows the
bound ``case`` and never writes: changes go up as ``ChangeRequested`` and
``ThirdOpinionRequested`` messages.
"""

from __future__ import annotations

import datetime as _dt
from typing import TYPE_CHECKING

from rich.text import Text
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.dom import DOMNode
from textual.reactive import reactive
from textual.widgets import Static

from ...core.care_team import doctor_ref, transfers_of
from ...core.compare import RELATIONS, chosen_pair, compare, default_pair
from ...core.comparison import MARKS, AnswerRow, Comparison, FieldRow, Relation
from ..compare_layout import CompareLayout
from ..compare_text import FOLD_CHARS, verdict_view
from ..kit.compare_rows import CompareRows
from ..messages.change_requested import ChangeRequested
from ..messages.compare_pair_chosen import ComparePairChosen
from ..messages.relation_pick_requested import RelationPickRequested
from ..messages.third_opinion_requested import ThirdOpinionRequested

Block = CompareRows.Block

if TYPE_CHECKING:
    from textual import events
    from textual.app import ComposeResult
    from textual.theme import Theme

    from ...core.model import Case, Item

NARROW = 100
"""Below this many cells the two columns are stacked."""

FOLD_BELOW = 30
"""On a terminal shorter than this many lines the verdict's notes start folded away (one line
saying what they are about; ``n`` shows them), so the rows start on the first screen."""

SETTINGS = ("unsettled", *RELATIONS)
"""The settings a relation can be given (``D`` and ``T`` open the picker of them)."""



class ComparePane(VerticalScroll):
    """Two opinions in two columns (stacked when narrow). See the module docstring."""

    DEFAULT_CSS = """
    ComparePane {
        padding: 0 1;
        scrollbar-gutter: stable;
    }
    ComparePane #compare-verdict {
        margin-bottom: 1;
    }
    ComparePane #compare-heading {
        margin-bottom: 1;
    }
    """

    can_focus = True
    BINDINGS = [
        Binding("left_square_bracket", "cycle('a')", "Other A", id="compare.left"),
        Binding("right_square_bracket", "cycle('b')", "Other B", id="compare.right"),
        Binding("d", "differences", "Differences only", id="compare.differences"),
        Binding("f", "full_text", "Every word", show=False, id="compare.full"),
        Binding("D", "settle('diagnosis')", "Diagnosis relation", show=False,
                id="compare.diagnosis"),
        Binding("T", "settle('treatment')", "Treatment relation", show=False,
                id="compare.treatment"),
        Binding("o", "third_opinion", "Another opinion", id="compare.third"),
        Binding("n", "notes", "Show or fold the notes", show=False, id="compare.notes"),
    ]
    GUIDANCE = (
        "Two opinions side by side, field by field: = the same, \u2260 different (the "
        "words that differ underlined), \u25d0 only A says, \u25d1 only B says. The symbol "
        "always tells; the color only helps.",
        "[ chooses another opinion for column A, ] for column B (with a third opinion "
        "recorded). The doctors' answers to the same questions follow the fields.",
        "d shows only what differs (fields and answers); d again shows everything. A very "
        "long field is cut after about 100 words, with a note of how many words are left "
        "out and how many of them differ: f shows every word.",
        "At the top: the verdict (agree, refine or differ) and how B's diagnosis and "
        "treatment relate to A's: confirmed, refined or changed. secondview suggests; D "
        "settles the diagnosis and T the treatment: each opens a short list to choose "
        "from (confirmed, refined, changed, or unsettled), when A is the first opinion.",
        "n folds the notes under the verdict into one line, or shows them again (on a "
        "short terminal they start folded, so the rows are on the first screen).",
        "o starts another opinion: fill in the form, and the new opinion is saved with a "
        "transfer requested of each record sent to B's doctor (every record when none was), "
        "and the questions neither doctor answered are marked not asked, so they are open "
        "for the new doctor. One save: ctrl+z takes it all back.",
        "Arrow keys, page up and page down scroll both columns together; on a narrow "
        "terminal each row shows A above B.",
    )

    case: reactive[Case | None] = reactive(None, init=False, always_update=True)

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.today = _dt.date.today()
        self.a_id: str | None = None
        self.b_id: str | None = None
        self.rows: tuple[FieldRow, ...] = ()
        self.answer_rows: tuple[AnswerRow, ...] = ()
        self.comparison: Comparison | None = None
        self.only_differences = False
        self.full_text = False
        self.notes_open: bool | None = None
        """Whether the verdict's notes show (None: as the terminal's height has it)."""
        self.verdict_plain = ""
        self._stale = True

    def compose(self) -> ComposeResult:
        yield Static(id="compare-verdict")
        yield Static(id="compare-heading")
        yield CompareRows(id="compare-rows")

    def on_mount(self) -> None:
        self.app.theme_changed_signal.subscribe(self, self._theme_changed)
        self.render_comparison()

    def _theme_changed(self, theme: Theme) -> None:
        self.render_comparison()

    def watch_case(self) -> None:
        # A hidden pane waits until it is shown: edits elsewhere cost it nothing.
        self._stale = True
        if self.is_mounted and self.display:
            self.render_comparison()

    @property  # type: ignore[override]
    def display(self) -> bool:
        return DOMNode.display.fget(self)  # type: ignore[attr-defined, no-any-return]

    @display.setter
    def display(self, value: bool | str) -> None:
        """Shown or hidden (Textual's ``display``). A pane that fell behind catches up the
        moment it is shown, before the layout that shows it: the first frame it appears in
        holds the comparison (``on_show`` comes a frame later)."""
        DOMNode.display.fset(self, value)  # type: ignore[attr-defined]
        shown = DOMNode.display.fget(self)  # type: ignore[attr-defined]
        if self._stale and self.is_mounted and shown:
            self.render_comparison()

    def on_show(self) -> None:
        if self._stale:
            self.render_comparison()

    def on_resize(self, event: events.Resize) -> None:
        narrow = event.size.width < NARROW
        if narrow != self.has_class("-narrow"):
            self.set_class(narrow, "-narrow")
            self.render_comparison()

    def action_scroll_end(self) -> None:
        """To the end: the rows below the view are laid out first (they may not be yet, see
        compare_rows.py), so the end is the real one."""
        body = self.query_one("#compare-rows", CompareRows)
        if body.render_all():
            body.refresh(layout=True)
            self.call_after_refresh(super().action_scroll_end)
        else:
            super().action_scroll_end()

    @property
    def narrow(self) -> bool:
        return self.has_class("-narrow")

    # -- choosing -----------------------------------------------------------------------------

    def opinions(self) -> tuple[Item, ...]:
        """The case's opinions in order (first opinion first, unnumbered ones last)."""
        return self.case.opinions_in_order() if self.case is not None else ()

    def remembered(self) -> tuple[str, str] | None:
        """The pair last chosen for this case, as the app's local state holds it (None in an
        app without one)."""
        state = getattr(self.app, "app_state", None)
        pair = getattr(state, "pair", None)
        return pair(self.case.id) if pair is not None and self.case is not None else None

    def chosen(self) -> tuple[Item, Item] | None:
        """The opinions in columns A and B: the ones chosen here, else the ones last chosen
        for this case, else the first opinion and the latest one after it with something to
        compare (``core.compare.chosen_pair``: the export dialog starts from the same)."""
        if self.case is None:
            return None
        if self.a_id is None and self.b_id is None:
            start = chosen_pair(self.case, self.remembered())
            if start is not None:
                self.a_id, self.b_id = start[0].id, start[1].id
        pair = default_pair(self.case)
        if pair is None:
            return None
        by_id = {o.id: o for o in self.opinions()}
        a = by_id.get(self.a_id or "", pair[0])
        b = by_id.get(self.b_id or "", pair[1])
        if b.id == a.id:
            b = next(o for o in by_id.values() if o.id != a.id)
        self.a_id, self.b_id = a.id, b.id
        return a, b

    def action_cycle(self, column: str) -> None:
        """Put the next opinion (after the one there, skipping the other column's) in
        ``column`` 'a' or 'b'."""
        pair = self.chosen()
        if pair is None:
            self.app.notify("Two opinions are needed to compare.", timeout=3)
            return
        ids = [o.id for o in self.opinions()]
        if len(ids) == 2:
            self.app.notify("Only two opinions are recorded: add a third in the Opinions "
                            "pane (5) to compare it.", timeout=4)
            return
        here, other = (pair[0], pair[1]) if column == "a" else (pair[1], pair[0])
        at = ids.index(here.id)
        candidate = next(ids[(at + step) % len(ids)] for step in range(1, len(ids))
                         if ids[(at + step) % len(ids)] != other.id)
        if column == "a":
            self.a_id = candidate
        else:
            self.b_id = candidate
        self.render_comparison()
        if self.case is not None and self.a_id is not None and self.b_id is not None:
            self.post_message(ComparePairChosen(self.case.id, self.a_id, self.b_id))

    @property
    def limit(self) -> int | None:
        """How many characters of each side a row shows (None: all, after ``f``)."""
        return None if self.full_text else FOLD_CHARS

    def action_full_text(self) -> None:
        """Show every word of long fields, or cut them short again."""
        self.full_text = not self.full_text
        self.render_comparison()

    @property
    def notes_folded(self) -> bool:
        """Whether the verdict's notes are folded into one line (see FOLD_BELOW)."""
        if self.notes_open is None:
            return self.app.size.height < FOLD_BELOW
        return not self.notes_open

    def action_notes(self) -> None:
        """Fold the verdict's notes into one line, or show them again."""
        self.notes_open = self.notes_folded
        self.render_comparison()

    def action_differences(self) -> None:
        """Show only the rows that differ, or everything again."""
        self.only_differences = not self.only_differences
        self.render_comparison()

    # -- settling and a third opinion -----------------------------------------------------------

    def action_settle(self, topic: str) -> None:
        """Ask for B's setting for ``topic`` in the relation picker; the one chosen is saved
        (posts RelationPickRequested, then ChangeRequested)."""
        comparison = self.comparison
        if comparison is None:
            self.app.notify("Two opinions are needed to compare.", timeout=3)
            return
        rel: Relation = getattr(comparison, topic)
        if not rel.field:
            self.app.notify(f"How the {topic} relates is settled against the first opinion: "
                            "put the first opinion in column A ([) to settle it.", timeout=5)
            return
        right = comparison.right
        now = right.values.get(rel.field, "unsettled")
        now = now if now in SETTINGS else "unsettled"

        def picked(after: str) -> None:
            if after != now:
                self.post_message(ChangeRequested(
                    "opinions", right.id, {rel.field: after},
                    f"{topic.capitalize()} of opinion {right.order or ''}: {after}"))

        self.post_message(RelationPickRequested(rel, now, picked))

    def action_third_opinion(self) -> None:
        """Ask the screen to start another opinion (see the module docstring)."""
        comparison = self.comparison
        if comparison is None or self.case is None:
            self.app.notify("Two opinions are needed to compare.", timeout=3)
            return
        case, a, b = self.case, comparison.left, comparison.right
        numbers = [o.order for o in case.opinions
                   if isinstance(o.order, int) and not isinstance(o.order, bool)]
        order = max([*numbers, len(case.opinions)]) + 1
        sent = [t.record for t in transfers_of(case, doctor_ref(case, b))]
        known = [r.id for r in case.records]
        records = [r for r in known if r in sent] or known
        answered = {ans.question for ans in case.answers
                    if ans.opinion in (a.id, b.id) and isinstance(ans.text, str)
                    and ans.text.strip()}
        open_ = [q for q in case.questions if q.id not in answered]
        self.post_message(ThirdOpinionRequested(
            order, records, [q.id for q in open_ if q.asked], len(open_)))

    # -- showing ------------------------------------------------------------------------------

    def render_comparison(self) -> None:
        """Compare the chosen opinions and show them (and their answers)."""
        if not self.is_mounted:
            return
        self._stale = False
        verdict = self.query_one("#compare-verdict", Static)
        heading = self.query_one("#compare-heading", Static)
        body = self.query_one("#compare-rows", CompareRows)
        pair = self.chosen()
        if pair is None or self.case is None:
            count = len(self.opinions())
            heading.update(Content.styled(
                "Two opinions are needed to compare: "
                + ("record the first and the second" if count == 0 else
                   "record the second one") + " in the Opinions pane (5).", "dim"))
            body.show([])
            verdict.update("")
            self.verdict_plain = ""
            self.rows, self.answer_rows, self.comparison = (), (), None
            return
        a, b = pair
        self.comparison = comparison = compare(self.case, a, b)
        self.rows, self.answer_rows = comparison.rows, comparison.answers
        shown, self.verdict_plain = verdict_view(comparison, self.app.theme_variables,
                                                 self.notes_folded)
        verdict.update(shown)
        layout = CompareLayout(self.case, self.rows, self.answer_rows,
                               self.app.theme_variables, self.narrow, self.limit,
                               self.only_differences)
        heading.update(layout.heading(a, b))
        body.show([*layout.field_blocks(a, b), Block(lambda: Text(""), keep=(0, 1)),
                   *layout.answer_blocks(a, b)])

    def plain(self) -> str:
        """What the comparison says, as plain text: one 'mark label | A | B' line per row."""
        lines = [f"{MARKS[r.kind]} {r.label} | {r.left} | {r.right}" for r in self.rows]
        lines += [f"{MARKS[r.kind]} Q: {r.question.text} | {r.left} | {r.right}"
                  for r in self.answer_rows]
        return "\n".join(lines)

