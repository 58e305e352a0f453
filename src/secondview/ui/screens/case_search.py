"""CaseSearch: the case list's filter box reaching every case's text (``store.search_index``).

Free text typed after `/` keeps the cases whose title or condition holds it (as
``CaseFiltering`` does) and those the full-text index finds it in (doctors, records,
transfers, questions, answers, notes, imported notes...). The hits panel under the table
(``ui.widgets.search_hits``) says where the highlighted case matched; ``enter`` on a case
found this way opens it at its first hit, and a hit chosen in the panel opens it there.
Mixed into the home screen in place of ``CaseFiltering``, whose box it extends.

Side effects: reads the index (never a case file) as the filter changes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ...core import list_filter
from .case_filtering import CaseFiltering

if TYPE_CHECKING:
    from textual.widget import Widget

    from ...core.case_summary import CaseSummary
    from ...core.search_text import Hit
    from ...store.repository import CaseRepository
    from ..widgets.search_hits import SearchHits

PANEL_HITS = 50
"""Hits of the highlighted case listed in the panel at most."""


class CaseSearch(CaseFiltering):
    """The filter box, reading the full-text index too, and the hits panel."""

    if TYPE_CHECKING:  # provided by the screen this is mixed into
        repo: CaseRepository
        showing_archived: bool

        def open_case(self, case_id: str) -> None: ...

    _found: tuple[str, set[str]] | None = None
    """(free text, ids of the cases the index finds it in), for the text typed last."""

    def listed_changed(self) -> None:
        super().listed_changed()
        self._found = None  # the index may hold new text

    def found_ids(self, wanted: str) -> set[str]:
        """The cases the full-text index finds ``wanted`` in (asked once per text)."""
        if self._found is None or self._found[0] != wanted:
            try:
                ids = self.repo.index.search.case_ids(wanted)
            except Exception:  # a broken cache: the titles still filter
                ids = set()
            self._found = (wanted, ids)
        return self._found[1]

    def text_hit(self, query: list_filter.Query) -> Callable[[CaseSummary, str], bool]:
        """The title and condition (``CaseFiltering.text_hit``), or the full-text index."""
        in_title = super().text_hit(query)
        found = self.found_ids(query.text) if query.text else set()
        return lambda summary, wanted: summary.id in found or in_title(summary, wanted)

    def hits_panel(self, create: bool = False) -> SearchHits | None:
        """The hits panel; None until a search first finds something (``create``), which
        mounts it under the table: the first frame has no use for it, nor for its table."""
        panel: Any = next(iter(self.query("#search-hits")), None)
        if panel is None and create:
            from ..widgets.search_hits import SearchHits  # not a cycle: it imports no screen

            panel = SearchHits(id="search-hits")
            self.mount_after_table(panel)
        return panel

    def hits_of(self, case_id: str) -> list[Hit]:
        """Where the filter's free text is found in the case ``case_id`` (none without)."""
        wanted = list_filter.parse(self.filter_text, today=self.table.today).text
        if not wanted:
            return []
        try:
            return self.repo.index.search.search(wanted, include_archived=True,
                                       limit=PANEL_HITS, case_id=case_id)
        except Exception:
            return []

    def shown_changed(self) -> None:
        """Show the highlighted case's hits under the table (hidden when there are none)."""
        table = self.table
        shown = 0 <= table.cursor_row < table.row_count
        hits = self.hits_of(table.row_at(table.cursor_row).id) if shown else []
        panel = self.hits_panel(create=bool(hits))
        if panel is not None:
            panel.show(hits, list_filter.parse(self.filter_text, today=self.table.today).text)

    def mount_after_table(self, widget: Widget) -> None:
        """Mount ``widget`` right under the table."""
        screen: Any = self
        screen.mount(widget, after=self.table)

    def open_found(self, case_id: str) -> None:
        """Open the case: at its first hit when the filter found it by its text, else as
        ``open_case`` does."""
        hits = self.hits_of(case_id)
        if hits:
            self.open_hit(hits[0])
        else:
            self.open_case(case_id)

    def open_hit(self, hit: Hit) -> None:
        """Open the hit's case on its pane with its row highlighted."""
        app: Any = self.app
        app.call_later(app.open_case_at, hit.case_id, hit.pane, hit.item_id)

    def on_search_hits_chosen(self, event: SearchHits.Chosen) -> None:
        event.stop()
        self.open_hit(event.hit)
