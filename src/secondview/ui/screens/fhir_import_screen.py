"""FhirImportScreen: name a FHIR export, see what it would add, then confirm the import.

The path is typed (never browsed). On ctrl+s the file is read and planned in a worker thread
(``core.fhir.parse`` then ``core.fhir.plan`` against the case's state), and the counts are
shown: records to add, resources already imported or skipped, types not imported, problems.
Malformed input imports nothing: the reasons are shown here. A second ctrl+s (or the Import
button) confirms. The screen saves nothing: it dismisses with the changes to save in one go,
and the case screen saves them (one file write, one log line, one ctrl+z).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Static
from textual.worker import Worker, get_current_worker

from ...core import fhir
from ...core.fhir.outcome import outcome_lines, plural
from ...core.replica import CaseState
from ...store.imports import read_import_file
from .. import text
from ..kit.marked_checkbox import MarkedCheckbox

Changes = list[tuple[str, str, dict[str, Any]]]
CHECK_HINT = ("ctrl+s reads the file and shows what it would add; nothing is saved until you "
              "confirm.")


def read_export(given: str) -> bytes:
    """The bytes of the export at ``given`` (a full path, ``~`` expanded), read by
    ``store.imports.read_import_file`` (as ``secondview import-fhir`` reads). Only reads.

    Raises ValueError with a message that names the file and says what to do.
    """
    shown = text.clean(given)
    if not given.strip():
        raise ValueError("no path given: type the full path of the exported .json or "
                         ".ndjson file")
    if "\0" in given:
        raise ValueError("the path holds a NUL character; no file can have that name")
    path = Path(os.path.expanduser(given.strip()))
    if not path.is_absolute():
        raise ValueError(f"'{shown}' is not a full path; write it from the top, starting "
                         "with / or ~ (for example ~/Downloads/export.json)")
    return read_import_file(path, shown, regular_only=True)


def plan_lines(plan: fhir.Plan, form: str) -> list[str]:
    """What the import would do, in ``core.fhir.outcome``'s words (those of ``import-fhir``)."""
    return outcome_lines(plan, form, "the box above")


class FhirImportScreen(ModalScreen[tuple[Changes, str, Mapping[str, bytes]] | None]):
    """Asks for the path of a FHIR export and plans its import into the case of ``state``.

    Dismisses with ``(changes, summary, files)``, the (table, doc id, values) of every record
    (and kept file's attachment) to add, the log line, and the content the export carried
    (SHA-256 -> bytes, to keep in the case folder before saving), once the user confirms;
    None on escape. Side effects: reads the named file in a worker thread; writes nothing.
    """

    CSS_PATH = Path(__file__).with_name("forms.tcss")  # read when first shown, not at start

    HELP_TITLE = "Import records from a FHIR file"
    GUIDANCE = (
        "Type the full path of a file a patient portal exported (FHIR R4: a Bundle, a single "
        "resource, or NDJSON), then ctrl+s to see what it holds.",
        "Documents, reports, imaging studies, images and files each become a record (a note "
        "sent both as a "
        "report and as a document becomes one); results without a report are grouped by "
        "panel or by date. Vital signs, social history and survey answers are counted, not "
        "imported, unless you tick the box to keep them. Other resources are counted, not "
        "imported. Importing the same file again adds nothing twice.",
        "If anything in the file is malformed, nothing is imported and the reason is shown. "
        "ctrl+s again imports; escape closes without importing; ctrl+z in the case undoes "
        "an import.",
    )
    BINDINGS = [
        Binding("ctrl+s", "submit", "Check / import", id="fhir.submit", priority=True),
        Binding("escape", "cancel", "Cancel", id="fhir.cancel"),
    ]
    DEFAULT_CSS = """
    FhirImportScreen { align: center middle; }
    FhirImportScreen #fhir { width: 84; max-width: 100%; height: auto; max-height: 100%;
                             padding: 1 2; border: round $primary; background: $surface; }
    FhirImportScreen #fhir-hint { color: $text-muted; margin: 1 0; }
    FhirImportScreen #fhir-preview { height: auto; max-height: 45vh; }
    FhirImportScreen #fhir-status { height: auto; }
    FhirImportScreen #fhir-status.-error { color: $error; }
    """

    def __init__(self, state: CaseState, case_title: str = "", path: str = "") -> None:
        super().__init__()
        self.state = state
        self.case_title = case_title
        self.initial_path = path
        self.plan: fhir.Plan | None = None
        """The plan of the file last checked (None before, or after the path changed)."""
        self.planned_path = ""
        self._worker: Worker[None] | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="fhir", classes="dialog"):
            yield Static(Content("Import records from a FHIR file into ") + text.content(
                self.case_title, style="bold"), id="fhir-title")
            yield Input(self.initial_path, placeholder="/full/path/export.json or "
                        "~/Downloads/export.ndjson", id="fhir-path")
            yield Static(CHECK_HINT, id="fhir-hint")
            yield MarkedCheckbox("Also keep vital signs, social history and survey answers",
                           compact=True, id="fhir-other")
            with VerticalScroll(id="fhir-preview"):  # a long preview scrolls; keys stay seen
                yield Static(id="fhir-status")
            with Horizontal(classes="form-buttons"):
                yield Button("Check (ctrl+s)", variant="primary", compact=True, id="fhir-go")
                yield Button("Cancel (esc)", compact=True, id="fhir-cancel")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Changed, "#fhir-path")
    def _path_changed(self, event: Input.Changed) -> None:
        if self.plan is not None and event.value.strip() != self.planned_path:
            self._forget_plan()

    @on(Checkbox.Changed, "#fhir-other")
    def _other_changed(self) -> None:
        if self.plan is not None:
            self._forget_plan()

    def _forget_plan(self) -> None:
        self.plan = None
        self.query_one("#fhir-go", Button).label = "Check (ctrl+s)"
        self.query_one("#fhir-hint", Static).update(CHECK_HINT)
        self._say("")

    @on(Input.Submitted, "#fhir-path")
    @on(Button.Pressed, "#fhir-go")
    def action_submit(self) -> None:
        """Check the file (first time), or import what the check found (once confirmed)."""
        given = self.query_one(Input).value.strip()
        plan = self.plan
        if plan is not None and given == self.planned_path:
            if plan.ok and plan.writes:
                changes = [(w.table, w.doc_id, dict(w.values)) for w in plan.writes]
                name = text.clean(Path(given).name)
                summary = f"Imported {plural(plan.records, 'record')} from {name} (FHIR)"
                self.dismiss((changes, summary[:200], plan.files))
            return
        if self._worker is not None and self._worker.is_running:
            return
        self._say(Content("Reading ") + text.content(given) + Content("..."))
        self._worker = self._check(given, self.query_one("#fhir-other", Checkbox).value)

    @on(Button.Pressed, "#fhir-cancel")
    def action_cancel(self) -> None:
        """Close without importing."""
        if self._worker is not None:
            self._worker.cancel()
        self.dismiss(None)

    @work(thread=True, exclusive=True, exit_on_error=False, group="fhir")
    def _check(self, given: str, other_observations: bool) -> None:
        worker = get_current_worker()
        try:
            data = read_export(given)
        except ValueError as exc:
            if not worker.is_cancelled:
                self.app.call_from_thread(self._failed, str(exc))
            return
        parsed = fhir.parse(data)
        plan = fhir.plan(parsed, self.state, other_observations=other_observations)
        if not worker.is_cancelled:
            self.app.call_from_thread(self._planned, given, plan, parsed.form or "file")

    def _failed(self, message: str) -> None:
        self.plan = None
        self._say(message, error=True)

    def _planned(self, given: str, plan: fhir.Plan, form: str) -> None:
        self.plan = plan
        self.planned_path = given
        button = self.query_one("#fhir-go", Button)
        hint = self.query_one("#fhir-hint", Static)
        if plan.ok and plan.writes:  # above the preview, so it shows however long that is
            hint.update(f"ctrl+s imports {plural(plan.records, 'record')} (one change: "
                        "ctrl+z takes it back); escape closes without importing.")
            button.label = "Import (ctrl+s)"
        elif plan.ok:
            hint.update("Nothing to import; escape closes.")
        self._say("\n".join(plan_lines(plan, form)), error=not plan.ok)

    def _say(self, message: str | Content, error: bool = False) -> None:
        status = self.query_one("#fhir-status", Static)
        shown = message if isinstance(message, Content) else text.content(message,
                                                                          multiline=True)
        status.update(shown)
        status.set_class(error, "-error")
