"""`secondview export CASE --ics FILE`: the case's visits and deadlines as a calendar file,
0600, never replacing a file without --force, the same UIDs on every export (issue 13)."""

from __future__ import annotations

import datetime as dt
import stat

import icalendar

from cli_kit import Cli, run  # noqa: F401 (run is a fixture)


def _case(run: Cli) -> str:  # noqa: F811 (the fixture)
    case_id = run.new("Dad - prostate cancer")
    _, doctor, _ = run("add", case_id, "doctor", "name=Dr. Sarah Lin")
    visit_day = (dt.date.today() + dt.timedelta(days=10)).isoformat()
    run("add", case_id, "visit", f"doctor_id={doctor.strip()}", f"date={visit_day}",
        "time=14:30", "zone=America/Chicago", "place=University Cancer Center")
    _, record, _ = run("add", case_id, "record", "title=Pathology slides")
    asked = (dt.date.today() - dt.timedelta(days=3)).isoformat()
    run("add", case_id, "transfer", f"record={record.strip()}", "recipient=Dr. Sarah Lin",
        f"requested_on={asked}")
    return case_id


def _uids(data: bytes) -> list[str]:
    return sorted(str(e["uid"]) for e in icalendar.Calendar.from_ical(data).walk("VEVENT"))


def test_export_ics_writes_a_private_calendar_that_updates_on_the_next_export(run, tmp_path):  # noqa: F811
    case_id = _case(run)
    target = tmp_path / "visits.ics"
    _, out, _ = run("export", case_id, "--ics", str(target))
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    first = target.read_bytes()
    summaries = [str(e["summary"]) for e in icalendar.Calendar.from_ical(first).walk("VEVENT")]
    # the visit, the deadline, and the new case's checklist steps the visit sets a day for
    assert f"Wrote {len(summaries)} calendar entries" in out
    assert "Visit with Dr. Sarah Lin (Dad - prostate cancer)" in summaries
    assert any(s.startswith("Deadline: 'Pathology slides'") for s in summaries)
    _, _, err = run("export", case_id, "--ics", str(target), ok=False)
    assert "--force" in err
    assert target.read_bytes() == first
    run("export", case_id, "--ics", str(target), "--force")
    assert _uids(target.read_bytes()) == _uids(first)


def test_export_ics_goes_alone(run, tmp_path):  # noqa: F811
    case_id = _case(run)
    _, _, err = run("export", case_id, "--ics", str(tmp_path / "x.ics"), "--what", "brief",
                    ok=False)
    assert "--what" in err
    assert not (tmp_path / "x.ics").exists()
