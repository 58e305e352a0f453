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
        since: 2                # the bank version that first released it; 1 when left out

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

Under ``any_of``, one matching field is enough (an OR across fields)::

    applies_when: {any_of: {referral_needed: unknown, preauth_needed: unknown}}

The fields a rule may name are the yes/no and choice fields of a case (``RULE_FIELDS``). A case
that leaves a field unset counts as holding that field's default (no, routine, unknown).

In a case, an item made from a template remembers where it came from: ``template_id`` is
``<template id>/<item id>`` and ``bank_id`` is ``<bank id>/<question id>``. Ids are therefore
unique within one template or bank, and template and bank ids are unique across all loaded
content. That lets a later version of the content offer a case the items it does not have yet
(``Content.missing_items``): only items the case never had, so a step the user deleted stays
deleted and a step the user edited is left as it is.

This module holds the whole content and the rules that use it; its parts (templates, banks,
kinds, guides, problems) are ``core.content_items``'s. Reading it is
done elsewhere: ``store.content_files.load_content`` reads the files it is asked for and
``core.content_parser`` validates their text (with PyYAML's safe loader); neither raises for a
bad file: every problem is collected in ``Content.problems`` with the file, line and field,
and everything else still loads.
"""

from __future__ import annotations

import bisect
import re
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from . import model, starter_questions
from .content_items import (
    BankQuestion,
    ChecklistTemplate,
    ContentProblem,
    Guide,
    QuestionBank,
    RecordKind,
    TemplateItem,
)
from .content_rules import RULE_FIELDS, Rule, stored
from .ids import new_id
from .replica import CaseState, Write

PRIMARY_TEMPLATE = "general"
"""The bundled checklist whose version a new case records as ``checklist_version``."""

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")

GUIDE_ORDER_PREFIX = re.compile(r"^\d+[-_.]")
"""A leading number in a guide's file name sets its place in the list; it is not in the id."""

ADDED_ITEM_NAMESPACE = uuid.UUID("6f1c2a52-4e0b-4f53-9a7e-2d8c1b5e7a10")
"""Ids of items ``missing_items`` adds are uuid5(this, case id, table, key): two devices that
add the same new step to the same case write the same document, not two copies."""


PHASE_INDEX = {name: i for i, name in enumerate(model.PHASES)}


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
        """Writes that give a new case its checklist and its short list of starter questions
        (``core.starter_questions.choose``; new ids; nothing saved).

        Pass them to ``CaseRepository.create(values, extra=...)``, with ``template_fields``
        in the values.
        """
        writes = []
        for n, item in enumerate(self.applicable_items(case_values), start=1):
            writes.append(Write("checklist", new_id(), item.case_values(float(n))))
        chosen = starter_questions.choose(self.applicable_questions(case_values))
        for n, question in enumerate(chosen, start=1):
            writes.append(Write("questions", new_id(), question.case_values(float(n))))
        return writes

    def template_fields(self) -> dict[str, Any]:
        """``checklist_template``, ``checklist_version`` and ``question_banks`` for a case
        started from this content.

        ``checklist_template`` lists the ids of every loaded template (comma separated, in load
        order); ``checklist_version`` is the version of the primary (bundled ``general``) one;
        ``question_banks`` the version of each bank (``core.starter_questions.met_record``).
        Each is left out when no checklist, or no bank, loaded.
        """
        fields: dict[str, Any] = {}
        if self.banks:
            fields[starter_questions.MET_FIELD] = starter_questions.met_record(self.banks)
        if not self.checklists:
            return fields
        primary = self.checklist(PRIMARY_TEMPLATE) or self.checklists[0]
        return {
            "checklist_template": ",".join(t.id for t in self.checklists),
            "checklist_version": primary.version,
            **fields,
        }


    def missing_items(self, state: CaseState) -> list[Write]:
        """Writes that bring an open case up to this content; [] when it is up to date.

        Pure: reads ``state`` (the case as last merged, ``OpenCase.state``) and saves nothing;
        pass the writes to ``CaseRepository.apply`` (``missing_summary`` words the log line).

        Offered are the checklist steps and bank questions that apply to the case as it is
        now (its cancer, surgery, insurance... fields) and that it has never held (of the
        questions, only those it did not meet when it started: ``starter_questions.not_met``;
        the others wait in the bank picker): an item
        counts as held when any document of the case, deleted ones included, carries its
        ``template_id`` / ``bank_id``. So a step the user deleted is never offered again, and
        a step the user edited (its text, notes, done) is never touched: existing documents
        are not written at all. New steps are placed after the step that precedes them in the
        template (by ``order``), new questions likewise. The ids of new documents are derived
        from the case id and the key, so two devices offering the same step add one document.

        When the case's record of its content is behind, the last write brings its
        ``checklist_template`` (the template ids it has met, in order) and
        ``checklist_version`` up to date, and, when questions are offered, its
        ``question_banks`` (a version is never lowered).
        """
        case = state.case()
        values = dict(case.info.values)
        questions = self._missing(state, case, "questions", "bank_id",
                                  starter_questions.not_met(self.applicable_questions(values),
                                                            values))
        writes = [
            *self._missing(state, case, "checklist", "template_id", self.applicable_items(values)),
            *questions,
        ]
        fields = self.template_fields()
        update: dict[str, Any] = {}
        if self.checklists:
            had = [t for t in str(case.info.checklist_template or "").split(",") if t.strip()]
            merged = had + [t for t in fields["checklist_template"].split(",") if t not in had]
            if merged != had:
                update["checklist_template"] = ",".join(merged)
            version = case.info.checklist_version
            if not isinstance(version, int) or version < fields["checklist_version"]:
                update["checklist_version"] = fields["checklist_version"]
        if questions:  # the banks they came from are met now (a version is never lowered)
            met = starter_questions.banks_met(values)
            for bank in self.banks:
                met[bank.id] = max(met.get(bank.id, 0), bank.version)
            update[starter_questions.MET_FIELD] = ",".join(f"{b}:{v}" for b, v in met.items())
        if update:
            writes.append(state.prepare("case", case.id, update,
                                        summary="Content version recorded"))
        return writes

    def answer_steps(self, state: CaseState, values: Mapping[str, Any],
                     changed: set[str]) -> list[Write]:
        """Writes that bring a case's checklist up to new answers: the steps whose rule reads
        a field in ``changed`` and that the case with ``values`` (its fields after the change)
        calls for, when it never held them; and, for the case's steps made before steps kept
        their rule, that rule (so ``core.content_rules`` can tell whether they apply). Pure:
        saves nothing; ``store.editing`` saves them with the answers, in one write.

        Like ``missing_items``, a step the person deleted is never added again. Steps the new
        answers no longer call for are not written: they are kept, and are "not needed".
        """
        case = state.case()
        wanted = self.applicable_items(values)
        called = {i.key for i in wanted if i.rule is not None and i.rule.fields() & changed}
        writes = self._missing(state, case, "checklist", "template_id", wanted, called)
        rules = {i.key: i.rule for t in self.checklists for i in t.items if i.rule is not None}
        for item in case.checklist:
            key = item.values.get("template_id")
            rule = rules.get(key) if isinstance(key, str) else None
            if rule is not None and not item.values.get("applies_when"):
                writes.append(state.prepare("checklist", item.id,
                                            {"applies_when": stored(rule)}))
        return writes

    @staticmethod
    def _missing(
        state: CaseState,
        case: model.Case,
        table: str,
        key_field: str,
        wanted: Sequence[TemplateItem] | Sequence[BankQuestion],
        only: set[str] | None = None,
    ) -> list[Write]:
        """Writes adding the ``wanted`` entries whose key no document of ``table`` ever held
        (of them, only those keyed in ``only`` when it is given)."""
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
        for want in wanted:
            if want.key in live_order:
                anchor = live_order[want.key]
                continue
            if want.key in ever:
                continue  # deleted by the user, or held under a conflict: never re-added
            if only is not None and want.key not in only:
                continue
            order = _order_between(orders, anchor)
            bisect.insort(orders, order)
            anchor = order
            what = "checklist step" if table == "checklist" else "question"
            doc_id = str(uuid.uuid5(ADDED_ITEM_NAMESPACE, f"{case.id}/{table}/{want.key}"))
            writes.append(
                Write(table, doc_id, want.case_values(order), summary=f"New {what}: {want.text}")
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


__all__ = ["RULE_FIELDS", "Rule"]  # their home is core.content_rules
