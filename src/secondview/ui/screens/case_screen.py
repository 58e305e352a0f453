"""CaseScreen: one case, opened from the list. For now it shows the case's overview,
read-only; the workspace's other panes (issue #3) join it here.

Side effects: reads the case's folder (``CaseRepository.open``) in a worker thread, which
may quarantine an unreadable replica; nothing is written.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Static

from .. import text
from ..widgets.emergency_banner import EmergencyBanner
from ..widgets.overview_pane import OverviewPane
from .home_screen import problems_message

if TYPE_CHECKING:
    from ...store.repository import CaseRepository, OpenCase

READ_ONLY_HINT = "Read only for now. To change the case, use: secondview set, add or edit."


class CaseScreen(Screen[None]):
    """The overview of one case; escape goes back to the list."""

    HELP_TITLE = "A case"
    GUIDANCE = (
        "The overview gathers the case, the first doctor's opinion, insurance, where things "
        "stand and the next steps worked out from what the case holds.",
        "A case marked emergency always shows a banner: get care now, do not wait for a "
        "second opinion.",
        READ_ONLY_HINT,
    )
    BINDINGS = [Binding("escape", "back", "Back to the list", id="case.back")]

    def __init__(self, repo: CaseRepository, case_id: str) -> None:
        super().__init__()
        self.repo = repo
        self.case_id = case_id
        self.opened: OpenCase | None = None

    def compose(self) -> ComposeResult:
        yield Static(Content.styled("Opening the case\u2026", "dim"), id="case-title")
        yield EmergencyBanner(id="emergency")
        yield Static(id="read-only")
        yield OverviewPane(id="overview")
        yield Static(Content.styled(READ_ONLY_HINT, "dim"), id="case-hint")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#read-only", Static).display = False
        self._load()

    @work(thread=True, group="open-case", exit_on_error=False)
    def _load(self) -> None:
        try:
            opened = self.repo.open(self.case_id)
            opened.case  # build the typed view here, off the event loop
        except Exception as exc:  # reported, never a traceback
            self._call_back(self._failed, exc)
            return
        self._call_back(self._loaded, opened)

    def _call_back(self, callback: Any, *args: Any) -> None:
        try:
            self.app.call_from_thread(callback, *args)
        except RuntimeError:  # the app closed while the worker ran
            pass

    def _loaded(self, opened: OpenCase) -> None:
        self.opened = opened
        case = opened.case
        self.query_one("#case-title", Static).update(
            Content.assemble(("Case  ", "dim"), text.content(case.title, "bold"))
        )
        self.query_one("#emergency", EmergencyBanner).show(case.info.urgency == "emergency")
        note = self.query_one("#read-only", Static)
        if opened.read_only:
            note.update(
                Content.assemble(("Read-only: ", "bold"), text.content(opened.read_only))
            )
            note.display = True
        overview = self.query_one("#overview", OverviewPane)
        overview.show(case, self.repo.today)
        overview.focus()
        if opened.problems:
            self.app.notify(
                problems_message(opened.problems),
                title="Some files need you",
                severity="warning",
                timeout=15,
                markup=False,
            )

    def _failed(self, exc: Exception) -> None:
        self.app.notify(
            f"The case could not be opened: {text.clean(exc)}",
            severity="error",
            timeout=12,
            markup=False,
        )
        if self.is_current:
            self.dismiss()

    def action_back(self) -> None:
        """Back to the case list."""
        self.dismiss()
