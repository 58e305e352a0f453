"""Merging replicas, proven over random edit histories of two and three devices.

Each device holds a CaseState and a HybridClock running on its own fake wall clock (hours apart
from the others, jumping backwards and forwards). A history is a random sequence of

- local writes: prepared against the device's own state (now, or as it was a few steps ago,
  like a form left open while the state changed underneath), applied with a new dot;
- deletions and restores of an item, prepared the same way;
- syncs: device A merges device B's state (as when it reads B's replica file);
- clock jumps.

Beside the implementation runs a model that knows nothing of dots and contexts: every write
remembers which writes its author had seen. From that alone the model says what every register
must hold (the writes no later write has seen), which items are deleted, raced or in
conflict, and the test compares after every step. At the end every device merges every other
device's state, in a random order, and all must agree to the byte.

What this proves for a user, in words:
- merging is commutative, associative and idempotent, on the tables and on the file bytes;
- two concurrent edits of one field keep both values and the case reports a conflict;
- an edit racing a deletion is reported and the item stays visible;
- a value the user settles replaces every value it was chosen over, on every device;
- a deletion that saw every edit removes the item; a restore brings it back with its values;
- no confirmed write is lost: each is still there, or was replaced by a write whose author had
  seen it;
- none of this depends on the devices' wall clocks.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from secondview.core import model
from secondview.core.hybrid_clock import HybridClock
from secondview.core.registers import DELETED, merge_tables
from secondview.core.replica import CaseState, Write
from secondview.store.storage import replica_bytes

DEVICES = ("a1a1a1a1a1a1", "b2b2b2b2b2b2", "c3c3c3c3c3c3")
CASE_ID = "0c0c0c0c-0000-4000-8000-000000000000"
ITEM_1 = "11111111-1111-4111-8111-111111111111"
ITEM_2 = "22222222-2222-4222-8222-222222222222"  # created by the first write that reaches it
DOCS = (("case", CASE_ID), ("checklist", ITEM_1), ("checklist", ITEM_2))
FIELDS = {
    "case": ("condition", "urgency", "notes"),
    "checklist": ("text", "done", "notes", "order"),
}
HOUR = 3_600_000
START = 1_780_000_000_000  # mid 2026, in ms
MAX_OFFSET = 36 * HOUR  # devices stay within three days of each other (the clock trusts 7)

texts = st.text(alphabet='ab é"\\\n😀', max_size=5)
VALUES = {
    "condition": texts,
    "notes": texts,
    "text": texts,
    "urgency": st.sampled_from(model.URGENCIES),
    "done": st.booleans(),
    "order": st.sampled_from([0.0, 1.0, 2.5, -1.0]),
}

Dot = tuple[str, int]


# -- the model -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rec:
    """One write as the model sees it: what it set and which writes its author had seen."""

    dot: Dot
    table: str
    doc: str
    values: dict[str, Any]  # DELETED -> True/False for a deletion/restore
    knows: frozenset[Dot]
    at: str


@dataclass
class Device:
    id: str
    clock: HybridClock
    offset: list[int]
    state: CaseState
    known: frozenset[Dot]
    snapshots: list[tuple[CaseState, frozenset[Dot]]] = field(default_factory=list)
    stamps: list[str] = field(default_factory=list)
    own_writes: int = 0

    def remember(self) -> None:
        self.snapshots.append((self.state, self.known))


class History:
    def __init__(self, n_devices: int, offsets: list[int]) -> None:
        self.now = [START]
        self.writes: list[Rec] = []
        self.knows_of: dict[Dot, frozenset[Dot]] = {}
        self.by_target: dict[tuple[str, str, str], list[Rec]] = {}
        self.settles: list[tuple[Rec, str, frozenset[Dot]]] = []
        self.devices: list[Device] = []
        for i in range(n_devices):
            offset = [offsets[i]]
            wall = lambda offset=offset: self.now[0] + offset[0]  # noqa: E731
            self.devices.append(
                Device(DEVICES[i], HybridClock(wall), offset, CaseState.empty(), frozenset())
            )
        # The first device creates the case and one checklist item; every device has it.
        first = self.devices[0]
        writes = [
            Write("case", CASE_ID, {"title": "Knee", "urgency": "routine", "condition": "OA"}),
            Write("checklist", ITEM_1, {"text": "Ask for the MRI", "done": False}),
        ]
        at = first.clock.now()
        first.stamps.append(at)
        state = first.state.apply(writes, first.id, at)
        first.own_writes = 1
        dot = (first.id, 1)
        for w in writes:
            self.record(Rec(dot, w.table, w.doc_id, dict(w.values), frozenset(), at))
        for dev in self.devices:
            dev.state, dev.known = state, frozenset({dot})
            dev.clock.observe(state.max_at)
            dev.remember()

    def record(self, rec: Rec) -> None:
        # One dot may write two documents (the initial write does): one record per document.
        self.writes.append(rec)
        self.knows_of[rec.dot] = rec.knows
        for fname in rec.values:
            self.by_target.setdefault((rec.table, rec.doc, fname), []).append(rec)

    # -- what the model says a device must hold ------------------------------------------------

    def register(self, known: frozenset[Dot], table: str, doc: str, fname: str) -> list[Rec]:
        """The writes a register must hold: those known that no known write has seen."""
        cands = [r for r in self.by_target.get((table, doc, fname), ()) if r.dot in known]
        return [r for r in cands if not any(o is not r and r.dot in o.knows for o in cands)]

    def doc_view(self, known: frozenset[Dot], table: str, doc: str) -> dict[str, Any] | None:
        regs = {f: self.register(known, table, doc, f) for f in model._SPEC_INDEX[table]}
        regs = {f: r for f, r in regs.items() if r}
        tomb = self.register(known, table, doc, DELETED)
        if not regs and not tomb:
            return None  # this device has never heard of the document
        deleted = raced = False
        if tomb:
            flags = {r.values[DELETED] for r in tomb}
            if flags == {True}:
                unseen = any(
                    not any(w.dot in t.knows for t in tomb) for reg in regs.values() for w in reg
                )
                deleted, raced = not unseen, unseen
            elif flags == {True, False}:
                raced = True
        shown = {
            f: max(reg, key=lambda r: (r.at, r.dot)).values[f] for f, reg in regs.items()
        }
        # Concurrent writes of one and the same value need no settling: not a conflict.
        conflicts = {f for f, reg in regs.items() if len({r.values[f] for r in reg}) > 1}
        return {"deleted": deleted, "raced": raced, "values": shown, "conflicts": conflicts}

    # -- steps ---------------------------------------------------------------------------------

    def stamp(self, dev: Device) -> str:
        at = dev.clock.now()
        assert not dev.stamps or at > dev.stamps[-1], "the clock went backwards"
        dev.stamps.append(at)
        return at

    def write(self, d: int, doc_index: int, values: dict[str, Any], stale: int) -> None:
        dev = self.devices[d]
        table, doc = DOCS[doc_index]
        seen_state, seen_known = dev.snapshots[max(0, len(dev.snapshots) - 1 - stale)]
        prepared = seen_state.prepare(table, doc, values)
        at = self.stamp(dev)
        dev.state = dev.state.apply([prepared], dev.id, at)
        dev.own_writes += 1
        dot = (dev.id, dev.own_writes)
        rec = Rec(dot, table, doc, dict(values), seen_known, at)
        self.record(rec)
        dev.known = dev.known | {dot}
        dev.remember()
        for fname in values:
            entry = next(e for e in dev.state.register(table, doc, fname) if e["at"] == at)
            assert tuple(entry["dot"]) == dot, "a local write takes the device's next dot"
            assert entry["v"] == values[fname]
            replaced = seen_state.register(table, doc, fname)
            if len(replaced) > 1:  # the user settled a conflict they saw
                self.settles.append((rec, fname, frozenset(tuple(e["dot"]) for e in replaced)))
                if stale == 0:
                    assert dev.state.register(table, doc, fname) == [entry]

    def settle(self, d: int, pick: int) -> None:
        """The user settles a conflict they see by keeping one of the values."""
        dev = self.devices[d]
        conflicts = dev.state.case().conflicts
        if not conflicts:
            return
        table, doc, fname = conflicts[pick % len(conflicts)]
        entries = dev.state.register(table, doc, fname)
        self.write(d, DOCS.index((table, doc)), {fname: entries[pick % len(entries)]["v"]}, 0)

    def delete(self, d: int, doc_index: int, restore: bool, stale: int) -> None:
        dev = self.devices[d]
        table, doc = DOCS[1 + doc_index % (len(DOCS) - 1)]  # items only: a case is archived
        seen_state, seen_known = dev.snapshots[max(0, len(dev.snapshots) - 1 - stale)]
        prepared = seen_state.prepare(table, doc, delete=not restore)
        at = self.stamp(dev)
        dev.state = dev.state.apply([prepared], dev.id, at)
        dev.own_writes += 1
        dot = (dev.id, dev.own_writes)
        self.record(Rec(dot, table, doc, {DELETED: not restore}, seen_known, at))
        dev.known = dev.known | {dot}
        dev.remember()

    def sync(self, a: int, b: int) -> None:
        if a == b:
            return
        dev, other = self.devices[a], self.devices[b]
        dev.state = dev.state.merge(other.state)
        dev.known = dev.known | other.known
        dev.clock.observe(dev.state.max_at)
        dev.remember()

    def tick(self, d: int, jump: int, elapsed: int) -> None:
        self.now[0] += elapsed
        offset = self.devices[d].offset
        offset[0] = max(-MAX_OFFSET, min(MAX_OFFSET, offset[0] + jump))

    # -- checks --------------------------------------------------------------------------------

    def check_device(self, dev: Device) -> None:
        """The device's state is exactly what the model says its knowledge implies."""
        state = dev.state
        for table, doc in DOCS:
            for fname in (*FIELDS[table], DELETED):
                expected = self.register(dev.known, table, doc, fname)
                actual = state.register(table, doc, fname)
                assert {tuple(e["dot"]): e["v"] for e in actual} == {
                    r.dot: r.values[fname] for r in expected
                }, (dev.id, table, doc, fname)
                # ``seen`` covers exactly the writes the author had seen: of this field, and
                # for a deletion, of every field of the document.
                targets = [fname] if fname != DELETED else [*model._SPEC_INDEX[table], DELETED]
                for e in actual:
                    author = tuple(e["dot"])
                    others = (r for t in targets for r in self.by_target.get((table, doc, t), ()))
                    for other in others:
                        if other.dot in dev.known and other.dot != author:
                            covered = e["seen"].get(other.dot[0], 0) >= other.dot[1]
                            assert covered == (other.dot in self.knows_of[author]), (e, other)
        self.check_view(state, dev.known)
        # Cached counters agree with a fresh scan of the tables.
        fresh = CaseState(state.tables)
        for d in DEVICES:
            assert state.counter(d) == fresh.counter(d)
        assert state.max_at == fresh.max_at

    def check_view(self, state: CaseState, known: frozenset[Dot]) -> None:
        case = state.case()
        conflicts, races = [], []
        for table, doc in DOCS:
            view = self.doc_view(known, table, doc)
            item = next((i for i in case.table(table) if i.id == doc), None)
            if view is None or view["deleted"]:
                assert item is None, (table, doc, "should not be shown")
                continue
            assert item is not None, (table, doc, "should be shown")
            assert dict(item.values) == view["values"]
            assert set(item.conflicts) == view["conflicts"]
            conflicts += [(table, doc, f) for f in sorted(view["conflicts"])]
            if view["raced"]:
                races.append((table, doc))
        assert case.conflicts == tuple(sorted(conflicts))
        assert case.races == tuple(sorted(races))

    def check_causality_in_stamps(self) -> None:
        """A write's stamp is later than every write its author had seen, whatever the walls."""
        for rec in self.writes:
            for other in self.writes:
                if other.dot in rec.knows:
                    assert rec.at > other.at, (rec.dot, other.dot)


# -- strategies ------------------------------------------------------------------------------

device_index = st.integers(0, 2)


def _writes_to(doc_index: int) -> st.SearchStrategy[tuple[Any, ...]]:
    names = FIELDS[DOCS[doc_index][0]]
    values = st.sets(st.sampled_from(names), min_size=1, max_size=3).flatmap(
        lambda keys: st.fixed_dictionaries({k: VALUES[k] for k in sorted(keys)})
    )
    return st.tuples(
        st.just("write"), device_index, st.just(doc_index), values, st.sampled_from([0, 0, 0, 1, 3])
    )


writes = st.one_of(*(_writes_to(i) for i in range(len(DOCS))))
deletes = st.tuples(
    st.just("delete"), device_index, st.integers(0, 1), st.booleans(), st.sampled_from([0, 0, 2])
)
syncs = st.tuples(st.just("sync"), device_index, device_index)
settles = st.tuples(st.just("settle"), device_index, st.integers(0, 10))
ticks = st.tuples(
    st.just("tick"),
    device_index,
    st.integers(-6 * HOUR, 6 * HOUR),
    st.integers(0, 5_000),
)
steps = st.lists(
    st.one_of(writes, writes, deletes, syncs, syncs, settles, ticks), min_size=6, max_size=40
)
offsets = st.lists(st.integers(-MAX_OFFSET, MAX_OFFSET), min_size=3, max_size=3)


def run(n_devices: int, initial_offsets: list[int], plan: list[tuple[Any, ...]]) -> History:
    history = History(n_devices, initial_offsets)
    for step in plan:
        kind, d, *args = step
        d %= n_devices
        if kind == "write":
            history.write(d, *args)
        elif kind == "delete":
            history.delete(d, *args)
        elif kind == "settle":
            history.settle(d, *args)
        elif kind == "sync":
            history.sync(d, args[0] % n_devices)
        else:
            history.tick(d, *args)
        history.check_device(history.devices[d])
    for dev in history.devices:
        history.check_device(dev)
    history.check_causality_in_stamps()
    return history


def tables_bytes(tables: dict[str, Any]) -> bytes:
    return replica_bytes(tables, "same-device", "same name")


def check_algebra(states: list[CaseState]) -> None:
    """Merge is commutative, associative and idempotent, on the tables and the bytes."""
    for a in states:
        assert merge_tables(a.tables, a.tables) == a.tables
        assert a.merge(CaseState(a.tables)).tables == a.tables
    for a, b in itertools.permutations(states, 2):
        ab, ba = merge_tables(a.tables, b.tables), merge_tables(b.tables, a.tables)
        assert ab == ba
        assert tables_bytes(ab) == tables_bytes(ba)
        assert merge_tables(a.tables, ab) == ab  # merging what one already has changes nothing
        assert merge_tables(ab, ab) == ab
    for a, b, c in itertools.permutations(states, 3):
        left = merge_tables(merge_tables(a.tables, b.tables), c.tables)
        right = merge_tables(a.tables, merge_tables(b.tables, c.tables))
        assert left == right
        assert tables_bytes(left) == tables_bytes(right)


def exchange_everything(history: History, orders: list[list[int]]) -> list[CaseState]:
    """Each device merges every other device's state, in its own order."""
    before = [dev.state for dev in history.devices]
    snapshots = [tables_bytes(s.tables) for s in before]
    finals = []
    for i, dev in enumerate(history.devices):
        state = dev.state
        for j in orders[i]:
            state = state.merge(before[j % len(before)])
        finals.append(state)
    # Merging modified none of the inputs.
    assert [tables_bytes(s.tables) for s in before] == snapshots
    return finals


def check_after_exchange(history: History, finals: list[CaseState]) -> None:
    everything = frozenset().union(*(dev.known for dev in history.devices))
    first = finals[0]
    for other in finals[1:]:
        assert other.tables == first.tables
        # Devices that merged the same state write the same bytes, whatever the merge order.
        assert tables_bytes(other.tables) == tables_bytes(first.tables)
        assert other.case() == first.case()
    for final in finals:
        history.check_view(final, everything)
        history.check_view(CaseState(final.tables), everything)  # no stale memo involved

    case = first.case()
    for (table, doc, fname), recs in history.by_target.items():
        register = first.register(table, doc, fname)
        present = {tuple(e["dot"]): e["v"] for e in register}
        # No confirmed write is lost: it is there, or a write whose author saw it replaced it.
        for rec in recs:
            if rec.dot in present:
                assert present[rec.dot] == rec.values[fname]
            else:
                assert any(rec.dot in history.knows_of[d] for d in present), (
                    "lost write",
                    rec,
                )
        # Concurrent edits of one field to different values: every value kept, a conflict.
        if len({e["v"] for e in register}) > 1 and fname != DELETED:
            view = history.doc_view(everything, table, doc)
            assert view is not None
            if not view["deleted"]:
                assert (table, doc, fname) in case.conflicts
    # Say what the examples held, so a run shows the cases below were really exercised.
    event(f"{len(case.conflicts)} conflicts, {len(case.races)} races after exchange")
    event(f"{'some' if history.settles else 'no'} settled conflicts")
    hidden = [d for t, d in DOCS[1:] if (view := history.doc_view(everything, t, d))
              and view["deleted"]]
    event(f"{len(hidden)} items deleted after exchange")
    # A settled value replaced every entry the user chose it over, on every device.
    for rec, fname, replaced in history.settles:
        for final in finals:
            dots = {tuple(e["dot"]) for e in final.register(rec.table, rec.doc, fname)}
            assert not (dots & replaced), ("a settled conflict came back", rec, fname)
    # An edit racing a deletion is reported, and the item is shown.
    for table, doc in DOCS[1:]:
        view = history.doc_view(everything, table, doc)
        if view and view["raced"]:
            assert (table, doc) in case.races
            assert any(i.id == doc for i in case.table(table))


PROPERTY = settings(
    max_examples=250,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _orders(n: int) -> st.SearchStrategy[list[list[int]]]:
    return st.lists(st.permutations(list(range(n))), min_size=n, max_size=n)


@given(offsets, steps, _orders(2))
@PROPERTY
def test_two_devices(initial_offsets, plan, orders) -> None:  # type: ignore[no-untyped-def]
    history = run(2, initial_offsets, plan)
    # The two devices' states and an earlier state of the first one.
    snapshots = history.devices[0].snapshots
    check_algebra([dev.state for dev in history.devices] + [snapshots[len(snapshots) // 2][0]])
    check_after_exchange(history, exchange_everything(history, orders))


@given(offsets, steps, _orders(3))
@PROPERTY
def test_three_devices(initial_offsets, plan, orders) -> None:  # type: ignore[no-untyped-def]
    history = run(3, initial_offsets, plan)
    check_algebra([dev.state for dev in history.devices])
    check_after_exchange(history, exchange_everything(history, orders))
