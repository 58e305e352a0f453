"""CaseTable: the case list, one row per case, columns fitted to the terminal's width.

A virtual table (Textual's line API): only the rows on screen are drawn, so ten thousand
cases paint and filter as quickly as ten. Shows ``CaseSummary`` rows (from the repository's
index) in the order given; never reads files. Every cell goes through ``text.cell``, so
titles and conditions are shown literally.

Sorting is the screen's (it owns the rows); this module says how each column sorts
(``sort_key``, ``NEWEST_FIRST``) and the table marks the sorted column in its header (``set_sort``).
A click on a header cell posts ``CaseTable.HeaderClicked``.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding
from textual.events import Resize
from textual.geometry import Size
from textual.message import Message
from textual.strip import Strip

from ...core.progress import PHASE_LABELS, urgency_now
from ...core.replica import stamp_to_datetime
from .. import text
from ..kit.cursor_rows import SCROLL_MARK_CELLS, CursorRows

if TYPE_CHECKING:
    from ...core.case_summary import CaseSummary

EMERGENCY_MARK = "\u203c"  # ‼
SOON_MARK = "!"
UNREADABLE_MARK = "\u26a0"  # ⚠
CONFLICT_MARK = "\u2260"  # ≠
ARCHIVED_WORD = "Archived"
"""Shown in the phase column of an archived case (listed only when asked for)."""
ASCENDING_MARK = "\u25b2"  # ▲
DESCENDING_MARK = "\u25bc"  # ▼

CELL_PADDING = 2  # one blank cell each side of a column
SCROLLBAR = SCROLL_MARK_CELLS
CACHE_LIMIT = 512


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    width: int = 0
    """Fixed width in cells; 0 for a column that shares the space left (``weight``)."""
    weight: int = 0
    least: int = 0
    drop: int = 0
    """Columns are left out, lowest ``drop`` first, when the terminal is too narrow; 0 never."""


COLUMNS: tuple[Column, ...] = (
    Column("title", "Title", weight=3, least=20),
    Column("condition", "Condition", weight=2, least=9, drop=5),
    Column("phase", "Phase", 16, drop=6),
    Column("next", "Next step", weight=4, least=14),
    Column("records", "Records", 7, drop=2),
    Column("questions", "Open Q", 6, drop=3),
    Column("conflicts", CONFLICT_MARK, 3),
    Column("changed", "Last change", 11),
    Column("by", "Device", 14, drop=4),
    Column("decision", "Decision", 13, drop=1),
)

DECISION_WORDS = {
    # decision.state -> the few words the list has room for
    "": "",
    "weighing options": "Weighing",
    "leaning": "Leaning",
    "decided": "Decided",
    "decided, doctor told": "Decided, told",
}
_DECISION_ORDER = {state: n for n, state in enumerate(DECISION_WORDS)}


COLUMN_KEYS = tuple(c.key for c in COLUMNS)
NEWEST_FIRST = ("changed", True)
"""The sort a list starts with: the most recently changed case first."""

_PHASE_ORDER = {phase: n for n, phase in enumerate(PHASE_LABELS)}
_FROM_MOST = frozenset({"records", "questions", "conflicts", "changed"})
"""Columns of counts and times sort from the most (the latest) down when first chosen."""


def starts_descending(column: str) -> bool:
    """Whether ``column`` sorts from the most (counts, the latest change) when first chosen;
    text sorts from A."""
    return column in _FROM_MOST


def sort_key(column: str) -> Callable[[CaseSummary], Any]:
    """How rows sort by ``column`` (one of ``COLUMN_KEYS``): text without regard to case,
    phases in their order, counts as numbers, changes by their clock stamp."""
    keys: dict[str, Callable[[CaseSummary], Any]] = {
        "title": lambda s: s.title.casefold(),
        "condition": lambda s: s.condition.casefold(),
        "phase": lambda s: _PHASE_ORDER.get(s.phase, len(_PHASE_ORDER)),
        "next": lambda s: s.next_step.casefold(),
        "decision": lambda s: _DECISION_ORDER.get(s.decision, len(_DECISION_ORDER)),
        "records": lambda s: (s.records_confirmed, s.records_total),
        "questions": lambda s: s.open_questions,
        "conflicts": lambda s: s.conflicts,
        "changed": lambda s: s.updated_at,
        "by": lambda s: s.updated_by.casefold(),
    }
    return keys[column]


def sorted_rows(
    rows: Sequence[CaseSummary], column: str, descending: bool
) -> list[CaseSummary]:
    """``rows`` sorted by ``column``; rows that tie keep their order (latest change first)."""
    return sorted(rows, key=sort_key(column), reverse=descending)


MEASURED = frozenset({"title", "condition", "phase", "next", "by", "decision"})
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

    return {
        "title": 2 + widest({s.title for s in rows}),
        "condition": widest({s.condition for s in rows}),
        "phase": widest({PHASE_LABELS.get(s.phase, s.phase) for s in rows}
                        | ({ARCHIVED_WORD} if any(s.archived for s in rows) else set())),
        "next": widest({s.error or s.next_step for s in rows}),
        "by": widest({s.updated_by for s in rows}),
        "decision": widest({DECISION_WORDS.get(s.decision, s.decision) for s in rows}),
    }


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

    chosen = list(COLUMNS)

    def needed(cols: list[Column]) -> int:
        return sum(least(c) + CELL_PADDING for c in cols)

    for victim in sorted((c for c in COLUMNS if c.drop), key=lambda c: c.drop):
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


Cell = tuple[tuple[str, str], ...]
"""A table cell: spans of (plain text, style name)."""


def fit_spans(spans: Cell, width: int) -> list[tuple[str, str]]:
    """``spans`` cut to ``width`` cells, ending in an ellipsis when cut, or padded with blank
    cells (unstyled) to exactly ``width``."""
    if width <= 0:
        return []
    total = sum(cell_len(shown) for shown, _ in spans)
    if total <= width:
        return [*spans, (" " * (width - total), "")] if total < width else list(spans)
    out: list[tuple[str, str]] = []
    room = width - 1  # the ellipsis takes the last cell
    for shown, style in spans:
        cells = cell_len(shown)
        if cells < room or (cells == room and room == 0):
            out.append((shown, style))
            room -= cells
            continue
        out.append((set_cell_size(shown, room) + "\u2026", style))
        return out
    return out  # not reached: the spans are wider than ``width``


SELECTED_MARK = "\u2713"  # ✓: a shape, so it shows in every theme, drawn in the row's first cell
"""Drawn before the title of a case the person selected (``CaseTable.mark``)."""


class CaseTable(CursorRows):
    """One row per case under a fixed header line; a cursor row; enter (or a click on the
    highlighted row) posts ``CaseTable.Selected``, a move of the cursor to another case
    ``CaseTable.Highlighted``, a click on the header ``CaseTable.HeaderClicked``. ``show``
    replaces the rows; ``mark`` says which cases carry ``SELECTED_MARK`` (in the blank cell
    left of the first column, so no column loses a cell to it)."""

    COMPONENT_CLASSES = {
        "case-table--header", "case-table--cursor", "case-table--emergency",
        "case-table--warning",
    }
    BINDINGS = [
        Binding("enter", "select", "Open", id="home.open"),
        Binding("up", "move(-1)", show=False, id="list.up"),
        Binding("down", "move(1)", show=False, id="list.down"),
        Binding("pageup", "page(-1)", show=False, id="list.page_up"),
        Binding("pagedown", "page(1)", show=False, id="list.page_down"),
        Binding("home", "move_to(0)", show=False, id="list.first"),
        Binding("end", "move_to(-1)", show=False, id="list.last"),
    ]

    class Selected(Message):
        """A case was chosen (enter, or a click on the highlighted row)."""

        def __init__(self, table: CaseTable, case_id: str) -> None:
            super().__init__()
            self.table = table
            self.case_id = case_id

        @property
        def control(self) -> CaseTable:
            return self.table

    class Highlighted(Message):
        """The cursor moved to another case (or the rows changed under it)."""

        def __init__(self, table: CaseTable, case_id: str | None) -> None:
            super().__init__()
            self.table = table
            self.case_id = case_id

        @property
        def control(self) -> CaseTable:
            return self.table

    class HeaderClicked(Message):
        """The header of the column ``column`` (a key of ``COLUMNS``) was clicked."""

        def __init__(self, table: CaseTable, column: str) -> None:
            super().__init__()
            self.table = table
            self.column = column

        @property
        def control(self) -> CaseTable:
            return self.table

    def __init__(self, today: _dt.date, id: str | None = None) -> None:
        super().__init__(id=id)
        self.today = today
        self._rows: list[CaseSummary] = []
        self._fitted: list[tuple[Column, int]] = []
        self._cache: dict[tuple[object, ...], Strip] = {}
        self._style_cache: dict[str, Style] | None = None
        self.sort_column, self.descending = NEWEST_FIRST
        self._told_highlight: str | None = None
        self._natural: dict[str, int] | None = None
        self._width = 0
        self._marked: frozenset[str] = frozenset()

    # -- layout -------------------------------------------------------------------------------

    def fit(self, width: int) -> None:
        """Fit the columns to ``width`` cells (and to the cells measured by ``measure``)."""
        self._width = width
        fitted = fit_columns(width, self._natural)
        if fitted != self._fitted:
            self._fitted = fitted
            self._changed()

    def measure(self, rows: Sequence[CaseSummary]) -> None:
        """Fit the columns to the cells of ``rows`` (the whole list, before any filter, so the
        columns stay put as the filter narrows it): a column that needs less than its room
        leaves the rest to the title and the others (``fit_columns``)."""
        natural = natural_widths(rows)
        if natural != self._natural:
            self._natural = natural
            if self._width:
                self.fit(self._width)

    @property
    def column_keys(self) -> list[str]:
        return [c.key for c, _ in self._fitted]

    def set_sort(self, column: str, descending: bool) -> None:
        """Mark ``column`` in the header as the one the rows are sorted by (the rows are
        sorted by whoever gives them)."""
        if (column, descending) != (self.sort_column, self.descending):
            self.sort_column, self.descending = column, descending
            self.refresh()

    def column_at(self, x: int) -> str | None:
        """The key of the column drawn at ``x`` cells from the left, or None."""
        left = 0
        for column, cells in self._fitted:
            left += cells + CELL_PADDING
            if x < left:
                return column.key
        return None

    def on_resize(self, event: Resize) -> None:
        self.fit(event.size.width)
        self.scroll_to_cursor()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._cache.clear()
        self._style_cache = None

    def _changed(self) -> None:
        self._cache.clear()
        width = sum(cells + CELL_PADDING for _, cells in self._fitted)
        self.virtual_size = Size(width, len(self._rows) + 1)
        self.refresh()

    # -- rows ---------------------------------------------------------------------------------

    @property
    def row_count(self) -> int:
        return len(self._rows)

    def row_at(self, index: int) -> CaseSummary:
        return self._rows[index]

    def current_id(self) -> str | None:
        """The id of the highlighted case, or None."""
        if 0 <= self.cursor_row < len(self._rows):
            return self._rows[self.cursor_row].id
        return None

    def show(self, rows: Sequence[CaseSummary], keep: str | None = None) -> None:
        """Replace the rows; the cursor stays on case ``keep`` (or the one highlighted now)."""
        keep = keep or self.current_id()
        self._rows = list(rows)
        index = 0
        if keep is not None:
            index = next((i for i, s in enumerate(self._rows) if s.id == keep), 0)
        self.cursor_row = index
        self._changed()
        self.scroll_to_cursor()
        self._tell_highlight()

    def mark(self, marked: frozenset[str]) -> None:
        """Draw ``SELECTED_MARK`` in the rows of these cases (by id), and in no other."""
        if marked != self._marked:
            self._marked = marked
            self.refresh()  # the cache keys on the mark: no line is drawn with the old one

    # -- the cursor (moves, keys and clicks: CursorRows) ----------------------------------------

    def cursor_moved(self, row: int) -> None:
        self._tell_highlight()

    def _tell_highlight(self) -> None:
        """Post ``Highlighted`` when the highlighted case is another one than last said."""
        case_id = self.current_id()
        if case_id != self._told_highlight:
            self._told_highlight = case_id
            self.post_message(self.Highlighted(self, case_id))

    def row_chosen(self, row: int) -> None:
        """Open the highlighted case."""
        self.post_message(self.Selected(self, self._rows[row].id))

    def header_clicked(self, x: int) -> None:
        column = self.column_at(x)
        if column is not None:
            self.post_message(self.HeaderClicked(self, column))

    def on_focus(self) -> None:
        self._restyle()

    def on_blur(self) -> None:
        self._restyle()

    def _restyle(self) -> None:
        """Draw every line again with the styles as they are now (the cursor's colours
        depend on focus)."""
        self._cache.clear()
        self._style_cache = None
        self.refresh()

    # -- drawing ------------------------------------------------------------------------------
    # Lines are built as segments straight from plain strings: Rich Text layout of a
    # screenful of rows was a real share of the first frame (bench/startup.py). Every string
    # comes through text.clean (controls and bidi overrides made visible) and is never parsed
    # as markup.

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        styles = self._styles()
        if y == 0:
            mark = DESCENDING_MARK if self.descending else ASCENDING_MARK
            cells = [((column.label, ""),) for column, _ in self._fitted]
            return self._line_strip(cells, styles["header"], width, {self.sort_column: mark})
        thumb = self.thumb_at(y - 1)
        index = int(self.scroll_offset.y) + y - 1
        if not 0 <= index < len(self._rows):
            return self.with_scroll_mark(Strip.blank(width, self.rich_style), thumb, width,
                                         styles["scrollbar"])
        summary = self._rows[index]
        cursor = index == self.cursor_row
        marked = summary.id in self._marked
        key = (summary, cursor, marked, width, thumb)
        strip = self._cache.get(key)
        if strip is None:
            if len(self._cache) > CACHE_LIMIT:
                self._cache.clear()
            base = styles["cursor"] if cursor else styles["row"]
            lead = SELECTED_MARK if marked else " "
            strip = self.with_scroll_mark(
                self._line_strip(self._cells(summary), base, width, lead=lead),
                thumb, width, styles["scrollbar"])
            self._cache[key] = strip
        return strip

    def cells_at(self, index: int) -> list[str]:
        """The cells of row ``index`` as shown: plain text, each cut and padded to its
        column's width."""
        cells = self._cells(self._rows[index])
        return ["".join(shown for shown, _ in fit_spans(cell, width))
                for cell, (_, width) in zip(cells, self._fitted, strict=False)]

    def _styles(self) -> dict[str, Style]:
        """The line and cell styles from the theme (component classes), made once per style
        update."""
        if self._style_cache is None:
            base = self.rich_style
            self._style_cache = {
                "row": base,
                "header": base + self.get_component_rich_style("case-table--header"),
                "cursor": base + self.get_component_rich_style("case-table--cursor"),
                "emergency": self.get_component_rich_style("case-table--emergency",
                                                           partial=True),
                "warning": self.get_component_rich_style("case-table--warning", partial=True),
                "scrollbar": self.get_component_rich_style("cursor-rows--scrollbar"),
                "": Style(),
            }
        return self._style_cache

    def _line_strip(self, cells: list[Cell], base: Style, width: int,
                    marks: dict[str, str] | None = None, lead: str = " ") -> Strip:
        """One line: each cell cut or padded to its column with one blank cell each side.
        ``marks`` adds a one-cell mark (the sort arrow) to a column: right after its text
        when there is room, else in the padding, never cutting it. ``lead`` (one cell, in
        bold) takes the place of the blank before the first column: the selection mark."""
        styles = self._styles()
        segments: list[Segment] = []
        for n, ((column, cells_width), cell) in enumerate(
                zip(self._fitted, cells, strict=False)):
            mark = (marks or {}).get(column.key, "")
            if mark and sum(cell_len(t) for t, _ in cell) < cells_width:
                cell = (*cell, (mark, ""))  # right after the label when there is room
                mark = ""
            if n == 0 and lead != " ":
                segments.append(Segment(lead, base + Style(bold=True)))
            else:
                segments.append(Segment(" ", base))
            for shown, style in fit_spans(cell, cells_width):
                cell_style = styles.get(style)
                if cell_style is None:
                    cell_style = Style.parse(style)  # "bold", "italic": cached by Rich
                segments.append(Segment(shown, base + cell_style))
            segments.append(Segment(mark or " ", base))  # else in the padding
        # runs of one style as one segment: each costs again on the way to the terminal
        return Strip(Segment.simplify(segments)).crop_extend(0, width, base)

    def _cells(self, s: CaseSummary) -> list[Cell]:
        """Each shown column's spans of (plain text, style) for the case ``s``."""
        mark, style = urgency_mark(s)
        broken = unreadable(s)
        values: dict[str, tuple[object, str]] = {
            "condition": (s.condition, ""),
            "phase": ("cannot be read" if broken else ARCHIVED_WORD if s.archived
                      else PHASE_LABELS.get(s.phase, s.phase), "italic" if s.archived else ""),
            "next": (s.error if broken else s.next_step,
                     "emergency" if mark == EMERGENCY_MARK else ""),
            "decision": ("" if broken else DECISION_WORDS.get(s.decision, s.decision), ""),
            "records": (f"{s.records_confirmed}/{s.records_total}", ""),
            "questions": (s.open_questions or "", ""),
            "conflicts": (f"{CONFLICT_MARK}{s.conflicts}" if s.conflicts else "", "bold"),
            "changed": (when(s.updated_at, self.today), ""),
            "by": (s.updated_by, ""),
        }
        out: list[Cell] = []
        for column, _ in self._fitted:
            if column.key == "title":
                title_style = " ".join(
                    word for word, on in (("bold", style), ("italic", s.archived)) if on)
                out.append(((mark + " ", style), (text.clean(s.title or "(untitled)"),
                                                   title_style)))
            else:
                value, cell_style = values[column.key]
                out.append(((text.clean(value), cell_style),))
        return out
