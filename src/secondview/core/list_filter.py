"""What a person types into the case list's filter box (`/`): filter words that ask about a
column (``urgency:soon``, ``conflicts``...) and free text.

The words and what each means live here, in FILTER_WORDS: the list, its help text and the
README name the same set. Free text is matched by whoever filters (``keeps``'s ``text_hit``):
the title and the condition (``in_title``) unless a fuller search answers. Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .case_summary import CaseSummary
from .choices import URGENCIES


@dataclass(frozen=True)
class FilterWord:
    """One word the filter understands: ``word`` alone, or ``word:argument``."""

    word: str
    help: str
    """What it keeps, for the help screen and the README."""
    test: Callable[[CaseSummary, str], bool]
    """Whether a case is kept, given the argument after the colon ("" without one)."""
    arguments: tuple[str, ...] = ()
    """The arguments it takes (empty: any text, or none)."""


def _urgency(summary: CaseSummary, argument: str) -> bool:
    return summary.urgency == argument if argument else summary.urgency != "routine"


FILTER_WORDS: tuple[FilterWord, ...] = (
    FilterWord("urgency", "cases needed soon or an emergency; urgency:soon, urgency:routine "
               "and urgency:emergency keep only that urgency", _urgency, URGENCIES),
    FilterWord("conflicts", "cases with fields two devices changed differently",
               lambda s, _: s.conflicts > 0),
    FilterWord("phase", "phase:WORD keeps cases whose phase holds WORD, e.g. phase:decid",
               lambda s, a: _folded(a) in _folded(s.phase)),
)
_BY_WORD = {w.word: w for w in FILTER_WORDS}


@dataclass(frozen=True)
class Query:
    """A typed filter, read: the filter words (each with its argument) and the free text
    left over (letter case folded, spaces squeezed)."""

    words: tuple[tuple[FilterWord, str], ...] = ()
    text: str = ""

    @property
    def empty(self) -> bool:
        return not self.words and not self.text


def _folded(text: str) -> str:
    return " ".join(text.split()).casefold()


def parse(typed: str) -> Query:
    """Read what was typed: each space-separated part that is a filter word (alone, or with
    one of its arguments after a colon) is a word; the rest, in order, is the free text. A
    word with an argument it does not take is text (``urgency:later`` finds that text)."""
    words: list[tuple[FilterWord, str]] = []
    rest: list[str] = []
    for part in typed.split():
        name, colon, argument = part.casefold().partition(":")
        word = _BY_WORD.get(name)
        if word is not None and (not colon or not word.arguments or argument in word.arguments):
            words.append((word, argument))
        else:
            rest.append(part)
    return Query(tuple(words), _folded(" ".join(rest)))


def in_title(summary: CaseSummary, text: str) -> bool:
    """Whether ``text`` (folded, as ``Query.text``) is in the case's title or condition."""
    return text in _folded(f"{summary.title}\n{summary.condition}")


def keeps(summary: CaseSummary, query: Query,
          text_hit: Callable[[CaseSummary, str], bool] = in_title) -> bool:
    """Whether the filter ``query`` keeps the case: every word's test passes, and the free
    text (if any) is found by ``text_hit``."""
    return all(word.test(summary, argument) for word, argument in query.words) and (
        not query.text or text_hit(summary, query.text))
