"""PaneDialogs: the dialogs a pane of the case workspace asks its screen to open.

A pane never opens a screen itself: it posts what it needs (``ConfirmationRequested``,
``DoctorPickRequested``, ``AttachRequested``, ``FhirImportRequested``,
``RelationPickRequested``) and the case screen,
which mixes this class in, opens the dialog and acts on the answer. The handlers use the
screen's ``writable()`` (None, after saying why, when the case is read-only) and
``save_many`` (one save, one ctrl+z). The dialogs are imported when first opened.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .. import text

if TYPE_CHECKING:
    from textual.app import App

    from ...store.repository import OpenCase
    from ..messages import (
        AttachRequested,
        ConfirmationRequested,
        DoctorPickRequested,
        FhirImportRequested,
    )
    from ..messages.relation_pick_requested import RelationPickRequested


class PaneDialogs:
    """Message handlers of the case screen for the dialogs its panes ask for."""

    if TYPE_CHECKING:  # provided by the screen this is mixed into
        app: App[Any]

        def writable(self) -> OpenCase | None: ...

        def save_many(self, changes: list[tuple[str, str, dict[str, Any]]],
                      summary: str) -> bool: ...

        def post_message(self, message: Any) -> bool: ...

    def on_confirmation_requested(self, event: ConfirmationRequested) -> None:
        """Ask the pane's question; on a yes, act on the message it came with."""
        event.stop()
        from .confirm_screen import ConfirmScreen

        def answered(yes: bool | None) -> None:
            if yes:
                self.post_message(event.then)

        self.app.push_screen(ConfirmScreen(event.question, confirm=event.confirm,
                                           cancel=event.cancel), answered)

    def on_doctor_pick_requested(self, event: DoctorPickRequested) -> None:
        """Ask whose answer to write; the pane hears the choice through ``event.picked``."""
        event.stop()
        from .doctor_picker_screen import DoctorPickerScreen

        def chosen(opinion_id: str | None) -> None:
            if opinion_id is not None:
                event.picked(opinion_id)

        self.app.push_screen(DoctorPickerScreen(event.question, event.doctors), chosen)

    def on_attach_requested(self, event: AttachRequested) -> None:
        """Open the attach dialog for a record; save what it hashed (one save, one ctrl+z)."""
        event.stop()
        if self.writable() is None:
            return
        from .attach_screen import AttachScreen

        title = event.title

        def attached(result: tuple[str, dict[str, Any]] | None) -> None:
            if result is None:
                return
            doc_id, values = result
            name = text.clean(str(values.get("path", "")))[-80:]
            self.save_many([("attachments", doc_id, values)],
                           f"Attached {name} to '{title[:60]}'")

        self.app.push_screen(AttachScreen(event.record_id, title), attached)

    def on_fhir_import_requested(self, event: FhirImportRequested) -> None:
        """Open the FHIR import dialog; save the records it plans (one save, one ctrl+z)."""
        event.stop()
        opened = self.writable()
        if opened is None:
            return
        from .fhir_import_screen import FhirImportScreen

        def confirmed(result: tuple[list[tuple[str, str, dict[str, Any]]], str] | None) -> None:
            if result is not None:
                changes, summary = result
                self.save_many(changes, summary)

        self.app.push_screen(FhirImportScreen(opened.state, str(opened.case.title)), confirmed)

    def on_relation_pick_requested(self, event: RelationPickRequested) -> None:
        """Ask how B's diagnosis or treatment relates to A's; the pane hears the setting
        chosen through ``event.picked`` (and asks for the save)."""
        event.stop()
        if self.writable() is None:
            return
        from .relation_picker_screen import RelationPickerScreen

        def chosen(setting: str | None) -> None:
            if setting is not None:
                event.picked(setting)

        self.app.push_screen(RelationPickerScreen(event.relation, event.setting), chosen)
