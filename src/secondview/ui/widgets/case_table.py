"""CaseTable: the case list, one row per case, columns fitted to the terminal's width.

Shows ``CaseSummary`` rows (from the repository's index) as given; never reads files.
Every cell goes through ``text.cell``, so titles and conditions are shown literally.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Sequence

from rich.text import Text
from textual.binding import Binding
from textual.widgets import DataTable
from textual.widgets.data_table import CellDoesNotExist

from ...core.progress import PHASE_LABELS
from ...core.replica import stamp_to_datetime
from .. import text

if TYPE_CHECKING:
    from ...store.repository import CaseSummary

EMERGENCY_MARK = "\u203c"  # ‼
SOON_MARK = "!"
UNREADABLE_MARK = "\u26a0"  # ⚠
CONFLICT_MARK = "\u2260"  # ≠

CELL_PADDING = 2  # DataTable's cell padding, both sides
SCROLLBAR = 2


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
    Column("condition", "Condition", weight=2, least=8, drop=4),
    Column("phase", "Phase", 16, drop=5),
    Column("next", "Next step", weight=4, least=14),
    Column("records", "Records", 7, drop=1),
    Column("questions", "Open Q", 6, drop=2),
    Column("conflicts", CONFLICT_MARK, 3),
    Column("changed", "Last change", 11),
    Column("by", "Device", 14, drop=3),
)


def fit_columns(width: int) -> list[tuple[Column, int]]:
    """The columns that fit ``width`` cells, each with the width it gets."""
    available = width - SCROLLBAR
    chosen = list(COLUMNS)

    def needed(cols: list[Column]) -> int:
        return sum((c.width or c.least) + CELL_PADDING for c in cols)

    for victim in sorted((c for c in COLUMNS if c.drop), key=lambda c: c.drop):
        if needed(chosen) <= available:
            break
        chosen.remove(victim)
    spare = max(0, available - needed(chosen))
    weights = sum(c.weight for c in chosen if not c.width) or 1
    fitted = []
    for c in chosen:
        if c.width:
            fitted.append((c, c.width))
        else:
            fitted.append((c, c.least + spare * c.weight // weights))
    return fitted


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
    read, not changed, here), or soon."""
    if summary.urgency == "emergency" and not unreadable(summary):
        return EMERGENCY_MARK, "bold red"
    if summary.error:
        return UNREADABLE_MARK, "bold yellow"
    if summary.urgency == "soon":
        return SOON_MARK, "bold"
    return " ", ""


class CaseTable(DataTable):
    """One row per case; the row key is the case id. ``show`` replaces the rows."""

    BINDINGS = [Binding("enter", "select_cursor", "Open", id="home.open")]

    def __init__(self, today: _dt.date, id: str | None = None) -> None:
        super().__init__(cursor_type="row", zebra_stripes=False, id=id)
        self.today = today
        self._fitted: list[tuple[Column, int]] = []
        self._rows: list[CaseSummary] = []

    # -- layout -------------------------------------------------------------------------------

    def fit(self, width: int) -> None:
        """Fit the columns to ``width`` cells (rebuilding the rows if the columns changed)."""
        fitted = fit_columns(width)
        if fitted == self._fitted:
            return
        self._fitted = fitted
        keep = self.current_id()
        self.clear(columns=True)
        for column, cells in fitted:
            self.add_column(column.label, width=cells, key=column.key)
        self._add(self._rows, keep)

    @property
    def column_keys(self) -> list[str]:
        return [c.key for c, _ in self._fitted]

    # -- rows ---------------------------------------------------------------------------------

    def current_id(self) -> str | None:
        """The id of the highlighted case, or None."""
        if not self.row_count:
            return None
        try:
            key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key
        except CellDoesNotExist:
            return None
        return key.value

    def show(self, rows: Sequence[CaseSummary], keep: str | None = None) -> None:
        """Replace the rows; the cursor stays on case ``keep`` (or the one highlighted now)."""
        keep = keep or self.current_id()
        self._rows = list(rows)
        self.clear()
        self._add(self._rows, keep)

    def _add(self, rows: Sequence[CaseSummary], keep: str | None) -> None:
        widths = {c.key: cells for c, cells in self._fitted}
        if not widths:
            return
        for summary in rows:
            self.add_row(*self._cells(summary, widths), key=summary.id)
        if keep is not None:
            for index, summary in enumerate(rows):
                if summary.id == keep:
                    self.move_cursor(row=index, animate=False, scroll=True)
                    break

    def _cells(self, s: CaseSummary, widths: dict[str, int]) -> list[Text]:
        mark, style = urgency_mark(s)
        out = []
        for key, cells in widths.items():
            if key == "title":
                title = text.cell(s.title or "(untitled)", style="bold" if style else "")
                shown = Text.assemble((mark + " ", style), title, no_wrap=True, end="")
                shown.truncate(cells, overflow="ellipsis")
                out.append(shown)
            elif key == "condition":
                out.append(text.cell(s.condition, cells))
            elif key == "phase":
                label = "cannot be read" if unreadable(s) else PHASE_LABELS.get(s.phase, s.phase)
                out.append(text.cell(label, cells))
            elif key == "next":
                step = s.error if unreadable(s) else s.next_step
                out.append(text.cell(step, cells, style="bold red" if mark == EMERGENCY_MARK else ""))
            elif key == "records":
                out.append(text.cell(f"{s.records_confirmed}/{s.records_total}", cells))
            elif key == "questions":
                out.append(text.cell(s.open_questions or "", cells))
            elif key == "conflicts":
                out.append(text.cell(f"{CONFLICT_MARK}{s.conflicts}" if s.conflicts else "", cells))
            elif key == "changed":
                out.append(text.cell(when(s.updated_at, self.today), cells))
            elif key == "by":
                out.append(text.cell(s.updated_by, cells))
        return out
