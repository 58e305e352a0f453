"""Printable documents of a case: Markdown text, and HTML made from it with markdown-it-py.

Five documents, each a pure function of a ``model.Case`` and the date it is made on:

- ``brief``: one page a doctor new to the case can read first: the condition, the first
  opinion, the records and the questions;
- ``questions``: the questions for one doctor, with room under each to write the answer;
- ``packet``: what goes to the second office: a cover note, the records index (kind, date,
  source, attached files with their size and SHA-256) and the release checklist;
- ``comparison``: two opinions side by side (``core.compare``), the verdict and the answers;
- ``decision``: the options with their benefits and risks (and the free-text "notes from
  before" of older versions), the leaning, the choice and its reasons.

``build(what, case, today, ...)`` returns a ``Document``; ``Document.render("md" | "html")``
gives the text to write. Nothing here reads or writes a file.

The parts: ``export_blocks`` (head, end, tables, ``Document``), ``export_packet`` (the
packet), ``markdown_escape`` (user text escaped so it prints as exactly that text),
``export_html`` (the self-contained HTML page), ``attached_files``.

The sentences written here are our own and describe a process; none of them is medical advice.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import re
import unicodedata
from collections.abc import Collection, Sequence

from . import care_team
from . import compare as _compare
from . import decision as _decision
from . import export_blocks as blocks
from .choices import SECOND_OPINION_REASONS
from .comparison import MARKS, RowKind
from .export_blocks import (
    FORMATS,
    TITLES,
    Document,
    ExportError,
    doctor_label,
    records_in_order,
    shown,
    text_of,
)
from .export_packet import packet, recipient_for, recipients
from .markdown_escape import cell, esc, heading_text, lines, paragraphs
from .model import IMPORTANCE_MOST, Case, Item, brief_fields

WHATS = ("brief", "questions", "packet", "comparison", "decision")
"""The documents, in the order ``all`` writes them."""

__all__ = [  # the documents' API: what the command line, the store and the app call
    "FORMATS", "TITLES", "WHATS", "Document", "ExportError", "brief", "build", "build_many",
    "comparison", "decision", "doctor_label", "file_name", "find_opinion", "for_whom", "packet",
    "questions", "recipient_for",
]

# ---------------------------------------------------------------------------------------------
# The documents


def brief(case: Case, today: _dt.date) -> Document:
    """One page for a doctor new to the case: condition, first opinion, records, questions."""
    info = case.info
    out = blocks.head("brief", case, today)
    out += [
        "A summary kept by the patient and family for a doctor who is new to this case. It "
        "repeats earlier doctors' words as the family noted them, so the records themselves "
        "come first wherever the two differ.",
        "",
        "## The condition",
        "",
    ]
    for part in paragraphs(info.values.get("condition")) or ["Not written down yet."]:
        out += [part, ""]
    urgency = shown(info, "urgency")
    if urgency and urgency != "emergency":
        out += [f"**How soon a decision is needed:** {esc(urgency)}", ""]
    reasons = [words for name, words in SECOND_OPINION_REASONS
               if info.values.get(name) is True]
    if reasons:
        out += [f"**Why another opinion:** {'; '.join(reasons)}.", ""]
    out += blocks.labelled("In the family's words", info.values.get("notes"))
    summary = blocks.health_summary(info.values.get("health_summary"))
    if summary:
        out += ["## Health summary", "", *summary]

    out += ["## The first opinion", ""]
    first = case.first_opinion()
    if first is None:
        out += ["No opinion has been recorded yet.", ""]
    else:
        who = esc(doctor_label(first, case, mark_first=False))
        date = text_of(first, "date")
        out += [f"**From:** {who}" + (f", {esc(date)}" if date else ""), ""]
        out += blocks.doctor_contact(care_team.doctor_of(case, first))
        for field in brief_fields("opinions"):
            out += blocks.labelled(field.label, first.values.get(field.name))
        out += [f"**Written copy received:** {shown(first, 'written_copy')}", ""]
        others = len(case.opinions) - 1
        if others > 0:
            out += [f"The case holds {others} later opinion{'' if others == 1 else 's'}; the "
                    "comparison document sets them side by side.", ""]

    out += ["## Records", ""]
    records = records_in_order(case)
    if not records:
        out += ["No records listed yet.", ""]
    for record in records:
        facts = [shown(record, "kind"), text_of(record, "date"), text_of(record, "source")]
        detail = ", ".join(esc(f) for f in facts if f.strip())
        out.append(f"- {esc(record.values.get('title')) or 'Untitled record'}"
                   + (f" ({detail})" if detail else ""))
    if records:
        out.append("")

    out += ["## Questions the family would like to ask", ""]
    questions = case.questions_in_order()
    if not questions:
        out += ["None written down yet.", ""]
    for n, question in enumerate(questions, 1):
        mark = " **(important)**" if question.values.get("priority") == "high" else ""
        out.append(f"{n}. {esc(question.values.get('text')) or '(empty)'}{mark}")
    if questions:
        out.append("")
    return blocks.document("brief", case, out + blocks.end(case, today))


ANSWER_LINE = "_" * 64
ANSWER_LINES = 3


def questions(case: Case, today: _dt.date, doctor: Item | None = None) -> Document:
    """The questions for ``doctor`` (an opinion) or for any doctor, with room for answers.

    Questions are in the person's order; important ones are marked. An answer this doctor
    already gave is printed under its question; every question keeps lines to write on.
    """
    if doctor is not None:
        out = blocks.head("questions", case, today,
                          f"For {esc(doctor_label(doctor, case, mark_first=False))}")
        out += blocks.doctor_contact(care_team.doctor_of(case, doctor))
    else:
        out = blocks.head("questions", case, today) + ["**Doctor:**", "", ANSWER_LINE, ""]
    qs = case.questions_in_order()
    important = sum(1 for q in qs if q.values.get("priority") == "high")
    intro = (
        f"{len(qs)} question{'' if len(qs) == 1 else 's'}, in the order the family wants to "
        "ask them"
    )
    if important:
        intro += f"; the {important} marked important matter most if time runs short"
    out += [intro + ". Write each answer on the lines under its question.", ""]
    condition = esc(case.info.values.get("condition"))
    if condition:
        out += [f"**Condition:** {condition}", ""]
    if not qs:
        out += ["No questions written down yet.", ""]
    given = {}
    if doctor is not None:
        given = {a.question: a for a in case.answers if a.opinion == doctor.id}
    for n, question in enumerate(qs, 1):
        mark = " (important)" if question.values.get("priority") == "high" else ""
        out += [f"### {n}. {heading_text(question.values.get('text')) or '(empty)'}{mark}", ""]
        why = esc(question.values.get("why"))
        if why:
            out += [f"*Why ask:* {why}", ""]
        answer = given.get(question.id)
        answered = paragraphs(answer.values.get("text")) if answer is not None else []
        if answered:
            out += [f"**Answered before:** {answered[0]}", ""]
            for more in answered[1:]:
                out += [more, ""]
        for _ in range(ANSWER_LINES):
            out += [ANSWER_LINE, ""]
    return blocks.document("questions", case, out + blocks.end(case, today))


RELATION_WORDS = {
    "confirmed": "confirms what A said",
    "refined": "refines what A said",
    "changed": "changes what A said",
}


def comparison(case: Case, today: _dt.date, left: Item | None = None,
               right: Item | None = None) -> Document:
    """Two opinions side by side: ``left`` (by default the first opinion) against ``right``
    (by default the latest); ExportError when the case has fewer than two opinions."""
    if left is None or right is None:
        pair = _compare.default_pair(case)
        if pair is None:
            raise ExportError(
                f"'{' '.join(lines(case.title))}' has {len(case.opinions)} opinion"
                f"{'' if len(case.opinions) == 1 else 's'}; a comparison needs two"
            )
        left, right = (left or pair[0]), (right or pair[1])
    if left.id == right.id:
        raise ExportError("choose two different opinions to compare")
    result = _compare.compare(case, left, right)
    a, b = esc(doctor_label(left, case)), esc(doctor_label(right, case))
    out = blocks.head("comparison", case, today)
    out += [
        f"**A:** {a}" + (f", {esc(text_of(left, 'date'))}" if text_of(left, "date") else ""),
        "",
        f"**B:** {b}" + (f", {esc(text_of(right, 'date'))}" if text_of(right, "date") else ""),
        "",
        "## What it adds up to",
        "",
        result.verdict.headline,
        "",
    ]
    for relation in (result.diagnosis, result.treatment):
        if not relation.value:
            continue
        who = "settled by the family" if relation.settled else "secondview's reading of the words"
        out.append(f"- {relation.topic.capitalize()}: B {RELATION_WORDS[relation.value]} "
                   f"({who})")
    if result.diagnosis.value or result.treatment.value:
        out.append("")
    for note in result.verdict.notes:
        out += [note, ""]
    out += [
        "## Side by side",
        "",
        "= the same words · ≠ both say something different · ◐ only A says it · ◑ only B "
        "says it.",
        "",
    ]
    rows = [(cell(r.label), cell(r.left), cell(r.right), MARKS[r.kind])
            for r in result.rows if r.kind is not RowKind.NEITHER]
    if rows:
        out += blocks.table(("", "A: " + esc(care_team.doctor_name(case, left)),
                       "B: " + esc(care_team.doctor_name(case, right)), ""), rows) + [""]
    else:
        out += ["Neither opinion has details recorded yet.", ""]
    out += ["## Answers to the same questions", ""]
    if result.answers:
        rows = [(cell(row.question.values.get("text")), cell(row.left), cell(row.right),
                 MARKS[row.kind]) for row in result.answers]
        out += blocks.table(("Question", "A", "B", ""), rows) + [""]
    else:
        out += ["Neither doctor's answers are recorded yet.", ""]
    return blocks.document("comparison", case, out + blocks.end(case, today))


NOTES_BEFORE = "*Notes from before (written in an older version of secondview):*"


def _options_section(case: Case) -> list[str]:
    """The options, each with its benefits and risks and how much each matters (0-5); then
    the free-text options and "what matters most" of older versions, when they hold text,
    as notes from before (never lost from an export)."""
    d = case.decision
    opinions = {o.id: o for o in case.opinions}
    out = ["## The options", ""]
    for n, option in enumerate(case.options, start=1):
        where, doctor = _decision.option_source(option, opinions)
        if doctor is not None:
            where = f"recommended by {esc(doctor_label(doctor, case))}"
        else:
            where = esc(where)
        title = esc(option.values.get("title")) or "(untitled)"
        out += [f"{n}\\. **{title}**" + (f" ({where})" if where else ""), ""]
        factors = case.factors_for(option.id)
        for factor in factors:
            kind = "Risk" if factor.values.get("kind") == "risk" else "Benefit"
            out.append(f"- {kind}, matters {_decision.importance(factor)} of "
                       f"{IMPORTANCE_MOST}: {esc(factor.values.get('text'))}")
        if factors:
            out.append("")
        notes = paragraphs(option.values.get("notes"))
        for part in notes:
            out += [part, ""]
    old_options = paragraphs(d.values.get("options")) if d is not None else []
    if old_options:
        out += [NOTES_BEFORE, ""]
        for part in old_options:
            out += [part, ""]
    elif not case.options:
        out += ["None written down yet.", ""]
    old_matters = paragraphs(d.values.get("matters")) if d is not None else []
    if old_matters:
        out += ["## What matters most", "", NOTES_BEFORE, ""]
        for part in old_matters:
            out += [part, ""]
    return out


def decision(case: Case, today: _dt.date) -> Document:
    """The options with their benefits and risks (and any notes from before), the leaning,
    the choice and its reasons; then what each doctor recommended, for reference."""
    d = case.decision
    out = blocks.head("decision", case, today)
    state = _decision.state(case)
    out += [f"**Where it stands:** {state or 'not started'}.", ""]
    who = shown(d, "who_decides")
    if who:
        out += [f"**Who decides:** {who}.", ""]
    out += _options_section(case)
    for heading, name, empty in (
        ("Leaning", "leaning", "No leaning written down yet."),
        ("The choice", "choice", "Not made yet."),
        ("The reasons", "reasons", "Not written down yet."),
    ):
        out += [f"## {heading}", ""]
        parts = paragraphs(d.values.get(name)) if d is not None else []
        for part in parts or [empty]:
            out += [part, ""]
    told = d is not None and d.values.get("doctor_told") is True
    when = text_of(d, "told_on") if d is not None else ""
    out += ["## Telling the treating doctor", "",
            ("Told" + (f" on {esc(when)}" if when else "") + ".") if told else "Not yet.", ""]
    opinions = case.opinions_in_order()
    if opinions:
        out += ["## What each doctor recommended", ""]
        for opinion in opinions:
            out += [f"**{esc(doctor_label(opinion, case))}**", ""]
            recommended = paragraphs(opinion.values.get("treatment"))
            for part in recommended or ["No recommendation recorded."]:
                out += [part, ""]
    return blocks.document("decision", case, out + blocks.end(case, today))


def find_opinion(case: Case, ref: str) -> Item:
    """The opinion named by ``ref``: its id, a unique start of it, its number, or (a unique
    part of) the doctor's name. ExportError naming the opinions otherwise."""
    wanted = ref.strip()
    ops = list(case.opinions_in_order())
    if not wanted:
        raise ExportError("name an opinion by its doctor, number or id")
    exact = [o for o in ops if o.id == wanted.lower()]
    if exact:
        return exact[0]
    by_number = [o for o in ops if wanted.isdigit() and o.values.get("order") == int(wanted)]
    by_id = [o for o in ops if o.id.startswith(wanted.lower())]
    folded = wanted.casefold()
    by_name = [o for o in ops
               if folded in care_team.doctor_name(case, o).casefold()]
    for hits in (by_number, by_id, by_name):
        if len(hits) == 1:
            return hits[0]
        if len(hits) > 1:
            raise ExportError(f"'{wanted}' fits {len(hits)} opinions; be more precise. "
                              f"Opinions: {_opinion_list(case, ops)}")
    if not ops:
        raise ExportError("this case has no opinions yet")
    raise ExportError(f"no opinion '{wanted}'. Opinions: {_opinion_list(case, ops)}")


def _opinion_list(case: Case, ops: Sequence[Item]) -> str:
    return "; ".join(
        f"{o.values.get('order') or '-'}: {care_team.doctor_name(case, o)} "
        f"({o.id[:8]})" for o in ops
    )


def build(what: str, case: Case, today: _dt.date, *, doctor: Item | None = None,
          opinions: tuple[Item, Item] | None = None, recipient: str | None = None,
          present: Collection[str] | None = None) -> Document:
    """The document ``what`` (one of WHATS) of ``case``. ``doctor``: the opinion the
    questions are for (and, without ``recipient``, whose office the packet goes to);
    ``opinions``: the pair to compare; ``present``: the attached paths on this device, for
    the packet (``export_packet.packet``). ``Document.for_whom`` names the office or doctor."""
    made = _build(what, case, today, doctor, opinions, recipient, present)
    whom = recipient if what == "packet" and recipient is not None \
        else for_whom(case, what, doctor)
    return dataclasses.replace(made, for_whom=whom)


def _build(what: str, case: Case, today: _dt.date, doctor: Item | None,
           opinions: tuple[Item, Item] | None, recipient: str | None,
           present: Collection[str] | None) -> Document:
    """``build`` before the document is told whom it is for."""
    if what == "brief":
        return brief(case, today)
    if what == "questions":
        return questions(case, today, doctor)
    if what == "packet":
        if recipient is None and doctor is not None:
            recipient = recipient_for(case, doctor)
        return packet(case, today, recipient, present)
    if what == "comparison":
        left, right = opinions if opinions is not None else (None, None)
        return comparison(case, today, left, right)
    if what == "decision":
        return decision(case, today)
    raise ExportError(f"unknown document '{what}'; choose one of: {', '.join(WHATS)}, all")


def build_many(what: str, case: Case, today: _dt.date, *, doctor: Item | None = None,
               opinions: tuple[Item, Item] | None = None,
               present: Collection[str] | None = None) -> tuple[list[Document], list[str]]:
    """The documents ``what`` asks for ("all", or one of WHATS) and, for "all", a note for
    each one that cannot be made yet (a comparison needs two opinions); one document that
    cannot be made raises ExportError. ``present``: as for ``build``."""
    if what != "all":
        return [build(what, case, today, doctor=doctor, opinions=opinions, present=present)], []
    made, skipped = [], []
    for name in WHATS:
        try:
            made.append(build(name, case, today, doctor=doctor, opinions=opinions,
                              present=present))
        except ExportError as exc:
            skipped.append(f"no {name}: {exc}")
    return made, skipped


def _slug(text: str, limit: int, whole_words: bool = False) -> str:
    """``text`` in lower-case ASCII letters and digits joined by dashes, at most ``limit``
    characters (with ``whole_words``, cut where a word ends when it can be)."""
    ascii_text = unicodedata.normalize("NFKD", " ".join(lines(text)))
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.encode("ascii", "ignore").decode().lower())
    slug = slug.strip("-")
    if whole_words and len(slug) > limit and "-" in slug[:limit + 1]:
        return slug[:limit + 1].rsplit("-", 1)[0]
    return slug[:limit].strip("-")


def for_whom(case: Case, what: str, doctor: Item | None = None) -> str:
    """Whom the document ``what`` is for, as ``build`` makes it: the packet's office (as the
    transfers name the doctor's, else the one most records went to), the questions' doctor;
    "" for the rest."""
    names = recipients(case)
    name = care_team.doctor_name(case, doctor) if doctor is not None else ""
    if what == "packet":
        if doctor is None:
            return names[0] if names else ""
        office = recipient_for(case, doctor)
        return office if office in names else name  # no transfer names them: the doctor
    return name if what == "questions" else ""


def file_name(case: Case, what: str, fmt: str, whom: str = "") -> str:
    """A file name for a document: ``<title>-<what>[-<whom>].<fmt>`` in ASCII letters, where
    ``whom`` is ``Document.for_whom`` (or ``for_whom``): two packets (or two doctors'
    questions) made for two offices never share a name."""
    slug = _slug(case.title, 40) or case.id[:8]
    whom = _slug(whom, 30, whole_words=True)
    return f"{slug}-{what}{'-' + whom if whom else ''}.{fmt}"
