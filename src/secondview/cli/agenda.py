"""The command ``agenda``: what is due across every case, for scripts and for a glance.

Read from the case list index (``store.case_index``, brought up to date first by a stamp check
of each case folder: only cases changed since are read), never by opening every case; the
rules are ``core.agenda``'s.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as _dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..core import agenda, progress
from ..core.upcoming import UPCOMING_DAYS
from ..store.exports import write_calendar
from .diagnostics import warn_problems
from .exports import calendar_target
from .output import clean, out, out_json, short

if TYPE_CHECKING:
    from ..core.model import Case, Item
    from .context import Env

MAX_DAYS = 3660
"""The furthest --days looks ahead (ten years): more is a typing slip."""


def _days(text: str) -> int:
    try:
        days = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number of days: {text!r}") from None
    if not 0 <= days <= MAX_DAYS:
        raise argparse.ArgumentTypeError(f"days must be from 0 to {MAX_DAYS}, not {days}")
    return days


def register(add: Callable[..., Any], case_help: str) -> None:
    """Add ``agenda`` to the parser (``add`` is ``parser.build_parser``'s helper)."""
    p = add(
        "agenda",
        "List what is due across every case (archived ones left out), by date.",
        json=True,
        epilog="Lists record requests past their response window, planned visits and "
        "checklist steps due\nin the next days, steps overdue, and visits that took place "
        "with no opinion recorded.",
    )
    p.add_argument("--days", type=_days, default=UPCOMING_DAYS, metavar="N",
                   help=f"how many days ahead to look (default: {UPCOMING_DAYS})")
    p.add_argument("--ics", metavar="FILE", default=None,
                   help="write the agenda as an iCalendar file for a calendar program "
                   "(exporting again updates the same entries)")
    p.add_argument("--force", action="store_true",
                   help="with --ics: replace FILE if it exists")
    p.set_defaults(handler=cmd_agenda)


REQUEST_ONLY = ("record_title", "rule", "transfer_id", "days_waiting")
"""Keys only an overdue record request carries in ``agenda --json``."""


def entry_json(entry: agenda.Entry, late: bool, today: _dt.date) -> dict[str, Any]:
    """One entry for scripts: its fields, the date as ISO text, ``late`` (past its time),
    ``waiting_on`` (who has to act); an overdue record request also its record's title, the
    rule that made it late, the transfer's id and the days it has waited on ``today``
    (``REQUEST_ONLY``)."""
    found = dataclasses.asdict(entry)
    found["date"] = entry.date.isoformat()
    found["late"] = late
    if entry.kind == agenda.OVERDUE_REQUEST:
        found["days_waiting"] = (today - entry.date).days
    else:
        for key in REQUEST_ONLY:
            found.pop(key, None)
    return found


def cmd_agenda(args: argparse.Namespace, env: Env) -> int:
    """Print the agenda of every case from today, ``--days`` ahead; warn about unreadable
    case files (their cases are left out until they can be read)."""
    problems = env.repo.refresh()
    today = env.repo.today
    entries = env.repo.index.agenda(today, args.days)
    warn_problems(problems)
    if args.ics is not None:
        return _calendar(args, env, entries)
    if args.json:
        out_json([entry_json(e, e.late(today), today) for e in entries])
        return 0
    if not entries:
        out(f"Nothing due in the next {args.days} days, and nothing overdue.")
        return 0
    for entry in entries:
        mark = "late" if entry.late(today) else ""
        out(f"{entry.date.isoformat()} {entry.time[:5]:5} {mark:4}  "
            f"{agenda.KIND_LABELS[entry.kind]:14}  {short(entry.case_title, 24):24}  "
            f"{short(entry.words, 90)}")
    return 0


def _calendar(args: argparse.Namespace, env: Env, entries: list[agenda.Entry]) -> int:
    """``--ics FILE``: the agenda's entries as calendar entries, each under the same UID as
    the case's own calendar export (``core.calendar_file.uid``), so either export updates the
    other's entries. Opens only the cases that have an entry.

    Side effects: writes FILE (0600, atomic) unless it exists and --force is not given.
    """
    target = calendar_target(args.ics, args.force)
    if target is None:
        return 1
    by_case: dict[str, list[agenda.Entry]] = {}
    for entry in entries:
        by_case.setdefault(entry.case_id, []).append(entry)
    cases = []
    for case_id, found in by_case.items():
        case = env.repo.open(case_id).case
        cases.append((case, _calendar_items(case, found, env.repo.today)))
    write_calendar(target, cases, env.repo.today, _dt.datetime.now(_dt.UTC))
    count = sum(len(items) for _, items in cases)
    out(f"Wrote {count} calendar entr{'y' if count == 1 else 'ies'} from {len(cases)} "
        f"case{'' if len(cases) == 1 else 's'} to {clean(target)}")
    return 0


def _calendar_items(case: Case, entries: list[agenda.Entry], today: _dt.date) -> list[Item]:
    """The items of ``case`` its agenda ``entries`` are about: a late request's entry points
    at its record (the row the screen highlights), so its calendar item is the record's
    late transfers."""
    late = progress.overdue_transfers(case, today)
    items: dict[str, Item] = {}
    for entry in entries:
        if entry.kind == agenda.OVERDUE_REQUEST:
            items.update((o.transfer.id, o.transfer) for o in late
                         if o.transfer.record == entry.item_id)
        elif (item := case.find(entry.item_id)) is not None:
            items[item.id] = item
    return list(items.values())
