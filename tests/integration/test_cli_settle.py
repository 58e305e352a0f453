"""Every value visible, every conflict settleable from a script: ``show`` lists each value of a
field two devices wrote at once, and ``secondview settle`` settles it as the conflict screen
does, for every device. In-process through ``main``, tmp folders only (see test_cli.py)."""

from __future__ import annotations

import json
import time

from secondview.core.hybrid_clock import HybridClock
from secondview.store.paths import Device
from secondview.store.repository import CaseRepository

from cli_kit import Cli, run  # noqa: F401 (run is the fixture)

PHONE = Device("b0b0b0b0b0b0", "phone")


def phone(run: Cli) -> CaseRepository:
    """Another device on the same cases folder, its clock a minute ahead: its writes are
    the latest, so value 1 is the phone's and value 2 this device's."""
    return CaseRepository(run.repo().paths, PHONE,
                          HybridClock(lambda: time.time_ns() // 1_000_000 + 60_000))


def conflict(run: Cli, case_id: str, table: str, doc_id: str, field: str,
             mine: str, theirs: str) -> str:
    """This device and the phone write ``field`` from the same version; this device's name."""
    here, other = run.repo(), phone(run)
    a, b = here.open(case_id), other.open(case_id)
    here.update(a, table, doc_id, {field: mine})
    other.update(b, table, doc_id, {field: theirs})
    assert (table, doc_id, field) in here.open(case_id).case.conflicts
    name = here.device.name
    here.close()
    other.close()
    return name


def case_conflict(run: Cli) -> tuple[str, str]:
    """A case whose condition two devices wrote at once: (case id, this device's name)."""
    case_id = run.new("Mum - knee", "--condition", "OA")
    return case_id, conflict(run, case_id, "case", case_id, "condition",
                             "knee osteoarthritis", "OA, right knee")


def record_of(run: Cli, case_id: str) -> str:
    _, out, _ = run("add", case_id, "record", "title=MRI report", "kind=imaging_report")
    return out.strip()


def register(run: Cli, case_id: str, table: str, doc_id: str, field: str) -> list[object]:
    repo = run.repo()
    try:
        return [e["v"] for e in repo.open(case_id).state.register(table, doc_id, field)]
    finally:
        repo.close()


def settled_on_the_phone(run: Cli, case_id: str) -> bool:
    other = phone(run)
    try:
        case = other.open(case_id).case
        return case.conflicts == () and case.races == ()
    finally:
        other.close()


# -- show --------------------------------------------------------------------------------------


def test_show_json_lists_every_value_with_its_device_and_time(run: Cli) -> None:
    case_id, me = case_conflict(run)
    _, out, _ = run("show", case_id, "--json")
    data = json.loads(out)
    (entry,) = data["conflicts"]
    assert (entry["table"], entry["id"], entry["field"]) == ("case", case_id, "condition")
    values = entry["values"]
    assert [v["value"] for v in values] == ["OA, right knee", "knee osteoarthritis"]
    assert [v["number"] for v in values] == [1, 2]
    assert [v["device_name"] for v in values] == ["phone", me]
    assert values[0]["device"] == PHONE.id and values[1]["device"] != PHONE.id
    assert all(v["at"] and v["changed"] for v in values)
    assert values[0]["at"] > values[1]["at"]
    # the item carries them too, and the keys scripts use are kept
    assert data["case"]["conflicts"] == ["condition"]
    assert data["case"]["conflict_values"]["condition"] == values


def test_plain_show_numbers_every_value_and_names_the_settle_command(run: Cli) -> None:
    case_id, me = case_conflict(run)
    _, out, _ = run("show", case_id)
    section = out[out.index("Unsettled conflicts"):]
    assert "field 'condition'" in section
    assert "1. OA, right knee" in section and "2. knee osteoarthritis" in section
    assert section.index("phone,") < section.index(f"{me},")
    assert f"secondview settle {case_id[:8]} condition --keep N" in section
    assert "settle them in the app)" not in section.splitlines()[0]


def test_check_and_sync_status_point_to_settle(run: Cli) -> None:
    case_id, _ = case_conflict(run)
    _, out, _ = run("check", ok=False)
    assert f"secondview settle {case_id[:8]} condition --keep N" in out
    _, out, _ = run("sync", "status")
    assert "secondview settle" in out


# -- settle ------------------------------------------------------------------------------------


def test_settle_keep_2_leaves_that_value_on_every_device_and_check_passes(run: Cli) -> None:
    case_id, _ = case_conflict(run)
    _, out, _ = run("settle", case_id[:8], "condition", "--keep", "2")
    assert "kept value 2 (knee osteoarthritis)" in out and "'Mum - knee'" in out
    assert register(run, case_id, "case", case_id, "condition") == ["knee osteoarthritis"]
    assert settled_on_the_phone(run, case_id)
    _, out, _ = run("check")
    assert "All 1 case is fine" in out
    _, out, _ = run("show", case_id, "--json")
    assert json.loads(out)["conflicts"] == []


def test_settle_value_writes_a_merged_text(run: Cli) -> None:
    case_id, _ = case_conflict(run)
    _, out, _ = run("settle", "Mum - knee", "condition", "--value",
                    "right knee osteoarthritis", "--json")
    data = json.loads(out)
    assert (data["action"], data["value"], data["unsettled"]) == (
        "value", "right knee osteoarthritis", 0)
    assert register(run, case_id, "case", case_id, "condition") == [
        "right knee osteoarthritis"]
    assert settled_on_the_phone(run, case_id)


def test_settle_a_conflict_on_an_item_field_named_by_the_start_of_its_id(run: Cli) -> None:
    case_id = run.new("Dad")
    record = record_of(run, case_id)
    me = conflict(run, case_id, "records", record, "title", "MRI report (knee)",
                  "MRI of the left knee")
    _, out, _ = run("show", case_id, "--json")
    (entry,) = json.loads(out)["conflicts"]
    assert [v["device_name"] for v in entry["values"]] == ["phone", me]
    _, out, _ = run("show", case_id)
    assert f"secondview settle {case_id[:8]} {record[:8]} title --keep N" in out
    _, out, _ = run("settle", case_id, record[:8], "title", "--keep", "1")
    assert "records" in out and "kept value 1 (MRI of the left knee)" in out
    assert register(run, case_id, "records", record, "title") == ["MRI of the left knee"]
    assert settled_on_the_phone(run, case_id)


def test_settle_the_decision(run: Cli) -> None:
    case_id = run.new("Dad")
    run("edit", case_id, "decision", "choice=Physio")
    conflict(run, case_id, "decision", case_id, "choice", "Physio first", "Surgery")
    _, out, _ = run("show", case_id)
    assert f"secondview settle {case_id[:8]} decision choice --keep N" in out
    run("settle", case_id, "decision", "choice", "--keep", "2")
    assert register(run, case_id, "decision", case_id, "choice") == ["Physio first"]


def race(run: Cli) -> tuple[str, str]:
    """The phone deletes a record while this device edits it: (case id, record id)."""
    case_id = run.new("Dad")
    record = record_of(run, case_id)
    here, other = run.repo(), phone(run)
    a, b = here.open(case_id), other.open(case_id)
    here.update(a, "records", record, {"title": "MRI report, both pages"})
    other.delete(b, "records", record)
    assert here.open(case_id).case.races == (("records", record),)
    here.close()
    other.close()
    return case_id, record


def test_a_raced_deletion_kept(run: Cli) -> None:
    case_id, record = race(run)
    _, out, _ = run("show", case_id)
    assert "edited on one device, deleted on another" in out
    assert f"secondview settle {case_id[:8]} {record[:8]} --keep-item" in out
    _, out, _ = run("settle", case_id, record, "--keep-item")
    assert out.startswith("Kept records")
    assert settled_on_the_phone(run, case_id)
    assert run.case(case_id).find(record).title == "MRI report, both pages"
    run("check")


def test_a_raced_deletion_deleted(run: Cli) -> None:
    case_id, record = race(run)
    _, out, _ = run("settle", case_id, record[:10], "--delete-item")
    assert out.startswith("Deleted records")
    assert settled_on_the_phone(run, case_id)
    assert all(r.id != record for r in run.case(case_id).records)
    run("check")


# -- errors ------------------------------------------------------------------------------------


def test_errors_are_one_line_and_exit_1(run: Cli) -> None:
    case_id, _ = case_conflict(run)
    record = record_of(run, case_id)
    cases = {
        ("condition", "--keep", "3"): "has 2 values; keep one of 1 to 2, not 3",
        ("condition", "--keep", "0"): "keep one of 1 to 2, not 0",
        ("title", "--keep", "1"): "the case's field 'title' has no conflict to settle",
        (record[:8], "title", "--keep", "1"): "no conflict to settle",
        (record[:8], "--keep-item"): "was not deleted on one device while edited on another",
        ("condition",): "one of the arguments --keep --value --keep-item --delete-item",
        ("condition", "--keep", "1", "--value", "x"): "not allowed with argument",
        ("nosuchfield", "--keep", "1"): "unknown field 'nosuchfield'",
        ("ffffffffff", "title", "--keep", "1"): "no item 'ffffffffff'",
        ("condition", "--value", "x", "--delete-item"): "not allowed with argument",
        (record[:8], "title", "x", "--keep", "1"): "expected [ITEM] FIELD",
        ("urgency", "--value", "whenever"): "the case's field 'urgency' has no conflict",
    }
    for words, message in cases.items():
        _, out, err = run("settle", case_id, *words, ok=False)
        assert out == "" and len(err.strip().splitlines()) == 1, (words, err)
        assert message in err, (words, err)
    run("settle", case_id, "condition", "--keep", "1")
    _, _, err = run("settle", case_id, "condition", "--keep", "1", ok=False)
    assert "'Mum - knee' has no unsettled conflicts" in err


def test_a_merged_value_is_checked_like_an_edit(run: Cli) -> None:
    case_id = run.new("Dad")
    conflict(run, case_id, "case", case_id, "urgency", "soon", "emergency")
    _, _, err = run("settle", case_id, "urgency", "--value", "whenever", ok=False)
    assert "routine, soon, emergency" in err
    _, _, err = run("settle", case_id, "urgency", "--value", "emergency")
    assert "Do not wait for a second opinion" in err  # as set and edit warn
    assert register(run, case_id, "case", case_id, "urgency") == ["emergency"]


def test_a_read_only_case_is_refused(run: Cli) -> None:
    case_id, _ = case_conflict(run)
    # the phone's file takes in both values, then this device's own file turns unreadable
    other = phone(run)
    other.update(other.open(case_id), "case", case_id, {"notes": "seen on the phone"})
    other.close()
    own = run.repo().own_file(case_id)
    own.write_bytes(b"not json")
    _, out, _ = run("show", case_id, "--json")
    assert json.loads(out)["conflicts"][0]["field"] == "condition"
    _, _, err = run("settle", case_id, "condition", "--keep", "1", ok=False)
    assert "read-only" in err
    assert own.read_bytes() == b"not json"
