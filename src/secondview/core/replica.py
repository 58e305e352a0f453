"""Replicated case state: registers with version dots, local writes, merge, tombstones.

A case is a dict of tables; a table maps document ids (UUID strings) to documents; a document
maps field names to *registers*. A register is a list of entries::

    {"v": value, "dot": [device, n], "seen": {device: n, ...}, "at": stamp}

``dot`` names the write that made the entry (the n-th write of that device to this case).
``seen`` is the causal context of the writer: everything it replaced. Entry ``y`` *covers*
entry ``x`` when ``y.seen[x.device] >= x.n``. A merge keeps the union of two registers minus the
covered entries, so it is commutative, associative and idempotent. One entry left: the value.
Two or more: the writes were concurrent, and the user settles the conflict with a local write
whose context covers them all.

A document is deleted by a ``deleted`` register holding ``True``, whose context covers every
entry of the document at the time of deletion. An entry the tombstone does not cover was
written concurrently with the deletion: the document stays visible and is reported as a race.
Nothing is ever removed from a document, so a deletion is undone by writing ``deleted=False``.

``at`` is a hybrid logical clock stamp, for display and ordering of entries the user sees;
causality comes from dots only, so devices whose clocks are hours apart still merge correctly.

Pure functions and data: no I/O. ``store.repository`` reads and writes the files.
"""

from __future__ import annotations

import datetime as _dt
import json
import re
import time
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from . import model

Entry = dict[str, Any]
Register = list[Entry]
Document = dict[str, Register]
Table = dict[str, Document]
Tables = dict[str, Table]

DELETED = "deleted"


class ReplicaError(ValueError):
    """A replica's content is not a valid case. The message names what is wrong."""


# ---------------------------------------------------------------------------------------------
# Hybrid logical clock


MAX_DRIFT_MS = 7 * 24 * 3600 * 1000
"""Stamps further ahead of this device's wall clock are kept but not followed: a corrupt or
hostile stamp far in the future must not freeze this device's clock."""


_EPOCH = _dt.datetime(1970, 1, 1, tzinfo=_dt.UTC)
_MS = _dt.timedelta(milliseconds=1)


def format_stamp(ms: int, logical: int) -> str:
    # Integer arithmetic throughout: going through float seconds loses a millisecond for
    # some moments, and a stamp must parse back to exactly what was formatted.
    moment = _EPOCH + ms * _MS
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{ms % 1000:03d}Z/{logical:04d}"


_CANONICAL_WALL = re.compile(r"(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)\.(\d{1,6})Z", re.ASCII)
"""The wall part as ``format_stamp`` writes it (every stamp the app makes)."""


def parse_stamp(stamp: str) -> tuple[int, int]:
    """(milliseconds since the epoch, logical counter) of a stamp; ReplicaError if malformed.

    The canonical form is read field by field (``strptime`` costs ten times as much, and its
    first call a few milliseconds more: the case list parses a stamp per row on its first
    frame); anything else goes through ``strptime``, which decides what is accepted.
    """
    try:
        wall, _, logical = stamp.partition("/")
        found = _CANONICAL_WALL.fullmatch(wall)
        if found is not None:
            y, mo, d, h, mi, s, fraction = found.groups()
            moment = _dt.datetime(int(y), int(mo), int(d), int(h), int(mi), int(s),
                                  int(fraction.ljust(6, "0")), tzinfo=_dt.UTC)
        else:
            moment = _dt.datetime.strptime(wall, "%Y-%m-%dT%H:%M:%S.%fZ").replace(
                tzinfo=_dt.UTC)
        return (moment - _EPOCH) // _MS, int(logical or 0)
    except (ValueError, AttributeError, OverflowError, TypeError):
        raise ReplicaError(f"'{stamp}' is not a clock stamp") from None


def stamp_to_datetime(stamp: str) -> _dt.datetime | None:
    """The wall-clock moment of a stamp, in UTC, for display; None if it is not a stamp."""
    try:
        ms, _ = parse_stamp(stamp)
    except ReplicaError:
        return None
    return _EPOCH + ms * _MS


class HybridClock:
    """A hybrid logical clock: never goes backwards, follows stamps it observes.

    ``wall`` returns milliseconds since the epoch; tests inject a fake one.
    """

    def __init__(self, wall: Callable[[], int] | None = None) -> None:
        self._wall = wall or (lambda: time.time_ns() // 1_000_000)
        self._ms = 0
        self._logical = 0

    def observe(self, stamp: str) -> None:
        """Move past a stamp read from a replica (unless it is implausibly far ahead)."""
        try:
            ms, logical = parse_stamp(stamp)
        except ReplicaError:
            return
        if ms - self._wall() > MAX_DRIFT_MS:
            return
        if (ms, logical) > (self._ms, self._logical):
            self._ms, self._logical = ms, logical

    def now(self) -> str:
        """A stamp later than every stamp this clock has issued or observed."""
        wall = self._wall()
        if wall > self._ms:
            self._ms, self._logical = wall, 0
        else:
            self._logical += 1
            if self._logical > 9999:
                self._ms, self._logical = self._ms + 1, 0
        return format_stamp(self._ms, self._logical)


# ---------------------------------------------------------------------------------------------
# Registers


def _dot(entry: Entry) -> tuple[str, int]:
    dev, n = entry["dot"]
    return dev, n


def covers(y: Entry, x: Entry) -> bool:
    """Whether ``y`` was written by someone who had seen ``x`` (so ``x`` is superseded)."""
    dev, n = x["dot"]
    return y["seen"].get(dev, 0) >= n


def _canonical(entry: Entry) -> str:
    return json.dumps(entry, sort_keys=True, ensure_ascii=False)


def merge_registers(a: Register, b: Register) -> Register:
    """The union of two registers minus covered entries, in canonical (dot) order."""
    if a is b or a == b:
        return a
    by_dot: dict[tuple[str, int], Entry] = {}
    for entry in (*a, *b):
        key = _dot(entry)
        other = by_dot.get(key)
        # The same dot with different content only happens when one device id is used on two
        # machines; keep a deterministic one so the merge stays commutative.
        if other is None or (other != entry and _canonical(entry) > _canonical(other)):
            by_dot[key] = entry
    entries = list(by_dot.values())
    if len(entries) > 1:
        entries = [x for x in entries if not any(y is not x and covers(y, x) for y in entries)]
    entries.sort(key=_dot)
    return entries


def context_of(register: Iterable[Entry]) -> dict[str, int]:
    """Everything a writer who sees ``register`` has seen: dots and their contexts."""
    seen: dict[str, int] = {}
    for entry in register:
        for dev, n in entry["seen"].items():
            if n > seen.get(dev, 0):
                seen[dev] = n
        dev, n = entry["dot"]
        if n > seen.get(dev, 0):
            seen[dev] = n
    return seen


def document_context(doc: Document) -> dict[str, int]:
    """The context of every register of a document together."""
    return context_of(entry for register in doc.values() for entry in register)


def pick(register: Register) -> Entry:
    """The entry shown while a conflict is unsettled: the latest stamp, then the highest dot."""
    return max(register, key=lambda e: (e["at"], _dot(e)))


def merge_tables(a: Tables, b: Tables) -> Tables:
    """Merge two case states. Neither argument is modified; unchanged parts are shared."""
    if a is b:
        return a
    out: Tables = {}
    for name in a.keys() | b.keys():
        ta, tb = a.get(name), b.get(name)
        if ta is None or tb is None or ta is tb:
            out[name] = ta if tb is None else tb
            continue
        table: Table = {}
        for doc_id in ta.keys() | tb.keys():
            da, db = ta.get(doc_id), tb.get(doc_id)
            if da is None or db is None or da is db:
                table[doc_id] = da if db is None else db
                continue
            if da == db:  # most documents of two replicas are equal: compared in C
                table[doc_id] = da
                continue
            doc: Document = {}
            for fname in da.keys() | db.keys():
                ra, rb = da.get(fname), db.get(fname)
                doc[fname] = ra if rb is None else rb if ra is None else merge_registers(ra, rb)
            # Keep the identity of a document the merge did not change: views and serialized
            # text memoized for it stay valid (see CaseState.memo).
            same = len(doc) == len(da) and all(doc[f] is da[f] for f in da)
            table[doc_id] = da if same else doc
        out[name] = table
    return out


# ---------------------------------------------------------------------------------------------
# Validation of data read from a file


STAMP_LIMIT = 40
"""A clock stamp is 29 characters ("2026-12-01T10:00:00.000Z/0000"); longer is not one."""


def _is_str(value: Any) -> bool:
    return type(value) is str


COUNTER_LIMIT = 2**53
"""Write numbers (a dot's n, the counts in ``seen``) and whole-number field values stay below
this (the largest integer every JSON reader keeps exact). A file holding more is damaged or
crafted: with thousands of digits it could be read but never written back."""


def _bounded_int(value: Any) -> bool:
    return type(value) is int and -COUNTER_LIMIT < value < COUNTER_LIMIT


_STORED_TYPE_CHECKS: dict[model.Kind, Callable[[Any], bool]] = {
    model.Kind.BOOL: lambda v: type(v) is bool,
    model.Kind.INT: _bounded_int,
    model.Kind.NUMBER: lambda v: _bounded_int(v) or type(v) is float,
}
_FIELD_CHECKS = {
    table: {f.name: _STORED_TYPE_CHECKS.get(f.kind, _is_str) for f in fields}
    for table, fields in model.SCHEMA.items()
}
"""Per field, FieldSpec.accepts_stored as a plain type test (json.loads makes exact types)."""


def _is_bool(value: Any) -> bool:
    return type(value) is bool


def validate_tables(data: Any, where: str = "") -> Tables:
    """Check that ``data`` is a well-formed case state; ReplicaError naming the first fault.

    Known fields must hold values of their kind; unknown tables and fields (from a newer
    minor version) are kept as they are, so merging never drops them. Runs on every file a
    case is opened from, so the per-entry test is kept to plain type checks.
    """
    if not isinstance(data, dict):
        raise ReplicaError(f"{where}expected an object of tables, found {type(data).__name__}")
    for tname, table in data.items():
        if not isinstance(table, dict):
            raise ReplicaError(f"{where}table '{tname}' is not an object")
        checks = _FIELD_CHECKS.get(tname, {})
        for doc_id, doc in table.items():
            if not isinstance(doc, dict):
                raise ReplicaError(f"{where}{tname}/{doc_id} is not an object")
            for fname, register in doc.items():
                if type(register) is not list or not register:
                    raise ReplicaError(f"{where}{tname}/{doc_id}/{fname} is not a register")
                check = _is_bool if fname == DELETED else checks.get(fname)
                for entry in register:
                    try:
                        dot, seen, value = entry["dot"], entry["seen"], entry["v"]
                        well_formed = (
                            type(dot) is list
                            and len(dot) == 2
                            and type(dot[0]) is str
                            and len(dot[0]) <= DEVICE_ID_LIMIT
                            and type(dot[1]) is int
                            and 0 < dot[1] < COUNTER_LIMIT
                            and type(seen) is dict
                            and type(entry["at"]) is str
                            and len(entry["at"]) <= STAMP_LIMIT
                            and all(type(n) is int and 0 <= n < COUNTER_LIMIT
                                    and len(d) <= DEVICE_ID_LIMIT for d, n in seen.items())
                        )
                    except (KeyError, TypeError):  # not an object, or a key missing
                        well_formed = False
                    if not well_formed:
                        raise ReplicaError(
                            f"{where}{tname}/{doc_id}/{fname} has a malformed entry"
                        )
                    if check is not None and not check(value):
                        if fname == DELETED:
                            raise ReplicaError(f"{where}{tname}/{doc_id}/deleted is not true/false")
                        kind = model._SPEC_INDEX[tname][fname].kind.value
                        raise ReplicaError(
                            f"{where}{tname}/{doc_id}/{fname} holds {type(value).__name__}, "
                            f"expected {kind}"
                        )
    case = data.get("case")
    if not case or len(case) != 1:
        raise ReplicaError(f"{where}no case document (table 'case' must hold exactly one)")
    return data


def case_id_of(tables: Mapping[str, Any]) -> str:
    """The id of the case a state describes (the key of its one ``case`` document)."""
    return next(iter(tables["case"]))


# ---------------------------------------------------------------------------------------------
# Writes


@dataclass(frozen=True)
class Write:
    """An intended change, prepared against the state the user saw.

    ``context`` maps each field to what the user saw of it, so applying the write later, on a
    state that meanwhile took in other devices' edits, supersedes only what the user replaced.
    ``values`` holds the new values; ``delete`` is None, True (delete) or False (restore).
    """

    table: str
    doc_id: str
    values: Mapping[str, Any] = field(default_factory=dict)
    context: Mapping[str, Mapping[str, int]] = field(default_factory=dict)
    delete: bool | None = None
    summary: str = ""


def new_id() -> str:
    """A new id for a case or an item: a random UUID, lower-case (``is_case_id``'s form)."""
    return str(uuid.uuid4())


_CASE_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.ASCII)


def is_case_id(text: object) -> bool:
    """Whether ``text`` has exactly the form of the ids the app makes (``new_id``).

    A case id names a folder, so nothing else read from a folder name or a file may be taken
    for one: a path ("/tmp/x-a-b-c-d"), "..", upper case or any other character is refused
    before a path is built from it.
    """
    return isinstance(text, str) and _CASE_ID.fullmatch(text) is not None


DEVICE_ID_LIMIT = 64


def is_device_id(text: object) -> bool:
    """Whether ``text`` can be a device id: letters and digits only, at most 64 of them."""
    return (isinstance(text, str) and 0 < len(text) <= DEVICE_ID_LIMIT and text.isascii()
            and text.isalnum())


class CaseState:
    """A merged case: raw tables plus what is derived from them.

    Methods that change the state return a new CaseState and leave this one untouched, so a
    screen can keep showing what it has while the repository saves.
    """

    __slots__ = ("tables", "memo", "_counters", "_max_at", "_case")

    def __init__(self, tables: Tables, memo: dict[int, tuple[Any, ...]] | None = None) -> None:
        self.tables = tables
        self.memo: dict[int, tuple[Any, ...]] = {} if memo is None else memo
        """Work done per document, keyed by id(document), shared by states derived from this
        one. Documents are never changed in place (a write copies the document), so an entry
        whose document ``is`` the current one is still valid; the entry keeps the document
        alive, so its id cannot be reused."""
        self._counters: dict[str, int] | None = None
        self._max_at: str | None = None
        self._case: model.Case | None = None

    def memoized(self, doc: Document, slot: int, make: Callable[[], Any]) -> Any:
        """``make()`` for ``doc``, computed once per document object (slot 1: view, 2: text)."""
        key = id(doc)
        hit = self.memo.get(key)
        if hit is None or hit[0] is not doc:
            hit = (doc, None, None)
        if hit[slot] is None:
            value = make()
            hit = (doc, value, hit[2]) if slot == 1 else (doc, hit[1], value)
            self.memo[key] = hit
        return hit[slot]

    def forget_unused(self) -> None:
        """Drop memo entries of documents this state no longer holds."""
        live = {id(doc) for table in self.tables.values() for doc in table.values()}
        for key in [k for k in self.memo if k not in live]:
            del self.memo[key]

    # -- construction -------------------------------------------------------------------------

    @classmethod
    def empty(cls) -> CaseState:
        return cls({name: {} for name in model.TABLES})

    @property
    def case_id(self) -> str:
        return case_id_of(self.tables)

    def merge(self, other: CaseState) -> CaseState:
        if other is self or other.tables is self.tables:
            return self
        return CaseState(merge_tables(self.tables, other.tables), self.memo)

    # -- derived ------------------------------------------------------------------------------

    def _scan(self) -> None:
        counters: dict[str, int] = {}
        max_at = ""
        for table in self.tables.values():
            for doc in table.values():
                for register in doc.values():
                    for entry in register:
                        dev, n = entry["dot"]
                        if n > counters.get(dev, 0):
                            counters[dev] = n
                        for sdev, sn in entry["seen"].items():
                            if sn > counters.get(sdev, 0):
                                counters[sdev] = sn
                        if entry["at"] > max_at:
                            max_at = entry["at"]
        self._counters, self._max_at = counters, max_at

    def counter(self, device: str) -> int:
        """The highest write number of ``device`` this state knows of."""
        if self._counters is None:
            self._scan()
        return self._counters.get(device, 0)  # type: ignore[union-attr]

    def devices(self) -> set[str]:
        if self._counters is None:
            self._scan()
        return set(self._counters)  # type: ignore[arg-type]

    @property
    def max_at(self) -> str:
        if self._max_at is None:
            self._scan()
        return self._max_at or ""

    # -- writing ------------------------------------------------------------------------------

    def prepare(
        self,
        table: str,
        doc_id: str,
        values: Mapping[str, Any] | None = None,
        delete: bool | None = None,
        summary: str = "",
    ) -> Write:
        """A Write of ``values`` (already validated) to one document, in this state's context."""
        doc = self.tables.get(table, {}).get(doc_id, {})
        names = list(values or ())
        if delete is not None:
            context = {DELETED: document_context(doc)}
        else:
            context = {name: context_of(doc.get(name, ())) for name in names}
        return Write(table, doc_id, dict(values or {}), context, delete, summary)

    def apply(self, writes: Iterable[Write], device: str, at: str) -> CaseState:
        """Apply writes as one local operation with a single new dot of ``device``."""
        n = self.counter(device) + 1
        dot = [device, n]
        tables = dict(self.tables)
        copied: set[tuple[str, str]] = set()
        for write in writes:
            table = tables[write.table] = dict(tables.get(write.table, {}))
            key = (write.table, write.doc_id)
            if key not in copied:
                table[write.doc_id] = dict(table.get(write.doc_id, {}))
                copied.add(key)
            doc = table[write.doc_id]
            updates: dict[str, Any] = dict(write.values)
            if write.delete is not None:
                updates[DELETED] = write.delete
            for fname, value in updates.items():
                seen = dict(write.context.get(fname, {}))
                if fname == DELETED and write.delete:
                    # A deletion covers everything it saw of the document...
                    seen = dict(write.context.get(DELETED, {}))
                entry = {"v": value, "dot": list(dot), "seen": seen, "at": at}
                # Two writes of one operation to the same field: the later one wins and takes
                # over what the earlier one replaced (one dot names one entry, never two).
                for e in doc.get(fname, ()):
                    if e["dot"] == dot:
                        for sdev, sn in e["seen"].items():
                            if sn > seen.get(sdev, 0):
                                seen[sdev] = sn
                # ...and the new entry replaces every entry it covers, keeping concurrent ones.
                kept = [
                    e for e in doc.get(fname, ()) if e["dot"] != dot and not covers(entry, e)
                ]
                doc[fname] = sorted([*kept, entry], key=_dot)
        state = CaseState(tables, self.memo)
        if self._counters is not None:
            state._counters = dict(self._counters)
            state._counters[device] = n
            state._max_at = max(self.max_at, at)
        return state

    # -- reading ------------------------------------------------------------------------------

    def item(self, table: str, doc_id: str, doc: Document) -> tuple[model.Item, bool, bool]:
        """(item, is_deleted, deletion_raced) for one document."""
        values: dict[str, Any] = {}
        conflicts: set[str] = set()
        latest: Entry | None = None
        specs = model._SPEC_INDEX.get(table, {})
        for fname, register in doc.items():
            entry = register[0] if len(register) == 1 else pick(register)
            if latest is None or (entry["at"], _dot(entry)) > (latest["at"], _dot(latest)):
                latest = entry
            if fname == DELETED:
                continue
            if fname in specs:
                values[fname] = entry["v"]
                if len(register) > 1 and len({e["v"] for e in register}) > 1:
                    conflicts.add(fname)  # two devices setting the same value agree
        tomb = doc.get(DELETED)
        deleted = raced = False
        if tomb:
            flags = {e["v"] for e in tomb}
            if flags == {True}:
                uncovered = any(
                    not any(covers(t, e) for t in tomb)
                    for fname, register in doc.items()
                    if fname != DELETED
                    for e in register
                )
                deleted, raced = not uncovered, uncovered
            elif flags == {True, False}:
                raced = True
        item = model.Item(
            table,
            doc_id,
            values,
            frozenset(conflicts),
            latest["at"] if latest else "",
            latest["dot"][0] if latest else "",
        )
        return item, deleted, raced

    def items(self, table: str) -> tuple[model.Item, ...]:
        return self.case().table(table)

    def case(self) -> model.Case:
        """The typed view of this state (computed once)."""
        if self._case is not None:
            return self._case
        conflicts: list[tuple[str, str, str]] = []
        races: list[tuple[str, str]] = []
        built: dict[str, list[model.Item]] = {}
        for tname in model.TABLES:
            rows: list[model.Item] = []
            for doc_id, doc in self.tables.get(tname, {}).items():
                item, deleted, raced = self.memoized(
                    doc, 1, lambda: self.item(tname, doc_id, doc)  # noqa: B023 (called now)
                )
                if deleted and tname != "case":
                    # The case document is never hidden: the app archives a case instead, and
                    # a tombstone on it (from a hand-made file or a script) must not make the
                    # whole case unreadable.
                    continue
                if raced:
                    races.append((tname, doc_id))
                conflicts.extend((tname, doc_id, f) for f in sorted(item.conflicts))
                rows.append(item)
            if "order" in model._SPEC_INDEX[tname]:
                rows.sort(key=lambda i: (i.values.get("order", 0), i.changed_at, i.id))
            else:
                rows.sort(key=lambda i: (i.changed_at if tname == "log" else "", i.id))
            built[tname] = rows
        case_items = built.pop("case")
        if not case_items:
            raise ReplicaError("the case document is missing")
        decision = built.pop("decision")
        self._case = model.Case(
            id=case_items[0].id,
            info=case_items[0],
            decision=decision[0] if decision else None,
            conflicts=tuple(sorted(conflicts)),
            races=tuple(sorted(races)),
            **{name: tuple(rows) for name, rows in built.items()},
        )
        return self._case

    def log_sorted(self) -> list[model.Item]:
        """Log entries by time of writing (stamp order)."""
        return sorted(self.case().log, key=lambda i: i.changed_at)

    def register(self, table: str, doc_id: str, fname: str) -> Register:
        """The raw entries of one field (for a conflict screen)."""
        return list(self.tables.get(table, {}).get(doc_id, {}).get(fname, ()))


def new_case(
    values: Mapping[str, Any], device: str, at: str, case_id: str | None = None
) -> tuple[CaseState, str]:
    """A new case state holding ``values`` (already validated), written by ``device``."""
    case_id = case_id or new_id()
    state = CaseState.empty()
    defaults = {"urgency": "routine"}
    writes = [
        Write("case", case_id, {**defaults, **values}),
        Write("log", new_id(), {"action": "created", "summary": "Case created"}),
    ]
    return state.apply(writes, device, at), case_id
