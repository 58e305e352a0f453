"""Listing the cases folder and a case folder: names, stamps and odd entries, no file read.

What stands where follows ``store.case_folder``'s rule (case folders named by their id, no
link followed). These are what the case list needs to know which cases changed; reading the
files themselves is ``store.folder_reader``. Side effects: ``tighten_case`` takes loosened
permissions away; the rest only list and stat.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from .case_folder import (
    LINK,
    is_case_folder_name,
    is_link,
    read_only_reason,
    scan_case_folder,
    scan_cases_folder,
)
from .errors import CaseError, CaseNotFound
from .open_case import Problem
from .storage import Stamp
from .storage import tighten as tighten_path


def scan_case(cases_dir: Path, case_id: str, own_name: str
              ) -> tuple[dict[str, Stamp | None], list[Problem]]:
    """The stamp of every case file in a case folder, and a Problem for each entry named
    like one that is not a regular file (a link, a folder, a pipe: never read, see
    ``store.case_folder``); this device's own file (``own_name``) being such an entry makes
    the case read-only, so no save replaces it. Only lists the folder.

    CaseNotFound if the folder is gone; CaseError if it is a link, or cannot be listed.
    """
    folder = cases_dir / case_id
    if is_link(folder):
        raise CaseError(f"{folder} {LINK.format(what='case folder')}")
    try:
        stamps, odd = scan_case_folder(folder)
    except FileNotFoundError:
        raise CaseNotFound(f"no case {case_id} in {cases_dir}") from None
    except OSError as exc:
        raise CaseError(
            f"{folder} cannot be read ({exc.strerror or exc}); check its permissions"
        ) from None
    problems = [
        Problem(o.path, o.problem, None, case_id,
                f"this device's file {own_name} {o.problem}" if o.path.name == own_name else "",
                entry=True)
        for o in odd
    ]
    return stamps, problems


def scan_cases(cases_dir: Path) -> tuple[list[str], list[Problem]]:
    """Ids of every case folder, and a Problem for each entry named like one that is not a
    real folder (a link, a file): never read, never written through. Only lists the folder;
    CaseError if it cannot be listed ([] if it is missing)."""
    try:
        ids, odd = scan_cases_folder(cases_dir)
    except FileNotFoundError:
        return [], []
    except OSError as exc:
        raise CaseError(
            f"the cases folder {cases_dir} cannot be read "
            f"({exc.strerror or exc}); check that it is a folder you can open"
        ) from None
    return ids, [Problem(o.path, o.problem, None, o.path.name, entry=True) for o in odd]


def has_case_folders(cases_dir: Path) -> bool:
    """Whether ``cases_dir`` holds at least one case folder (stops at the first)."""
    try:
        with os.scandir(cases_dir) as entries:
            return any(is_case_folder_name(e.name) and e.is_dir(follow_symlinks=False)
                       for e in entries)
    except OSError:
        return False


def folder_problems(folder: Path, case_id: str) -> list[Problem]:
    """A Problem making the case read-only when its folder (or the cases folder) is one
    the person made read-only (``store.case_folder.read_only_reason``). Only stats."""
    reason = read_only_reason(folder)
    return [Problem(folder, reason, None, case_id, reason, entry=True)] if reason else []


def tighten_case(cases_dir: Path, case_id: str, stamps: Mapping[str, Stamp | None]) -> None:
    """Re-apply 0700/0600 where a sync tool or a copy loosened them (never adds one)."""
    tighten_path(cases_dir)
    folder = cases_dir / case_id
    tighten_path(folder)
    for name in stamps:
        tighten_path(folder / name)
