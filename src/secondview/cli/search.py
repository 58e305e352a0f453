"""The command ``search``: find text in every case, from the local full-text index.

The index (``store.search_index``, beside the case list index in the cache folder) is
brought up to date first by a stamp check of each case folder, so only cases changed since
are read; the search itself opens no case file. Exit status 1 when nothing is found, as grep
does, so a script can test for a hit.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..core.search_text import Hit
from ..store import search_index
from .diagnostics import warn_problems
from .output import out, out_json, short

if TYPE_CHECKING:
    import argparse

    from .context import Env

PANE_LABELS = {"overview": "Overview", "checklist": "Checklist", "records": "Records",
               "questions": "Questions", "opinions": "Opinions", "decision": "Decision",
               "doctors": "Doctors", "visits": "Visits"}


def register(add: Callable[..., Any], case_help: str) -> None:
    """Add ``search`` to the parser (``add`` is ``parser.build_parser``'s helper)."""
    p = add(
        "search",
        "Find text in every case: titles, doctors, records, transfers, questions, answers, "
        "opinions, notes and imported notes.",
        json=True,
        epilog="Any part of a word matches, whatever its letter case (\"pat\" finds Dr. Patel); "
        "with several\nwords, a case must hold every one. At most "
        f"{search_index.MAX_HITS} hits are listed, by case title.\nExit status: 0 when "
        "something is found, 1 when nothing is (as grep does) or on a problem.",
    )
    p.add_argument("text", metavar="TEXT", nargs="+", help="what to look for")
    p.add_argument("--all", action="store_true", help="search archived cases too")
    p.set_defaults(handler=cmd_search)


def hit_json(hit: Hit) -> dict[str, Any]:
    """One hit for scripts: case_id, case_title, archived, pane, item_id, where, snippet."""
    return dataclasses.asdict(hit)


def cmd_search(args: argparse.Namespace, env: Env) -> int:
    """Print where TEXT is found (one line per hit: case, where, the text around it);
    1 when nothing is found. Warns about unreadable case files (their cases are left out)."""
    wanted = " ".join(args.text)
    problems = env.repo.refresh()
    hits = env.repo.index.search.search(wanted, include_archived=args.all)
    warn_problems(problems)
    if args.json:
        out_json([hit_json(h) for h in hits])
        return 0 if hits else 1
    if not hits:
        hidden = "" if args.all else " (archived cases too: --all)"
        out(f"Nothing found for '{short(wanted, 60)}'{hidden}.")
        return 1
    for hit in hits:
        title = hit.case_title + (" [archived]" if hit.archived else "")
        out(f"{short(title, 28):28}  {short(hit.where, 44):44}  {short(hit.snippet, 60)}")
    return 0
