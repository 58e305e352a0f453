"""The sync operations the command line runs, gathered under one name (``secondview sync``,
``import``, ``export --replica``). Each lives in the module named for it:

- sync status and its cache: ``store.sync_status``;
- foreign copies (conflict copies, restored backups) merged and archived:
  ``store.foreign_copies``, ``CaseRepository.tidy``;
- a case sent as one file: ``store.replica_transfer``;
- two installs under one device id told apart: ``core.separation``, ``store.twin_installs``.

Nothing happens when this module is imported.
"""

from __future__ import annotations

from .foreign_copies import archive_foreign, foreign_copies
from .open_case import OpenCase
from .replica_transfer import Imported, export_replica, import_replica
from .repository import CaseRepository
from .sync_status import CaseSync, DeviceSeen, case_status, last_writes, status


def tidy(repo: CaseRepository, case_ref: str) -> tuple[OpenCase, list[str]]:
    """``CaseRepository.tidy``: merge a case's foreign copies into this device's replica now
    and archive them. Side effects: see there."""
    return repo.tidy(case_ref)


__all__ = [
    "CaseSync", "DeviceSeen", "Imported", "archive_foreign", "case_status", "export_replica",
    "foreign_copies", "import_replica", "last_writes", "status", "tidy",
]
