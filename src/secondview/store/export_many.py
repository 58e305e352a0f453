"""A document of each of several cases, written into one folder (the case list's ``x`` with
a selection, ``ui/screens/export_cases_screen.py``).

Each case is read through the repository, its document made by ``core.export`` and named by
``export.file_name`` (from the title, in plain letters); two cases whose names would be the
same get the start of their id in theirs, so no file of this export replaces another. When a
file is already in the folder, nothing is written unless ``replace`` is asked for. A case
that cannot be read or whose document cannot be made (a comparison needs two opinions) is
named in the result, and the others are written. The files are written by
``store.exports.write_documents``: 0600 and atomic, the folder made 0700 when missing.

Side effects: reads each case; writes the files (only in ``export_many``). Nothing at import.
"""

from __future__ import annotations

import datetime as _dt
import errno
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..core import export
from .exports import build_documents, write_documents

if TYPE_CHECKING:
    from .repository import CaseRepository

Progress = Callable[[int, int], None]
"""Told (cases done, cases in all) after each case is read and made, then after each file
is written (files done, files in all)."""


@dataclass
class ManyExported:
    """What an export of several cases did."""

    written: list[Path] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    """(title, why) of each case nothing was written for."""
    skipped: list[tuple[str, str]] = field(default_factory=list)
    """(title, note) of a document "all" could not make yet for a case (its others were)."""
    there: list[Path] = field(default_factory=list)
    """The files already in the folder; when any is there and replacing was not asked for,
    nothing was written."""


def export_many(repo: CaseRepository, cases: Sequence[tuple[str, str]], today: _dt.date,
                what: str, fmt: str, folder: Path, replace: bool = False,
                progress: Progress | None = None) -> ManyExported:
    """Write the document ``what`` ("all", or one of ``export.WHATS``) of each case in
    ``cases`` ((id, title) each: the title names a case that cannot be read) into
    ``folder`` as ``fmt``. Raises NotADirectoryError when ``folder`` is a file, OSError when
    a write fails (the files written before it stay)."""
    if folder.exists() and not folder.is_dir():
        raise NotADirectoryError(errno.ENOTDIR, "it is a file, not a folder", str(folder))
    result = ManyExported()
    targets: list[tuple[Path, export.Document]] = []
    taken: set[str] = set()
    for done, (case_id, title) in enumerate(cases, 1):
        try:
            case = repo.open(case_id).case
            title = case.title or title
            documents, skipped = build_documents(what, case, today)
        except Exception as exc:  # unreadable, gone, no such document: named, others go on
            result.failed.append((title, str(exc)))
        else:
            result.skipped += [(title, note) for note in skipped]
            for document in documents:
                name = export.file_name(case, document.what, fmt, document.for_whom)
                if name.casefold() in taken:  # two cases of one title: told apart by id
                    stem, dot, ext = name.rpartition(".")
                    name = f"{stem}-{case.id[:8]}{dot}{ext}"
                taken.add(name.casefold())
                targets.append((folder / name, document))
        if progress is not None:
            progress(done, len(cases))
    result.there = [path for path, _ in targets if path.exists() or path.is_symlink()]
    if result.there and not replace:
        return result
    for done, target in enumerate(targets, 1):
        result.written += write_documents([target], fmt)
        if progress is not None:
            progress(done, len(targets))
    return result
