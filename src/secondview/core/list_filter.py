"""What a person types into the case list's filter box (`/`): filter words that ask about a
column (``urgency:soon``, ``overdue``, ``waiting:me``, ``visit:7``...) and free text.

The words and what each means live here, in FILTER_WORDS: the list, its help text and the
README (``markdown_table``, held equal by a test) name the same set. Words about what is late
or next are decided on the day the filter is read (``parse``'s ``today``), as the columns
are. Free text is matched by whoever filters (``keeps``'s ``text_hit``): the title and the
condition (``in_title``) unless a fuller search answers. Pure: no I/O, no clock.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from dataclasses import dataclass

from .case_summary import CaseSummary, late_for_me, next_visit, overdue_count, waiting_on
from .choices import URGENCIES, WHO
from .upcoming import UPCOMING_DAYS
from .urgency import urgency_now


@dataclass(frozen=True)
class FilterWord:
    """One word the filter understands: ``word`` alone, or ``word:argument``."""

    word: str
    help: str
    """What it keeps, for the help screen and the README."""
    test: Callable[[CaseSummary, str, _dt.date], bool]
    """Whether a case is kept, given the argument after the colon ("" without one) and
    today's date."""
    arguments: tuple[str, ...] = ()
    """The arguments it takes (empty: any text, or none)."""


def _urgency(summary: CaseSummary, argument: str, today: _dt.date) -> bool:
    urgency = urgency_now(summary.urgency, summary.archived)
    return urgency == argument if argument else urgency != "routine"


def _waiting(summary: CaseSummary, argument: str, today: _dt.date) -> bool:
    if argument:
        return waiting_on(summary, argument) > 0
    return any(waiting_on(summary, who) for who in WHO if who != "me")


def _visit(summary: CaseSummary, argument: str, today: _dt.date) -> bool:
    if argument and not argument.isdigit():
        return False
    days = int(argument) if argument else UPCOMING_DAYS
    visit = next_visit(summary, today)
    return visit is not None and (visit - today).days <= days


FILTER_WORDS: tuple[FilterWord, ...] = (
    FilterWord("urgency", "cases needed soon or an emergency; urgency:soon, urgency:routine "
               "and urgency:emergency keep only that urgency", _urgency, URGENCIES),
    FilterWord("overdue", "cases with a record request past its time (the Overdue column)",
               lambda s, _, today: overdue_count(s, today) > 0),
    FilterWord("late", "cases with something waiting on you past its due date",
               lambda s, _, today: late_for_me(s, today) > 0),
    FilterWord("waiting", "cases where something waits on the patient or family, an office "
               "or a doctor; waiting:me, waiting:patient, waiting:office and waiting:doctor "
               "keep cases where something waits on that one", _waiting, WHO),
    FilterWord("visit", f"cases with a visit planned in the next {UPCOMING_DAYS} days; visit:N "
               "looks N days ahead, visit:0 keeps visits today", _visit),
    FilterWord("conflicts", "cases with fields two devices changed differently",
               lambda s, _, today: s.conflicts > 0),
    FilterWord("phase", "phase:WORD keeps cases whose phase holds WORD, e.g. phase:decid",
               lambda s, a, today: _folded(a) in _folded(s.phase)),
)
_BY_WORD = {w.word: w for w in FILTER_WORDS}


@dataclass(frozen=True)
class Query:
    """A typed filter, read: the filter words (each with its argument) and the free text
    left over (letter case folded, spaces squeezed)."""

    words: tuple[tuple[FilterWord, str], ...] = ()
    text: str = ""
    today: _dt.date = _dt.date.min
    """The day the words are read on (what is late, which visit is next)."""

    @property
    def empty(self) -> bool:
        return not self.words and not self.text


def _folded(text: str) -> str:
    return " ".join(text.split()).casefold()


def parse(typed: str, *, today: _dt.date) -> Query:
    """Read what was typed on ``today``: each space-separated part that is a filter word
    (alone, or with one of its arguments after a colon) is a word; the rest, in order, is the
    free text. A word with an argument it does not take is text (``urgency:later`` finds that
    text)."""
    words: list[tuple[FilterWord, str]] = []
    rest: list[str] = []
    for part in typed.split():
        name, colon, argument = part.casefold().partition(":")
        word = _BY_WORD.get(name)
        if word is not None and (not colon or not word.arguments or argument in word.arguments):
            words.append((word, argument))
        else:
            rest.append(part)
    return Query(tuple(words), _folded(" ".join(rest)), today)


def in_title(summary: CaseSummary, text: str) -> bool:
    """Whether ``text`` (folded, as ``Query.text``) is in the case's title or condition."""
    return text in _folded(f"{summary.title}\n{summary.condition}")


def keeps(summary: CaseSummary, query: Query,
          text_hit: Callable[[CaseSummary, str], bool] = in_title) -> bool:
    """Whether the filter ``query`` keeps the case: every word's test passes, and the free
    text (if any) is found by ``text_hit``."""
    today = query.today
    for word, argument in query.words:  # a loop, not all(): this runs for every row per key
        if not word.test(summary, argument, today):
            return False
    return not query.text or text_hit(summary, query.text)


def markdown_table() -> str:
    """The filter words as the README's table (a test holds the README to it)."""
    lines = ["| word | keeps |", "|---|---|"]
    lines += [f"| `{w.word}` | {w.help} |" for w in FILTER_WORDS]
    return "\n".join(lines) + "\n"
