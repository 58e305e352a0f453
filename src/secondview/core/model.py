"""The domain of a second opinion: what a case holds, field by field, with validation.

A case is stored as tables of documents (see ``replica``); this module says which tables
exist, which fields each document may have, what values each field accepts, and gives typed,
read-only views (``Case``, ``Record``...) of a merged case for the rest of the program.

Everything here is pure: no I/O, no clock, no UI. What a field is (``FieldSpec``: its kind,
how typed-in text becomes a stored value, the flags saying where it shows) is in
``field_spec``; which fields each table has, and so where each one is compared, listed and
printed, is declared here, once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

# The values each choice field accepts and their labels live in ``choices``; named here too,
# where the fields that take them are declared.
from .choices import (
    ATTACHMENT_KIND_LABELS,
    CHECKLIST_PHASE_LABELS,
    FACTOR_KIND_LABELS,
    OPTION_SOURCE_LABELS,
    PRIORITY_LABELS,
    QUESTION_CATEGORY_LABELS,
    RECORD_KIND_LABELS,
    RELATION_LABELS,
    RELATIONS,
    TRANSFER_STATE_LABELS,
    URGENCY_LABELS,
    VISIT_MODE_LABELS,
    WHO_DECIDES_LABELS,
    YES_NO_UNKNOWN_LABELS,
)
from .choices import ATTACHMENT_KINDS as ATTACHMENT_KINDS
from .choices import FACTOR_KINDS as FACTOR_KINDS
from .choices import OPTION_SOURCES as OPTION_SOURCES
from .choices import PHASES as PHASES
from .choices import PRIORITIES as PRIORITIES
from .choices import QUESTION_CATEGORIES as QUESTION_CATEGORIES
from .choices import RECORD_KINDS as RECORD_KINDS
from .choices import TRANSFER_STATES as TRANSFER_STATES
from .choices import URGENCIES as URGENCIES
from .choices import VISIT_MODES as VISIT_MODES
from .choices import WHO_DECIDES as WHO_DECIDES
from .choices import YES_NO_UNKNOWN as YES_NO_UNKNOWN

# The schema's vocabulary, named here too: code that reads a table's fields from ``model``
# finds their kinds and the error a refused value raises beside them.
from .field_spec import FieldSpec as FieldSpec
from .field_spec import InvalidValue as InvalidValue
from .field_spec import Kind as Kind

FORMAT_MAJOR = 1
FORMAT_MINOR = 0
FORMAT = f"{FORMAT_MAJOR}.{FORMAT_MINOR}"

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
    F("cancer", "Cancer diagnosis", Kind.BOOL),
    F("surgery", "Major or elective surgery proposed", Kind.BOOL),
    F("rare", "Rare or unclear diagnosis", Kind.BOOL),
    F("not_improving", "Treatment not working", Kind.BOOL),
    F("dismissed", "Feeling dismissed", Kind.BOOL),
    F("insurance_plan", "Insurance plan"),
    F("covered", "Second opinion covered", Kind.CHOICE, YES_NO_UNKNOWN, default="unknown",
      labels=YES_NO_UNKNOWN_LABELS),
    F("in_network_only", "Must stay in network", Kind.CHOICE, YES_NO_UNKNOWN, default="unknown",
      labels=YES_NO_UNKNOWN_LABELS),
    F("referral_needed", "Referral needed", Kind.CHOICE, YES_NO_UNKNOWN, default="unknown",
      labels=YES_NO_UNKNOWN_LABELS),
    F("preauth_needed", "Pre-authorisation needed", Kind.CHOICE, YES_NO_UNKNOWN,
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
    F("state", "State", Kind.CHOICE, TRANSFER_STATES, default="requested",
      labels=TRANSFER_STATE_LABELS),
    F("from_provider", "Requested from a provider", Kind.BOOL, default=True,
      help="Offices usually answer a request within 30 days; the Records pane counts the "
      "days. Which rules set a deadline, and for whom: the guide 'Preparing for the visit' "
      "(press g)"),
    F("authorisation_signed", "Release authorisation signed", Kind.BOOL),
    F("requested_on", "Requested on", Kind.DATE),
    F("sent_on", "Sent on", Kind.DATE),
    F("received_on", "Received on", Kind.DATE),
    F("confirmed_on", "Confirmed on", Kind.DATE),
    F("notes", "Notes", multiline=True),
)

OPINION_FIELDS: tuple[FieldSpec, ...] = (
    F("doctor", "Doctor", required=True),
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
    "opinion": "opinions",
    "question": "questions",
    "answer": "answers",
    "option": "options",
    "factor": "factors",
    "leaning": "leanings",
}

_SPEC_INDEX = {table: {f.name: f for f in fields} for table, fields in SCHEMA.items()}


def specs_by_name(table: str) -> Mapping[str, FieldSpec]:
    """The field specs of ``table`` by name; empty for a table the schema does not know."""
    return _SPEC_INDEX.get(table, {})


def spec(table: str, name: str) -> FieldSpec:
    """The spec of ``table.name``; InvalidValue naming the valid fields if there is none."""
    try:
        return _SPEC_INDEX[table][name]
    except KeyError:
        if table not in _SPEC_INDEX:
            raise InvalidValue(f"unknown table '{table}'") from None
        valid = ", ".join(f.describe() for f in SCHEMA[table])
        raise InvalidValue(f"unknown field '{name}'. Valid fields: {valid}") from None


def parse_fields(table: str, raw: Mapping[str, Any]) -> dict[str, Any]:
    """Validate typed-in values for ``table``. All errors are collected into one message."""
    values: dict[str, Any] = {}
    errors: list[str] = []
    for name, value in raw.items():
        try:
            values[name] = spec(table, name).parse(value)
        except InvalidValue as exc:
            errors.append(str(exc))
    if errors:
        raise InvalidValue("; ".join(errors))
    return values


def parse_assignments(table: str, assignments: Iterable[str]) -> dict[str, Any]:
    """Parse ``FIELD=VALUE`` words (from the command line) for ``table``."""
    raw: dict[str, str] = {}
    for word in assignments:
        name, sep, value = word.partition("=")
        if not sep or not name:
            valid = ", ".join(f.describe() for f in SCHEMA[table])
            raise InvalidValue(f"'{word}' is not FIELD=VALUE. Valid fields: {valid}")
        raw[name.strip()] = value
    return parse_fields(table, raw)


def missing_required(table: str, values: Mapping[str, Any]) -> list[str]:
    """Names of required fields of ``table`` that ``values`` leaves empty."""
    return [
        f.name for f in SCHEMA[table] if f.required and not str(values.get(f.name, "")).strip()
    ]


def defaults(table: str) -> dict[str, Any]:
    """The values a new item of ``table`` starts with, for the fields that have a default."""
    return {f.name: f.default for f in SCHEMA[table] if f.default is not None}


def compared_fields(table: str) -> tuple[FieldSpec, ...]:
    """The fields of ``table`` set side by side in a comparison, in the order shown: by
    their ``compared`` rank, then in schema order."""
    return tuple(sorted((f for f in SCHEMA[table] if f.compared), key=lambda f: f.compared))


def listed_fields(table: str) -> tuple[FieldSpec, ...]:
    """The fields of ``table`` shown among an item's details, in schema order."""
    return tuple(f for f in SCHEMA[table] if f.listed)


def brief_fields(table: str) -> tuple[FieldSpec, ...]:
    """The fields of ``table`` printed where an item is summed up (the brief), in order."""
    return tuple(f for f in SCHEMA[table] if f.in_brief)


# ---------------------------------------------------------------------------------------------
# Typed views of a merged case. Built by ``replica.CaseState``; read-only for everyone else.


@dataclass(frozen=True)
class Item:
    """A document of any table: its id, resolved values and which fields are in conflict."""

    table: str
    id: str
    values: Mapping[str, Any]
    conflicts: frozenset[str] = frozenset()
    changed_at: str = ""
    changed_by: str = ""

    def __getattr__(self, name: str) -> Any:
        # Only called when normal lookup fails: exposes field values as attributes.
        values = object.__getattribute__(self, "values")
        if name in values:
            return values[name]
        try:
            return spec(object.__getattribute__(self, "table"), name).empty()
        except InvalidValue:
            raise AttributeError(name) from None

    @property
    def has_conflict(self) -> bool:
        return bool(self.conflicts)


UNNUMBERED = 10**6
"""Where an opinion without a number (0) sorts: after every numbered one."""


def opinion_order(opinion: Item) -> tuple[int, str, str]:
    """The sort key that puts opinions in order: by number (unnumbered last), then by when
    each was written, then by id (so every device and every pane agrees on ties)."""
    return (opinion.order or UNNUMBERED, opinion.changed_at, opinion.id)


def order_key(item: Item) -> tuple[float, str, str]:
    """The sort key of an item the person puts in order (a question, a checklist item): by
    its ``order`` (0 when it has none), then by when it was written, then by id."""
    order = item.values.get("order", 0)
    number = order if isinstance(order, (int, float)) and not isinstance(order, bool) else 0
    return (float(number), item.changed_at, item.id)


@dataclass(frozen=True)
class Case:
    """A whole case, resolved for showing: one value per field, conflicts named."""

    id: str
    info: Item
    checklist: tuple[Item, ...] = ()
    records: tuple[Item, ...] = ()
    transfers: tuple[Item, ...] = ()
    attachments: tuple[Item, ...] = ()
    opinions: tuple[Item, ...] = ()
    questions: tuple[Item, ...] = ()
    answers: tuple[Item, ...] = ()
    decision: Item | None = None
    options: tuple[Item, ...] = ()
    factors: tuple[Item, ...] = ()
    leanings: tuple[Item, ...] = ()
    log: tuple[Item, ...] = ()
    conflicts: tuple[tuple[str, str, str], ...] = field(default=())
    """(table, item id, field) of every unsettled conflict."""
    races: tuple[tuple[str, str], ...] = field(default=())
    """(table, item id) of items edited on one device while deleted on another."""

    @property
    def title(self) -> str:
        title: str = self.info.title
        return title

    @property
    def archived(self) -> bool:
        return bool(self.info.archived)

    def table(self, name: str) -> tuple[Item, ...]:
        if name == "case":
            return (self.info,)
        if name == "decision":
            return (self.decision,) if self.decision else ()
        items: tuple[Item, ...] = getattr(self, name)
        return items

    def find(self, item_id: str) -> Item | None:
        """The item with this id, or a unique prefix of it, in any table."""
        hits = []
        for name in TABLES:
            for item in self.table(name):
                if item.id == item_id:
                    return item
                if item.id.startswith(item_id):
                    hits.append(item)
        return hits[0] if len(hits) == 1 else None

    def opinions_in_order(self) -> tuple[Item, ...]:
        """The opinions, first opinion first: the one order every pane, export and command
        shows them in (see ``opinion_order``)."""
        return tuple(sorted(self.opinions, key=opinion_order))

    def first_opinion(self) -> Item | None:
        """The opinion the others are read against: the first of ``opinions_in_order``."""
        return min(self.opinions, key=opinion_order, default=None)

    def later_opinions(self) -> tuple[Item, ...]:
        """Every opinion after the first, in order."""
        return self.opinions_in_order()[1:]

    def questions_in_order(self) -> tuple[Item, ...]:
        """The questions in the order the person set (see ``order_key``)."""
        return tuple(sorted(self.questions, key=order_key))

    def attachments_for(self, record_id: str) -> tuple[Item, ...]:
        """The files and folders attached to one record, by path."""
        return tuple(
            sorted((a for a in self.attachments if a.record == record_id), key=lambda a: a.path)
        )

    def factors_for(self, option_id: str) -> tuple[Item, ...]:
        """The benefits and risks weighed for one option: benefits first, most important first."""
        return tuple(sorted(
            (f for f in self.factors if f.option == option_id),
            key=lambda f: (f.kind != "benefit", -(f.importance or 0), f.changed_at, f.id),
        ))

    def leanings_by_date(self) -> tuple[Item, ...]:
        """The recorded leanings, oldest first (by date, then by when written)."""
        return tuple(sorted(self.leanings, key=lambda i: (i.date, i.changed_at, i.id)))

    def answers_for(self, question_id: str) -> dict[str, Item]:
        """Each opinion's answer to one question, by opinion id."""
        return {a.opinion: a for a in self.answers if a.question == question_id}
