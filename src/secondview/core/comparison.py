"""What comparing two opinions gives: the rows (``FieldRow``, ``AnswerRow``, each with its
``RowKind`` and ``MARKS``), the ``Relation`` of a diagnosis or treatment, the ``Verdict`` and
the whole ``Comparison``. Pure data; the rules that make them are ``core.compare``'s.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from .model import Item
from .word_diff import Aligned, Side, Spans


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


MARKS = {RowKind.SAME: "=", RowKind.DIFFERS: "\u2260", RowKind.ONLY_LEFT: "\u25d0",
         RowKind.ONLY_RIGHT: "\u25d1", RowKind.NEITHER: "\u00b7"}
"""The mark of each kind of row, on screen and in the export (never colour alone): ◐ and ◑
fill the half of the side that says something."""


class HasSides:
    """A row whose two texts are diffed word by word when first shown (``sides``)."""

    sides: LazySides | None

    @property
    def left_spans(self) -> Spans:
        """The left text as spans (the word diff is computed when first asked for)."""
        return self.sides.spans()[0] if self.sides is not None else ()

    @property
    def right_spans(self) -> Spans:
        return self.sides.spans()[1] if self.sides is not None else ()


@dataclass(frozen=True)
class FieldRow(HasSides):
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
    sides: LazySides | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class AnswerRow(HasSides):
    """One question and what each doctor answered (an answer item may be missing: None)."""

    question: Item
    kind: RowKind
    left: str
    right: str
    left_answer: Item | None
    right_answer: Item | None
    sides: LazySides | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Relation:
    """How the right opinion's diagnosis or treatment relates to the left's.

    ``value``: one of RELATIONS, or "" when it cannot be told (not in both opinions).
    ``source``: "user" when settled by the person, "engine" when suggested here, "" with
    no value. ``suggested``: the engine's suggestion, kept even when the user settled it.
    ``reason``: what the engine's suggestion rests on, in a few words (our own; no user
    text, no figures). ``counts``: the figures behind it, for whoever asks (our own).
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
    counts: str = ""

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


class LazySides:
    """A row's spans, worked out when first asked for: the word diff of two long texts is
    the costly part of a comparison, and a pane shows only some rows at a time."""

    __slots__ = ("_spans", "_a", "_b", "_aligned")

    def __init__(self, spans: tuple[Spans, Spans] | None, a: Side | str | None = None,
                 b: Side | str | None = None) -> None:
        self._spans = spans
        self._a, self._b = a, b
        self._aligned: Aligned | None = None

    @property
    def aligned(self) -> Aligned | None:
        """The two sides aligned (None unless both say something different)."""
        if self._aligned is None and self._a is not None and self._b is not None:
            a, b = self._a, self._b
            self._aligned = Aligned(Side(a) if isinstance(a, str) else a,
                                     Side(b) if isinstance(b, str) else b)
        return self._aligned

    def spans(self) -> tuple[Spans, Spans]:
        if self._spans is None:
            aligned = self.aligned
            assert aligned is not None
            self._spans = aligned.spans()
        return self._spans
