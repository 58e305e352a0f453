"""Records from outside: attach files, check them again, import a portal's FHIR export.

    secondview attach CASE RECORD PATH...          hash files or folders, attach them
    secondview verify [CASE]                       hash every attachment again, report changes
    secondview import-fhir FILE --case CASE        records from a FHIR R4 export

The work is done by ``store.attachments`` (hashing: only reads the files) and ``core.fhir``
(pure: the file's bytes to Writes); this module reads the arguments and the FHIR file, saves
through the repository in one ``apply`` (one file write, one log line), and reports.
Attached files are only read to hash them: never opened in another program, never run,
never changed; nothing is written outside the app's folders.
"""

from __future__ import annotations

import datetime as _dt
import os
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..core import fhir
from ..core.fhir.outcome import added_by_kind, outcome_lines, plural
from ..core.sizes import human_size
from ..store import attachments
from ..store.case_files import CaseFileError, keep_all
from ..store.imports import ImportFileError, read_import_file
from ..store.repository import CaseError
from .items import find_item
from .output import clean, cut, out, out_json, warn

if TYPE_CHECKING:
    import argparse

    from ..core.model import Case, Item
    from .context import Env

MAX_PROBLEMS_SHOWN = 20

VERIFY_EPILOG = """\
Each attached file or folder is read again and its size and SHA-256 compared with those taken
when it was attached. A folder's SHA-256 is that of its manifest, which you can also make with
  cd FOLDER && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum
Exit status 1 when anything is missing, changed or cannot be read. Files are only read."""

IMPORT_EPILOG = """\
FILE: a FHIR R4 Bundle (JSON), a single resource, or NDJSON (one resource per line), as
patient portals and tools export them. DocumentReference, DiagnosticReport, ImagingStudy,
Media and Binary become records (a note sent both as a report and as a document becomes one;
a file a document points at stays with it); Observations that no report in the file lists
are grouped by panel, or by date into one record per date; vital signs, social history and
survey answers are counted, not imported, unless --other-observations is given. Other
resource types are counted, not imported.
Importing the same file again adds nothing twice. If any resource cannot be read, nothing is
imported and each problem is named."""


def register(add: Callable[..., Any], case_help: str) -> None:
    """Add ``attach``, ``verify`` and ``import-fhir`` to the parser (``add`` is
    ``parser.build_parser``'s helper)."""
    p = add(
        "attach",
        "Attach files or folders to a record: their path, size and SHA-256 are kept.",
        json=True,
        epilog="RECORD is a record's id or a unique start of one ('secondview show CASE "
        "--json' lists them).\nA relative PATH is taken from the current folder and kept in "
        "full. Attaching a path\nagain takes its size and SHA-256 anew. Files are only read.",
    )
    p.add_argument("case", metavar="CASE", help=case_help)
    p.add_argument("record", metavar="RECORD", help="the record the files belong to")
    p.add_argument("paths", metavar="PATH", nargs="+", help="a file or a folder")
    p.set_defaults(handler=cmd_attach)

    p = add(
        "verify",
        "Check attached files: read them again and report any missing or changed.",
        json=True,
        epilog=VERIFY_EPILOG,
    )
    p.add_argument("case", metavar="CASE", nargs="?", default=None,
                   help=f"{case_help} (default: every case)")
    p.set_defaults(handler=cmd_verify)

    p = add(
        "import-fhir",
        "Import records from a FHIR R4 export (Bundle, resource or NDJSON) into a case.",
        json=True,
        epilog=IMPORT_EPILOG,
    )
    p.add_argument("file", metavar="FILE", help="the exported file")
    p.add_argument("--case", required=True, metavar="CASE", help=case_help)
    p.add_argument("--patient", default="", metavar="ID",
                   help="when the file holds several patients' records: the one to import")
    p.add_argument("--other-observations", action="store_true",
                   help="also keep vital signs, social history, survey answers and exam "
                        "findings (counted, not imported, unless this is given)")
    p.add_argument("--dry-run", action="store_true",
                   help="say what would be imported, save nothing")
    p.set_defaults(handler=cmd_import_fhir)


# -- output helpers ------------------------------------------------------------------------------


class _Progress:
    """A one-line progress report on stderr while hashing, only when stderr is a terminal."""

    def __init__(self) -> None:
        self.live = sys.stderr.isatty()
        self._last = 0.0
        self._shown = False

    def __call__(self, done: int, total: int, path: str) -> None:
        now = time.monotonic()
        if not self.live or now - self._last < 0.2:
            return
        self._last = now
        share = f"{done * 100 // total:3d}%" if total else "   "
        name = cut(path, 60)  # one line, rewritten in place: cut even when stdout is piped
        print(f"\r\033[Khashing {share} {name}", end="", file=sys.stderr, flush=True)
        self._shown = True

    def clear(self) -> None:
        if self._shown:
            print("\r\033[K", end="", file=sys.stderr, flush=True)
            self._shown = False


def _digest_words(digest: attachments.Digest) -> str:
    what = "folder of " + f"{digest.file_count:,} file{'s' if digest.file_count != 1 else ''}, " \
        if digest.kind == "folder" else "file, "
    return f"{what}{human_size(digest.size)}, sha256 {digest.sha256}"


def _record(case: Case, ref: str) -> Item:
    item = find_item(case, ref)
    if item.table != "records":
        raise CaseError(
            f"'{ref}' is a {item.table} item, not a record; 'secondview show {case.id[:8]} "
            "--json' lists the records with their ids"
        )
    return item


# -- attach --------------------------------------------------------------------------------------


def cmd_attach(args: argparse.Namespace, env: Env) -> int:
    """Hash each PATH and attach it to RECORD, all in one save. Only reads the files."""
    opened = env.repo.open(args.case)
    if opened.read_only:
        raise CaseError(f"this case is read-only: {opened.read_only}")
    record = _record(opened.case, args.record)
    progress = _Progress()
    writes = []
    done: list[tuple[str, attachments.Digest]] = []
    now = _dt.datetime.now(_dt.UTC)
    try:
        for raw in args.paths:
            given = raw if raw.strip().startswith(("/", "~")) else os.path.abspath(raw)
            try:
                digest = attachments.hash_path(given, progress)
            except attachments.AttachmentError as exc:
                raise CaseError(f"{exc}; nothing was attached") from None
            writes += attachments.attachment_writes(opened.state, record.id, given, digest, now)
            done.append((given, digest))
    finally:
        progress.clear()
    names = ", ".join(os.path.basename(g.rstrip("/")) or g for g, _ in done)
    saved = env.repo.apply(opened, writes, f"Attached {names} to {record.title}"[:200])
    if args.json:
        out_json({
            "case": saved.case_id,
            "record": record.id,
            "attached": [
                {"id": attachments.attachment_id(record.id, g), "path": g, "kind": d.kind,
                 "size": d.size, "file_count": d.file_count, "sha256": d.sha256,
                 "skipped": list(d.skipped)}
                for g, d in done
            ],
        })
        return 0
    for given, digest in done:
        out(f"Attached {clean(given)} to '{clean(record.title)}': "
            f"{_digest_words(digest)}")
        if digest.skipped:
            shown = ", ".join(clean(s) for s in digest.skipped[:5])
            more = f" and {len(digest.skipped) - 5} more" if len(digest.skipped) > 5 else ""
            warn(f"warning: {len(digest.skipped)} links or special files in "
                 f"{clean(given)} were not hashed ({shown}{more})")
    return 0


# -- verify --------------------------------------------------------------------------------------

LABELS = {
    attachments.OK: "ok",
    attachments.CHANGED: "CHANGED",
    attachments.MISSING: "MISSING",
    attachments.UNREADABLE: "UNREADABLE",
}


def _check_json(c: attachments.Check) -> dict[str, Any]:
    a = c.attachment
    return {
        "id": a.id,
        "record": a.record,
        "record_title": c.record.title if c.record else "",
        "path": a.path,
        "kind": a.kind,
        "status": c.status,
        "detail": c.detail,
        "stored": {"size": a.size, "file_count": a.file_count, "sha256": a.sha256,
                   "hashed_at": a.hashed_at},
        "now": None if c.digest is None else {
            "kind": c.digest.kind, "size": c.digest.size, "file_count": c.digest.file_count,
            "sha256": c.digest.sha256,
        },
    }


def cmd_verify(args: argparse.Namespace, env: Env) -> int:
    """Hash every attachment of one case (or of every case) again; exit 1 if any is missing,
    changed or unreadable, or a case cannot be read. Only reads; saves nothing."""
    if args.case is not None:
        refs: Iterable[str] = [env.repo.resolve(args.case)]
    else:
        refs = env.repo.case_ids()
    progress = _Progress()
    results: list[tuple[Any, list[attachments.Check]]] = []
    unreadable: list[str] = []
    try:
        for ref in refs:
            try:
                opened = env.repo.open(ref)
            except CaseError as exc:
                if args.case is not None:
                    raise
                unreadable.append(str(exc))
                continue
            results.append((opened, attachments.verify(opened.case, progress,
                                                       case_folder=env.repo.folder(ref),
                                                       key=env.repo.key)))
    finally:
        progress.clear()
    failed = bool(unreadable) or any(c.needs_attention for _, checks in results for c in checks)
    if args.json:
        out_json({
            "cases": [
                {"id": o.case_id, "title": o.case.title, "checks": [_check_json(c) for c in cs]}
                for o, cs in results
            ],
            "unreadable_cases": unreadable,
            "ok": not failed,
        })
        return 1 if failed else 0
    total = 0
    counts = {s: 0 for s in LABELS}
    for opened, checks in results:
        if not checks and args.case is None:
            continue
        out(f"'{clean(opened.case.title)}'")
        if not checks:
            out("  no attached files (attach some with 'secondview attach')")
        for c in checks:
            total += 1
            counts[c.status] += 1
            # whole: two records can share the start of a long title
            record = " ".join(clean(c.record.title).split()) if c.record else ""
            line = f"  {LABELS[c.status]:<11}{record}: {clean(c.attachment.path)}"
            if c.detail:
                line += f"  ({clean(c.detail)})"
            out(line)
    for message in unreadable:
        warn(f"warning: {clean(message)}")
    if total:
        out(
            f"{total} attachment{'s' if total != 1 else ''} checked: "
            + ", ".join(f"{n} {LABELS[s].lower()}" for s, n in counts.items() if n or s == "ok")
        )
    elif args.case is None:
        out("No attached files in any case.")
    if failed and total:
        warn("some attached files are missing or changed: reconnect the drive or disc, "
             "find the file, or attach the new copy again")
    return 1 if failed else 0


# -- import-fhir ---------------------------------------------------------------------------------


def _plan_json(plan: fhir.Plan, file: str, case_id: str, saved: bool) -> dict[str, Any]:
    return {
        "file": file,
        "case": case_id,
        "saved": saved,
        "problems": list(plan.problems),
        "added": dict(plan.added),
        "added_by_kind": added_by_kind(plan),
        "records": plan.records,
        "record_ids": [w.doc_id for w in plan.record_writes],
        "kept_files": len(plan.files),
        "observations_grouped": plan.grouped,
        "observations_in_reports": plan.in_reports,
        "already_imported": plan.already,
        "deleted_before": plan.deleted_before,
        "duplicates_in_file": plan.duplicates,
        "same_document": plan.same_document,
        "summarised": dict(plan.summarised),
        "summary_added": plan.summary_added,
        "content_of_others": plan.content_of_others,
        "other_observations": dict(plan.other_observations),
        "withdrawn": plan.withdrawn,
        "not_imported": dict(plan.not_imported),
        "entries_without_resource": plan.empty_entries,
        "other_patients": plan.other_patients,
        "patients": list(plan.patients),
    }


def import_lines(plan: fhir.Plan, form: str) -> list[str]:
    """What an import did (or would do), for people: ``core.fhir.outcome``'s words, indented
    under the line that says whether it was saved."""
    return [f"  {line}" for line in outcome_lines(plan, form, "--other-observations")]


def cmd_import_fhir(args: argparse.Namespace, env: Env) -> int:
    """Import a FHIR export into a case: validate everything, then save every new record in
    one write (or nothing, when anything is malformed). Reads FILE; never writes near it."""
    path = Path(args.file).expanduser()
    shown = clean(args.file)
    try:
        data = read_import_file(path, shown)
    except ImportFileError as exc:
        raise CaseError(str(exc)) from None
    opened = env.repo.open(args.case)
    if opened.read_only and not args.dry_run:
        raise CaseError(f"this case is read-only: {opened.read_only}")
    parsed = fhir.parse(data)
    del data  # a bulk export is tens of megabytes: held no longer than needed
    plan = fhir.plan(parsed, opened.state, patient=args.patient.strip(),
                     other_observations=args.other_observations)
    form = parsed.form or "file"
    del parsed
    title = clean(opened.case.title)
    if not plan.ok:
        if args.json:
            out_json(_plan_json(plan, args.file, opened.case_id, False))
            return 1
        n = len(plan.problems)
        warn(f"{shown}: {plural(n, 'problem')} found, so nothing was imported "
             f"into '{title}':")
        for problem in plan.problems[:MAX_PROBLEMS_SHOWN]:
            warn(f"  {clean(problem)}")
        if n > MAX_PROBLEMS_SHOWN:
            warn(f"  ... and {n - MAX_PROBLEMS_SHOWN} more")
        warn("fix or remove what is named above (or ask the portal for a new export), "
             "then run the command again")
        return 1
    saved = False
    if plan.writes and not args.dry_run:
        summary = (f"Imported {plural(plan.records, 'record')} from {path.name} (FHIR)"
                   if plan.records else f"Health summary from {path.name} (FHIR)")
        try:
            keep_all(env.repo.folder(opened.case_id), plan.files, env.repo.key)
        except CaseFileError as exc:
            raise CaseError(f"{exc}; nothing was imported") from None
        env.repo.apply(opened, list(plan.writes), summary[:200])
        saved = True
    if args.json:
        out_json(_plan_json(plan, args.file, opened.case_id, saved))
        return 0
    if not plan.writes:
        out(f"Nothing new to import into '{title}' from {shown} (a FHIR {form}).")
    elif not plan.records:
        verb = "Would add" if args.dry_run else "Added"
        out(f"{verb} the health summary of {shown} (a FHIR {form}) to '{title}'; no new "
            "records.")
    elif args.dry_run:
        out(f"Would import {plural(plan.records, 'record')} into '{title}' from {shown} "
            f"(a FHIR {form}); nothing was saved (--dry-run).")
    else:
        out(f"Imported {plural(plan.records, 'record')} into '{title}' from {shown} "
            f"(a FHIR {form}).")
    for line in import_lines(plan, form):
        out(clean(line))  # resource type names come from the file
    return 0
