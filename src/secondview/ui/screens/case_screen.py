"""CaseScreen: the workspace of one case, its panes on the number keys (case_panes.PANES).

The screen owns the open case. Its ``case`` reactive (the typed view) flows down to every
pane, and ``editable`` (the raw state, while the case may be edited here) to the list panes
(``data_bind``); what the person does flows up as messages (``FormRequested``,
``ChangeRequested``, ``DeleteRequested``...), which the screen turns into saves through the
edit path (``store.editing``), and the dialogs a pane asks for, which the screen opens
(``PaneDialogs``). Every confirmed edit is on disk before the screen shows it: there is no
save step.

Side effects: reads the case's folder in a worker thread when opening and whenever its files
change on disk (polled every second: another device's replica arriving), which may quarantine
an unreadable file; writes this device's replica on every edit.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.reactive import reactive, var
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Static

from ...core import model
from ...store.editing import Edit, Editor, UndoStack
from ...store.settling import other_values
from .. import text
from ..case_panes import PANE_NAMES, PANES, TABLE_PANES, pane_class
from ..forms import doctor_field, form_specs, form_values, ref_label
from ..kit.key_footer import KeyFooter
from ..kit.pane_tabs import PaneTabs
from ..messages.change_requested import ChangeRequested
from ..messages.changes_requested import ChangesRequested
from ..messages.delete_requested import DeleteRequested
from ..messages.form_requested import FormRequested
from ..messages.third_opinion_requested import ThirdOpinionRequested
from ..problems_message import problems_message
from ..widgets.emergency_banner import EmergencyBanner
from ..widgets.list_pane import ListPane
from .conflict_settling import CONFLICT_BINDINGS, ConflictSettling
from .pane_dialogs import PaneDialogs

if TYPE_CHECKING:
    from ...core.model import Case
    from ...core.replica import CaseState
    from ...store.repository import CaseRepository, OpenCase


POLL_SECONDS = 1.0
"""How often the case folder's file stamps are checked (another device's edit shows within
two seconds: one poll, one read)."""


class CaseScreen(PaneDialogs, ConflictSettling, Screen[None]):
    """One case's workspace. See the module docstring."""

    CSS_PATH = Path(__file__).with_name("case_screen.tcss")  # read when first shown, not at start

    BINDINGS = [
        Binding("escape", "back", "Back to the list", id="case.back"),
        Binding("ctrl+z", "undo", "Undo", id="case.undo"),
        Binding("x", "export", "Export", show=False, id="case.export"),  # help and palette
        *CONFLICT_BINDINGS,
        *(
            Binding(key, f"show_pane('{name}')", label, show=False, id=f"case.pane.{name}")
            for name, key, label, _, _ in PANES
        ),
    ]

    case: reactive[Case | None] = reactive(None, init=False, always_update=True)
    editable: var[CaseState | None] = var(None, init=False, always_update=True)
    """The open case's raw state while it may be edited here, else None (read-only, not open
    yet). Set before ``case``, so a pane sees both of the same read."""

    def __init__(self, repo: CaseRepository, case_id: str, pane: str = "overview") -> None:
        super().__init__()
        self.repo = repo
        self.case_id = case_id
        self.opened: OpenCase | None = None
        self.editor = Editor(repo, lambda: getattr(self.app, "content", None))
        self.undo_stack = UndoStack()
        """The changes made on this screen that ctrl+z takes back (``store.editing``)."""
        self._start_pane = pane if pane in PANE_NAMES else "overview"
        self._panes: dict[str, Widget] = {}
        self.pane = self._start_pane
        """The pane shown (a plain attribute: as a reactive, each switch repainted the whole
        screen)."""
        self._polling = False

    # -- help ---------------------------------------------------------------------------------

    @property
    def HELP_TITLE(self) -> str:  # noqa: N802 (read by HelpScreen like a class constant)
        _, key, label, _, _ = next(p for p in PANES if p[0] == self.pane)
        return f"{label} ({key} of {PANES[-1][1]})"  # the last pane's key

    @property
    def GUIDANCE(self) -> tuple[str, ...]:  # noqa: N802
        shown = self.current_pane()
        own = tuple(getattr(shown, "GUIDANCE", ()))
        return (
            *own,
            "Keys 1 to 7 switch panes: overview, checklist, records, questions, opinions, "
            "compare, decision; 9 shows the visits.",
            "Every change is saved to disk the moment you confirm it; ctrl+z undoes the last "
            "one (a deletion too). Changes made on your other devices appear here by "
            "themselves within two seconds.",
            "A case marked emergency shows a banner on every pane: get care now, and do not "
            "wait for a second opinion.",
        )

    # -- building -----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static(Content.styled("Opening the case\u2026", "dim"), id="case-title")
        yield EmergencyBanner(id="emergency")
        yield Static(id="read-only")
        yield Static(id="conflict-note")
        yield PaneTabs([(name, f"{key} {label}") for name, key, label, _, _ in PANES],
                       active=self._start_pane, id="tabs")
        # The panes are the screen's own children, one shown at a time (no ContentSwitcher:
        # it repainted the region under the pane on every switch, see action_show_pane).
        for name, *_ in PANES:
            pane = pane_class(name)(id=name, classes="pane")
            pane.today = self.repo.today  # type: ignore[attr-defined]
            pane.display = name == self._start_pane
            self._panes[name] = pane
            if isinstance(pane, ListPane):
                yield pane.data_bind(CaseScreen.case, CaseScreen.editable)
            else:
                yield pane.data_bind(CaseScreen.case)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#read-only", Static).display = False
        self.query_one("#conflict-note", Static).display = False
        self._load()

    @work(thread=True, group="open-case", exit_on_error=False)
    def _load(self) -> None:
        try:
            opened = self.repo.open(self.case_id)
            _ = opened.case  # build the typed view here, off the event loop
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
        self.show_opened(opened)
        self.action_show_pane(self._start_pane)
        if opened.problems:
            self.app.notify(
                problems_message(opened.problems),
                title="Some files need you",
                severity="warning",
                timeout=15,
                markup=False,
            )
        self.set_interval(POLL_SECONDS, self._poll, name="watch-case-folder")

    def _failed(self, exc: Exception) -> None:
        self.app.notify(
            f"The case could not be opened: {text.clean(exc)}",
            severity="error",
            timeout=12,
            markup=False,
        )
        if self.is_current:
            self.dismiss()

    def show_opened(self, opened: OpenCase) -> None:
        """Make ``opened`` the case shown: header, banner, and (through ``case``) every pane."""
        self.opened = opened
        case = opened.case
        self.query_one("#case-title", Static).update(
            Content.assemble(("Case  ", "dim"), text.content(case.title, "bold"))
        )
        self.query_one("#emergency", EmergencyBanner).show(case.info.urgency == "emergency")
        note = self.query_one("#read-only", Static)
        note.display = bool(opened.read_only)
        if opened.read_only:
            note.update(Content.assemble(("Read-only: ", "bold"), text.content(opened.read_only)))
        self._show_conflicts(case)
        self.editable = None if opened.read_only else opened.state
        self.case = case

    # -- panes --------------------------------------------------------------------------------

    def current_pane(self) -> Widget | None:
        return self._panes.get(self.pane)

    def action_show_pane(self, name: str) -> None:
        """Show the pane ``name`` (a hidden pane catches up with the case when shown).

        Only what changes is touched, for the pane switch's latency budget (DESIGN.md, from
        key to frame): the two panes' ``display`` and the tabs. Focus moves to the new pane
        after the frame that shows it, so that frame does not wait for the restyling a
        focus change brings."""
        if name not in PANE_NAMES:
            return
        if name != self.pane:
            self._panes[self.pane].display = False
            self._panes[name].display = True
        self.pane = name
        self.query_one("#tabs", PaneTabs).active = name
        self.call_after_refresh(self._focus_pane)

    def _focus_pane(self) -> None:
        pane = self.current_pane()
        if pane is None:
            return
        focus = getattr(pane, "focus_list", None)
        if focus is not None:
            focus()
        elif pane.can_focus:
            pane.focus()

    @on(PaneTabs.Chosen, "#tabs")
    def _tab_chosen(self, event: PaneTabs.Chosen) -> None:
        if event.name != self.pane:
            self.action_show_pane(event.name)

    # -- saving -------------------------------------------------------------------------------

    def writable(self) -> OpenCase | None:
        """The open case if it may change here; else None, after saying why (read-only)."""
        opened = self.opened
        if opened is not None and opened.read_only:
            self.app.notify(f"This case is read-only: {text.clean(opened.read_only)}",
                            severity="warning", markup=False)
            return None
        return opened

    def _save(self, what: Callable[[OpenCase], Edit], done: str = "") -> Edit | None:
        """Save one change through the edit path (``store.editing``) on the open case: show
        the case as saved, remember its undo for ctrl+z, and say ``done``; or say what went
        wrong (refused value, read-only, disk full) and return None."""
        if self.opened is None:
            return None
        try:
            edit = what(self.opened)
        except model.InvalidValue as exc:
            self.app.notify(f"Not saved: {text.clean(exc)}", severity="error", markup=False)
            return None
        except Exception as exc:  # read-only, disk full, folder gone: said, not a traceback
            self.app.notify(f"Not saved: {text.clean(exc)}", severity="error", timeout=12,
                            markup=False)
            return None
        self.undo_stack.push(edit.undo)
        self.show_opened(edit.saved)
        if done:
            self.app.notify(text.clean(done), timeout=3, markup=False)
        return edit

    def save_values(self, table: str, doc_id: str | None, values: dict[str, Any],
                    summary: str = "") -> str | None:
        """Add (``doc_id`` None) or update one item; returns its id, or None if not saved.
        ctrl+z puts back the values it replaced, or deletes what it added (a ``doc_id`` the
        case does not hold yet adds the item under that id: content steps carry ids that are
        the same on every device)."""
        if not values and doc_id is not None:
            return doc_id
        if doc_id is None:
            edit = self._save(lambda o: self.editor.add(o, table, values, summary))
        else:
            edit = self._save(lambda o: self.editor.update(o, table, doc_id, values, summary))
        return edit.item_id if edit is not None else None

    def save_many(self, changes: list[tuple[str, str, dict[str, Any]]], summary: str) -> bool:
        """Save several (table, doc_id, values) as one change: one file write, one log line,
        one ctrl+z. Nothing is saved if any value is refused."""
        if not changes or self.case is None:
            return False
        done = f"{summary}. ctrl+z takes it back." if summary else ""
        return self._save(lambda o: self.editor.change_many(o, changes, summary), done) is not None

    def _delete_now(self, table: str, doc_id: str, label: str = "", raced: bool = False) -> bool:
        """Delete one item and, in the same save, its dependants (a question's or an
        opinion's answers, an option's benefits and risks); one ctrl+z brings all back.
        ``raced``: the item was edited on one device while deleted on another, and this
        settles it. Whether it was saved."""
        if raced:
            edit = self._save(lambda o: self.editor.settle_race(o, table, doc_id, keep=False,
                                                                label=label or "the item"))
        else:
            edit = self._save(lambda o: self.editor.delete(o, table, doc_id, label))
        if edit is None:
            return False
        if edit.undo is not None:
            going = "them" if edit.undo.items > 1 else "it"
            self.app.notify(f"{text.clean(edit.undo.label)}. ctrl+z brings {going} back.",
                            timeout=5, markup=False)
        return True

    def action_undo(self) -> None:
        """Undo the last change made in this case on this screen (``store.editing``)."""
        undo = self.undo_stack.pop()
        if undo is None or self.opened is None:
            self.app.notify("Nothing to undo.", timeout=3)
            return
        try:
            saved = self.editor.undo(self.opened, undo)
        except Exception as exc:  # read-only, disk full: said, and kept for another try
            self.undo_stack.push(undo)
            self.app.notify(f"Not undone: {text.clean(exc)}", severity="error", timeout=12,
                            markup=False)
            return
        self.show_opened(saved)
        if undo.done:
            self.app.notify(text.clean(undo.done), timeout=3, markup=False)

    # -- messages from the panes --------------------------------------------------------------

    @on(ChangeRequested)
    def _change(self, event: ChangeRequested) -> None:
        event.stop()
        self.save_values(event.table, event.doc_id, event.values, event.summary)

    @on(ChangesRequested)
    def _changes(self, event: ChangesRequested) -> None:
        event.stop()
        self.save_many(event.changes, event.summary)

    @on(DeleteRequested)
    def _delete(self, event: DeleteRequested) -> None:
        event.stop()
        self._delete_now(event.table, event.doc_id, event.label)

    @on(FormRequested)
    def _form(self, event: FormRequested) -> None:
        event.stop()
        self.open_form(event.table, event.doc_id, event.fields, event.preset, event.title)

    @on(ThirdOpinionRequested)
    def _third_opinion(self, event: ThirdOpinionRequested) -> None:
        """Open the opinion form for the new opinion; once saved, save it with its record
        transfers and the questions reopened for it, as one change (one ctrl+z)."""
        event.stop()
        if self.case is None or self.opened is None:
            return
        if self.writable() is None:
            return
        from ...core.replica import new_id
        from ..third_opinion_changes import third_opinion_changes
        from .item_form_screen import ItemFormScreen

        def saved(result: dict[str, Any] | None) -> None:
            if result is None or self.case is None:
                return
            self.save_many(*third_opinion_changes(
                self.case, result, event.order, event.records, event.reopen,
                event.open_questions, new_id))

        self.app.push_screen(ItemFormScreen(f"opinion {event.order}", form_specs("opinions"),
                                            {"order": event.order}, {}, new=True,
                                            doctors=doctor_field(self.case, "opinions")), saved)

    def open_form(self, table: str, doc_id: str | None = None, fields: tuple[str, ...] = (),
                  preset: dict[str, Any] | None = None, title: str = "") -> None:
        """Open the item form; on ctrl+s its values are saved here."""
        if self.case is None or self.opened is None:
            return
        if self.writable() is None:
            return
        from .item_form_screen import ItemFormScreen

        specs = form_specs(table, fields)
        if doc_id is None:
            values: dict[str, Any] = dict(preset or {})
        else:
            item = next((i for i in self.case.table(table) if i.id == doc_id), None)
            if item is None and table != "decision":  # the decision exists once written
                self.app.notify("That item is gone (deleted on another device?).",
                                severity="warning")
                return
            values = form_values(self.case, item) if item is not None else {}
        refs = {
            s.name: [(ref_label(self.case, s.ref_table, i.id), i.id)
                     for i in self.case.table(s.ref_table)]
            for s in specs if s.kind is model.Kind.REF
        }

        def saved(result: dict[str, Any] | None) -> None:
            if result is None:
                return
            summary = f"{'Added' if doc_id is None else 'Edited'} {title or table}"
            self.save_values(table, doc_id, result, summary)

        others = {  # the values another device wrote to a field in conflict
            field: other_values(self.opened.state, table, doc_id, field, values.get(field))
            for t, d, field in self.case.conflicts if t == table and d == doc_id
        }
        self.app.push_screen(
            ItemFormScreen(title or table, specs, values, refs, new=doc_id is None,
                           conflicts=others, doctors=doctor_field(self.case, table)), saved
        )

    # -- another device's edits ---------------------------------------------------------------

    def _poll(self) -> None:
        if not self._polling and self.opened is not None:
            self._polling = True
            self._check_disk(self.opened)

    @work(thread=True, group="watch-case", exit_on_error=False)
    def _check_disk(self, seen: OpenCase) -> None:
        try:
            if not self.repo.changed_on_disk(seen):
                self._call_back(self._checked, seen, None)
                return
            fresh = self.repo.reload(seen)
            _ = fresh.case  # the typed view, off the event loop
        except Exception as exc:  # the folder vanished, a file is mid-sync: said, not fatal
            self._call_back(self._checked, seen, exc)
            return
        self._call_back(self._checked, seen, fresh)

    def _checked(self, seen: OpenCase, result: OpenCase | Exception | None) -> None:
        self._polling = False
        if isinstance(result, Exception):
            self.app.notify(f"Could not re-read this case: {text.clean(result)}",
                            severity="warning", markup=False)
            return
        if result is None or self.opened is not seen:
            return  # nothing changed, or a save here already took in the files
        new_problems = [p for p in result.problems if p not in seen.problems]
        self.show_opened(result)
        if new_problems:
            self.app.notify(problems_message(new_problems), title="Some files need you",
                            severity="warning", timeout=15, markup=False)

    # -- conflicts ----------------------------------------------------------------------------

    def _show_conflicts(self, case: Case) -> None:
        """Badge the tabs of panes holding conflicts ("3 Records ≠1") and say in the
        header how many edits wait to be settled; the c key shows only then."""
        counts: dict[str, int] = {}
        for table, _, _ in case.conflicts:
            pane = TABLE_PANES.get(table)
            if pane:
                counts[pane] = counts.get(pane, 0) + 1
        for table, _ in case.races:
            pane = TABLE_PANES.get(table)
            if pane:
                counts[pane] = counts.get(pane, 0) + 1
        tabs = self.query_one("#tabs", PaneTabs)
        for name in PANE_NAMES:
            tabs.set_badge(name, counts.get(name, 0))
        total = len(case.conflicts) + len(case.races)
        note = self.query_one("#conflict-note", Static)
        note.display = bool(total)
        if total:
            edits = "edit" if total == 1 else "edits"
            note.update(Content.assemble((f"≠ {total} {edits} to settle", "bold"),
                                         ": press c"))
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The c key (settle conflicts) shows in the footer only when there is one."""
        if action == "conflicts":
            case = self.case
            return case is not None and bool(case.conflicts or case.races)
        return True

    # -- exporting ----------------------------------------------------------------------------

    def action_export(self) -> None:
        """Open the export dialog for the case shown (the dialog writes the files itself).

        The suggested folder is config.yaml's ``export_dir``, else the home folder.
        """
        if self.case is None:
            return

        from .export_screen import ExportScreen

        folder = self.app.config.export_dir or Path.home()
        self.app.push_screen(ExportScreen(self.case, self.repo.today, folder))

    # -- leaving ------------------------------------------------------------------------------

    def action_back(self) -> None:
        """Back to the case list."""
        self.dismiss()
