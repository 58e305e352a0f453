"""Which tables a case holds and which fields each table's documents have: the schema,
declared once. Each field is a ``FieldSpec`` (``core.field_spec``); the values a choice takes
and their labels come from ``core.choices``. ``core.model`` names all of this too, beside the
queries over it and the typed views of a case.

Adding a field is one line here; adding a table is one tuple here, one entry in SCHEMA (and
ITEM_TABLES if the command line adds its items) and one attribute of ``model.Case``.
"""

from __future__ import annotations

from .choices import (
    APPOINTMENT_MODE_LABELS,
    APPOINTMENT_MODES,
    APPOINTMENT_STATUS_LABELS,
    APPOINTMENT_STATUSES,
    ATTACHMENT_KIND_LABELS,
    ATTACHMENT_KINDS,
    CHECKLIST_PHASE_LABELS,
    DOCTOR_ROLE_LABELS,
    DOCTOR_ROLES,
    FACTOR_KIND_LABELS,
    FACTOR_KINDS,
    KEPT_BY,
    KEPT_BY_LABELS,
    OPTION_SOURCE_LABELS,
    OPTION_SOURCES,
    PHASES,
    PRIORITIES,
    PRIORITY_LABELS,
    QUESTION_CATEGORIES,
    QUESTION_CATEGORY_LABELS,
    RECORD_KIND_LABELS,
    RECORD_KINDS,
    RELATION_LABELS,
    RELATIONS,
    REQUEST_KIND_LABELS,
    REQUEST_KINDS,
    TRANSFER_STATE_LABELS,
    TRANSFER_STATES,
    URGENCIES,
    URGENCY_LABELS,
    VISIT_MODE_LABELS,
    VISIT_MODES,
    WAITING_ON,
    WAITING_ON_LABELS,
    WHO_DECIDES,
    WHO_DECIDES_LABELS,
    YES_NO_UNKNOWN,
    YES_NO_UNKNOWN_LABELS,
)
from .field_spec import FieldSpec, Kind

COMPARE_SAID = 1
"""Rank of the fields that say what a doctor found and advises: compared first."""
COMPARE_CONTEXT = 2
"""Rank of the fields that say who gave the opinion and how: compared after COMPARE_SAID."""

F = FieldSpec

CASE_FIELDS: tuple[FieldSpec, ...] = (
    F("title", "Title", required=True, help="A name for this case, e.g. 'Mum - knee surgery'"),
    F("patient", "Patient", help="Who the case is about"),
    F("condition", "Condition", help="The diagnosis or problem, in your words"),
    F("urgency", "Urgency", Kind.CHOICE, URGENCIES, default="routine", labels=URGENCY_LABELS,
      help="emergency: get care now; do not wait for a second opinion"),
    F("birth_date", "Patient's date of birth", Kind.DATE,
      help="Printed on the records packet, so an office can match the records"),
    F("contact_name", "Contact about the case", help="Whom an office calls back"),
    F("contact_phone", "Contact phone"),
    F("contact_email", "Contact email"),
    F("cancer", "Cancer diagnosis", Kind.BOOL),
    F("surgery", "Major or elective surgery proposed", Kind.BOOL),
    F("rare", "Rare or unclear diagnosis", Kind.BOOL),
    F("not_improving", "Treatment not working", Kind.BOOL),
    F("dismissed", "Feeling dismissed", Kind.BOOL),
    F("kept_by", "Kept by", Kind.CHOICE, KEPT_BY, default="patient", labels=KEPT_BY_LABELS,
      help="Someone else (a relative, friend or advocate): the checklist adds the steps that "
      "give you the right to ask and be told"),
    F("insurance_plan", "Insurance plan"),
    F("covered", "Second opinion covered", Kind.CHOICE, YES_NO_UNKNOWN, default="unknown",
      labels=YES_NO_UNKNOWN_LABELS),
    F("in_network_only", "Must stay in network", Kind.CHOICE, YES_NO_UNKNOWN, default="unknown",
      labels=YES_NO_UNKNOWN_LABELS),
    F("referral_needed", "Referral needed", Kind.CHOICE, YES_NO_UNKNOWN, default="unknown",
      labels=YES_NO_UNKNOWN_LABELS),
    F("preauth_needed", "Prior authorization needed", Kind.CHOICE, YES_NO_UNKNOWN,
      default="unknown", labels=YES_NO_UNKNOWN_LABELS),
    F("medicare", "Medicare", Kind.CHOICE, YES_NO_UNKNOWN, default="unknown",
      labels=YES_NO_UNKNOWN_LABELS, was_bool=True),
    F("notes", "Notes", multiline=True),
    F("health_summary", "Health summary", multiline=True,
      help="Problems, medicines, allergies and past procedures, current ones first (filled "
           "in from a portal's export, then yours to edit)"),
    F("archived", "Archived", Kind.BOOL),
    F("checklist_template", "Checklist template"),
    F("checklist_version", "Checklist template version", Kind.INT),
    F("question_banks", "Question bank versions met",
      help="Each question bank's version when the case started (core.starter_questions)"),
)

CHECKLIST_FIELDS: tuple[FieldSpec, ...] = (
    F("text", "Item", required=True),
    F("phase", "Phase", Kind.CHOICE, PHASES, default="preparing", labels=CHECKLIST_PHASE_LABELS),
    F("done", "Done", Kind.BOOL),
    F("due", "Due", Kind.DATE),
    F("waiting_on", "Waiting on", Kind.CHOICE, WAITING_ON, default="not_said",
      labels=WAITING_ON_LABELS,
      help="Who has to act next; left unsaid, an open step waits on you"),
    F("notes", "Notes", multiline=True),
    F("order", "Order", Kind.NUMBER),
    F("template_id", "Template item"),
    F("applies_when", "Applies when", listed=False,
      help="The content's rule for this step, kept with it (core.content_rules)"),
)

RECORD_FIELDS: tuple[FieldSpec, ...] = (
    F("title", "Title", required=True),
    F("kind", "Kind", Kind.CHOICE, RECORD_KINDS, default="other",
      labels=RECORD_KIND_LABELS),
    F("date", "Date", Kind.DATE),
    F("source", "Held by", help="The clinic, lab or hospital that holds it"),
    F("files", "Attached file", help="A path on this device; never opened by the app"),
    F("notes", "Notes", multiline=True),
    F("fhir_id", "Imported from",
      help="The FHIR resources this record was imported from (Type/id, space-separated); "
      "kept so importing the same file again adds nothing twice"),
)

ATTACHMENT_FIELDS: tuple[FieldSpec, ...] = (
    F("record", "Record", Kind.REF, ref_table="records", required=True),
    F("path", "Path", required=True,
      help="The file or folder as typed (~ allowed); shown, never opened or run"),
    F("kind", "Kind", Kind.CHOICE, ATTACHMENT_KINDS, default="file",
      labels=ATTACHMENT_KIND_LABELS),
    F("size", "Size in bytes", Kind.INT, help="A folder: all its files together"),
    F("file_count", "Files", Kind.INT, help="How many files it held when hashed (1 for a file)"),
    F("sha256", "SHA-256",
      help="Of the file; of a folder, the SHA-256 of its sha256sum manifest"),
    F("hashed_at", "Hashed at", help="When the hash was taken (UTC, ISO 8601)"),
)

TRANSFER_FIELDS: tuple[FieldSpec, ...] = (
    F("record", "Record", Kind.REF, ref_table="records", required=True),
    F("recipient", "To (doctor or office)", required=True),
    F("doctor_id", "To (care team)", Kind.REF, ref_table="doctors", listed=False,
      help="The doctor or office of the case's care team the record goes to"),
    F("state", "State", Kind.CHOICE, TRANSFER_STATES, default="requested",
      labels=TRANSFER_STATE_LABELS),
    F("from_provider", "Requested from a provider", Kind.BOOL, default=True,
      help="Yes: an office usually sends it. No: you hand it over yourself, so no days are "
      "counted. Which rules set a deadline, and for whom: the guide 'Preparing for the "
      "visit' (press g)"),
    F("request_kind", "Kind of request", Kind.CHOICE, REQUEST_KINDS, default="not_said",
      labels=REQUEST_KIND_LABELS,
      help="Your own copy: the law sets 30 days (60 if the office writes why it needs more). "
      "Sent where you name in writing: the same, for electronic records. Office to office: "
      "no set deadline. See the guide 'When records are late' (press g)"),
    F("extended_to", "Office's new date", Kind.DATE,
      help="Only if the office wrote to you that it needs more time, and why: 60 days at most"),
    F("authorisation_signed", "Release (authorization) signed", Kind.BOOL),
    F("requested_on", "Requested on", Kind.DATE),
    F("sent_on", "Sent on", Kind.DATE),
    F("received_on", "Received on", Kind.DATE),
    F("confirmed_on", "Confirmed on", Kind.DATE),
    F("waiting_on", "Waiting on", Kind.CHOICE, WAITING_ON, default="not_said",
      labels=WAITING_ON_LABELS,
      help="Who has to act next; left unsaid, a request to a provider waits on the office "
      "until it is received, and a record you hand over waits on you"),
    F("notes", "Notes", multiline=True),
)

DOCTOR_FIELDS: tuple[FieldSpec, ...] = (
    F("name", "Name", required=True, help="A doctor, or an office such as a records department"),
    F("role", "Role in this case", Kind.CHOICE, DOCTOR_ROLES, default="other",
      labels=DOCTOR_ROLE_LABELS),
    F("specialty", "Specialty"),
    F("institution", "Institution"),
    F("phone", "Phone"),
    F("fax", "Fax"),
    F("email", "Email"),
    F("portal", "Patient portal", help="The portal's address, as the office gave it"),
    F("address", "Address", multiline=True),
    F("in_network", "In network", Kind.CHOICE, YES_NO_UNKNOWN, default="unknown",
      labels=YES_NO_UNKNOWN_LABELS),
    F("notes", "Notes", multiline=True),
)

APPOINTMENT_FIELDS: tuple[FieldSpec, ...] = (
    F("doctor_id", "Doctor", Kind.REF, ref_table="doctors"),
    F("date", "Date", Kind.DATE, required=True),
    F("time", "Time", Kind.TIME, help="24-hour HH:MM, in the time zone of the place"),
    F("zone", "Time zone", Kind.ZONE,
      help="Where the visit happens, e.g. America/Chicago (empty: this device's zone)"),
    F("mode", "How", Kind.CHOICE, APPOINTMENT_MODES, default="in_person",
      labels=APPOINTMENT_MODE_LABELS),
    F("place", "Place or video link", multiline=True),
    F("companions", "Who comes along"),
    F("bring", "What to bring", multiline=True),
    F("status", "Status", Kind.CHOICE, APPOINTMENT_STATUSES, default="planned",
      labels=APPOINTMENT_STATUS_LABELS),
    F("notes", "Notes", multiline=True),
)

OPINION_FIELDS: tuple[FieldSpec, ...] = (
    F("doctor", "Doctor", required=True),
    F("doctor_id", "Doctor (care team)", Kind.REF, ref_table="doctors", listed=False,
      help="The doctor of the case's care team who gave this opinion"),
    F("order", "Opinion number", Kind.INT, default=0, help="1 for the first opinion",
      listed=False),
    F("specialty", "Specialty", compared=COMPARE_CONTEXT),
    F("institution", "Institution", compared=COMPARE_CONTEXT),
    F("independent", "Independent of the first", Kind.CHOICE, YES_NO_UNKNOWN, default="unknown",
      labels=YES_NO_UNKNOWN_LABELS, compared=COMPARE_CONTEXT),
    F("visit_mode", "Visit", Kind.CHOICE, VISIT_MODES, default="unknown",
      labels=VISIT_MODE_LABELS, compared=COMPARE_CONTEXT),
    F("date", "Date", Kind.DATE),
    F("diagnosis", "Diagnosis", multiline=True, compared=COMPARE_SAID, in_brief=True),
    F("stage", "Stage or severity", compared=COMPARE_SAID, in_brief=True),
    F("treatment", "Recommended treatment", multiline=True, compared=COMPARE_SAID,
      in_brief=True),
    F("alternatives", "Alternatives", multiline=True, compared=COMPARE_SAID, in_brief=True),
    F("risks", "Risks", multiline=True, compared=COMPARE_SAID),
    F("side_effects", "Side effects", multiline=True, compared=COMPARE_SAID),
    F("goals", "Goals of treatment", multiline=True, compared=COMPARE_SAID),
    F("recovery", "Recovery", multiline=True, compared=COMPARE_SAID),
    F("if_waiting", "If we wait", multiline=True, compared=COMPARE_SAID, in_brief=True),
    F("evidence", "Evidence and guidelines cited", multiline=True, compared=COMPARE_SAID),
    F("written_copy", "Written copy received", Kind.BOOL, compared=COMPARE_CONTEXT),
    F("costs", "Costs", multiline=True, compared=COMPARE_CONTEXT),
    F("diagnosis_relation", "Diagnosis vs the first opinion", Kind.CHOICE,
      RELATIONS, default="unsettled", labels=RELATION_LABELS, listed=False,
      help="How this diagnosis relates to the first opinion's; unsettled: secondview suggests"),
    F("treatment_relation", "Treatment vs the first opinion", Kind.CHOICE,
      RELATIONS, default="unsettled", labels=RELATION_LABELS, listed=False,
      help="How this treatment relates to the first opinion's; unsettled: secondview suggests"),
    F("notes", "Notes", multiline=True),
)

QUESTION_FIELDS: tuple[FieldSpec, ...] = (
    F("text", "Question", required=True),
    F("category", "Category", Kind.CHOICE, QUESTION_CATEGORIES, default="diagnosis",
      labels=QUESTION_CATEGORY_LABELS),
    F("priority", "Priority", Kind.CHOICE, PRIORITIES, default="normal",
      labels=PRIORITY_LABELS),
    F("order", "Order", Kind.NUMBER),
    F("asked", "Asked", Kind.BOOL),
    F("why", "Why ask", multiline=True),
    F("bank_id", "Question bank item"),
)

ANSWER_FIELDS: tuple[FieldSpec, ...] = (
    F("question", "Question", Kind.REF, ref_table="questions", required=True),
    F("opinion", "Opinion", Kind.REF, ref_table="opinions", required=True),
    F("text", "Answer", multiline=True),
)

DECISION_FIELDS: tuple[FieldSpec, ...] = (
    F("options", "Options (notes from before)", multiline=True,
      help="Free text from older versions; the options list (table options) replaces it"),
    F("matters", "What matters most (notes from before)", multiline=True,
      help="Free text from older versions; benefits and risks with their importance "
      "(table factors) replace it"),
    F("who_decides", "Who decides", Kind.CHOICE, WHO_DECIDES, default="unknown",
      labels=WHO_DECIDES_LABELS),
    F("leaning", "Leaning"),
    F("choice", "Choice"),
    F("reasons", "Reasons", multiline=True),
    F("doctor_told", "Treating doctor told", Kind.BOOL),
    F("told_on", "Told on", Kind.DATE),
    F("sure_know", "I know the benefits and risks of each option", Kind.BOOL),
    F("sure_values", "I am clear about which benefits and risks matter most to me", Kind.BOOL),
    F("sure_support", "I have enough support and advice to choose", Kind.BOOL),
    F("sure_certain", "I feel sure about the best choice for me", Kind.BOOL),
)

DECISION_NOTES_BEFORE = ("options", "matters")
"""The decision's free-text fields of older versions: no form offers them any more (the
options, benefits and risks replace them), but text already in them is kept, shown read-only
and exported. Still readable and settable from the command line."""

IMPORTANCE_MOST = 5

OPTION_FIELDS: tuple[FieldSpec, ...] = (
    F("title", "Option", required=True, help="A treatment, waiting and watching, or your own"),
    F("source", "Comes from", Kind.CHOICE, OPTION_SOURCES, default="own",
      labels=OPTION_SOURCE_LABELS,
      help="opinion: a doctor recommended it; waiting: wait and watch; own: your own idea"),
    F("opinion", "Opinion", Kind.REF, ref_table="opinions",
      help="The opinion that recommended it (optional)"),
    F("notes", "Notes", multiline=True),
    F("order", "Order", Kind.NUMBER),
)

FACTOR_FIELDS: tuple[FieldSpec, ...] = (
    F("option", "Option", Kind.REF, ref_table="options", required=True),
    F("kind", "Benefit or risk", Kind.CHOICE, FACTOR_KINDS, default="benefit",
      labels=FACTOR_KIND_LABELS),
    F("text", "What it is", required=True),
    F("importance", "How much it matters to you (0-5)", Kind.INT, default=3,
      least=0, most=IMPORTANCE_MOST, help="0: not at all; 5: very much"),
)

LEANING_FIELDS: tuple[FieldSpec, ...] = (
    F("date", "Date", Kind.DATE, required=True),
    F("option", "Leaning towards", Kind.REF, ref_table="options"),
    F("note", "Note"),
)

LOG_FIELDS: tuple[FieldSpec, ...] = (
    F("action", "Action"),
    F("summary", "Summary"),
)

SCHEMA: dict[str, tuple[FieldSpec, ...]] = {
    "case": CASE_FIELDS,
    "checklist": CHECKLIST_FIELDS,
    "records": RECORD_FIELDS,
    "transfers": TRANSFER_FIELDS,
    "attachments": ATTACHMENT_FIELDS,
    "doctors": DOCTOR_FIELDS,
    "appointments": APPOINTMENT_FIELDS,
    "opinions": OPINION_FIELDS,
    "questions": QUESTION_FIELDS,
    "answers": ANSWER_FIELDS,
    "decision": DECISION_FIELDS,
    "options": OPTION_FIELDS,
    "factors": FACTOR_FIELDS,
    "leanings": LEANING_FIELDS,
    "log": LOG_FIELDS,
}
TABLES = tuple(SCHEMA)

ITEM_TABLES = {
    # word used on the command line -> table
    "checklist": "checklist",
    "record": "records",
    "transfer": "transfers",
    "doctor": "doctors",
    "visit": "appointments",
    "opinion": "opinions",
    "question": "questions",
    "answer": "answers",
    "option": "options",
    "factor": "factors",
    "leaning": "leanings",
}
