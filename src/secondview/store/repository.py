"""CaseRepository: the one way cases are opened, reloaded, saved and found on disk.

A case folder holds one replica per device (``<device-id>.json``). Opening a case reads every
JSON file in its folder (sync tools' conflict copies and restored backups included), keeps
those that hold this case, and merges them (``store.folder_reader``, each file through TinyDB:
``store.replica_db``). Saving takes a per-case lock in the local data folder, re-reads whatever
changed on disk since it was read, applies the edit on top with a fresh version dot, and
writes only this device's file (``store.replica_writer``: after this install's record of what
it wrote, ``store.twin_installs``). No device's own replica is ever deleted; a foreign copy (a
sync tool's conflict copy, a backup under another name) is archived in the local data folder
and removed once a save has written its content into this device's file
(``store.foreign_copies``), and a device id found in use by two installs is replaced there too
(``core.separation``).

Unreadable files are copied to ``quarantine/`` (once per version) and reported; they are left
where they are and never overwritten. If this device's own file is unreadable, or a replica
comes from a newer major version, the case opens read-only with a message saying why.

The case list comes from a local SQLite index (in the cache folder), so listing never parses
every case: ``index_file`` (``store.index_file``) holds the connection and reads the rows the
first frame paints; ``index`` (``store.case_index``, made at its first use) writes them and
searches them; ``refresh()`` compares file stamps and re-reads only the cases that changed.
Reading every case for problems is ``store.case_check``.
"""

from __future__ import annotations

import datetime as _dt
import os
import sqlite3
import threading
from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..core import model
from ..core.hybrid_clock import HybridClock
from ..core.ids import is_case_id, new_id
from ..core.replica import CaseState, Write, new_case
from .care_team_upgrade import with_care_team
from .case_folder import LINK, is_case_folder_name, is_link, is_replica_name
from .case_lock import CaseLocks
from .case_ref import resolve_case
from .errors import CaseError, CaseNotFound, ReadOnlyCase
from .folder_scan import folder_problems, has_case_folders, scan_case, scan_cases, tighten_case
from .index_file import IndexFile
from .item_edits import ItemEdits
from .open_case import FolderRead, OpenCase, Problem, read_only_reason, waiting_stamps
from .paths import Device, Paths
from .storage import Sealer, Stamp, ensure_dir

if TYPE_CHECKING:
    from ..core.case_summary import CaseSummary
    from ..core.registers import Tables
    from ..core.separation import Separation
    from .case_index import CaseIndex
    from .replica_parts import PartShelf
    from .sealed_index import SealedIndex

# Reading and merging case files (store.folder_reader, core.separation), writing them
# (store.replica_writer), archiving foreign copies (store.foreign_copies), what writes the
# index (store.case_index, store.search_index) and a sealed folder's index (store.sealed_index)
# are imported where a case is read or saved or the index written, not with this module: the
# case list's first frame is painted from the index's rows (store.index_file) and needs none
# of them (bench/startup.py). None of them imports this module.

__all__ = [  # their homes are store.case_folder, store.errors and store.open_case
    "CaseError", "CaseNotFound", "CaseRepository", "OpenCase", "Problem", "ReadOnlyCase",
    "is_case_folder_name", "is_replica_name",
]


class CaseRepository(ItemEdits):
    """Reads and writes the cases in ``paths.cases_dir`` as ``device``, sealed with ``key``
    (``store.folder_key``) when given. Side effects: creates the cases, data and cache folders
    (0700) on first write; copies unreadable files to quarantine; keeps the index up to date.
    """

    def __init__(
        self,
        paths: Paths,
        device: Device,
        clock: HybridClock | None = None,
        today: _dt.date | None = None,
        key: Sealer | None = None,
    ) -> None:
        self.paths, self.key = paths, key
        self.device = device
        self.clock = clock or HybridClock()
        self._today = today
        self.index_file = IndexFile(paths.index_file, self._index_sealing)  # rows painted first
        self._index: CaseIndex | None = None
        self._index_made = threading.Lock()
        self.locks = CaseLocks(paths.locks_dir)
        self._parts: PartShelf | None = None

    @property
    def parts(self) -> PartShelf:
        """The parts of large replicas read and written here (``store.replica_parts``)."""
        if self._parts is None:
            from .replica_parts import PartShelf

            self._parts = PartShelf()
        return self._parts

    @property
    def today(self) -> _dt.date:
        return self._today or _dt.date.today()

    # -- reading ------------------------------------------------------------------------------

    def folder(self, case_id: str) -> Path:
        """The folder of a case. CaseNotFound unless ``case_id`` has exactly the app's id form
        (``core.ids.is_case_id``), so no path is ever built from anything else."""
        if not is_case_id(case_id):
            shown = case_id[:40] if isinstance(case_id, str) else repr(case_id)[:40]
            raise CaseNotFound(f"'{shown}' is not a case id secondview makes")
        return self.paths.cases_dir / case_id

    def own_file(self, case_id: str) -> Path:
        return self.folder(case_id) / f"{self.device.id}.json"

    def folder_stamps(self, case_id: str) -> dict[str, Stamp | None]:
        """The stamp of every case file in a case folder (see ``scan``)."""
        return self.scan(case_id)[0]

    def scan(self, case_id: str) -> tuple[dict[str, Stamp | None], list[Problem]]:
        """The stamp of every case file in a case folder and a Problem for each odd entry
        (``store.folder_scan.scan_case``). CaseNotFound if the folder is gone; CaseError if
        it is a link or cannot be listed."""
        return scan_case(self.paths.cases_dir, self.folder(case_id).name,
                         self.own_file(case_id).name)

    def _read_files(self, case_id: str, names: Sequence[str], base: Tables | None = None
                    ) -> FolderRead:
        from .folder_reader import read_files

        replicas = [n for n in names if is_replica_name(n)]  # not the kept folder's stamp
        return read_files(self.paths, self.device, self.folder(case_id).name, replicas, base,
                          self.key, self.parts)

    def open(self, case_ref: str, upgrade: bool = True) -> OpenCase:
        """Read and merge a case (named as ``resolve`` reads it). CaseError if none.

        Side effects: quarantine of unreadable files, tightened permissions; this device's
        replica rewritten when a twin install was told apart (``_separated``) or its own file
        lacked what this install last wrote (``_restored``), or typed doctor names became
        doctor entries (``store.care_team_upgrade``; not with ``upgrade`` False: a read)."""
        case_id = self.resolve(case_ref)
        stamps, odd = self.scan(case_id)
        read = self._read_files(case_id, list(stamps))
        if self._must_read_again(case_id, read):
            with self._lock(case_id):
                return self.open(case_id, upgrade)
        if read.tables is None:
            detail = "; ".join(p.problem for p in [*odd, *read.problems]) or (
                "it holds no case file")
            raise CaseError(f"case {case_id} cannot be read: {detail}")
        devices = read.devices
        devices.setdefault(self.device.id, self.device.name)
        state = CaseState(read.tables)
        self.clock.observe(state.max_at)
        tighten_case(self.paths.cases_dir, case_id, stamps)
        problems = [*read.problems, *odd, *folder_problems(self.folder(case_id), case_id)]
        opened = OpenCase(case_id, state, waiting_stamps(stamps, problems), devices,
                          tuple(problems), read_only_reason(problems), read.origins)
        if read.separation is not None:
            opened = self._separated(opened, read.separation, read.recovered)
        elif read.recovered:
            opened = self._restored(opened)
        return with_care_team(opened, self.apply) if upgrade else opened

    def _must_read_again(self, case_id: str, read: FolderRead) -> bool:
        """Whether ``read``, made outside the case lock, calls for a write of this device's
        replica: then the case is read again under the lock first. (A save by another process
        of this install between reading its replica and reading its record looks like a write
        the file lost; writing what was read would undo that save.)"""
        needs_write = read.recovered or read.separation is not None
        return needs_write and not self.locks.holds(self.folder(case_id).name)

    def _restored(self, opened: OpenCase) -> OpenCase:
        """This install's own file did not hold what it last wrote (a sync tool put another
        version in its place, or it went): write the merged state at once, so the edits kept
        in the local data folder reach the other devices again.

        Side effects: this device's replica written (unless the case is read-only)."""
        if opened.read_only:
            return opened
        with self._lock(opened.case_id):
            stamp = self._write_own(opened.case_id, opened.state)
        return replace(opened, stamps={**opened.stamps, self.own_file(opened.case_id).name: stamp})

    def _separated(self, opened: OpenCase, separation: Separation, restored: bool = False
                   ) -> OpenCase:
        """Another install wrote under this device's id: take the new id and write the merged
        state under it at once (unless the case is read-only), so no edit waits in memory.
        Written too when nothing is new but ``restored`` (see ``_restored``).

        Side effects: device.json rewritten (the old id kept as retired) and ``self.device``
        changed; this device's replica written under the new id; the old id's file is left
        to the other install.
        """
        if not separation.new_id and not separation.renames and not restored:
            return opened  # told apart again in memory; nothing new to write
        if separation.new_id:
            renewed = self.device.renewed(separation.new_id)
            renewed.save(self.paths.data_dir)
            self.device = renewed
        devices = {**opened.devices, self.device.id: self.device.name}
        opened = replace(opened, devices=devices)
        if opened.read_only:
            return opened
        state = opened.state
        if separation.renames:
            writes = [r.write() for r in separation.renames]
            from ..core.separation import name_write

            writes += [name_write(label, name) for label, name in separation.names.items()]
            state = state.apply(writes, self.device.id, self.clock.now())
        with self._lock(opened.case_id):
            stamp = self._write_own(opened.case_id, state, bool(separation.renames),
                                    separation.own_labels)
        return replace(
            opened,
            state=state,
            stamps={**opened.stamps, self.own_file(opened.case_id).name: stamp},
        )

    def changed_on_disk(self, opened: OpenCase) -> bool:
        """Whether any file of the case folder differs from when ``opened`` was read."""
        try:
            return self.folder_stamps(opened.case_id) != dict(opened.stamps)
        except CaseNotFound:
            return True

    def reload(self, opened: OpenCase) -> OpenCase:
        """``opened`` with whatever changed on disk merged in (the same object if nothing did)."""
        stamps, odd = self.scan(opened.case_id)
        entries = [*odd, *folder_problems(self.folder(opened.case_id), opened.case_id)]
        if stamps == dict(opened.stamps) and entries == [p for p in opened.problems if p.entry]:
            return opened
        changed = [n for n, s in stamps.items() if opened.stamps.get(n) != s]
        read = self._read_files(opened.case_id, changed, base=opened.state.tables)
        if self._must_read_again(opened.case_id, read):
            with self._lock(opened.case_id):
                return self.reload(opened)
        if read.separation is not None:
            state = CaseState(read.separation.tables)  # what was in memory, told apart
        elif read.tables is None:
            state = opened.state
        else:
            state = opened.state.merge(CaseState(read.tables))
        self.clock.observe(state.max_at)
        # Problems of files still there and unchanged stand; those of files gone (moved aside)
        # or re-read go. The case stays read-only while any remaining problem makes it so.
        kept = [p for p in opened.problems
                if not p.entry and p.path.name in stamps and p.path.name not in changed]
        problems = [*kept, *read.problems, *entries]
        origins = {n: o for n, o in opened.origins.items() if n in stamps and n not in changed}
        fresh = replace(
            opened,
            state=state,
            stamps=waiting_stamps(stamps, problems),
            devices={**opened.devices, **read.devices},
            problems=tuple(problems),
            read_only=read_only_reason(problems),
            origins={**origins, **read.origins},
        )
        if read.separation is not None:
            fresh = self._separated(fresh, read.separation, read.recovered)
        elif read.recovered:
            fresh = self._restored(fresh)
        return fresh

    # -- writing ------------------------------------------------------------------------------

    def _lock(self, case_id: str) -> AbstractContextManager[None]:
        """The exclusive lock on one case among this device's processes and threads."""
        return self.locks.hold(self.folder(case_id).name)

    def _write_own(self, case_id: str, state: CaseState, made: bool = False,
                   renamed: Mapping[str, tuple[int, str]] | None = None) -> Stamp:
        """Write this device's replica of the case (under the case lock), after removing the
        temp files its killed saves left (``store.replica_writer``).

        ``made``: the state holds a new write of this device; ``renamed``: its own writes
        just told apart from a twin's. Side effects: this install's record of the case (in
        the local data folder), then the replica (one TinyDB write: atomic, fsynced).
        """
        folder = self.folder(case_id)
        if is_link(folder):
            raise CaseError(f"{folder} {LINK.format(what='case folder')}")
        ensure_dir(self.paths.cases_dir)
        ensure_dir(folder)
        from .replica_writer import remove_leftover_temp_files, write_replica

        remove_leftover_temp_files(folder, self.device.id)
        return write_replica(self.paths, self.device, case_id, self.own_file(case_id), state,
                             made, renamed, self.key, self.parts)

    def create(self, values: Mapping[str, Any], extra: Sequence[Write] = ()) -> OpenCase:
        """A new case from validated ``values`` (title required), plus optional first items."""
        missing = model.missing_required("case", values)
        if missing:
            raise CaseError(f"a new case needs: {', '.join(missing)}")
        state, case_id = new_case(values, self.device.id, self.clock.now())
        if extra:
            state = state.apply(
                [replace(w, doc_id=w.doc_id or new_id()) for w in extra],
                self.device.id,
                self.clock.now(),
            )
        return self.create_from(case_id, state)

    def create_from(self, case_id: str, state: CaseState) -> OpenCase:
        """A case folder made for ``state``, whole or not at all, and the case as saved.

        The folder is made under a hidden temporary name and renamed into place once this
        device's file is written in it (``store.replica_writer.create_case_folder``): a full
        disk or a crash leaves no empty or half-made case folder in the synced folder.
        CaseError if the case folder exists already. Side effects: the case folder (0700)
        and this device's file (0600); the index row.
        """
        folder = self.folder(case_id)
        with self._lock(case_id):
            if os.path.lexists(folder):
                raise CaseError(f"{folder} exists already; nothing was written")
            from .replica_writer import create_case_folder

            stamp = create_case_folder(self.paths, self.device, case_id, state, self.key,
                                       self.parts)
        opened = OpenCase(
            case_id,
            state,
            {self.own_file(case_id).name: stamp},
            {self.device.id: self.device.name},
        )
        self._index_put(opened)
        return opened

    def apply(
        self,
        opened: OpenCase,
        writes: Sequence[Write],
        summary: str = "",
        merge: Tables | None = None,
    ) -> OpenCase:
        """Save ``writes`` (prepared against ``opened.state``) and return the case as saved.

        Under the case lock: re-reads files changed since ``opened`` was read, merges in
        ``merge`` if given (an imported replica), applies the writes on the merged state with
        a new dot of this device, writes this device's file, then archives and removes the
        foreign copies whose content that file now holds (store.foreign_copies), and
        updates the index. Raises ReadOnlyCase if the case cannot be edited here.
        """
        if opened.read_only:
            raise ReadOnlyCase(f"this case is read-only: {opened.read_only}")
        summary = summary or "; ".join(w.summary for w in writes if w.summary) or "Edited"
        log = Write("log", new_id(), {"action": "edit", "summary": summary[:200]})
        with self._lock(opened.case_id):
            fresh = self.reload(opened)
            if fresh.read_only:
                raise ReadOnlyCase(f"this case is read-only: {fresh.read_only}")
            state = fresh.state
            if merge is not None:
                state = state.merge(CaseState(merge))
                self.clock.observe(state.max_at)
            state = state.apply([*writes, log], self.device.id, self.clock.now())
            saved, _ = self._save_own(replace(fresh, state=state), made=True)
        return saved

    def _save_own(self, fresh: OpenCase, made: bool) -> tuple[OpenCase, list[str]]:
        """Write ``fresh`` (re-read under the case lock held) as this device's replica, then
        archive the foreign copies it now holds; the case as saved (indexed) and the names
        archived. Side effects: the replica, the archive, the index row."""
        case_id = fresh.case_id
        stamp = self._write_own(case_id, fresh.state, made=made)
        stamps = {**fresh.stamps, self.own_file(case_id).name: stamp}
        from .foreign_copies import archive_foreign, saved_origins

        removed = archive_foreign(self.paths, self.device.id, case_id, stamps, fresh.origins)
        saved = replace(
            fresh,
            stamps={n: s for n, s in stamps.items() if n not in removed},
            origins=saved_origins(self.device, fresh.origins, removed),
        )
        self._index_put(saved)
        return saved, removed

    def tidy(self, case_ref: str) -> tuple[OpenCase, list[str]]:
        """Merge a case's foreign copies into this device's replica now and archive them.

        Returns the case as saved and the names archived (none when there was nothing to do
        or the case is read-only here). Side effects: writes this device's replica (fsynced),
        archives and removes the copies (``store.foreign_copies``), updates the index.
        """
        opened = self.open(case_ref)
        from .foreign_copies import foreign_copies

        if opened.read_only or not foreign_copies(opened):
            return opened, []
        with self._lock(opened.case_id):
            fresh = self.reload(opened)
            if fresh.read_only:
                return fresh, []
            return self._save_own(fresh, made=False)

    # -- finding ------------------------------------------------------------------------------

    def has_case_folders(self) -> bool:
        """Whether the cases folder holds at least one case folder (stops at the first)."""
        return has_case_folders(self.paths.cases_dir)

    def case_ids(self) -> list[str]:
        """Ids of every case folder in the cases folder (see ``store.case_folder``)."""
        return self.scan_cases()[0]

    def scan_cases(self) -> tuple[list[str], list[Problem]]:
        """Ids of every case folder, and a Problem for each odd entry named like one."""
        return scan_cases(self.paths.cases_dir)

    def resolve(self, ref: str) -> str:
        """The case id meant by ``ref``: an id, a title, or a unique start of either
        (``store.case_ref.resolve_case``). CaseNotFound, or CaseError when ambiguous."""
        return resolve_case(self, ref)

    # -- the index ----------------------------------------------------------------------------

    @property
    def index(self) -> CaseIndex:
        """What writes the case list index and searches it (``store.case_index``), on
        ``index_file``'s connection: made at its first use (a refresh, a save, a search),
        which the app's first frame does not wait for."""
        with self._index_made:  # the refresh worker and the app's thread may both ask first
            if self._index is None:
                from .case_index import CaseIndex
                from .search_index import kept_reader

                self._index = CaseIndex(self.index_file,
                                        kept_reader(self.paths.cases_dir, lambda: self.key))
            return self._index

    def _index_sealing(self) -> SealedIndex | None:
        """How the index is kept (``store.sealed_index.sealed_index``): None, the plain file,
        for a plain folder opened without a key, decided without the sealing's modules."""
        if self.key is None and not self.paths.key_file.exists():
            return None
        from .sealed_index import sealed_index

        return sealed_index(self.paths, self.key)

    def index_db(self) -> sqlite3.Connection:
        """The case list index's connection (``store.index_file``), opened on first use."""
        return self.index_file.db()

    @property
    def cache_warning(self) -> str:
        """Why the case list index works in memory only (its file cannot be written), or ""."""
        return self.index_file.warning

    def close(self) -> None:
        self.index_file.close()

    def _index_put(self, opened: OpenCase) -> None:
        self.index.put_case(opened, self.today)

    def indexed(self, limit: int | None = None) -> list[CaseSummary]:
        """The case list as the index last knew it (``store.index_file.IndexFile.rows``):
        reads no case file and lists no folder; this is what the app paints first."""
        return self.index_file.rows(limit)

    def indexed_count(self) -> int:
        """How many unarchived cases ``indexed()`` lists (``IndexFile.count``), from the index
        alone: the first frame's title counts them while it shows a screenful."""
        return self.index_file.count()

    def refresh(self, progress: Callable[[int, int], None] | None = None) -> list[Problem]:
        """Bring the index up to date with the cases folder, reading only the case folders
        whose file stamps changed (``store.case_index.CaseIndex.refresh``); problems found on
        the way. Side effects: quarantines unreadable files, tightens loose permissions,
        rewrites index rows."""
        return self.index.refresh(self, progress)

    def problems_of_unreadable(self, case_id: str) -> list[Problem]:
        """The problems of a case that cannot be opened: its folder's, or its files'.
        Side effects: those of reading its files (quarantine)."""
        try:
            stamps = self.folder_stamps(case_id)
        except CaseError as exc:
            return [Problem(self.folder(case_id), str(exc), None, case_id)]
        return self._read_files(case_id, list(stamps)).problems

    def list(self, refresh: bool = True) -> list[CaseSummary]:
        """Every case, most recently changed first (refreshing the index first by default)."""
        if refresh:
            self.refresh()
        return self.indexed()

