"""``secondview agenda``: what is due across every case, as text and as JSON."""

from __future__ import annotations

import datetime as dt
import json

from secondview.core import agenda, progress

from cli_kit import Cli, run  # noqa: F401 (run is a fixture)


def _on(days: int) -> str:
    return (dt.date.today() + dt.timedelta(days=days)).isoformat()


def test_agenda_lists_every_case_by_date_and_json_names_the_overdue_rule(run: Cli) -> None:
    dad = run.new("Dad - prostate")
    mum = run.new("Mum - hip")
    _, rid, _ = run("add", dad[:8], "record", "title=Pathology slides")
    _, tid, _ = run("add", dad[:8], "transfer", f"record={rid.strip()}",
                    "recipient=Dr. Sarah Lin", f"requested_on={_on(-45)}")
    _, vid, _ = run("add", mum[:8], "visit", f"date={_on(3)}", "time=09:30",
                    "zone=Europe/Paris", "place=Hopital Cochin")
    _, cid, _ = run("add", mum[:8], "checklist", "text=Sign the release", f"due={_on(20)}")

    _, out, _ = run("agenda")
    lines = out.splitlines()
    assert len(lines) == 2, out
    assert lines[0].startswith(_on(-45)) and "Pathology slides" in lines[0]
    assert "late" in lines[0] and "Dad - prostate" in lines[0]
    assert lines[1].startswith(f"{_on(3)} 09:30") and "Mum - hip" in lines[1]

    _, out, _ = run("agenda", "--days", "30", "--json")
    data = json.loads(out)
    assert [(d["kind"], d["item_id"], d["case_id"]) for d in data] == [
        (agenda.OVERDUE_REQUEST, rid.strip(), dad),
        (agenda.VISIT, vid.strip(), mum),
        (agenda.STEP, cid.strip(), mum),
    ]
    late = data[0]
    assert late["record_title"] == "Pathology slides" and late["late"] is True
    case = run.case(dad)
    [overdue] = progress.overdue_transfers(case, dt.date.today())
    assert late["rule"] == agenda.rule_words(overdue) and late["rule"]
    assert late["pane"] == "records" and late["date"] == _on(-45)
    assert "rule" not in data[1] and data[1]["time"] == "09:30 Europe/Paris"
    assert case.find(tid.strip()) is not None


def test_agenda_leaves_archived_cases_out_and_says_when_nothing_is_due(run: Cli) -> None:
    _, out, _ = run("agenda")
    assert out.startswith("Nothing due in the next 14 days")
    case = run.new("Dad - prostate")
    run("add", case[:8], "checklist", "text=Sign the release", f"due={_on(1)}")
    assert "Sign the release" in run("agenda")[1]
    run("archive", case[:8])
    assert json.loads(run("agenda", "--json")[1]) == []


def test_agenda_refuses_a_bad_number_of_days(run: Cli) -> None:
    _, _, err = run("agenda", "--days", "-3", ok=False)
    assert "days must be from 0" in err
    _, _, err = run("agenda", "--days", "soon", ok=False)
    assert "not a whole number of days" in err


def test_agenda_ics_writes_every_case_s_entries_under_the_case_export_s_uids(
        run: Cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    dad = run.new("Dad - prostate")
    mum = run.new("Mum - hip")
    _, rid, _ = run("add", dad[:8], "record", "title=Pathology slides")
    _, tid, _ = run("add", dad[:8], "transfer", f"record={rid.strip()}",
                    "recipient=Dr. Sarah Lin", f"requested_on={_on(-45)}")
    _, vid, _ = run("add", mum[:8], "visit", f"date={_on(3)}", "time=09:30",
                    "zone=Europe/Paris", "place=Hopital Cochin")
    target = tmp_path / "agenda.ics"

    _, out, _ = run("agenda", "--ics", str(target))
    assert "from 2 cases" in out
    text = target.read_text().replace("\n ", "")  # iCalendar folds lines at 75 octets
    assert target.stat().st_mode & 0o777 == 0o600
    assert f"UID:{dad}-transfers-{tid.strip()}@" in text
    assert f"UID:{mum}-appointments-{vid.strip()}@" in text
    assert "TZID=Europe/Paris:" in text and "T093000" in text

    _, _, err = run("agenda", "--ics", str(target), ok=False)
    assert "already exists" in err and "--force" in err
    run("agenda", "--ics", str(target), "--force")
    again = target.read_text().replace("\n ", "")
    assert again.count(f"{mum}-appointments-{vid.strip()}") == 1
