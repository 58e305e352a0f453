"""AgendaScreen: what is due across every case, by date; ``enter`` opens the case at the item.

Read from the case list index (``CaseIndex.agenda``: no case file is opened) when shown and
each time the person comes back to it from a case, so an edit made there shows at once. Its
rules are ``core.agenda``'s. Side effects: none; opening a case is the case screen's.
"""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from ...core import agenda, waiting
from ...core.agenda import Entry
from ...core.upcoming import UPCOMING_DAYS
from .. import text
from ..case_panes import PANE_NAMES
from ..kit.item_table import ItemTable
from ..kit.key_footer import KeyFooter
from ..widgets.agenda_table import AgendaTable

LATE_MARK = "!"
"""Follows the date of an entry past its time (the mark, not only the colour, says it)."""
COLUMNS = (("Date", 12), ("Time", 5), ("What", 14), ("Case", 22))
"""The fixed columns; the details take the rest of the width."""
NARROW = 100
"""Below this many columns the kind and the case get less room (the line under the table
shows the highlighted entry whole)."""
NARROW_WIDTHS = {"What": 12, "Case": 14}
DETAIL_MIN = 12


class AgendaScreen(Screen[None]):
    """Every entry of ``repo``'s index due on its today, ``days`` days ahead, by date."""

    AUTO_FOCUS = "#agenda-list"
    HELP_TITLE = "The agenda"
    GUIDANCE = (
        "What is due across all your cases, soonest first: record requests past their "
        "response window, visits and checklist steps coming up in the next days, steps "
        "overdue, and visits that took place with no opinion recorded. Archived cases are "
        "left out.",
        f"{LATE_MARK} after a date marks what is past its time. Enter opens the case at the "
        "item: the pane that holds it, with its row highlighted; escape there comes back "
        "here, and escape here goes back to the case list.",
    )
    BINDINGS = [Binding("escape", "back", "Back", id="agenda.back")]
    DEFAULT_CSS = """
    AgendaScreen #agenda-title { height: auto; padding: 0 1; }
    AgendaScreen #agenda-list { height: 1fr; }
    AgendaScreen #agenda-detail { height: auto; padding: 0 1; border-top: solid $panel; }
    AgendaScreen #agenda-empty { padding: 1 2; }
    """

    def __init__(self, repo: Any, days: int = UPCOMING_DAYS) -> None:
        super().__init__()
        self.repo = repo
        self.days = days
        self.entries: dict[str, Entry] = {}
        """Row key -> the entry it shows."""

    def compose(self) -> ComposeResult:
        yield Static(id="agenda-title")
        yield AgendaTable(zebra_stripes=True, id="agenda-list")
        yield Static(id="agenda-detail")
        yield Static(id="agenda-empty")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.show_entries()

    def on_screen_resume(self) -> None:
        if self.is_mounted:
            self.show_entries()

    def on_resize(self) -> None:
        self.show_entries()

    @property
    def table(self) -> ItemTable:
        return self.query_one("#agenda-list", ItemTable)

    def show_entries(self) -> None:
        """Read the agenda from the index and fill the table, keeping the cursor's row."""
        today = self.repo.today
        try:
            found = self.repo.index.agenda(today, self.days, limit=agenda.SHOWN_AT_MOST)
            total = (self.repo.index.agenda_count(today, self.days)
                     if len(found) >= agenda.SHOWN_AT_MOST else len(found))
        except Exception as exc:  # a broken cache: say so, never a traceback
            self.app.notify(f"The agenda could not be read ({text.clean(exc)}).",
                            severity="warning", markup=False)
            found, total = [], 0
        table = self.table
        keep = table.cursor_key
        table.clear(columns=True)
        narrow = self.app.size.width < NARROW
        widths = [NARROW_WIDTHS.get(label, width) if narrow else width
                  for label, width in COLUMNS]
        for (label, _), width in zip(COLUMNS, widths, strict=True):
            table.add_column(label, width)
        detail = max(self.app.size.width - sum(w + 2 for w in widths) - 3, DETAIL_MIN)
        table.add_column("Details", detail)
        self.entries = {}
        late_style = f"bold {self.app.theme_variables.get('text-error', '')}".strip()
        for entry in found:
            key = f"{entry.case_id}/{entry.kind}/{entry.item_id}"
            self.entries[key] = entry
            late = entry.late(today)
            when = text.cell(entry.date.isoformat(), style=late_style if late else "")
            if late:
                when.append(f" {LATE_MARK}")
            table.add_row(
                when,
                text.cell(entry.time[:5]),
                text.cell(agenda.KIND_LABELS[entry.kind], style="bold" if late else ""),
                text.cell(entry.case_title, widths[3]),
                text.cell(entry.words, detail),
                key=key,
            )
        keys = list(self.entries)
        if keys:
            table.move_cursor(row=keys.index(keep) if keep in keys else 0)
        late_count = sum(1 for e in found if e.late(today))
        self.query_one("#agenda-title", Static).update(Content.assemble(
            ("Agenda", "bold"),
            f"  {total} due in the next {self.days} days or overdue",
            f" (the first {len(found)} here; secondview agenda lists all)"
            if total > len(found) else "",
            (f"  {LATE_MARK} {late_count} past their time", late_style) if late_count else "",
        ))
        empty = self.query_one("#agenda-empty", Static)
        empty.update(Content(
            f"Nothing is due in the next {self.days} days, and nothing is overdue. Due dates "
            "on checklist steps, planned visits and record requests appear here as they "
            "come near."))
        empty.display = not found
        table.display = bool(found)
        self.query_one("#agenda-detail").display = bool(found)
        self._show_detail()

    @on(ItemTable.RowHighlighted, "#agenda-list")
    def _show_detail(self) -> None:
        """The highlighted entry whole under the table: its case, its words, and who has to
        act on it (``core.waiting``)."""
        entry = self.entries.get(self.table.cursor_key or "")
        who = "" if entry is None else (
            "you" if entry.waiting_on == waiting.ME else waiting.label(entry.waiting_on).lower())
        shown = Content("") if entry is None else Content.assemble(
            text.content(entry.case_title, "bold"), "  ", text.content(entry.words),
            (f"  \u00b7 for {who} to act", "dim") if who else "")
        self.query_one("#agenda-detail", Static).update(shown)

    @on(ItemTable.RowSelected, "#agenda-list")
    async def _chosen(self, event: ItemTable.RowSelected) -> None:
        event.stop()
        entry = self.entries.get(event.row_key or "")
        if entry is not None:
            await self.open_entry(entry)

    async def open_entry(self, entry: Entry) -> None:
        """Show the entry's case over the agenda, on the pane holding it, its row
        highlighted once the case is read (escape there comes back here)."""
        from ..widgets.list_pane import ListPane
        from .case_screen import CaseScreen

        screen = CaseScreen(self.repo, entry.case_id, pane=entry.pane)
        await self.app.push_screen(screen)
        pane = screen.query(f"#{entry.pane}").first() if entry.pane in PANE_NAMES else None
        if isinstance(pane, ListPane):
            pane.show_item(entry.item_id)

    def action_back(self) -> None:
        """Back to the case list."""
        self.dismiss(None)
