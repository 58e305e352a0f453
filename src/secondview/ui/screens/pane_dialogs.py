"""PaneDialogs: the dialogs a pane of the case workspace asks its screen to open.

A pane never opens a screen itself: it posts what it needs (``ConfirmationRequested``,
``DoctorPickRequested``, ``AnswerFormRequested``, ``BankPickRequested``,
``RelationPickRequested``, ``AttachRequested``, ``FhirImportRequested``) and the case
screen, which mixes this class in, opens the dialog and acts on the answer. The handlers use
the screen's ``writable()`` (None, after saying why, when the case is read-only) and
``save_many`` (one save, one ctrl+z). The dialogs are imported when first opened.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from .. import text

if TYPE_CHECKING:
    from textual.app import App

    from ...store.repository import CaseRepository, OpenCase
    from ..messages.answer_form_requested import AnswerFormRequested
    from ..messages.attach_requested import AttachRequested
    from ..messages.bank_pick_requested import BankPickRequested
    from ..messages.confirmation_requested import ConfirmationRequested
    from ..messages.doctor_pick_requested import DoctorPickRequested
    from ..messages.fhir_import_requested import FhirImportRequested
    from ..messages.kept_file_view_requested import KeptFileViewRequested
    from ..messages.relation_pick_requested import RelationPickRequested


class PaneDialogs:
    """Message handlers of the case screen for the dialogs its panes ask for."""

    if TYPE_CHECKING:  # provided by the screen this is mixed into
        app: App[Any]
        repo: CaseRepository
        case_id: str

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
        from .answer_doctor_picker_screen import AnswerDoctorPickerScreen

        def chosen(opinion_id: str | None) -> None:
            if opinion_id is not None:
                event.picked(opinion_id)

        self.app.push_screen(AnswerDoctorPickerScreen(event.question, event.doctors), chosen)

    def on_bank_pick_requested(self, event: BankPickRequested) -> None:
        """Show the question bank's picker; the pane hears the keys picked through
        ``event.picked`` (and saves them)."""
        event.stop()
        if self.writable() is None:
            return
        from .bank_picker_screen import BankPickerScreen

        def chosen(keys: list[str] | None) -> None:
            if keys:
                event.picked(keys)

        self.app.push_screen(BankPickerScreen(event.rows), chosen)

    def on_answer_form_requested(self, event: AnswerFormRequested) -> None:
        """Open one doctor's answer form; save the answer and, when it has text and the
        question was not asked yet, mark the question asked: one save, one ctrl+z."""
        event.stop()
        opened = self.writable()
        if opened is None:
            return
        from ...core.ids import new_id
        from ...store.settling import other_values
        from ..forms import form_specs
        from .item_form_screen import ItemFormScreen

        answer_id = event.answer_id
        values: dict[str, Any] = {"question": event.question_id, "opinion": event.opinion_id}
        conflicts: dict[str, Any] = {}
        if answer_id is not None:
            answer = next((a for a in opened.case.answers if a.id == answer_id), None)
            if answer is None:
                self.app.notify("That answer is gone (deleted on another device?).",
                                severity="warning")
                return
            values = dict(answer.values)
            if ("answers", answer_id, "text") in opened.case.conflicts:
                conflicts["text"] = other_values(opened.state, "answers", answer_id, "text",
                                                 values.get("text"))
        question_id, asked, title = event.question_id, event.asked, event.title
        text_before = str(values.get("text") or "")

        def saved(result: dict[str, Any] | None) -> None:
            if result is None:
                return
            changes: list[tuple[str, str, dict[str, Any]]] = []
            if result:
                changes.append(("answers", answer_id or new_id(), result))
            answered = str(result.get("text", text_before) or "").strip()
            if answered and not asked:
                changes.append(("questions", question_id, {"asked": True}))
            what = "Answer written" if answer_id is None else "Answer changed"
            also = "; the question is marked asked" if answered and not asked else ""
            self.save_many(changes, f"{what}{also}")

        self.app.push_screen(
            ItemFormScreen(title, form_specs("answers", ("text",)), values, {},
                           new=answer_id is None, conflicts=conflicts), saved)

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

        self.app.push_screen(AttachScreen(event.record_id, title,
                                          case_folder=self.repo.folder(self.case_id),
                                          key=self.repo.key), attached)

    def on_fhir_import_requested(self, event: FhirImportRequested) -> None:
        """Open the FHIR import dialog; save the records it plans (one save, one ctrl+z)."""
        event.stop()
        opened = self.writable()
        if opened is None:
            return
        from ...store.case_files import CaseFileError, keep_all
        from .fhir_import_screen import FhirImportScreen

        def confirmed(result: tuple[list[tuple[str, str, dict[str, Any]]], str,
                                    Mapping[str, bytes]] | None) -> None:
            if result is None:
                return
            changes, summary, files = result
            try:  # first the files, so no saved record names one that is not there
                keep_all(self.repo.folder(opened.case_id), files, self.repo.key)
            except CaseFileError as exc:
                self.app.notify(f"Nothing was imported: {text.clean(str(exc))}",
                                severity="error", timeout=10, markup=False)
                return
            self.save_many(changes, summary)

        self.app.push_screen(FhirImportScreen(opened.state, str(opened.case.title)), confirmed)

    def on_kept_file_view_requested(self, event: KeptFileViewRequested) -> None:
        """Read a file kept in the case (checked against its name) and show it; say why when
        it cannot be read (not synced here yet, or changed). Only reads."""
        event.stop()
        from ...store.case_files import CaseFileError, read_kept
        from .kept_file_screen import KeptFileScreen

        folder = self.repo.folder(self.case_id)
        try:
            data = read_kept(folder, event.sha256, self.repo.key)
        except CaseFileError as exc:
            self.app.notify(f"{text.clean(event.name)} cannot be shown: {text.clean(str(exc))}",
                            severity="warning", timeout=8, markup=False)
            return
        self.app.push_screen(KeptFileScreen(event.record_title, event.name, data, folder,
                                            event.sha256, self.repo.paths.cache_dir,
                                            key=self.repo.key))

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
