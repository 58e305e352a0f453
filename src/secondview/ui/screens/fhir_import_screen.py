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
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Static
from textual.worker import Worker, get_current_worker

from ...core import fhir
from ...core.replica import CaseState
from ...store.imports import read_import_file
from .. import text
from ..kit.marked_checkbox import MarkedCheckbox

MAX_PROBLEMS_SHOWN = 6
Changes = list[tuple[str, str, dict[str, Any]]]
SOURCE_NAMES = {"DocumentReference": ("document", "documents"),
                "DiagnosticReport": ("report", "reports"),
                "ImagingStudy": ("imaging study", "imaging studies"),
                "Media": ("image", "images"), "Binary": ("file", "files"),
                "Observation": ("lab record", "lab records")}


def _plural(n: int, word: str, many: str = "") -> str:
    return f"{n:,} {word if n == 1 else (many or word + 's')}"


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


def plan_lines(plan: fhir.Plan) -> list[str]:
    """The counts of a plan, for people: to add, skipped, not imported, problems."""
    if plan.problems:
        n = len(plan.problems)
        lines = [f"Nothing will be imported: {_plural(n, 'problem')} in the file."]
        lines += [f"  {p}" for p in plan.problems[:MAX_PROBLEMS_SHOWN]]
        if n > MAX_PROBLEMS_SHOWN:
            lines.append(f"  ... and {n - MAX_PROBLEMS_SHOWN} more")
        lines.append("Fix or remove what is named (or ask the portal for a new export).")
        return lines
    parts = [_plural(n, *SOURCE_NAMES.get(source, (source, "")))
             for source, n in plan.added.items()]
    if plan.records:
        lines = [f"Records to add: {plan.records:,} ({', '.join(parts)})."]
    else:
        lines = ["Records to add: none (nothing new in this file)."]
    skipped = [
        (plan.already, "already in the case"),
        (plan.deleted_before, "deleted from the case before (left deleted)"),
        (plan.duplicates, "found twice in the file"),
        (plan.same_document, "sent both as a report and as a document (kept once)"),
        (plan.content_of_others, "files a document points at (kept with it)"),
        (plan.withdrawn, "withdrawn by the source"),
        (plan.other_patients, "about another patient"),
        (plan.empty_entries, "empty entries"),
    ]
    said = [f"{n:,} {why}" for n, why in skipped if n]
    lines.append(f"Skipped: {'; '.join(said) if said else 'none'}.")
    if plan.other_observations:
        what = ", ".join(f"{n:,} {label}" for label, n in plan.other_observations.items())
        lines.append(f"Not results: {what} ("
                     + ("kept as records of their own)." if plan.other_kept else
                        "counted, not imported; tick the box below to keep them)."))
    if plan.summarised:
        kinds = ", ".join(f"{n:,} {t}" for t, n in plan.summarised.items())
        lines.append(f"Health summary: {kinds} ("
                     + ("added to the case's summary on the overview)." if plan.summary_added
                        else "the case's summary holds them already)."))
    unknown = sum(plan.not_imported.values())
    if unknown:
        kinds = ", ".join(f"{n:,} {t}" for t, n in plan.not_imported.items())
        lines.append(f"Not imported (other types): {kinds}.")
    else:
        lines.append("Not imported (other types): none.")
    lines.append("Problems: none.")
    return lines


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
            yield Static("ctrl+s reads the file and shows what it would add; nothing is "
                         "saved until you confirm.", id="fhir-hint")
            yield Static(id="fhir-status")
            yield MarkedCheckbox("Also keep vital signs, social history and survey answers",
                           compact=True, id="fhir-other")
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
                summary = f"Imported {_plural(plan.records, 'record')} from {name} (FHIR)"
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
        plan = fhir.plan(fhir.parse(data), self.state, other_observations=other_observations)
        if not worker.is_cancelled:
            self.app.call_from_thread(self._planned, given, plan)

    def _failed(self, message: str) -> None:
        self.plan = None
        self._say(message, error=True)

    def _planned(self, given: str, plan: fhir.Plan) -> None:
        self.plan = plan
        self.planned_path = given
        lines = plan_lines(plan)
        button = self.query_one("#fhir-go", Button)
        if plan.ok and plan.writes:
            lines.append(f"ctrl+s imports {_plural(plan.records, 'record')} (one change: "
                         "ctrl+z takes it back); escape closes without importing.")
            button.label = "Import (ctrl+s)"
        elif plan.ok:
            lines.append("Nothing to import; escape closes.")
        self._say("\n".join(lines), error=not plan.ok)

    def _say(self, message: str | Content, error: bool = False) -> None:
        status = self.query_one("#fhir-status", Static)
        shown = message if isinstance(message, Content) else text.content(message,
                                                                          multiline=True)
        status.update(shown)
        status.set_class(error, "-error")
