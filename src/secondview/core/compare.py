"""Two opinions side by side: field by field, answer by answer, and what it adds up to.

Pure functions of a ``model.Case`` and two of its opinions (``model.Item`` of the
``opinions`` table); no I/O, no clock, no UI. The two sides are called *left* and *right*:
left is the opinion the other is read against (usually the first opinion), right the one
being read (usually a later one).

- ``compare(case, left, right)`` -> ``Comparison``: everything below in one value.
- ``compare_fields(left, right)``: one ``FieldRow`` per compared opinion field (the
  ``compared`` flag of its spec: ``model.compared_fields``).
- ``compare_answers(case, left, right)``: one ``AnswerRow`` per question either answered.
- ``relation(case, left, right, topic)``: how right's diagnosis or treatment relates to
  left's (confirmed, refined, changed), as settled by the user or suggested here.
- ``judge(case, left, right, diagnosis, treatment)`` -> ``Verdict``: agree, refine or
  differ, with the notes a person needs next (a third opinion, its cover, specialty).

The result types (rows, relations, verdict) are ``core.comparison``'s.

The texts of a row are compared word by word by ``word_diff`` (its spans, worked out when a
row is first shown).

User text is returned exactly as stored (markup, control characters and all): showing it
safely is the UI's job (``ui/text.py``). The notes written here are our own fixed sentences
and never contain user text. They describe a process, never a medical judgement.
"""

from __future__ import annotations

from collections.abc import Iterable

from .comparison import (
    AnswerRow,
    Comparison,
    FieldRow,
    LazySides,
    Relation,
    RowKind,
    Verdict,
)
from .model import Case, Item, compared_fields, spec
from .word_diff import Side, Spans, TextDiff, key_words, same_text, squeezed, text_diff

# ---------------------------------------------------------------------------------------------
# Constants


TOPICS = ("diagnosis", "treatment")
"""What a relation is about: each names the opinion field it reads."""

RELATION_FIELDS = {"diagnosis": "diagnosis_relation", "treatment": "treatment_relation"}
"""Per topic, the opinion field where the user settles how it relates to the first opinion."""

CONFIRMED, REFINED, CHANGED = "confirmed", "refined", "changed"
RELATIONS = (CONFIRMED, REFINED, CHANGED)
"""How a later opinion's diagnosis or treatment relates to the first's ("" : cannot tell)."""

AGREE, REFINE, DIFFER = "agree", "refine", "differ"
VERDICTS = (AGREE, REFINE, DIFFER)
"""The overall verdict ("" when neither diagnosis nor treatment is in both opinions)."""

CONFIRM_SIMILARITY = 0.9
"""Word-sequence similarity (0..1, see ``TextDiff.similarity``) from which two texts are
near-identical and the engine suggests *confirmed*."""

REFINE_KEPT = 0.5
"""Share of the left text's key words (``key_words``) that must reappear on the right, with
at least ``REFINE_MIN_ADDED`` key words of its own, for the engine to suggest *refined*."""

REFINE_MIN_ADDED = 1
"""Key words the right text must add to the left's for the engine to suggest *refined*."""

# ---------------------------------------------------------------------------------------------
# Notes: our own words, describing a process (never medical advice). No user text in them.

DIFFER_HEADLINES = {
    ("diagnosis",): "The two opinions differ on the diagnosis.",
    ("treatment",): "The two opinions differ on the treatment.",
    ("diagnosis", "treatment"): "The two opinions differ on both the diagnosis and the "
    "treatment.",
}
AGREE_HEADLINES = {
    ("diagnosis",): "The two opinions agree on the diagnosis.",
    ("treatment",): "The two opinions agree on the treatment.",
    ("diagnosis", "treatment"): "The two opinions agree on the diagnosis and the treatment.",
}
REFINE_HEADLINE = (
    "The second opinion builds on the first: it keeps its main points and adds to or "
    "narrows them."
)
INCOMPLETE_HEADLINE = (
    "Not enough to compare yet: record the diagnosis and the treatment in both opinions."
)
MISSING_NOTE = "The {topic} is not recorded in both opinions yet, so it is not compared."
THIRD_OPINION_NOTE = (
    "When two doctors disagree, a third opinion can show where another doctor stands on the "
    "point that divides them."
)
COVERAGE_NOTE = (
    "Insurers such as Medicare may pay for a third opinion when the first two differ "
    "(Medicare Part B does so before surgery that is not an emergency). Ask your plan what "
    "it needs first: a referral, prior authorization or an in-network doctor."
)
SPECIALTY_NOTE = (
    "The two doctors work in different specialties. A doctor's field shapes what they "
    "recommend, so part of a difference may come from where each one stands."
)
SURGICAL_NOTE = (
    "One of them is a surgeon and the other is not: each tends to see the problem through "
    "the kind of treatment they give."
)

SAME_REASON = "the same words"
NEAR_REASON = "nearly the same words"
REFINE_REASON = "B keeps what A said and adds detail"
CHANGE_REASON = "B says something else"
UNKNOWN_REASON = "not recorded in both opinions"
"""What each suggestion rests on, in a few words a person can check against the texts (the
figures behind it are ``Relation.counts``, kept apart)."""


# ---------------------------------------------------------------------------------------------
# Rows


def _whole(text: str, changed: bool) -> Spans:
    return ((text, changed),) if text else ()


def _sides(left: str, right: str) -> tuple[RowKind, LazySides]:
    """The kind of a row and its spans (lazily). An absent side has no spans; the present
    side of a one-sided row is one changed span; a same row is one unchanged span per
    side; a row that differs gets the word diff's spans when they are first asked for."""
    has_left, has_right = bool(left.strip()), bool(right.strip())
    if not has_left and not has_right:
        return RowKind.NEITHER, LazySides((_whole(left, False), _whole(right, False)))
    if not has_right:
        return RowKind.ONLY_LEFT, LazySides((_whole(left, True), _whole(right, False)))
    if not has_left:
        return RowKind.ONLY_RIGHT, LazySides((_whole(left, False), _whole(right, True)))
    if squeezed(left) != squeezed(right):  # cheap: no token can be the same all through
        return RowKind.DIFFERS, LazySides(None, left, right)
    a, b = Side(left), Side(right)
    if a.keys == b.keys:
        return RowKind.SAME, LazySides((_whole(left, False), _whole(right, False)))
    return RowKind.DIFFERS, LazySides(None, a, b)


def _field_row(left: Item, right: Item, name: str) -> FieldRow:
    fspec = spec("opinions", name)
    lt, rt = fspec.words(getattr(left, name)), fspec.words(getattr(right, name))
    kind, sides = _sides(lt, rt)
    return FieldRow(
        name=name,
        label=fspec.label,
        kind=kind,
        left=lt,
        right=rt,
        conflict=name in left.conflicts or name in right.conflicts,
        sides=sides,
    )


def compare_fields(left: Item, right: Item) -> tuple[FieldRow, ...]:
    """One row per compared opinion field (``model.compared_fields``), in that order."""
    return tuple(_field_row(left, right, f.name) for f in compared_fields("opinions"))


def compare_answers(case: Case, left: Item, right: Item) -> tuple[AnswerRow, ...]:
    """What each doctor answered, one row per question at least one answered (an answer
    of only whitespace counts as none), in the questions' order."""
    given: dict[tuple[str, str], Item] = {}
    for answer in case.answers:
        if answer.opinion in (left.id, right.id):
            given[(answer.question, answer.opinion)] = answer
    rows = []
    for question in case.questions_in_order():
        la = given.get((question.id, left.id))
        ra = given.get((question.id, right.id))
        lt = la.text if la is not None and isinstance(la.text, str) else ""
        rt = ra.text if ra is not None and isinstance(ra.text, str) else ""
        if not lt.strip() and not rt.strip():
            continue
        kind, sides = _sides(lt, rt)
        rows.append(AnswerRow(question, kind, lt, rt, la, ra, sides))
    return tuple(rows)


# ---------------------------------------------------------------------------------------------
# Relations and verdict


def suggest(left: str, right: str, diff: TextDiff | None = None
            ) -> tuple[str, str, float, float, str]:
    """The engine's suggestion for how ``right`` relates to ``left``.

    Returns (relation, reason, similarity, kept, counts): ``reason`` says in words what the
    suggestion rests on (one of the ``*_REASON`` phrases), ``counts`` the figures behind it
    ("" when there are none to give). The rule, on purpose a simple one:
    - either text empty: "" (cannot tell);
    - the same but for case and whitespace, or a word-sequence similarity of at least
      CONFIRM_SIMILARITY: confirmed;
    - at least REFINE_KEPT of the left's key words reappear on the right and the right
      adds at least REFINE_MIN_ADDED key words: refined;
    - otherwise: changed.
    """
    if not left.strip() or not right.strip():
        return "", UNKNOWN_REASON, 0.0, 0.0, ""
    if same_text(left, right):
        return CONFIRMED, SAME_REASON, 1.0, 1.0, ""
    if diff is None:
        diff = text_diff(left, right)
    similarity = diff.similarity
    lw, rw = key_words(left), key_words(right)
    kept = len(lw & rw) / len(lw) if lw else 0.0
    added = len(rw - lw)
    counts = (f"{len(lw & rw)} of A's {len(lw)} key words are in B, which adds {added}; "
              f"the wording is {similarity:.0%} alike")
    if similarity >= CONFIRM_SIMILARITY:
        return CONFIRMED, NEAR_REASON, similarity, kept, counts
    if kept >= REFINE_KEPT and added >= REFINE_MIN_ADDED:
        return REFINED, REFINE_REASON, similarity, kept, counts
    return CHANGED, CHANGE_REASON, similarity, kept, counts


def relation(case: Case, left: Item, right: Item, topic: str,
             diff: TextDiff | None = None) -> Relation:
    """How right's ``topic`` ("diagnosis" or "treatment") relates to left's: the user's
    setting (the field RELATION_FIELDS[topic] of ``right``) when left is the case's first
    opinion and the setting is one of RELATIONS, else the engine's suggestion."""
    if topic not in RELATION_FIELDS:
        raise ValueError(f"topic must be one of {', '.join(TOPICS)}, not {topic!r}")
    lt, rt = getattr(left, topic), getattr(right, topic)
    lt = lt if isinstance(lt, str) else ""
    rt = rt if isinstance(rt, str) else ""
    suggested, reason, similarity, kept, counts = suggest(lt, rt, diff)
    first = case.first_opinion()
    settable = first is not None and left.id == first.id and right.id != left.id
    field = RELATION_FIELDS[topic] if settable else ""
    setting = right.values.get(field, "") if settable else ""
    if setting in RELATIONS:
        return Relation(topic, setting, "user", suggested, reason, field, similarity, kept,
                        counts)
    source = "engine" if suggested else ""
    return Relation(topic, suggested, source, suggested, reason, field, similarity, kept,
                    counts)


def _surgical(specialty: str) -> bool:
    return "surg" in specialty.casefold()


def _joined(topics: Iterable[str]) -> tuple[str, ...]:
    """The topics given, in TOPICS order."""
    given = set(topics)
    return tuple(t for t in TOPICS if t in given)


def judge(case: Case, left: Item, right: Item, diagnosis: Relation,
          treatment: Relation) -> Verdict:
    """The verdict from the two relations (settled or suggested):

    - diagnosis or treatment changed: differ, with the third-opinion note and its cover;
    - else either refined: refine;
    - else (what is in both) confirmed: agree;
    - neither in both opinions: "" (nothing to judge yet).

    The specialty note is added whenever both specialties are given and not the same,
    whatever the verdict. ``case`` is taken for notes that depend on it (none yet).
    """
    del case  # reserved: notes may one day depend on the case (its insurance, say)
    relations = (diagnosis, treatment)
    changed = _joined(r.topic for r in relations if r.value == CHANGED)
    refined = [r for r in relations if r.value == REFINED]
    known = _joined(r.topic for r in relations if r.value)
    unknown = [t for t in TOPICS if t not in known]
    # With one topic known, at most one is missing; with none known, the headline says so.
    missing = MISSING_NOTE.format(topic=unknown[0]) if known and unknown else ""
    ls, rs = left.specialty, right.specialty
    ls = ls if isinstance(ls, str) else ""
    rs = rs if isinstance(rs, str) else ""
    specialty = ""
    if ls.strip() and rs.strip() and not same_text(ls, rs):
        specialty = SPECIALTY_NOTE
        if _surgical(ls) != _surgical(rs):
            specialty += " " + SURGICAL_NOTE
    if changed:
        return Verdict(DIFFER, DIFFER_HEADLINES[changed], True, THIRD_OPINION_NOTE,
                       COVERAGE_NOTE, specialty, missing)
    if refined:
        return Verdict(REFINE, REFINE_HEADLINE, specialty_note=specialty,
                       missing_note=missing)
    if known:
        return Verdict(AGREE, AGREE_HEADLINES[known], specialty_note=specialty,
                       missing_note=missing)
    return Verdict("", INCOMPLETE_HEADLINE, specialty_note=specialty)


def compare(case: Case, left: Item, right: Item) -> Comparison:
    """Compare two opinions of ``case``: rows, answers side by side, relations, verdict."""
    rows = compare_fields(left, right)
    aligned = {r.name: r.sides.aligned if r.sides is not None else None for r in rows
               if r.name in TOPICS}
    diagnosis, treatment = (
        relation(case, left, right, topic,
                 a.text_diff() if (a := aligned.get(topic)) is not None else None)
        for topic in TOPICS
    )
    return Comparison(
        left=left,
        right=right,
        rows=rows,
        answers=compare_answers(case, left, right),
        diagnosis=diagnosis,
        treatment=treatment,
        verdict=judge(case, left, right, diagnosis, treatment),
    )


# ---------------------------------------------------------------------------------------------
# Choosing the opinions


def _recorded(opinion: Item) -> bool:
    """Whether ``opinion`` records a diagnosis or a treatment (something to compare)."""
    return any(isinstance(v, str) and v.strip()
               for v in (getattr(opinion, topic) for topic in TOPICS))


def default_pair(case: Case) -> tuple[Item, Item] | None:
    """The pair to compare when none was chosen: the first opinion and the latest one after
    it that records a diagnosis or a treatment (an opinion just started, with nothing in it
    yet, would only say "not enough to compare"), else the latest; None with fewer than two
    opinions. The compare pane, the export dialog and ``secondview export`` all start here
    (through ``chosen_pair``)."""
    ordered = case.opinions_in_order()
    if len(ordered) < 2:
        return None
    later = [o for o in ordered[1:] if _recorded(o)]
    return ordered[0], (later or ordered)[-1]


def chosen_pair(case: Case, remembered: tuple[str, str] | None) -> tuple[Item, Item] | None:
    """The pair to compare: ``remembered`` (the ids of A and B the person last chose for this
    case) while both are still two different opinions of it, else ``default_pair``."""
    if remembered is not None and remembered[0] != remembered[1]:
        by_id = {o.id: o for o in case.opinions}
        a, b = by_id.get(remembered[0]), by_id.get(remembered[1])
        if a is not None and b is not None:
            return a, b
    return default_pair(case)
