"""Which bank questions a new case starts with, and which ones it met when it started.

A new case starts with a short list (``STARTER_SIZE``), not the whole bank: a person new to
all this reads ten questions, not sixty. ``choose`` picks them from the questions that apply
to the case: the highest priority first; at the same priority, the questions that apply
because of the person's own answers (cancer, surgery, a rare condition...) before the
general ones; then one of each category before a second of any, so a short list still
covers the ground; then bank order. The chosen ones are listed most important first.

The rest of the bank stays one key away (the questions pane's bank picker: ``choices``).
So that the questions not chosen are not offered later as "new content", a case records the
version of each bank it started from (the case field ``question_banks``, such as
``core:2,family-questions:1``: ``met_record``). A bank question counts as met when its bank
is recorded at a version at least the one that first released the question (its ``since``);
``not_met`` keeps only the others: those of a newer bank version, or of a bank the case
never met. A case made before the record existed met nothing, and is offered what it lacks
as before.

Pure functions of data shaped like ``core.content``'s ``BankQuestion`` and ``QuestionBank``
(the ``Question`` and ``Bank`` protocols: ``core.content`` calls this module, so it does
not import that one). No I/O.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Protocol, TypeVar

from . import model

STARTER_SIZE = 10
"""How many bank questions a new case starts with (fewer when fewer apply)."""

MET_FIELD = "question_banks"
"""The case field that records the bank versions a case started from."""

PRIORITY_RANK = {name: rank for rank, name in enumerate(model.PRIORITIES)}
"""high 0, normal 1, low 2: the lower, the sooner."""


class Question(Protocol):
    """What this module reads of a bank question."""

    @property
    def id(self) -> str: ...
    @property
    def bank(self) -> str: ...
    @property
    def category(self) -> str: ...
    @property
    def priority(self) -> str: ...
    @property
    def since(self) -> int: ...
    @property
    def applies_when(self) -> object | None: ...
    @property
    def key(self) -> str: ...


class Bank(Protocol):
    """What this module reads of a question bank."""

    @property
    def id(self) -> str: ...
    @property
    def version(self) -> int: ...


Q = TypeVar("Q", bound=Question)


def _rank(question: Question) -> int:
    return PRIORITY_RANK.get(question.priority, len(PRIORITY_RANK))


def choose(applicable: Sequence[Q], size: int = STARTER_SIZE) -> list[Q]:
    """The starter questions among ``applicable`` (the questions that apply to the case, in
    bank order): at most ``size``, most important first (see the module docstring)."""
    seen_in_category: dict[tuple[int, bool, str], int] = {}
    keyed = []
    for index, question in enumerate(applicable):
        tier = (_rank(question), question.applies_when is None)
        nth = seen_in_category.get((*tier, question.category), 0)
        seen_in_category[(*tier, question.category)] = nth + 1
        keyed.append(((*tier, nth, index), question))
    chosen = sorted(keyed, key=lambda pair: pair[0])[:size]
    # Shown most important first, then in bank order (diagnosis before costs).
    chosen.sort(key=lambda pair: (pair[0][0], pair[0][3]))
    return [question for _, question in chosen]


def met_record(banks: Iterable[Bank]) -> str:
    """The ``question_banks`` value of a case started from these banks: ``core:2,...``."""
    return ",".join(f"{bank.id}:{bank.version}" for bank in banks)


def banks_met(case_values: Mapping[str, Any]) -> dict[str, int]:
    """The bank versions a case records having started from ({} when it records none).
    A part that is not ``<bank id>:<version>`` is passed over: another device or an older
    app may have written it."""
    raw = case_values.get(MET_FIELD)
    met: dict[str, int] = {}
    if not isinstance(raw, str):
        return met
    for part in raw.split(","):
        bank, _, version = part.strip().partition(":")
        if bank and version.isdigit():
            met[bank] = max(met.get(bank, 0), int(version))
    return met


def was_met(question: Question, met: Mapping[str, int]) -> bool:
    """Whether a case that recorded ``met`` (``banks_met``) met this question at its start."""
    version = met.get(question.bank)
    return version is not None and question.since <= version


def not_met(questions: Sequence[Q], case_values: Mapping[str, Any]) -> list[Q]:
    """The ``questions`` the case did not meet when it started: what may be offered to it as
    new content. The ones it met, chosen or not, stay in the bank picker only."""
    met = banks_met(case_values)
    return [q for q in questions if not was_met(q, met)]


def choices(every: Sequence[Q], applicable: Sequence[Q], held: Iterable[str]
            ) -> list[tuple[Q, bool]]:
    """The bank picker's list: each question of ``every`` whose key is not in ``held`` (the
    ``bank_id`` of the case's questions), with whether it applies to the case. The ones
    that apply come first, most important first; then the rest in bank order."""
    held_keys = set(held)
    suits = {q.key for q in applicable}
    fit = [q for q in every if q.key not in held_keys and q.key in suits]
    rest = [q for q in every if q.key not in held_keys and q.key not in suits]
    fit = [q for _, q in sorted(enumerate(fit), key=lambda p: (_rank(p[1]), p[0]))]
    return [(q, True) for q in fit] + [(q, False) for q in rest]
