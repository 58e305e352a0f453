"""The domain of a second opinion: what a case holds, field by field, with validation.

A case is stored as tables of documents (see ``replica``). This module is where the rest of
the program reads the schema: which tables exist and which fields each has (declared once, in
``tables``, and named here), the queries over it (a field's spec, typed-in values parsed, the
fields compared, listed or printed), and the typed, read-only views (``Case``, ``Item``) of a
merged case.

Everything here is pure: no I/O, no clock, no UI. What a field is (``FieldSpec``: its kind,
how typed-in text becomes a stored value, the flags saying where it shows) is in
``field_spec``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

# The values each choice field accepts live in ``choices``; named here too, beside the
# fields that take them.
from .choices import APPOINTMENT_MODES as APPOINTMENT_MODES
from .choices import APPOINTMENT_STATUSES as APPOINTMENT_STATUSES
from .choices import ATTACHMENT_KINDS as ATTACHMENT_KINDS
from .choices import DOCTOR_ROLES as DOCTOR_ROLES
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

# The schema, declared in ``tables``, named here too.
from .tables import ANSWER_FIELDS as ANSWER_FIELDS
from .tables import APPOINTMENT_FIELDS as APPOINTMENT_FIELDS
from .tables import ATTACHMENT_FIELDS as ATTACHMENT_FIELDS
from .tables import CASE_FIELDS as CASE_FIELDS
from .tables import CHECKLIST_FIELDS as CHECKLIST_FIELDS
from .tables import COMPARE_CONTEXT as COMPARE_CONTEXT
from .tables import COMPARE_SAID as COMPARE_SAID
from .tables import DECISION_FIELDS as DECISION_FIELDS
from .tables import DECISION_NOTES_BEFORE as DECISION_NOTES_BEFORE
from .tables import DOCTOR_FIELDS as DOCTOR_FIELDS
from .tables import FACTOR_FIELDS as FACTOR_FIELDS
from .tables import IMPORTANCE_MOST as IMPORTANCE_MOST
from .tables import ITEM_TABLES as ITEM_TABLES
from .tables import LEANING_FIELDS as LEANING_FIELDS
from .tables import LOG_FIELDS as LOG_FIELDS
from .tables import OPINION_FIELDS as OPINION_FIELDS
from .tables import OPTION_FIELDS as OPTION_FIELDS
from .tables import QUESTION_FIELDS as QUESTION_FIELDS
from .tables import RECORD_FIELDS as RECORD_FIELDS
from .tables import SCHEMA as SCHEMA
from .tables import TABLES as TABLES
from .tables import TRANSFER_FIELDS as TRANSFER_FIELDS

FORMAT_MAJOR = 2
"""The newest major format this version reads (and writes, for a replica that names parts)."""
FORMAT = "1.0"
"""The format of a replica that keeps all its documents itself: earlier versions read it."""
PARTS_FORMAT = f"{FORMAT_MAJOR}.0"
"""The format of a replica that keeps part of its documents in parts beside it
(``store.replica_parts``): earlier versions open it read-only, as any newer format."""

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
    doctors: tuple[Item, ...] = ()
    appointments: tuple[Item, ...] = ()
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

    def next_opinion_number(self) -> int:
        """The number a new opinion gets: one after the highest (and after the count)."""
        return max([len(self.opinions), *(o.order or 0 for o in self.opinions)]) + 1

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
