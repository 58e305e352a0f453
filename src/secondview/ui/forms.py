"""What a form for an item shows: its fields (all but those the app keeps itself), and how
an item another one refers to is named in a choice list.

Pure functions of the model and the case: no I/O, no widget is built here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.content import Content

from ..core import model
from . import text

if TYPE_CHECKING:
    from ..core.model import Case

HIDDEN_FIELDS = {
    # kept by the app, never typed in a form
    "case": {"archived", "checklist_template", "checklist_version", "question_banks"},
    "checklist": {"order", "template_id", "applies_when"},
    "questions": {"order", "bank_id"},
    "opinions": {"diagnosis_relation", "treatment_relation"},  # settled in the compare pane
}


def form_specs(table: str, names: tuple[str, ...] = ()) -> list[model.FieldSpec]:
    """The fields a form for ``table`` shows: ``names`` in order, else all but hidden ones."""
    if names:
        return [model.spec(table, n) for n in names]
    hidden = HIDDEN_FIELDS.get(table, set())
    return [s for s in model.SCHEMA[table] if s.name not in hidden]


def ref_label(case: Case, table: str, item_id: str) -> Content:
    """How a referenced item is named in a form's choice list (user text, shown literally)."""
    item = next((i for i in case.table(table) if i.id == item_id), None)
    if item is None:
        return Content(item_id[:8])
    if table == "opinions":
        first = case.first_opinion()
        role = "first opinion" if first and first.id == item.id else f"opinion {item.order}"
        return text.content(f"{item.doctor} ({role})")
    for name in ("title", "text", "doctor", "name"):
        if item.values.get(name):
            return text.content(item.values[name])
    return Content(item_id[:8])
