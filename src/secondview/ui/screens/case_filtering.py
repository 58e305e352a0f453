"""CaseFiltering: the case list's filter box (`/`), which narrows the list as you type.

What the typed words mean is ``core.list_filter``'s (filter words and free text); this holds
the box and shows the rows it keeps. Mixed into the home screen, whose table, rows and title
it uses. (Its ``@on`` handlers stay on the screen: Textual collects them per class.)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual.content import Content
from textual.widgets import Input, Static

from ...core import list_filter
from .. import text
from ..widgets.empty_state import EmptyState

if TYPE_CHECKING:
    from textual.app import App
    from textual.dom import DOMQuery
    from textual.widget import Widget

    from ...core.case_summary import CaseSummary
    from ...store.paths import Paths
    from ..widgets.case_table import CaseTable

FILTER_PLACEHOLDER = "Search every case's text, or a filter word (escape clears)"


class CaseFiltering:
    """The filter box and the rows it keeps."""

    if TYPE_CHECKING:  # provided by the screen this is mixed into
        app: App[Any]
        paths: Paths
        table: CaseTable
        summaries: list[CaseSummary]
        archived: list[CaseSummary]
        _listed: list[CaseSummary]
        _reading: tuple[int, int] | None

        def query(self, selector: str) -> DOMQuery[Widget]: ...
        def query_one(self, selector: str, expect_type: Any = None) -> Any: ...
        def mount(self, *widgets: Widget, before: Widget | None = None,
                  after: Widget | None = None) -> Any: ...
        def set_focus(self, widget: Widget | None) -> None: ...
        def _update_title(self, shown: int) -> None: ...
        def _update_keys(self) -> None: ...

    _title_keys: dict[str, str]
    """Each listed case's title and condition, folded once per sort (``list_filter.in_title``
    on every row at every key typed would fold them again)."""

    @property
    def filter_text(self) -> str:
        box = self.filter_box()
        return box.value if box is not None else ""

    def filter_box(self, create: bool = False) -> Input | None:
        """The filter box; None until `/` first asks for it (``create``), which mounts it
        above the table: the first frame has no use for it."""
        found = self.query("#filter").results(Input)
        box = next(found, None)
        if box is None and create:
            box = Input(placeholder=FILTER_PLACEHOLDER, id="filter")
            self.mount(box, before=self.table)
        return box

    def welcome(self, create: bool = False) -> EmptyState | None:
        """The first-run welcome (``#empty``); None until a list with no case to show asks
        for it (``create``), which mounts it under the table: a list painted from cases
        never needs its widgets."""
        welcome = next(self.query("#empty").results(EmptyState), None)
        if welcome is None and create:
            welcome = EmptyState(self.paths.cases_dir, id="empty")
            self.mount(welcome, after=self.query_one("#no-match", Static))
        return welcome

    def listed_changed(self) -> None:
        """The listed rows changed (a sort or a refresh): fold their titles once."""
        self._title_keys = {
            r.id: " ".join(f"{r.title}\n{r.condition}".split()).casefold() for r in self._listed
        }

    def text_hit(self, query: list_filter.Query) -> Callable[[CaseSummary, str], bool]:
        """How the free text of ``query`` is matched against a case (the title and the
        condition)."""
        keys = getattr(self, "_title_keys", {})
        return lambda summary, wanted: wanted in keys.get(summary.id, "")

    def shown_changed(self) -> None:
        """The rows shown, or the one highlighted, changed (the search shows its hits)."""

    def filtered(self) -> list[CaseSummary]:
        """The listed rows the filter keeps (all of them while it is empty)."""
        query = list_filter.parse(self.filter_text, today=self.table.today)
        if query.empty:
            return self._listed
        hit = self.text_hit(query)
        return [s for s in self._listed if list_filter.keeps(s, query, hit)]

    def _apply_filter(self, keep: str | None = None) -> None:
        shown = self.filtered()
        typed = self.filter_text.strip()
        table = self.table
        had_focus = table.has_focus
        table.show(shown, keep)
        any_case = bool(self.summaries or self.archived)
        reading = self._reading
        wanted = not any_case and reading is None
        welcome = self.welcome(create=wanted)
        if welcome is not None:
            welcome.display = wanted
        table.display = any_case
        if not any_case and table.has_focus:
            self.set_focus(None)
        no_match = self.query_one("#no-match", Static)
        no_match.display = (any_case and not shown) or (not any_case and reading is not None)
        if not any_case and reading is not None:
            counts = f": {reading[0]:,} of {reading[1]:,} cases read" if reading[1] else ""
            no_match.update(Content.styled(f"Reading the cases folder{counts}\u2026", "italic"))
        elif any_case and not shown:
            if typed:
                no_match.update(
                    Content.assemble("No case matches ", text.content(typed, "bold"),
                                     ". Escape clears the filter.")
                )
            else:
                count = len(self.archived)
                no_match.update(Content.assemble(
                    f"{'The one case is' if count == 1 else f'All {count} cases are'} "
                    "archived. Press ", ("a", "bold"), " to show archived cases, or ",
                    ("n", "bold"), " to start a new one."))
        self._update_title(len(shown))
        self.shown_changed()
        box = self.filter_box()
        if any_case and not had_focus and not (box is not None and box.has_focus):
            table.focus()
        self._update_keys()

    def action_filter(self) -> None:
        """Show the filter box and type into it; the list narrows as you type."""
        if not self._listed:
            return
        box = self.filter_box(create=True)
        assert box is not None
        box.display = True
        box.focus()

    def action_clear_filter(self) -> None:
        """Empty and hide the filter box; the whole list shows again."""
        box = self.filter_box()
        if box is None or (not box.display and not box.value):
            return
        box.value = ""
        box.display = False
        self._apply_filter()
        if self._listed:
            self.table.focus()
