"""What the app knows about the second-opinion process: checklists, questions, record kinds.

The knowledge is data under ``content/`` (YAML and Markdown), loaded and validated here. The
project's own content ships with the app; a user may add checklists, question banks and guides
of their own in ``<config folder>/content``, and they load beside ours.

Layout of a content folder::

    checklists/*.yaml    one checklist template per file
    questions/*.yaml     one question bank per file
    records.yaml         the record kinds (bundled content only)
    guides/*.md          guides in Markdown, the first ``# `` line is the title

In an extra (user) folder ``checklists/``, ``questions/`` and ``guides/`` are read;
``records.yaml`` there is ignored. Files whose name starts with a dot are skipped (sync tools'
temporary files). A guide's id is its file name without ``.md`` and without a leading number
(``01-when-to-seek.md`` is ``when-to-seek``); guides are listed in file-name order, so the
number sets the order. A user's guide is marked ``bundled=False``: it is user text, and the UI
treats it as such.

A checklist template::

    id: general                 # stable id: a-z, 0-9, '-' and '_', starting with a letter/digit
    title: The second-opinion process
    version: 3                  # a whole number >= 1; raise it whenever items are added
    applies_when: {cancer: true}    # optional: the whole template is for such cases only
    items:
      - id: request-records     # stable: never reuse an id for a different step
        phase: preparing        # one of model.PHASES: deciding, preparing, visit, after
        text: Request the records ...
        details: ...            # optional: a longer explanation, shown as help
        applies_when: {...}     # optional

A question bank::

    id: core
    title: Core questions
    version: 1
    applies_when: {...}         # optional, for the whole bank
    questions:
      - id: dx-agree
        category: diagnosis     # one of model.QUESTION_CATEGORIES
        priority: high          # one of model.PRIORITIES; normal when left out
        text: Do you agree with the diagnosis?
        why: A short note on why the answer matters.
        applies_when: {...}     # optional

``records.yaml``::

    version: 1
    kinds:
      - id: labs                # one of model.RECORD_KINDS
        label: Lab results
        what_to_request: ...
        usually_held_by: ...
        response_days: 30       # the usual window for the holder to respond, in days
        details: ...            # optional: more on how to ask for it

``applies_when`` is a mapping of case field -> accepted value, or a list of accepted values.
Every field named must match (AND); within a list, any value matches (OR)::

    applies_when: {cancer: true}
    applies_when: {urgency: [routine, soon], medicare: yes}

The fields a rule may name are the yes/no and choice fields of a case (``RULE_FIELDS``). A case
that leaves a field unset counts as holding that field's default (no, routine, unknown).

In a case, an item made from a template remembers where it came from: ``template_id`` is
``<template id>/<item id>`` and ``bank_id`` is ``<bank id>/<question id>``. Ids are therefore
unique within one template or bank, and template and bank ids are unique across all loaded
content. That lets a later version of the content offer a case the items it does not have yet
(``Content.missing_items``): only items the case never had, so a step the user deleted stays
deleted and a step the user edited is left as it is.

Nothing is read when this module is imported. ``load_content`` reads the files it is asked for
(with PyYAML's safe loader, in its C build when PyYAML has one: the same rules, ten times
faster, which keeps the app's start quick; ``yaml.compose`` with the safe loader only when a
problem needs a line number) and never raises for a bad file: every problem is collected in ``Content.problems``
with the file, line and field, and everything else still loads.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

import bisect
import uuid

from . import model
from .field_spec import MAX_TEXT
from .bundled import bundled_dir
from .replica import CaseState, Write, new_id

PRIMARY_TEMPLATE = "general"
"""The bundled checklist whose version a new case records as ``checklist_version``."""

MAX_FILE_BYTES = 1_000_000
"""Content files larger than this are refused (no real checklist comes close)."""

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")

GUIDE_ORDER_PREFIX = re.compile(r"^\d+[-_.]")
"""A leading number in a guide's file name sets its place in the list; it is not in the id."""

ADDED_ITEM_NAMESPACE = uuid.UUID("6f1c2a52-4e0b-4f53-9a7e-2d8c1b5e7a10")
"""Ids of items ``missing_items`` adds are uuid5(this, case id, table, key): two devices that
add the same new step to the same case write the same document, not two copies."""

RULE_FIELDS: tuple[str, ...] = tuple(
    f.name
    for f in model.CASE_FIELDS
    if f.kind in (model.Kind.BOOL, model.Kind.CHOICE) and f.name != "archived"
)
"""Case fields an ``applies_when`` rule may name."""

PHASE_INDEX = {name: i for i, name in enumerate(model.PHASES)}


# ---------------------------------------------------------------------------------------------
# Problems


@dataclass(frozen=True)
class ContentProblem:
    """A problem in one content file: where it is and what is wrong, in words for the user.

    ``path`` is the file; ``shown`` is how the file is named in messages (``content/...`` for
    the bundled content, the full path for the user's own files); ``line`` is 1-based, or None
    when the problem is not tied to a line; ``field`` is the path of the value inside the file,
    such as ``items[3].phase`` (list positions count from 0), or "" for the whole file.
    """

    path: Path
    line: int | None
    field: str
    problem: str
    shown: str = ""

    def message(self) -> str:
        """One line naming the file, the line, the field and the problem."""
        where = self.shown or str(self.path)
        if self.line is not None:
            where += f", line {self.line}"
        what = f"{self.field}: {self.problem}" if self.field else self.problem
        return f"{where}: {what}"

    def __str__(self) -> str:
        return self.message()


class _Invalid(ValueError):
    """A value in a content file that cannot be used; ``where`` is its path inside the file."""

    def __init__(self, where: tuple[str | int, ...], problem: str) -> None:
        super().__init__(problem)
        self.where = where
        self.problem = problem


def _field_path(where: Sequence[str | int]) -> str:
    text = ""
    for step in where:
        if isinstance(step, int):
            text += f"[{step}]"
        else:
            text += f".{step}" if text else step
    return text


def safe_load(text: str) -> Any:
    """``yaml.safe_load(text)``, with libyaml's C safe loader when PyYAML was built with it.

    ``CSafeLoader`` builds only plain Python values (dicts, lists, strings, numbers, dates),
    exactly like ``yaml.safe_load``, about ten times faster on our content (8 ms, not 80).
    """
    import yaml  # deferred: importing this module stays cheap for the app's first frame

    loader = getattr(yaml, "CSafeLoader", None)
    if loader is None:
        return yaml.safe_load(text)
    return yaml.load(text, Loader=loader)  # a safe loader: never builds arbitrary objects


def _line_of(text: str, where: Sequence[str | int]) -> int | None:
    """The 1-based line of the value at ``where`` in YAML ``text`` (as deep as it can be found).

    Uses ``yaml.compose`` with the safe loader: it builds the node tree only, never objects.
    """
    import yaml  # deferred: importing this module stays cheap for the app's first frame
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return None
    if node is None:
        return None
    line = node.start_mark.line
    for step in where:
        if isinstance(node, yaml.MappingNode) and isinstance(step, str):
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode) and key.value == step:
                    line, node = key.start_mark.line, value
                    break
            else:
                break
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int):
            if not 0 <= step < len(node.value):
                break
            node = node.value[step]
            line = node.start_mark.line
        else:
            break
    return line + 1


# ---------------------------------------------------------------------------------------------
# applies_when rules


def _case_value(name: str, case_values: Mapping[str, Any]) -> Any:
    """Case field ``name`` in ``case_values``, typed; the field's default when unset or bad."""
    spec = model.spec("case", name)
    value = case_values.get(name)
    if value is None:
        return spec.empty()
    choice_ok = spec.kind is not model.Kind.CHOICE or value in spec.choices
    if spec.accepts_stored(value) and choice_ok:
        return value
    try:
        return spec.parse(value)
    except model.InvalidValue:
        return spec.empty()


@dataclass(frozen=True)
class Rule:
    """An ``applies_when`` rule: each named case field must hold one of its accepted values."""

    conditions: tuple[tuple[str, tuple[Any, ...]], ...] = ()

    def matches(self, case_values: Mapping[str, Any]) -> bool:
        return all(
            _case_value(name, case_values) in accepted for name, accepted in self.conditions
        )

    def __str__(self) -> str:
        def word(value: Any) -> str:
            return ("yes" if value else "no") if isinstance(value, bool) else str(value)

        return " and ".join(
            f"{name} is {' or '.join(word(v) for v in accepted)}"
            for name, accepted in self.conditions
        )


def _rule_value(spec: model.FieldSpec, raw: Any) -> Any:
    if isinstance(raw, (list, dict)) or raw is None:
        raise model.InvalidValue("expected a value or a list of values")
    if spec.kind is model.Kind.CHOICE and isinstance(raw, bool):
        # YAML reads an unquoted yes/no as true/false.
        raw = "yes" if raw else "no"
    if spec.kind is model.Kind.BOOL and not isinstance(raw, (bool, str)):
        raise model.InvalidValue(f"'{raw}' is not yes or no")
    if spec.kind is model.Kind.CHOICE and not isinstance(raw, str):
        raise model.InvalidValue(f"'{raw}' is not one of: {', '.join(spec.choices)}")
    try:
        value = spec.parse(raw)
    except model.InvalidValue as exc:
        raise model.InvalidValue(_strip_name(str(exc), spec.name)) from None
    if spec.kind is model.Kind.CHOICE and value not in spec.choices:
        raise model.InvalidValue(f"an empty value; use one of: {', '.join(spec.choices)}")
    return value


def parse_rule(raw: Any, where: tuple[str | int, ...] = ("applies_when",)) -> Rule:
    """A Rule from the YAML value of ``applies_when``; _Invalid naming the bad part."""
    if not isinstance(raw, dict):
        raise _Invalid(
            where,
            f"expected a mapping of case field to value, such as {{cancer: true}}; "
            f"found {_type_word(raw)}",
        )
    conditions = []
    for name, accepted in raw.items():
        if not isinstance(name, str) or name not in RULE_FIELDS:
            raise _Invalid(
                where,
                f"unknown case field '{name}'. Fields a rule can use: {', '.join(RULE_FIELDS)}",
            )
        spec = model.spec("case", name)
        values = accepted if isinstance(accepted, list) else [accepted]
        if not values:
            raise _Invalid((*where, name), "an empty list matches no case")
        parsed = []
        for value in values:
            try:
                parsed.append(_rule_value(spec, value))
            except model.InvalidValue as exc:
                raise _Invalid((*where, name), str(exc)) from None
        conditions.append((name, tuple(dict.fromkeys(parsed))))
    return Rule(tuple(conditions))


# ---------------------------------------------------------------------------------------------
# What the content holds


@dataclass(frozen=True)
class TemplateItem:
    """One step of a checklist template."""

    id: str
    text: str
    phase: str
    template: str
    applies_when: Rule | None = None
    details: str = ""

    @property
    def key(self) -> str:
        """The ``template_id`` a case item made from this step carries."""
        return f"{self.template}/{self.id}"

    def case_values(self, order: float) -> dict[str, Any]:
        """The values of a case's checklist item made from this step."""
        return {"text": self.text, "phase": self.phase, "template_id": self.key, "order": order}


@dataclass(frozen=True)
class ChecklistTemplate:
    """A checklist: a versioned list of steps, each in one phase of the process."""

    id: str
    title: str
    version: int
    items: tuple[TemplateItem, ...]
    path: Path
    applies_when: Rule | None = None
    description: str = ""


@dataclass(frozen=True)
class BankQuestion:
    """A question a person may want to ask a doctor, with why it is worth asking."""

    id: str
    text: str
    category: str
    priority: str
    why: str
    bank: str
    applies_when: Rule | None = None

    @property
    def key(self) -> str:
        """The ``bank_id`` a case question made from this one carries."""
        return f"{self.bank}/{self.id}"

    def case_values(self, order: float) -> dict[str, Any]:
        """The values of a case's question made from this one."""
        return {
            "text": self.text,
            "category": self.category,
            "priority": self.priority,
            "why": self.why,
            "bank_id": self.key,
            "order": order,
        }


@dataclass(frozen=True)
class QuestionBank:
    """A versioned set of questions (the questions themselves are in ``Content.questions``)."""

    id: str
    title: str
    version: int
    path: Path
    applies_when: Rule | None = None


@dataclass(frozen=True)
class RecordKind:
    """A kind of medical record: what to ask for, who usually has it, how long they may take."""

    id: str
    label: str
    what_to_request: str
    usually_held_by: str
    response_days: int
    details: str = ""


@dataclass(frozen=True)
class Guide:
    """A guide in Markdown; ``title`` is its first ``# `` heading.

    ``bundled`` is False for a guide from the user's own content folder: its title and text
    are user text (shown through ``ui/text.py``, never as markup).
    """

    id: str
    title: str
    text: str
    path: Path
    bundled: bool = True


@dataclass
class Content:
    """All loaded content, in load order (bundled first), and the problems found loading it."""

    checklists: list[ChecklistTemplate] = field(default_factory=list)
    questions: list[BankQuestion] = field(default_factory=list)
    banks: list[QuestionBank] = field(default_factory=list)
    record_kinds: list[RecordKind] = field(default_factory=list)
    guides: list[Guide] = field(default_factory=list)
    problems: list[ContentProblem] = field(default_factory=list)

    def checklist(self, template_id: str) -> ChecklistTemplate | None:
        return next((t for t in self.checklists if t.id == template_id), None)

    def record_kind(self, kind_id: str) -> RecordKind | None:
        return next((k for k in self.record_kinds if k.id == kind_id), None)

    def guide(self, guide_id: str) -> Guide | None:
        return next((g for g in self.guides if g.id == guide_id), None)

    def applicable_items(self, case_values: Mapping[str, Any]) -> list[TemplateItem]:
        """The checklist steps for a case with these field values.

        Ordered by phase, then template (load order), then position in the template.
        """
        found = []
        for t_index, template in enumerate(self.checklists):
            if template.applies_when and not template.applies_when.matches(case_values):
                continue
            for i_index, item in enumerate(template.items):
                if item.applies_when is None or item.applies_when.matches(case_values):
                    found.append((PHASE_INDEX[item.phase], t_index, i_index, item))
        found.sort(key=lambda row: row[:3])
        return [row[3] for row in found]

    def applicable_questions(self, case_values: Mapping[str, Any]) -> list[BankQuestion]:
        """The questions for a case with these field values, in bank order."""
        banks = {b.id: b for b in self.banks}
        out = []
        for question in self.questions:
            bank = banks.get(question.bank)
            if bank is not None and bank.applies_when and not bank.applies_when.matches(
                case_values
            ):
                continue
            if question.applies_when is None or question.applies_when.matches(case_values):
                out.append(question)
        return out

    def starter_writes(self, case_values: Mapping[str, Any]) -> list[Write]:
        """Writes that give a new case its checklist and questions (new ids; nothing saved).

        Pass them to ``CaseRepository.create(values, extra=...)``.
        """
        writes = []
        for n, item in enumerate(self.applicable_items(case_values), start=1):
            writes.append(Write("checklist", new_id(), item.case_values(float(n))))
        for n, question in enumerate(self.applicable_questions(case_values), start=1):
            writes.append(Write("questions", new_id(), question.case_values(float(n))))
        return writes

    def template_fields(self) -> dict[str, Any]:
        """``checklist_template`` and ``checklist_version`` for a case started from this content.

        ``checklist_template`` lists the ids of every loaded template (comma separated, in load
        order); ``checklist_version`` is the version of the primary (bundled ``general``) one.
        Empty when no checklist loaded.
        """
        if not self.checklists:
            return {}
        primary = self.checklist(PRIMARY_TEMPLATE) or self.checklists[0]
        return {
            "checklist_template": ",".join(t.id for t in self.checklists),
            "checklist_version": primary.version,
        }


    def missing_items(self, state: CaseState) -> list[Write]:
        """Writes that bring an open case up to this content; [] when it is up to date.

        Pure: reads ``state`` (the case as last merged, ``OpenCase.state``) and saves nothing;
        pass the writes to ``CaseRepository.apply`` (``missing_summary`` words the log line).

        Offered are the checklist steps and bank questions that apply to the case as it is
        now (its cancer, surgery, insurance... fields) and that it has never held: an item
        counts as held when any document of the case, deleted ones included, carries its
        ``template_id`` / ``bank_id``. So a step the user deleted is never offered again, and
        a step the user edited (its text, notes, done) is never touched: existing documents
        are not written at all. New steps are placed after the step that precedes them in the
        template (by ``order``), new questions likewise. The ids of new documents are derived
        from the case id and the key, so two devices offering the same step add one document.

        When the case's record of its content is behind, the last write brings its
        ``checklist_template`` (the template ids it has met, in order) and
        ``checklist_version`` up to date (a version is never lowered).
        """
        case = state.case()
        values = dict(case.info.values)
        writes = [
            *self._missing(state, case, "checklist", "template_id", self.applicable_items(values)),
            *self._missing(state, case, "questions", "bank_id", self.applicable_questions(values)),
        ]
        fields = self.template_fields()
        if fields:
            had = [t for t in str(case.info.checklist_template or "").split(",") if t.strip()]
            merged = had + [t for t in fields["checklist_template"].split(",") if t not in had]
            update: dict[str, Any] = {}
            if merged != had:
                update["checklist_template"] = ",".join(merged)
            version = case.info.checklist_version
            if not isinstance(version, int) or version < fields["checklist_version"]:
                update["checklist_version"] = fields["checklist_version"]
            if update:
                writes.append(
                    state.prepare("case", case.id, update, summary="Content version recorded")
                )
        return writes

    @staticmethod
    def _missing(
        state: CaseState,
        case: model.Case,
        table: str,
        key_field: str,
        wanted: Sequence[TemplateItem] | Sequence[BankQuestion],
    ) -> list[Write]:
        """Writes adding the ``wanted`` entries whose key no document of ``table`` ever held."""
        ever: set[str] = set()
        for doc in state.tables.get(table, {}).values():
            for entry in doc.get(key_field, ()):
                if isinstance(entry.get("v"), str):
                    ever.add(entry["v"])
        live = case.table(table)
        live_order = {}
        for item in live:
            key = item.values.get(key_field)
            if isinstance(key, str) and key not in live_order:
                live_order[key] = _order_of(item)
        orders = sorted(_order_of(item) for item in live)
        anchor: float | None = None
        writes = []
        for entry in wanted:
            if entry.key in live_order:
                anchor = live_order[entry.key]
                continue
            if entry.key in ever:
                continue  # deleted by the user, or held under a conflict: never re-added
            order = _order_between(orders, anchor)
            bisect.insort(orders, order)
            anchor = order
            what = "checklist step" if table == "checklist" else "question"
            doc_id = str(uuid.uuid5(ADDED_ITEM_NAMESPACE, f"{case.id}/{table}/{entry.key}"))
            writes.append(
                Write(table, doc_id, entry.case_values(order), summary=f"New {what}: {entry.text}")
            )
        return writes


def _order_of(item: model.Item) -> float:
    value = item.values.get("order")
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else 0.0


def _order_between(orders: Sequence[float], after: float | None) -> float:
    """An order value just after ``after`` (or before everything when None), below the next."""
    if after is None:
        return orders[0] - 1.0 if orders else 1.0
    higher = [o for o in orders if o > after]
    if not higher:
        return after + 1.0
    return (after + min(higher)) / 2.0


def missing_summary(writes: Sequence[Write]) -> str:
    """One line for the case log about writes from ``Content.missing_items``."""
    steps = sum(1 for w in writes if w.table == "checklist")
    questions = sum(1 for w in writes if w.table == "questions")
    parts = []
    if steps:
        parts.append(f"{steps} checklist step{'s' if steps != 1 else ''}")
    if questions:
        parts.append(f"{questions} question{'s' if questions != 1 else ''}")
    if not parts:
        return "Recorded the content version"
    return f"Added {' and '.join(parts)} from the updated content"


# ---------------------------------------------------------------------------------------------
# Validation helpers


def _type_word(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "yes/no"
    return {
        dict: "a mapping",
        list: "a list",
        str: "text",
        int: "a number",
        float: "a number",
    }.get(type(value), type(value).__name__)


def _strip_name(message: str, name: str) -> str:
    prefix = f"{name}: "
    return message[len(prefix):] if message.startswith(prefix) else message


def _check_keys(data: dict, allowed: Iterable[str], where: tuple[str | int, ...]) -> None:
    allowed = tuple(allowed)
    for key in data:
        if not isinstance(key, str) or key not in allowed:
            raise _Invalid(
                (*where, str(key)), f"unknown field '{key}'. Valid fields: {', '.join(allowed)}"
            )


def _text(data: dict, name: str, where: tuple[str | int, ...], required: bool = True) -> str:
    value = data.get(name)
    if value is None:
        if required:
            raise _Invalid((*where, name), "missing; it must be filled in")
        return ""
    if not isinstance(value, str):
        raise _Invalid((*where, name), f"expected text, found {_type_word(value)}")
    value = value.strip()
    if required and not value:
        raise _Invalid((*where, name), "cannot be empty")
    if len(value) > MAX_TEXT:
        raise _Invalid((*where, name), f"longer than {MAX_TEXT:,} characters")
    return value


def _ident(data: dict, where: tuple[str | int, ...]) -> str:
    value = data.get("id")
    if value is None:
        raise _Invalid((*where, "id"), "missing; every entry needs a stable id")
    if not isinstance(value, str) or not ID_PATTERN.match(value):
        raise _Invalid(
            (*where, "id"),
            f"'{value}' is not a valid id: use lower-case letters, digits, '-' and '_' "
            f"(at most 64, starting with a letter or digit)",
        )
    return value


def _choice(
    data: dict,
    name: str,
    table: str,
    where: tuple[str | int, ...],
    default: str | None = None,
) -> str:
    value = data.get(name)
    spec = model.spec(table, name)
    if value is None:
        if default is not None:
            return default
        raise _Invalid((*where, name), f"missing; use one of: {', '.join(spec.choices)}")
    if not isinstance(value, str):
        raise _Invalid(
            (*where, name), f"'{value}' is not one of: {', '.join(spec.choices)}"
        )
    try:
        parsed = spec.parse(value)
    except model.InvalidValue as exc:
        raise _Invalid((*where, name), _strip_name(str(exc), name)) from None
    if parsed not in spec.choices:
        raise _Invalid((*where, name), f"cannot be empty; use one of: {', '.join(spec.choices)}")
    return parsed


def _whole(data: dict, name: str, where: tuple[str | int, ...], least: int) -> int:
    value = data.get(name)
    if value is None:
        raise _Invalid((*where, name), f"missing; a whole number of at least {least}")
    if isinstance(value, bool) or not isinstance(value, int) or value < least:
        raise _Invalid((*where, name), f"'{value}' is not a whole number of at least {least}")
    return value


def _rule(data: dict, where: tuple[str | int, ...]) -> Rule | None:
    if "applies_when" not in data:
        return None
    return parse_rule(data["applies_when"], (*where, "applies_when"))


def _entries(data: dict, name: str, what: str) -> list:
    value = data.get(name)
    if not isinstance(value, list):
        raise _Invalid((name,), f"expected a list of {what}, found {_type_word(value)}")
    return value


# ---------------------------------------------------------------------------------------------
# Loading


_TEMPLATE_KEYS = ("id", "title", "version", "description", "applies_when", "items")
_ITEM_KEYS = ("id", "phase", "text", "details", "applies_when")
_BANK_KEYS = ("id", "title", "version", "description", "applies_when", "questions")
_QUESTION_KEYS = ("id", "category", "priority", "text", "why", "applies_when")
_RECORDS_KEYS = ("version", "kinds")
_KIND_KEYS = ("id", "label", "what_to_request", "usually_held_by", "response_days", "details")


class _Loader:
    """Reads content folders into one Content, collecting problems instead of raising."""

    def __init__(self) -> None:
        self.content = Content()
        self.template_files: dict[str, str] = {}
        self.bank_files: dict[str, str] = {}
        self.guide_files: dict[str, str] = {}

    # -- files ---------------------------------------------------------------------------------

    def problem(
        self, path: Path, shown: str, text: str | None, where: Sequence[str | int], problem: str
    ) -> None:
        line = _line_of(text, where) if text is not None else None
        self.content.problems.append(
            ContentProblem(path, line, _field_path(where), problem, shown)
        )

    def read(self, path: Path, shown: str) -> tuple[str, Any] | None:
        """(text, parsed YAML) of a file, or None after recording why it cannot be used."""
        import yaml  # deferred: importing this module stays cheap for the app's first frame

        try:
            size = path.stat().st_size
            if size > MAX_FILE_BYTES:
                self.problem(path, shown, None, (), f"larger than {MAX_FILE_BYTES:,} bytes")
                return None
            text = path.read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            self.problem(path, shown, None, (), "not UTF-8 text; save it as UTF-8")
            return None
        except OSError as exc:
            self.problem(path, shown, None, (), f"cannot be read ({exc.strerror or exc})")
            return None
        try:
            data = safe_load(text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
            line = mark.line + 1 if mark is not None else None
            what = getattr(exc, "problem", None) or str(exc).splitlines()[0]
            context = getattr(exc, "context", None)
            reason = f"not valid YAML: {what}" + (f" ({context})" if context else "")
            self.content.problems.append(ContentProblem(path, line, "", reason, shown))
            return None
        return text, data

    @staticmethod
    def files(folder: Path, suffixes: tuple[str, ...]) -> list[Path]:
        try:
            return sorted(
                p for p in folder.iterdir()
                if p.suffix in suffixes and not p.name.startswith(".") and p.is_file()
            )
        except OSError:
            return []

    def load_dir(self, root: Path, shown_root: str, bundled: bool) -> None:
        for path in self.files(root / "checklists", (".yaml", ".yml")):
            self.load_template(path, f"{shown_root}/checklists/{path.name}")
        for path in self.files(root / "questions", (".yaml", ".yml")):
            self.load_bank(path, f"{shown_root}/questions/{path.name}")
        if bundled:
            records = root / "records.yaml"
            if records.is_file():
                self.load_records(records, f"{shown_root}/records.yaml")
        for path in self.files(root / "guides", (".md",)):
            self.load_guide(path, f"{shown_root}/guides/{path.name}", bundled)

    # -- kinds of file -------------------------------------------------------------------------

    def top(self, path: Path, shown: str, what: str) -> tuple[str, dict] | None:
        read = self.read(path, shown)
        if read is None:
            return None
        text, data = read
        if not isinstance(data, dict):
            found = "an empty file" if data is None else _type_word(data)
            self.problem(path, shown, text, (), f"expected {what}, found {found}")
            return None
        return text, data

    def load_template(self, path: Path, shown: str) -> None:
        top = self.top(path, shown, "a checklist: a mapping with id, title, version and items")
        if top is None:
            return
        text, data = top
        try:
            _check_keys(data, _TEMPLATE_KEYS, ())
            template_id = _ident(data, ())
            if template_id in self.template_files:
                raise _Invalid(
                    ("id",),
                    f"'{template_id}' is already the id of the checklist in "
                    f"{self.template_files[template_id]}; give this one its own id",
                )
            title = _text(data, "title", ())
            version = _whole(data, "version", (), 1)
            description = _text(data, "description", (), required=False)
            rule = _rule(data, ())
            raw_items = _entries(data, "items", "checklist items")
        except _Invalid as exc:
            self.problem(path, shown, text, exc.where, exc.problem)
            return
        items: list[TemplateItem] = []
        seen: set[str] = set()
        for index, raw in enumerate(raw_items):
            where = ("items", index)
            try:
                if not isinstance(raw, dict):
                    raise _Invalid(
                        where,
                        f"expected a mapping with id, phase and text, found {_type_word(raw)}",
                    )
                _check_keys(raw, _ITEM_KEYS, where)
                item_id = _ident(raw, where)
                if item_id in seen:
                    raise _Invalid((*where, "id"), f"'{item_id}' is used twice in this checklist")
                item = TemplateItem(
                    id=item_id,
                    text=_text(raw, "text", where),
                    phase=_choice(raw, "phase", "checklist", where),
                    template=template_id,
                    applies_when=_rule(raw, where),
                    details=_text(raw, "details", where, required=False),
                )
            except _Invalid as exc:
                self.problem(path, shown, text, exc.where, exc.problem)
                continue
            seen.add(item_id)
            items.append(item)
        self.template_files[template_id] = shown
        self.content.checklists.append(
            ChecklistTemplate(template_id, title, version, tuple(items), path, rule, description)
        )

    def load_bank(self, path: Path, shown: str) -> None:
        top = self.top(
            path, shown, "a question bank: a mapping with id, title, version and questions"
        )
        if top is None:
            return
        text, data = top
        try:
            _check_keys(data, _BANK_KEYS, ())
            bank_id = _ident(data, ())
            if bank_id in self.bank_files:
                raise _Invalid(
                    ("id",),
                    f"'{bank_id}' is already the id of the question bank in "
                    f"{self.bank_files[bank_id]}; give this one its own id",
                )
            title = _text(data, "title", ())
            version = _whole(data, "version", (), 1)
            _text(data, "description", (), required=False)
            rule = _rule(data, ())
            raw_questions = _entries(data, "questions", "questions")
        except _Invalid as exc:
            self.problem(path, shown, text, exc.where, exc.problem)
            return
        seen: set[str] = set()
        for index, raw in enumerate(raw_questions):
            where = ("questions", index)
            try:
                if not isinstance(raw, dict):
                    raise _Invalid(
                        where,
                        f"expected a mapping with id, category and text, found {_type_word(raw)}",
                    )
                _check_keys(raw, _QUESTION_KEYS, where)
                question_id = _ident(raw, where)
                if question_id in seen:
                    raise _Invalid(
                        (*where, "id"), f"'{question_id}' is used twice in this question bank"
                    )
                question = BankQuestion(
                    id=question_id,
                    text=_text(raw, "text", where),
                    category=_choice(raw, "category", "questions", where),
                    priority=_choice(raw, "priority", "questions", where, default="normal"),
                    why=_text(raw, "why", where, required=False),
                    bank=bank_id,
                    applies_when=_rule(raw, where),
                )
            except _Invalid as exc:
                self.problem(path, shown, text, exc.where, exc.problem)
                continue
            seen.add(question_id)
            self.content.questions.append(question)
        self.bank_files[bank_id] = shown
        self.content.banks.append(QuestionBank(bank_id, title, version, path, rule))

    def load_records(self, path: Path, shown: str) -> None:
        top = self.top(path, shown, "a mapping with version and kinds")
        if top is None:
            return
        text, data = top
        try:
            _check_keys(data, _RECORDS_KEYS, ())
            _whole(data, "version", (), 1)
            raw_kinds = _entries(data, "kinds", "record kinds")
        except _Invalid as exc:
            self.problem(path, shown, text, exc.where, exc.problem)
            return
        seen: set[str] = set()
        for index, raw in enumerate(raw_kinds):
            where = ("kinds", index)
            try:
                if not isinstance(raw, dict):
                    raise _Invalid(
                        where, f"expected a mapping with id and label, found {_type_word(raw)}"
                    )
                _check_keys(raw, _KIND_KEYS, where)
                kind_id = raw.get("id")
                if kind_id not in model.RECORD_KINDS:
                    raise _Invalid(
                        (*where, "id"),
                        f"'{kind_id}' is not one of: {', '.join(model.RECORD_KINDS)}",
                    )
                if kind_id in seen:
                    raise _Invalid((*where, "id"), f"'{kind_id}' is described twice")
                kind = RecordKind(
                    id=kind_id,
                    label=_text(raw, "label", where),
                    what_to_request=_text(raw, "what_to_request", where),
                    usually_held_by=_text(raw, "usually_held_by", where),
                    response_days=_whole(raw, "response_days", where, 0),
                    details=_text(raw, "details", where, required=False),
                )
            except _Invalid as exc:
                self.problem(path, shown, text, exc.where, exc.problem)
                continue
            seen.add(kind_id)
            self.content.record_kinds.append(kind)

    def load_guide(self, path: Path, shown: str, bundled: bool = True) -> None:
        try:
            if path.stat().st_size > MAX_FILE_BYTES:
                self.problem(path, shown, None, (), f"larger than {MAX_FILE_BYTES:,} bytes")
                return
            text = path.read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            self.problem(path, shown, None, (), "not UTF-8 text; save it as UTF-8")
            return
        except OSError as exc:
            self.problem(path, shown, None, (), f"cannot be read ({exc.strerror or exc})")
            return
        title = next(
            (line[2:].strip() for line in text.splitlines() if line.startswith("# ")), ""
        )
        if not title:
            self.content.problems.append(
                ContentProblem(path, 1, "", "a guide starts with a '# Title' line", shown)
            )
            return
        guide_id = GUIDE_ORDER_PREFIX.sub("", path.stem, count=1) or path.stem
        if guide_id in self.guide_files:
            self.content.problems.append(
                ContentProblem(
                    path, None, "",
                    f"'{guide_id}' is already the name of the guide in "
                    f"{self.guide_files[guide_id]}; rename this file",
                    shown,
                )
            )
            return
        self.guide_files[guide_id] = shown
        self.content.guides.append(Guide(guide_id, title, text, path, bundled))


def bundled_content_dir() -> Path | None:
    """The content folder shipped with the app: the source checkout's, else the installed one."""
    return bundled_dir("content")


def load_content(extra_dirs: Sequence[Path] = ()) -> Content:
    """Load the bundled content, then each folder of ``extra_dirs`` that exists.

    Reads files only. Never raises for a bad file: problems are in ``Content.problems``.
    """
    loader = _Loader()
    bundled = bundled_content_dir()
    if bundled is None:
        loader.content.problems.append(
            ContentProblem(
                Path("content"), None, "",
                "the app's own content folder is missing; reinstall secondview", "content",
            )
        )
    else:
        loader.load_dir(bundled, "content", bundled=True)
    for folder in extra_dirs:
        folder = Path(folder)
        if folder.is_dir():
            loader.load_dir(folder, str(folder), bundled=False)
    return loader.content
