"""What a form for an item shows: its fields (all but those the app keeps itself), and how
an item another one refers to is named in a choice list.

Pure functions of the model and the case: no I/O, no widget is built here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.content import Content

from ..core import care_team, model
from . import text

if TYPE_CHECKING:
    from ..core.model import Case, Item

HIDDEN_FIELDS = {
    # kept by the app, never typed in a form
    "case": {"archived", "checklist_template", "checklist_version", "question_banks"},
    "checklist": {"order", "template_id", "applies_when"},
    "questions": {"order", "bank_id"},
    "opinions": {"diagnosis_relation", "treatment_relation",  # settled in the compare pane
                 "doctor_id"},  # picked by the doctor's name (the care team's picker)
    "transfers": {"doctor_id"},
}


def form_specs(table: str, names: tuple[str, ...] = ()) -> list[model.FieldSpec]:
    """The fields a form for ``table`` shows: ``names`` in order, else all but hidden ones."""
    if names:
        return [model.spec(table, n) for n in names]
    hidden = HIDDEN_FIELDS.get(table, set())
    return [s for s in model.SCHEMA[table] if s.name not in hidden]


def form_values(case: Case, item: Item) -> dict[str, Any]:
    """What the form for ``item`` starts with: its values, an opinion's or transfer's doctor
    named as the care team names them now (renamed, or "doctor removed")."""
    values = dict(item.values)
    field = care_team.TEXT_FIELDS.get(item.table)
    if field is not None and item.values.get("doctor_id"):
        values[field] = care_team.doctor_name(case, item)
    return values


def doctor_field(case: Case, table: str) -> tuple[str, tuple[Item, ...]] | None:
    """(the field of ``table``'s form that names a doctor, the care team to pick from)."""
    field = care_team.TEXT_FIELDS.get(table)
    return (field, case.doctors) if field is not None else None


def ref_label(case: Case, table: str, item_id: str) -> Content:
    """How a referenced item is named in a form's choice list (user text, shown literally)."""
    item = next((i for i in case.table(table) if i.id == item_id), None)
    if item is None:
        return Content(item_id[:8])
    if table == "opinions":
        first = case.first_opinion()
        role = "first opinion" if first and first.id == item.id else f"opinion {item.order}"
        return text.content(f"{care_team.doctor_name(case, item)} ({role})")
    if table == "doctors":
        return text.content(care_team.doctor_label(item))
    for name in ("title", "text", "doctor"):
        if item.values.get(name):
            return text.content(item.values[name])
    return Content(item_id[:8])
