"""The command line and the care team (cli/cases.py, core/care_team.py): ``add CASE opinion
doctor=NAME`` (and a transfer's ``recipient=NAME``) finds the doctor of the care team that
name names, spelled however, or makes one, and links the item by ``doctor_id``."""

from __future__ import annotations

from secondview.store.care_team_upgrade import UPGRADE_SUMMARY

from cli_kit import Cli, run  # noqa: F401 (run is a fixture)


def test_add_opinion_finds_or_makes_the_doctor(run: Cli) -> None:
    case_id = run.new("Dad - prostate")
    _, did, _ = run("add", case_id, "doctor", "name=Dr. Sarah Lin",
                    "institution=University Cancer Center", "phone=+1 555 0100")
    did = did.strip()
    _, oid, _ = run("add", case_id, "opinion", "doctor=sarah lin, MD", "order=2")
    _, other, _ = run("add", case_id, "opinion", "doctor=Dr. Marcus Webb (City Urology)",
                      "order=1")
    case = run.case(case_id)
    lin = case.find(oid.strip())
    assert lin.doctor_id == did and lin.doctor == "sarah lin, MD"
    webb = case.find(other.strip())
    made = case.find(webb.doctor_id)
    assert made is not None and made.table == "doctors"
    assert (made.name, made.institution) == ("Dr. Marcus Webb", "City Urology")
    assert len(case.doctors) == 2
    _, rid, _ = run("add", case_id, "record", "title=Biopsy report")
    _, tid, _ = run("add", case_id, "transfer", f"record={rid.strip()}",
                    "recipient=Dr Sarah Lin (University Cancer Center)")
    assert run.case(case_id).find(tid.strip()).doctor_id == did
    case = run.case(case_id)
    assert len(case.doctors) == 2
    # each add linked its item itself: opening the case found nothing left to upgrade
    assert UPGRADE_SUMMARY not in [entry.summary for entry in case.log]
