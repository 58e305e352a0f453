"""AttachScreen: type the path of a file or folder, watch it being hashed, attach it.

The path is typed, never browsed: the screen shows paths as text and never opens a file in
another program. The file or folder is only read, in a worker thread (``store.attachments``),
with a progress bar, so a folder of imaging from a CD does not freeze the app; escape stops
the hashing and closes. With "keep a copy in the case" ticked, a file is copied into the case
folder as it is hashed (``store.case_files``, the way an import keeps what an export carries)
so the packet and the other devices have it; a folder is refused with the reason. The screen
saves no record: it dismisses with what to save, and the case screen saves it through the
repository (as it saves every pane's change). Side effects: reads the path; with the box
ticked, writes the kept copy (before the save that names it, as an import does).
"""

from __future__ import annotations

import datetime as _dt
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, ProgressBar, Static
from textual.worker import Worker, get_current_worker

from ...store import attachments
from .. import text
from ..kit.marked_checkbox import MarkedCheckbox

if TYPE_CHECKING:
    from ...store.storage import Sealer

PROGRESS_EVERY = 0.05
"""Seconds between progress bar updates from the worker (hashing reports every MiB)."""


class AttachScreen(ModalScreen[tuple[str, dict[str, Any]] | None]):
    """Asks for a path and hashes it for the record ``record_id`` (``record_title`` is user
    text, shown literally). Dismisses with ``(attachment id, values of the attachments
    table)`` once hashed, or None (escape, cancel). Side effects: reads the file or folder
    named, in a worker thread; with a ``case_folder`` and the box ticked, keeps a copy of the
    file there (without one, the box is not offered)."""

    CSS_PATH = Path(__file__).with_name("forms.tcss")  # read when first shown, not at start

    HELP_TITLE = "Attach a file or folder"
    GUIDANCE = (
        "Type the full path of a file or a folder (starting with / or ~), then enter. "
        "secondview reads it once to note its size and SHA-256 checksum, so you (and the "
        "office you send it to) can later check that nothing changed. It never opens or runs "
        "the file.",
        "A folder (for example the images copied from a CD) is hashed file by file; the bar "
        "shows how far it got. Escape stops and closes without attaching.",
        "Keep a copy in the case copies a file into the case folder, so the packet and your "
        "other devices have it even where the original is not; a folder stays where it is.",
        "Attaching the same path to the same record again takes its checksum anew.",
    )
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="attach.cancel")]
    DEFAULT_CSS = """
    AttachScreen { align: center middle; }
    AttachScreen #attach { width: 80; max-width: 100%; height: auto; padding: 1 2;
                           border: round $primary; background: $surface; }
    AttachScreen #attach-hint { color: $text-muted; margin: 1 0; }
    AttachScreen #attach-status { height: auto; }
    AttachScreen #attach-status.-error { color: $error; }
    AttachScreen ProgressBar { margin-top: 1; }
    """

    def __init__(self, record_id: str, record_title: str, path: str = "",
                 case_folder: Path | None = None, key: Sealer | None = None) -> None:
        super().__init__()
        self.key = key
        """The folder key of a sealed folder: a kept copy is written sealed with it."""
        self.record_id = record_id
        self.record_title = record_title
        self.initial_path = path
        self.case_folder = case_folder
        self._worker: Worker[None] | None = None
        self.given = ""
        """The path being (or last) hashed, as typed."""

    def compose(self) -> ComposeResult:
        with Vertical(id="attach", classes="dialog"):
            yield Static(Content("Attach a file or folder to ") + text.content(
                self.record_title, style="bold"), id="attach-title")
            yield Input(self.initial_path, placeholder="/full/path/report.pdf or ~/Scans/CD",
                        id="attach-path")
            yield Static(
                "Only read, to note its size and SHA-256; never opened or run.",
                id="attach-hint",
            )
            if self.case_folder is not None:
                yield MarkedCheckbox("Keep a copy in the case (for the packet and your "
                                     "other devices)", compact=True, id="attach-keep")
            yield Static(id="attach-status")
            yield ProgressBar(total=None, show_eta=False, id="attach-progress")
            with Horizontal(classes="form-buttons"):
                yield Button("Attach (enter)", variant="primary", compact=True, id="attach-go")
                yield Button("Cancel (esc)", compact=True, id="attach-cancel")

    def on_mount(self) -> None:
        self.query_one(ProgressBar).display = False
        self.query_one(Input).focus()

    # -- starting and stopping --------------------------------------------------------------

    @on(Input.Submitted, "#attach-path")
    @on(Button.Pressed, "#attach-go")
    def _go(self) -> None:
        if self._worker is not None and self._worker.is_running:
            return
        given = self.query_one(Input).value.strip()
        try:
            attachments.resolve(given)
        except attachments.AttachmentError as exc:
            self._say(str(exc), error=True)
            return
        self.given = given
        bar = self.query_one(ProgressBar)
        bar.update(total=None, progress=0)
        bar.display = True
        self.query_one(Input).disabled = True
        self.query_one("#attach-go", Button).disabled = True
        self._lock_box(True)
        keep = self.case_folder is not None and self.query_one(MarkedCheckbox).value
        verb = "Copying" if keep else "Reading"
        self._say(Content(f"{verb} ") + text.content(given) + Content("..."))
        self._worker = self._hash(given, self.case_folder if keep else None)

    @on(Button.Pressed, "#attach-cancel")
    def action_cancel(self) -> None:
        """Stop hashing (between two chunks read) and close without attaching."""
        if self._worker is not None:
            self._worker.cancel()
        self.dismiss(None)

    # -- the worker -------------------------------------------------------------------------

    @work(thread=True, exclusive=True, exit_on_error=False, group="attach")
    def _hash(self, given: str, keep_in: Path | None) -> None:
        worker = get_current_worker()
        last = 0.0

        def progress(done: int, total: int, path: str) -> None:
            nonlocal last
            now = time.monotonic()
            if now - last >= PROGRESS_EVERY or done >= total:
                last = now
                self.app.call_from_thread(self._progress, done, total, path)

        try:
            if keep_in is not None:
                digest = attachments.keep_in_case(given, keep_in, progress,
                                                  lambda: worker.is_cancelled, self.key)
            else:
                digest = attachments.hash_path(given, progress, lambda: worker.is_cancelled)
        except attachments.HashCancelled:
            return
        except attachments.AttachmentError as exc:
            if not worker.is_cancelled:
                self.app.call_from_thread(self._failed, str(exc))
            return
        if not worker.is_cancelled:
            self.app.call_from_thread(self._hashed, given, digest)

    def _progress(self, done: int, total: int, path: str) -> None:
        self.query_one(ProgressBar).update(total=max(total, 1), progress=done)
        verb = "Copying" if self.case_folder is not None and \
            self.query_one(MarkedCheckbox).value else "Reading"
        self._say(Content(f"{verb} ") + text.content(path))

    def _failed(self, message: str) -> None:
        self.query_one(ProgressBar).display = False
        self.query_one(Input).disabled = False
        self.query_one("#attach-go", Button).disabled = False
        self._lock_box(False)
        self.query_one(Input).focus()
        self._say(message, error=True)

    def _hashed(self, given: str, digest: attachments.Digest) -> None:
        values = attachments.attachment_values(
            self.record_id, given, digest, _dt.datetime.now(_dt.UTC))
        self.dismiss((attachments.attachment_id(self.record_id, given), values))

    def _lock_box(self, locked: bool) -> None:
        for box in self.query(MarkedCheckbox):
            box.disabled = locked

    def _say(self, message: str | Content, error: bool = False) -> None:
        status = self.query_one("#attach-status", Static)
        status.update(message if isinstance(message, Content) else text.content(message))
        status.set_class(error, "-error")
