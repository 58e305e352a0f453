"""CaseRepository: the one way cases are read from and written to disk.

A case folder holds one replica per device (``<device-id>.json``). Opening a case reads every
JSON file in its folder (sync tools' conflict copies and restored backups included), keeps
those that hold this case, and merges them. Saving takes a per-case lock in the local data
folder, re-reads whatever changed on disk since it was read, applies the edit on top with a
fresh version dot, and writes only this device's file (after this install's record of what it
wrote, in the local data folder: ``store.twin_installs``). No device's own replica is ever
deleted; a foreign copy (a sync tool's conflict copy, a backup under another name) is archived
in the local data folder and removed once a save has written its content into this device's
file (``store.sync``), and a device id found in use by two installs is replaced there too.

Unreadable files are copied to ``quarantine/`` (once per version) and reported; they are left
where they are and never overwritten. If this device's own file is unreadable, or a replica
comes from a newer major version, the case opens read-only with a message saying why.

The case list comes from a local SQLite index (``index.sqlite`` in the cache folder), so
listing never parses every case; ``refresh()`` compares file stamps and re-reads only the
cases that changed.
"""

from __future__ import annotations

import datetime as _dt
import fcntl
import json
import os
import shutil
import sqlite3
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterator, Mapping, Sequence

from ..core import decision, model, progress
from ..core.replica import (
    DELETED,
    CaseState,
    HybridClock,
    Tables,
    Write,
    merge_tables,
    is_case_id,
    new_case,
    new_id,
)
from .case_index import CaseIndex, CaseSummary
from .errors import CaseError, CaseNotFound, ReadOnlyCase
from .settling import settle_words
from .case_folder import (
    LINK,
    OddEntry,
    is_case_folder_name,
    is_link,
    is_real_folder,
    is_replica_name,
    read_case_file,
    read_only_reason,
    scan_case_folder,
    scan_cases_folder,
)
from .paths import Device, Paths
from .storage import (
    DIR_MODE,
    FILE_MODE,
    NewerFormat,
    Stamp,
    UnreadableFile,
    atomic_write,
    document_text,
    ensure_dir,
    fsync_folder,
    parse_replica,
    replica_bytes,
    tighten,
)


if TYPE_CHECKING:
    from .sync import Origin, Parsed, Separation
    from .twin_installs import Kept

# store.sync (telling apart and merging what other devices and installs wrote) is imported
# where a case is read or saved, not with this module: the case list's first frame, painted
# from the index, never needs it.

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

    def message(self) -> str:
        kept = f" A copy is kept in {self.quarantined}." if self.quarantined else ""
        return f"{self.path}: {self.problem}.{kept}"


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
    """file name -> its writer as the file says, for every file merged (store.sync)."""

    @property
    def case(self) -> model.Case:
        return self.state.case()

    def device_name(self, device_id: str) -> str:
        return self.devices.get(device_id, device_id)


def summarise(opened: OpenCase, today: _dt.date) -> CaseSummary:
    case = opened.case
    done, total = progress.records_confirmed(case)
    latest = max((case.info, *case.log), key=lambda i: i.changed_at)
    steps = progress.next_steps(case, today, limit=1)
    return CaseSummary(
        id=case.id,
        title=case.title,
        condition=case.info.condition,
        urgency=case.info.urgency,
        phase=progress.phase(case),
        next_step=steps[0] if steps else "",
        records_confirmed=done,
        records_total=total,
        open_questions=progress.open_questions(case),
        conflicts=len(case.conflicts) + len(case.races),
        decision=decision.state(case),
        archived=case.archived,
        updated_at=opened.state.max_at,
        updated_by=opened.device_name(latest.changed_by),
        error=opened.read_only,
    )


@dataclass(frozen=True)
class _Read:
    """The files of a case folder read and merged (see CaseRepository._read_files)."""

    tables: Tables | None
    devices: dict[str, str]
    problems: list[Problem]
    read_only: str
    origins: dict[str, Origin]
    separation: Separation | None = None
    recovered: bool = False
    """This install's kept copy was merged in: its own file lacked what it last wrote."""


DEPENDANTS = {
    "questions": ("answers", "question"),
    "opinions": ("answers", "opinion"),
    "options": ("factors", "option"),
}
"""The tables whose items take others with them when deleted: (the table of those, and
their field that points to the item). An answer means nothing without its question or its
opinion; a benefit or risk nothing without its option."""

DEPENDANT_NOUNS = {"answers": ("answer", "answers"), "factors": ("benefit or risk",
                                                                 "benefits and risks")}


def dependants_words(dependants: Sequence[tuple[str, str]]) -> str:
    """'its 2 answers', 'its 1 benefit or risk': what goes with a deleted item ("" if none)."""
    if not dependants:
        return ""
    one, many = DEPENDANT_NOUNS.get(dependants[0][0], ("item", "items"))
    count = len(dependants)
    return f"its {count} {one if count == 1 else many}"


def _deleted_with(state: CaseState, table: str, doc_id: str) -> list[tuple[str, str]]:
    """(table, id) of the dependants (``DEPENDANTS``) deleted in the same operation as this
    (deleted) item: their tombstones carry the dot of its tombstone."""
    if table not in DEPENDANTS:
        return []
    dependant_table, field = DEPENDANTS[table]
    dots = {tuple(e["dot"]) for e in state.register(table, doc_id, DELETED) if e["v"] is True}
    if not dots:
        return []
    found = []
    for other_id, doc in state.tables.get(dependant_table, {}).items():
        points = {e["v"] for e in doc.get(field, ())}
        tomb = doc.get(DELETED) or ()
        if doc_id in points and any(e["v"] is True and tuple(e["dot"]) in dots for e in tomb):
            found.append((dependant_table, other_id))
    return sorted(found)


def _read_only_reason(problems: Sequence[Problem]) -> str:
    return next((p.read_only for p in problems if p.read_only), "")


__all__ = [  # their homes are store.case_folder, store.errors and store.case_index
    "CaseError", "CaseNotFound", "CaseSummary", "ReadOnlyCase", "is_case_folder_name",
    "is_replica_name",
]


class CaseRepository:
    """Reads and writes the cases in ``paths.cases_dir`` as ``device``.

    Side effects: creates the cases, data and cache folders (0700) on first write; copies
    unreadable files to quarantine; keeps the index in the cache folder up to date.
    """

    def __init__(
        self,
        paths: Paths,
        device: Device,
        clock: HybridClock | None = None,
        today: _dt.date | None = None,
    ) -> None:
        self.paths = paths
        self.device = device
        self.clock = clock or HybridClock()
        self._today = today
        self.index = CaseIndex(paths.index_file)
        self._held: set[tuple[str, int]] = set()

    @property
    def today(self) -> _dt.date:
        return self._today or _dt.date.today()

    # -- reading ------------------------------------------------------------------------------

    def folder(self, case_id: str) -> Path:
        """The folder of a case. CaseNotFound unless ``case_id`` has exactly the app's id form
        (``core.replica.is_case_id``), so no path is ever built from anything else."""
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
        """The stamp of every case file in a case folder, and a Problem for each entry named
        like one that is not a regular file (a link, a folder, a pipe: never read, see
        ``store.case_folder``); this device's own file being such an entry makes the case
        read-only, so no save replaces it.

        CaseNotFound if the folder is gone; CaseError if it is a link, or cannot be listed.
        """
        folder = self.folder(case_id)
        if is_link(folder):
            raise CaseError(f"{folder} {LINK.format(what='case folder')}")
        try:
            stamps, odd = scan_case_folder(folder)
        except FileNotFoundError:
            raise CaseNotFound(f"no case {case_id} in {self.paths.cases_dir}") from None
        except OSError as exc:
            raise CaseError(
                f"{folder} cannot be read ({exc.strerror or exc}); check its permissions"
            ) from None
        own = self.own_file(case_id).name
        problems = [
            Problem(o.path, o.problem, None, case_id,
                    f"this device's file {own} {o.problem}" if o.path.name == own else "",
                    entry=True)
            for o in odd
        ]
        return stamps, problems

    def _read_files(
        self, case_id: str, names: Sequence[str], base: Tables | None = None
    ) -> _Read:
        """Merge the named files of a case folder (with ``base``, the state held in memory,
        only when two installs' writes must be told apart: see store.sync.separate)."""
        from .sync import DEVICE_NAMES, Origin, Parsed, recorded_names, separate
        from .twin_installs import read_kept

        folder = self.folder(case_id)
        parsed: list[Parsed] = []
        devices: dict[str, str] = {}
        problems: list[Problem] = []
        for name in sorted(names):
            path = folder / name
            try:
                raw = read_case_file(path)
                meta, tables = parse_replica(path, raw)
                found = next(iter(tables["case"]))
                if found != case_id:
                    raise UnreadableFile(path, f"it holds another case ({found})")
            except FileNotFoundError:
                continue  # gone since the folder was listed (a sync tool moved it)
            except OddEntry as exc:
                problems.append(Problem(path, exc.problem, None, case_id))
                continue
            except NewerFormat as exc:
                problems.append(Problem(path, exc.problem, None, case_id, exc.problem))
                continue
            except (UnreadableFile, OSError) as exc:
                problem = exc.problem if isinstance(exc, UnreadableFile) else str(exc)
                blocks = ""
                if name == f"{self.device.id}.json":
                    blocks = (
                        f"this device's file {path.name} is unreadable ({problem}); "
                        "move it aside to edit the case again"
                    )
                quarantined = self._quarantine(path, case_id)
                problems.append(Problem(path, problem, quarantined, case_id, blocks))
                continue
            origin = Origin.of(meta)
            if origin.device:
                devices[origin.device] = origin.name or origin.device
            parsed.append(Parsed(name, origin, tables, raw))
        kept = read_kept(self.paths, case_id)
        recovered = self._kept_tables(case_id, kept, parsed, names)
        if recovered is not None:
            base = recovered if base is None else merge_tables(base, recovered)
        separation = separate(parsed, self.device, base, kept) if parsed else None
        merged: Tables | None = None
        if separation is not None:
            merged = separation.tables
            devices.update(separation.names)
        else:
            for p in parsed:
                merged = p.tables if merged is None else merge_tables(merged, p.tables)
            if recovered is not None:
                merged = recovered if merged is None else merge_tables(merged, recovered)
        if merged is not None and DEVICE_NAMES in merged:
            for dev, name in recorded_names(merged).items():
                devices.setdefault(dev, name)
        origins = {p.name: p.origin for p in parsed}
        return _Read(merged, devices, problems, _read_only_reason(problems), origins, separation,
                     recovered is not None)

    def _kept_tables(self, case_id: str, kept: Kept | None, parsed: Sequence[Parsed],
                     names: Sequence[str]) -> Tables | None:
        """The state this install last wrote to a case (store.twin_installs), when its own
        file was read and is not that (a sync tool put another version in its place) or is
        missing; None otherwise (an unreadable own file keeps the case read-only), or when
        there is no such record or it cannot be read."""
        if kept is None or not kept.raw or any(p.raw == kept.raw for p in parsed):
            return None
        own_name = f"{self.device.id}.json"
        if own_name in names:
            if not any(p.name == own_name for p in parsed):
                return None  # unreadable: the case is read-only until it is moved aside
        elif (self.folder(case_id) / own_name).exists():
            return None  # not re-read: unchanged since the state in memory was read
        from .twin_installs import kept_path

        try:
            _, tables = parse_replica(kept_path(self.paths, case_id), kept.raw)
            if next(iter(tables["case"])) != case_id:
                return None
        except (UnreadableFile, KeyError, StopIteration):
            return None
        return tables

    def open(self, case_ref: str) -> OpenCase:
        """Read and merge a case (by id, unique id prefix, or exact title). CaseError if none.

        Side effects: quarantine of unreadable files, tightened permissions; this device's
        replica rewritten when a twin install was told apart (``_separated``) or its own file
        lacked what this install last wrote (``_restored``)."""
        case_id = self.resolve(case_ref)
        stamps, odd = self.scan(case_id)
        read = self._read_files(case_id, list(stamps))
        if read.tables is None:
            detail = "; ".join(p.problem for p in [*odd, *read.problems]) or (
                "it holds no case file")
            raise CaseError(f"case {case_id} cannot be read: {detail}")
        devices = read.devices
        devices.setdefault(self.device.id, self.device.name)
        state = CaseState(read.tables)
        self.clock.observe(state.max_at)
        self._tighten(case_id, stamps)
        problems = [*read.problems, *odd, *self._folder_problems(case_id)]
        opened = OpenCase(case_id, state, stamps, devices, tuple(problems),
                          _read_only_reason(problems), read.origins)
        if read.separation is not None:
            opened = self._separated(opened, read.separation, read.recovered)
        elif read.recovered:
            opened = self._restored(opened)
        return opened

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

        Side effects: device.json rewritten (store.sync.take_new_id); this device's replica
        written under the new id; the old id's file is left to the other install.
        """
        from .sync import name_write, take_new_id

        if not separation.new_id and not separation.renames and not restored:
            return opened  # told apart again in memory; nothing new to write
        if separation.new_id:
            take_new_id(self, separation.new_id)
        devices = {**opened.devices, self.device.id: self.device.name}
        opened = replace(opened, devices=devices)
        if opened.read_only:
            return opened
        state = opened.state
        if separation.renames:
            writes = [r.write() for r in separation.renames]
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

    def _folder_problems(self, case_id: str) -> list[Problem]:
        """A Problem making the case read-only when its folder (or the cases folder) is one
        the person made read-only (``store.case_folder.read_only_reason``)."""
        folder = self.folder(case_id)
        reason = read_only_reason(folder)
        return [Problem(folder, reason, None, case_id, reason, entry=True)] if reason else []

    def changed_on_disk(self, opened: OpenCase) -> bool:
        """Whether any file of the case folder differs from when ``opened`` was read."""
        try:
            return self.folder_stamps(opened.case_id) != dict(opened.stamps)
        except CaseNotFound:
            return True

    def reload(self, opened: OpenCase) -> OpenCase:
        """``opened`` with whatever changed on disk merged in (the same object if nothing did)."""
        stamps, odd = self.scan(opened.case_id)
        folder_problems = self._folder_problems(opened.case_id)
        entries = [*odd, *folder_problems]
        if stamps == dict(opened.stamps) and entries == [p for p in opened.problems if p.entry]:
            return opened
        changed = [n for n, s in stamps.items() if opened.stamps.get(n) != s]
        read = self._read_files(opened.case_id, changed, base=opened.state.tables)
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
            stamps=stamps,
            devices={**opened.devices, **read.devices},
            problems=tuple(problems),
            read_only=_read_only_reason(problems),
            origins={**origins, **read.origins},
        )
        if read.separation is not None:
            fresh = self._separated(fresh, read.separation, read.recovered)
        elif read.recovered:
            fresh = self._restored(fresh)
        return fresh

    # -- writing ------------------------------------------------------------------------------

    @contextmanager
    def _lock(self, case_id: str) -> Iterator[None]:
        """An exclusive lock on one case among this device's processes and threads.

        Re-entrant within one thread (a save that re-reads may take a new device id and
        write under the lock it already holds).
        """
        key = (case_id, threading.get_ident())
        if key in self._held:
            yield
            return
        ensure_dir(self.paths.locks_dir)
        lock = self.paths.locks_dir / f"{self.folder(case_id).name}.lock"
        fd = os.open(lock, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, FILE_MODE)
        tighten(lock)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            self._held.add(key)
            yield
        finally:
            self._held.discard(key)
            os.close(fd)  # closing releases the lock

    def _write_own(self, case_id: str, state: CaseState, made: bool = False,
                   renamed: Mapping[str, tuple[int, str]] | None = None) -> Stamp:
        """Write this device's replica of the case (under the case lock).

        ``made``: the state holds a new write of this device (its latest number), to be noted
        in this install's record; ``renamed``: its own writes just told apart from a twin's.
        Side effects: first this install's record of the case (store.twin_installs.record:
        the same bytes and the write noted, in the local data folder), then the replica.
        """
        folder = self.folder(case_id)
        if is_link(folder):
            raise CaseError(f"{folder} {LINK.format(what='case folder')}")
        ensure_dir(self.paths.cases_dir)
        ensure_dir(folder)
        self._remove_leftover_temp_files(folder)
        data = self._own_bytes(state)
        self._note_written(case_id, state, data, made, renamed)
        return atomic_write(self.own_file(case_id), data)

    def _own_bytes(self, state: CaseState) -> bytes:
        """This device's replica of ``state`` as bytes (documents' text memoized)."""
        return replica_bytes(
            state.tables,
            self.device.id,
            self.device.name,
            lambda doc: state.memoized(doc, 2, lambda: document_text(doc)),
            self.device.install,
        )

    def _note_written(self, case_id: str, state: CaseState, data: bytes, made: bool,
                      renamed: Mapping[str, tuple[int, str]] | None = None) -> None:
        """This install's record of what it is about to write (store.twin_installs.record),
        made before the replica so a crash never leaves a write of ours unrecorded."""
        from .twin_installs import record

        number = state.counter(self.device.id) if made else 0
        record(self.paths, case_id, data, self.device.id, number, state.tables, renamed)

    def _remove_leftover_temp_files(self, folder: Path) -> None:
        """Delete temp files of this device's own saves that were killed before the rename.

        Called under the case lock, when no save of this device to this case is under way, so
        every ``.<device>.json.*.tmp`` here is a leftover; without this, each crash would
        leave one in the synced folder for every device to download. Other devices' files
        and every replica are left alone.
        """
        prefix = f".{self.device.id}.json."
        try:
            with os.scandir(folder) as entries:
                leftovers = [
                    e.path
                    for e in entries
                    if e.name.startswith(prefix) and e.name.endswith(".tmp")
                    and e.is_file(follow_symlinks=False)
                ]
        except FileNotFoundError:
            return
        for path in leftovers:
            try:
                os.unlink(path)
            except OSError:
                pass  # a leftover is harmless: it is never read as a replica

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

        The folder is made under a hidden temporary name (``.<id>.new.tmp``, which sync tools
        and the case list pass over), this device's file written and fsynced in it, and only
        then renamed into place: a full disk or a crash leaves no empty or half-made case
        folder in the synced folder. CaseError if the case folder exists already. Side
        effects: the case folder (0700) and this device's file (0600); the index row.
        """
        folder = self.folder(case_id)
        with self._lock(case_id):
            if os.path.lexists(folder):
                raise CaseError(f"{folder} exists already; nothing was written")
            ensure_dir(self.paths.cases_dir)
            making = self.paths.cases_dir / f".{case_id}.new.tmp"
            shutil.rmtree(making, ignore_errors=True)  # left by a crash mid-creation
            try:
                os.mkdir(making, DIR_MODE)
                data = self._own_bytes(state)
                self._note_written(case_id, state, data, made=True)
                stamp = atomic_write(making / self.own_file(case_id).name, data)
                os.rename(making, folder)
                fsync_folder(self.paths.cases_dir)
            except BaseException:
                shutil.rmtree(making, ignore_errors=True)
                raise
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
        foreign copies whose content that file now holds (store.sync.archive_foreign), and
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
            stamp = self._write_own(opened.case_id, state, made=True)
            stamps = {**fresh.stamps, self.own_file(opened.case_id).name: stamp}
            from .sync import archive_foreign, saved_origins

            removed = archive_foreign(self, opened.case_id, stamps, fresh.origins)
        saved = replace(
            fresh,
            state=state,
            stamps={n: s for n, s in stamps.items() if n not in removed},
            origins=saved_origins(self, opened.case_id, fresh.origins, removed),
        )
        self._index_put(saved)
        return saved

    def update(
        self, opened: OpenCase, table: str, doc_id: str, raw: Mapping[str, Any], summary: str = ""
    ) -> OpenCase:
        """Validate typed-in ``raw`` values for one document and save them."""
        values = model.parse_fields(table, raw)
        write = opened.state.prepare(table, doc_id, values, summary=summary)
        return self.apply(opened, [write], summary)

    def add(
        self, opened: OpenCase, table: str, raw: Mapping[str, Any], summary: str = ""
    ) -> tuple[OpenCase, str]:
        """Validate and add a new item to ``table``; returns the saved case and the new id."""
        values = model.parse_fields(table, raw)
        missing = model.missing_required(table, values)
        if missing:
            raise model.InvalidValue(f"required: {', '.join(missing)}")
        for name, fspec in ((f.name, f) for f in model.SCHEMA[table]):
            if fspec.kind is model.Kind.REF and name in values:
                if not any(i.id == values[name] for i in opened.case.table(fspec.ref_table)):
                    raise model.InvalidValue(f"{name}: no {fspec.ref_table} item {values[name]}")
        doc_id = new_id()
        defaults = {f.name: f.default for f in model.SCHEMA[table] if f.default is not None}
        write = Write(table, doc_id, {**defaults, **values}, summary=summary)
        return self.apply(opened, [write], summary or f"Added to {table}"), doc_id

    def dependants(self, opened: OpenCase, table: str, doc_id: str) -> list[tuple[str, str]]:
        """(table, id) of the shown items that go when this one is deleted (``DEPENDANTS``): a
        question's or an opinion's answers, an option's benefits and risks.

        Kept on purpose: record transfers (they name the recipient in words, and a request
        sent is a fact whether or not the opinion is recorded), options recommended by a
        doctor (your own weighing: the decision pane says "doctor removed") and leanings
        towards a deleted option (a record of the past: "an option since deleted").
        """
        if table not in DEPENDANTS:
            return []
        dependant_table, field = DEPENDANTS[table]
        return [(dependant_table, i.id) for i in opened.case.table(dependant_table)
                if i.values.get(field) == doc_id]

    def delete(self, opened: OpenCase, table: str, doc_id: str, restore: bool = False) -> OpenCase:
        """Delete (a tombstone) or restore one item, with its dependants, in one save (one
        file write, one log line); nothing is removed from the file.

        Deleting a question or an opinion tombstones its answers too, an option its benefits
        and risks (``dependants``). Restoring it brings back those deleted in that same
        operation (their tombstone carries the same dot), never ones deleted on their own.
        """
        if restore:
            others = _deleted_with(opened.state, table, doc_id)
        else:
            others = self.dependants(opened, table, doc_id)
        writes = [opened.state.prepare(table, doc_id, delete=not restore)]
        writes += [opened.state.prepare(t, d, delete=not restore) for t, d in others]
        verb = "Restored" if restore else "Deleted"
        summary = f"{verb} an item of {table}"
        if others:
            summary += " and " + dependants_words(others).removeprefix("its ")
        return self.apply(opened, writes, summary)

    def set_archived(self, opened: OpenCase, archived: bool) -> OpenCase:
        write = opened.state.prepare("case", opened.case_id, {"archived": archived})
        return self.apply(opened, [write], "Archived" if archived else "Restored from archive")

    # -- finding ------------------------------------------------------------------------------

    def has_case_folders(self) -> bool:
        """Whether the cases folder holds at least one case folder (stops at the first)."""
        try:
            with os.scandir(self.paths.cases_dir) as entries:
                return any(is_case_folder_name(e.name) and e.is_dir(follow_symlinks=False)
                           for e in entries)
        except OSError:
            return False

    def case_ids(self) -> list[str]:
        """Ids of every case folder in the cases folder (see ``store.case_folder``)."""
        return self._scan_cases()[0]

    def _scan_cases(self) -> tuple[list[str], list[Problem]]:
        """Ids of every case folder, and a Problem for each entry named like one that is not
        a real folder (a link, a file): never read, never written through."""
        try:
            ids, odd = scan_cases_folder(self.paths.cases_dir)
        except FileNotFoundError:
            return [], []
        except OSError as exc:
            raise CaseError(
                f"the cases folder {self.paths.cases_dir} cannot be read "
                f"({exc.strerror or exc}); check that it is a folder you can open"
            ) from None
        return ids, [Problem(o.path, o.problem, None, o.path.name, entry=True) for o in odd]

    def resolve(self, ref: str) -> str:
        """The case id meant by ``ref``: an id, a unique prefix of one, or an exact title."""
        ref = ref.strip()
        if not ref:
            raise CaseNotFound("name a case: its id, the start of its id, or its exact title")
        if is_case_folder_name(ref):
            folder = self.folder(ref)
            if is_real_folder(folder):
                return ref  # the common case, without listing the whole cases folder
            if is_link(folder):
                raise CaseError(f"{folder} {LINK.format(what='case folder')}")
        ids = self.case_ids()
        if ref in ids:
            return ref
        by_title = [r.id for r in self.list() if r.title == ref]
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

    # -- the index ----------------------------------------------------------------------------

    def index_db(self) -> sqlite3.Connection:
        """The case list index's connection (``store.case_index``), opened on first use."""
        return self.index.db()

    @property
    def cache_warning(self) -> str:
        """Why the case list index works in memory only (its file cannot be written), or ""."""
        return self.index.warning

    def close(self) -> None:
        self.index.close()

    @staticmethod
    def stamps_key(stamps: Mapping[str, Stamp | None]) -> str:
        return json.dumps(
            {n: [s.mtime_ns, s.size, s.ino] if s else None for n, s in sorted(stamps.items())}
        )

    def _index_put(self, opened: OpenCase, summary: CaseSummary | None = None) -> None:
        summary = summary or summarise(opened, self.today)
        self._index_row(summary, self.stamps_key(opened.stamps))

    def _index_row(self, summary: CaseSummary, stamps_key: str) -> None:
        self.index.put(summary, stamps_key)

    def indexed(self, limit: int | None = None) -> list[CaseSummary]:
        """The case list as the index last knew it, most recently changed first (cases
        changed at the same moment by id, last first: the same order with or without
        ``limit``, so the full list replacing the first screenful keeps each row where it was).

        Reads no case file and lists no folder: this is what the app paints first. With
        ``limit``, only that many unarchived cases (one screenful), straight from an SQL index,
        so the first frame does not wait for 10,000 rows.
        """
        return self.index.rows(limit)

    def refresh(self, progress: Callable[[int, int], None] | None = None) -> list[Problem]:
        """Bring the index up to date with the cases folder; problems found on the way.

        Reads only case folders whose file stamps differ from the index's: every folder is
        listed first (cheap), then those are read, ``progress(done, to_read)`` called after
        each one (from this thread; the index already holds the rows read so far). Side
        effects: quarantines unreadable files, tightens loose permissions, rewrites index rows.
        """
        known = self.index.known_stamps()
        problems: list[Problem] = []
        present = set()
        to_read: list[str] = []  # ids only: 10,000 folders' stamps held here cost ~5 MiB
        for case_id in self.case_ids():
            present.add(case_id)
            stamps = self._stamps_or_problem(case_id, problems)
            if stamps is not None and known.get(case_id) != self.stamps_key(stamps):
                to_read.append(case_id)
        if progress is not None and to_read:
            progress(0, len(to_read))
        for done, case_id in enumerate(to_read, start=1):
            stamps = self._stamps_or_problem(case_id, problems)  # again, just before the read
            if stamps is None:
                continue
            key = self.stamps_key(stamps)
            try:
                opened = self.open(case_id)
            except CaseError as exc:
                problems.extend(self._problems_of_unreadable(case_id))
                self._index_row(CaseSummary(case_id, title=case_id[:8], error=str(exc)), key)
            else:
                problems.extend(opened.problems)
                # stamps from this very scan, so files changed meanwhile are seen next time
                self._index_put(replace(opened, stamps=stamps))
            if progress is not None:
                progress(done, len(to_read))
        gone = set(known) - present
        if gone:
            self.index.delete(gone)
        return problems

    def _stamps_or_problem(self, case_id: str, problems: list[Problem]
                           ) -> dict[str, Stamp | None] | None:
        """The case folder's stamps; None if it is gone, or cannot be listed (then said in
        ``problems`` and indexed as a row holding the error, so the rest is still listed)."""
        try:
            return self.folder_stamps(case_id)
        except CaseNotFound:
            return None
        except CaseError as exc:
            problems.append(Problem(self.folder(case_id), str(exc), None, case_id))
            self._index_row(CaseSummary(case_id, title=case_id[:8], error=str(exc)), "")
            return None

    def _problems_of_unreadable(self, case_id: str) -> list[Problem]:
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

    def check(self) -> list[Problem]:
        """Read every case folder in full; every problem found (unreadable, newer, conflicts,
        odd entries, writes of a twin install under this device's id that could not be told
        apart)."""
        ids, problems = self._scan_cases()
        for case_id in ids:
            try:
                opened = self.open(case_id)
            except CaseError as exc:
                found = self._problems_of_unreadable(case_id)
                problems.extend(found or [Problem(self.folder(case_id), str(exc), None, case_id)])
                continue
            problems.extend(opened.problems)
            case = opened.case
            twin = self._twin_writes(opened)
            if twin:
                problems.append(Problem(self.folder(case_id), twin, None, case_id))
            for table, doc_id, fname in case.conflicts:
                command = settle_words(case, table, doc_id, fname)
                problems.append(
                    Problem(
                        self.folder(case_id),
                        f"'{case.title}': {table} {doc_id[:8]} field '{fname}' has "
                        f"conflicting edits from two devices; 'secondview show {case_id[:8]}' "
                        f"numbers the values, '{command}' (or the app) settles it",
                        None,
                        case_id,
                    )
                )
            for table, doc_id in case.races:
                problems.append(
                    Problem(
                        self.folder(case_id),
                        f"'{case.title}': {table} {doc_id[:8]} was edited on one device "
                        f"while deleted on another; keep or delete it with "
                        f"'{settle_words(case, table, doc_id)}' or in the app",
                        None,
                        case_id,
                    )
                )
        return problems

    def _twin_writes(self, opened: OpenCase) -> str:
        """What to tell the user when a case holds writes under this device's id that this
        install did not make (store.twin_installs): another install shares the id and its
        writes came through a third device's file, where two writes under one number cannot
        be told apart; "" when there are none (or no record to tell by)."""
        from .twin_installs import read_kept, strangers

        kept = read_kept(self.paths, opened.case_id)
        journal = kept.journals.get(self.device.id) if kept is not None else None
        if journal is None or not strangers(journal, opened.state.tables, self.device.id):
            return ""
        return (f"'{opened.case.title}': another install writes under this device's id "
                f"{self.device.id} (a copied data folder); an edit made under it on one of them "
                "may be hidden; compare the case on both installs")

    # -- safety -------------------------------------------------------------------------------

    def _quarantine(self, path: Path, case_id: str) -> Path | None:
        """Copy an unreadable file to quarantine (once per version); the original stays put.

        The copy is private from its first byte and whole or absent: written to a 0600 temp
        file (``atomic_write``), fsynced, then renamed; a failure (a full disk) removes the
        temp file and returns None, so no partial copy is ever left, readable or not.
        """
        stamp = Stamp.of(path)
        if stamp is None:
            return None
        target_dir = self.paths.quarantine_dir / case_id
        target = target_dir / f"{path.name}.{stamp.mtime_ns}.{stamp.size}"
        if target.exists():
            return target
        try:
            data = read_case_file(path)
            ensure_dir(target_dir)
            atomic_write(target, data)
        except (OSError, UnreadableFile):
            return None
        return target

    def _tighten(self, case_id: str, stamps: Mapping[str, Stamp | None]) -> None:
        """Re-apply 0700/0600 where a sync tool or a copy loosened them."""
        tighten(self.paths.cases_dir)
        folder = self.folder(case_id)
        tighten(folder)
        for name in stamps:
            tighten(folder / name)
