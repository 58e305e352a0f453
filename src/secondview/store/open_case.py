"""What reading a case gives: ``OpenCase`` (the merged state and what it was read from), the
``Problem`` of a file that needs the user, and ``FolderRead`` (the files of a case folder read
and merged, before the repository makes an OpenCase of them).

Shared by the repository (which makes them), the list index, the check, sync status, the
command line and the screens. Pure data: no I/O, nothing at import.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..core import model
from ..core.registers import Tables
from ..core.replica import CaseState
from .storage import Stamp

if TYPE_CHECKING:  # what a case was read from: read and told apart in store.folder_reader
    from ..core.separation import Origin, Separation


@dataclass(frozen=True)
class Problem:
    """A file that needs the user: what is wrong and where a copy was kept."""

    path: Path
    problem: str
    quarantined: Path | None = None
    case_id: str = ""
    read_only: str = ""
    """Why this file makes its case read-only (this device's own file, a newer format), or ""."""
    entry: bool = False
    """About what stands in the folder (a link, a pipe, a read-only folder), not a file's
    content: found again by every listing of the folder (``CaseRepository.scan``)."""
    waiting: bool = False
    """The file is fine but waits for a part of it not synced yet (``store.replica_parts``):
    read again at the next look, whether or not it changed."""

    def message(self) -> str:
        kept = f" A copy is kept in {self.quarantined}." if self.quarantined else ""
        return f"{self.path}: {self.problem}.{kept}"


def read_only_reason(problems: Sequence[Problem]) -> str:
    """Why these problems make a case read-only (the first that does), or ""."""
    return next((p.read_only for p in problems if p.read_only), "")


@dataclass(frozen=True)
class OpenCase:
    """A case as read from disk: its merged state and what it was read from."""

    case_id: str
    state: CaseState
    stamps: Mapping[str, Stamp | None]
    """file name -> stamp, for every file merged (or found unreadable) in the folder."""
    devices: Mapping[str, str] = field(default_factory=dict)
    """device id -> name, from the replicas read."""
    problems: tuple[Problem, ...] = ()
    read_only: str = ""
    """Why edits are refused, or "" when the case can be edited."""
    origins: Mapping[str, Origin] = field(default_factory=dict)
    """file name -> its writer as the file says, for every file merged (store.foreign_copies)."""

    @property
    def case(self) -> model.Case:
        return self.state.case()

    def device_name(self, device_id: str) -> str:
        return self.devices.get(device_id, device_id)


def waiting_stamps(stamps: Mapping[str, Stamp | None], problems: Sequence[Problem]
                   ) -> dict[str, Stamp | None]:
    """``stamps`` with no stamp for the files that wait for a part not synced yet
    (``Problem.waiting``), so the next look reads them again though they did not change."""
    waiting = {p.path.name for p in problems if p.waiting}
    return {n: (None if n in waiting else s) for n, s in stamps.items()}


@dataclass(frozen=True)
class FolderRead:
    """The files of a case folder read and merged (``store.folder_reader.read_files``)."""

    tables: Tables | None
    devices: dict[str, str]
    problems: list[Problem]
    read_only: str
    origins: dict[str, Origin]
    separation: Separation | None = None
    recovered: bool = False
    """This install's kept copy was merged in: its own file lacked what it last wrote."""
