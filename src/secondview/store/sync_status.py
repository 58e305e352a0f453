"""Sync status: per case, which devices wrote and when, the unsettled conflicts and the
foreign copies waiting; and the cache that keeps ``secondview sync status`` fast.

``case_status`` says it for an open case, from the hybrid-clock stamps of the entries (the
merge never depends on the wall clocks). ``status`` says it for one case or every case;
``summarize`` sums up such a list: how many cases are in step and why the others are not, how
many devices wrote, and which ones have been silent for SILENT_DAYS.

The cache: reading and merging every case in full would take minutes with 10,000 cases. The
list index (``store.case_index``, in the cache folder) gets a table ``sync_status``: per case,
its last ``CaseSync`` as JSON, with the stamps (name, mtime_ns, size, inode) of the replica
files it was computed from. The status depends on nothing but those files, this device's id
and name and the rules here (``STATUS_FORMAT``), so while they are unchanged the cached status
is the status. Only clean statuses are kept: a case with problems (an unreadable or newer
file), read-only here, or that cannot be read, is opened every time (which also retries and
quarantines). Like the rest of the index this is a cache: one that cannot be used is skipped
(every case is then opened), and losing it costs one slow run.

Side effects are named in each function's docstring; importing this module has none.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..core.hybrid_clock import stamp_to_datetime
from ..core.registers import Tables
from ..core.separation import places
from .case_index import stamps_key
from .errors import CaseError
from .foreign_copies import foreign_copies, is_foreign
from .open_case import OpenCase, Problem
from .repository import CaseRepository
from .storage import Stamp


@dataclass(frozen=True)
class DeviceSeen:
    """One device that wrote to a case."""

    id: str
    name: str
    last_wrote: str
    """The hybrid-clock stamp of its latest write still in the case ("" if none is left)."""
    this_device: bool = False
    has_file: bool = False


@dataclass(frozen=True)
class CaseSync:
    """How one case stands across devices."""

    case_id: str
    title: str
    devices: tuple[DeviceSeen, ...]
    conflicts: tuple[tuple[str, str, str], ...]
    races: tuple[tuple[str, str], ...]
    foreign: tuple[str, ...]
    problems: tuple[Problem, ...] = ()
    read_only: str = ""
    error: str = ""


SILENT_DAYS = 30
"""A device whose latest write in every case is older than this is named in the summary: its
sync may have stopped."""


@dataclass(frozen=True)
class SyncSummary:
    """What a list of case statuses comes to (``summarize``). A case is in step when it has
    nothing to settle, no copy waiting, and is readable and writable here; each other count
    is of the cases with that reason (one case may have several)."""

    cases: int
    in_step: int
    with_conflicts: int
    """Cases with conflicts or edit-delete races to settle."""
    with_copies_waiting: int
    read_only: int
    with_unreadable_files: int
    """Cases that opened, with a file that could not be read (quarantined)."""
    unreadable: int
    """Cases that could not be read at all."""
    with_files_syncing: int
    """Cases with a file that waits for a part of it not synced here yet
    (``store.replica_parts``): nothing to mend, it is read when the part arrives."""
    devices: int
    """Devices that wrote to any of the cases (this one included)."""
    silent_days: int
    silent_devices: tuple[tuple[str, str, str], ...]
    """(id, name, stamp of its latest write) of each device but this one whose latest write
    in every case is ``silent_days`` or more old, by name."""


def summarize(rows: Sequence[CaseSync], now: dt.datetime) -> SyncSummary:
    """The facts of ``rows`` taken together, on the day of ``now`` (see ``SyncSummary``)."""
    latest: dict[str, tuple[str, str, bool]] = {}
    for row in rows:
        for d in row.devices:
            seen = latest.get(d.id, ("", d.name, d.this_device))
            latest[d.id] = max(seen, (d.last_wrote, d.name, d.this_device))
    since = now - dt.timedelta(days=SILENT_DAYS)
    silent = sorted(
        ((dev, name, stamp) for dev, (stamp, name, here) in latest.items()
         if not here and (moment := stamp_to_datetime(stamp)) is not None and moment <= since),
        key=lambda d: (d[1], d[0]),
    )
    return SyncSummary(
        cases=len(rows),
        in_step=sum(1 for r in rows if not (r.conflicts or r.races or r.foreign or r.read_only
                                            or r.problems or r.error)),
        with_conflicts=sum(1 for r in rows if r.conflicts or r.races),
        with_copies_waiting=sum(1 for r in rows if r.foreign),
        read_only=sum(1 for r in rows if r.read_only),
        with_unreadable_files=sum(1 for r in rows if not r.error
                                  and any(not p.waiting for p in r.problems)),
        unreadable=sum(1 for r in rows if r.error),
        with_files_syncing=sum(1 for r in rows if any(p.waiting for p in r.problems)),
        devices=len(latest),
        silent_days=SILENT_DAYS,
        silent_devices=tuple(silent),
    )


def last_writes(tables: Tables) -> dict[str, str]:
    """device id -> the stamp of its latest write present in ``tables``."""
    latest: dict[str, str] = {}
    for _, register in places(tables):
        for entry in register:
            dev = entry["dot"][0]
            if entry["at"] > latest.get(dev, ""):
                latest[dev] = entry["at"]
    return latest


def case_status(repo: CaseRepository, opened: OpenCase) -> CaseSync:
    """The sync status of an open case (reads nothing more from disk)."""
    case = opened.case
    writes = last_writes(opened.state.tables)
    with_files = {o.device for n, o in opened.origins.items() if not is_foreign(n, o)}
    ids = set(writes) | with_files
    devices = [
        DeviceSeen(
            dev,
            opened.device_name(dev),
            writes.get(dev, ""),
            dev == repo.device.id,
            dev in with_files,
        )
        for dev in ids
    ]
    devices.sort(key=lambda d: (d.last_wrote, d.id), reverse=True)
    return CaseSync(
        opened.case_id,
        case.title,
        tuple(devices),
        case.conflicts,
        case.races,
        tuple(foreign_copies(opened)),
        opened.problems,
        opened.read_only,
    )


def status(repo: CaseRepository, case_ref: str | None = None) -> list[CaseSync]:
    """The sync status of one case, or of every case (most recently changed first).

    One case (``case_ref``) is always opened. For every case, each case folder is listed
    (names and stamps, no file read) and the status comes from the repository's SQLite index
    (``StatusCache``) when the index holds one computed from exactly those files. A case
    is opened (read and merged in full) only when:

    - its replica files changed since (written here or by a sync tool, a copy arrived or
      went), or the index has no status for it yet (first run, new case, rebuilt index);
    - its last status was not clean: problems, read-only here, or unreadable (never cached);
    - this device's id or name changed, or the index cannot be used.

    A case that cannot be read is listed with its error. Side effects: those of opening a
    case (quarantine of unreadable files, tightened permissions), for the cases opened; the
    index (created 0600 in the cache folder if missing) gets the statuses worked out.
    """
    if case_ref is not None:
        return [case_status(repo, repo.open(case_ref, upgrade=False))]
    cache = StatusCache(repo)
    out = []
    present = repo.case_ids()
    for case_id in present:
        try:
            key = cache.key(repo.folder_stamps(case_id))
            row = cache.get(case_id, key)
            if row is None:
                row = case_status(repo, repo.open(case_id, upgrade=False))
                cache.put(key, row)
            out.append(row)
        except CaseError as exc:
            out.append(CaseSync(case_id, "", (), (), (), (), error=str(exc)))
    cache.save(present)
    out.sort(key=lambda c: max((d.last_wrote for d in c.devices), default=""), reverse=True)
    return out


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
                           stamps_key(stamps)])

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
    return CaseSync(
        case_id,
        str(data["title"]),
        tuple(DeviceSeen(str(i), str(n), str(w), bool(t), bool(f))
              for i, n, w, t, f in data["devices"]),
        tuple((str(t), str(i), str(f)) for t, i, f in data["conflicts"]),
        tuple((str(t), str(i)) for t, i in data["races"]),
        tuple(str(n) for n in data["foreign"]),
    )
