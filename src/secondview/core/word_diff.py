"""Two texts compared word by word: which words each has that the other lacks.

``text_diff(a, b)`` -> ``TextDiff`` (both texts as ``Spans`` and how alike they are);
``word_diff(a, b)``: just the spans; ``same_text``, ``keys``, ``key_words``: what is compared.
``Side`` (a text cut into tokens) and ``Aligned`` (two sides matched) are the steps, for a
caller that works the diff out lazily (``core.compare``). Pure: no I/O.

Texts are cut into keyed tokens (words, and each other character but whitespace), case
folded; whitespace is kept in the spans, never compared. Where the diff has to choose, it
marks more rather than less: its clean-ups (SHORT_RUN, RELATED_ANCHORS) only ever turn shared
words into changed ones, so no difference is hidden.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass
from difflib import SequenceMatcher
from itertools import compress, count, pairwise, repeat
from operator import contains, or_

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

Spans = tuple[tuple[str, bool], ...]
"""A text cut into consecutive (segment, changed) pieces; joining the segments gives the
text back exactly. ``changed`` marks the words the other side does not have."""


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


_LEAD = re.compile(r"\s*")
_PIECE = re.compile(r"(?:\w+|[^\w\s])\s*")
"""A keyed token (a word, or any single other character but whitespace) and the whitespace
after it. With the whitespace before the first, these cover any text exactly."""
_WORD = re.compile(r"\w+")


def keys(text: str) -> list[str]:
    """The text as compared: its words and other marks (each punctuation mark on its
    own), case folded; whitespace left out."""
    return Side(text).keys


def same_text(a: str, b: str) -> bool:
    """Whether two texts are the same but for case and whitespace (``keys`` equal)."""
    return squeezed(a) == squeezed(b) and keys(a) == keys(b)


def key_words(text: str) -> frozenset[str]:
    """The words that say what a text is about: words, case folded, minus STOPWORDS."""
    return frozenset(map(str.casefold, _WORD.findall(text))) - STOPWORDS


class Side:
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


def _match(a: Side, b: Side, alo: int, ahi: int, blo: int, bhi: int,
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


def _match_words(a: Side, b: Side, alo: int, ahi: int, blo: int, bhi: int,
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
    # Short stretches need no junk (the weak-run rule of Aligned cleans up after them).
    matcher = SequenceMatcher(_is_weak_key if len(kb) > JUNK_FROM else None, ka, kb)
    for i, j, size in matcher.get_matching_blocks():
        if size:
            blocks.append((alo + i, blo + j, size))


class Aligned:
    """Two texts aligned: their sides and the (start, end) runs of tokens they share."""

    __slots__ = ("a", "b", "same_a", "same_b", "_spans")

    def __init__(self, a: Side, b: Side) -> None:
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
        for (i, j, n), (ni, nj, _) in pairwise(merged):
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
    return Aligned(Side(left), Side(right)).text_diff()


def word_diff(left: str, right: str) -> tuple[Spans, Spans]:
    """Each text as spans, the words the other lacks marked changed (see ``text_diff``)."""
    return Aligned(Side(left), Side(right)).spans()


def squeezed(text: str) -> str:
    """``text`` case folded with its whitespace taken out: two texts whose keys (see
    ``Side``) are the same give the same (the converse is not always true: "a b", "ab")."""
    return "".join(text.split()).casefold()
