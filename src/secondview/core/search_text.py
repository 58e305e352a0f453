"""The searchable text of a case: every piece a person may look for, with where it lives.

``searchable_panes`` makes them for the full-text index (``store.search_index``), one list
per pane, and ``searchable`` in one list for the command line and the tests: ``Searchable``
pieces (the pane that shows the text, the row to highlight there, the words a hit shows for
where it matched, and the text itself) of the case's own fields, its doctors, records,
transfers, questions, answers, opinions, checklist, visits, decision and options, and of the
text of notes an import kept in the case (read by the store and passed in: this module reads
no file). Given the ``Memo`` of the last call on the same case, a save of one edit makes
again the pieces of the changed items alone, and returns the very list object of every pane
that did not change, which the index then skips.

Every text is bounded (``MAX_TEXT``, ``MAX_WHERE``) and so is the number of pieces of one
case (``MAX_PIECES``): a case written by a stranger cannot make the index huge.

Pure: no I/O, no clock.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
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


Memo = dict[tuple[str, str], tuple[tuple[object, ...], list[Searchable]]]
"""Pieces already made, with what they were made from, reused while that is the very same
objects: by (table, item id) the pieces of one item (and of the items its text names); by
(":" and the pane, case id) the list of one pane's pieces, made from the case's tables that
pane reads (by (":cut:" and the pane, case id) that list cut to ``MAX_PIECES``); no table's
name has a colon. ``CaseState.case()`` keeps an unchanged document's Item, and an unchanged
table's tuple of items, from one save to the next: so saving one edit makes the pieces of
that item alone, and of its pane alone."""


def _known(memo: Memo, key: tuple[str, str], deps: tuple[object, ...]
           ) -> list[Searchable] | None:
    """The pieces remembered under ``key`` if made from the very objects ``deps``."""
    known = memo.get(key)
    if known is None or len(known[0]) != len(deps):
        return None
    return known[1] if all(a is b for a, b in zip(known[0], deps, strict=True)) else None


def _item_pieces(memo: Memo, deps: tuple[object, ...], make: Callable[..., list[Searchable]],
                 *args: Any) -> list[Searchable]:
    """``make(*args)``, the pieces of the item ``deps[0]`` made from the objects ``deps``,
    remembered under the item's (table, id)."""
    item = deps[0]
    assert isinstance(item, Item)
    key = (item.table, item.id)
    known = _known(memo, key, deps)
    if known is None:
        known = make(*args)
        memo[key] = (deps, known)
    return known


def _fields(memo: Memo, pane: str, item: Item, where: Callable[[Item], str],
            names: tuple[str, ...], row: str | None = None) -> list[Searchable]:
    """The pieces of ``item``'s fields ``names`` (``where(item)`` made only when needed), on
    the pane's row ``row`` (the item's own id by default), remembered."""
    key = (item.table, item.id)
    known = memo.get(key)
    if known is not None and len(known[0]) == 1 and known[0][0] is item:
        return known[1]
    texts = [t for t in (_text(item.values.get(n)) for n in names) if t]
    said = where(item) if texts else ""
    made = [Searchable(pane, item.id if row is None else row, said, t) for t in texts]
    memo[key] = ((item,), made)
    return made


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


def _checklist_where(item: Item) -> str:
    return _labelled("Checklist: ", item.values.get("text"))


def _record_where(item: Item) -> str:
    return _labelled("Records: ", item.values.get("title"))


def _question_where(item: Item) -> str:
    return _labelled("Question: ", item.values.get("text"))


def _opinion_where(item: Item) -> str:
    return _labelled("Opinion of ", item.values.get("doctor"))


def _decision_where(_item: Item) -> str:
    return "Decision"


def _option_where(item: Item) -> str:
    return _labelled("Option: ", item.values.get("title"))


def _doctor_where(item: Item) -> str:
    return _labelled("Doctors: ", item.values.get("name"))


def _visit_where(item: Item) -> str:
    day = item.values.get("date")
    return _labelled("Visit on ", day) if _text(day) else "Visit"


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


def _overview_pane(case: Case, _kept: Mapping[str, str], memo: Memo) -> list[Searchable]:
    return _item_pieces(memo, (case.info,), _overview, case.info)


def _checklist_pane(case: Case, _kept: Mapping[str, str], memo: Memo) -> list[Searchable]:
    return [p for item in case.checklist
            for p in _fields(memo, "checklist", item, _checklist_where, ("text", "notes"))]


def _transfer(case: Case, transfer: Item, sent: Item) -> list[Searchable]:
    """The pieces of a transfer of the record ``sent``: its recipient (the doctor's name as
    ``care_team`` says it, and the text typed) and its notes, on the transfer's own row (the
    records pane shows it under its record)."""
    named = care_team.doctor_name(case, transfer)
    recipient = _text(transfer.recipient)
    where = _where("Transfer to ", _name(named or recipient), " (", _name(sent.title), ")")
    return [Searchable("records", transfer.id, where, found)
            for found in dict.fromkeys((recipient, named, _text(transfer.notes)))
            if found and found != care_team.DOCTOR_REMOVED]


def _kept_note(holder: Item, note: str) -> list[Searchable]:
    return [Searchable("records", holder.id, _where("Imported note: ", _name(holder.title)),
                       note[:MAX_TEXT])] if note else []


def _records_pane(case: Case, kept: Mapping[str, str], memo: Memo) -> list[Searchable]:
    records = {r.id: r for r in case.records}
    out = [p for record in case.records
           for p in _fields(memo, "records", record, _record_where, RECORD_FIELDS)]
    for transfer in case.transfers:
        sent = records.get(str(transfer.values.get("record")))
        if sent is not None:  # else its record was deleted: the pane does not list it
            # the doctor it names is looked up among the case's doctors: made again when
            # they change (a rename shows in the transfer's text)
            out += _item_pieces(memo, (transfer, sent, case.doctors), _transfer, case,
                                transfer, sent)
    for attachment in case.attachments:
        holder = records.get(str(attachment.values.get("record")))
        if holder is not None:
            note = kept.get(attachment.id, "")
            out += _item_pieces(memo, (attachment, holder, note), _kept_note, holder, note)
    return out


def _questions_pane(case: Case, _kept: Mapping[str, str], memo: Memo) -> list[Searchable]:
    questions = {q.id: q for q in case.questions}
    out = [p for question in case.questions
           for p in _fields(memo, "questions", question, _question_where, ("text", "why"))]
    opinions = {o.id: o for o in case.opinions}
    for answer in case.answers:
        asked = questions.get(str(answer.values.get("question")))
        if asked is None:
            continue
        opinion = opinions.get(str(answer.values.get("opinion")))
        out += _item_pieces(memo, (answer, asked) if opinion is None
                            else (answer, asked, opinion), _answer, answer, asked, opinion)
    return out


def _opinions_pane(case: Case, _kept: Mapping[str, str], memo: Memo) -> list[Searchable]:
    return [p for opinion in case.opinions
            for p in _fields(memo, "opinions", opinion, _opinion_where, OPINION_FIELDS)]


def _compare_pane(_case: Case, _kept: Mapping[str, str], _memo: Memo) -> list[Searchable]:
    return []  # it shows the opinions' text, found on their own pane


def _decision_pane(case: Case, _kept: Mapping[str, str], memo: Memo) -> list[Searchable]:
    out = [] if case.decision is None else _fields(
        memo, "decision", case.decision, _decision_where, DECISION_FIELDS, row="")
    return out + [p for option in case.options
                  for p in _fields(memo, "decision", option, _option_where, ("title", "notes"))]


def _doctors_pane(case: Case, _kept: Mapping[str, str], memo: Memo) -> list[Searchable]:
    return [p for doctor in case.doctors
            for p in _fields(memo, "doctors", doctor, _doctor_where, DOCTOR_FIELDS)]


def _visits_pane(case: Case, _kept: Mapping[str, str], memo: Memo) -> list[Searchable]:
    return [p for visit in case.appointments
            for p in _fields(memo, "visits", visit, _visit_where, VISIT_FIELDS)]


PaneMaker = Callable[[Case, Mapping[str, str], Memo], list[Searchable]]


def _pane_sources(case: Case, kept: Mapping[str, str] | None
                  ) -> tuple[tuple[str, PaneMaker, tuple[object, ...]], ...]:
    """Each pane (PANE_ORDER), how its pieces are made, and everything of the case (and the
    kept notes' text) they are made from: the pane's list is made again only when one of
    those is another object."""
    return (
        ("overview", _overview_pane, (case.info,)),
        ("checklist", _checklist_pane, (case.checklist,)),
        ("records", _records_pane, (case.records, case.transfers, case.attachments,
                                    case.doctors if case.transfers else None, kept)),
        ("questions", _questions_pane, (case.questions, case.answers, case.opinions)),
        ("opinions", _opinions_pane, (case.opinions,)),
        ("compare", _compare_pane, ()),
        ("decision", _decision_pane, (case.decision, case.options)),
        ("doctors", _doctors_pane, (case.doctors,)),
        ("visits", _visits_pane, (case.appointments,)),
    )


def searchable_panes(case: Case, kept: Mapping[str, str] | None = None,
                     memo: Memo | None = None) -> tuple[list[Searchable], ...]:
    """The searchable pieces of ``case`` (deleted items are not in it), one list per pane in
    PANE_ORDER, at most ``MAX_PIECES`` in all (the panes past the limit cut or empty).
    ``kept``: attachment id -> the text of the note kept in the case that it names (the
    store reads those that are text; pass the same mapping object again while it holds the
    same texts). ``memo``: what earlier calls on the same case made, filled in by this call:
    a pane whose sources (``_pane_sources``) are the very objects of the last call returns
    that call's list object itself, without walking its items; in a pane made again, the
    pieces of unchanged items are reused. Do not change the lists returned."""
    memo = {} if memo is None else memo
    texts = kept if kept else None
    room = MAX_PIECES
    out: list[list[Searchable]] = []
    for pane, make, deps in _pane_sources(case, texts):
        key = (":" + pane, case.id)
        made = _known(memo, key, deps)
        if made is None:
            made = make(case, texts or {}, memo)
            memo[key] = (deps, made)
        if len(made) > room:  # cut the same way while the pane and the room stay
            cut_key = (":cut:" + pane, case.id)
            known = _known(memo, cut_key, (made,))
            if known is None or len(known) != room:
                known = made[:room]
                memo[cut_key] = ((made,), known)
            made = known
        room -= len(made)
        out.append(made)
    return tuple(out)


def searchable(case: Case, kept: Mapping[str, str] | None = None, memo: Memo | None = None
               ) -> list[Searchable]:
    """The searchable pieces of ``case`` (``searchable_panes``) in one list, in pane order."""
    return [p for pane in searchable_panes(case, kept, memo) for p in pane]


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
