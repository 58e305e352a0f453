"""``secondview sync``, ``secondview import`` and ``export --replica``: cases across devices.

    secondview sync status [CASE] [--json]   devices, last writes, conflicts, copies waiting,
                                             then a one-line summary (status_summary; in
                                             JSON the object "summary", _summary_json)
    secondview sync tidy [CASE]              merge foreign copies now and archive them
    secondview import FILE                   merge a replica file into the cases folder
    secondview export CASE --replica FILE [--force]
                                             (parsed by cli.exports; runs
                                             ``export_replica`` here)

The work is done by ``store.sync``; this module parses, prints and names problems. Times are
the hybrid-clock stamps of the entries each device wrote, shown in local time: they order
writes the way the devices saw them, whatever their wall clocks said.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..store import sync
from ..store.sync_status import summarize
from .output import clean, confirm, out, out_json, short, warn, when

if TYPE_CHECKING:
    import argparse

    from .context import Env

SYNC_EPILOG = """\
status  per case: the devices that wrote to it (with the time of each one's latest write,
        from the hybrid clock), unsettled conflicts, and foreign copies waiting: sync tools'
        conflict copies or restored backups that are merged already and will be moved to
        this device's archive (foreign/ in the data folder 'secondview where' names) at
        its next save of the case.
        A last line sums it up. --json gives "device", "cases" and "summary": the counts
        of that line (cases, in_step, with_conflicts, with_copies_waiting, read_only,
        with_unreadable_files, unreadable, with_files_syncing, devices) and
        silent_devices, those not heard from for silent_days.
tidy    do that now: write this device's file with the copies merged in, then archive them.

Examples:
  secondview sync status
  secondview sync status "Mum - knee" --json
  secondview sync tidy"""

IMPORT_EPILOG = """\
FILE is a file made by 'secondview export CASE --replica FILE' on another device, or any
device's replica (a <device-id>.json from a case folder or a backup). A case new here gets
its own folder; a case known here has FILE merged into this device's file. Nothing is
overwritten, and FILE is left where it is."""


def register(add: Callable[..., Any], case_help: str) -> None:
    """Add ``sync`` and ``import`` to the parser (``add`` is ``parser.build_parser``'s
    helper).

    ``export --replica`` is parsed by ``cli.exports``, which calls
    ``export_replica`` below.
    """
    p = add(
        "sync",
        "How your cases stand across devices; tidy up sync tools' conflict copies.",
        json=True,
        epilog=SYNC_EPILOG,
    )
    p.add_argument("action", metavar="status|tidy", choices=("status", "tidy"),
                   help="what to do")
    p.add_argument("case", metavar="CASE", nargs="?", default=None,
                   help=f"{case_help} (default: every case)")
    p.set_defaults(handler=cmd_sync)

    p = add(
        "import",
        "Merge a case file sent from another device into your cases; nothing is overwritten.",
        json=True,
        epilog=IMPORT_EPILOG,
    )
    p.add_argument("file", metavar="FILE", help="the replica file to merge")
    p.set_defaults(handler=cmd_import)


# -- sync -------------------------------------------------------------------------------------


def cmd_sync(args: argparse.Namespace, env: Env) -> int:
    """``sync status``: print per case how it stands; ``sync tidy``: archive foreign copies.

    Status opens (reads in full) only the cases whose files changed since the index last
    knew their status, or whose status was not clean (see ``store.sync.status``); the rest
    cost one folder listing each. Side effects: status, those of opening those cases
    (quarantine copies of unreadable files) and the statuses kept in the index; tidy, for
    each case with foreign copies: this device's file written, the copies archived in the
    local data folder and removed from the case folder.
    """
    if args.action == "tidy":
        return _tidy(args, env)
    rows = sync.status(env.repo, args.case)
    if args.json:
        out_json({"device": env.repo.device.id, "cases": [_status_json(r) for r in rows],
                  "summary": _summary_json(rows, dt.datetime.now(dt.UTC))})
        return 0
    if not rows:
        out(f"No cases yet in {env.paths.cases_dir}.")
        return 0
    for row in rows:
        out(*_status_lines(row), "")
    out(status_summary(rows, dt.datetime.now(dt.UTC)))
    broken = [r for r in rows if r.error]
    if broken:
        noun = "case" if len(broken) == 1 else "cases"
        warn(f"{len(broken)} {noun} could not be read, see above; 'secondview check' lists "
             "what to fix")
        return 1
    return 0


def _status_lines(row: sync.CaseSync) -> list[str]:
    if row.error:
        return [f"{row.case_id[:8]}  cannot be read: {clean(row.error)}"]
    unsettled = len(row.conflicts) + len(row.races)
    summary = [f"{len(row.devices)} device{'s' if len(row.devices) != 1 else ''}"]
    summary.append(f"{unsettled} unsettled" if unsettled else "no conflicts")
    if row.foreign:
        summary.append(f"{len(row.foreign)} cop{'ies' if len(row.foreign) != 1 else 'y'} waiting")
    lines = [f"{short(row.title, 60)} ({row.case_id[:8]}): {', '.join(summary)}"]
    if row.read_only:
        lines.append(f"  read-only here: {clean(row.read_only)}")
    width = max((len(short(d.name, 30)) for d in row.devices), default=0)
    for d in row.devices:
        mark = " (this device)" if d.this_device else ""
        last = when(d.last_wrote) if d.last_wrote else "no write left in the case"
        lines.append(f"  {short(d.name, 30).ljust(width)}  last wrote {last}  "
                     f"id {clean(d.id)}{mark}")
    for table, doc_id, fname in row.conflicts:
        lines.append(f"  conflict: {table} {doc_id[:8]} field '{clean(fname)}'")
    for table, doc_id in row.races:
        lines.append(f"  conflict: {table} {doc_id[:8]} edited on one device, deleted on "
                     "another")
    if unsettled:
        lines.append(f"  ('secondview show {row.case_id[:8]}' lists every value and the "
                     "'secondview settle' command for each; or settle them in the app)")
    for name in row.foreign:
        lines.append(f"  waiting: {clean(name)} (merged; archived at this device's next "
                     "save, or now with 'secondview sync tidy')")
    for problem in row.problems:
        lines.append(f"  problem: {clean(problem.message())}")
    return lines


def status_summary(rows: Sequence[sync.CaseSync], now: dt.datetime) -> str:
    """The line that sums up ``rows`` (``store.sync_status.summarize``): how many cases are in
    step and how many are not, and why; how many devices wrote to them, naming those other
    than this one not heard from for SILENT_DAYS or more before ``now``."""
    def plural(n: int, word: str) -> str:
        return f"{n} {word}{'' if n == 1 else 's'}"

    facts = summarize(rows, now)
    counts = {
        "with conflicts to settle": facts.with_conflicts,
        "with copies waiting": facts.with_copies_waiting,
        "read-only here": facts.read_only,
        "with files that cannot be read": facts.with_unreadable_files,
        "that cannot be read": facts.unreadable,
        "with files still syncing": facts.with_files_syncing,
    }
    calm = facts.in_step
    parts = [f"{calm} in step" if facts.cases > 1 else "in step" if calm else ""]
    parts += [f"{n} {what}" for what, n in counts.items() if n]
    cases = f"{plural(facts.cases, 'case')}: {', '.join(p for p in parts if p)}"
    devices = plural(facts.devices, "device")
    if facts.silent_devices:
        names = ", ".join(name for _, name, _ in facts.silent_devices)
        devices += (f", {len(facts.silent_devices)} not heard from for {facts.silent_days} "
                    f"days or more ({names})")
    return clean(f"{cases}; {devices}")


def _summary_json(rows: Sequence[sync.CaseSync], now: dt.datetime) -> dict[str, Any]:
    facts = dataclasses.asdict(summarize(rows, now))
    facts["silent_devices"] = [{"id": i, "name": n, "last_wrote": w}
                               for i, n, w in facts["silent_devices"]]
    return facts


def _status_json(row: sync.CaseSync) -> dict[str, Any]:
    return {
        "id": row.case_id,
        "title": row.title,
        "error": row.error,
        "read_only": row.read_only,
        "devices": [
            {**dataclasses.asdict(d), "last_wrote_local": when(d.last_wrote) if d.last_wrote
             else ""}
            for d in row.devices
        ],
        "conflicts": [{"table": t, "id": i, "field": f} for t, i, f in row.conflicts],
        "races": [{"table": t, "id": i} for t, i in row.races],
        "foreign_copies": list(row.foreign),
        "problems": [{"path": str(p.path), "problem": p.problem} for p in row.problems],
    }


def _tidy(args: argparse.Namespace, env: Env) -> int:
    refs = [args.case] if args.case else env.repo.case_ids()
    total = 0
    for ref in refs:
        saved, removed = sync.tidy(env.repo, ref)
        for name in removed:
            out(f"{clean(saved.case.title)}: merged and archived {clean(name)}")
        total += len(removed)
    noun = "copy" if total == 1 else "copies"
    out(f"{total} foreign {noun} archived in {env.paths.foreign_dir}" if total
        else "No foreign copies waiting.")
    return 0


# -- import and export ------------------------------------------------------------------------


def cmd_import(args: argparse.Namespace, env: Env) -> int:
    """Merge a replica file into the cases folder (see store.sync.import_replica).

    Side effects: a new case folder with this device's file, or this device's file of a
    known case rewritten with FILE merged in; FILE itself is left alone.
    """
    done = sync.import_replica(env.repo, Path(args.file).expanduser())
    if args.json:
        out_json(dataclasses.asdict(done))
        return 0
    title = clean(done.title)
    if done.created:
        out(f"Imported '{title}' as a new case ({done.case_id})")
    elif done.changed:
        out(f"Merged {clean(Path(args.file).name)} into '{title}' ({done.case_id[:8]})")
    else:
        out(f"'{title}' already holds everything in {clean(Path(args.file).name)}; "
            "nothing changed")
    return 0


def export_replica(env: Env, case_ref: str, path: Path, force: bool = False) -> int:
    """``secondview export CASE --replica FILE [--force]`` (called by cli.exports).

    Writes the case's merged state as one replica file, under this device's id and name but
    without its install nonce (see store.sync.export_replica). An existing FILE is replaced
    with ``force``, or when the person answers yes on a terminal; a script without --force is
    told to add it. Side effects: may ask on stderr and read stdin; writes FILE (0600,
    fsynced, atomic; a link at FILE is replaced, never followed).
    """
    case_id = env.repo.resolve(case_ref)  # a case that is not there is said before asking
    there = (path.exists() or path.is_symlink()) and not path.is_dir()
    if there and not force:
        if not sys.stdin.isatty():
            warn(f"{path} already exists; add --force to replace it, or choose another name")
            return 1
        if not confirm(f"Replace {path}? [y/N] "):
            warn(f"{path} is as it was; nothing was written")
            return 1
    opened = sync.export_replica(env.repo, case_id, path, replace=there)
    devices = len(sync.last_writes(opened.state.tables))
    out(f"Wrote '{clean(opened.case.title)}' to {path} (the merged edits of {devices} "
        f"device{'s' if devices != 1 else ''}); 'secondview import' merges it on another "
        "device")
    return 0
