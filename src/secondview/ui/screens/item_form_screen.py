"""ItemFormScreen: add or edit one item of any table, built from the model's field specs.

Every pane uses this one form, so every field of every table is typed in, checked and refused
the same way: ``FieldSpec.parse`` gives the reason, shown under the field. The form never
writes: it dismisses with the values to save (only the fields that changed, when editing), or
None when cancelled. The case screen saves them through the repository.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Input, Label, Select, Static, TextArea

from ...core import model
from .. import text
from ..kit.key_footer import KeyFooter
from ..kit.marked_checkbox import MarkedCheckbox

PICKER_HINT = "enter: pick from the case's doctors (a few letters will do), or add this one"

RefOptions = Mapping[str, Sequence[tuple[Content, str]]]
"""For each REF field: (label shown, item id) of the items it may point at."""


class ItemFormScreen(ModalScreen[dict[str, Any] | None]):
    """A modal form over the fields ``specs``; ctrl+s saves and closes, escape cancels
    (asking first when anything changed)."""

    CSS_PATH = Path(__file__).with_name("forms.tcss")  # read when first shown, not at start

    HELP_TITLE = "A form"
    GUIDANCE = (
        "Move between fields with tab and shift+tab. ctrl+s saves and closes; escape "
        "closes without saving (it asks first if you changed something).",
        "A value that does not fit is refused under its field, with the reason; nothing is "
        "saved until every field is right.",
        "Dates are written YYYY-MM-DD, for example 2026-03-09.",
    )
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="form.save"),
        Binding("escape", "cancel", "Cancel", id="form.cancel"),
    ]

    def __init__(
        self,
        title: str,
        specs: Sequence[model.FieldSpec],
        values: Mapping[str, Any] | None = None,
        ref_options: RefOptions | None = None,
        new: bool = False,
        conflicts: Mapping[str, Sequence[Any]] | None = None,
        doctors: tuple[str, Sequence[model.Item]] | None = None,
    ) -> None:
        super().__init__()
        self.doctors = doctors
        """(the field that names a doctor, the case's care team): enter in that field opens
        the care team's picker (``CareTeamPickerScreen``)."""
        self.picked: tuple[str, str] | None = None
        """(doctor id, name) picked there; saved as ``doctor_id`` while the name stands."""
        self.conflicts = dict(conflicts or {})
        """field -> the values other devices wrote to it, unsettled (a badge under it)."""
        self.form_title = title
        self.specs = tuple(specs)
        self.initial = {s.name: (values or {}).get(s.name, s.empty()) for s in self.specs}
        self.preset = set(values or {}) if new else set()
        shown = {s.name for s in self.specs}
        self.carried = {k: v for k, v in (values or {}).items() if k not in shown} if new else {}
        """Preset values of fields the form does not show (e.g. the record a new transfer is
        for): returned with the typed values, unchanged."""
        self.ref_options = dict(ref_options or {})
        self.new = new
        self.start_text: dict[str, str] = {}
        """The text each text box started with (the stored value made safe to show: control
        and bidi-override characters as visible marks)."""
        self.start_raw: dict[str, Any] = {}
        """What each field held when the form opened (``raw``), set on mount."""

    # -- building -----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="form", classes="form item-form"):
            yield Static(text.content(self.form_title, "bold"), classes="form-title")
            for spec in self.specs:
                yield from self._field(spec)
            with Horizontal(classes="form-buttons"):
                yield Button("Save (ctrl+s)", variant="primary", compact=True, id="save")
                yield Button("Cancel (esc)", compact=True, id="cancel")
        yield KeyFooter()

    def _field(self, spec: model.FieldSpec) -> ComposeResult:
        value = self.initial[spec.name]
        label = spec.label + (" (required)" if spec.required else "")
        row_classes = "field-row field-area-row" if spec.multiline else "field-row"
        with Horizontal(classes=row_classes):
            if spec.kind is not model.Kind.BOOL:
                yield Label(label, classes="field-label")
            yield self._widget(spec, value, label)
        hint = spec.help or ("YYYY-MM-DD" if spec.kind is model.Kind.DATE else "")
        if self.doctors is not None and spec.name == self.doctors[0]:
            hint = PICKER_HINT
        if hint:
            yield Static(Content.styled(hint, "dim"), classes="field-hint")
        for other in self.conflicts.get(spec.name, ()):
            yield Static(Content.assemble(("\u2260 another device wrote: ", "bold"),
                                          text.content(other)), classes="field-conflict")
        error = Static(id=f"{spec.name}-error", classes="field-error")
        error.display = False
        yield error

    def _widget(self, spec: model.FieldSpec, value: Any, label: str) -> Widget:
        wid = f"f-{spec.name}"
        kind = spec.kind
        if kind is model.Kind.BOOL:
            return MarkedCheckbox(Content(label), bool(value), compact=True, id=wid)
        if kind is model.Kind.CHOICE:
            options = [(Content(spec.label_of(c)), c) for c in spec.choices]
            start = value if value in spec.choices else spec.empty()
            return Select(
                options,
                value=start if start in spec.choices else Select.NULL,
                allow_blank=start not in spec.choices,
                compact=True,
                id=wid,
            )
        if kind is model.Kind.REF:
            options = list(self.ref_options.get(spec.name, ()))
            known = {v for _, v in options}
            return Select(
                options,
                value=value if value in known else Select.NULL,
                allow_blank=True,
                prompt="choose one",
                compact=True,
                id=wid,
            )
        if spec.multiline:
            self.start_text[spec.name] = text.clean(value, multiline=True) if value else ""
            area = TextArea(
                self.start_text[spec.name],
                soft_wrap=True,
                show_line_numbers=False,
                tab_behavior="focus",
                compact=True,
                id=wid,
                classes="field-area",
            )
            return area
        shown = "" if value in ("", None) else str(value)
        if kind is model.Kind.NUMBER and isinstance(value, float) and value.is_integer():
            shown = str(int(value))
        placeholder = "YYYY-MM-DD" if kind is model.Kind.DATE else ""
        # never the raw text: an escape sequence in a case file must not reach the terminal
        self.start_text[spec.name] = text.clean(shown)
        return Input(self.start_text[spec.name], placeholder=placeholder, compact=True, id=wid)

    def on_mount(self) -> None:
        self.start_raw = {s.name: self.raw(s.name) for s in self.specs}
        if self.specs:
            self.query_one(f"#f-{self.specs[0].name}").focus()

    # -- reading ------------------------------------------------------------------------------

    def raw(self, name: str) -> Any:
        """What the field named ``name`` holds now, as typed (not yet checked)."""
        widget = self.query_one(f"#f-{name}")
        if isinstance(widget, Checkbox):
            return widget.value
        if isinstance(widget, Select):
            return "" if widget.value is Select.NULL else widget.value
        if isinstance(widget, TextArea):
            return widget.text
        assert isinstance(widget, Input)
        return widget.value

    def parsed(self) -> tuple[dict[str, Any], dict[str, str]]:
        """(values that parse, errors by field name)."""
        values: dict[str, Any] = {}
        errors: dict[str, str] = {}
        for spec in self.specs:
            try:
                values[spec.name] = spec.parse(self.raw(spec.name))
            except model.InvalidValue as exc:
                message = str(exc)
                if message.startswith(f"{spec.name}: "):
                    message = message[len(spec.name) + 2 :]
                errors[spec.name] = f"{spec.label}: {message}"
        return values, errors

    def untouched(self, name: str) -> bool:
        """Whether the field ``name`` still holds what it opened with. An untouched field is
        never a change: a stored value the form cannot show as it is (control characters
        made visible, a choice from a newer version) is not rewritten by a save."""
        return name in self.start_raw and self.raw(name) == self.start_raw[name]

    def changes(self, values: Mapping[str, Any]) -> dict[str, Any]:
        """The fields whose value differs from what the form opened with."""
        return {n: v for n, v in values.items()
                if v != self.initial.get(n) and not self.untouched(n)}

    @property
    def changed(self) -> bool:
        """Whether anything differs from what the form opened with (as typed)."""
        for spec in self.specs:
            if self.untouched(spec.name):
                continue
            raw = self.raw(spec.name)
            start = self.initial[spec.name]
            try:
                if spec.parse(raw) != start:
                    return True
            except model.InvalidValue:
                # refused as it stands; a change only if it is not what the form opened with
                # (a new item's required field left empty is no change)
                if str(raw).strip() != str(start).strip():
                    return True
        return False

    def _show_errors(self, errors: Mapping[str, str]) -> None:
        for spec in self.specs:
            box = self.query_one(f"#{spec.name}-error", Static)
            message = errors.get(spec.name, "")
            box.update(text.content(message))
            box.display = bool(message)

    # -- actions ------------------------------------------------------------------------------

    @on(Input.Submitted)
    def _next_field(self, event: Input.Submitted) -> None:
        if self.doctors is not None and event.input.id == f"f-{self.doctors[0]}":
            self.pick_doctor(event.value)
            return
        self.focus_next()

    def pick_doctor(self, typed: str) -> None:
        """Open the care team's picker on ``typed``; what is picked fills the field."""
        from .care_team_picker_screen import CareTeamPickerScreen

        assert self.doctors is not None
        field, team = self.doctors

        def picked(result: tuple[str, str] | None) -> None:
            if result is None:
                return
            doctor_id, name = result
            self.query_one(f"#f-{field}", Input).value = name
            self.picked = (doctor_id, name) if doctor_id else None
            self.focus_next()

        self.app.push_screen(CareTeamPickerScreen(team, typed), picked)

    def _with_doctor(self, values: dict[str, Any]) -> dict[str, Any]:
        """``values`` with the picked doctor's id, while the field still holds its name."""
        if self.doctors is None or self.picked is None:
            return values
        if self.raw(self.doctors[0]) != self.picked[1]:
            return values
        return {**values, self.doctors[0]: self.picked[1], "doctor_id": self.picked[0]}

    @on(Button.Pressed, "#save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()

    def action_save(self) -> None:
        """Check every field; close with the values to save, or show what is wrong."""
        values, errors = self.parsed()
        for spec in self.specs:
            if spec.required and spec.name not in errors and values.get(spec.name) in ("", None):
                errors[spec.name] = f"{spec.label}: cannot be empty"
        self._show_errors(errors)
        if errors:
            first = next(s.name for s in self.specs if s.name in errors)
            self.query_one(f"#f-{first}").focus()
            return
        if self.new:  # every field that holds something (defaults are the repository's)
            empty = {s.name: s.empty() for s in self.specs}
            typed = {k: v for k, v in values.items() if v != empty[k] or k in self.preset}
            self.dismiss(self._with_doctor({**self.carried, **typed}))
        else:
            self.dismiss(self._with_doctor(self.changes(values)))

    def action_cancel(self) -> None:
        """Close without saving; asks first when something changed."""
        from .confirm_screen import ConfirmScreen

        ConfirmScreen.close_form(self, self.changed,
                                 "Discard your changes? What you typed will be lost.")
