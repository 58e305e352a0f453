"""CaseArchiving: archiving and restoring cases from the case list, and its ctrl+z.

Archiving is a flag on the case (nothing is deleted), saved through the edit path
(``store.editing``), whose undo the list keeps; ``a`` shows archived cases beside the others.
With a selection (``CaseSelection``), ``delete`` archives (or restores) every selected case
after one question, in a worker thread, the title saying how far it is; a case that cannot
be changed (read-only, locked) is named and the others go on; the whole step is one undo
(``store.editing.undo_group``), which one ctrl+z takes back. Mixed into the home screen,
whose table, rows and repository it uses.

Side effects: each archive, restore or undo writes this device's replica of the case.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from textual import work

from .. import text
from ..case_names import NAMES_SHOWN, TITLE_CELLS, cases_word, names

if TYPE_CHECKING:
    from textual.app import App

    from ...core.case_summary import CaseSummary
    from ...store.editing import Editor, Undo, UndoStack
    from ...store.repository import CaseRepository
    from ..widgets.case_table import CaseTable

PROGRESS_SECONDS = 0.5
"""How often a step over many cases says in the title how far it is."""


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
        summaries: list[CaseSummary]
        archived: list[CaseSummary]
        selection: frozenset[str]

        def _highlighted(self) -> CaseSummary | None: ...
        def chosen(self) -> list[CaseSummary]: ...
        def select(self, case_ids: frozenset[str]) -> None: ...
        def _update_title(self, shown: int) -> None: ...
        def refresh_bindings(self) -> None: ...
        def _call_back(self, callback: Any, *args: Any) -> None: ...

        def _sort(self) -> None: ...

        def show_rows(self, rows: list[CaseSummary], keep: str | None = None) -> None: ...

    def _all_rows(self) -> list[CaseSummary]:
        """Every case the list knows, archived or not."""
        return self.summaries + self.archived

    def action_show_archived(self, show: bool) -> None:
        """List archived cases too (marked 'archived'), or hide them again."""
        self.showing_archived = show
        self._sort()
        if show and not self.archived:
            self.app.notify("No case is archived.", timeout=3)

    _many: tuple[str, int, int] | None = None
    """While a step over many cases runs: (what it does, cases done, cases in all)."""

    @property
    def many_running(self) -> bool:
        return self._many is not None

    def progress_words(self) -> str:
        """What the title says while a step over many cases runs ("" otherwise)."""
        if self._many is None:
            return ""
        doing, done, total = self._many
        return f" ({doing} {done:,} of {total:,}\u2026)"

    def action_archive(self) -> None:
        """Archive the highlighted case, after asking; ctrl+z restores it. With a selection:
        every selected case not archived yet, after one question; one ctrl+z restores all."""
        if self.selection:
            self._archive_chosen()
            return
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

    def _archive_chosen(self) -> None:
        """Ask once, then archive the selected cases that are not archived."""
        going = [c for c in self.chosen() if not c.archived]
        if not going:
            self.action_restore()
            return
        from .confirm_screen import ConfirmScreen

        def answered(yes: bool | None) -> None:
            if yes:
                self.set_many([(c.id, c.title, True) for c in going])

        self.app.push_screen(
            ConfirmScreen(
                f"Archive {cases_word(len(going))}: {names([c.title for c in going])}? "
                "They leave the list; nothing is deleted. One ctrl+z brings them all back, "
                "and a shows archived cases.",
                confirm="Archive",
                cancel="Keep them",
            ),
            answered,
        )

    def action_restore(self) -> None:
        """Take the highlighted (archived) case out of the archive; ctrl+z archives it again.
        With a selection: every selected archived case, in one step."""
        if self.selection:
            back = [c for c in self.chosen() if c.archived]
            if back:
                self.set_many([(c.id, c.title, False) for c in back])
            return
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

    def set_many(self, cases: list[tuple[str, str, bool]],
                 undoing: dict[str, Undo] | None = None) -> None:
        """Archive or restore ``cases`` ((id, title, archived) each) in a worker thread; the
        step is one undo, unless it is itself an undo (``undoing``: each case's part of the
        group taken back, put back on the stack for the cases that fail)."""
        editor = self.editing[0]  # made here: the worker only uses it
        doing = "archiving" if all(archived for _, _, archived in cases) else "restoring"
        self._many = (doing, 0, len(cases))
        self._update_title(self.table.row_count)
        self.refresh_bindings()
        self._many_worker(editor, cases, undoing, self._cursor_after(cases))

    def _cursor_after(self, cases: list[tuple[str, str, bool]]) -> str | None:
        """The case the cursor stays on once ``cases`` are changed: the highlighted one, or
        when it leaves the list, the next one that stays (else the one before)."""
        table = self.table
        rows = [table.row_at(i).id for i in range(table.row_count)]
        leaving = set() if self.showing_archived else {c for c, _, a in cases if a}
        at = table.cursor_row
        if not rows or not 0 <= at < len(rows):
            return None
        after = [r for r in rows[at:] + rows[:at][::-1] if r not in leaving]
        return after[0] if after else None

    @work(thread=True, group="archive-many", exit_on_error=False)
    def _many_worker(self, editor: Editor, cases: list[tuple[str, str, bool]],
                     undoing: dict[str, Undo] | None, keep: str | None) -> None:
        undos: list[Undo | None] = []
        failed: list[tuple[str, str, bool, str]] = []
        shown_at = time.monotonic()
        for n, (case_id, title, archived) in enumerate(cases, 1):
            try:
                opened = self.repo.open(case_id)
                title = opened.case.title or title
                undos.append(editor.set_archived(opened, archived).undo)
            except Exception as exc:  # read-only, locked, gone: named, the others go on
                failed.append((case_id, title, archived, text.clean(exc)))
            if time.monotonic() - shown_at >= PROGRESS_SECONDS:
                shown_at = time.monotonic()
                self._call_back(self._many_progress, n)
        try:
            rows: list[CaseSummary] | None = self.repo.indexed()
        except Exception:  # the next refresh shows them
            rows = None
        self._call_back(self._many_done, cases, undos, failed, undoing, rows, keep)

    def _many_progress(self, done: int) -> None:
        if self._many is not None:
            self._many = (self._many[0], done, self._many[2])
            self._update_title(self.table.row_count)

    def _many_done(self, cases: list[tuple[str, str, bool]], undos: list[Undo | None],
                   failed: list[tuple[str, str, bool, str]], undoing: dict[str, Undo] | None,
                   rows: list[CaseSummary] | None, keep: str | None) -> None:
        """Show the list as it is now, keep the undo, say what was done and what was not."""
        from ...store.editing import undo_group

        self._many = None
        undo_stack = self.editing[1]
        done = len(cases) - len(failed)
        archiving = all(archived for _, _, archived in cases)
        verb = "Archived" if archiving else "Restored"
        if undoing is not None:  # what is left of the step undone: named as that step was
            undone = "Restored" if archiving else "Archived"
            undo_stack.push(undo_group(f"{undone} {cases_word(len(failed))}",
                                       [undoing[case_id] for case_id, *_ in failed]))
        else:
            undo_stack.push(undo_group(f"{verb} {cases_word(done)}", undos))
            self.select(frozenset(case_id for case_id, *_ in failed))
        if rows is not None:
            self.show_rows(rows, keep=keep)
        else:
            self._update_title(self.table.row_count)
        self.refresh_bindings()
        lines = []
        if done:
            again = " One ctrl+z brings them all back." if archiving and undoing is None \
                else ""
            lines.append(f"{verb} {cases_word(done)}"
                         + (" to the list." if not archiving else ".") + again)
        if failed:
            not_done = "archived" if archiving else "restored"
            lines.append(f"Not {not_done}:")
            lines += [f"'{text.clean(title)[:TITLE_CELLS]}': {why}" for _, title, _, why
                      in failed[:NAMES_SHOWN]]
            if len(failed) > NAMES_SHOWN:
                lines.append(f"and {len(failed) - NAMES_SHOWN} more")
        self.app.notify(text.clean("\n".join(lines), multiline=True),
                        severity="error" if failed else "information",
                        timeout=12 if failed else 5, markup=False)

    def action_undo(self) -> None:
        """Undo the last archive or restore done in this list (a step over many cases: all
        of it)."""
        undo_stack = self.editing[1]
        undo = undo_stack.pop()
        if undo is not None and undo.group:
            titles = {s.id: s.title for s in self._all_rows()}
            parts = {part.case_id: part for part in undo.parts}
            self.set_many([(p.case_id, titles.get(p.case_id, p.case_id), bool(p.archived))
                           for p in undo.parts], undoing=parts)
            return
        if undo is None or undo.archived is None:
            self.app.notify("Nothing to undo.", timeout=3)
            return
        if not self.set_archived(undo.case_id, undo.archived, undoable=False):
            undo_stack.push(undo)
