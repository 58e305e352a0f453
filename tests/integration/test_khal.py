"""The calendar file read by a real calendar program no one here wrote: khal (issue 13).

The command line exports a case's calendar (``export CASE --ics``); khal imports it into a
calendar kept in a temporary HOME, and ``khal list`` must show the visit at the right local
time (the visit is at 14:30 in Chicago; khal's local zone is Berlin) and the record
request's deadline on its day. Exported twice and imported twice, nothing shows twice: the
UIDs are stable, so the second import updates the first.

khal is a Debian package: when missing, the set-up installs it with apt-get as root
(``apt_kit``); otherwise the test is skipped with the reason, except under CI=true, where a
khal that cannot be installed fails the run.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import zoneinfo
from pathlib import Path

import pytest

from apt_kit import apt_install
from cli_kit import Cli, run  # noqa: F401 (run is a fixture)

INSTALL_SECONDS = 900
LOCAL_ZONE = "Europe/Berlin"
PLACE_ZONE = "America/Chicago"


def _khal_binary() -> str:
    why = apt_install(["khal"], lambda: shutil.which("khal") is not None, INSTALL_SECONDS)
    found = shutil.which("khal")
    if found and not why:
        return found
    if os.environ.get("CI") == "true":
        pytest.fail(f"khal is needed and could not be installed: {why}")
    print(f"skipping the khal test: {why}")
    pytest.skip(why)


class Khal:
    """khal with its own HOME, configuration and calendar folder under ``root``."""

    def __init__(self, binary: str, root: Path) -> None:
        self.binary = binary
        home = root / "home"
        self.calendar = home / "calendars" / "secondview"
        self.calendar.mkdir(parents=True)
        config = home / ".config" / "khal" / "config"
        config.parent.mkdir(parents=True)
        config.write_text(
            "[calendars]\n"
            "[[secondview]]\n"
            f"path = {self.calendar}\n"
            "type = calendar\n"
            "[locale]\n"
            "timeformat = %H:%M\n"
            "dateformat = %Y-%m-%d\n"
            "longdateformat = %Y-%m-%d\n"
            "datetimeformat = %Y-%m-%d %H:%M\n"
            "longdatetimeformat = %Y-%m-%d %H:%M\n"
            f"local_timezone = {LOCAL_ZONE}\n"
            f"default_timezone = {LOCAL_ZONE}\n"
            "[default]\n"
            "default_calendar = secondview\n",
            encoding="utf-8",
        )
        self.env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(home),
            "XDG_CONFIG_HOME": str(home / ".config"),
            "XDG_DATA_HOME": str(home / ".local" / "share"),
            "LANG": "C.UTF-8",
            "TZ": LOCAL_ZONE,
        }

    def __call__(self, *args: str) -> str:
        done = subprocess.run([self.binary, *args], env=self.env, capture_output=True,
                              text=True, timeout=120, check=False, stdin=subprocess.DEVNULL)
        assert done.returncode == 0, (args, done.stdout, done.stderr)
        return done.stdout

    def listed(self, start: dt.date, days: int) -> list[str]:
        shown = self("list", "--day-format", "", "--format", "{start} {title}",
                     start.isoformat(), f"{days}d")
        return [line.strip() for line in shown.splitlines() if line.strip()]


def test_khal_shows_the_visit_at_local_time_and_the_deadline_on_its_day(run, tmp_path):  # noqa: F811
    khal = Khal(_khal_binary(), tmp_path)
    today = dt.date.today()
    visit_day = today + dt.timedelta(days=10)
    asked = today - dt.timedelta(days=3)
    case_id = run.new("Dad - prostate cancer")
    _, doctor, _ = run("add", case_id, "doctor", "name=Dr. Sarah Lin")
    run("add", case_id, "visit", f"doctor_id={doctor.strip()}", f"date={visit_day}",
        "time=14:30", f"zone={PLACE_ZONE}", "place=University Cancer Center")
    _, record, _ = run("add", case_id, "record", "title=Pathology slides")
    run("add", case_id, "transfer", f"record={record.strip()}", "recipient=Dr. Sarah Lin",
        f"requested_on={asked}")

    from secondview.core import record_requests

    case = run.case(case_id)
    deadline = record_requests.deadline(case, case.transfers[0])
    assert deadline is not None
    local = dt.datetime.combine(visit_day, dt.time(14, 30), zoneinfo.ZoneInfo(PLACE_ZONE)) \
        .astimezone(zoneinfo.ZoneInfo(LOCAL_ZONE))

    exported = tmp_path / "case.ics"
    for round_ in range(2):  # export twice, import twice
        force = ("--force",) if round_ else ()
        run("export", case_id, "--ics", str(exported), *force)
        khal("import", "--batch", "-a", "secondview", str(exported))

    lines = khal.listed(asked, 60)
    visit = f"{local:%Y-%m-%d %H:%M} Visit with Dr. Sarah Lin (Dad - prostate cancer)"
    due = f"{deadline:%Y-%m-%d} Deadline: 'Pathology slides' for Dr. Sarah Lin"
    assert lines.count(visit) == 1, lines
    assert [line for line in lines if line.startswith(due)] == [
        f"{due} (Dad - prostate cancer)"], lines
    # nothing twice: one line, and one file in khal's calendar, per entry of the export
    # (the visit, the deadline, and the checklist steps the visit sets a day for)
    entries = exported.read_bytes().count(b"BEGIN:VEVENT")
    assert len(lines) == len(set(lines)) == entries, lines
    assert len(list(khal.calendar.iterdir())) == entries
