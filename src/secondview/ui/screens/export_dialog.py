"""ExportDialog: what the two export dialogs share (one case: ``ExportScreen``; several:
``ExportCasesScreen``): the status line under the choices, the Export and Close buttons,
escape, and the format chosen.

Each dialog composes its own choices (with ``#format``, ``#export-status``, ``#do-export``
and ``#close``) and its own ``action_export``. Nothing is written here.
"""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.screen import ModalScreen
from textual.widgets import Button, RadioSet, Static

from .. import text


class ExportDialog(ModalScreen[list[Path] | None]):
    """The buttons, escape and the status line of an export dialog (see the module)."""

    def action_export(self) -> None:
        raise NotImplementedError  # each dialog exports what it offers

    def _pressed(self, radio_set: str, default: str) -> str:
        """The choice pressed in the RadioSet ``#radio_set`` (its buttons are named
        ``<radio_set>-<choice>``), or ``default``."""
        pressed = self.query_one(f"#{radio_set}", RadioSet).pressed_button
        chosen = (pressed.id or "") if pressed is not None else ""
        return chosen.removeprefix(f"{radio_set}-") or default

    def _status(self, message: str, error: bool = False) -> None:
        """Say ``message`` under the choices (in the error colour when ``error``)."""
        status = self.query_one("#export-status", Static)
        status.update(text.content(message))
        status.set_class(error, "error")

    @on(Button.Pressed, "#do-export")
    def _export_pressed(self) -> None:
        self.action_export()

    @on(Button.Pressed, "#close")
    def _close_pressed(self) -> None:
        self.action_cancel()

    def action_cancel(self) -> None:
        """Close without exporting."""
        self.dismiss(None)
