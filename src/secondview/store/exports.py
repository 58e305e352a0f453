"""Writing exported documents (``core.export``) to disk, for the command line and the app.

``secondview export`` (cli/exports.py) and the export dialog (ui/screens/export_screen.py)
both make the documents with ``build_documents`` (the packet sends only the attached files
found on this device) and write them through ``write_documents``: each file 0600 and
atomic (``storage.atomic_write``: a crash leaves the old file or the new one, never half), a
missing folder created 0700. Nothing happens when this module is imported.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from ..core import export
from ..core.model import Case, Item


def write_documents(targets: list[tuple[Path, export.Document]], fmt: str) -> list[Path]:
    """Write each document to its path (0600, atomic), creating a missing folder (0700) for
    them. Returns the paths written. Raises OSError (the caller's message) on failure."""
    from .storage import atomic_write, ensure_dir

    written = []
    for path, document in targets:
        ensure_dir(path.parent)
        atomic_write(path, document.render(fmt).encode("utf-8"))
        written.append(path)
    return written


def build_documents(what: str, case: Case, today: _dt.date, *, doctor: Item | None = None,
                    opinions: tuple[Item, Item] | None = None
                    ) -> tuple[list[export.Document], list[str]]:
    """``core.export.build_many`` for this device: the packet (alone or in "all") sends only
    the attached files found here (``attachments.present_paths``). ExportError as there.

    Side effects: looks up each attached path (never opens one)."""
    from .attachments import present_paths

    present = present_paths(case) if what in ("packet", "all") else None
    return export.build_many(what, case, today, doctor=doctor, opinions=opinions,
                             present=present)


def write_export(case: Case, today: _dt.date, what: str, fmt: str, target: Path,
                 doctor: Any = None, replace: bool = False, opinions: Any = None
                 ) -> tuple[list[Path], list[str]] | str:
    """Write the document(s) ``what`` of ``case`` to ``target`` (a folder for "all", which is
    created 0700 if missing; an existing folder for one document gets a file named after the
    case; ``opinions``: the two to compare, else ``core.compare.default_pair``'s). Returns
    the paths written and notes on documents "all" could not make yet (a
    comparison needs two opinions), or a message saying why nothing was written (the export
    dialog's words). Raises OSError when a write fails, ExportError when the document cannot
    be made.

    Side effects: writes the files (0600, atomic).
    """
    documents, skipped = build_documents(what, case, today, doctor=doctor, opinions=opinions)
    if what == "all":
        if target.exists() and not target.is_dir():
            return f"{target} is a file; for all the documents, give a folder."
        targets = [(target / export.file_name(case, d.what, fmt, d.for_whom), d)
                   for d in documents]
    elif target.is_dir():
        one = documents[0]
        targets = [(target / export.file_name(case, what, fmt, one.for_whom), one)]
    else:
        if not target.parent.is_dir():
            return f"The folder {target.parent} is not there; create it first or choose another."
        targets = [(target, documents[0])]
    there = [path for path, _ in targets if path.exists() or path.is_symlink()]
    if there and not replace:
        names = ", ".join(p.name for p in there[:3]) + (" and more" if len(there) > 3 else "")
        return (f"{names} {'is' if len(there) == 1 else 'are'} already there: tick 'Replace' "
                "or choose another name.")
    return write_documents(targets, fmt), skipped


def write_calendar(target: Path, cases: Iterable[tuple[Case, Sequence[Item]]], today: _dt.date,
                   stamp: _dt.datetime) -> Path:
    """Write the iCalendar file of ``cases`` ((case, items) pairs: ``core.calendar_file``)
    to ``target``, 0600 and atomic (a crash leaves the old file or the new one). The folder
    must exist. Returns the path written; raises OSError (the caller's message) on failure.

    Side effects: writes the one file (and imports the calendar library, on first use).
    """
    from ..core.calendar_file import calendar_bytes
    from .storage import atomic_write

    atomic_write(target, calendar_bytes(cases, today, stamp))
    return target
