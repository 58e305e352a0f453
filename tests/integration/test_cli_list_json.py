"""``list --json`` and ``agenda --json`` for scripts: a weekly report needs no ``show --json``
per case and no copy of the 30-day rule (issue 18, point 4)."""

from __future__ import annotations

import datetime as dt
import json

from secondview.core import agenda

from cli_kit import Cli, run  # noqa: F401 (run is a fixture)


def _on(days: int) -> str:
    return (dt.date.today() + dt.timedelta(days=days)).isoformat()


def test_list_json_carries_overdue_next_visit_waiting_urgency_and_phase(run: Cli) -> None:
    garcia = run.new("Garcia, Maria", "--condition", "stenosis")
    quiet = run.new("Quiet case")
    _, rid, _ = run("add", garcia[:8], "record", "title=MRI lumbar spine")
    run("add", garcia[:8], "transfer", f"record={rid.strip()}", "recipient=Dr. Patel",
        f"requested_on={_on(-45)}", "request_kind=access")
    run("add", garcia[:8], "visit", f"date={_on(-2)}")  # gone by: not the next one
    run("add", garcia[:8], "visit", f"date={_on(5)}")
    run("add", garcia[:8], "checklist", "text=Call Maria about the MRI", f"due={_on(-3)}")
    run("set", garcia[:8], "urgency=soon")

    _, out, _ = run("list", "--json")
    rows = {row["id"]: row for row in json.loads(out)}
    row = rows[garcia]
    assert row["overdue"] == 1
    assert row["next_visit"] == _on(5)
    assert row["waiting_on_me"] >= 1 and row["late_for_me"] == 1
    assert row["waiting"]["office"] == 1  # the request, until the MRI arrives
    assert row["urgency"] == "soon" and row["phase"] == "preparing"
    # the keys scripts read before are still there
    assert {"title", "condition", "next_step", "records_total", "changed"} <= set(row)
    calm = rows[quiet]
    assert (calm["overdue"], calm["next_visit"], calm["late_for_me"]) == (0, None, 0)


def test_agenda_json_carries_each_overdue_transfer_with_its_record_and_rule(run: Cli) -> None:
    dad = run.new("Dad - prostate")
    _, rid, _ = run("add", dad[:8], "record", "title=Pathology report")
    ids = []
    for doctor in ("Dr. Lin", "Dr. Roe"):  # two late requests of one record
        _, tid, _ = run("add", dad[:8], "transfer", f"record={rid.strip()}",
                        f"recipient={doctor}", f"requested_on={_on(-40)}",
                        "request_kind=access")
        ids.append(tid.strip())
    run("add", dad[:8], "checklist", "text=Chase the surgeon's office", f"due={_on(-1)}")

    _, out, _ = run("agenda", "--json")
    data = json.loads(out)
    late = [d for d in data if d["kind"] == agenda.OVERDUE_REQUEST]
    assert sorted(d["transfer_id"] for d in late) == sorted(ids)  # one entry per transfer
    for entry in late:
        assert entry["record_title"] == "Pathology report"
        assert entry["item_id"] == rid.strip()
        assert "30 days the law allows" in entry["rule"]
        assert entry["days_waiting"] == 40 and entry["late"] is True
        assert entry["waiting_on"] == "office"
    [step] = [d for d in data if d["kind"] == agenda.STEP and "surgeon" in d["words"]]
    assert step["waiting_on"] == "me"
    assert "transfer_id" not in step and "rule" not in step
