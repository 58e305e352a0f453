"""KeptFileScreen: read a file kept in the case (a note's text an import brought), read-only.

Text is shown as text (never as markup, controls made visible by ``ui.text``); anything else
(a PDF, an image) is named with where it is kept: secondview never opens or runs a file, so
the person opens it with a program of their own. Side effects: none (the bytes are read by
the case screen, checked against their name, before this opens).
"""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from ...core.sizes import human_size
from .. import text

TEXT_ENDINGS = (".txt", ".md", ".csv", ".json", ".xml", ".rtf")
"""Kept files shown as text (by the ending the import gave their name); others are named."""


class KeptFileScreen(ModalScreen[None]):
    """Shows one kept file: ``data`` as text when its name says it is text, else where it is."""

    HELP_TITLE = "A file kept in the case"
    GUIDANCE = (
        "An import keeps the notes and reports a portal's export carries inside the case "
        "folder, so every device has them. Text is shown here; a PDF or an image is named with "
        "where it is kept, to open with a program of your own (secondview never opens files).",
        "Up, down, page up and page down scroll; escape closes.",
    )
    BINDINGS = [Binding("escape", "close", "Close", id="kept.close")]
    DEFAULT_CSS = """
    KeptFileScreen { align: center middle; }
    KeptFileScreen #kept { width: 100; max-width: 100%; height: 90%; padding: 0 1;
                           border: round $primary; background: $surface; }
    KeptFileScreen #kept-head { height: auto; padding-bottom: 1; }
    KeptFileScreen #kept-body { height: 1fr; }
    """

    def __init__(self, record_title: str, name: str, data: bytes, where: Path) -> None:
        super().__init__()
        self.record_title = record_title
        self.file_name = name
        self.data = data
        self.where = where

    def compose(self) -> ComposeResult:
        head = (text.content(self.file_name, style="bold") + Content(" of ")
                + text.content(self.record_title)
                + Content(f"  ({human_size(len(self.data))}, the bytes the import kept)"))
        with Vertical(id="kept"):
            yield Static(head, id="kept-head")
            with VerticalScroll(id="kept-body"):
                yield Static(self._body(), id="kept-text")

    def _body(self) -> Content:
        if self.file_name.lower().endswith(TEXT_ENDINGS):
            return text.content(self.data.decode("utf-8", "replace"), multiline=True)
        return Content("Not text: secondview does not open it. It is kept at\n") + (
            text.content(str(self.where)) + Content("\nopen it there with a program of your own."))

    def on_mount(self) -> None:
        self.query_one("#kept-body").focus()

    def action_close(self) -> None:
        """Close the viewer."""
        self.dismiss(None)
