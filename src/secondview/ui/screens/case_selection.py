"""CaseSelection: several cases chosen in the case list, to archive, restore or export them
in one step.

``space`` selects the highlighted case (or takes it out again) and moves to the next row;
``ctrl+a`` selects every case shown (what the filter keeps), or takes them all out when all
are selected; ``escape`` clears the filter first, and the selection once no filter is left
(a selection takes longer to make again than a filter). The selection is a set of case ids,
so it stays on its cases when the list is sorted, filtered or refreshed; a case that leaves
the list (gone from the folder, or archived while archived cases are hidden) leaves the
selection. The table draws the mark (``CaseTable.mark``), the title counts the cases.
``delete`` then archives or restores them all (``CaseArchiving``), ``x`` exports them
(``ExportCasesScreen``). Mixed into the home screen; nothing is read or written here.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from textual.app import App
    from textual.widgets import Input

    from ...core.case_summary import CaseSummary
    from ...store.repository import CaseRepository
    from ..widgets.case_table import CaseTable

SELECTION_ACTIONS = frozenset({"toggle_selected", "select_all", "clear_selection",
                               "clear_filter", "export_cases"})
"""The actions whose keys this mixin offers or not (``selection_applies``)."""
BUSY_ACTIONS = frozenset({"archive", "restore", "undo"})
"""The actions a selection (or a step over many cases still running) changes."""


class CaseSelection:
    """The case list's selection and the keys that make and use it."""

    _selected: frozenset[str] = frozenset()
    """The ids of the selected cases (a new set on every change: the table keeps it)."""

    if TYPE_CHECKING:  # provided by the screen this is mixed into
        app: App[Any]
        repo: CaseRepository
        table: CaseTable
        _listed: list[CaseSummary]

        @property
        def many_running(self) -> bool: ...

        def _highlighted(self) -> CaseSummary | None: ...
        def _update_title(self, shown: int) -> None: ...
        def refresh_bindings(self) -> None: ...
        def filter_box(self, create: bool = False) -> Input | None: ...

    # -- what is selected ---------------------------------------------------------------------

    @property
    def selection(self) -> frozenset[str]:
        return self._selected

    def chosen(self) -> list[CaseSummary]:
        """The selected cases, in the order the list shows them (hidden by the filter or
        not)."""
        return [s for s in self._listed if s.id in self._selected]

    def select(self, case_ids: frozenset[str]) -> None:
        """Make these cases the selection: marked in the table, counted in the title."""
        if case_ids == self._selected:
            return
        self._selected = case_ids
        table = self.table
        table.mark(case_ids)
        self._update_title(table.row_count)
        self.refresh_bindings()

    def keep_selection(self, listed: Sequence[CaseSummary]) -> None:
        """The list now holds ``listed``: the selected cases not among them leave it."""
        if self._selected:
            self.select(self._selected & {s.id for s in listed})

    def selection_words(self) -> str:
        """What the title says of the selection ("" when nothing is selected)."""
        return f"  \u00b7  {len(self._selected):,} selected" if self._selected else ""

    def _filtering(self) -> bool:
        box = self.filter_box()
        return box is not None and bool(box.display or box.value)

    def selection_decides(self, action: str) -> bool:
        """Whether ``selection_applies`` says if ``action``'s key is offered now."""
        return action in SELECTION_ACTIONS or (
            action in BUSY_ACTIONS and bool(self._selected or self.many_running))

    def selection_applies(self, action: str) -> bool | None:
        """Offer the selection's keys when they do something: escape clears the filter
        first, then the selection; delete archives when a selected case is not archived,
        restores when all are; none of them while a step over many cases runs."""
        if action in BUSY_ACTIONS and self.many_running:
            return False
        if action == "clear_filter":
            return self._filtering()
        if action == "clear_selection":
            return bool(self._selected) and not self._filtering()
        if action in ("archive", "restore"):
            chosen = self.chosen()
            all_archived = bool(chosen) and all(s.archived for s in chosen)
            return all_archived == (action == "restore")
        if action == "undo":
            return True
        return self.table.row_count > 0  # select, select all, export: a case shown

    # -- the keys -----------------------------------------------------------------------------

    def action_toggle_selected(self) -> None:
        """Select the highlighted case, or take it out of the selection; then go to the next
        row, so space after space selects a run of cases."""
        case = self._highlighted()
        if case is None:
            return
        self.select(self._selected ^ {case.id})
        table = self.table
        if table.cursor_row + 1 < table.row_count:
            table.move_cursor(table.cursor_row + 1)

    def action_select_all(self) -> None:
        """Select every case shown (what the filter keeps); when all of them are selected
        already, take them all out."""
        table = self.table
        shown = {table.row_at(i).id for i in range(table.row_count)}
        if shown <= self._selected:
            self.select(self._selected - shown)
        else:
            self.select(self._selected | shown)

    def action_clear_selection(self) -> None:
        """Select no case."""
        self.select(frozenset())

    def action_export_cases(self) -> None:
        """Open the dialog exporting a document of each selected case (the highlighted one
        when none is selected) into a folder: config.yaml's ``export_dir``, else home."""
        cases = self.chosen() or [c for c in (self._highlighted(),) if c is not None]
        if not cases:
            return
        from .export_cases_screen import ExportCasesScreen

        config = getattr(self.app, "config", None)
        folder = getattr(config, "export_dir", None) or Path.home()
        self.app.push_screen(ExportCasesScreen(
            self.repo, [(c.id, c.title) for c in cases], self.repo.today, Path(folder)))
