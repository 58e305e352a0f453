"""The sync status of each case, kept in the repository's SQLite index (a cache).

``secondview sync status`` would otherwise read and merge every case in full: with 10,000
cases that takes minutes. The index (``CaseRepository``'s, in the cache folder) gets a table
``sync_status``: per case, its last ``store.sync.CaseSync`` as JSON, with the stamps (name,
mtime_ns, size, inode) of the replica files it was computed from. The status depends on
nothing but those files, this device's id and name and the rules here (``STATUS_FORMAT``),
so while they are unchanged the cached status is the status.

Only clean statuses are kept: a case with problems (an unreadable or newer file), read-only
here, or that cannot be read, is opened every time (which also retries and quarantines).
Like the rest of the index this is a cache: one that cannot be used is skipped (every case is
then opened), and losing it costs one slow run. Nothing happens when this module is imported.
"""

from __future__ import annotations

import json
import sqlite3
from typing import TYPE_CHECKING, Any, Iterable, Mapping

if TYPE_CHECKING:
    from .repository import CaseRepository
    from .storage import Stamp
    from .sync import CaseSync

STATUS_FORMAT = 1
"""Raise when CaseSync's fields or how a status is worked out change: cached ones are redone."""

_TABLE = """CREATE TABLE IF NOT EXISTS sync_status
            (id TEXT PRIMARY KEY, stamps TEXT NOT NULL, status TEXT NOT NULL)"""


class StatusCache:
    """The cached statuses of one repository's cases (see the module docstring)."""

    def __init__(self, repo: CaseRepository) -> None:
        self.repo = repo
        self._db: sqlite3.Connection | None = None
        self._known: dict[str, tuple[str, str]] = {}
        self._new: list[tuple[str, str, str]] = []
        try:
            db = repo.index_db()
            db.execute(_TABLE)
            self._known = {i: (k, s) for i, k, s in db.execute(
                "SELECT id, stamps, status FROM sync_status")}
            self._db = db
        except sqlite3.Error:
            self._db = None  # no cache this time: every case is opened

    def key(self, stamps: Mapping[str, Stamp | None]) -> str:
        """What a cached status must match: the files' stamps, this device, the rules."""
        device = self.repo.device
        return json.dumps([STATUS_FORMAT, device.id, device.name,
                           self.repo.stamps_key(stamps)])

    def get(self, case_id: str, key: str) -> CaseSync | None:
        """The cached status of ``case_id`` if it was computed from files stamped ``key``."""
        known = self._known.get(case_id)
        if known is None or known[0] != key:
            return None
        try:
            return _from_json(case_id, json.loads(known[1]))
        except (ValueError, TypeError, KeyError):
            return None

    def put(self, key: str, row: CaseSync) -> None:
        """Keep ``row`` (if clean) under ``key``; written to the index by ``save``."""
        if self._db is None or row.error or row.read_only or row.problems:
            return
        self._new.append((row.case_id, key, json.dumps(_to_json(row))))

    def save(self, present: Iterable[str]) -> None:
        """Write the statuses ``put`` since opening and forget cases no longer there.

        Side effects: rewrites rows of the index's ``sync_status`` table (one transaction).
        """
        if self._db is None:
            return
        gone = set(self._known) - set(present)
        if not self._new and not gone:
            return
        try:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                self._db.executemany(
                    "INSERT OR REPLACE INTO sync_status (id, stamps, status) VALUES (?, ?, ?)",
                    self._new)
                self._db.executemany("DELETE FROM sync_status WHERE id = ?",
                                     [(g,) for g in gone])
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
        except sqlite3.Error:
            pass  # a cache: the next run opens those cases again, that is all
        self._new = []


def _to_json(row: CaseSync) -> dict[str, Any]:
    return {
        "title": row.title,
        "devices": [[d.id, d.name, d.last_wrote, d.this_device, d.has_file]
                    for d in row.devices],
        "conflicts": [list(c) for c in row.conflicts],
        "races": [list(r) for r in row.races],
        "foreign": list(row.foreign),
    }


def _from_json(case_id: str, data: dict[str, Any]) -> CaseSync:
    from .sync import CaseSync, DeviceSeen

    return CaseSync(
        case_id,
        str(data["title"]),
        tuple(DeviceSeen(str(i), str(n), str(w), bool(t), bool(f))
              for i, n, w, t, f in data["devices"]),
        tuple((str(t), str(i), str(f)) for t, i, f in data["conflicts"]),
        tuple((str(t), str(i)) for t, i in data["races"]),
        tuple(str(n) for n in data["foreign"]),
    )
