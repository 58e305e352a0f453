"""HomeScreen: the case list, the first-run welcome when there is no case, `/` to filter.

Side effects: reads the repository's index on mount (no case file is read for the first
paint), then refreshes the index in a worker thread (which reads the case folders that
changed, and may quarantine unreadable files: see ``CaseRepository.refresh``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Sequence

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Input, Static
from textual.worker import get_current_worker

from .. import text
from ..widgets.case_table import CONFLICT_MARK, EMERGENCY_MARK, SOON_MARK, UNREADABLE_MARK
from ..widgets.case_table import CaseTable
from ..widgets.empty_state import EmptyState

if TYPE_CHECKING:
    from ...core.content import Content as CaseContent
    from ...store.paths import Paths
    from ...store.repository import CaseRepository, CaseSummary, Problem

MAX_PROBLEMS_SHOWN = 4


def problems_message(problems: Sequence[Problem]) -> str:
    """One message naming every file that could not be read (the first few, then a count)."""
    unique = list(dict.fromkeys(text.clean(p.message()) for p in problems))
    noun = "file" if len(unique) == 1 else "files"
    lines = [f"{len(unique)} {noun} could not be read. Nothing was changed in them, and "
             "every other case still works:"]
    lines += unique[:MAX_PROBLEMS_SHOWN]
    if len(unique) > MAX_PROBLEMS_SHOWN:
        lines.append(f"...and {len(unique) - MAX_PROBLEMS_SHOWN} more.")
    lines.append("Run 'secondview check' for the full list.")
    return "\n".join(lines)


class HomeScreen(Screen[None]):
    """Every case that is not archived, most recently changed first."""

    AUTO_FOCUS = "#cases"
    HELP_TITLE = "The case list"
    GUIDANCE = (
        "Each row is one case: one person and one medical question. Enter opens it; "
        "n starts a new one; / narrows the list by title or condition.",
        f"{EMERGENCY_MARK} marks an emergency: get care now, do not wait for a second "
        f"opinion. {SOON_MARK} marks a case needed soon. {UNREADABLE_MARK} marks a case "
        "whose files cannot be read, or can be read but not changed on this device.",
        f"{CONFLICT_MARK} counts fields that two devices changed differently; open the "
        "case to see them. Archived cases are not listed.",
    )
    BINDINGS = [
        Binding("n", "new_case", "New case", id="home.new"),
        Binding("slash", "filter", "Filter", id="home.filter"),
        Binding("escape", "clear_filter", "Clear filter", show=False, id="home.clear_filter"),
    ]

    def __init__(
        self, repo: CaseRepository, content: CaseContent | None, paths: Paths
    ) -> None:
        super().__init__()
        self.repo = repo
        self.content = content
        self.paths = paths
        self.summaries: list[CaseSummary] = []
        """The cases listed (archived ones left out), before filtering."""
        self._search_keys: list[str] = []
        self._refreshing = False
        self._refresh_again = False
        self._full_list_shown = False
        self._resumed_before = False

    def compose(self) -> ComposeResult:
        yield Static(id="home-title")
        box = Input(placeholder="Filter by title or condition (escape clears)", id="filter")
        box.display = False
        yield box
        yield CaseTable(self.repo.today, id="cases")
        yield Static(id="no-match")
        yield EmptyState(self.paths.cases_dir, id="empty")
        yield Footer()

    # -- life cycle ---------------------------------------------------------------------------

    def on_mount(self) -> None:
        self.table.fit(self.app.size.width)
        try:
            # one screenful now; the rest of the index, then the refresh, in the worker
            rows = self.repo.indexed(limit=max(self.app.size.height, 24) * 2)
        except Exception as exc:  # a broken cache must not stop the app: refresh rebuilds it
            self.app.notify(f"The case list cache could not be read ({text.clean(exc)}); "
                            "rebuilding it.", severity="warning", markup=False)
            rows = []
        self.show_rows(rows)
        self.request_refresh()

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
        try:
            if not self._full_list_shown:
                rows = self.repo.indexed()  # what the first frame left out, before any file
                if not worker.is_cancelled:
                    self._call_back(self.show_rows, rows)
                self._full_list_shown = True
            problems = self.repo.refresh()
            rows = self.repo.indexed()
        except Exception as exc:  # reported, never a traceback
            self._call_back(self._refresh_failed, exc)
            return
        if not worker.is_cancelled:
            self._call_back(self._refreshed, rows, problems)

    def _call_back(self, callback: Any, *args: Any) -> None:
        try:
            self.app.call_from_thread(callback, *args)
        except RuntimeError:  # the app closed while the worker ran
            pass

    def _refreshed(self, rows: list[CaseSummary], problems: list[Problem]) -> None:
        self._refreshing = False
        self.show_rows(rows)
        if problems:
            self.app.notify(
                problems_message(problems),
                title="Some files need you",
                severity="warning",
                timeout=15,
                markup=False,
            )
        if self._refresh_again:
            self._refresh_again = False
            self.request_refresh()

    def _refresh_failed(self, exc: Exception) -> None:
        self._refreshing = False
        self.app.notify(
            f"The case list could not be brought up to date: {text.clean(exc)}",
            severity="error",
            timeout=15,
            markup=False,
        )

    # -- showing ------------------------------------------------------------------------------

    def show_rows(self, rows: Sequence[CaseSummary], keep: str | None = None) -> None:
        """Show these cases (archived ones left out), keeping the cursor on ``keep`` or on
        the case highlighted now."""
        self.summaries = [r for r in rows if not r.archived]
        self._search_keys = [f"{r.title}\n{r.condition}".lower() for r in self.summaries]
        self._apply_filter(keep)

    @property
    def filter_text(self) -> str:
        return self.query_one("#filter", Input).value

    def _apply_filter(self, keep: str | None = None) -> None:
        query = self.filter_text.strip().lower()
        if query:
            shown = [s for s, k in zip(self.summaries, self._search_keys) if query in k]
        else:
            shown = self.summaries
        table = self.table
        had_focus = table.has_focus
        table.show(shown, keep)
        any_case = bool(self.summaries)
        self.query_one("#empty", EmptyState).display = not any_case
        table.display = any_case
        if not any_case and table.has_focus:
            self.set_focus(None)
        no_match = self.query_one("#no-match", Static)
        no_match.display = any_case and not shown
        if any_case and not shown:
            no_match.update(
                Content.assemble("No case matches ", text.content(query, "bold"),
                                 ". Escape clears the filter.")
            )
        self._update_title(len(shown))
        if any_case and not had_focus and not self.query_one("#filter", Input).has_focus:
            table.focus()

    def _update_title(self, shown: int) -> None:
        total = len(self.summaries)
        count = f"{total} case" + ("" if total == 1 else "s")
        if shown != total:
            count = f"{shown} of {count}"
        self.query_one("#home-title", Static).update(
            Content.assemble(
                ("secondview", "bold"),
                f"  \u00b7  {count}  \u00b7  this device: ",
                text.content(self.repo.device.name),
            )
        )

    # -- filtering ----------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Filtering is offered only when there are cases to filter."""
        if action in ("filter", "clear_filter") and not self.summaries:
            return False
        return True

    def action_filter(self) -> None:
        """Show the filter box and type into it; the list narrows as you type."""
        if not self.summaries:
            return
        box = self.query_one("#filter", Input)
        box.display = True
        box.focus()

    @on(Input.Changed, "#filter")
    def _filter_changed(self) -> None:
        self._apply_filter()

    @on(Input.Submitted, "#filter")
    def _filter_done(self) -> None:
        self.table.focus()

    def action_clear_filter(self) -> None:
        """Empty and hide the filter box; the whole list shows again."""
        box = self.query_one("#filter", Input)
        if not box.display and not box.value:
            return
        box.value = ""
        box.display = False
        self._apply_filter()
        if self.summaries:
            self.table.focus()

    # -- opening and creating -----------------------------------------------------------------

    @on(CaseTable.Selected, "#cases")
    def _case_selected(self, event: CaseTable.Selected) -> None:
        event.stop()
        self.open_case(event.case_id)

    def open_case(self, case_id: str) -> None:
        """Show the case (its overview). A case that cannot be read says why, then the list
        is back."""
        from .case_screen import CaseScreen

        self.app.push_screen(CaseScreen(self.repo, case_id))

    def action_new_case(self) -> None:
        """Open the new-case form; the new case is highlighted in the list once saved."""
        from .new_case_screen import NewCaseScreen

        self.app.push_screen(NewCaseScreen(self.repo, self.content), self._created)

    def _created(self, case_id: str | None) -> None:
        if not case_id:
            return
        box = self.query_one("#filter", Input)
        box.value = ""
        box.display = False
        try:
            rows = self.repo.indexed()
        except Exception:
            rows = list(self.summaries)
        self.show_rows(rows, keep=case_id)
        self.table.focus()
        title = next((s.title for s in self.summaries if s.id == case_id), "")
        self.app.notify(f"Case created: {text.clean(title)}", markup=False)
