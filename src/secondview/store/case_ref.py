"""Finding a case by what a person types: its id, a unique start of its id, or its title.

Pure lookups through the repository (a folder's existence, the case list): nothing written.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from ..core.case_summary import CaseSummary
from .case_folder import LINK, is_case_folder_name, is_link, is_real_folder
from .errors import CaseError, CaseNotFound


class Cases(Protocol):
    """What finding a case needs of the repository."""

    def folder(self, case_id: str) -> Path: ...

    def case_ids(self) -> list[str]: ...

    def list(self, refresh: bool = True) -> Sequence[CaseSummary]: ...


def resolve_case(repo: Cases, ref: str) -> str:
    """The case id meant by ``ref``: an id, a unique prefix of one, or an exact title."""
    ref = ref.strip()
    if not ref:
        raise CaseNotFound("name a case: its id, the start of its id, or its exact title")
    if is_case_folder_name(ref):
        folder = repo.folder(ref)
        if is_real_folder(folder):
            return ref  # the common case, without listing the whole cases folder
        if is_link(folder):
            raise CaseError(f"{folder} {LINK.format(what='case folder')}")
    ids = repo.case_ids()
    if ref in ids:
        return ref
    by_title = [r.id for r in repo.list() if r.title == ref]
    if len(by_title) == 1:
        return by_title[0]  # a person typing "Dad" means the title, even if an id starts so
    by_prefix = [i for i in ids if i.startswith(ref.lower())]
    if len(by_prefix) == 1 and not by_title:
        return by_prefix[0]
    if by_title or len(by_prefix) > 1:
        hits = by_title or by_prefix
        what = "cases have that title" if by_title else "case ids start so"
        raise CaseError(
            f"'{ref}' is ambiguous: {len(hits)} {what} ({', '.join(h[:8] for h in hits)}); "
            "use more of the id"
        )
    raise CaseNotFound(f"no case matches '{ref}' (try 'secondview list')")
