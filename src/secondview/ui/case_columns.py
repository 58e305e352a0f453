"""The case list's columns: one ``Column`` record each, holding all there is to know about it
(its heading, widths, when it drops out, how it sorts, whether it is measured, how its cell is
made), and the fitting of the columns to a width. Adding a column is one entry in COLUMNS.

Drawn by ``ui.widgets.case_table.CaseTable``; sorted by the home screen (``sorted_rows``).
Beside the widgets, not among them: it holds no widget (as ``ui.forms`` for the forms).
Pure: no I/O, no widgets. Every cell's text is plain; the table cleans it (``text.clean``).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from rich.cells import cell_len

from ..core.case_summary import CaseSummary, late_for_me, next_visit, overdue_count
from ..core.choices import CASE_PHASE_LABELS, URGENCIES
from ..core.replica import stamp_to_datetime
from ..core.urgency import urgency_now
from .kit.cursor_rows import SCROLL_MARK_CELLS

EMERGENCY_MARK = "\u203c"  # ‼
SOON_MARK = "!"
UNREADABLE_MARK = "\u26a0"  # ⚠
CONFLICT_MARK = "\u2260"  # ≠
ARCHIVED_WORD = "Archived"
"""Shown in the phase column of an archived case (listed only when asked for)."""

CELL_PADDING = 2  # one blank cell each side of a column
SCROLLBAR = SCROLL_MARK_CELLS

Cell = tuple[tuple[str, str], ...]
"""A table cell: spans of (plain text, style name)."""

DECISION_WORDS = {
    # decision.state -> the few words the list has room for
    "": "",
    "weighing options": "Weighing",
    "leaning": "Leaning",
    "decided": "Decided",
    "decided, doctor told": "Decided, told",
}
_DECISION_ORDER = {state: n for n, state in enumerate(DECISION_WORDS)}
_PHASE_ORDER = {phase: n for n, phase in enumerate(CASE_PHASE_LABELS)}
_URGENCY_RANK = {urgency: n for n, urgency in enumerate(URGENCIES)}
"""routine < soon < emergency (``choices.URGENCIES``' order): sorted from the most urgent."""


def when(stamp: str, today: _dt.date) -> str:
    """A short, local 'when' for a clock stamp: 'today 14:05', 'yesterday' or the date."""
    moment = stamp_to_datetime(stamp)
    if moment is None:
        return ""
    local = moment.astimezone()
    day = local.date()
    if day == today:
        return f"today {local:%H:%M}"
    if day == today - _dt.timedelta(days=1):
        return "yesterday"
    return day.isoformat()


def unreadable(summary: CaseSummary) -> bool:
    """Whether the case could not be read at all (its row holds only the error)."""
    return bool(summary.error) and not summary.phase


def urgency_mark(summary: CaseSummary) -> tuple[str, str]:
    """(symbol, style) put before a title: emergency, a case that cannot be read (or only
    read, not changed, here), or soon. The style is "emergency" or "warning" (the table's
    component classes of those names, so the theme colours them) or a Rich style."""
    urgency = urgency_now(summary.urgency, summary.archived)
    if urgency == "emergency" and not unreadable(summary):
        return EMERGENCY_MARK, "emergency"
    if summary.error:
        return UNREADABLE_MARK, "warning"
    if urgency == "soon":
        return SOON_MARK, "bold"
    return " ", ""


def _plain(value: object, style: str = "") -> Cell:
    return ((str(value), style),)


def _title_cell(s: CaseSummary, today: _dt.date) -> Cell:
    mark, style = urgency_mark(s)
    title_style = " ".join(word for word, on in (("bold", style), ("italic", s.archived)) if on)
    return ((mark + " ", style), (s.title or "(untitled)", title_style))


def _phase_cell(s: CaseSummary, today: _dt.date) -> Cell:
    shown = ("cannot be read" if unreadable(s) else ARCHIVED_WORD if s.archived
             else CASE_PHASE_LABELS.get(s.phase, s.phase))
    return _plain(shown, "italic" if s.archived else "")


def _next_cell(s: CaseSummary, today: _dt.date) -> Cell:
    mark, _ = urgency_mark(s)
    return _plain(s.error if unreadable(s) else s.next_step,
                  "emergency" if mark == EMERGENCY_MARK else "")


def _overdue_cell(s: CaseSummary, today: _dt.date) -> Cell:
    late = overdue_count(s, today)
    return _plain(late or "", "warning" if late else "")


def visit_words(date: _dt.date | None, today: _dt.date) -> str:
    """A visit's date in the list's few cells: '30 Sep' this year, 'Jan 27' another."""
    if date is None:
        return ""
    return f"{date.day} {date:%b}" if date.year == today.year else f"{date:%b %y}"


def _mine_cell(s: CaseSummary, today: _dt.date) -> Cell:
    late = late_for_me(s, today)
    if late:
        return ((f"{s.waiting_me} ({late}!)", "warning"),)
    return _plain(s.waiting_me or "")


@dataclass(frozen=True)
class Column:
    """One column of the case list: everything the table, the fitting and the sorting know
    about it."""

    key: str
    label: str
    sort: Callable[..., Any]
    """The key rows sort by in this column: of a case, or (``by_day``) of a case and today."""
    cell: Callable[[CaseSummary, _dt.date], Cell]
    """The cell of a case (given today's date), as spans of plain text and style."""
    width: int = 0
    """Fixed width in cells; 0 for a column that shares the space left (``weight``)."""
    weight: int = 0
    least: int = 0
    drop: int = 0
    """Columns are left out, lowest ``drop`` first, when the terminal is too narrow; 0 never."""
    from_most: bool = False
    """Sorts from the most (counts, the latest) down when first chosen; else from A."""
    texts: Callable[[Sequence[CaseSummary]], set[str]] | None = None
    """The texts its cells show, to measure (``natural_widths``); None: not measured, the
    column keeps its fixed width."""
    mark_cells: int = 0
    """Cells each cell takes besides its measured text (the title's urgency mark)."""
    by_day: bool = False
    """``sort`` takes today's date too (what is late or next is decided on the day shown)."""
    drawn_in: str = ""
    """The key of the column whose cells show this one (the urgency: the mark before each
    title): not a column of its own on screen, but sorted by like one."""


# In a narrow terminal the decision goes first, then records, open questions, the device,
# the condition and the phase; the columns that answer "what is late, what waits on me"
# (visit, for me, overdue) go last: at 80 columns only the visit has gone.
COLUMNS: tuple[Column, ...] = (
    Column("title", "Title", lambda s: s.title.casefold(), _title_cell, weight=3, least=20,
           texts=lambda rows: {s.title for s in rows}, mark_cells=2),
    Column("condition", "Condition", lambda s: s.condition.casefold(),
           lambda s, _: _plain(s.condition), weight=2, least=9, drop=5,
           texts=lambda rows: {s.condition for s in rows}),
    Column("phase", "Phase", lambda s: _PHASE_ORDER.get(s.phase, len(_PHASE_ORDER)),
           _phase_cell, 16, drop=6,
           texts=lambda rows: ({CASE_PHASE_LABELS.get(s.phase, s.phase) for s in rows}
                               | ({ARCHIVED_WORD} if any(s.archived for s in rows) else set()))),
    Column("next", "Next step", lambda s: s.next_step.casefold(), _next_cell, weight=4,
           least=14, texts=lambda rows: {s.error or s.next_step for s in rows}),
    Column("overdue", "Overdue", lambda s, today: overdue_count(s, today), _overdue_cell, 7,
           drop=9, from_most=True, by_day=True),
    Column("visit", "Visit", lambda s, today: next_visit(s, today) or _dt.date.max,
           lambda s, today: _plain(visit_words(next_visit(s, today), today)), 6, drop=7,
           by_day=True),
    Column("mine", "For me", lambda s, today: (late_for_me(s, today), s.waiting_me),
           _mine_cell, 7, drop=8, from_most=True, by_day=True),
    Column("records", "Records", lambda s: (s.records_confirmed, s.records_total),
           lambda s, _: _plain(f"{s.records_confirmed}/{s.records_total}"), 7, drop=2,
           from_most=True),
    Column("questions", "Open Q", lambda s: s.open_questions,
           lambda s, _: _plain(s.open_questions or ""), 6, drop=3, from_most=True),
    Column("conflicts", CONFLICT_MARK, lambda s: s.conflicts,
           lambda s, _: _plain(f"{CONFLICT_MARK}{s.conflicts}" if s.conflicts else "", "bold"),
           3, from_most=True),
    Column("changed", "Last change", lambda s: s.updated_at,
           lambda s, today: _plain(when(s.updated_at, today)), 11, from_most=True),
    Column("by", "Device", lambda s: s.updated_by.casefold(), lambda s, _: _plain(s.updated_by),
           14, drop=4, texts=lambda rows: {s.updated_by for s in rows}),
    Column("decision", "Decision", lambda s: _DECISION_ORDER.get(s.decision,
                                                                 len(_DECISION_ORDER)),
           lambda s, _: _plain("" if unreadable(s) else DECISION_WORDS.get(s.decision,
                                                                           s.decision)),
           13, drop=1, texts=lambda rows: {DECISION_WORDS.get(s.decision, s.decision)
                                           for s in rows}),
    Column("urgency", "Urgency", lambda s: _URGENCY_RANK.get(urgency_now(s.urgency, s.archived), 0),
           lambda s, _: (urgency_mark(s),), drawn_in="title", from_most=True),
)
BY_KEY = {c.key: c for c in COLUMNS}
COLUMN_KEYS = tuple(BY_KEY)
NEWEST_FIRST = ("changed", True)
"""The sort a list starts with: the most recently changed case first."""


def starts_descending(column: str) -> bool:
    """Whether ``column`` sorts from the most (counts, the latest change) when first chosen;
    text sorts from A."""
    return BY_KEY[column].from_most


def sort_key(column: str, today: _dt.date) -> Callable[[CaseSummary], Any]:
    """How rows sort by ``column`` (one of ``COLUMN_KEYS``) on ``today``: text without regard
    to case, phases in their order, counts as numbers, changes by their clock stamp, visits
    by the next one's date, urgency by its rank."""
    found = BY_KEY[column]
    if found.by_day:
        return lambda s: found.sort(s, today)
    return found.sort


def sorted_rows(
    rows: Sequence[CaseSummary], column: str, descending: bool, today: _dt.date
) -> list[CaseSummary]:
    """``rows`` sorted by ``column`` on ``today``; rows that tie keep their order (latest
    change first)."""
    return sorted(rows, key=sort_key(column, today), reverse=descending)


def label_of(column: str) -> str:
    """The heading of ``column`` as a person reads it."""
    return BY_KEY[column].label


MEASURED = frozenset(c.key for c in COLUMNS if c.texts is not None)
"""Columns whose cells are measured (``natural_widths``): a column of them narrower than its
room leaves the rest to the others. The counts and times keep their fixed widths."""
TITLE_WANT = 48
"""Cells of spare room the title takes before the other columns share what is left (a long
title, even a stranger's ten thousand characters, still leaves them their share)."""


def natural_widths(rows: Sequence[CaseSummary]) -> dict[str, int]:
    """The widest cell of each ``MEASURED`` column among ``rows``, in cells (the title's with
    its mark). One pass over the rows: for the whole list, not on every key of the filter."""
    def widest(values: set[str]) -> int:
        # plain ASCII takes a cell a character (measuring every title cell by cell took
        # most of this pass); other text is measured
        return max((len(v) if v.isascii() else cell_len(v) for v in values), default=0)

    return {c.key: c.mark_cells + widest(c.texts(rows)) for c in COLUMNS if c.texts is not None}


def fit_columns(width: int, natural: Mapping[str, int] | None = None) -> list[tuple[Column, int]]:
    """The columns that fit ``width`` cells, each with the width it gets.

    With ``natural`` (``natural_widths`` of the rows shown), a column no wider than its cells
    need (never narrower than its heading) gives up the rest of its room; the room left goes
    first to the title, up to what it needs (``TITLE_WANT`` at most), then to the other shared
    columns up to what they need, by weight, and what remains by weight.
    """
    available = width - SCROLLBAR
    natural = natural or {}

    def wants(c: Column) -> int | None:
        if c.key not in natural:
            return None
        return max(len(c.label) + 1, natural[c.key])  # + 1: the sort arrow beside the label

    def least(c: Column) -> int:
        want = wants(c)
        base = c.width or c.least
        return base if want is None or c.key == "title" else min(base, want)

    chosen = [c for c in COLUMNS if not c.drawn_in]

    def needed(cols: list[Column]) -> int:
        return sum(least(c) + CELL_PADDING for c in cols)

    for victim in sorted((c for c in chosen if c.drop), key=lambda c: c.drop):
        if needed(chosen) <= available:
            break
        chosen.remove(victim)
    spare = max(0, available - needed(chosen))
    widths = {c.key: least(c) for c in chosen}
    shared = [c for c in chosen if not c.width]
    title = next(c for c in shared if c.key == "title")
    if natural:
        extra = min(spare, max(0, min(wants(title) or 0, TITLE_WANT) - widths["title"]))
        widths["title"] += extra
        spare -= extra
        hungry = [c for c in shared if (wants(c) or 0) > widths[c.key]]
        while spare and hungry:
            weights = sum(c.weight for c in hungry)
            given = 0
            for c in hungry:
                share = max(1, spare * c.weight // weights)
                share = min(share, (wants(c) or 0) - widths[c.key], spare - given)
                widths[c.key] += share
                given += share
            spare -= given
            hungry = [c for c in hungry if (wants(c) or 0) > widths[c.key]]
            if not given:
                break
    weights = sum(c.weight for c in shared) or 1
    for c in shared:
        widths[c.key] += spare * c.weight // weights
    return [(c, widths[c.key]) for c in chosen]
