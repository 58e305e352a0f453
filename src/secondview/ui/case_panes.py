"""The panes of a case's workspace: their names, keys and labels, which pane's tab shows the
conflicts of each table, and the widget class of each (imported when first needed).

Pure data and one lookup: no I/O, no widget is built here.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.widget import Widget

PANES = (
    # (name, key, label, module in ui/widgets, class)
    ("overview", "1", "Overview", "overview_pane", "OverviewPane"),
    ("checklist", "2", "Checklist", "checklist_pane", "ChecklistPane"),
    ("records", "3", "Records", "records_pane", "RecordsPane"),
    ("questions", "4", "Questions", "questions_pane", "QuestionsPane"),
    ("opinions", "5", "Opinions", "opinions_pane", "OpinionsPane"),
    ("compare", "6", "Compare", "compare_pane", "ComparePane"),
    ("decision", "7", "Decision", "decision_pane", "DecisionPane"),
    ("doctors", "8", "Doctors", "doctors_pane", "DoctorsPane"),
    ("visits", "9", "Visits", "visits_pane", "VisitsPane"),
)
PANE_NAMES = tuple(p[0] for p in PANES)

TABLE_PANES = {
    # which pane's tab shows the conflicts of a table
    "case": "overview", "checklist": "checklist", "records": "records",
    "transfers": "records", "attachments": "records", "opinions": "opinions",
    "questions": "questions", "answers": "questions", "decision": "decision",
    "options": "decision", "factors": "decision", "leanings": "decision",
    "doctors": "doctors", "appointments": "visits",
}


def pane_class(name: str) -> type[Widget]:
    """The widget class of the pane ``name`` (imported with the workspace, not at start)."""
    _, _, _, module, cls = next(p for p in PANES if p[0] == name)
    return getattr(importlib.import_module(f".widgets.{module}", __package__), cls)
