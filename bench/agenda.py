"""``python -m bench agenda [N ...]``: the agenda of every case, read from the case list index,
for 1,000 and 10,000 cases (or the counts given).

Each case is a copy of the realistic template (``bench.data``): its four checklist steps with
due dates passed are on the agenda, so 10,000 cases list 40,000 entries, far more than a
person's cases hold. The screen lists the first ``SHOWN_AT_MOST`` and counts the rest (the
budget's figure); the command line lists every one. The index is built first by a cold
listing in a fresh interpreter; the agenda is then timed warm in another (``bench.listing
... agenda``), as the app and the command line read it. Budget: the screen's read under 50 ms
warm for 10,000 cases (issue 13).

Side effects: writes the generated cases under the work folder (removed afterwards unless
--keep), like the other listing benchmarks.
"""

from __future__ import annotations

from pathlib import Path

from secondview.core.agenda import SHOWN_AT_MOST

from . import data, suite
from .per_count import main_per_count
from .timing import Row

AGENDA_BUDGET_MS = 50.0
AGENDA_BUDGET_CASES = 10_000


def rows(tpl: data.Template, work: Path, count: int, repeat: int, listed: bool = False
         ) -> list[Row]:
    """The warm agenda of ``count`` generated cases, its index built by a cold listing
    (unless ``listed``: ``suite.list_rows`` has just listed them, in the same folder)."""
    root = work / f"list-{count}"
    if not listed:
        data.write_cases(tpl, root / "cases", count)
        cold = suite.run_listing(root, "cold", 1)
        if cold["rows"] != count or cold["errors"]:
            raise RuntimeError(f"listing {count} cases gave {cold}")
    warm = suite.run_listing(root, "agenda", repeat)
    budget = AGENDA_BUDGET_MS if count >= AGENDA_BUDGET_CASES else None
    entries = f"{warm['entries']:,.0f} entries"
    return [
        Row(f"agenda of {count:,} cases warm: the screen's read (first {SHOWN_AT_MOST}, count)",
            warm["agenda_screen_ms"], "ms", f"median of {repeat}", budget, note=entries),
        Row(f"agenda of {count:,} cases warm: every entry (the command line)",
            warm["agenda_ms"], "ms", f"median of {repeat}", note=entries),
    ]


def main(argv: list[str]) -> int:
    return main_per_count("agenda", __doc__ or "", rows, argv)
