"""The values of every choice field, and the one label each value is shown with.

A choice is stored as a short code (``labs``, ``in_person``) and shown as its label ("Lab
results", "In person") on every screen, on the command line and in every export: they all ask
``FieldSpec.label_of`` (or ``FieldSpec.words``), which reads the tables here. ``model``
declares which field takes which of these tuples. Pure data: no I/O.

Each choice is one mapping, code -> label, in the order the choices are offered, and its
tuple of codes is made from it, so a value is added in one place (the transfer states, whose
labels are their codes capitalised, are the one tuple written out). The codes are what files
store and what ``--json`` prints, so they never change, while a label may.
"""

from __future__ import annotations

from collections.abc import Mapping

YES_NO_UNKNOWN_LABELS = {"unknown": "Not known yet", "yes": "Yes", "no": "No"}
YES_NO_UNKNOWN = tuple(YES_NO_UNKNOWN_LABELS)

KEPT_BY_LABELS = {"patient": "The patient", "someone_else": "Someone else, for the patient"}
"""Who keeps a case: a relative, friend or advocate keeping it gets the steps on their
authority to ask (content's ``applies_when: {kept_by: someone_else}``)."""
KEPT_BY = tuple(KEPT_BY_LABELS)

URGENCY_LABELS = {"routine": "Routine", "soon": "Soon", "emergency": "Emergency: get care now"}
URGENCIES = tuple(URGENCY_LABELS)

CHECKLIST_PHASE_LABELS = {
    "deciding": "Deciding whether",
    "preparing": "Preparing",
    "visit": "The visit",
    "after": "After",
}
"""A checklist step's phase (the case's own phase is ``CASE_PHASE_LABELS``)."""
PHASES = tuple(CHECKLIST_PHASE_LABELS)

CASE_PHASE_LABELS = {
    "deciding": "Deciding whether",
    "preparing": "Preparing",
    "visit": "Second visit",
    "comparing": "Comparing",
    "choosing": "Choosing",
    "decided": "Decided",
}
"""A case's phase (``progress.CASE_PHASES``; ``progress.phase`` decides which), as the case
list, the overview and the command line show it."""

TRANSFER_STATES = ("requested", "sent", "received", "confirmed")

WAITING_ON_LABELS = {
    "not_said": "Not said (worked out from the item)",
    "me": "Me",
    "patient": "The patient or family",
    "office": "An office",
    "doctor": "A doctor",
}
"""Who a checklist step or a transfer waits on. ``not_said`` (or nothing stored, as in files
written before the field was): ``core.waiting`` works it out from the item (its one rule); a
value set by the person wins while the item is open."""
WAITING_ON = tuple(WAITING_ON_LABELS)
WHO = tuple(w for w in WAITING_ON if w != "not_said")
"""Everyone an item can wait on (``WAITING_ON`` without "not said"): the case list counts
what waits on each (``core.waiting``)."""
TRANSFER_STATE_LABELS = {state: state.capitalize() for state in TRANSFER_STATES}

REQUEST_KIND_LABELS = {
    "not_said": "Not said",
    "access": "My own copy (my access request)",
    "third_party": "Sent where I name (my written request)",
    "office": "Office to office (release or referral)",
}
"""Who asked for a transfer and how: which clock runs is ``core.record_requests``'. A transfer
written before this field existed reads as ``not_said``."""
REQUEST_KINDS = tuple(REQUEST_KIND_LABELS)

RECORD_KIND_LABELS = {
    "labs": "Lab results",
    "pathology_report": "Pathology report",
    "pathology_slides": "Pathology slides or blocks",
    "imaging_report": "Imaging report",
    "imaging_images": "Imaging files",
    "operative_report": "Operative or procedure report",
    "physician_notes": "Doctors' notes",
    "medication_list": "Medication list",
    "discharge_summary": "Discharge summary",
    "genetic_tests": "Genetic or molecular tests",
    "treatment_plan": "First doctor's plan",
    "other": "Other",
}
"""The kinds of record; content/records.yaml says what to request for each under the same
label (a test keeps the two alike)."""
RECORD_KINDS = tuple(RECORD_KIND_LABELS)

QUESTION_CATEGORY_LABELS = {
    "diagnosis": "Diagnosis",
    "tests": "Tests",
    "options": "Options",
    "recommendation": "Recommendation",
    "risks": "Risks",
    "goals": "Goals",
    "recovery": "Recovery",
    "waiting": "Waiting",
    "evidence": "Evidence",
    "cost": "Cost",
    "first_plan": "First plan",
}
QUESTION_CATEGORIES = tuple(QUESTION_CATEGORY_LABELS)

PRIORITY_LABELS = {"high": "High", "normal": "Normal", "low": "Low"}
PRIORITIES = tuple(PRIORITY_LABELS)

VISIT_MODE_LABELS = {
    "unknown": "Not known yet",
    "in_person": "In person",
    "video": "Video",
    "records_review": "Records review only",
}
VISIT_MODES = tuple(VISIT_MODE_LABELS)

DOCTOR_ROLE_LABELS = {
    "first": "First opinion",
    "second": "Second opinion",
    "third": "Third opinion",
    "primary_care": "Primary care",
    "records_office": "Records office",
    "other": "Other",
}
DOCTOR_ROLES = tuple(DOCTOR_ROLE_LABELS)

APPOINTMENT_MODE_LABELS = {
    "in_person": "In person",
    "video": "Video",
    "phone": "Phone",
    "records_only": "Records only",
}
APPOINTMENT_MODES = tuple(APPOINTMENT_MODE_LABELS)

APPOINTMENT_STATUS_LABELS = {
    "planned": "Planned",
    "done": "Done",
    "cancelled": "Cancelled",
    "moved": "Moved",
}
APPOINTMENT_STATUSES = tuple(APPOINTMENT_STATUS_LABELS)

WHO_DECIDES_LABELS = {
    "unknown": "Not known yet",
    "alone": "The patient alone",
    "shared": "Shared with family or doctors",
    "someone_else": "Someone else",
}
WHO_DECIDES = tuple(WHO_DECIDES_LABELS)

RELATION_LABELS = {
    "unsettled": "Not settled",
    "confirmed": "Confirmed",
    "refined": "Refined",
    "changed": "Changed",
}
"""How a later opinion's diagnosis or treatment relates to the first opinion's."""
RELATIONS = tuple(RELATION_LABELS)

"""A file or folder on this device (pointed at, never copied), or a file kept in the case
folder itself (``store.case_files``: an import's notes and reports, synced with the case)."""
ATTACHMENT_KIND_LABELS = {"file": "File", "folder": "Folder", "kept": "Kept in the case"}
ATTACHMENT_KINDS = tuple(ATTACHMENT_KIND_LABELS)

OPTION_SOURCE_LABELS = {
    "own": "Your own idea",
    "opinion": "A doctor's recommendation",
    "waiting": "Wait and watch",
}
OPTION_SOURCES = tuple(OPTION_SOURCE_LABELS)

FACTOR_KIND_LABELS = {"benefit": "Benefit", "risk": "Risk"}
FACTOR_KINDS = tuple(FACTOR_KIND_LABELS)

YES_NO_LABELS = {True: "Yes", False: "No"}
"""A yes/no field's value as shown."""


def label(labels: Mapping[str, str], value: str) -> str:
    """The label of ``value`` in ``labels``; a code no table names (a newer version's, say)
    in words: underscores as spaces, first letter capital."""
    found = labels.get(value)
    if found is not None:
        return found
    words = value.replace("_", " ").strip()
    return words[:1].upper() + words[1:]


SECOND_OPINION_REASONS: tuple[tuple[str, str], ...] = (
    ("cancer", "a cancer diagnosis"),
    ("surgery", "major or elective surgery proposed"),
    ("rare", "a rare or unclear diagnosis"),
    ("not_improving", "treatment not working"),
    ("dismissed", "feeling dismissed"),
)
"""The case's yes/no fields that are reasons for another opinion, and how the overview and
the brief name each one when it is yes."""
