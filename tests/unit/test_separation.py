"""core.separation without the store: two installs' writes under one id told apart in memory.

The algorithm takes this install's identity as plain values (``Identity``: any object with an
id, a name, an install nonce and retired ids), files as ``Parsed`` and returns the merged,
relabelled tables; no file is read or written. The store's use of it (files, device.json, the
kept copy) is tested in test_sync.py and test_twin_installs.py.
"""

from __future__ import annotations

from dataclasses import dataclass

from secondview.core.hybrid_clock import HybridClock
from secondview.core.install_record import Journal, Kept, strangers
from secondview.core.replica import CaseState, Write, new_case
from secondview.core.separation import (
    Origin,
    Parsed,
    collides,
    derived_id,
    last_write_number,
    recorded_renames,
    relabel,
    separate,
    shared_horizon,
)

OLD = "aaaaaaaaaaaa"


@dataclass(frozen=True)
class Me:
    id: str
    name: str
    install: str
    retired: tuple[str, ...] = ()


def edit(state: CaseState, device: str, clock: HybridClock, notes: str) -> CaseState:
    write = state.prepare("case", state.case().id, {"notes": notes})
    return state.apply([write, Write("log", f"log-{notes}", {"action": "edit"})], device,
                       clock.now())


def test_two_installs_writing_under_one_id_are_told_apart_and_nothing_is_lost() -> None:
    clock = HybridClock()
    shared, case_id = new_case({"title": "Knee"}, OLD, clock.now())
    ours = edit(shared, OLD, clock, "ours")
    theirs = edit(shared, OLD, clock, "theirs")
    assert collides(ours.tables, theirs.tables, OLD)  # one dot, two different writes
    horizon = shared_horizon(ours.tables, theirs.tables, OLD)
    assert horizon == last_write_number(shared.tables, OLD) < last_write_number(ours.tables, OLD)

    me = Me(OLD, "desk", "nonce-mine")
    files = [Parsed(f"{OLD}.json", Origin(OLD, "desk", "nonce-mine"), ours.tables),
             Parsed("copy.json", Origin(OLD, "desk", "nonce-other"), theirs.tables)]
    told = separate(files, me)
    assert told is not None and told.new_id and told.new_id != OLD
    label = derived_id(OLD, "nonce-other")
    assert told.suspects == ("copy.json",)
    assert told.names[label] == "desk (another install)"
    merged = CaseState(told.tables)
    values = sorted(e["v"] for e in merged.register("case", case_id, "notes"))
    assert values == ["ours", "theirs"]  # a conflict the user settles, nothing dropped
    assert {(r.old, r.key) for r in told.renames} >= {(OLD, "nonce-other")}
    assert set(recorded_renames([merged.apply([r.write() for r in told.renames], "dddddddddddd",
                                              clock.now()).tables])) >= {(OLD, "nonce-other")}


def test_one_writer_alone_is_left_as_it_is() -> None:
    clock = HybridClock()
    state, _ = new_case({"title": "Knee"}, OLD, clock.now())
    me = Me(OLD, "desk", "nonce-mine")
    assert separate([Parsed(f"{OLD}.json", Origin(OLD, "desk", "nonce-mine"), state.tables)],
                    me) is None


def test_relabel_moves_only_writes_after_the_horizon() -> None:
    clock = HybridClock()
    state, case_id = new_case({"title": "Knee"}, OLD, clock.now())
    horizon = last_write_number(state.tables, OLD)
    later = edit(state, OLD, clock, "later")
    moved = relabel(later.tables, OLD, horizon, "label000000a")
    assert last_write_number(moved, OLD) == horizon
    assert last_write_number(moved, "label000000a") == last_write_number(later.tables, OLD)
    assert CaseState(moved).case().info.notes == "later"


def test_a_journal_tells_a_write_this_install_did_not_make() -> None:
    clock = HybridClock()
    state, _ = new_case({"title": "Knee"}, OLD, clock.now())
    start = last_write_number(state.tables, OLD)
    mine = edit(state, OLD, clock, "mine")
    journal = Journal(start, {start + 1: "log-mine"})
    assert not strangers(journal, mine.tables, OLD)
    twin = edit(state, OLD, clock, "twin")
    assert strangers(journal, twin.tables, OLD)
    assert Kept(b"abc").digest == Kept(b"abc").digest != Kept(b"abd").digest


def test_the_usual_open_does_not_hash_the_kept_copy(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # The kept copy's hash names this install's writes in a case's record of renamings; a
    # case that records none has nothing to look it up in, and the hash of a whole replica
    # is a cost every open of the case would pay.
    clock = HybridClock()
    state, _ = new_case({"title": "Knee"}, OLD, clock.now())
    start = last_write_number(state.tables, OLD)
    mine = edit(state, OLD, clock, "mine")
    hashed: list[bytes] = []
    digest = Kept.digest

    def counted(kept: Kept) -> str:
        hashed.append(kept.raw)
        return digest.fget(kept)  # type: ignore[attr-defined,no-any-return]

    monkeypatch.setattr(Kept, "digest", property(counted))
    kept = Kept(b"the bytes this install last wrote",
                {OLD: Journal(start, {start + 1: "log-mine"})})
    me = Me(OLD, "desk", "nonce-mine")
    files = [Parsed(f"{OLD}.json", Origin(OLD, "desk", "nonce-mine"), mine.tables, b"other"),
             Parsed("bbbbbbbbbbbb.json", Origin("bbbbbbbbbbbb", "phone", "n2"), state.tables)]
    assert separate(files, me, None, kept) is None
    assert hashed == []
