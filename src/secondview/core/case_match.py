"""Which cases a few typed words name, and which cases share a title: the one rule every
command (``store.case_ref``) and the app use to find a case from what a person types, and to
warn when a new title is already used.

A case is named by its id, by its title, by a start of either, or by any part of its title:
"Garcia" names "Maria Garcia" and "Garcia, Maria" alike. Letter case never matters and runs
of spaces count as one. The words are read as typed first, then with punctuation and spaces
left out (so "garcia maria" is the whole title "Garcia, Maria" and "obrien" names
"O'Brien"); the first reading that fits any case decides, so a name that fitted one case
exactly never becomes ambiguous because looser readings fit more. Pure: it looks at the case
list it is given.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .case_summary import CaseSummary


@dataclass(frozen=True)
class Match:
    """The cases ``ref`` fits, and how: "id", "title" (the whole title), "start" (a start of a
    title or an id) or "part" (a part of a title). More than one case: the words are
    ambiguous."""

    cases: tuple[CaseSummary, ...]
    how: str = ""


def _folded(text: str) -> str:
    """``text`` as typed, letter case and runs of spaces aside."""
    return " ".join(text.split()).casefold()


_NOT_LETTERS = re.compile(r"[\W_]+")
"""Everything but letters and digits (of any script)."""


def _bare(text: str) -> str:
    """``text`` with only its letters and digits, case-folded ("" for punctuation alone)."""
    return _NOT_LETTERS.sub("", text.casefold())


def _title_key(text: str) -> str:
    """What two titles must share to be the same title: their letters and digits, or, for a
    title with none (emoji alone), the title as typed."""
    return _bare(text) or _folded(text)


def cases_named(summaries: Iterable[CaseSummary], ref: str) -> Match:
    """The cases ``ref`` names, most precise reading first, the first that fits any case
    deciding: an exact id; the whole title; a start of a title or an id; then, punctuation
    and spaces left out, the whole title, a start of a title, a part of a title. An empty
    ``ref`` names nothing."""
    typed = _folded(ref)
    if not typed:
        return Match(())
    rows = list(summaries)
    by_id = tuple(r for r in rows if r.id == typed)
    if by_id:
        return Match(by_id[:1], "id")
    titles = [_folded(r.title) for r in rows]
    found = _first_fit(rows, titles, (
        ("title", lambda r, title: title == typed),
        ("start", lambda r, title: title.startswith(typed) or r.id.startswith(typed)),
    ))
    bare = _bare(ref)
    if found.cases or not bare:  # words of punctuation alone have no looser reading
        return found
    return _first_fit(rows, [_bare(title) for title in titles], (
        ("title", lambda r, title: title == bare),
        ("start", lambda r, title: title.startswith(bare)),
        ("part", lambda r, title: bare in title),
    ))


def _first_fit(rows: list[CaseSummary], titles: list[str],
               readings: Iterable[tuple[str, Callable[[CaseSummary, str], bool]]]) -> Match:
    """The cases the first of ``readings`` that fits any row fits (``titles``: the rows'
    titles as that reading compares them)."""
    for how, fits in readings:
        found = tuple(r for r, title in zip(rows, titles, strict=True) if fits(r, title))
        if found:
            return Match(found, how)
    return Match(())


def same_title(summaries: Iterable[CaseSummary], title: str) -> tuple[CaseSummary, ...]:
    """The cases (archived ones too, if given) whose title is ``title`` as far as finding a
    case goes: the same letters and digits, whatever the letter case, spaces and
    punctuation, which finding a case looks past: such titles hardly tell the cases apart.
    """
    key = _title_key(title)
    return tuple(r for r in summaries if key and _title_key(r.title) == key)


def describe(case: CaseSummary) -> str:
    """A case as a list of candidates names it: its title and the start of its id (user
    text: clean it before printing)."""
    return f"{' '.join(case.title.split()) or '(untitled)'} ({case.id[:8]})"
