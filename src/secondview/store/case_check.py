"""``secondview check``: read every case folder in full and list every problem found.

Unreadable or newer files, odd entries (links, pipes, read-only folders), unsettled conflicts
and raced deletions (each with the command that settles it, ``store.settling``), writes
of a twin install under this device's id that could not be told apart
(``core.install_record``), and, in a sealed folder, files still plain (``store.sealing``).
Side effects: those of opening every case (quarantine of unreadable files, tightened
permissions); nothing at import.
"""

from __future__ import annotations

from ..core.install_record import strangers
from .errors import CaseError
from .key_file import is_sealed_folder
from .open_case import OpenCase, Problem
from .repository import CaseRepository
from .sealing import plain_problems
from .settling import settle_words
from .twin_installs import read_kept


def check(repo: CaseRepository) -> list[Problem]:
    """Every problem in the cases folder (see the module docstring)."""
    ids, problems = repo.scan_cases()
    for case_id in ids:
        try:
            opened = repo.open(case_id, upgrade=False)  # a check writes nothing
        except CaseError as exc:
            found = repo.problems_of_unreadable(case_id)
            problems.extend(found or [Problem(repo.folder(case_id), str(exc), None, case_id)])
            continue
        problems.extend(opened.problems)
        problems.extend(case_problems(repo, opened))
    if is_sealed_folder(repo.paths.cases_dir):
        problems.extend(plain_problems(repo.paths.cases_dir, repo.key))
    return problems


def case_problems(repo: CaseRepository, opened: OpenCase) -> list[Problem]:
    """What needs the user in one open case: a twin's hidden writes, conflicts, races."""
    case = opened.case
    folder = repo.folder(opened.case_id)
    problems = []
    twin = twin_writes(repo, opened)
    if twin:
        problems.append(Problem(folder, twin, None, opened.case_id))
    for table, doc_id, fname in case.conflicts:
        command = settle_words(case, table, doc_id, fname)
        problems.append(
            Problem(
                folder,
                f"'{case.title}': {table} {doc_id[:8]} field '{fname}' has "
                f"conflicting edits from two devices; 'secondview show {opened.case_id[:8]}' "
                f"numbers the values, '{command}' (or the app) settles it",
                None,
                opened.case_id,
            )
        )
    for table, doc_id in case.races:
        problems.append(
            Problem(
                folder,
                f"'{case.title}': {table} {doc_id[:8]} was edited on one device "
                f"while deleted on another; keep or delete it with "
                f"'{settle_words(case, table, doc_id)}' or in the app",
                None,
                opened.case_id,
            )
        )
    return problems


def twin_writes(repo: CaseRepository, opened: OpenCase) -> str:
    """What to tell the user when a case holds writes under this device's id that this
    install did not make (``core.install_record``): another install shares the id and its
    writes came through a third device's file, where two writes under one number cannot
    be told apart; "" when there are none (or no record to tell by)."""
    device = repo.device
    kept = read_kept(repo.paths, opened.case_id)
    journal = kept.journals.get(device.id) if kept is not None else None
    if journal is None or not strangers(journal, opened.state.tables, device.id):
        return ""
    return (f"'{opened.case.title}': another install writes under this device's id "
            f"{device.id} (a copied data folder); an edit made under it on one of them "
            "may be hidden; compare the case on both installs")
