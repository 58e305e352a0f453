"""Finding a case by what a person types: its id, its title, a unique start of either, or a
unique part of its title (the rule is ``core.case_match.cases_named``; this module asks the
repository for the list).

Pure lookups through the repository (a folder's existence, the case list): nothing written.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from ..core.case_match import cases_named, describe
from ..core.case_summary import CaseSummary
from ..core.safe_text import clean
from .case_folder import LINK, is_case_folder_name, is_link, is_real_folder
from .errors import CaseError, CaseNotFound


class Cases(Protocol):
    """What finding a case needs of the repository."""

    def folder(self, case_id: str) -> Path: ...

    def case_ids(self) -> list[str]: ...

    def list(self, refresh: bool = True) -> Sequence[CaseSummary]: ...


def resolve_case(repo: Cases, ref: str) -> str:
    """The case id meant by ``ref``: an id, a title (any letter case), a unique start of
    either ("Dad" for "Dad - prostate cancer") or a unique part of a title ("Garcia" for
    "Maria Garcia"). CaseNotFound when nothing fits; CaseError listing the candidates when
    several do."""
    ref = ref.strip()
    if not ref:
        raise CaseNotFound("name a case: its title, a part of it, or its id")
    if is_case_folder_name(ref):
        folder = repo.folder(ref)
        if is_real_folder(folder):
            return ref  # the common case, without listing the whole cases folder
        if is_link(folder):
            raise CaseError(f"{folder} {LINK.format(what='case folder')}")
    ids = set(repo.case_ids())
    if ref in ids:
        return ref
    listed = {r.id: r for r in repo.list()}
    # a case whose folder the list has not read yet is still named by its id
    rows = [*listed.values(), *(CaseSummary(i) for i in sorted(ids - set(listed)))]
    match = cases_named(rows, ref)
    if len(match.cases) == 1:
        return match.cases[0].id
    if match.cases:
        shown = "; ".join(describe(c) for c in match.cases[:8])
        more = f" and {len(match.cases) - 8} more" if len(match.cases) > 8 else ""
        if match.how == "title":
            raise CaseError(f"'{clean(ref)}' is ambiguous: {len(match.cases)} cases have that "
                            f"title: {clean(shown)}{more}; name one by the start of its id, "
                            "shown in brackets")
        raise CaseError(f"'{clean(ref)}' fits {len(match.cases)} cases: {clean(shown)}{more}; "
                        "type more of the title, or name one by the start of its id, shown "
                        "in brackets")
    raise CaseNotFound(f"no case matches '{clean(ref)}' (try 'secondview list')")
