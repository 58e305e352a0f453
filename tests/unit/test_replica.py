"""core/replica.py and what it builds on (hybrid_clock, registers, replica_validation), case by
case: the hybrid clock, local writes, merges, conflicts, tombstones.

Each test tells one story a user lives through with two or three devices (a laptop, a phone, a
partner's computer) whose clocks disagree. tests/unit/test_merge_properties.py proves the same
rules over random histories; these examples show them plainly and pin regressions.
"""

from __future__ import annotations

import copy
import datetime as dt
import random
import uuid

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from secondview.core import replica_validation
from secondview.core.hybrid_clock import (
    MAX_DRIFT_MS,
    HybridClock,
    format_stamp,
    parse_stamp,
    stamp_to_datetime,
)
from secondview.core.ids import new_id
from secondview.core.registers import DELETED, ReplicaError, merge_registers, merge_tables
from secondview.core.replica import CaseState, Write, new_case
from secondview.store.storage import replica_bytes

FAST = settings(max_examples=200, deadline=None)

LAPTOP, PHONE, PARTNER = "aaaa11112222", "bbbb33334444", "cccc55556666"
CASE = "0c0c0c0c-0000-4000-8000-000000000000"
MRI = "11111111-1111-4111-8111-111111111111"
LABS = "22222222-2222-4222-8222-222222222222"
HOUR = 3_600_000
NOW = 1_780_000_000_000


class Wall:
    """A fake wall clock a test can set, move on, or turn back."""

    def __init__(self, ms: int) -> None:
        self.ms = ms

    def __call__(self) -> int:
        return self.ms


class Devices:
    """Three devices sharing one case; the phone's clock is 5 hours behind, the partner's
    2 hours ahead. Each device's clock moves on a second per stamp."""

    def __init__(self) -> None:
        self.walls = {LAPTOP: Wall(NOW), PHONE: Wall(NOW - 5 * HOUR), PARTNER: Wall(NOW + 2 * HOUR)}
        self.clocks = {d: HybridClock(w) for d, w in self.walls.items()}
        state, _ = new_case({"title": "Knee"}, LAPTOP, self.now(LAPTOP), case_id=CASE)
        state = state.apply(
            [
                Write("records", MRI, {"title": "MRI report", "notes": "requested"}),
                Write("records", LABS, {"title": "Blood tests"}),
            ],
            LAPTOP,
            self.now(LAPTOP),
        )
        self.state = {d: state for d in self.walls}

    def now(self, device: str) -> str:
        self.walls[device].ms += 1000
        return self.clocks[device].now()

    def write(self, device: str, table: str, doc_id: str, values: dict, seen=None) -> None:  # type: ignore[no-untyped-def]
        """``device`` saves ``values``, prepared against ``seen`` (default: its own state)."""
        base = self.state[device] if seen is None else seen
        write = base.prepare(table, doc_id, values)
        self.state[device] = self.state[device].apply([write], device, self.now(device))

    def delete(self, device: str, table: str, doc_id: str, restore: bool = False) -> None:
        write = self.state[device].prepare(table, doc_id, delete=not restore)
        self.state[device] = self.state[device].apply([write], device, self.now(device))

    def sync(self, device: str, source: str) -> None:
        """``device`` reads ``source``'s replica and merges it."""
        self.state[device] = self.state[device].merge(self.state[source])
        self.clocks[device].observe(self.state[device].max_at)

    def case(self, device: str):  # type: ignore[no-untyped-def]
        return self.state[device].case()

    def values(self, device: str, table: str, doc_id: str, field: str) -> list:  # type: ignore[type-arg]
        return [e["v"] for e in self.state[device].register(table, doc_id, field)]


def record(case, doc_id):  # type: ignore[no-untyped-def]
    return next((r for r in case.records if r.id == doc_id), None)


# -- hybrid logical clock --------------------------------------------------------------------


def test_clock_never_goes_back_when_the_wall_clock_does() -> None:
    wall = Wall(NOW)
    clock = HybridClock(wall)
    stamps = [clock.now()]
    for ms in (NOW + 5, NOW - HOUR, NOW - 2 * HOUR, NOW - HOUR, NOW + 5, NOW + 6):
        wall.ms = ms
        stamps.append(clock.now())
    assert stamps == sorted(stamps) and len(set(stamps)) == len(stamps)
    # While the wall clock is behind, the clock keeps its time and counts.
    assert [parse_stamp(s) for s in stamps[1:6]] == [
        (NOW + 5, 0),
        (NOW + 5, 1),
        (NOW + 5, 2),
        (NOW + 5, 3),
        (NOW + 5, 4),
    ]
    assert parse_stamp(stamps[6]) == (NOW + 6, 0)  # and follows the wall again once it passes


def test_clock_stays_strictly_increasing_on_a_frozen_wall() -> None:
    clock = HybridClock(Wall(NOW))
    stamps = [clock.now() for _ in range(10_050)]  # past the 4-digit logical counter
    assert stamps == sorted(stamps) and len(set(stamps)) == len(stamps)
    assert parse_stamp(stamps[-1])[0] == NOW + 1


def test_clock_follows_a_stamp_it_observes() -> None:
    clock = HybridClock(Wall(NOW))
    clock.now()
    ahead = format_stamp(NOW + 3 * HOUR, 7)
    clock.observe(ahead)
    after = clock.now()
    assert after > ahead
    assert parse_stamp(after) == (NOW + 3 * HOUR, 8)


def test_clock_does_not_go_back_to_an_older_observed_stamp() -> None:
    clock = HybridClock(Wall(NOW))
    first = clock.now()
    clock.observe(format_stamp(NOW - HOUR, 50))
    assert clock.now() > first
    assert parse_stamp(clock.now())[0] == NOW


def test_clock_ignores_implausibly_far_future_stamps() -> None:
    clock = HybridClock(Wall(NOW))
    clock.observe(format_stamp(NOW + MAX_DRIFT_MS + 1, 0))  # a corrupt or hostile stamp
    assert parse_stamp(clock.now()) == (NOW, 0)
    clock.observe(format_stamp(NOW + MAX_DRIFT_MS - 1, 0))  # six days ahead: plausible
    assert parse_stamp(clock.now()) == (NOW + MAX_DRIFT_MS - 1, 1)


@pytest.mark.parametrize("garbage", ["", "yesterday", "2026-13-01T00:00:00.000Z/0001", "x/1"])
def test_clock_ignores_stamps_it_cannot_read(garbage: str) -> None:
    clock = HybridClock(Wall(NOW))
    clock.observe(garbage)
    assert parse_stamp(clock.now()) == (NOW, 0)
    with pytest.raises(ReplicaError, match="is not a clock stamp"):
        parse_stamp(garbage)
    assert stamp_to_datetime(garbage) is None


def test_stamp_format() -> None:
    assert format_stamp(NOW + 42, 3) == "2026-05-28T20:26:40.042Z/0003"
    assert parse_stamp("2026-05-28T20:26:40.042Z/0003") == (NOW + 42, 3)
    assert stamp_to_datetime("2026-05-28T20:26:40.042Z/0003") == dt.datetime(
        2026, 5, 28, 20, 26, 40, 42_000, tzinfo=dt.UTC
    )


@pytest.mark.parametrize("ms", [1_089_452_783_143, 1_099_233_915_360, 545_609_928_287])
def test_stamps_that_once_lost_a_millisecond_round_trip(ms: int) -> None:
    # Going through float seconds parsed these one millisecond early, so a clock observing
    # such a stamp could issue a stamp that sorted before it.
    assert parse_stamp(format_stamp(ms, 1)) == (ms, 1)
    clock = HybridClock(Wall(ms - 10))
    clock.observe(format_stamp(ms, 1))
    assert clock.now() > format_stamp(ms, 1)


MS_RANGE = st.integers(0, 253_402_300_799_999)  # 1970 to the end of year 9999
LOGICAL = st.integers(0, 9999)


@given(MS_RANGE, LOGICAL)
@FAST
def test_stamp_round_trip(ms: int, logical: int) -> None:
    stamp = format_stamp(ms, logical)
    assert parse_stamp(stamp) == (ms, logical)
    moment = stamp_to_datetime(stamp)
    assert moment is not None
    assert (moment - dt.datetime(1970, 1, 1, tzinfo=dt.UTC)) // dt.timedelta(
        milliseconds=1
    ) == ms


def _strptime_reading(stamp: str) -> tuple[int, int] | None:
    """What parse_stamp returned when it went through strptime alone (the reference)."""
    try:
        wall, _, logical = stamp.partition("/")
        moment = dt.datetime.strptime(wall, "%Y-%m-%dT%H:%M:%S.%fZ")
        epoch = dt.datetime(1970, 1, 1)
        return (moment - epoch) // dt.timedelta(milliseconds=1), int(logical or 0)
    except ValueError:
        return None


NEAR_STAMPS = st.one_of(
    st.builds(format_stamp, MS_RANGE, LOGICAL),
    # stamps with a field bent: wrong ranges, short or long parts, other digits, no logical
    st.from_regex(r"\A[0-9]{1,5}-[0-9]{1,3}-[0-9]{1,3}T[0-9]{1,3}:[0-9]{2}:[0-9]{2}\.[0-9]{0,7}"
                  r"Z?(/[0-9]{0,5})?\Z"),
    st.from_regex(r"\A[0-9\u0660-\u0669]{4}-0[1-9]-[0-2][0-9]T00:00:00\.[0-9]{3}Z/1\Z"),
)


@given(NEAR_STAMPS)
@settings(max_examples=500, deadline=None)
def test_stamp_reading_agrees_with_strptime(stamp: str) -> None:
    # parse_stamp reads the canonical form without strptime (the case list's first frame
    # parses one per row); whatever it accepts or refuses, strptime must agree.
    expected = _strptime_reading(stamp)
    if expected is None:
        with pytest.raises(ReplicaError):
            parse_stamp(stamp)
    else:
        assert parse_stamp(stamp) == expected


@given(MS_RANGE, LOGICAL, MS_RANGE, LOGICAL)
@FAST
def test_stamps_sort_as_text_in_time_order(m1: int, l1: int, m2: int, l2: int) -> None:
    s1, s2 = format_stamp(m1, l1), format_stamp(m2, l2)
    assert (s1 < s2) == ((m1, l1) < (m2, l2))


# -- a new case ------------------------------------------------------------------------------


def test_new_case_holds_its_values_a_default_urgency_and_a_log_entry() -> None:
    state, case_id = new_case({"title": "Knee", "condition": "OA"}, LAPTOP, format_stamp(NOW, 0))
    case = state.case()
    assert case.id == case_id == state.case_id
    assert (case.title, case.info.condition, case.info.urgency) == ("Knee", "OA", "routine")
    assert [entry.action for entry in case.log] == ["created"]
    assert case.info.changed_by == LAPTOP
    assert state.counter(LAPTOP) == 1 and state.devices() == {LAPTOP}
    assert case.conflicts == () and case.races == ()


# -- local writes ----------------------------------------------------------------------------


def test_a_local_write_replaces_the_register_with_one_entry_covering_it() -> None:
    devices = Devices()
    devices.write(LAPTOP, "records", MRI, {"notes": "sent by fax"})
    devices.write(LAPTOP, "records", MRI, {"notes": "received"})
    register = devices.state[LAPTOP].register("records", MRI, "notes")
    assert len(register) == 1
    entry = register[0]
    assert entry["v"] == "received"
    assert entry["dot"] == [LAPTOP, 4]  # create, add records, two edits
    assert entry["seen"] == {LAPTOP: 3}  # it saw, and so replaces, the previous value
    assert record(devices.case(LAPTOP), MRI).notes == "received"


def test_each_operation_takes_the_next_dot_of_its_device() -> None:
    devices = Devices()
    devices.sync(PHONE, LAPTOP)
    devices.write(PHONE, "records", LABS, {"notes": "a"})
    devices.write(PHONE, "records", MRI, {"notes": "b"})
    assert devices.state[PHONE].counter(PHONE) == 2
    assert devices.state[PHONE].counter(LAPTOP) == 2
    assert devices.state[PHONE].register("records", MRI, "notes")[0]["dot"] == [PHONE, 2]


def test_two_writes_to_one_field_in_one_operation_leave_one_entry() -> None:
    # Regression: both entries used to keep the same dot, showing a conflict with itself
    # and merging differently depending on which copy another device kept.
    devices = Devices()
    devices.sync(PHONE, LAPTOP)
    devices.write(PHONE, "records", MRI, {"notes": "phone's note"})
    base = devices.state[LAPTOP]
    writes = [
        base.prepare("records", MRI, {"notes": "first"}),
        base.prepare("records", MRI, {"notes": "second"}),
    ]
    devices.state[LAPTOP] = base.apply(writes, LAPTOP, devices.now(LAPTOP))
    register = devices.state[LAPTOP].register("records", MRI, "notes")
    assert [e["v"] for e in register] == ["second"]
    assert devices.case(LAPTOP).conflicts == ()
    merged = devices.state[LAPTOP].merge(devices.state[PHONE])
    assert merged.tables == devices.state[PHONE].merge(devices.state[LAPTOP]).tables
    assert sorted(e["v"] for e in merged.register("records", MRI, "notes")) == [
        "phone's note",
        "second",
    ]


def test_a_stale_earlier_write_in_the_same_operation_keeps_what_it_replaced_replaced() -> None:
    devices = Devices()
    fresh = devices.state[LAPTOP].prepare("records", MRI, {"notes": "first"})
    stale = CaseState.empty().prepare("records", MRI, {"notes": "second"})  # saw nothing
    devices.state[LAPTOP] = devices.state[LAPTOP].apply([fresh, stale], LAPTOP, devices.now(LAPTOP))
    devices.sync(PHONE, LAPTOP)
    # 'requested' (the value the first write replaced) does not come back on any device.
    assert devices.values(PHONE, "records", MRI, "notes") == ["second"]
    assert devices.values(LAPTOP, "records", MRI, "notes") == ["second"]


# -- concurrent edits and conflicts ----------------------------------------------------------


def test_concurrent_edits_of_one_text_field_keep_both_values_and_report_a_conflict() -> None:
    devices = Devices()
    devices.write(LAPTOP, "records", MRI, {"notes": "sent to Dr Rossi"})
    devices.write(PHONE, "records", MRI, {"notes": "lost in the post"})
    devices.sync(LAPTOP, PHONE)
    devices.sync(PHONE, LAPTOP)
    for device in (LAPTOP, PHONE):
        case = devices.case(device)
        assert sorted(devices.values(device, "records", MRI, "notes")) == [
            "lost in the post",
            "sent to Dr Rossi",
        ]
        assert case.conflicts == (("records", MRI, "notes"),)
        item = record(case, MRI)
        assert item.conflicts == frozenset({"notes"}) and item.has_conflict
        # Until settled, the value with the later stamp is shown (the same on both).
        assert item.notes == "sent to Dr Rossi"
        assert record(case, LABS).conflicts == frozenset()
    assert devices.state[LAPTOP].tables == devices.state[PHONE].tables


def test_two_devices_setting_the_same_value_at_once_agree_without_a_conflict() -> None:
    devices = Devices()
    devices.write(LAPTOP, "records", MRI, {"notes": "received"})
    devices.write(PHONE, "records", MRI, {"notes": "received"})
    devices.sync(LAPTOP, PHONE)
    assert devices.values(LAPTOP, "records", MRI, "notes") == ["received", "received"]
    assert devices.case(LAPTOP).conflicts == ()
    assert record(devices.case(LAPTOP), MRI).notes == "received"


def test_concurrent_edits_of_different_fields_merge_without_conflict() -> None:
    devices = Devices()
    devices.write(LAPTOP, "records", MRI, {"notes": "sent"})
    devices.write(PHONE, "records", MRI, {"title": "MRI of the left knee"})
    devices.sync(LAPTOP, PHONE)
    item = record(devices.case(LAPTOP), MRI)
    assert (item.title, item.notes) == ("MRI of the left knee", "sent")
    assert devices.case(LAPTOP).conflicts == ()


def test_a_settled_value_supersedes_every_entry_on_every_device() -> None:
    devices = Devices()
    devices.sync(PARTNER, LAPTOP)
    devices.write(LAPTOP, "records", MRI, {"notes": "laptop"})
    devices.write(PHONE, "records", MRI, {"notes": "phone"})
    devices.write(PARTNER, "records", MRI, {"notes": "partner"})
    devices.sync(PHONE, LAPTOP)
    devices.sync(PHONE, PARTNER)
    assert len(devices.values(PHONE, "records", MRI, "notes")) == 3
    # The phone, whose clock is five hours behind the others, settles the conflict. Its stamp
    # is the earliest on the wall clock, and still it replaces all three: causality, not time.
    devices.write(PHONE, "records", MRI, {"notes": "phone"})
    settled = devices.state[PHONE].register("records", MRI, "notes")
    assert [e["v"] for e in settled] == ["phone"]
    devices.sync(LAPTOP, PHONE)
    devices.sync(PARTNER, PHONE)
    for device in (LAPTOP, PHONE, PARTNER):
        assert devices.state[device].register("records", MRI, "notes") == settled
        assert devices.case(device).conflicts == ()
    # An old copy of a replaced value (a stale replica, a sync tool's conflict copy) does not
    # bring the conflict back.
    old = Devices()
    old.write(LAPTOP, "records", MRI, {"notes": "laptop"})
    assert devices.state[LAPTOP].merge(old.state[LAPTOP]).case().conflicts == ()


def test_a_settle_races_a_new_concurrent_edit_it_did_not_see() -> None:
    devices = Devices()
    devices.write(LAPTOP, "records", MRI, {"notes": "laptop"})
    devices.write(PHONE, "records", MRI, {"notes": "phone"})
    devices.sync(LAPTOP, PHONE)
    devices.write(LAPTOP, "records", MRI, {"notes": "settled"})
    devices.write(PARTNER, "records", MRI, {"notes": "partner, meanwhile"})
    devices.sync(LAPTOP, PARTNER)
    assert sorted(devices.values(LAPTOP, "records", MRI, "notes")) == [
        "partner, meanwhile",
        "settled",
    ]


def test_a_form_left_open_replaces_only_what_its_user_saw() -> None:
    devices = Devices()
    seen = devices.state[LAPTOP]  # the user opens the edit form
    devices.write(PHONE, "records", MRI, {"notes": "phone"})
    devices.sync(LAPTOP, PHONE)  # meanwhile the phone's edit arrives
    devices.write(LAPTOP, "records", MRI, {"notes": "typed in the form"}, seen=seen)
    assert sorted(devices.values(LAPTOP, "records", MRI, "notes")) == [
        "phone",
        "typed in the form",
    ]
    assert devices.case(LAPTOP).conflicts == (("records", MRI, "notes"),)


# -- deletion and restore --------------------------------------------------------------------


def test_a_deletion_that_saw_every_edit_removes_the_item_everywhere() -> None:
    devices = Devices()
    devices.write(PHONE, "records", MRI, {"notes": "phone"})
    devices.sync(LAPTOP, PHONE)
    devices.delete(LAPTOP, "records", MRI)
    devices.sync(PHONE, LAPTOP)
    for device in (LAPTOP, PHONE):
        case = devices.case(device)
        assert [r.id for r in case.records] == [LABS]
        assert case.races == () and case.conflicts == ()
    # Nothing was removed from the data: the item's values are still there.
    assert devices.values(PHONE, "records", MRI, "notes") == ["phone"]
    assert devices.values(PHONE, "records", MRI, DELETED) == [True]


def test_an_edit_racing_a_deletion_is_reported_and_the_item_stays() -> None:
    devices = Devices()
    devices.delete(LAPTOP, "records", MRI)
    devices.write(PHONE, "records", MRI, {"notes": "received by Dr Rossi"})
    devices.sync(LAPTOP, PHONE)
    devices.sync(PHONE, LAPTOP)
    for device in (LAPTOP, PHONE):
        case = devices.case(device)
        assert case.races == (("records", MRI),)
        item = record(case, MRI)
        assert item is not None and item.notes == "received by Dr Rossi"
    # Deleting again, having seen the edit, settles the race.
    devices.delete(LAPTOP, "records", MRI)
    devices.sync(PHONE, LAPTOP)
    assert devices.case(PHONE).races == ()
    assert record(devices.case(PHONE), MRI) is None


def test_keeping_an_item_that_raced_a_deletion_settles_the_race() -> None:
    devices = Devices()
    devices.delete(LAPTOP, "records", MRI)
    devices.write(PHONE, "records", MRI, {"notes": "edited"})
    devices.sync(PHONE, LAPTOP)
    devices.delete(PHONE, "records", MRI, restore=True)
    devices.sync(LAPTOP, PHONE)
    case = devices.case(LAPTOP)
    assert case.races == ()
    assert record(case, MRI).notes == "edited"


def test_restore_after_delete_brings_the_item_back_with_its_values() -> None:
    devices = Devices()
    devices.write(LAPTOP, "records", MRI, {"notes": "sent", "kind": "imaging_report"})
    devices.delete(LAPTOP, "records", MRI)
    assert record(devices.case(LAPTOP), MRI) is None
    devices.sync(PHONE, LAPTOP)
    devices.delete(PHONE, "records", MRI, restore=True)  # undone on another device
    devices.sync(LAPTOP, PHONE)
    for device in (LAPTOP, PHONE):
        item = record(devices.case(device), MRI)
        assert item is not None
        assert (item.title, item.notes, item.kind) == ("MRI report", "sent", "imaging_report")
        assert devices.case(device).races == ()


def test_a_deletion_racing_a_restore_keeps_the_item_and_reports_it() -> None:
    devices = Devices()
    devices.delete(LAPTOP, "records", MRI)
    devices.sync(PHONE, LAPTOP)
    devices.delete(PHONE, "records", MRI, restore=True)
    devices.delete(LAPTOP, "records", MRI, restore=True)
    devices.delete(LAPTOP, "records", MRI)  # deleted again, not knowing of the phone's restore
    devices.sync(LAPTOP, PHONE)
    case = devices.case(LAPTOP)
    assert record(case, MRI) is not None
    assert case.races == (("records", MRI),)


def test_two_devices_deleting_the_same_item_agree() -> None:
    devices = Devices()
    devices.delete(LAPTOP, "records", MRI)
    devices.delete(PHONE, "records", MRI)
    devices.sync(LAPTOP, PHONE)
    case = devices.case(LAPTOP)
    assert record(case, MRI) is None and case.races == ()
    assert len(devices.values(LAPTOP, "records", MRI, DELETED)) == 2


def test_a_tombstone_on_the_case_document_does_not_hide_the_case() -> None:
    # Regression: a deleted case document (from a script or a hand-made file) made every
    # view of the case raise, on every device that merged it.
    devices = Devices()
    devices.delete(PHONE, "case", CASE)
    devices.sync(LAPTOP, PHONE)
    case = devices.case(LAPTOP)
    assert case.id == CASE and case.title == "Knee"
    assert [r.id for r in case.records] == sorted([MRI, LABS])


# -- merge -----------------------------------------------------------------------------------


def entry(device: str, n: int, v, seen=None, at="2026-01-01T00:00:00.000Z/0000"):  # type: ignore[no-untyped-def]
    return {"v": v, "dot": [device, n], "seen": seen or {}, "at": at}


def test_merge_registers_keeps_concurrent_entries_and_drops_covered_ones() -> None:
    old = entry(LAPTOP, 1, "old")
    newer = entry(PHONE, 1, "newer", {LAPTOP: 1})
    concurrent = entry(PARTNER, 1, "other")
    assert merge_registers([old], [newer]) == [newer]
    assert merge_registers([newer], [old]) == [newer]
    assert merge_registers([old, concurrent], [newer]) == [newer, concurrent]
    assert merge_registers([newer], [newer]) == [newer]


def test_merge_registers_is_deterministic_when_one_dot_has_two_contents() -> None:
    # Only possible when one device id was copied to two machines; the merge still agrees.
    a, b = entry(LAPTOP, 3, "one"), entry(LAPTOP, 3, "two")
    assert merge_registers([a], [b]) == merge_registers([b], [a])
    assert len(merge_registers([a], [b])) == 1


def test_merge_modifies_neither_input_and_shares_unchanged_documents() -> None:
    devices = Devices()
    devices.write(PHONE, "records", MRI, {"notes": "phone"})
    devices.write(LAPTOP, "records", MRI, {"notes": "laptop"})
    a, b = devices.state[LAPTOP], devices.state[PHONE]
    a_copy, b_copy = copy.deepcopy(a.tables), copy.deepcopy(b.tables)
    merged = merge_tables(a.tables, b.tables)
    assert a.tables == a_copy and b.tables == b_copy
    assert merged["records"][LABS] is a.tables["records"][LABS]  # untouched: shared
    assert merged["records"][MRI] is not a.tables["records"][MRI]
    assert merge_tables(a.tables, a.tables) is a.tables
    assert a.merge(a) is a


def test_realistic_states_merge_every_edit_of_both_sides() -> None:
    laptop = realistic_state(LAPTOP, seed=3)
    size = len(replica_bytes(laptop.tables, LAPTOP, "laptop"))
    assert 100_000 < size < 170_000  # the design's realistic case
    phone = laptop
    rng = random.Random(4)
    edits = {}
    for table in ("checklist", "questions", "records"):
        for doc_id in rng.sample(sorted(laptop.tables[table]), 5):
            edits[(table, doc_id)] = f"phone's note on {doc_id[:4]}"
            field = "notes" if table != "questions" else "why"
            write = phone.prepare(table, doc_id, {field: edits[(table, doc_id)]})
            phone = phone.apply([write], PHONE, format_stamp(NOW + 10, len(edits)))
    laptop = laptop.apply(
        [laptop.prepare("case", laptop.case_id, {"condition": "laptop's words"})],
        LAPTOP,
        format_stamp(NOW + 20, 0),
    )
    merged = laptop.merge(phone)
    assert merged.tables == phone.merge(laptop).tables
    case = merged.case()
    assert case.info.condition == "laptop's words" and case.conflicts == ()
    for (table, doc_id), text in edits.items():
        item = next(i for i in case.table(table) if i.id == doc_id)
        assert text in (item.values.get("notes"), item.values.get("why"))


def realistic_state(device: str, seed: int) -> CaseState:
    """A realistic case, built like the design's benchmark case: 40 checklist items, 30
    records, 25 questions, 3 opinions with long text, 200 log entries (~140 kB on disk)."""
    rng = random.Random(seed)
    words = (
        "the patient reports pain biopsy margin stage lymph node surgery radiation follow up "
        "scan results suggest benign malignant"
    ).split()

    def text(n: int) -> str:
        return " ".join(rng.choice(words) for _ in range(n))

    def new_doc_id() -> str:
        return str(uuid.UUID(int=rng.getrandbits(128), version=4))

    ticks = iter(range(NOW, NOW + 10**9, 1000))
    clock = HybridClock(lambda: next(ticks))
    state, _ = new_case({"title": "Bench case", "condition": text(5)}, device, clock.now())
    devices = [device, PARTNER, "dddd77778888"]

    def add(table: str, values: dict) -> None:  # type: ignore[type-arg]
        nonlocal state
        write = Write(table, new_doc_id(), values)
        state = state.apply([write], rng.choice(devices), clock.now())

    for i in range(40):
        add("checklist", {"text": text(8), "phase": "preparing", "done": i % 2 == 0,
                          "notes": text(10), "order": float(i)})
    for _ in range(30):
        add("records", {"title": text(4), "kind": "labs", "date": "2026-01-02",
                        "source": text(3), "notes": text(15)})
    for i in range(25):
        add("questions", {"text": text(12), "category": "diagnosis", "order": float(i),
                          "why": text(10)})
    for _ in range(3):
        add("opinions", {"doctor": text(2), "diagnosis": text(200), "treatment": text(200),
                         "risks": text(100), "alternatives": text(100)})
    for _ in range(200):
        add("log", {"action": "edit", "summary": text(8)})
    return state


def test_validate_tables_refuses_a_state_without_exactly_one_case() -> None:
    devices = Devices()
    tables = copy.deepcopy(devices.state[LAPTOP].tables)
    assert replica_validation.validate_tables(tables) is tables
    tables["case"]["another"] = tables["case"][CASE]
    with pytest.raises(ReplicaError, match="no case document"):
        replica_validation.validate_tables(tables)


def test_items_are_listed_in_their_order_then_by_age() -> None:
    devices = Devices()
    a, b, c = new_id(), new_id(), new_id()
    for doc_id, order in ((a, 2.0), (b, 1.0), (c, 2.0)):
        devices.write(LAPTOP, "checklist", doc_id, {"text": doc_id[:4], "order": order})
    assert [i.id for i in devices.case(LAPTOP).checklist] == [b, a, c]
    log = devices.state[LAPTOP].log_sorted()
    assert [entry.changed_at for entry in log] == sorted(entry.changed_at for entry in log)


def test_a_medicare_answer_stored_as_true_or_false_by_older_versions_reads_as_yes_or_no() -> None:
    from secondview.core.content_rules import parse_rule

    for stored, answer in ((True, "yes"), (False, "no")):
        state, _ = new_case({"title": "Dad"}, "dev-a", "2026-01-01T00:00:00.000Z/0000")
        tables = copy.deepcopy(state.tables)
        doc = next(iter(tables["case"].values()))
        doc["medicare"] = [{**doc["title"][0], "v": stored}]
        assert replica_validation.validate_tables(tables) is tables  # not unreadable
        info = CaseState(tables).case().info
        assert info.medicare == answer and "medicare" not in info.conflicts
        # the content's steps for Medicare follow the answer, as for one typed today
        assert parse_rule({"medicare": True}).matches(info.values) is (answer == "yes")


def test_medicare_is_stored_as_older_versions_read_it():
    """Older versions hold Medicare as true/false and take any other value for a damaged
    file (the whole replica quarantined). Its answers are yes/no/unknown now: yes and no are
    still written as true and false, and "not known yet", the start of every case, is not
    written at all, so a device not yet updated reads every file this version writes."""
    from secondview.core.hybrid_clock import HybridClock
    from secondview.core.replica import new_case

    clock = HybridClock()
    state, case_id = new_case({"title": "Dad", "medicare": "unknown"}, "aaaaaaaaaaaa",
                              clock.now())
    assert "medicare" not in state.tables["case"][case_id]
    assert state.case().info.medicare == "unknown"  # a field never set reads as its default
    for answer, stored in (("yes", True), ("no", False)):
        state = state.apply([state.prepare("case", case_id, {"medicare": answer})],
                            "aaaaaaaaaaaa", clock.now())
        (entry,) = state.tables["case"][case_id]["medicare"]
        assert entry["v"] is stored
        assert state.case().info.values["medicare"] == answer
