"""Which cases a few typed words name: the one rule every command (``store.case_ref``) and
the app use to find a case from what a person types.

A case is named by its id, by its title (any letter case), or by a start of either: "Dad"
names "Dad - prostate cancer" when no other case's title or id starts so. Pure: it looks at
the case list it is given.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .case_summary import CaseSummary


@dataclass(frozen=True)
class Match:
    """The cases ``ref`` fits, and how: "id", "title" (the whole title), "start" (a start of a
    title or an id). More than one case: the words are ambiguous."""

    cases: tuple[CaseSummary, ...]
    how: str = ""


def _folded(text: str) -> str:
    return " ".join(text.split()).casefold()


def cases_named(summaries: Iterable[CaseSummary], ref: str) -> Match:
    """The cases ``ref`` names, most precise reading first: an exact id; else the whole
    title (any letter case, spaces squeezed); else every case whose title or id starts
    with ``ref``. An empty ``ref`` names nothing."""
    wanted = _folded(ref)
    rows = list(summaries)
    if not wanted:
        return Match(())
    by_id = tuple(r for r in rows if r.id == wanted)
    if by_id:
        return Match(by_id[:1], "id")
    by_title = tuple(r for r in rows if _folded(r.title) == wanted)
    if by_title:
        return Match(by_title, "title")
    starts = tuple(
        r for r in rows if _folded(r.title).startswith(wanted) or r.id.startswith(wanted)
    )
    return Match(starts, "start" if starts else "")


def describe(case: CaseSummary) -> str:
    """A case as a list of candidates names it: its title and the start of its id (user
    text: clean it before printing)."""
    return f"{' '.join(case.title.split()) or '(untitled)'} ({case.id[:8]})"
