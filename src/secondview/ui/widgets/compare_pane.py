"""ComparePane: two opinions side by side, row by row, agreement marked by a symbol.

Column A and column B each hold one opinion; ``[`` chooses another opinion for A, ``]`` for
B. Every compared field is a row: ``=`` the same, ``≠`` different, ``◐`` only one of them
says; the symbol is coloured from the theme too, but never stands on colour alone. The answers
each doctor gave to the same question follow, side by side. On a narrow terminal the columns
are stacked (A above B within each row). The pane scrolls with the arrow and page keys.

The alignment is the pure functions ``align`` and ``align_answers`` below (no Textual, no
I/O), so the comparison engine of issue 5 (``core/compare.py``) can take their place. The
pane shows the bound ``case`` and never writes.
"""

from __future__ import annotations

import datetime as _dt
from typing import TYPE_CHECKING, Any, Mapping, Sequence

from rich import box
from rich.console import Group
from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Static

from ...core import model
from .. import text
from .opinions_pane import opinion_order, role

if TYPE_CHECKING:
    from textual import events
    from textual.app import ComposeResult
    from textual.theme import Theme

    from ...core.model import Case, Item

# -- the alignment (pure; moves to core/compare.py with issue 5) ------------------------------

COMPARED = (
    "diagnosis", "stage", "treatment", "alternatives", "risks", "side_effects", "goals",
    "recovery", "if_waiting", "evidence", "specialty", "institution", "independent",
    "visit_mode", "written_copy", "costs",
)
"""The fields compared, in the order the rows are shown."""

SAME, DIFFERS, ONE_SIDE, NEITHER = "same", "differs", "one_side", "neither"
SYMBOLS = {SAME: "=", DIFFERS: "\u2260", ONE_SIDE: "\u25d0", NEITHER: "\u00b7"}
WORDS = {SAME: "the same", DIFFERS: "different", ONE_SIDE: "only one says",
         NEITHER: "neither says"}

AlignedRow = tuple[str, str, str, str]
"""(what is compared: a field name or a question's text, agreement, A's words, B's words)."""


def shown(spec: model.FieldSpec, value: Any) -> str:
    """A stored value as words to compare and show; "" when nothing is recorded.

    yes/no for flags; a choice in words (``in_person`` -> ``in person``), ``unknown`` being
    nothing recorded.
    """
    if value is True:
        return "yes"
    if value is False:
        return "no"
    words = str(value if value is not None else "").strip()
    if spec.kind is model.Kind.CHOICE:
        return "" if words == "unknown" else words.replace("_", " ")
    return words


def _same_words(text_a: str, text_b: str) -> bool:
    """Equal but for case, spacing and a final full stop."""
    def norm(s: str) -> str:
        return " ".join(s.split()).casefold().rstrip(".")
    return norm(text_a) == norm(text_b)


def agreement(left: str, right: str) -> str:
    """SAME, DIFFERS, ONE_SIDE (only one says something) or NEITHER."""
    if not left.strip() and not right.strip():
        return NEITHER
    if not left.strip() or not right.strip():
        return ONE_SIDE
    return SAME if _same_words(left, right) else DIFFERS


def align(a: Mapping[str, Any], b: Mapping[str, Any],
          names: Sequence[str] = COMPARED) -> list[AlignedRow]:
    """Two opinions' values (field name -> stored value), field by field, in ``names`` order.

    Every field gives a row, NEITHER included, so a caller can say what nobody recorded.
    """
    rows = []
    for name in names:
        spec = model.spec("opinions", name)
        left, right = shown(spec, a.get(name)), shown(spec, b.get(name))
        rows.append((name, agreement(left, right), left, right))
    return rows


def align_answers(case: Case, a_id: str, b_id: str) -> list[AlignedRow]:
    """The answers of opinions ``a_id`` and ``b_id`` to each question, in the questions'
    order; a question neither of them answered gives a NEITHER row."""
    rows = []
    for question in case.questions:
        given = case.answers_for(question.id)
        left = str(given[a_id].text).strip() if a_id in given else ""
        right = str(given[b_id].text).strip() if b_id in given else ""
        rows.append((str(question.text), agreement(left, right), left, right))
    return rows


# -- the pane ---------------------------------------------------------------------------------

NARROW = 100
"""Below this many cells the two columns are stacked."""

COLOURS = {SAME: "text-success", DIFFERS: "text-warning", ONE_SIDE: "text-primary"}
"""The theme variable that colours each agreement (NEITHER stays dim)."""

FIELD_WIDTH = 18
QUESTION_WIDTH = 30


def _side(words: str) -> Text:
    """One side's words, literally, wrapped; a dim note when it says nothing."""
    if not words:
        return Text("not recorded", style="dim italic", end="")
    return Text(text.clean(words, multiline=True), overflow="fold", end="")


class ComparePane(VerticalScroll):
    """Two opinions in two columns (stacked when narrow). See the module docstring."""

    DEFAULT_CSS = """
    ComparePane {
        padding: 0 1;
    }
    ComparePane #compare-heading {
        margin-bottom: 1;
    }
    ComparePane #compare-answers {
        margin-top: 1;
    }
    """

    can_focus = True
    BINDINGS = [
        Binding("left_square_bracket", "cycle('a')", "Other A", id="compare.left"),
        Binding("right_square_bracket", "cycle('b')", "Other B", id="compare.right"),
    ]
    GUIDANCE = (
        "Two opinions side by side, field by field: = the same, \u2260 different, "
        "\u25d0 only one of them says. The symbol always tells; the colour only helps.",
        "[ chooses another opinion for column A, ] for column B (with a third opinion "
        "recorded). The doctors' answers to the same questions follow the fields.",
        "Arrow keys, page up and page down scroll; on a narrow terminal each row shows A "
        "above B.",
    )

    case: reactive[Case | None] = reactive(None, init=False, always_update=True)

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.today = _dt.date.today()
        self.a_id: str | None = None
        self.b_id: str | None = None
        self.rows: list[AlignedRow] = []
        self.answer_rows: list[AlignedRow] = []
        self._stale = True

    def compose(self) -> ComposeResult:
        yield Static(id="compare-heading")
        yield Static(id="compare-fields")
        yield Static(id="compare-answers")

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

    def on_show(self) -> None:
        if self._stale:
            self.render_comparison()

    def on_resize(self, event: events.Resize) -> None:
        narrow = event.size.width < NARROW
        if narrow != self.has_class("-narrow"):
            self.set_class(narrow, "-narrow")
            self.render_comparison()

    @property
    def narrow(self) -> bool:
        return self.has_class("-narrow")

    # -- choosing -----------------------------------------------------------------------------

    def opinions(self) -> list[Item]:
        """The case's opinions in order (first opinion first, unnumbered ones last)."""
        if self.case is None:
            return []
        return sorted(self.case.opinions, key=opinion_order)

    def chosen(self) -> tuple[Item, Item] | None:
        """The opinions in columns A and B: the ones chosen, else the first two."""
        ops = self.opinions()
        if len(ops) < 2:
            return None
        by_id = {o.id: o for o in ops}
        a = by_id.get(self.a_id or "", ops[0])
        b = by_id.get(self.b_id or "")
        if b is None or b.id == a.id:
            b = next(o for o in ops if o.id != a.id)
        self.a_id, self.b_id = a.id, b.id
        return a, b

    def action_cycle(self, column: str) -> None:
        """Put the next opinion (after the one there, skipping the other column's) in
        ``column`` 'a' or 'b'."""
        pair = self.chosen()
        if pair is None:
            self.app.notify("Two opinions are needed to compare.", timeout=3)
            return
        ops = self.opinions()
        if len(ops) == 2:
            self.app.notify("Only two opinions are recorded: add a third in the Opinions "
                            "pane (5) to compare it.", timeout=4)
            return
        here, other = (pair[0], pair[1]) if column == "a" else (pair[1], pair[0])
        ids = [o.id for o in ops]
        at = ids.index(here.id)
        for step in range(1, len(ids)):
            candidate = ids[(at + step) % len(ids)]
            if candidate != other.id:
                break
        if column == "a":
            self.a_id = candidate
        else:
            self.b_id = candidate
        self.render_comparison()

    # -- showing ------------------------------------------------------------------------------

    def _colour(self, agreement_: str) -> str:
        """The theme's colour for ``agreement_`` ("#rrggbb"), or "" for none."""
        variable = COLOURS.get(agreement_)
        colour = self.app.theme_variables.get(variable, "") if variable else ""
        return colour if colour.startswith("#") else ""

    def _mark(self, agreement_: str) -> Text:
        colour = self._colour(agreement_)
        style = Style(color=colour or None, bold=True, dim=agreement_ == NEITHER)
        return Text(SYMBOLS[agreement_], style=style, end="")

    def render_comparison(self) -> None:
        """Align the chosen opinions and show them (and their answers)."""
        if not self.is_mounted:
            return
        self._stale = False
        heading = self.query_one("#compare-heading", Static)
        fields = self.query_one("#compare-fields", Static)
        answers = self.query_one("#compare-answers", Static)
        pair = self.chosen() if self.case is not None else None
        if pair is None:
            count = len(self.opinions())
            heading.update(Content.styled(
                "Two opinions are needed to compare: "
                + ("record the first and the second" if count == 0 else
                   "record the second one") + " in the Opinions pane (5).", "dim"))
            fields.update("")
            answers.update("")
            self.rows, self.answer_rows = [], []
            return
        a, b = pair
        assert self.case is not None
        self.rows = align(a.values, b.values)
        self.answer_rows = align_answers(self.case, a.id, b.id)
        heading.update(self._heading(a, b))
        fields.update(self._fields_table(a, b))
        answers.update(self._answers_table())

    def _heading(self, a: Item, b: Item) -> Content:
        assert self.case is not None
        lines: list[Content] = []
        for letter, item, key in (("A", a, "["), ("B", b, "]")):
            parts: list[Content | tuple[str, str]] = [
                (f"{letter}  ", "bold"),
                text.content(item.doctor or "(no name)", "bold"),
                (f"  {role(item, self.case.first_opinion())}", ""),
            ]
            for name in ("specialty", "date"):
                value = getattr(item, name)
                if value:
                    parts += [("  \u00b7  ", "dim"), text.content(value)]
            parts.append((f"   ({key} another)" if len(self.case.opinions) > 2 else "", "dim"))
            lines.append(Content.assemble(*parts))
        counts = {k: sum(1 for r in self.rows if r[1] == k) for k in SYMBOLS}
        tally: list[Content | tuple[str, str]] = []
        for key in (SAME, DIFFERS, ONE_SIDE):
            if tally:
                tally.append(("   ", ""))
            colour = self._colour(key)
            tally.append(Content.styled(f"{SYMBOLS[key]} {counts[key]} {WORDS[key]}",
                                        f"bold {colour}" if colour else "bold"))
        lines.append(Content.assemble(*tally))
        return Content("\n").join(lines)

    def _label(self, name: str) -> Text:
        return Text(model.spec("opinions", name).label, style="bold", overflow="fold", end="")

    def _fields_table(self, a: Item, b: Item) -> Group | Table:
        recorded = [r for r in self.rows if r[1] != NEITHER]
        neither = [r for r in self.rows if r[1] == NEITHER]
        if self.narrow:
            table = self._stacked([(self._label(n), m, left, right)
                                   for n, m, left, right in recorded])
        else:
            table = self._columns("", FIELD_WIDTH, a, b,
                                  [(self._label(n), m, left, right)
                                   for n, m, left, right in recorded])
        if not neither:
            return table
        names = ", ".join(model.spec("opinions", n).label.lower() for n, *_ in neither)
        note = Text.assemble((f"{SYMBOLS[NEITHER]} Neither records: ", "dim bold"),
                             (names, "dim"))
        return Group(table, note) if recorded else note

    def _answers_table(self) -> Group | Text:
        answered = [r for r in self.answer_rows if r[1] != NEITHER]
        unanswered = len(self.answer_rows) - len(answered)
        title = Text("Answers to the same questions", style="bold", end="")
        if not answered:
            return Text.assemble(
                title, "\n",
                ("Neither doctor's answers are recorded yet: the Questions pane (4) holds "
                 "them.", "dim"))
        rows = [(Text(text.clean(q), overflow="fold", end=""), m, left, right)
                for q, m, left, right in answered]
        pair = self.chosen()
        assert pair is not None
        table = (self._stacked(rows) if self.narrow else
                 self._columns("Question", QUESTION_WIDTH, pair[0], pair[1], rows))
        parts: list[Any] = [title, table]
        if unanswered:
            parts.append(Text(f"{SYMBOLS[NEITHER]} {unanswered} more question"
                              f"{'s' if unanswered != 1 else ''} answered by neither.",
                              style="dim"))
        return Group(*parts)

    def _columns(self, heading: str, width: int, a: Item, b: Item,
                 rows: Sequence[tuple[Text, str, str, str]]) -> Table:
        table = Table(expand=True, box=box.HORIZONTALS, show_lines=True, border_style="dim",
                      padding=(0, 1))
        table.add_column(Text(""), width=1, no_wrap=True)
        table.add_column(Text(heading, style="bold"), width=width)
        for letter, item in (("A", a), ("B", b)):
            table.add_column(Text.assemble((f"{letter}  ", "bold"),
                                           text.cell(item.doctor, style="bold")), ratio=1)
        for label, agreement_, left, right in rows:
            table.add_row(self._mark(agreement_), label, _side(left), _side(right))
        return table

    def _stacked(self, rows: Sequence[tuple[Text, str, str, str]]) -> Table:
        table = Table.grid(padding=(0, 1), expand=True)
        table.add_column(width=1, no_wrap=True)
        table.add_column(ratio=1, overflow="fold")
        for n, (label, agreement_, left, right) in enumerate(rows):
            if n:
                table.add_row(Text(""), Text(""))
            table.add_row(self._mark(agreement_),
                          Text.assemble(label, (f"  {WORDS[agreement_]}", "dim")))
            table.add_row(Text(""), Text.assemble(("A  ", "bold"), _side(left)))
            table.add_row(Text(""), Text.assemble(("B  ", "bold"), _side(right)))
        return table

    def plain(self) -> str:
        """What the comparison says, as plain text: one 'mark label | A | B' line per row."""
        lines = []
        for name, agreement_, left, right in self.rows:
            label = model.spec("opinions", name).label
            lines.append(f"{SYMBOLS[agreement_]} {label} | {left} | {right}")
        for question, agreement_, left, right in self.answer_rows:
            lines.append(f"{SYMBOLS[agreement_]} Q: {question} | {left} | {right}")
        return "\n".join(lines)
