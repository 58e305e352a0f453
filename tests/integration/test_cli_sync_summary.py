"""``secondview sync status`` ends with one line that sums up every case (issue 18); with
``--json``, a ``summary`` object holds the same facts as fields."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import pytest

from secondview.cli.sync import status_summary
from secondview.core.hybrid_clock import format_stamp
from secondview.store.open_case import Problem
from secondview.store.sync_status import CaseSync, DeviceSeen

from cli_kit import Cli, run  # noqa: F401 (run is a fixture)

NOW = dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.UTC)


def _stamp(days_ago: int) -> str:
    return format_stamp(int((NOW - dt.timedelta(days=days_ago)).timestamp() * 1000), 0)


def _case(n: int, devices: tuple[DeviceSeen, ...], **more: object) -> CaseSync:
    return CaseSync(f"case-{n}", f"Case {n}", devices, (), (), (), **more)  # type: ignore[arg-type]


HERE = DeviceSeen("d1", "desk", _stamp(90), this_device=True)
PHONE = DeviceSeen("p1", "phone", _stamp(45))
LAPTOP = DeviceSeen("l1", "laptop", _stamp(1))


def test_the_summary_counts_cases_by_how_they_stand_and_names_silent_devices() -> None:
    rows = [
        _case(1, (HERE, PHONE)),
        _case(2, (HERE, LAPTOP)),
        CaseSync("case-3", "Case 3", (HERE, LAPTOP), (("case", "case-3", "notes"),), (), ()),
        CaseSync("case-4", "Case 4", (HERE,), (), (), ("d1.sync-conflict-x.json",)),
        _case(5, (), error="cannot be read"),
        _case(6, (HERE,), read_only="a newer version wrote it"),
    ]
    assert status_summary(rows, NOW) == (
        "6 cases: 2 in step, 1 with conflicts to settle, 1 with copies waiting, 1 read-only "
        "here, 1 that cannot be read; 3 devices, 1 not heard from for 30 days or more (phone)")
    # the phone wrote lately to another case: heard from
    late = DeviceSeen("p1", "phone", _stamp(2))
    assert status_summary([*rows[:1], _case(7, (HERE, late))], NOW) == (
        "2 cases: 2 in step; 2 devices")
    assert status_summary([_case(1, (HERE,))], NOW) == "1 case: in step; 1 device"


def test_sync_status_ends_with_the_summary(run: Cli) -> None:
    calm = run.new("Calm case")
    copied = run.new("Copied case")
    folder = run.root / "cases" / copied
    (own,) = os.listdir(folder)
    Path(folder, f"{own[:-5]}.sync-conflict-20261121-101010-ABCDEFG.json").write_bytes(
        Path(folder, own).read_bytes())
    _, out, _ = run("sync", "status")
    assert calm[:8] in out
    assert out.splitlines()[-1] == "2 cases: 1 in step, 1 with copies waiting; 1 device"


def test_the_summary_facts_are_the_ones_the_line_states() -> None:
    from secondview.store.sync_status import summarize  # new with the facts as fields

    syncing = Problem(Path("d1.json"), "it waits for its part files/0a1b…", waiting=True)
    rows = [
        _case(1, (HERE, PHONE)),
        CaseSync("case-3", "Case 3", (HERE, LAPTOP), (), (("records", "r1"),), ()),
        _case(5, (), error="cannot be read"),
        _case(6, (HERE,), problems=(syncing,)),
    ]
    facts = summarize(rows, NOW)
    assert (facts.cases, facts.in_step, facts.with_conflicts, facts.unreadable) == (4, 1, 1, 1)
    assert (facts.with_copies_waiting, facts.read_only, facts.with_unreadable_files) == (0, 0, 0)
    assert facts.with_files_syncing == 1  # waiting for a part: nothing to mend
    assert facts.devices == 3 and facts.silent_days == 30
    assert facts.silent_devices == (("p1", "phone", PHONE.last_wrote),)
    assert status_summary(rows, NOW) == (
        "4 cases: 1 in step, 1 with conflicts to settle, 1 that cannot be read, 1 with files "
        "still syncing; 3 devices, 1 not heard from for 30 days or more (phone)")


def test_sync_status_json_ends_with_the_summary_as_fields(
        run: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    knee = run.new("Knee")
    copied = run.new("Shoulder")
    # another device (its own data, cache and config folders, the same cases) edits the knee
    laptop = run.root / "laptop"
    (laptop / "config").mkdir(parents=True)
    (laptop / "config" / "config.yaml").write_text("device_name: laptop\n")
    with monkeypatch.context() as m:
        for kind in ("DATA", "CACHE", "CONFIG"):
            m.setenv(f"SECONDVIEW_{kind}_DIR", str(laptop / kind.lower()))
        run("set", knee, "condition=meniscus")
    folder = run.root / "cases" / copied
    (own,) = os.listdir(folder)
    Path(folder, f"{own[:-5]}.sync-conflict-20261121-101010-ABCDEFG.json").write_bytes(
        Path(folder, own).read_bytes())
    _, out, _ = run("sync", "status", "--json")
    data = json.loads(out)
    assert {d["name"] for case in data["cases"] for d in case["devices"]} >= {"laptop"}
    assert data["summary"] == {
        "cases": 2, "in_step": 1, "with_conflicts": 0, "with_copies_waiting": 1,
        "read_only": 0, "with_unreadable_files": 0, "unreadable": 0, "with_files_syncing": 0,
        "devices": 2, "silent_days": 30, "silent_devices": [],
    }
    _, text, _ = run("sync", "status")
    assert text.splitlines()[-1] == "2 cases: 1 in step, 1 with copies waiting; 2 devices"
