"""Telling apart the writes of two installs under one device id: the pure algorithm.

The merge (``core.registers``) makes any set of replicas agree, as long as one version dot
names one write. This module keeps that true when two installs write under one device id.

A device id in use on two machines
    A home folder copied to another machine carries device.json with it. ``store.paths.Device``
    notices most copies when it loads (the machine fingerprint differs) and takes a new id at
    once. Where that cannot be told (no machine id), the replicas tell: each names the install
    nonce of its writer, so a file under this device's id written by another install (or a
    conflict copy of this device's own file holding different writes under the same version
    dots) means two installs have written under one id. Their writes after the last one they
    share are then told apart before merging: each writer's are renamed to a label derived
    from the old id and that writer's nonce (or the copy's hash), the same on every device
    that computes it and never an id anyone writes under, so no two different writes keep
    one dot and nothing is dropped by the merge. The renaming is recorded in the case
    (RENAMES), so the other install renames its own writes the same way even if it never
    sees this one's file. This device then takes a fresh id (device.json rewritten, the old
    id kept as retired) and writes the merged state under it at once. The other install's
    ``<old-id>.json`` is left alone. Writes a third device merged from both installs before
    the duplicate was noticed cannot be told apart afterwards (at worst one of two colliding
    writes is hidden there); the prevention in ``store.paths.Device`` is what keeps that from
    happening.

Twin installs: one device.json in two places
    A data folder copied whole (same machine fingerprint, or none) gives two installs the
    same id and the same nonce, so neither of the above tells them apart. Each install keeps,
    in its local data folder, the bytes it last wrote to each case and the log document of
    each write it made (``core.install_record``, kept on disk by ``store.twin_installs``). A
    file naming its id that holds a write it did not make is its twin's, in whatever order
    the files meet: overwritten in place by a sync tool, beside it as a conflict copy, with
    the case open or not. The twin's writes and this install's own are then renamed as above
    (its own by the label its record names, or one derived from the hash of the file it last
    wrote, which the twin derives too when that file reaches it), and this install takes a new
    id; the twin may keep the old one. An edit of this install that a sync tool overwrote
    before anyone read it comes back from the kept bytes on the next read.

``store.folder_reader`` reads the files and calls ``separate``; ``store.repository`` takes the
new id and writes the result. Pure functions and data: no I/O, nothing at import.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from .ids import DEVICE_ID_LIMIT, is_device_id
from .install_record import Journal, Kept, strangers
from .registers import Tables, merge_tables
from .replica import Write


class Identity(Protocol):
    """What the algorithm needs of this install's identity (``store.paths.Device`` has it)."""

    @property
    def id(self) -> str: ...

    @property
    def name(self) -> str: ...

    @property
    def install(self) -> str: ...

    @property
    def retired(self) -> tuple[str, ...]: ...


# ---------------------------------------------------------------------------------------------
# Who wrote a file


@dataclass(frozen=True)
class Origin:
    """What a replica file says about its writer (``"device"`` in the file); "" if unsaid."""

    device: str = ""
    name: str = ""
    install: str = ""

    @classmethod
    def of(cls, meta: Mapping[str, Any]) -> Origin:
        device = meta.get("device")
        if not isinstance(device, dict):
            return cls()

        def text(key: str) -> str:
            value = device.get(key)
            return value if isinstance(value, str) else ""

        writer = text("id")
        install = text("install")
        return cls(writer if is_device_id(writer) else "",
                   text("name")[:DEVICE_NAME_LIMIT],
                   install if len(install) <= DEVICE_ID_LIMIT else "")


@dataclass(frozen=True)
class Parsed:
    """One replica file as read: its name, its writer, its tables and its bytes."""

    name: str
    origin: Origin
    tables: Tables
    raw: bytes = b""

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.raw).hexdigest()[:16]


RENAMES = "renames"
"""A table outside the schema (kept by every merge, never shown) recording each renaming of
one install's writes: document ``"<old id> <key>"`` with fields ``old``, ``key`` (the install
nonce whose writes were renamed, or ``copy <hash>`` of the file they were found in), ``label``
and ``horizon``. The install concerned reads it and renames its own writes the same way,
even if it never saw the other install's file, so one write keeps one name everywhere."""


DEVICE_NAMES = "device_names"
"""A table outside the schema: document ``<device id>`` with field ``name``, for devices whose
own file is not in the folder (the sender of an imported file, a renamed install's writes)."""


DEVICE_NAME_LIMIT = 100
"""The longest device name kept from a file; a longer one is cut."""


def name_write(device_id: str, name: str) -> Write:
    return Write(DEVICE_NAMES, device_id, {"name": name[:DEVICE_NAME_LIMIT]})


def recorded_names(tables: Tables) -> dict[str, str]:
    """device id -> name, from a state's DEVICE_NAMES table (malformed entries skipped)."""
    names = {}
    for dev, doc in tables.get(DEVICE_NAMES, {}).items():
        register = doc.get("name") or []
        values = [e.get("v") for e in register if isinstance(e, dict)]
        text = next((v for v in sorted(v for v in values if isinstance(v, str))), None)
        if text and is_device_id(dev):
            names[dev] = text[:DEVICE_NAME_LIMIT]
    return names


@dataclass(frozen=True)
class Rename:
    """Writes of ``old`` after ``horizon`` by the writer ``key`` are called ``label``."""

    old: str
    key: str
    label: str
    horizon: int
    by: str = ""
    """The device that recorded it (the writer of the record), when read from a case."""

    def write(self) -> Write:
        return Write(RENAMES, f"{self.old} {self.key}",
                     {"old": self.old, "key": self.key, "label": self.label,
                      "horizon": self.horizon})


@dataclass(frozen=True)
class Separation:
    """The result of telling two writers under one id apart (see ``separate``)."""

    tables: Tables
    new_id: str
    """The id this device must take now, or "" (its current id was not in use twice)."""
    names: dict[str, str]
    """label -> a name for people, for the renamed writes."""
    suspects: tuple[str, ...]
    """The files holding another writer's writes under one of this install's ids."""
    renames: tuple[Rename, ...] = ()
    """Renamings made here that the case does not record yet (to be saved with it)."""
    own_labels: Mapping[str, tuple[int, str]] = field(default_factory=dict)
    """old id -> (horizon, label) of this install's own writes told apart (for its record)."""


# ---------------------------------------------------------------------------------------------
# Telling writes apart


def derived_id(device_id: str, salt: str) -> str:
    """A device id made from another and a salt: the same on every device that computes it."""
    return hashlib.sha256(f"secondview device {device_id} {salt}".encode()).hexdigest()[:12]


def places(tables: Tables) -> Iterable[tuple[tuple[str, str, str], list[dict[str, Any]]]]:
    """Every register of ``tables`` with its place (table, document id, field)."""
    for tname, table in tables.items():
        for doc_id, doc in table.items():
            for fname, register in doc.items():
                yield (tname, doc_id, fname), register


def _register_at(tables: Tables, place: tuple[str, str, str]) -> list[dict[str, Any]]:
    tname, doc_id, fname = place
    return tables.get(tname, {}).get(doc_id, {}).get(fname) or []


def shared_horizon(ours: Tables, theirs: Tables, device_id: str) -> int:
    """The last write of ``device_id`` both states hold identically (0 if none).

    A device numbers its writes one after another, so two installs that hold the same write
    ``n`` under one id both wrote (or saw) everything up to ``n`` before they parted; after
    it, the same number may name two different writes.
    """
    best = 0
    for place, register in places(theirs):
        for entry in register:
            dev, n = entry["dot"]
            if dev == device_id and n > best and entry in _register_at(ours, place):
                best = n
    return best


def last_write_number(tables: Tables, device_id: str) -> int:
    """The highest write number of ``device_id`` among the entries of ``tables`` (0 if none)."""
    best = 0
    for _, register in places(tables):
        for entry in register:
            dev, n = entry["dot"]
            if dev == device_id and n > best:
                best = n
    return best


def collides(ours: Tables, theirs: Tables, device_id: str) -> bool:
    """Whether one write number of ``device_id`` names different writes in the two states."""
    for place, register in places(theirs):
        mine = None
        for entry in register:
            if entry["dot"][0] != device_id:
                continue
            if mine is None:
                mine = {tuple(e["dot"]): e for e in _register_at(ours, place)}
            other = mine.get(tuple(entry["dot"]))
            if other is not None and other != entry:
                return True
    return False


def relabel(tables: Tables, device_id: str, horizon: int, label: str) -> Tables:
    """``tables`` with the writes of ``device_id`` after ``horizon`` renamed to ``label``.

    Their contexts move with them (what the writer had seen of its own later writes is now
    seen of ``label``); every other entry's view of ``device_id`` is capped at ``horizon``,
    since past it the id is ambiguous: a conflict may show where one was not needed, but an
    entry never hides a write its author did not see. Returns new tables.
    """
    out: Tables = {}
    for tname, table in tables.items():
        new_table = out[tname] = {}
        for doc_id, doc in table.items():
            new_doc = new_table[doc_id] = {}
            for fname, register in doc.items():
                entries = []
                for entry in register:
                    dev, n = entry["dot"]
                    seen = dict(entry["seen"])
                    moved = dev == device_id and n > horizon
                    if seen.get(device_id, 0) > horizon:
                        if moved:
                            seen[label] = max(seen.get(label, 0), seen[device_id])
                        if horizon:
                            seen[device_id] = horizon
                        else:
                            del seen[device_id]
                    dot = [label, n] if moved else list(entry["dot"])
                    entries.append({**entry, "dot": dot, "seen": seen})
                entries.sort(key=lambda e: (e["dot"][0], e["dot"][1]))
                new_doc[fname] = entries
    return out


def _merge_all(states: Iterable[Tables]) -> Tables | None:
    merged: Tables | None = None
    for tables in states:
        merged = tables if merged is None else merge_tables(merged, tables)
    return merged


def recorded_renames(states: Iterable[Tables]) -> dict[tuple[str, str], Rename]:
    """(old, key) -> Rename, from the RENAMES table of each state (malformed ones skipped)."""
    found: dict[tuple[str, str], Rename] = {}
    for tables in states:
        for doc in tables.get(RENAMES, {}).values():
            try:
                latest = {f: max(reg, key=lambda e: (e["at"], e["dot"])) for f, reg in doc.items()}
                values = {f: e["v"] for f, e in latest.items()}
                rename = Rename(values["old"], values["key"], values["label"], values["horizon"],
                                latest["label"]["dot"][0])
            except (KeyError, TypeError, ValueError):
                continue
            if (isinstance(rename.old, str) and isinstance(rename.key, str)
                    and isinstance(rename.label, str) and rename.label.isalnum()
                    and type(rename.horizon) is int):
                found[(rename.old, rename.key)] = rename
    return found


@dataclass
class _Tally:
    """What ``separate`` has found so far, over the ids it looks at in turn."""

    recorded: dict[tuple[str, str], Rename]
    rotate: bool = False
    labels: dict[str, str] = field(default_factory=dict)  # suspect file name -> its writes' label
    horizons: dict[str, int] = field(default_factory=dict)
    own: dict[str, tuple[int, str]] = field(default_factory=dict)  # id -> (horizon, label)
    names: dict[str, str] = field(default_factory=dict)
    made: list[Rename] = field(default_factory=list)
    flagged: set[str] = field(default_factory=set)  # another writer's files, renamed or not


def separate(parsed: Sequence[Parsed], device: Identity, base: Tables | None = None,
             kept: Kept | None = None) -> Separation | None:
    """Tell apart writes made by two installs under one of this install's ids; None if none.

    ``parsed`` are the files just read; ``base`` is what this device holds in memory (a case
    already open), which counts as its own. Another writer shows as a file naming one of
    this install's ids (current or retired) with another install nonce, or as a copy of
    this install's file (same nonce, or none) whose writes differ from ours under the same
    numbers; or the case records (RENAMES) that another device renamed this install's
    writes. Then returns all of it merged with each writer's writes after the last one they
    share renamed: another install's to ``derived_id(id, its nonce)`` (a copy's: from its
    hash), this install's own to ``derived_id(id, our nonce)`` (or what RENAMES says), and a
    fresh id for this device when its current id was the one in use twice. A label is never
    an id anyone writes under, so renamed writes and new ones cannot share a number.

    ``kept`` is this install's record of the case (``core.install_record``). Where it holds a
    journal of an id, a file naming that id is another writer's exactly when it holds a
    write this install did not make (``strangers``), whatever its nonce says; the install's
    own writes are renamed to the label its record names (once told apart), else to one
    derived from the kept copy's hash, which the twin derives too if that file reaches it.
    """
    ids = (device.id, *device.retired)
    claimed = any(p.origin.device in ids for p in parsed)
    if not claimed and not any(RENAMES in p.tables for p in parsed):
        return None  # the usual case: one look at each file's writer
    tally = _Tally(recorded_renames([p.tables for p in parsed] + ([base] if base else [])))
    for old in ids:
        _separate_id(tally, old, parsed, device, base, kept)
    if not tally.own and not tally.rotate:
        return None
    merged = _relabelled(tally, parsed, device, base)
    new_device_id = secrets.token_hex(6) if tally.rotate else ""
    return Separation(merged, new_device_id, tally.names, tuple(sorted(tally.labels)),
                      tuple(tally.made), tally.own)


def _separate_id(tally: _Tally, old: str, parsed: Sequence[Parsed], device: Identity,
                 base: Tables | None, kept: Kept | None) -> None:
    """Tell apart the writers of one of this install's ids, ``old``: label the other writers'
    writes and this install's own, and note in ``tally`` what was found and decided."""
    claims = [p for p in parsed if p.origin.device == old]
    with_base = [base] if base is not None and old == device.id else []
    journal = kept.journals.get(old) if kept is not None else None
    found, keys, same = _other_writers(tally, old, claims, with_base, device, kept, journal)
    tally.flagged.update(found)
    ours = [p for p in same if p.name not in found]
    told = _told(tally.recorded, old, ours, device, kept, journal)
    if not found and told is None:
        return
    mine = _merge_all([p.tables for p in ours] + with_base) or {}
    _label_others(tally, old, claims, found, keys, mine)
    if old == device.id:
        tally.rotate = True  # another writer uses this id: stop writing under it
    renamed = [n for n in found if n in tally.labels]
    if told is not None:
        tally.own[old] = (told.horizon, told.label)
    elif renamed:
        horizon = min(tally.horizons[n] for n in renamed)
        key = _own_key(old, [keys[n] for n in renamed], ours, with_base, device, kept, journal)
        tally.own[old] = (horizon, derived_id(old, key))
        tally.made.append(Rename(old, key, tally.own[old][1], horizon))
    if old in tally.own:
        tally.names[tally.own[old][1]] = f"{device.name} (before it took a new id)"


def _other_writers(tally: _Tally, old: str, claims: list[Parsed], with_base: list[Tables],
                   device: Identity, kept: Kept | None, journal: Journal | None
                   ) -> tuple[dict[str, str], dict[str, str], list[Parsed]]:
    """The files naming ``old`` that another writer wrote, as {file name: label} and {file
    name: the key the label derives from}, and the files that claim to be this install's
    (``same``). Names the other writers in ``tally.names``."""
    found: dict[str, str] = {}
    keys: dict[str, str] = {}
    same: list[Parsed] = []
    for p in claims:
        if p.origin.install and device.install and p.origin.install != device.install:
            keys[p.name] = p.origin.install
            found[p.name] = derived_id(old, p.origin.install)
            tally.names[found[p.name]] = f"{p.origin.name or old} (another install)"
        else:
            same.append(p)
    for p in same:
        if kept is not None and kept.raw and p.raw == kept.raw:
            continue  # exactly what this install last wrote
        if journal is not None:
            if strangers(journal, p.tables, old):
                keys[p.name] = f"copy {p.digest}"
                found[p.name] = derived_id(old, keys[p.name])
                tally.names[found[p.name]] = f"{p.origin.name or old} (an install of a copy)"
            continue
        # A copy of this install's file (foreign-named, or our file changed on disk
        # under an open case) holding other writes under our numbers: a second writer.
        if p.name == f"{old}.json" and not with_base:
            continue  # our own file, with nothing in memory to hold it against
        rest = _merge_all([q.tables for q in same if q is not p] + with_base)
        if rest is not None and collides(rest, p.tables, old):
            keys[p.name] = f"copy {p.digest}"
            found[p.name] = derived_id(old, keys[p.name])
            tally.names[found[p.name]] = f"{p.origin.name or old} (a copy written elsewhere)"
    return found, keys, same


def _told(recorded: Mapping[tuple[str, str], Rename], old: str, ours: list[Parsed],
          device: Identity, kept: Kept | None, journal: Journal | None) -> Rename | None:
    """How this install's own writes of ``old`` were already renamed, if they were: by its
    own record of the case, or in RENAMES under a key that names this install's writes."""
    if journal is not None and journal.renamed is not None:
        return Rename(old, "", journal.renamed[1], journal.renamed[0])
    if not any(o == old for o, _ in recorded):
        return None  # nothing recorded to look up: the hashes below are not needed
    ids = (device.id, *device.retired)
    own_keys = [device.install] if device.install else []
    if journal is not None and kept is not None and kept.raw:
        own_keys.append(f"copy {kept.digest}")
    if any(o == old and k.startswith("copy ") for o, k in recorded):
        own_keys += [f"copy {p.digest}" for p in ours if p.name == f"{old}.json"]
    # ...and writes only we held, named by a key of our own choosing, recorded by us
    own_keys += [k for (o, k), r in recorded.items()
                 if o == old and k.startswith("own ") and r.by in ids]
    return next((recorded[(old, k)] for k in own_keys if (old, k) in recorded), None)


def _label_others(tally: _Tally, old: str, claims: list[Parsed], found: Mapping[str, str],
                  keys: Mapping[str, str], mine: Tables) -> None:
    """Label each other writer's writes under ``old`` after the last write its file shares
    with ``mine`` (this install's), or as RENAMES recorded; the new renames go to
    ``tally.made``."""
    our_last = last_write_number(mine, old)
    for name, label in found.items():
        p = next(q for q in claims if q.name == name)
        rename = tally.recorded.get((old, keys[name]))
        if rename is not None:
            tally.labels[name], tally.horizons[name] = rename.label, rename.horizon
            continue
        horizon = shared_horizon(mine, p.tables, old)
        if our_last <= horizon or last_write_number(p.tables, old) <= horizon:
            continue  # one of the two wrote nothing since they parted: nothing to rename
        tally.labels[name], tally.horizons[name] = label, horizon
        tally.made.append(Rename(old, keys[name], label, horizon))


def _own_key(old: str, renamed_keys: list[str], ours: list[Parsed], with_base: list[Tables],
             device: Identity, kept: Kept | None, journal: Journal | None) -> str:
    """The key this install's own writes of ``old`` are renamed by, once another writer's
    were: one the other writer derives too where it can, else a fresh one (side effect: a
    random key is drawn in that case)."""
    copies = any(k.startswith("copy ") for k in renamed_keys)
    own_named = [p for p in ours if p.name == f"{old}.json"]
    if device.install and not copies:
        return device.install
    if journal is not None and kept is not None and kept.raw:
        return f"copy {kept.digest}"  # what the twin names this file's writes by
    if len(ours) == 1 and own_named and not with_base:
        # The other writer has our nonce too, so it must not match our key; it sees
        # this same file, and names its writes by its hash as we do.
        return f"copy {own_named[0].digest}"
    return f"own {secrets.token_hex(8)}"  # writes only we hold


def _relabelled(tally: _Tally, parsed: Sequence[Parsed], device: Identity,
                base: Tables | None) -> Tables:
    """Every file's tables, and ``base``, with the writes told apart renamed; all merged."""
    pieces: list[Tables] = []
    for p in parsed:
        if p.name in tally.labels:
            pieces.append(relabel(p.tables, p.origin.device, tally.horizons[p.name],
                                  tally.labels[p.name]))
        elif p.origin.device in tally.own and p.name not in tally.flagged:
            horizon, label = tally.own[p.origin.device]
            pieces.append(relabel(p.tables, p.origin.device, horizon, label))
        else:
            pieces.append(p.tables)
    if base is not None:
        if device.id in tally.own:  # what is in memory was told apart under retired ids already
            horizon, label = tally.own[device.id]
            base = relabel(base, device.id, horizon, label)
        pieces.append(base)
    merged = _merge_all(pieces)
    assert merged is not None
    return merged

