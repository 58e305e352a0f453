"""How the case list names several cases in one line ("3 cases", "'A', 'B' and 2 more"):
the archive question, its messages and the export dialog say it alike."""

from __future__ import annotations

from collections.abc import Sequence

from . import text

NAMES_SHOWN = 5
"""How many cases a line names before "and N more"."""
TITLE_CELLS = 60
"""How much of each title a line shows."""


def cases_word(count: int) -> str:
    """'1 case', '3 cases', '1,200 cases'."""
    return f"{count:,} case" + ("" if count == 1 else "s")


def names(titles: Sequence[str]) -> str:
    """The first few titles, quoted and cleaned (``text.clean``), and how many more."""
    quoted = [f"'{text.clean(t or '(untitled)')[:TITLE_CELLS]}'" for t in titles[:NAMES_SHOWN]]
    more = len(titles) - NAMES_SHOWN
    return ", ".join(quoted) + (f" and {more} more" if more > 0 else "")
