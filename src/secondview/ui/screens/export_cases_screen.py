"""ExportCasesScreen: a document of each of several cases (the case list's selection), into
one folder.

The documents are the case screen's (``export_screen.WHAT_LABELS``, the same list, and its
formats); no doctor and no two opinions are chosen here: each document is made as the
command line makes it when none is named (``core.export.build_many``).
One file per case, named from its title (``store.export_many``).

Side effects: on ctrl+s (or the Export button) reads each case and writes its file(s), in a
worker thread, through ``store.export_many`` (each file 0600 and atomic, a missing folder
made 0700); when a file is already in the folder nothing is written unless the 'Replace'
box is ticked. The dialog says how far it is while it writes, then closes with the paths
written and a message saying where they are and which cases could not be exported; when
nothing could be written it stays open and says why. Escape closes it, writing nothing.
"""

from __future__ import annotations

import datetime as _dt
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Checkbox, Input, Label, RadioSet, Static

from .. import text
from ..case_names import NAMES_SHOWN, TITLE_CELLS, cases_word, names
from ..kit.marked_checkbox import MarkedCheckbox
from ..kit.marked_radio_button import MarkedRadioButton
from .export_dialog import ExportDialog
from .export_screen import FORMAT_LABELS, WHAT_LABELS

if TYPE_CHECKING:
    from ...store.export_many import ManyExported
    from ...store.repository import CaseRepository

PROGRESS_SECONDS = 0.2
"""How often the dialog says how far the export is."""
OWN_LABELS = {
    "questions": "Questions for any doctor, with room for the answers",
    "comparison": "Two opinions side by side: each case's first and latest",
}
"""Where this dialog words a document otherwise than the case screen's, which lets the
person choose a doctor and two opinions below it (here none is chosen)."""


class ExportCasesScreen(ExportDialog):
    """The export dialog for ``cases`` ((id, title) each, in the list's order); ``folder``
    is the folder suggested (it can be edited); ``today`` dates the documents."""

    CSS_PATH = Path(__file__).with_name("forms.tcss")  # read when first shown, not at start

    HELP_TITLE = "Export several cases"
    GUIDANCE = (
        "Choose the document to make for each case with the arrow keys (tab moves to the "
        "next choice), then the format: an HTML page prints from any browser, Markdown is "
        "plain text.",
        "Each case gets its own file in the folder, named after its title. A file of that "
        "name already in the folder is only replaced when you tick the box.",
        "No doctor is chosen here: the questions are for any doctor, the records packet for "
        "the office most of the case's records went to, and two opinions side by side are "
        "the first opinion and the latest one that says something. A case that cannot have "
        "the document (no second opinion yet) is named, and the others are written. ctrl+s "
        "exports, escape closes without exporting.",
        "The files hold health details: they are readable by you only, and secondview never "
        "sends them anywhere.",
    )
    BINDINGS = [
        Binding("ctrl+s", "export", "Export", id="export_cases.save"),
        Binding("escape", "cancel", "Close", id="export_cases.cancel"),
    ]
    DEFAULT_CSS = """
    ExportCasesScreen {
        align: center middle;
    }
    ExportCasesScreen #export-cases {
        width: 84;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        padding: 0 2;
        border: thick $primary;
        background: $surface;
    }
    ExportCasesScreen #export-cases .form-buttons {
        dock: bottom;
        height: 1;
        margin: 0;
        background: $surface;
    }
    ExportCasesScreen #export-bottom {
        height: 1;
    }
    ExportCasesScreen .export-label {
        margin-top: 1;
        text-style: bold;
    }
    ExportCasesScreen #replace {
        margin-top: 1;
    }
    ExportCasesScreen RadioSet {
        width: 100%;
    }
    ExportCasesScreen #format {
        layout: horizontal;
    }
    ExportCasesScreen #export-status {
        height: auto;
    }
    ExportCasesScreen #export-status.error {
        color: $error;
    }
    """

    def __init__(self, repo: CaseRepository, cases: Sequence[tuple[str, str]],
                 today: _dt.date, folder: Path) -> None:
        super().__init__()
        self.repo = repo
        self.cases = list(cases)
        self.today = today
        self.folder = folder

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="export-cases"):
            yield Static(Content.styled(f"Export {cases_word(len(self.cases))}", "bold"),
                         id="export-title")
            yield Static(Content(names([title for _, title in self.cases])), id="export-names")
            yield Label("What, for each case", classes="export-label")
            with RadioSet(id="what", compact=True):
                for n, (name, label) in enumerate(WHAT_LABELS):
                    yield MarkedRadioButton(Content(OWN_LABELS.get(name, label)), value=n == 0,
                                            id=f"what-{name}")
            yield Label("Format", classes="export-label")
            with RadioSet(id="format", compact=True):
                for n, (name, label) in enumerate(FORMAT_LABELS):
                    yield MarkedRadioButton(Content(label), value=n == 0,
                                            id=f"format-{name}")
            yield Label("Into the folder", classes="export-label")
            yield Input(str(self.folder), id="folder", compact=True)
            yield MarkedCheckbox(Content("Replace files that are already there"),
                                 id="replace", compact=True)
            yield Static("", id="export-status")
            yield Static("", id="export-bottom")  # room above the buttons at the end
            with Horizontal(classes="form-buttons"):
                yield Button(Content("Export (ctrl+s)"), variant="primary", compact=True,
                             id="do-export")
                yield Button(Content("Close (escape)"), compact=True, id="close")

    def on_mount(self) -> None:
        self.query_one("#what", RadioSet).focus()

    # -- the choices --------------------------------------------------------------------------

    @property
    def what(self) -> str:
        return self._pressed("what", WHAT_LABELS[0][0])

    @property
    def fmt(self) -> str:
        return self._pressed("format", FORMAT_LABELS[0][0])

    @on(RadioSet.Changed)
    def _choice_changed(self) -> None:
        self._status("")

    # -- exporting ----------------------------------------------------------------------------

    @on(Input.Submitted, "#folder")
    def _folder_submitted(self) -> None:
        self.action_export()

    def action_export(self) -> None:
        """Export what is chosen (in a worker); the outcome comes back to ``_done``."""
        raw = self.query_one("#folder", Input).value.strip()
        if not raw:
            self._status("Say which folder the files go into.", error=True)
            return
        self.query_one("#do-export", Button).disabled = True
        self._status("Exporting\u2026")
        self._write(self.what, self.fmt, Path(raw).expanduser(),
                    self.query_one("#replace", Checkbox).value)

    @work(thread=True, exclusive=True, group="export-cases", exit_on_error=False)
    def _write(self, what: str, fmt: str, folder: Path, replace: bool) -> None:
        from ...store.export_many import export_many

        shown_at = [time.monotonic()]

        def progress(done: int, total: int) -> None:
            if done < total and time.monotonic() - shown_at[0] < PROGRESS_SECONDS:
                return
            shown_at[0] = time.monotonic()
            self._call_back(self._status, f"Exporting: {done:,} of {total:,}\u2026")

        try:
            result: ManyExported | str = export_many(
                self.repo, self.cases, self.today, what, fmt, folder, replace, progress)
        except OSError as exc:
            where = f"{exc.filename}: " if exc.filename else ""
            result = f"Could not write them: {where}{(exc.strerror or str(exc)).lower()}."
        self._call_back(self._done, result, folder)

    def _call_back(self, callback: object, *args: object) -> None:
        try:
            self.app.call_from_thread(callback, *args)  # type: ignore[arg-type]
        except RuntimeError:  # the app closed meanwhile
            pass

    def _done(self, result: ManyExported | str, folder: Path) -> None:
        self.query_one("#do-export", Button).disabled = False
        if isinstance(result, str):
            self._status(result, error=True)
            return
        failed = [f"'{text.clean(title)[:TITLE_CELLS]}': {why}"
                  for title, why in result.failed[:NAMES_SHOWN]]
        if len(result.failed) > NAMES_SHOWN:
            failed.append(f"and {len(result.failed) - NAMES_SHOWN} more")
        if result.there and not result.written:
            there = ", ".join(p.name for p in result.there[:NAMES_SHOWN]) + (
                f" and {len(result.there) - NAMES_SHOWN} more"
                if len(result.there) > NAMES_SHOWN else "")
            verb = "is" if len(result.there) == 1 else "are"
            self._status(f"{there} {verb} already there: tick 'Replace' or choose another "
                         "folder. Nothing was written.", error=True)
            return
        if not result.written:
            self._status("\n".join(["Nothing was written:", *failed]), error=True)
            return
        files = f"{len(result.written):,} file" + ("" if len(result.written) == 1 else "s")
        lines = [f"Exported {files} to {folder}"]
        if failed:
            lines += ["Not exported:", *failed]
        lines += [f"'{text.clean(title)[:TITLE_CELLS]}': {note}"
                  for title, note in result.skipped[:NAMES_SHOWN]]
        self.app.notify(text.clean("\n".join(lines), multiline=True), title="Exported",
                        severity="warning" if failed else "information", markup=False,
                        timeout=12 if failed else 8)
        self.dismiss(result.written)
