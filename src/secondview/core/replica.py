"""A replicated case: ``CaseState`` (the merged tables and the typed case read from them),
``Write`` (a change prepared against what the user saw) and ``new_case``.

The data shape, the merge and the tombstones are described in ``core.registers``; the clock
stamps in ``core.hybrid_clock``; the check of data read from a file in
``core.replica_validation``; ids in ``core.ids``.

Pure functions and data: no I/O. ``store.repository`` reads and writes the files.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any

from . import model

# HybridClock, stamp_to_datetime and new_id are re-exported for the UI and its tests, which
# take them from here; everything else imports them from their own modules.
from .hybrid_clock import HybridClock as HybridClock
from .hybrid_clock import stamp_to_datetime as stamp_to_datetime
from .ids import new_id as new_id
from .registers import (
    DELETED,
    Document,
    Entry,
    Register,
    ReplicaError,
    Tables,
    case_id_of,
    context_of,
    covers,
    document_context,
    dot_of,
    merge_tables,
    pick,
)

_NO_CONFLICT: frozenset[str] = frozenset()
_BY_ID = attrgetter("id")
_BY_TIME_AND_ID = attrgetter("changed_at", "id")


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



class CaseState:
    """A merged case: raw tables plus what is derived from them.

    Methods that change the state return a new CaseState and leave this one untouched, so a
    screen can keep showing what it has while the repository saves.
    """

    __slots__ = ("tables", "memo", "table_memo", "_counters", "_max_at", "_case")

    def __init__(self, tables: Tables, memo: dict[int, tuple[Any, ...]] | None = None,
                 table_memo: dict[str, tuple[Any, ...]] | None = None) -> None:
        self.tables = tables
        self.memo: dict[int, tuple[Any, ...]] = {} if memo is None else memo
        """Work done per document, keyed by id(document), shared by states derived from this
        one. Documents are never changed in place (a write copies the document), so an entry
        whose document ``is`` the current one is still valid; the entry keeps the document
        alive, so its id cannot be reused."""
        self.table_memo: dict[str, tuple[Any, ...]] = {} if table_memo is None else table_memo
        """Work done per table, keyed by the table's name, shared like ``memo``. A write
        copies the tables it changes and leaves the others shared, so after an edit only the
        tables it touched are worked on again. One entry per name: the latest table object's,
        so a large table edited many times is not remembered many times over."""
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

    def memoized_table(self, name: str, table: Mapping[str, Document], slot: int,
                       make: Callable[[], Any]) -> Any:
        """``make()`` for the table ``name`` (this state's object ``table``), computed once per
        table object (slot 1: its items, 2: its text in a file)."""
        hit = self.table_memo.get(name)
        if hit is None or hit[0] is not table:
            hit = (table, None, None)
        if hit[slot] is None:
            value = make()
            hit = (table, value, hit[2]) if slot == 1 else (table, hit[1], value)
            self.table_memo[name] = hit
        return hit[slot]

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
        return CaseState(merge_tables(self.tables, other.tables), self.memo, self.table_memo)

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
                        seen = entry["seen"]
                        if seen:  # most entries replaced nothing
                            for sdev, sn in seen.items():
                                if sn > counters.get(sdev, 0):
                                    counters[sdev] = sn
                        at = entry["at"]
                        if at > max_at:
                            max_at = at
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
            updates: dict[str, Any] = _as_stored(write.table, write.values, doc)
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
                doc[fname] = sorted([*kept, entry], key=dot_of)
        state = CaseState(tables, self.memo, self.table_memo)
        if self._counters is not None:
            state._counters = dict(self._counters)
            state._counters[device] = n
            state._max_at = max(self.max_at, at)
        return state

    # -- reading ------------------------------------------------------------------------------

    def item(self, table: str, doc_id: str, doc: Document) -> tuple[model.Item, bool, bool]:
        """(item, is_deleted, deletion_raced) for one document."""
        values: dict[str, Any] = {}
        conflicts: set[str] | None = None
        latest: Entry | None = None
        latest_at = ""
        specs = model.specs_by_name(table)
        for fname, register in doc.items():
            shown = fname in specs and fname != DELETED
            if len(register) == 1:
                entry = register[0]
            else:
                entry = pick(register)
                if shown and len({e["v"] for e in register}) > 1:
                    # (two devices setting the same value agree)
                    conflicts = set() if conflicts is None else conflicts
                    conflicts.add(fname)
            # the latest write: by stamp, then by dot (a list orders as its (device, n))
            at = entry["at"]
            if latest is None or at > latest_at or (
                    at == latest_at and entry["dot"] > latest["dot"]):
                latest, latest_at = entry, at
            if shown:
                value = entry["v"]
                # only a true/false can be an older version's form of a value
                values[fname] = specs[fname].read_stored(value) if type(value) is bool else value
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
            _NO_CONFLICT if conflicts is None else frozenset(conflicts),
            latest_at,
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
        built: dict[str, tuple[model.Item, ...]] = {}
        for tname in model.TABLES:
            table = self.tables.get(tname, {})
            rows, found, raced = self.memoized_table(
                tname, table, 1, lambda: self._rows(tname, table)  # noqa: B023 (called now)
            )
            conflicts.extend(found)
            races.extend(raced)
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
            **built,
        )
        return self._case

    def _rows(self, tname: str, table: Mapping[str, Document]
              ) -> tuple[tuple[model.Item, ...], tuple[tuple[str, str, str], ...],
                         tuple[tuple[str, str], ...]]:
        """(items shown, in order; conflicts; races) of one table, for ``case``."""
        rows: list[model.Item] = []
        conflicts: list[tuple[str, str, str]] = []
        races: list[tuple[str, str]] = []
        for doc_id, doc in table.items():
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
            if item.conflicts:
                conflicts.extend((tname, doc_id, f) for f in sorted(item.conflicts))
            rows.append(item)
        if "order" in model.specs_by_name(tname):
            rows.sort(key=lambda i: (i.values.get("order", 0), i.changed_at, i.id))
        else:
            rows.sort(key=_BY_TIME_AND_ID if tname == "log" else _BY_ID)
        return tuple(rows), tuple(conflicts), tuple(races)

    def log_sorted(self) -> list[model.Item]:
        """Log entries by time of writing (stamp order)."""
        return sorted(self.case().log, key=lambda i: i.changed_at)

    def register(self, table: str, doc_id: str, fname: str) -> Register:
        """The raw entries of one field (for a conflict screen)."""
        return list(self.tables.get(table, {}).get(doc_id, {}).get(fname, ()))


def _as_stored(table: str, values: Mapping[str, Any], doc: Mapping[str, Any]
               ) -> dict[str, Any]:
    """``values`` as they go into a file (``FieldSpec.to_stored``). A ``was_bool`` field's
    "unknown", the start of every case, is not written where the field holds nothing yet:
    older versions take any value but true/false for a damaged file, and a field never set
    reads as its default, "unknown", anyway. (Set back to unknown after a yes or a no, it is
    written as text: older versions need updating to read that one change.)"""
    specs = model.specs_by_name(table)
    out: dict[str, Any] = {}
    for name, value in values.items():
        spec = specs.get(name)
        if spec is not None and spec.was_bool:
            if value == spec.default and not doc.get(name):
                continue
            value = spec.to_stored(value)
        out[name] = value
    return out


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
