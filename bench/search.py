"""``python -m bench search [N ...]``: full-text search of every case, from the local index,
for 1,000 and 10,000 cases (or the counts given).

Each case is a copy of the realistic template (``bench.data``: about 110 kB of text, the
same words in every case, each case's own title), so a common word is found in every case:
far more hits than a person's cases give. The index is built first by a cold listing in a
fresh interpreter (the rebuild: every case read, its list row, agenda and search rows
written); the searches are then timed warm in another interpreter, as the app and the
command line run them:

- a rare text (one case's title: what a person usually types), the hits and the case ids
  the list filter keeps;
- a word of every case (the worst case: every case matches; the hits are cut to
  ``search_index.MAX_HITS`` in order, the list filter keeps every case);
- a two-letter text (matched with LIKE, without the trigram index);
- indexing one case on save: the search rows of the realistic case written again with one
  text changed (its pane's list another object, the other panes the same, as a save gives
  them), and with none (most saves), beside the save budget.

Budget: results under 50 ms for 10,000 cases (DESIGN.md); the list filter's per-key budget
is 16 ms. Side effects: writes the generated cases under the work folder (removed afterwards
unless --keep).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from secondview.core.search_text import Searchable
from secondview.store import search_index
from secondview.store.paths import Device, Paths
from secondview.store.repository import CaseRepository

from . import data, suite
from .per_count import main_per_count
from .timing import Row, median_ms

SEARCH_BUDGET_MS = 50.0
FILTER_BUDGET_MS = 16.0
BUDGET_CASES = 10_000
SAVE_BUDGET_MS = 5.0
COMMON_WORD = "biopsy"
"""A word the template's text holds (bench.data.WORDS): found in every case."""
RARE = "case #000042"
"""Part of one generated title (``bench.data.copy_bytes``)."""


def measure(cases: Path, local: Path, repeat: int) -> dict[str, float]:
    """The warm figures, in this interpreter, on an index already built."""
    paths = Paths(cases, local / "data", local / "cache", local / "config")
    repo = CaseRepository(paths, Device(data.DEVICES[0], data.DEVICE_NAMES[data.DEVICES[0]]))
    db = repo.index_db()
    index = repo.index.search
    result: dict[str, float] = {}
    for name, text in (("rare", RARE), ("common", COMMON_WORD), ("short", "#0")):
        hits = index.search(text, include_archived=True)
        result[f"{name}_hits"] = len(hits)
        result[f"{name}_ms"] = median_ms(
            lambda t=text: index.search(t, include_archived=True), repeat)
        result[f"{name}_cases"] = len(index.case_ids(text))
        result[f"{name}_filter_ms"] = median_ms(lambda t=text: index.case_ids(t), repeat)
    opened = repo.open(repo.case_ids()[0], upgrade=False)
    panes = index.pieces(db, opened.case, repo.index.read_kept)
    pieces = [p for pane in panes for p in pane]

    def after_a_save() -> None:  # the saved case's title and flag are read again
        db.execute("BEGIN")
        index.replace_case(db, opened.case_id, panes)
        db.execute("COMMIT")
        index.case_ids(COMMON_WORD)

    result["after_save_ms"] = median_ms(after_a_save, repeat)
    result["first_ms"] = median_ms(  # a fresh start: every case's title read once
        lambda: search_index.SearchIndex(repo.index.db).case_ids(COMMON_WORD), repeat)
    result["rows"] = db.execute("SELECT COUNT(*) FROM search_rows").fetchone()[0]
    result["index_mib"] = sum(
        os.path.getsize(f"{paths.index_file}{s}") for s in ("", "-wal")
        if os.path.exists(f"{paths.index_file}{s}")) / 2**20
    # the last piece's text changed: its pane is another list, the others the same objects
    # (as core.search_text.searchable_panes gives them after a save)
    last = max(n for n, pane in enumerate(panes) if pane)
    changed = list(panes)
    changed[last] = [*panes[last][:-1],
                     Searchable(*panes[last][-1][:3], panes[last][-1].text + " changed")]
    turn = [panes, tuple(changed)]

    def save_changed() -> None:
        db.execute("BEGIN")
        index.replace_case(db, opened.case_id, turn[len(turn) % 2 - 1])
        db.execute("COMMIT")
        turn.append(turn.pop(0))

    def save_same() -> None:
        db.execute("BEGIN")
        index.replace_case(db, opened.case_id,
                           index.pieces(db, opened.case, repo.index.read_kept))
        db.execute("COMMIT")

    result["save_changed_ms"] = median_ms(save_changed, repeat)
    result["save_same_ms"] = median_ms(save_same, repeat)
    result["pieces"] = len(pieces)
    repo.close()
    return result


def _run(root: Path, repeat: int) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-m", "bench.search", "--measure", str(root / "cases"),
         str(root / "local"), str(repeat)],
        cwd=suite.ROOT, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"bench.search --measure failed:\n{done.stderr}")
    found: dict[str, float] = json.loads(done.stdout)
    return found


def rows(tpl: data.Template, work: Path, count: int, repeat: int) -> list[Row]:
    """The search figures of ``count`` generated cases, the index built by a cold listing."""
    root = work / f"search-{count}"
    data.write_cases(tpl, root / "cases", count)
    cold = suite.run_listing(root, "cold", 1)
    if cold["rows"] != count or cold["errors"]:
        raise RuntimeError(f"listing {count} cases gave {cold}")
    warm = _run(root, repeat)
    big = count >= BUDGET_CASES
    search_budget = SEARCH_BUDGET_MS if big else None
    filter_budget = FILTER_BUDGET_MS if big else None
    label, runs = f"{count:,}", f"median of {repeat}"
    return [
        Row(f"search {label} cases: a rare text (hits)", warm["rare_ms"], "ms", runs,
            search_budget, note=f"{warm['rare_hits']:.0f} hits"),
        Row(f"search {label} cases: a rare text (the list filter's case ids)",
            warm["rare_filter_ms"], "ms", runs, filter_budget,
            note=f"{warm['rare_cases']:.0f} cases"),
        Row(f"search {label} cases: a word of every case (first {search_index.MAX_HITS} hits)",
            warm["common_ms"], "ms", runs, search_budget,
            note=f"{warm['common_cases']:.0f} cases match"),
        Row(f"search {label} cases: a word of every case (the list filter's case ids)",
            warm["common_filter_ms"], "ms", runs, filter_budget),
        Row(f"search {label} cases: the same, after a save (the saved case's title read again)",
            warm["after_save_ms"], "ms", runs, filter_budget),
        Row(f"search {label} cases: the same, the first search since the start",
            warm["first_ms"], "ms", runs, search_budget),
        Row(f"search {label} cases: two letters (LIKE, no trigram index)", warm["short_ms"],
            "ms", runs, note=f"{warm['short_hits']:.0f} hits"),
        Row(f"rebuild the index of {label} cases (cold listing, search rows included)",
            cold["list_ms"], "ms", "1 run",
            note=f"{warm['rows']:,.0f} search rows, {warm['index_mib']:,.0f} MiB index"),
        Row("index one case's search text on save: one text changed", warm["save_changed_ms"],
            "ms", runs, note=f"{warm['pieces']:.0f} texts in the case"),
        Row("index one case's search text on save: no text changed (most saves)",
            warm["save_same_ms"], "ms", runs),
    ]


def main(argv: list[str]) -> int:
    if argv[:1] == ["--measure"]:
        print(json.dumps(measure(Path(argv[1]), Path(argv[2]), int(argv[3]))))
        return 0
    return main_per_count("search", __doc__ or "", rows, argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
