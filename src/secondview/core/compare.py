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
- ``word_diff(a, b)``: a word-by-word difference of two texts, as spans.

User text is returned exactly as stored (markup, control characters and all): showing it
safely is the UI's job (``ui/text.py``). The notes written here are our own fixed sentences
and never contain user text. They describe a process, never a medical judgement.

Where the word diff has to choose, it marks more rather than less: its clean-ups (SHORT_RUN,
RELATED_ANCHORS) only ever turn shared words into changed ones, so no difference is hidden.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from enum import Enum
from itertools import compress, count, repeat
from operator import contains, or_
from typing import Any, Iterable

from .model import Case, Item, Kind, compared_fields, spec

# ---------------------------------------------------------------------------------------------
# Constants


UNSTATED_CHOICES = frozenset({"unknown", "unsettled", ""})
"""Choice values that mean nobody said: a field holding one counts as empty."""

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

STOPWORDS = frozenset(
    """a about after again all also an and any are as at be been before being both but by
    can could did do does for from had has have he her hers him his how i if in into is it
    its just may me might more most my no nor not of on or other our she should so some such
    than that the their them then there these they this those to too very was we were what
    when where which while who whom why will with would you your""".split()
)
"""Words too common to say what a text is about; left out of ``key_words``."""

SHORT_RUN = 3
"""Longest shared run of tokens ``text_diff`` may still count as changed when it sits inside
a change: it is, when it holds only STOPWORDS and punctuation, or when the changes on both
sides of it are at least LONE_FACTOR times as long. A lone shared "the", or one word two
different passages happen to share, then does not cut a highlighted passage in pieces."""

LONE_FACTOR = 3
"""See SHORT_RUN."""

ANCHOR_FROM = 200
"""From this many tokens on both sides, the word search is first cut at anchors (words
found once on each side): see ``_match_words``."""

RELATED_ANCHORS = 0.3
UNRELATED_MIN = 10
"""Two long passages with at least UNRELATED_MIN anchor candidates (words once on each
side), fewer than RELATED_ANCHORS of them in the same order on both, were written apart:
they are not searched word by word (the search would only find coincidences)."""

JUNK_FROM = 30
"""From this many tokens, stopwords and punctuation are ``SequenceMatcher``'s junk."""

SENTENCE_ENDS = frozenset(".!?;")
"""Punctuation that ends a chunk for the first, coarse pass of ``word_diff``."""

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
    "it needs first: a referral, pre-authorisation or an in-network doctor."
)
SPECIALTY_NOTE = (
    "The two doctors work in different specialties. A doctor's field shapes what they "
    "recommend, so part of a difference may come from where each one stands."
)
SURGICAL_NOTE = (
    "One of them is a surgeon and the other is not: each tends to see the problem through "
    "the kind of treatment they give."
)

# ---------------------------------------------------------------------------------------------
# Result types

Spans = tuple[tuple[str, bool], ...]
"""A text cut into consecutive (segment, changed) pieces; joining the segments gives the
text back exactly. ``changed`` marks the words the other side does not have."""


class RowKind(Enum):
    """How the two sides of a row compare."""

    SAME = "same"  # both say it, in the same words (ignoring case and whitespace)
    DIFFERS = "differs"  # both say something, not the same
    ONLY_LEFT = "only_left"  # only the left opinion says anything
    ONLY_RIGHT = "only_right"  # only the right opinion says anything
    NEITHER = "neither"  # neither says anything

    @property
    def is_difference(self) -> bool:
        """Whether the row belongs in a "differences only" view."""
        return self in (RowKind.DIFFERS, RowKind.ONLY_LEFT, RowKind.ONLY_RIGHT)


@dataclass(frozen=True)
class TextDiff:
    """Two texts compared word by word.

    ``left_spans``/``right_spans``: each text as ``Spans``. ``matched``: words (runs of
    letters and digits) the two share in order; ``left_words``/``right_words``: words in
    each.
    """

    left_spans: Spans
    right_spans: Spans
    matched: int
    left_words: int
    right_words: int

    @property
    def similarity(self) -> float:
        """2 x shared words / all words, 0..1 (0.0 when neither has a word)."""
        total = self.left_words + self.right_words
        return 0.0 if total == 0 else 2 * self.matched / total


class _HasSides:
    """A row whose two texts are diffed word by word when first shown (``sides``)."""

    sides: _LazySides | None

    @property
    def left_spans(self) -> Spans:
        """The left text as spans (the word diff is computed when first asked for)."""
        return self.sides.spans()[0] if self.sides is not None else ()

    @property
    def right_spans(self) -> Spans:
        return self.sides.spans()[1] if self.sides is not None else ()


@dataclass(frozen=True)
class FieldRow(_HasSides):
    """One opinion field on both sides.

    ``left``/``right``: the value as text, exactly as stored for text fields (choices as
    words: ``in_person`` -> ``in person``; yes/no fields as ``yes``/``no``; an unstated
    choice as ""). Spans: see ``sides``. ``conflict``: the field has an unsettled conflict
    between devices on either side.
    """

    name: str
    label: str
    kind: RowKind
    left: str
    right: str
    conflict: bool = False
    sides: _LazySides | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class AnswerRow(_HasSides):
    """One question and what each doctor answered (an answer item may be missing: None)."""

    question: Item
    kind: RowKind
    left: str
    right: str
    left_answer: Item | None
    right_answer: Item | None
    sides: _LazySides | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Relation:
    """How the right opinion's diagnosis or treatment relates to the left's.

    ``value``: one of RELATIONS, or "" when it cannot be told (not in both opinions).
    ``source``: "user" when settled by the person, "engine" when suggested here, "" with
    no value. ``suggested``: the engine's suggestion, kept even when the user settled it.
    ``reason``: why the engine suggests it, in words (our own; no user text).
    ``field``: the field of ``right`` that settles it (see RELATION_FIELDS), or "" when
    this pair cannot be settled (the user's setting is always against the first opinion,
    so left must be the case's first opinion and right another one).
    """

    topic: str
    value: str
    source: str
    suggested: str
    reason: str
    field: str
    similarity: float = 0.0
    kept: float = 0.0

    @property
    def settled(self) -> bool:
        return self.source == "user"


@dataclass(frozen=True)
class Verdict:
    """What the comparison adds up to.

    ``kind``: one of VERDICTS, or "" when neither diagnosis nor treatment is in both.
    ``headline``: one plain sentence. ``third_opinion``: whether to offer a third opinion
    (diagnosis or treatment changed); then ``third_opinion_note`` and ``coverage_note``
    say why and how it may be paid for. ``specialty_note``: set when the doctors'
    specialties differ. ``missing_note``: what could not be compared.
    """

    kind: str
    headline: str
    third_opinion: bool = False
    third_opinion_note: str = ""
    coverage_note: str = ""
    specialty_note: str = ""
    missing_note: str = ""

    @property
    def notes(self) -> tuple[str, ...]:
        """The notes to show under the headline, in order (empty ones left out)."""
        return tuple(
            n
            for n in (self.missing_note, self.third_opinion_note, self.coverage_note,
                      self.specialty_note)
            if n
        )


@dataclass(frozen=True)
class Comparison:
    """Two opinions compared: rows, answers, relations and verdict."""

    left: Item
    right: Item
    rows: tuple[FieldRow, ...]
    answers: tuple[AnswerRow, ...]
    diagnosis: Relation
    treatment: Relation
    verdict: Verdict

    @property
    def differences(self) -> tuple[FieldRow, ...]:
        """The rows where the two opinions do not say the same thing."""
        return tuple(r for r in self.rows if r.kind.is_difference)

    def row(self, name: str) -> FieldRow:
        """The row of field ``name`` (KeyError if it is not compared)."""
        for r in self.rows:
            if r.name == name:
                return r
        raise KeyError(name)


# ---------------------------------------------------------------------------------------------
# Word diff

_LEAD = re.compile(r"\s*")
_PIECE = re.compile(r"(?:\w+|[^\w\s])\s*")
"""A keyed token (a word, or any single other character but whitespace) and the whitespace
after it. With the whitespace before the first, these cover any text exactly."""
_WORD = re.compile(r"\w+")


def keys(text: str) -> list[str]:
    """The text as compared: its words and other marks (each punctuation mark on its
    own), case folded; whitespace left out."""
    return _Side(text).keys


def same_text(a: str, b: str) -> bool:
    """Whether two texts are the same but for case and whitespace (``keys`` equal)."""
    return _squeezed(a) == _squeezed(b) and keys(a) == keys(b)


def key_words(text: str) -> frozenset[str]:
    """The words that say what a text is about: words, case folded, minus STOPWORDS."""
    return frozenset(map(str.casefold, _WORD.findall(text))) - STOPWORDS


class _Side:
    """One text cut into keyed tokens (words and single other characters but whitespace:
    what is compared), each with the whitespace after it (``pieces``), and ``lead``, the
    whitespace before the first. ``keys``: the tokens case folded."""

    __slots__ = ("lead", "pieces", "keys", "_ends")

    def __init__(self, text: str) -> None:
        lead = _LEAD.match(text)
        start = lead.end() if lead else 0
        self.lead = text[:start]
        self.pieces: list[str] = _PIECE.findall(text, start)
        self.keys: list[str] = list(map(str.casefold, map(str.rstrip, self.pieces)))
        self._ends: list[int] | None = None

    def chunks(self, lo: int, hi: int) -> list[tuple[int, int]]:
        """(start, end) of the sentence-like chunks of keyed tokens lo..hi: a chunk ends
        after a mark of SENTENCE_ENDS or before a line break."""
        if self._ends is None:
            # a token ends a chunk when it is one of SENTENCE_ENDS or a line break follows
            # it (in C, through map: this runs over every token of both texts)
            self._ends = list(compress(count(), map(
                or_, map(SENTENCE_ENDS.__contains__, self.keys),
                map(contains, self.pieces, repeat("\n")))))
        ends = self._ends
        out = []
        start = lo
        for k in ends[bisect_left(ends, lo):bisect_left(ends, hi)]:
            out.append((start, k + 1))
            start = k + 1
        if start < hi:
            out.append((start, hi))
        return out

    def spans(self, same: list[tuple[int, int]]) -> Spans:
        """The text as spans, given the sorted (start, end) runs of unchanged tokens.

        Whitespace between two changed tokens is changed; any other whitespace is not."""
        out: list[tuple[str, bool]] = []
        pieces = self.pieces
        kept = [self.lead]  # unchanged text not yet added to out
        pos = 0
        end_all = len(pieces)
        for s, e in [*same, (end_all, end_all)]:
            if s > pos:
                last = pieces[s - 1]
                token = last.rstrip()
                if any(kept):
                    out.append(("".join(kept), False))
                out.append(("".join(pieces[pos:s - 1]) + token, True))
                kept = [last[len(token):]]
            if e > s:
                kept.append("".join(pieces[s:e]))
            pos = e
        if any(kept):
            out.append(("".join(kept), False))
        return tuple(out)


def _match(a: _Side, b: _Side, alo: int, ahi: int, blo: int, bhi: int,
           blocks: list[tuple[int, int, int]]) -> None:
    """Add to ``blocks`` the runs (i, j, n) keyed tokens a[alo:ahi] and b[blo:bhi] share."""
    ka, kb = a.keys, b.keys
    # The common start and end need no search.
    start = alo
    while alo < ahi and blo < bhi and ka[alo] == kb[blo]:
        alo += 1
        blo += 1
    if alo > start:
        blocks.append((start, blo - (alo - start), alo - start))
    end = ahi
    while alo < ahi and blo < bhi and ka[ahi - 1] == kb[bhi - 1]:
        ahi -= 1
        bhi -= 1
    tail = (ahi, bhi, end - ahi) if end > ahi else None
    if alo < ahi and blo < bhi:
        # A coarse pass over sentence-like chunks first: sentences left as they were are
        # matched whole, so the word-level search only runs where something changed.
        chunks_a, chunks_b = a.chunks(alo, ahi), b.chunks(blo, bhi)
        if len(chunks_a) > 2 and len(chunks_b) > 2:
            coarse = SequenceMatcher(
                None,
                [tuple(ka[s:e]) for s, e in chunks_a],
                [tuple(kb[s:e]) for s, e in chunks_b],
                autojunk=False,
            )
            for tag, i1, i2, j1, j2 in coarse.get_opcodes():
                sa = chunks_a[i1][0] if i1 < len(chunks_a) else ahi
                ea = chunks_a[i2 - 1][1] if i2 > i1 else sa
                sb = chunks_b[j1][0] if j1 < len(chunks_b) else bhi
                eb = chunks_b[j2 - 1][1] if j2 > j1 else sb
                if tag == "equal":
                    blocks.append((sa, sb, ea - sa))
                elif tag == "replace":
                    _match_words(a, b, sa, ea, sb, eb, blocks)
        else:
            _match_words(a, b, alo, ahi, blo, bhi, blocks)
    if tail:
        blocks.append(tail)


def _is_weak_key(key: str) -> bool:
    """A stopword or punctuation mark: says nothing by itself."""
    return key in STOPWORDS or not (key[0].isalnum() or key[0] == "_")


def _match_words(a: _Side, b: _Side, alo: int, ahi: int, blo: int, bhi: int,
                 blocks: list[tuple[int, int, int]]) -> None:
    """Add the shared runs of a[alo:ahi] and b[blo:bhi] to ``blocks``, word by word.

    Long stretches are first cut at anchors: words found exactly once on each side, in the
    same order on both (the idea of a "patience" diff), so each search between two anchors
    is short and the whole stays near linear in the length of the texts."""
    ka, kb = a.keys[alo:ahi], b.keys[blo:bhi]
    if len(ka) < ANCHOR_FROM or len(kb) < ANCHOR_FROM:
        _search(ka, kb, alo, blo, blocks)
        return
    count_a, count_b = Counter(ka), Counter(kb)
    once_a = [(i, k) for i, k in enumerate(ka)
              if count_a[k] == 1 and count_b[k] == 1 and not _is_weak_key(k)]
    order_b = {k: j for j, k in enumerate(kb) if count_b[k] == 1 and count_a[k] == 1}
    once_b = sorted((order_b[k], k) for _, k in once_a)
    pairs = SequenceMatcher(None, [k for _, k in once_a], [k for _, k in once_b],
                            autojunk=False).get_matching_blocks()
    in_order = sum(size for _, _, size in pairs)
    if len(once_a) >= UNRELATED_MIN and in_order < RELATED_ANCHORS * len(once_a):
        # Two passages written apart: the words they share are scattered, and whatever a
        # search found would be short runs inside long changes (see SHORT_RUN).
        return
    pi = pj = 0
    for x, y, size in pairs:
        for n in range(size):
            i, j = once_a[x + n][0], once_b[y + n][0]
            _search(ka[pi:i], kb[pj:j], alo + pi, blo + pj, blocks)
            blocks.append((alo + i, blo + j, 1))
            pi, pj = i + 1, j + 1
    _search(ka[pi:], kb[pj:], alo + pi, blo + pj, blocks)


def _search(ka: list[str], kb: list[str], alo: int, blo: int,
            blocks: list[tuple[int, int, int]]) -> None:
    """Add the shared runs of ka and kb (found by ``SequenceMatcher``) to ``blocks``, as
    positions from alo and blo. Weak keys are its junk: never the anchor of a match, only
    taken in next to a shared word."""
    if not ka or not kb:
        return
    if ka == kb:
        blocks.append((alo, blo, len(ka)))
        return
    if len(ka) == 1 or len(kb) == 1:  # the common case between two anchors: no search
        one, other = (ka, kb) if len(ka) == 1 else (kb, ka)
        if one[0] in other:
            at = other.index(one[0])
            blocks.append((alo, blo + at, 1) if one is ka else (alo + at, blo, 1))
        return
    # Short stretches need no junk (the weak-run rule of _Aligned cleans up after them).
    matcher = SequenceMatcher(_is_weak_key if len(kb) > JUNK_FROM else None, ka, kb)
    for i, j, size in matcher.get_matching_blocks():
        if size:
            blocks.append((alo + i, blo + j, size))


class _Aligned:
    """Two texts aligned: their sides and the (start, end) runs of tokens they share."""

    __slots__ = ("a", "b", "same_a", "same_b", "_spans")

    def __init__(self, a: _Side, b: _Side) -> None:
        self.a, self.b = a, b
        self._spans: tuple[Spans, Spans] | None = None
        blocks: list[tuple[int, int, int]] = []
        _match(a, b, 0, len(a.keys), 0, len(b.keys), blocks)
        merged: list[tuple[int, int, int]] = []
        for i, j, n in blocks:
            if merged:
                pi, pj, pn = merged[-1]
                if pi + pn == i and pj + pn == j:
                    merged[-1] = (pi, pj, pn + n)
                    continue
            merged.append((i, j, n))
        merged.append((len(a.keys), len(b.keys), 0))  # the end, as a last empty run
        self.same_a: list[tuple[int, int]] = []
        self.same_b: list[tuple[int, int]] = []
        ka = a.keys
        end_a = end_b = 0  # where the last run kept ends
        for (i, j, n), (ni, nj, _) in zip(merged, merged[1:]):
            before = max(i - end_a, j - end_b)
            after = max(ni - i - n, nj - j - n)
            if n <= SHORT_RUN and before and after and (
                (n * LONE_FACTOR <= min(before, after))
                or all(map(_is_weak_key, ka[i:i + n]))
            ):
                continue  # a short run inside a change: no match (see SHORT_RUN)
            self.same_a.append((i, i + n))
            self.same_b.append((j, j + n))
            end_a, end_b = i + n, j + n

    def spans(self) -> tuple[Spans, Spans]:
        if self._spans is None:
            self._spans = self.a.spans(self.same_a), self.b.spans(self.same_b)
        return self._spans

    def text_diff(self) -> TextDiff:
        ka = self.a.keys
        matched = sum(sum(map(str.isalnum, ka[i:e])) for i, e in self.same_a)
        left_spans, right_spans = self.spans()
        return TextDiff(left_spans, right_spans, matched, sum(map(str.isalnum, ka)),
                        sum(map(str.isalnum, self.b.keys)))


def text_diff(left: str, right: str) -> TextDiff:
    """Compare two texts word by word: ``difflib.SequenceMatcher`` over word and
    punctuation tokens, case folded (whitespace is kept in the spans, never compared).
    Sentences left whole are matched first, then the words of what changed.

    Short shared runs inside a change are counted as changed (see SHORT_RUN), so a lone
    "the" does not cut a highlighted passage in two."""
    return _Aligned(_Side(left), _Side(right)).text_diff()


def word_diff(left: str, right: str) -> tuple[Spans, Spans]:
    """Each text as spans, the words the other lacks marked changed (see ``text_diff``)."""
    return _Aligned(_Side(left), _Side(right)).spans()


# ---------------------------------------------------------------------------------------------
# Rows


def _whole(text: str, changed: bool) -> Spans:
    return ((text, changed),) if text else ()


class _LazySides:
    """A row's spans, worked out when first asked for: the word diff of two long texts is
    the costly part of a comparison, and a pane shows only some rows at a time."""

    __slots__ = ("_spans", "_a", "_b", "_aligned")

    def __init__(self, spans: tuple[Spans, Spans] | None, a: _Side | str | None = None,
                 b: _Side | str | None = None) -> None:
        self._spans = spans
        self._a, self._b = a, b
        self._aligned: _Aligned | None = None

    @property
    def aligned(self) -> _Aligned | None:
        """The two sides aligned (None unless both say something different)."""
        if self._aligned is None and self._a is not None and self._b is not None:
            a, b = self._a, self._b
            self._aligned = _Aligned(_Side(a) if isinstance(a, str) else a,
                                     _Side(b) if isinstance(b, str) else b)
        return self._aligned

    def spans(self) -> tuple[Spans, Spans]:
        if self._spans is None:
            aligned = self.aligned
            assert aligned is not None
            self._spans = aligned.spans()
        return self._spans


def _sides(left: str, right: str) -> tuple[RowKind, _LazySides]:
    """The kind of a row and its spans (lazily). An absent side has no spans; the present
    side of a one-sided row is one changed span; a same row is one unchanged span per
    side; a row that differs gets the word diff's spans when they are first asked for."""
    has_left, has_right = bool(left.strip()), bool(right.strip())
    if not has_left and not has_right:
        return RowKind.NEITHER, _LazySides((_whole(left, False), _whole(right, False)))
    if not has_right:
        return RowKind.ONLY_LEFT, _LazySides((_whole(left, True), _whole(right, False)))
    if not has_left:
        return RowKind.ONLY_RIGHT, _LazySides((_whole(left, False), _whole(right, True)))
    if _squeezed(left) != _squeezed(right):  # cheap: no token can be the same all through
        return RowKind.DIFFERS, _LazySides(None, left, right)
    a, b = _Side(left), _Side(right)
    if a.keys == b.keys:
        return RowKind.SAME, _LazySides((_whole(left, False), _whole(right, False)))
    return RowKind.DIFFERS, _LazySides(None, a, b)


def _squeezed(text: str) -> str:
    """``text`` case folded with its whitespace taken out: two texts whose keys (see
    ``_Side``) are the same give the same (the converse is not always true: "a b", "ab")."""
    return "".join(text.split()).casefold()


def shown(table: str, name: str, value: Any) -> str:
    """A stored value as row text: text as is, choices as words ("" when unstated),
    yes/no fields as yes or no."""
    fspec = spec(table, name)
    if fspec.kind is Kind.BOOL:
        return "yes" if value is True else "no"
    if fspec.kind is Kind.CHOICE:
        word = value if isinstance(value, str) else ""
        return "" if word in UNSTATED_CHOICES else word.replace("_", " ")
    if value is None:
        return ""
    return value if isinstance(value, str) else str(value)


def _field_row(left: Item, right: Item, name: str) -> FieldRow:
    lt = shown("opinions", name, getattr(left, name))
    rt = shown("opinions", name, getattr(right, name))
    kind, sides = _sides(lt, rt)
    return FieldRow(
        name=name,
        label=spec("opinions", name).label,
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


def suggest(left: str, right: str, diff: TextDiff | None = None) -> tuple[str, str, float,
                                                                          float]:
    """The engine's suggestion for how ``right`` relates to ``left``.

    Returns (relation, reason, similarity, kept). The rule, on purpose a simple one:
    - either text empty: "" (cannot tell);
    - the same but for case and whitespace, or a word-sequence similarity of at least
      CONFIRM_SIMILARITY: confirmed;
    - at least REFINE_KEPT of the left's key words reappear on the right and the right
      adds at least REFINE_MIN_ADDED key words: refined;
    - otherwise: changed.
    """
    if not left.strip() or not right.strip():
        return "", "Not recorded in both opinions.", 0.0, 0.0
    if same_text(left, right):
        return CONFIRMED, "The same words.", 1.0, 1.0
    if diff is None:
        diff = text_diff(left, right)
    similarity = diff.similarity
    lw, rw = key_words(left), key_words(right)
    kept = len(lw & rw) / len(lw) if lw else 0.0
    added = len(rw - lw)
    if similarity >= CONFIRM_SIMILARITY:
        return CONFIRMED, f"Nearly the same words ({similarity:.0%} alike).", similarity, kept
    if kept >= REFINE_KEPT and added >= REFINE_MIN_ADDED:
        reason = f"Keeps {len(lw & rw)} of {len(lw)} key words and adds {added} of its own."
        return REFINED, reason, similarity, kept
    reason = f"Keeps {len(lw & rw)} of {len(lw)} key words."
    return CHANGED, reason, similarity, kept


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
    suggested, reason, similarity, kept = suggest(lt, rt, diff)
    first = case.first_opinion()
    settable = first is not None and left.id == first.id and right.id != left.id
    field = RELATION_FIELDS[topic] if settable else ""
    setting = right.values.get(field, "") if settable else ""
    if setting in RELATIONS:
        return Relation(topic, setting, "user", suggested, reason, field, similarity, kept)
    source = "engine" if suggested else ""
    return Relation(topic, suggested, source, suggested, reason, field, similarity, kept)


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


def default_pair(case: Case) -> tuple[Item, Item] | None:
    """The pair to compare first: the first opinion and the latest one after it; None
    with fewer than two opinions."""
    ordered = case.opinions_in_order()
    if len(ordered) < 2:
        return None
    return ordered[0], ordered[-1]
