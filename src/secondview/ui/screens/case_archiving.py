"""CaseArchiving: archiving and restoring cases from the case list, and its ctrl+z.

Archiving is a flag on the case (nothing is deleted), saved through the edit path
(``store.editing``), whose undo the list keeps; ``a`` shows archived cases beside the others.
Mixed into the home screen, whose table, rows and repository it uses.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .. import text

if TYPE_CHECKING:
    from textual.app import App

    from ...core.case_summary import CaseSummary
    from ...store.editing import Editor, UndoStack
    from ...store.repository import CaseRepository
    from ..widgets.case_table import CaseTable


class CaseArchiving:
    """The case list's archive, restore and undo actions."""

    @property
    def editing(self) -> tuple[Editor, UndoStack]:
        """The edit path and this list's undos, made on first use (``store.editing`` is not
        imported before the first frame)."""
        if self._editing is None:
            from ...store.editing import Editor, UndoStack

            self._editing = (Editor(self.repo), UndoStack())
        return self._editing

    if TYPE_CHECKING:  # provided by the screen this is mixed into
        app: App[Any]
        repo: CaseRepository
        _editing: tuple[Editor, UndoStack] | None
        table: CaseTable
        showing_archived: bool
        archived: list[CaseSummary]

        def _highlighted(self) -> CaseSummary | None: ...

        def _sort(self) -> None: ...

        def show_rows(self, rows: list[CaseSummary], keep: str | None = None) -> None: ...

    def action_show_archived(self, show: bool) -> None:
        """List archived cases too (marked 'archived'), or hide them again."""
        self.showing_archived = show
        self._sort()
        if show and not self.archived:
            self.app.notify("No case is archived.", timeout=3)

    def action_archive(self) -> None:
        """Archive the highlighted case, after asking; ctrl+z restores it."""
        case = self._highlighted()
        if case is None:
            return
        if case.archived:
            self.action_restore()
            return
        from .confirm_screen import ConfirmScreen

        title = text.clean(case.title or "(untitled)")[:200]

        def answered(yes: bool | None) -> None:
            if yes:
                self.set_archived(case.id, True)

        self.app.push_screen(
            ConfirmScreen(
                f"Archive '{title}'? It leaves the list; nothing is deleted. "
                "ctrl+z brings it back, and a shows archived cases.",
                confirm="Archive",
                cancel="Keep it",
            ),
            answered,
        )

    def action_restore(self) -> None:
        """Take the highlighted (archived) case out of the archive; ctrl+z archives it again."""
        case = self._highlighted()
        if case is not None and case.archived:
            self.set_archived(case.id, False)

    def set_archived(self, case_id: str, archived: bool, undoable: bool = True) -> bool:
        """Archive or restore one case on disk (this device's replica) and show the list as
        it is now. Says what happened, or why it could not be done."""
        table = self.table
        keep = case_id
        if archived and not self.showing_archived:
            # the case leaves the list: keep the cursor where it was, on the next case
            rows = [table.row_at(i).id for i in range(table.row_count)]
            if case_id in rows:
                at = rows.index(case_id)
                after = rows[at + 1:] + rows[:at][::-1]
                keep = after[0] if after else case_id
        try:
            opened = self.repo.open(case_id)
            title = text.clean(opened.case.title)
            editor, undo_stack = self.editing
            edit = editor.set_archived(opened, archived)
            rows = self.repo.indexed()
        except Exception as exc:  # read-only, folder gone, disk full: said, not a traceback
            verb = "archived" if archived else "restored"
            self.app.notify(f"The case was not {verb}: {text.clean(exc)}", severity="error",
                            timeout=12, markup=False)
            return False
        if undoable:
            undo_stack.push(edit.undo)
        self.show_rows(rows, keep=keep)
        if archived:
            self.app.notify(f"Archived '{title}'. ctrl+z brings it back.", timeout=5,
                            markup=False)
        else:
            self.app.notify(f"Restored '{title}' to the list.", timeout=5, markup=False)
        return True

    def action_undo(self) -> None:
        """Undo the last archive or restore done in this list."""
        undo_stack = self.editing[1]
        undo = undo_stack.pop()
        if undo is None or undo.archived is None:
            self.app.notify("Nothing to undo.", timeout=3)
            return
        if not self.set_archived(undo.case_id, undo.archived, undoable=False):
            undo_stack.push(undo)
