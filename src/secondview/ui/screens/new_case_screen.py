"""NewCaseScreen: the form that starts a case: title, condition, urgency, and optionally the
first doctor and what they said.

While the title is typed, the form says when another case (archived ones too) already has
that title (``core.case_match.same_title``): a warning, never a refusal.

Side effects: on ctrl+s, validated values are saved through ``CaseRepository.create`` (one
new case folder with this device's replica), with the content set's starter checklist and
questions and, when a doctor is named, the first opinion. Dismisses with the new case's id,
or None when cancelled.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from ...core import model
from ...core.case_match import same_title
from ...core.progress import EMERGENCY_STEP
from ...store.editing import Editor
from .. import text
from ..kit.key_footer import KeyFooter

if TYPE_CHECKING:
    from ...core.case_summary import CaseSummary
    from ...core.content import Content as CaseContent
    from ...store.repository import CaseRepository

URGENCY_OPTIONS = (
    ("Routine: there is time to prepare", "routine"),
    ("Soon: a decision is needed within weeks", "soon"),
    ("Emergency: care is needed now", "emergency"),
)

CASE_FIELDS = ("title", "condition")
OPINION_FIELDS = ("doctor", "diagnosis", "treatment")
PLACEHOLDERS = {
    "title": "e.g. Mum - knee surgery",
    "condition": "the diagnosis or problem, in your words",
    "doctor": "the doctor who gave the first opinion",
    "diagnosis": "what they found",
    "treatment": "what they recommend",
}
LABELS = {
    "title": "Title (required)",
    "condition": "Condition",
    "doctor": "First doctor",
    "diagnosis": "Their diagnosis",
    "treatment": "Their recommended treatment",
}


def _cut(title: str, width: int = 60) -> str:
    """A title on one line, cut to ``width`` characters for the warning under the title."""
    title = " ".join(title.split())
    return title if len(title) <= width else title[: width - 1] + text.ELLIPSIS


class NewCaseScreen(ModalScreen[str | None]):
    """A modal form; ctrl+s saves and closes, escape cancels (asking first if anything was
    typed)."""

    CSS_PATH = Path(__file__).with_name("forms.tcss")  # read when first shown, not at start

    HELP_TITLE = "A new case"
    GUIDANCE = (
        "Only the title is needed now; everything else can be added later.",
        "If a doctor has already given an opinion, name them and note what they said: it "
        "becomes the first opinion, the one a second doctor will be compared with.",
        "Choose emergency only when care is needed now; the case will then say so on every "
        "view. Do not wait for a second opinion in an emergency.",
    )
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="form.save"),
        Binding("escape", "cancel", "Cancel", id="form.cancel"),
    ]

    def __init__(self, repo: CaseRepository, content: CaseContent | None = None) -> None:
        super().__init__()
        self.repo = repo
        self.content = content
        self._known: list[CaseSummary] | None = None

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="form", classes="form"):
            yield Static(Content.styled("New case", "bold"), classes="form-title")
            for name in CASE_FIELDS:
                yield from self._field(name)
            with Horizontal(classes="field-row"):
                yield Label("Urgency", classes="field-label")
                yield Select(
                    URGENCY_OPTIONS, value="routine", allow_blank=False, compact=True,
                    id="urgency",
                )
            yield Static(Content.styled(EMERGENCY_STEP, "bold"), id="form-emergency")
            yield Static(
                Content.styled("The first opinion, if you have one (optional)", "bold"),
                classes="form-section",
            )
            for name in OPINION_FIELDS:
                yield from self._field(name)
            with Horizontal(classes="form-buttons"):
                yield Button("Save (ctrl+s)", variant="primary", compact=True, id="save")
                yield Button("Cancel (esc)", compact=True, id="cancel")
        yield KeyFooter()

    def _field(self, name: str) -> ComposeResult:
        with Horizontal(classes="field-row"):
            yield Label(LABELS[name], classes="field-label")
            yield Input(placeholder=PLACEHOLDERS[name], compact=True, id=name)
        error = Static(id=f"{name}-error", classes="field-error")
        error.display = False
        yield error
        if name == "title":
            namesakes = Static(id="title-namesakes", classes="field-hint")
            namesakes.display = False
            yield namesakes

    def on_mount(self) -> None:
        self.query_one("#form-emergency").display = False
        self.query_one("#title", Input).focus()

    # -- reading the form ---------------------------------------------------------------------

    def _value(self, name: str) -> str:
        return self.query_one(f"#{name}", Input).value

    def _urgency(self) -> str:
        value = self.query_one("#urgency", Select).value
        return value if isinstance(value, str) else "routine"

    @property
    def changed(self) -> bool:
        """Whether anything was typed or chosen."""
        typed = any(self._value(n).strip() for n in (*CASE_FIELDS, *OPINION_FIELDS))
        return typed or self._urgency() != "routine"

    def _show_error(self, name: str, message: str) -> None:
        box = self.query_one(f"#{name}-error", Static)
        box.update(text.content(message))
        box.display = bool(message)

    def _validate(self) -> tuple[dict[str, Any], dict[str, Any]] | None:
        """(case values, first-opinion values) or None, with every problem shown in the form."""
        errors: dict[str, str] = {}
        case_values: dict[str, Any] = {}
        for name in CASE_FIELDS:
            try:
                case_values[name] = model.spec("case", name).parse(self._value(name))
            except model.InvalidValue as exc:
                errors[name] = self._reason(name, exc)
        try:
            case_values["urgency"] = model.spec("case", "urgency").parse(self._urgency())
        except model.InvalidValue as exc:  # the Select offers only valid ones; kept for safety
            errors["title"] = errors.get("title") or str(exc)
        opinion: dict[str, Any] = {}
        said = any(self._value(n).strip() for n in ("diagnosis", "treatment"))
        for name in OPINION_FIELDS:
            raw = self._value(name)
            if not raw.strip():
                continue
            try:
                opinion[name] = model.spec("opinions", name).parse(raw)
            except model.InvalidValue as exc:
                errors[name] = self._reason(name, exc)
        if said and not opinion.get("doctor") and "doctor" not in errors:
            errors["doctor"] = "First doctor: name the doctor whose opinion this is"
        for name in (*CASE_FIELDS, *OPINION_FIELDS):
            self._show_error(name, errors.get(name, ""))
        if errors:
            first = next(n for n in (*CASE_FIELDS, *OPINION_FIELDS) if n in errors)
            self.query_one(f"#{first}", Input).focus()
            return None
        return case_values, opinion

    @staticmethod
    def _reason(name: str, exc: model.InvalidValue) -> str:
        """The validation message with the field's label in front, instead of its name."""
        message = str(exc)
        prefix = f"{name}: "
        if message.startswith(prefix):
            message = message[len(prefix):]
        label = LABELS[name].replace(" (required)", "")
        return f"{label}: {message}"

    # -- events and actions -------------------------------------------------------------------

    @on(Select.Changed, "#urgency")
    def _urgency_changed(self) -> None:
        self.query_one("#form-emergency").display = self._urgency() == "emergency"

    @on(Input.Changed, "#title")
    def _title_changed(self, event: Input.Changed) -> None:
        """Say which cases already have the title typed (the list as the index knows it,
        read once), or nothing."""
        if self._known is None:
            self._known = self.repo.indexed()
        box = self.query_one("#title-namesakes", Static)
        namesakes = same_title(self._known, event.value) if event.value.strip() else ()
        box.display = bool(namesakes)
        if namesakes:
            named = ", ".join(
                f"'{_cut(c.title)}'{' (archived)' if c.archived else ''}" for c in namesakes[:3]
            )
            more = f" and {len(namesakes) - 3} more" if len(namesakes) > 3 else ""
            have = "has" if len(namesakes) == 1 else "have"
            box.update(text.content(
                f"{named}{more} already {have} this title. You can still save; a title "
                "that differs (a date, a doctor's name) tells them apart.", "italic"))

    @on(Input.Submitted)
    def _next_field(self) -> None:
        self.focus_next()

    @on(Button.Pressed, "#save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()

    def action_save(self) -> None:
        """Validate; if all is well, create the case on disk and close the form."""
        checked = self._validate()
        if checked is None:
            return
        case_values, opinion = checked
        try:
            opened = Editor(self.repo).create_case(case_values, self.content, opinion)
        except Exception as exc:  # disk full, folder not writable...: said, never a traceback
            self.app.notify(
                f"The case was not saved: {text.clean(exc)}",
                severity="error",
                timeout=12,
                markup=False,
            )
            return
        self.dismiss(opened.case_id)

    def action_cancel(self) -> None:
        """Close without saving; asks first when something was typed."""
        from .confirm_screen import ConfirmScreen

        ConfirmScreen.close_form(self, self.changed,
                                 "Discard this new case? What you typed will be lost.")
