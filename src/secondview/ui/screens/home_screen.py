"""HomeScreen: the case list, the first-run welcome when there is no case; `/` filters,
`s`, `r` and the digits sort, `a` shows archived cases, `delete` archives (ctrl+z undoes).

Side effects: reads the repository's index on mount (no case file is read for the first
paint), then refreshes the index in a worker thread (which reads the case folders that
changed, and may quarantine unreadable files: see ``CaseRepository.refresh``); the refresh
runs again every few seconds while the list is in front, so cases another device wrote
appear by themselves. Archiving or restoring a case writes this device's replica of it.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Input, Static
from textual.worker import get_current_worker

from ...core.list_filter import FILTER_WORDS
from .. import text
from ..kit.key_footer import KeyFooter
from ..messages.case_opened import CaseOpened
from ..problems_message import problems_message
from ..widgets.case_table import (
    CONFLICT_MARK,
    EMERGENCY_MARK,
    NEWEST_FIRST,
    SOON_MARK,
    UNREADABLE_MARK,
    CaseTable,
    sorted_rows,
)
from .case_archiving import CaseArchiving
from .case_search import CaseSearch
from .case_selection import CaseSelection
from .case_sorting import CaseSorting

if TYPE_CHECKING:
    from textual.timer import Timer

    from ...core.case_summary import CaseSummary
    from ...store.editing import Editor, UndoStack
    from ...store.paths import Paths
    from ...store.repository import CaseRepository, Problem

READING_SECONDS = 0.5
"""How often a refresh that reads case files shows how far it is (and the rows so far)."""
REFRESH_SECONDS = 3.0
"""How often the list checks the cases folder while it is in front, at most (in a worker
thread: one folder listing per case and one stat per case file, then the index)."""
REFRESH_COST_FACTOR = 20
"""The next check waits at least this many times as long as the last one took, so checking
never takes more than a twentieth of the time however many cases there are (10,000 cases:
about a quarter of a second per check, one check every five seconds)."""
SORT_KEYS = "123456789"


class HomeScreen(CaseArchiving, CaseSelection, CaseSearch, CaseSorting, Screen[None]):
    """Every case that is not archived (archived ones too with ``a``), most recently changed
    first or sorted by any column."""

    AUTO_FOCUS = "#cases"
    HELP_TITLE = "The case list"
    GUIDANCE = (
        "Each row is one case: one person and one medical question. Enter opens it; "
        "n starts a new one; / searches the text of every case as you type.",
        f"{EMERGENCY_MARK} marks an emergency: get care now, do not wait for a second "
        f"opinion. {SOON_MARK} marks a case needed soon. {UNREADABLE_MARK} marks a case "
        "whose files cannot be read, or can be read but not changed on this device.",
        "delete archives the highlighted case after asking: it leaves the list but "
        "nothing is deleted, and ctrl+z brings it back. a shows archived cases too (their "
        "phase says Archived); delete on one of them restores it.",
        "s sorts by the next column, r reverses the order, and the keys 1 to 9 sort by the "
        "first to the ninth column shown (the same key again reverses). A click on a "
        "column's name sorts by it too. The arrow in the header shows the order.",
        "space selects the highlighted case (or takes it out) and moves on; ctrl+a selects "
        "every case shown. A selected row starts with \u2713 and the title counts them; "
        "sorting, filtering and refreshing keep them selected. delete archives them all after "
        "one question (or restores them, when all are archived) and one ctrl+z undoes the "
        "whole step; x exports a document of each. escape clears the filter first, then "
        "the selection.",
        f"{CONFLICT_MARK} counts fields that two devices changed differently; open the "
        "case to see them. Cases written on your other devices appear by themselves.",
        "Overdue counts record requests past their time, Visit shows the next planned "
        "visit, For me counts your to-dos, dated steps and transfers waiting on you (in brackets, "
        "how many are past their due date). s also sorts by urgency and by columns too "
        "wide for the window; the title then says which.",
        "The filter also understands these words (several narrow further): "
        + "; ".join(f"{w.word}: {w.help}" for w in FILTER_WORDS) + ".",
        "What / searches: titles, doctors and offices, records and where each went, "
        "questions and answers, opinions, notes, imported notes; a case is kept when it holds "
        "every word typed. The panel under the list says where the highlighted case matched: "
        "enter opens it there, and tab moves into the panel to pick another place.",
    )
    BINDINGS = [
        Binding("n", "new_case", "New case", id="home.new"),
        Binding("slash", "filter", "Filter", id="home.filter"),
        Binding("d", "app.agenda", "Agenda of every case", show=False, id="home.agenda"),
        Binding("s", "sort_next", "Sort", id="home.sort",
                tooltip="Sort by the next column (the digits 1-9 pick one)"),
        Binding("r", "sort_reverse", "Reverse", show=False, id="home.reverse"),
        Binding("a", "show_archived(True)", "Show archived", id="home.show_archived"),
        Binding("a", "show_archived(False)", "Hide archived", id="home.hide_archived"),
        # archive and restore are in help (the footer keeps to what fits 80 columns)
        Binding("delete", "archive", "Archive", show=False, id="home.archive"),
        Binding("delete", "restore", "Restore", show=False, id="home.restore"),
        Binding("ctrl+z", "undo", "Undo", show=False, id="home.undo"),
        Binding("escape", "clear_filter", "Clear filter", show=False, id="home.clear_filter"),
        Binding("escape", "clear_selection", "Select none", show=False, id="home.select_none"),
        Binding("space", "toggle_selected", "Select (again: take out)", show=False,
                id="home.select"),
        Binding("ctrl+a", "select_all", "Select every case shown", show=False,
                id="home.select_all"),
        Binding("x", "export_cases", "Export the selected cases (else this one)", show=False,
                id="home.export_cases"),
        *(
            Binding(key, f"sort_by({n})", "Sort by the column of that number (again: "
                    "reverse)", show=False, id=f"home.sort_{key}")
            for n, key in enumerate(SORT_KEYS)
        ),
    ]

    def __init__(self, repo: CaseRepository, paths: Paths) -> None:
        super().__init__()
        self.repo = repo
        self.paths = paths
        self.summaries: list[CaseSummary] = []
        """The cases that are not archived, before filtering (the palette offers these)."""
        self.archived: list[CaseSummary] = []
        """The archived cases (listed only while ``showing_archived``)."""
        self.showing_archived = False
        self.sort_column, self.descending = NEWEST_FIRST
        self._listed: list[CaseSummary] = []
        """What the list holds before filtering: sorted, archived ones in when shown."""
        self._title_keys: dict[str, str] = {}
        self._editing: tuple[Editor, UndoStack] | None = None
        """The edit path and the undos of this list, made at the first archive or undo
        (``CaseArchiving.editing``): the first frame does not wait for them."""
        self._refreshing = False
        self._refresh_again = False
        self._full_list_shown = False
        self._index_count: int | None = None
        """How many unarchived cases the index holds, while the list shows only the first
        screenful of them (the title counts them all); None once the whole list is in."""
        self._reading: tuple[int, int] | None = None
        """(read, to read) while a refresh reads case files (a first start on a synced
        folder reads them all): shown instead of the welcome, and in the title."""
        self._resumed_before = False
        self._index_rows: list[CaseSummary] | None = None
        """The rows the index gave last, to skip redrawing when a refresh changed nothing."""
        self._keys_state: tuple[object, ...] = ()
        self._poll_timer: Timer | None = None
        self._told: set[str] = set()
        """Problems (and refresh failures) already notified: a poll does not repeat them."""

    def compose(self) -> ComposeResult:
        yield Static(id="home-title")
        # the filter box (#filter) is mounted above the table when `/` is first pressed
        yield CaseTable(self.repo.today, id="cases")
        # the hits panel (#search-hits) is mounted under the table when a search first
        # finds something (CaseSearch.hits_panel)
        yield Static(id="no-match")
        # the first-run welcome (#empty) is mounted under it when the list has no case to
        # show (CaseFiltering.welcome): a list painted from cases never needs its widgets
        yield KeyFooter(compact=True)  # compact: every key shown fits 80 columns

    # -- life cycle ---------------------------------------------------------------------------

    def on_mount(self) -> None:
        self.table.fit(self.app.size.width)
        try:
            # one screenful now; the rest of the index, then the refresh, in the worker
            limit = max(self.app.size.height, 24) * 2
            rows = self.repo.indexed(limit=limit)
            if len(rows) >= limit:  # more wait: the title counts them from the first frame
                self._index_count = self.repo.indexed_count()
        except Exception as exc:  # a broken cache must not stop the app: refresh rebuilds it
            self.app.notify(f"The case list cache could not be read ({text.clean(exc)}); "
                            "rebuilding it.", severity="warning", markup=False)
            rows = []
        if not rows and self.repo.has_case_folders():
            self._reading = (0, 0)  # cases never read here (a new device): not the welcome
        self.show_rows(rows)
        self.call_after_refresh(self.request_refresh)  # after the first frame, not before

    def on_screen_resume(self) -> None:
        # back from a case or a form: files may have changed meanwhile (the first resume is
        # the start, which on_mount already covers)
        if self._resumed_before:
            self.request_refresh()
        self._resumed_before = True

    @property
    def table(self) -> CaseTable:
        return self.query_one("#cases", CaseTable)

    # -- refreshing ---------------------------------------------------------------------------

    def _poll(self) -> None:
        """Check the cases folder again, if the list is the screen in front (else later)."""
        if self.is_current and not self._refreshing:
            self.request_refresh()
        else:
            self._next_poll(REFRESH_SECONDS)

    def _next_poll(self, took: float) -> None:
        """Check again after REFRESH_SECONDS, or longer if a check takes long (one timer)."""
        if self._poll_timer is not None:
            self._poll_timer.stop()
        delay = max(REFRESH_SECONDS, REFRESH_COST_FACTOR * took)
        self._poll_timer = self.set_timer(delay, self._poll, name="watch-cases-folder")

    def request_refresh(self) -> None:
        """Bring the list up to date with the cases folder, in a worker thread."""
        if self._refreshing:
            self._refresh_again = True
            return
        self._refreshing = True
        self._refresh_worker()

    @work(thread=True, group="refresh", exit_on_error=False)
    def _refresh_worker(self) -> None:
        worker = get_current_worker()
        started = time.monotonic()
        try:
            if not self._full_list_shown:
                rows = self.repo.indexed()  # what the first frame left out, before any file
                if not worker.is_cancelled:
                    self._call_back(self._show_whole_list, rows)
                self._full_list_shown = True
            shown_at = [time.monotonic()]

            def reading(done: int, total: int) -> None:
                # every half second: how far it is, and the rows read so far
                if 0 < done < total and time.monotonic() - shown_at[0] < READING_SECONDS:
                    return
                shown_at[0] = time.monotonic()
                if not worker.is_cancelled:
                    self._call_back(self._read_so_far, done, total, self.repo.indexed())

            problems = self.repo.refresh(progress=reading)
            rows = self.repo.indexed()
        except Exception as exc:  # reported, never a traceback
            self._call_back(self._refresh_failed, exc, time.monotonic() - started)
            return
        if not worker.is_cancelled:
            # compared here, off the event loop: when nothing changed, the list is left be
            changed = rows != self._index_rows
            self._call_back(self._refreshed, rows if changed else None, problems,
                            time.monotonic() - started)

    def _call_back(self, callback: Any, *args: Any) -> None:
        try:
            self.app.call_from_thread(callback, *args)
        except RuntimeError:  # the app closed while the worker ran
            pass

    def _show_whole_list(self, rows: list[CaseSummary]) -> None:
        """The whole index after the first screenful: from now the title counts the rows."""
        self._index_count = None
        self.show_rows(rows)

    def _read_so_far(self, done: int, total: int, rows: list[CaseSummary]) -> None:
        """A refresh that reads case files has read ``done`` of ``total``: say so, and show
        the cases read so far."""
        reading = self._reading is not None or done < total
        self._reading = (done, total) if done < total else None
        if rows != self._index_rows:
            if reading:
                self._show_read_rows(rows)
            else:
                self.show_rows(rows)
        else:
            self._apply_filter()

    def _show_read_rows(self, rows: Sequence[CaseSummary]) -> None:
        """Show rows as a read of the folder brings them in (while "Reading the cases
        folder" shows): a cursor on the first row stays on the first row, else it would
        follow the first case read wherever it sorts; one the person moved stays on its
        case. (Outside such a read, the cursor always stays on its case.)"""
        table = self.table
        at_top = table.cursor_row == 0
        self.show_rows(rows)
        if at_top and table.cursor_row != 0:
            table.move_cursor(0)

    def _refreshed(
        self, rows: list[CaseSummary] | None, problems: list[Problem], took: float
    ) -> None:
        """Show the refreshed list (``rows`` None: nothing changed) and the new problems."""
        self._refreshing = False
        reading = self._reading is not None
        if reading:
            self._reading = None
            if rows is None:
                self._apply_filter()
        self._next_poll(took)
        self._told = {t for t in self._told if not t.startswith("refresh:")}
        if rows is not None:
            if reading:
                self._show_read_rows(rows)
            else:
                self.show_rows(rows)
        new = [p for p in problems if p.message() not in self._told]
        if new:
            self._told.update(p.message() for p in new)
            self.app.notify(
                problems_message(new),
                title="Some files need you",
                severity="warning",
                timeout=15,
                markup=False,
            )
        warning = self.repo.cache_warning
        if warning and f"cache:{warning}" not in self._told:
            self._told.add(f"cache:{warning}")
            self.app.notify(text.clean(warning), title="The case list cache", timeout=15,
                            severity="warning", markup=False)
        if self._refresh_again:
            self._refresh_again = False
            self.request_refresh()

    def _refresh_failed(self, exc: Exception, took: float) -> None:
        self._refreshing = False
        if self._reading is not None:
            self._reading = None
            self._apply_filter()
        self._next_poll(took)
        message = f"The case list could not be brought up to date: {text.clean(exc)}"
        if f"refresh:{message}" in self._told:
            return  # said already; the poll keeps trying quietly
        self._told.add(f"refresh:{message}")
        self.app.notify(message, severity="error", timeout=15, markup=False)

    # -- showing ------------------------------------------------------------------------------

    def show_rows(self, rows: Sequence[CaseSummary], keep: str | None = None) -> None:
        """Show these cases (archived ones only while shown), sorted as chosen, keeping the
        cursor on ``keep`` or on the case highlighted now."""
        self._index_rows = list(rows)
        self.summaries = [r for r in rows if not r.archived]
        self.archived = [r for r in rows if r.archived]
        self._sort(keep)

    def _sort(self, keep: str | None = None) -> None:
        listed = self.summaries + self.archived if self.showing_archived else self.summaries
        if (self.sort_column, self.descending) != NEWEST_FIRST or self.showing_archived:
            listed = sorted_rows(listed, self.sort_column, self.descending, self.repo.today)
        # else: the index's order already is the newest first
        self._listed = listed
        self.listed_changed()
        self.table.measure(listed)
        self.table.set_sort(self.sort_column, self.descending)
        self.keep_selection(listed)
        self._apply_filter(keep)

    def _update_title(self, shown: int) -> None:
        total = len(self._listed)
        cases = max(len(self.summaries), self._index_count or 0)
        count = f"{cases:,} case" + ("" if cases == 1 else "s")
        if self.showing_archived:
            count += f" and {len(self.archived)} archived"
        if shown != total:
            count = f"{shown} of {count}"
        count += self.selection_words() + self.progress_words()
        if self._reading is not None and self._reading[1]:
            count += f" (reading {self._reading[0]:,} of {self._reading[1]:,}\u2026)"
        count += self.sort_note()
        self.query_one("#home-title", Static).update(
            Content.assemble(
                ("secondview", "bold"),
                f"  \u00b7  {count}  \u00b7  this device: ",
                text.content(self.repo.device.name),
            )
        )

    # -- which keys apply ---------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Offer only the keys that apply now: filtering and sorting when there are cases,
        archive or restore by what the highlighted case is, show or hide archived cases."""
        listed = bool(self._listed)
        if self.selection_decides(action):
            return self.selection_applies(action)
        if action in ("filter", "clear_filter", "sort_next", "sort_reverse", "sort_by"):
            return listed
        if action == "show_archived":
            wanted = bool(parameters and parameters[0])
            return wanted != self.showing_archived and bool(self.summaries or self.archived)
        if action in ("archive", "restore"):
            highlighted = self._highlighted()
            if highlighted is None:  # nothing listed: archive shows, dimmed; restore hides
                return None if action == "archive" else False
            return highlighted.archived == (action == "restore")
        return True

    @on(CaseTable.Highlighted, "#cases")
    def _highlight_moved(self) -> None:
        self._update_keys()
        self.shown_changed()

    def _update_keys(self) -> None:
        """Redraw the footer when what ``check_action`` decides has changed (not on every
        key typed into the filter, nor on every move of the cursor)."""
        highlighted = self._highlighted()
        state = (bool(self._listed), self.showing_archived,
                 None if highlighted is None else highlighted.archived)
        if state != self._keys_state:
            self._keys_state = state
            self.refresh_bindings()

    def _highlighted(self) -> CaseSummary | None:
        table = self.table
        if not 0 <= table.cursor_row < table.row_count:
            return None
        return table.row_at(table.cursor_row)

    # -- filtering ----------------------------------------------------------------------------

    @on(Input.Changed, "#filter")
    def _filter_changed(self) -> None:
        self._apply_filter()

    @on(Input.Submitted, "#filter")
    def _filter_done(self) -> None:
        self.table.focus()

    # -- opening and creating -----------------------------------------------------------------

    @on(CaseTable.Selected, "#cases")
    def _case_selected(self, event: CaseTable.Selected) -> None:
        event.stop()
        self.open_found(event.case_id)

    def open_case(self, case_id: str) -> None:
        """Ask for the case to be shown (``CaseOpened``: the app shows its workspace)."""
        self.post_message(CaseOpened(case_id))

    def action_new_case(self) -> None:
        """Open the new-case form; the new case is highlighted in the list once saved."""
        from .new_case_screen import NewCaseScreen

        content = getattr(self.app, "content", None)  # loaded after the first frame
        self.app.push_screen(NewCaseScreen(self.repo, content), self._created)

    def _created(self, case_id: str | None) -> None:
        if not case_id:
            return
        box = self.filter_box()
        if box is not None:
            box.value = ""
            box.display = False
        try:
            rows = self.repo.indexed()
        except Exception:
            rows = self.summaries + self.archived
        self.show_rows(rows, keep=case_id)
        self.table.focus()
        title = next((s.title for s in self.summaries if s.id == case_id), "")
        self.app.notify(f"Case created: {text.clean(title)}", markup=False)
