"""The searchable text of a case: every piece a person may look for, with where it lives.

One function, ``searchable``, that the full-text index (``store.search_index``), the command
line and the tests share: it yields ``Searchable`` pieces (the pane that shows the text, the
row to highlight there, the words a hit shows for where it matched, and the text itself) for
the case's own fields, its doctors, records, transfers, questions, answers, opinions,
checklist, visits, decision and options, and the text of notes an import kept in the case
(read by the store and passed in: this module reads no file).

Every text is bounded (``MAX_TEXT``, ``MAX_WHERE``) and so is the number of pieces of one
case (``MAX_PIECES``): a case written by a stranger cannot make the index huge.

Pure: no I/O, no clock.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from itertools import islice
from typing import Any, NamedTuple

from . import care_team
from .model import Case, Item

PANE_ORDER = ("overview", "checklist", "records", "questions", "opinions", "compare",
              "decision", "doctors", "visits")
"""The workspace's panes in their order (the keys 1 to 9): hits of one case list in this
order. (The UI names the same panes; a test holds the two equal.)"""

MAX_TEXT = 20_000
"""Characters of one field that are searched: far more than any note a person writes."""
MAX_WHERE = 80
"""Characters of the words saying where a text is (a title inside them is cut)."""
MAX_PIECES = 5_000
"""Pieces of one case at most: a hostile case of a million rows indexes this many."""
NAME_IN_WHERE = 50
"""Characters of an item's name inside ``where``."""


class Searchable(NamedTuple):
    """One searchable text: ``pane`` shows it, ``item_id`` is the row there to highlight
    ("" for none: the pane's own fields), ``where`` says where it is for a person."""

    pane: str
    item_id: str
    where: str
    text: str


@dataclass(frozen=True)
class Hit:
    """Where a search found its text: the case (id, title, archived), the pane and the row
    there (``item_id``, "" for the pane's own fields), the words saying where, and a short
    part of the text around the match."""

    case_id: str
    case_title: str
    archived: bool
    pane: str
    item_id: str
    where: str
    snippet: str


def _text(value: Any) -> str:
    """A stored value as searchable text: strings and numbers only, bounded."""
    kind = type(value)
    if kind is str:
        found: str = value[:MAX_TEXT] if len(value) > MAX_TEXT else value
        return found.strip()
    if kind is int or kind is float:  # never a bool: True is no text
        return str(value)
    return ""


def _name(value: Any) -> str:
    """An item's name as it goes inside ``where``: one line, cut."""
    words = " ".join(_text(value)[:NAME_IN_WHERE * 4].split())
    return words if len(words) <= NAME_IN_WHERE else words[:NAME_IN_WHERE - 1] + "\u2026"


def _where(*parts: str) -> str:
    where = "".join(parts)
    return where if len(where) <= MAX_WHERE else where[:MAX_WHERE - 1] + "\u2026"


def _fields(pane: str, item_id: str, where: str, item: Item, names: tuple[str, ...]
            ) -> Iterator[Searchable]:
    for name in names:
        found = _text(item.values.get(name))
        if found:
            yield Searchable(pane, item_id, where, found)


CASE_FIELDS = ("title", "patient", "condition", "notes", "health_summary")
DOCTOR_FIELDS = ("name", "specialty", "institution", "notes")
RECORD_FIELDS = ("title", "source", "notes")
OPINION_FIELDS = ("doctor", "specialty", "institution", "diagnosis", "stage", "treatment",
                  "alternatives", "risks", "side_effects", "goals", "recovery", "if_waiting",
                  "evidence", "costs", "notes")
VISIT_FIELDS = ("place", "companions", "bring", "notes")
DECISION_FIELDS = ("options", "matters", "leaning", "choice", "reasons")


CASE_LABELS = {"title": "Title", "patient": "Patient", "condition": "Condition",
               "notes": "Case notes", "health_summary": "Health summary"}


def _case_pieces(case: Case) -> Iterator[Searchable]:
    for name, label in CASE_LABELS.items():
        found = _text(case.info.values.get(name))
        if found:
            yield Searchable("overview", "", label, found)
    for item in case.checklist:
        yield from _fields("checklist", item.id, _where("Checklist: ", _name(item.text)), item,
                           ("text", "notes"))


def _record_pieces(case: Case, kept: Mapping[str, str]) -> Iterator[Searchable]:
    records = {r.id: r for r in case.records}
    for record in case.records:
        yield from _fields("records", record.id, _where("Records: ", _name(record.title)),
                           record, RECORD_FIELDS)
    for transfer in case.transfers:
        sent = records.get(str(transfer.record))
        if sent is None:  # its record deleted: the pane does not list it
            continue
        named = care_team.doctor_name(case, transfer)
        recipient = _text(transfer.recipient)
        where = _where("Transfer to ", _name(named or recipient), " (",
                       _name(sent.title), ")")
        for found in dict.fromkeys((recipient, named, _text(transfer.notes))):
            if found and found != care_team.DOCTOR_REMOVED:
                yield Searchable("records", sent.id, where, found)
    for attachment in case.attachments:
        note = kept.get(attachment.id, "")
        holder = records.get(str(attachment.record))
        if note and holder is not None:
            yield Searchable("records", holder.id,
                             _where("Imported note: ", _name(holder.title)), note[:MAX_TEXT])


def _question_pieces(case: Case) -> Iterator[Searchable]:
    asked_as = {q.id: _name(q.text) for q in case.questions}
    for question in case.questions:
        yield from _fields("questions", question.id,
                           _where("Question: ", asked_as[question.id]), question,
                           ("text", "why"))
    doctor_of = {o.id: _name(o.doctor) for o in case.opinions}
    for answer in case.answers:
        text = _text(answer.values.get("text"))
        asked = str(answer.question)
        if not text or asked not in asked_as:
            continue
        doctor = doctor_of.get(str(answer.opinion))
        by = f" ({doctor})" if doctor is not None else ""
        yield Searchable("questions", asked, _where("Answer to: ", asked_as[asked], by), text)
    for opinion in case.opinions:
        yield from _fields("opinions", opinion.id,
                           _where("Opinion of ", doctor_of[opinion.id]), opinion,
                           OPINION_FIELDS)


def _other_pieces(case: Case) -> Iterator[Searchable]:
    if case.decision is not None:
        yield from _fields("decision", "", "Decision", case.decision, DECISION_FIELDS)
    for option in case.options:
        yield from _fields("decision", option.id, _where("Option: ", _name(option.title)),
                           option, ("title", "notes"))
    for doctor in case.doctors:
        yield from _fields("doctors", doctor.id, _where("Doctors: ", _name(doctor.name)),
                           doctor, DOCTOR_FIELDS)
    for visit in case.appointments:
        where = _where("Visit on ", _name(visit.date)) if _text(visit.date) else "Visit"
        yield from _fields("visits", visit.id, where, visit, VISIT_FIELDS)


def _pieces(case: Case, kept: Mapping[str, str]) -> Iterator[Searchable]:
    yield from _case_pieces(case)
    yield from _record_pieces(case, kept)
    yield from _question_pieces(case)
    yield from _other_pieces(case)


def searchable(case: Case, kept: Mapping[str, str] | None = None) -> list[Searchable]:
    """The searchable pieces of ``case`` (deleted items are not in it), in pane order
    (``PANE_ORDER``), at most ``MAX_PIECES``. ``kept``: attachment id -> the text of the
    note kept in the case that it names (the store reads those that are text)."""
    # made pane by pane, in PANE_ORDER
    return list(islice(_pieces(case, kept or {}), MAX_PIECES))


def pane_rank(pane: str) -> int:
    """Where hits of ``pane`` come among a case's hits (PANE_ORDER; unknown panes last)."""
    return PANE_ORDER.index(pane) if pane in PANE_ORDER else len(PANE_ORDER)


def snippet(text: str, wanted: str, width: int = 60) -> str:
    """A short part of ``text`` around the first place ``wanted`` is found in it (letter
    case folded), on one line; the start of the text when not found."""
    flat = " ".join(text[:MAX_TEXT].split())
    at = flat.casefold().find(" ".join(wanted.split()).casefold()) if wanted.strip() else -1
    if at < 0 or len(flat) <= width:
        return flat if len(flat) <= width else flat[:width - 1] + "\u2026"
    start = max(0, at - width // 3)
    end = start + width
    part = flat[start:end]
    return ("\u2026" if start else "") + part + ("\u2026" if end < len(flat) else "")
