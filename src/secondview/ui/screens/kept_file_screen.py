"""KeptFileScreen: read a file kept in the case (a note's text an import brought), read-only,
and, on request, hand it to this computer's viewer.

Text is shown as text (never as markup, controls made visible by ``ui.text``); anything else
(a PDF, an image) is named with where it is kept. ``o`` gives the file to the system's opener
(``store.opener``: the bytes checked against their name again first, the opener given a path
and nothing else, never a shell, never the file run); when there is none, the screen says so.
Side effects: only on ``o`` (a viewing copy in the cache folder, one process started).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from ...core.sizes import human_size
from ...store.case_files import CaseFileError, kept_path
from ...store.opener import Opener, OpenerError, open_kept, system_opener
from ...store.storage import Sealer
from .. import text

TEXT_ENDINGS = (".txt", ".md", ".csv", ".json", ".xml", ".rtf")
"""Kept files shown as text (by the ending the import gave their name); others are named."""


class KeptFileScreen(ModalScreen[None]):
    """Shows one kept file: ``data`` (the bytes of ``digest`` in ``case_folder``, already
    checked) as text when its name says it is text, else where it is. ``find_opener`` says
    which program opens files here (None: none does); ``cache_dir`` holds the copies handed
    to it."""

    HELP_TITLE = "A file kept in the case"
    GUIDANCE = (
        "An import keeps the notes and reports a portal's export carries inside the case "
        "folder, so every device has them. Text is shown here; a PDF or an image is named with "
        "where it is kept.",
        "o hands the file to this computer's own viewer (the program that opens files when "
        "you double-click them), after checking its bytes are still the ones kept. secondview "
        "itself never runs a file.",
        "Up, down, page up and page down scroll; escape closes.",
    )
    BINDINGS = [Binding("o", "open", "Open in viewer", id="kept.open"),
                Binding("escape", "close", "Close", id="kept.close")]
    DEFAULT_CSS = """
    KeptFileScreen { align: center middle; }
    KeptFileScreen #kept { width: 100; max-width: 100%; height: 90%; padding: 0 1;
                           border: round $primary; background: $surface; }
    KeptFileScreen #kept-head { height: auto; }
    KeptFileScreen #kept-status { height: auto; color: $text-muted; padding-bottom: 1; }
    KeptFileScreen #kept-status.-error { color: $error; }
    KeptFileScreen #kept-body { height: 1fr; }
    """

    def __init__(self, record_title: str, name: str, data: bytes, case_folder: Path,
                 digest: str, cache_dir: Path,
                 find_opener: Callable[[], Opener | None] = system_opener,
                 key: Sealer | None = None) -> None:
        super().__init__()
        self.key = key
        """The folder key of a sealed folder (the kept file is read back with it)."""
        self.record_title = record_title
        self.file_name = name
        self.data = data
        self.case_folder = case_folder
        self.digest = digest
        self.cache_dir = cache_dir
        self.find_opener = find_opener
        self.where = kept_path(case_folder, digest, key)

    def compose(self) -> ComposeResult:
        head = (text.content(self.file_name, style="bold") + Content(" of ")
                + text.content(self.record_title)
                + Content(f"  ({human_size(len(self.data))}, the bytes the import kept)"))
        with Vertical(id="kept"):
            yield Static(head, id="kept-head")
            yield Static("o opens it in this computer's viewer; escape closes.",
                         id="kept-status")
            with VerticalScroll(id="kept-body"):
                yield Static(self._body(), id="kept-text")

    def _body(self) -> Content:
        if self.file_name.lower().endswith(TEXT_ENDINGS):
            return text.content(self.data.decode("utf-8", "replace"), multiline=True)
        return Content("Not text: press o to open it in this computer's viewer. It is kept "
                       "at\n") + text.content(str(self.where))

    def on_mount(self) -> None:
        self.query_one("#kept-body").focus()

    def action_open(self) -> None:
        """Hand the file, checked against its name again, to the system's opener; say on the
        screen what happened (opened, no opener here, or why not)."""
        try:
            copy = open_kept(self.case_folder, self.digest, self.file_name, self.cache_dir,
                             self.find_opener(), self.key)
        except (CaseFileError, OpenerError) as exc:
            self._say(Content("Not opened: ") + text.content(str(exc)), error=True)
            return
        self._say(Content("Opened in this computer's viewer: a copy checked against the "
                          "kept file, at ") + text.content(str(copy)))

    def _say(self, message: Content, error: bool = False) -> None:
        status = self.query_one("#kept-status", Static)
        status.update(message)
        status.set_class(error, "-error")

    def action_close(self) -> None:
        """Close the viewer."""
        self.dismiss(None)
