"""``secondview export``: a case as a document to print or send (Markdown or HTML).

    secondview export CASE --what brief|questions|packet|comparison|decision|all
                           [--format md|html] [-o FILE] [--force]
                           [--doctor OPINION] [--opinions A B]
    secondview export CASE --replica FILE [--force]
    secondview export CASE --ics FILE [--force]

The documents come from ``core.export`` (pure); this module picks the case and the options,
then prints the text or writes it. Written files are 0600 and atomic
(``store.exports.write_documents``, which the app's export dialog uses too): a crash leaves
the old file or the new one, never half. An existing file is never replaced without --force
(``--replica`` asks first on a terminal).
``--replica`` hands over to ``cli.sync.export_replica``; ``--ics`` writes the case's visits
and deadlines as a calendar file (``core.calendar_file``, through
``store.exports.write_calendar``), under the same rules.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..core import export
from ..core.compare import chosen_pair
from ..store.exports import build_documents, write_calendar, write_documents
from .output import clean, out, warn
from .sync import export_replica

if TYPE_CHECKING:
    import argparse
    import datetime as _dt

    from .context import Env

SUFFIXES = {".md": "md", ".markdown": "md", ".html": "html", ".htm": "html"}
"""Output file endings that choose the format when --format is not given."""

EPILOG = """\
Documents:
  brief       one page for a doctor new to the case: condition, first opinion, records,
              questions
  questions   the questions for one doctor (--doctor), with lines to write the answers on
  packet      for the second office: a cover note, the records index with the attached
              files' sizes and SHA-256 checksums, and the release checklist (to the office
              of --doctor, else to whoever most records went to)
  comparison  two opinions side by side (--opinions A B; default: the two last compared
              in the app, else the first and the latest with a diagnosis or treatment)
  decision    the options, what matters, the choice and its reasons
  all         every document that can be made; with -o, FILE is a folder

OPINION, A and B: a doctor's name (or a unique part of it), the opinion's number, or its id.
Without -o the document is printed. The format follows -o's ending (.md, .html), else md.
Written files are readable by you only (0600); an existing file is replaced only with --force.

Examples:
  secondview export "Dad - back surgery" --what brief --format html -o brief.html
  secondview export 3f2a --what questions --doctor Okafor
  secondview export 3f2a --what all --format html -o ~/Documents/dad-visit
  secondview export 3f2a --ics ~/dad-visits.ics --force

--ics FILE writes the case's visits (at the time of the place), record-request deadlines
and due checklist steps as an iCalendar file to import into a calendar program; importing a
newer file updates the entries instead of adding them twice."""


def register(add: Callable[..., Any], case_help: str) -> None:
    """Add the ``export`` sub-command to the parser (``add`` is ``parser.build_parser``'s
    helper)."""
    p = add(
        "export",
        "Write a case as a document to print or send: brief, questions, packet, comparison "
        "or decision, in Markdown or HTML.",
        epilog=EPILOG,
    )
    p.add_argument("case", metavar="CASE", help=case_help)
    p.add_argument("--what", metavar="|".join((*export.WHATS, "all")), default=None,
                   help="which document (default: brief)")
    p.add_argument("--format", dest="fmt", metavar="md|html", default=None,
                   help="Markdown or a self-contained HTML page (default: from -o, else md)")
    p.add_argument("-o", "--output", metavar="FILE", default=None,
                   help="write to FILE (a folder with --what all) instead of printing")
    p.add_argument("--force", action="store_true", help="replace files that exist")
    p.add_argument("--doctor", metavar="OPINION", default=None,
                   help="the opinion whose doctor the questions (or the packet) are for")
    p.add_argument("--opinions", nargs=2, metavar=("A", "B"), default=None,
                   help="the two opinions to compare")
    p.add_argument("--replica", metavar="FILE", default=None,
                   help="write the case's merged replica to FILE (for a device that cannot "
                   "sync)")
    p.add_argument("--ics", metavar="FILE", default=None,
                   help="write the case's visits and deadlines as an iCalendar file")
    p.set_defaults(handler=cmd_export)


def cmd_export(args: argparse.Namespace, env: Env) -> int:
    """Print the document(s) asked for, or write them to -o.

    Side effects: with -o, writes one file (a folder's worth with --what all, creating the
    folder 0700 if missing), each 0600 and atomic; with --replica, whatever
    ``export_replica`` does. Nothing is written when anything is wrong.
    """
    if args.replica is not None:
        return _replica(args, env)
    if args.ics is not None:
        return _calendar(args, env)
    what = (args.what or "brief").strip().lower()
    fmt = _format(args)
    problem = _usage_problem(args, what, fmt)
    if problem is not None:
        warn(problem)
        return 1
    opened = env.repo.open(args.case)
    case = opened.case
    documents = _documents(args, case, what, env.repo.today, _remembered(env, case.id))
    if documents is None:
        return 1
    if args.output is None:
        sys.stdout.write("\n".join(d.render(fmt) for d in documents))
        sys.stdout.flush()
        return 0
    return _write_out(args, what, case, documents, fmt)


def _usage_problem(args: argparse.Namespace, what: str, fmt: str) -> str | None:
    """Why the options given cannot make an export (the words to print); None if they can."""
    if what not in (*export.WHATS, "all"):
        return (f"cannot export '{clean(args.what)}'; choose --what "
                f"{'|'.join((*export.WHATS, 'all'))}")
    if fmt not in export.FORMATS:
        return f"unknown format '{clean(fmt)}'; choose --format md or --format html"
    if args.doctor is not None and what not in ("questions", "packet", "all"):
        return "--doctor is for --what questions, packet or all"
    if args.opinions is not None and what not in ("comparison", "all"):
        return "--opinions is for --what comparison or all"
    if what == "all" and args.output is None and fmt == "html":
        return ("--what all --format html makes one page per document; name a folder for "
                "them with -o FOLDER")
    return None


def _remembered(env: Env, case_id: str) -> tuple[str, str] | None:
    """The pair of opinions last compared in the app for ``case_id`` (state.json, read only;
    a damaged file counts as none)."""
    from ..store.app_state import AppState

    return AppState.load(env.paths.state_file)[0].pair(case_id)


def _documents(args: argparse.Namespace, case: Any, what: str, today: _dt.date,
               remembered: tuple[str, str] | None = None) -> list[export.Document] | None:
    """The documents asked for; None (after saying why on stderr) if there are none.
    Without --opinions the comparison is of ``chosen_pair(case, remembered)``: the pair the
    app's compare pane shows (the export dialog starts from the same).

    Side effect: prints a note on stderr for each document "all" could not make yet.
    """
    try:
        doctor = export.find_opinion(case, args.doctor) if args.doctor is not None else None
        pair = chosen_pair(case, remembered)
        if args.opinions is not None:
            pair = (export.find_opinion(case, args.opinions[0]),
                    export.find_opinion(case, args.opinions[1]))
        documents, skipped = build_documents(what, case, today, doctor=doctor, opinions=pair)
    except export.ExportError as exc:
        warn(clean(exc))
        return None
    for note in skipped:
        warn(f"note: {clean(note)}")
    if not documents:
        warn("nothing to export")
        return None
    return documents


def _write_out(args: argparse.Namespace, what: str, case: Any,
               documents: list[export.Document], fmt: str) -> int:
    """Write the documents where -o says, unless that would replace files without --force.

    Side effects: writes the files (0600, atomic; a missing folder is created 0700) and
    prints one line per file written, or the reason nothing was written.
    """
    targets = _targets(Path(args.output).expanduser(), what, case, documents, fmt)
    if isinstance(targets, str):
        warn(targets)
        return 1
    if not args.force:
        existing = [path for path, _ in targets if path.exists() or path.is_symlink()]
        if existing:
            names = ", ".join(clean(p) for p in existing[:3])
            more = f" and {len(existing) - 3} more" if len(existing) > 3 else ""
            warn(f"{names}{more} already exist{'s' if len(existing) == 1 else ''}; "
                 "add --force to replace, or choose another name with -o")
            return 1
    written = write_documents(targets, fmt)
    for path, document in zip(written, (d for _, d in targets), strict=True):
        out(f"Wrote the {document.what} ({fmt}) to {clean(path)}")
    return 0


def _format(args: argparse.Namespace) -> str:
    if args.fmt is not None:
        return args.fmt.strip().lower().lstrip(".")
    if args.output is not None and args.what != "all":
        return SUFFIXES.get(Path(args.output).suffix.lower(), "md")
    return "md"


def _targets(output: Path, what: str, case: Any, documents: list[export.Document],
             fmt: str) -> list[tuple[Path, export.Document]] | str:
    """Where each document goes: ``output`` itself for one document (or a file named after
    the case inside it, when it is a folder); files named after the case inside the folder
    ``output`` for all of them. A message instead when that cannot be."""
    if what == "all":
        if output.exists() and not output.is_dir():
            return f"{output} is a file; with --what all, -o names a folder"
        return [(output / export.file_name(case, d.what, fmt, d.for_whom), d) for d in documents]
    if output.is_dir():
        one = documents[0]
        return [(output / export.file_name(case, one.what, fmt, one.for_whom), one)]
    if not output.parent.is_dir():
        return (f"the folder {output.parent} does not exist; create it first or choose "
                "another place with -o")
    return [(output, documents[0])]


def _replica(args: argparse.Namespace, env: Env) -> int:
    """``--replica FILE [--force]``: hand over to ``export_replica`` (alone: no document
    option goes with it)."""
    others = _others(args, ("--ics", args.ics))
    if others:
        warn(f"--replica writes the case's replica file on its own; leave out "
             f"{', '.join(others)}")
        return 1
    return export_replica(env, args.case, Path(args.replica).expanduser(), force=args.force)


def _others(args: argparse.Namespace, *more: tuple[str, Any]) -> list[str]:
    """The document options given (each written as on the command line)."""
    return [flag for flag, value in (("--what", args.what), ("--format", args.fmt),
                                     ("-o", args.output), ("--doctor", args.doctor),
                                     ("--opinions", args.opinions), *more)
            if value is not None]


def calendar_target(given: str, force: bool) -> Path | None:
    """The calendar file ``--ics`` names, or None after saying why it cannot be written: a
    folder, a folder that does not exist, or a file already there without ``--force``."""
    target = Path(given).expanduser()
    if target.is_dir():
        warn(f"{clean(target)} is a folder; --ics names the calendar file to write")
        return None
    if not target.parent.is_dir():
        warn(f"the folder {clean(target.parent)} does not exist; create it first or choose "
             "another place with --ics")
        return None
    if (target.exists() or target.is_symlink()) and not force:
        warn(f"{clean(target)} already exists; add --force to replace it (the calendar "
             "updates the entries it has), or choose another name")
        return None
    return target


def _calendar(args: argparse.Namespace, env: Env) -> int:
    """``--ics FILE``: the case's calendar (alone: no document option goes with it).

    Side effects: writes FILE (0600, atomic) unless it exists and --force is not given;
    prints the path written, or why nothing was.
    """
    import datetime as dt

    from ..core.calendar_file import case_items

    others = _others(args)
    if others:
        warn(f"--ics writes the case's calendar on its own; leave out {', '.join(others)}")
        return 1
    target = calendar_target(args.ics, args.force)
    if target is None:
        return 1
    case = env.repo.open(args.case).case
    today = env.repo.today
    items = case_items(case, today)
    write_calendar(target, [(case, list(items))], today, dt.datetime.now(dt.UTC))
    out(f"Wrote {len(items)} calendar entr{'y' if len(items) == 1 else 'ies'} to "
        f"{clean(target)}")
    return 0
