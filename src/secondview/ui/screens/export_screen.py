"""ExportScreen: choose a document of the case, its format and where it goes; write it.

The same documents as ``secondview export`` (``core.export``): a brief for a new doctor, the
questions for one doctor, the records packet for the second office, two opinions side by
side, the decision, or all of them into a folder; as an HTML page to print or as Markdown.
Each choice shows only with a document it is for: the doctor with the questions and the
packet, the two opinions (A and B) with the comparison, starting from the pair the compare
pane shows (``core.compare.chosen_pair``, the same rule as ``secondview export``). The
buttons stay at the bottom of the dialog while the choices above them scroll, so they are on
screen at 80x24.

Side effects: on ctrl+s (or the Export button) writes the file, or one file per document into
a folder it creates (0700) for "all", in a worker thread, through ``store.exports``
(``write_export``, which writes with ``write_documents`` as ``secondview export -o`` does):
each file 0600 and atomic. A file that is there is replaced only when the box saying so is
ticked. Dismisses with the paths written, or None when closed without exporting.
Tells what was written (and, for "all", what could not be made yet) in a notification.
Nothing else is read or written: the case comes from the workspace, already on screen.
"""

from __future__ import annotations

import datetime as _dt
from pathlib import Path
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Checkbox, Input, Label, RadioSet, Select, Static

from ...core import export
from ...core.compare import chosen_pair
from ...core.model import Case
from ...store.exports import write_export
from .. import text
from ..kit.marked_checkbox import MarkedCheckbox
from ..kit.marked_radio_button import MarkedRadioButton
from .export_dialog import ExportDialog

WHAT_LABELS = (
    ("brief", "Brief: one page for a doctor new to the case"),
    ("questions", "Questions for one doctor, with room for the answers"),
    ("packet", "Records packet for the second office, with the release checklist"),
    ("comparison", "Two opinions side by side (you choose the two below)"),
    ("decision", "The decision: options, what matters, the choice"),
    ("all", "All of them, one file each, into a folder"),
)
FORMAT_LABELS = (("html", "HTML page to print"), ("md", "Markdown text"))
ANY_DOCTOR = ""
DOCTOR_WHATS = ("questions", "packet", "all")
"""The documents the doctor choice is for."""
PAIR_WHATS = ("comparison", "all")
"""The documents the choice of two opinions is for."""


class ExportScreen(ExportDialog):
    """The export dialog for ``case`` (see the module docstring). ``folder`` is where the
    file is suggested (the path can be edited); ``today`` dates the documents; ``pair``: the
    ids of the opinions last compared (None: the ones the app remembers for the case)."""

    CSS_PATH = Path(__file__).with_name("forms.tcss")  # read when first shown, not at start

    HELP_TITLE = "Export a document"
    GUIDANCE = (
        "Choose what to export with the arrow keys (tab moves to the next choice), then the "
        "format: an HTML page prints well from any browser; Markdown is plain text.",
        "The doctor matters for the questions (their answers so far are printed) and the "
        "packet (the records on their way to that office).",
        "For two opinions side by side, choose A and B: they start as the two the compare "
        "pane (6) shows.",
        "Save to: the file to write, or the folder for 'all'. A file that is there is only "
        "replaced when you tick the box. ctrl+s exports, escape closes without exporting.",
        "The files hold health details: they are readable by you only, and secondview never "
        "sends them anywhere.",
    )
    BINDINGS = [
        Binding("ctrl+s", "export", "Export", id="export.save"),
        Binding("escape", "cancel", "Close", id="export.cancel"),
    ]
    DEFAULT_CSS = """
    ExportScreen {
        align: center middle;
    }
    ExportScreen #export {
        width: 84;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        padding: 0 2;
        border: thick $primary;
        background: $surface;
    }
    ExportScreen #export .form-buttons {
        dock: bottom;
        height: 1;
        margin: 0;
        background: $surface;
    }
    ExportScreen #export-bottom {
        height: 1;
    }
    ExportScreen #opinions {
        height: auto;
    }
    ExportScreen #opinions Select {
        width: 1fr;
    }
    ExportScreen .export-label {
        margin-top: 1;
        text-style: bold;
    }
    ExportScreen #replace {
        margin-top: 1;
    }
    ExportScreen RadioSet {
        width: 100%;
    }
    ExportScreen #format {
        layout: horizontal;
    }
    ExportScreen #export-status {
        height: auto;
    }
    ExportScreen #export-status.error {
        color: $error;
    }
    """

    def __init__(self, case: Case, today: _dt.date, folder: Path, doctor: str = "",
                 pair: tuple[str, str] | None = None) -> None:
        super().__init__()
        self.case = case
        self.today = today
        self.folder = folder
        self.doctor = doctor
        self.pair = pair
        self._suggested = ""

    # -- building -----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="export"):
            yield Static(Content.styled("Export a document", "bold"), id="export-title")
            yield Static(text.content(self.case.title), id="export-case")
            yield Label("What", classes="export-label")
            with RadioSet(id="what", compact=True):
                for n, (name, label) in enumerate(WHAT_LABELS):
                    yield MarkedRadioButton(Content(label), value=n == 0, id=f"what-{name}")
            yield Label("Format", classes="export-label")
            with RadioSet(id="format", compact=True):
                for n, (name, label) in enumerate(FORMAT_LABELS):
                    yield MarkedRadioButton(Content(label), value=n == 0,
                                            id=f"format-{name}")
            yield Label("Doctor (for the questions and the packet)", classes="export-label",
                        id="doctor-label")
            options: list[tuple[Any, str]] = [(Content("Any doctor"), ANY_DOCTOR)]
            for opinion in self._opinions():
                options.append((text.content(export.doctor_label(opinion, self.case)),
                                opinion.id))
            known = {value for _, value in options}
            yield Select(options, allow_blank=False, id="doctor", compact=True,
                         value=self.doctor if self.doctor in known else ANY_DOCTOR)
            yield from self._opinion_choices()
            yield Label("Save to", classes="export-label")
            yield Input(id="path", compact=True)
            yield MarkedCheckbox(Content("Replace a file that is already there"),
                                 id="replace", compact=True)
            yield Static("", id="export-status")
            yield Static("", id="export-bottom")  # room above the buttons at the end
            with Horizontal(classes="form-buttons"):
                yield Button(Content("Export (ctrl+s)"), variant="primary", compact=True,
                             id="do-export")
                yield Button(Content("Close (escape)"), compact=True, id="close")

    def _opinion_choices(self) -> ComposeResult:
        """The two opinions to compare, A and B: the pair given, else the one the app
        remembers for the case, else the default (``chosen_pair``, as the compare pane)."""
        yield Label("The two opinions to compare: A, then B", classes="export-label",
                    id="opinions-label")
        opinions = self._opinions()
        options = [(text.content(export.doctor_label(o, self.case)), o.id) for o in opinions]
        pair = chosen_pair(self.case, self.pair or self._remembered())
        with Horizontal(id="opinions"):
            for column, n in (("a", 0), ("b", 1)):
                if pair is not None:
                    yield Select(options, allow_blank=False, id=f"opinion-{column}",
                                 compact=True, value=pair[n].id)
                else:  # fewer than two opinions: "all" says the comparison cannot be made
                    yield Select(options, id=f"opinion-{column}", compact=True,
                                 prompt="(two opinions are needed)")

    def _remembered(self) -> tuple[str, str] | None:
        state = getattr(self.app, "app_state", None)
        pair = getattr(state, "pair", None)
        return pair(self.case.id) if pair is not None else None

    def on_mount(self) -> None:
        self._suggest()
        self._show_choices()
        self.query_one("#what", RadioSet).focus()

    def _opinions(self) -> tuple[Any, ...]:
        return self.case.opinions_in_order()

    def _show_choices(self) -> None:
        """Show the doctor and the two opinions only with a document they are for."""
        what = self.what
        for widget in self.query("#doctor, #doctor-label"):
            widget.display = what in DOCTOR_WHATS
        for widget in self.query("#opinions, #opinions-label"):
            widget.display = what in PAIR_WHATS

    # -- the choices --------------------------------------------------------------------------

    @property
    def what(self) -> str:
        return self._pressed("what", "brief")

    @property
    def fmt(self) -> str:
        return self._pressed("format", "html")

    def suggested_path(self) -> Path:
        """Where the chosen document goes unless the person types another path."""
        if self.what == "all":
            return self.folder / export.file_name(self.case, "documents", self.fmt).rsplit(
                ".", 1)[0]
        whom = export.for_whom(self.case, self.what, self._doctor())
        return self.folder / export.file_name(self.case, self.what, self.fmt, whom)

    def _doctor(self) -> Any:
        """The opinion chosen in the doctor box, or None for any doctor."""
        doctor_id = self.query_one("#doctor", Select).value
        return next((o for o in self.case.opinions if o.id == doctor_id), None)

    def _suggest(self) -> None:
        """Put the suggested path in the box, unless the person has typed their own."""
        box = self.query_one("#path", Input)
        if box.value and box.value != self._suggested:
            return
        self._suggested = str(self.suggested_path())
        box.value = self._suggested

    @on(RadioSet.Changed)
    @on(Select.Changed, "#doctor")
    def _choice_changed(self) -> None:
        self._suggest()
        self._show_choices()
        self._status("")

    # -- exporting ----------------------------------------------------------------------------

    @on(Input.Submitted, "#path")
    def _path_submitted(self) -> None:
        self.action_export()

    def action_export(self) -> None:
        """Export what is chosen (in a worker); the outcome comes back to ``_done``."""
        raw = self.query_one("#path", Input).value.strip()
        if not raw:
            self._status("Say where to save it: a file name, or a folder for all of them.",
                         error=True)
            return
        doctor = self._doctor()
        by_id = {o.id: o for o in self.case.opinions}
        a, b = (by_id.get(self.query_one(f"#opinion-{c}", Select).value)  # type: ignore[arg-type]
                for c in "ab")
        if self.what in PAIR_WHATS and a is not None and a is b:
            self._status("Choose two different opinions to compare: A and B are the same.",
                         error=True)
            return
        pair = (a, b) if a is not None and b is not None else None
        self.query_one("#do-export", Button).disabled = True
        self._status("Exporting\u2026")
        self._write(self.what, self.fmt, Path(raw).expanduser(), doctor,
                    self.query_one("#replace", Checkbox).value, pair)

    @work(thread=True, exclusive=True, group="export", exit_on_error=False)
    def _write(self, what: str, fmt: str, target: Path, doctor: Any, replace: bool,
               pair: tuple[Any, Any] | None) -> None:
        try:
            result: tuple[list[Path], list[str]] | str = write_export(
                self.case, self.today, what, fmt, target, doctor, replace, opinions=pair)
        except OSError as exc:
            where = f"{exc.filename}: " if exc.filename else ""
            result = f"Could not write it: {where}{(exc.strerror or str(exc)).lower()}."
        except export.ExportError as exc:
            result = f"{str(exc)[:1].upper()}{str(exc)[1:]}."
        try:
            self.app.call_from_thread(self._done, result)
        except RuntimeError:  # the app closed meanwhile
            pass

    def _done(self, result: tuple[list[Path], list[str]] | str) -> None:
        self.query_one("#do-export", Button).disabled = False
        if isinstance(result, str):
            self._status(result, error=True)
            return
        written, skipped = result
        where = str(written[0]) if len(written) == 1 else f"{len(written)} files in " \
            f"{written[0].parent}"
        lines = [f"Exported to {where}"]
        lines += [f"{note[:1].upper()}{note[1:]}." for note in skipped]
        self.app.notify(text.clean("\n".join(lines), multiline=True), title="Exported",
                        markup=False, timeout=8)
        self.dismiss(written)

