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

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import partial
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


Memo = dict[tuple[str, str], tuple[tuple[Item, ...], list[Searchable]]]
"""Pieces already made, by (table, item id), with the items they were made from: reused
while those are the very same objects (a case's unchanged documents keep their Item from one
save to the next), so saving one edit makes the pieces of that item alone."""


def _made(memo: Memo, deps: tuple[Item, ...], make: Callable[[], list[Searchable]]
          ) -> list[Searchable]:
    key = (deps[0].table, deps[0].id)
    known = memo.get(key)
    if known is not None and len(known[0]) == len(deps) and all(
            a is b for a, b in zip(known[0], deps, strict=True)):
        return known[1]
    made = make()
    memo[key] = (deps, made)
    return made


def _fields(memo: Memo, pane: str, item: Item, where: Callable[[], str],
            names: tuple[str, ...], row: str | None = None) -> list[Searchable]:
    """The pieces of ``item``'s fields ``names`` (``where`` made only when needed), on the
    pane's row ``row`` (the item's own id by default)."""
    def make() -> list[Searchable]:
        texts = [t for t in (_text(item.values.get(n)) for n in names) if t]
        if not texts:
            return []
        said = where()
        return [Searchable(pane, item.id if row is None else row, said, t) for t in texts]

    return _made(memo, (item,), make)


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


def _labelled(label: str, name: Any) -> str:
    """``where`` of an item: a label, then the item's name."""
    return _where(label, _name(name))


def _overview(info: Item) -> list[Searchable]:
    return [Searchable("overview", "", label, found) for name, label in CASE_LABELS.items()
            if (found := _text(info.values.get(name)))]


def _answer(answer: Item, asked: Item, opinion: Item | None) -> list[Searchable]:
    text = _text(answer.values.get("text"))
    if not text:
        return []
    by = f" ({_name(opinion.doctor)})" if opinion is not None else ""
    return [Searchable("questions", asked.id, _where("Answer to: ", _name(asked.text), by),
                       text)]


def _case_pieces(case: Case, memo: Memo) -> Iterator[Searchable]:
    yield from _made(memo, (case.info,), partial(_overview, case.info))
    for item in case.checklist:
        yield from _fields(memo, "checklist", item,
                           partial(_labelled, "Checklist: ", item.values.get("text")),
                           ("text", "notes"))


def _record_pieces(case: Case, kept: Mapping[str, str], memo: Memo) -> Iterator[Searchable]:
    records = {r.id: r for r in case.records}
    for record in case.records:
        yield from _fields(memo, "records", record,
                           partial(_labelled, "Records: ", record.values.get("title")),
                           RECORD_FIELDS)
    for transfer in case.transfers:  # not kept in ``memo``: its doctor is looked up anew
        sent = records.get(str(transfer.values.get("record")))
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


def _question_pieces(case: Case, memo: Memo) -> Iterator[Searchable]:
    questions = {q.id: q for q in case.questions}
    for question in case.questions:
        yield from _fields(memo, "questions", question,
                           partial(_labelled, "Question: ", question.values.get("text")),
                           ("text", "why"))
    opinions = {o.id: o for o in case.opinions}
    for answer in case.answers:
        asked = questions.get(str(answer.values.get("question")))
        if asked is None:
            continue
        opinion = opinions.get(str(answer.values.get("opinion")))
        deps = (answer, asked) if opinion is None else (answer, asked, opinion)
        yield from _made(memo, deps, partial(_answer, answer, asked, opinion))
    for opinion in case.opinions:
        yield from _fields(memo, "opinions", opinion,
                           partial(_labelled, "Opinion of ", opinion.values.get("doctor")),
                           OPINION_FIELDS)


def _other_pieces(case: Case, memo: Memo) -> Iterator[Searchable]:
    if case.decision is not None:
        yield from _fields(memo, "decision", case.decision, partial(str, "Decision"),
                           DECISION_FIELDS, row="")
    for option in case.options:
        yield from _fields(memo, "decision", option,
                           partial(_labelled, "Option: ", option.values.get("title")),
                           ("title", "notes"))
    for doctor in case.doctors:
        yield from _fields(memo, "doctors", doctor,
                           partial(_labelled, "Doctors: ", doctor.values.get("name")),
                           DOCTOR_FIELDS)
    for visit in case.appointments:
        yield from _fields(memo, "visits", visit,
                           partial(_labelled, "Visit on ", visit.values.get("date"))
                           if _text(visit.values.get("date"))
                           else partial(str, "Visit"), VISIT_FIELDS)


def _pieces(case: Case, kept: Mapping[str, str], memo: Memo) -> Iterator[Searchable]:
    yield from _case_pieces(case, memo)
    yield from _record_pieces(case, kept, memo)
    yield from _question_pieces(case, memo)
    yield from _other_pieces(case, memo)


def searchable(case: Case, kept: Mapping[str, str] | None = None, memo: Memo | None = None
               ) -> list[Searchable]:
    """The searchable pieces of ``case`` (deleted items are not in it), in pane order
    (``PANE_ORDER``), at most ``MAX_PIECES``. ``kept``: attachment id -> the text of the
    note kept in the case that it names (the store reads those that are text). ``memo``:
    the pieces of an earlier call on the same case, reused where its items are unchanged
    (filled in by this call)."""
    # made pane by pane, in PANE_ORDER
    return list(islice(_pieces(case, kept or {}, {} if memo is None else memo), MAX_PIECES))


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
