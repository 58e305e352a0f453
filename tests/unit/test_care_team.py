"""The care team (core/care_team.py, store/care_team_upgrade.py): names typed by older
versions become doctor entries when a case is opened; two devices doing that apart end with
the same doctors and no conflict; transfers and opinions are read through the doctor's id."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from secondview.core import care_team
from secondview.core.replica import CaseState, Write, new_case
from secondview.store.paths import Device, Paths
from secondview.store.repository import CaseRepository, OpenCase

TODAY = dt.date(2026, 12, 6)
DESK = Device("aaaaaaaaaaaa", "desk", "desk-install")
LAPTOP = Device("bbbbbbbbbbbb", "laptop", "laptop-install")

LIN_AT = "Dr. Sarah Lin (University Cancer Center)"
LIN = "Dr. Sarah Lin"
RECORDS = ("r1", "r2", "r3", "r4")


def repo_for(root: Path, name: str, device: Device, cases: Path) -> CaseRepository:
    paths = Paths(cases, root / name / "data", root / name / "cache", root / name / "config")
    return CaseRepository(paths, device, None, TODAY)


def old_writes() -> list[Write]:
    """What an older version wrote: doctors only as text."""
    writes = [Write("records", f"{r}-0000", {"title": f"Record {r}", "kind": "pathology"})
              for r in RECORDS]
    recipients = (LIN_AT, LIN_AT, LIN_AT, LIN)
    writes += [Write("transfers", f"t{n}-0000", {"record": f"{r}-0000", "recipient": who,
                                                  "state": "requested"})
               for n, (r, who) in enumerate(zip(RECORDS, recipients, strict=True))]
    writes += [
        Write("opinions", "o1-0000", {"doctor": "Dr. Marcus Webb", "order": 1,
                                      "specialty": "Urology"}),
        Write("opinions", "o2-0000", {"doctor": "dr sarah lin, MD", "order": 2,
                                      "specialty": "Radiation oncology"}),
    ]
    return writes


def test_name_key_and_split() -> None:
    assert care_team.split_name(LIN_AT) == ("Dr. Sarah Lin", "University Cancer Center")
    assert care_team.split_name("  Dr  Lin ") == ("Dr Lin", "")
    assert care_team.split_name("(Records office)") == ("(Records office)", "")
    assert care_team.name_key(LIN_AT) == care_team.name_key(LIN) == "sarah lin"
    assert care_team.name_key("sarah lin, MD") == "sarah lin"
    assert care_team.name_key("Prof. SARAH   LIN") == "sarah lin"
    assert care_team.name_key("Dr. Marcus Webb") != care_team.name_key(LIN)
    # Do is a family name as well as a degree: two doctors are never taken for one
    assert care_team.name_key("Dr. Minh Do") == "minh do" != care_team.name_key("Dr. Minh")
    assert care_team.name_key("  ") == ""


def test_derived_id_is_stable_and_per_case() -> None:
    a = care_team.derived_id("case-1", "sarah lin")
    assert a == care_team.derived_id("case-1", "sarah lin")
    assert a != care_team.derived_id("case-2", "sarah lin")
    assert a == a.lower() and len(a) == 36


def test_equal_values_written_apart_do_not_conflict() -> None:
    """core/registers keeps two concurrent writes of one value as two entries; the typed
    case reads them as one value without a conflict (what the upgrade relies on)."""
    state, case_id = new_case({"title": "x"}, "dev1", "0001")
    a = state.apply([Write("doctors", "d", {"name": "Lin"})], "dev1", "0002")
    b = state.apply([Write("doctors", "d", {"name": "Lin"})], "dev2", "0003")
    merged = a.merge(b)
    assert len(merged.register("doctors", "d", "name")) == 2
    assert merged.case().conflicts == ()
    c = state.apply([Write("doctors", "d", {"name": "Lyn"})], "dev2", "0003")
    assert a.merge(c).case().conflicts == (("doctors", "d", "name"),)


def test_upgrade_links_every_name_of_one_doctor() -> None:
    state, case_id = new_case({"title": "Prostate"}, "dev1", "0001")
    state = state.apply(old_writes(), "dev1", "0002")
    writes = care_team.upgrade_writes(state)
    upgraded = state.apply(writes, "dev1", "0003")
    case = upgraded.case()
    assert sorted(d.name for d in case.doctors) == ["Dr. Marcus Webb", "Dr. Sarah Lin"]
    lin = care_team.derived_id(case_id, "sarah lin")
    doctor = next(d for d in case.doctors if d.id == lin)
    assert doctor.institution == "University Cancer Center"
    assert doctor.role == "second" and doctor.specialty == "Radiation oncology"
    assert {t.doctor_id for t in case.transfers} == {lin}
    assert len(care_team.transfers_of(case, lin)) == 4
    assert care_team.upgrade_writes(upgraded) == []


def test_names_are_read_through_the_id() -> None:
    state, case_id = new_case({"title": "Prostate"}, "dev1", "0001")
    state = state.apply(old_writes(), "dev1", "0002")
    before = state.case()
    lin = care_team.derived_id(case_id, "sarah lin")
    # before the upgrade is written, text already names the doctor it will name
    assert len(care_team.transfers_of(before, lin)) == 4
    state = state.apply(care_team.upgrade_writes(state), "dev1", "0003")
    state = state.apply([Write("doctors", lin, {"name": "Sarah Lin, MD"})], "dev1", "0004")
    transfer = state.case().transfers[0]
    assert care_team.doctor_name(state.case(), transfer) == "Sarah Lin, MD"
    state = state.apply([state.prepare("doctors", lin, delete=True)], "dev1", "0005")
    transfer = state.case().transfers[0]
    assert care_team.doctor_name(state.case(), transfer) == care_team.DOCTOR_REMOVED


def _case_on_desk(tmp_path: Path) -> tuple[str, Path]:
    """An older version's case (doctors as text), made on the desk in ``cases``."""
    cases = tmp_path / "cases"
    state, case_id = new_case({"title": "Prostate"}, DESK.id, "0001")
    state = state.apply(old_writes(), DESK.id, "0002")
    repo_for(tmp_path, "desk", DESK, cases).create_from(case_id, state)
    return case_id, cases


def test_two_devices_upgrading_apart_end_with_the_same_doctors(tmp_path: Path) -> None:
    case_id, cases = _case_on_desk(tmp_path)
    apart = tmp_path / "laptop-cases"
    shutil.copytree(cases, apart)  # the laptop has the same files, then no sync for a while
    desk = repo_for(tmp_path, "desk", DESK, cases)
    laptop = repo_for(tmp_path, "laptop", LAPTOP, apart)
    on_desk = desk.open(case_id)
    on_laptop = laptop.open(case_id)
    assert len(on_desk.case.doctors) == len(on_laptop.case.doctors) == 2
    assert {d.id for d in on_desk.case.doctors} == {d.id for d in on_laptop.case.doctors}
    # sync: the laptop's replica reaches the desk's folder and the desk's the laptop's
    shutil.copy2(apart / case_id / f"{LAPTOP.id}.json", cases / case_id)
    shutil.copy2(cases / case_id / f"{DESK.id}.json", apart / case_id)
    for repo in (desk, laptop):
        merged: OpenCase = repo.open(case_id)
        case = merged.case
        assert len(case.doctors) == 2
        assert case.conflicts == ()
        lin = care_team.derived_id(case_id, "sarah lin")
        assert len(care_team.transfers_of(case, lin)) == 4
        assert {t.doctor_id for t in case.transfers} == {lin}
        # both devices wrote the same values: the merged state has nothing left to upgrade
        assert care_team.upgrade_writes(merged.state) == []


def test_open_writes_the_upgrade_once(tmp_path: Path) -> None:
    case_id, cases = _case_on_desk(tmp_path)
    desk = repo_for(tmp_path, "desk", DESK, cases)
    first = desk.open(case_id)
    logs = len(first.case.log)
    again = desk.open(case_id)
    assert len(again.case.log) == logs
    assert again.case.doctors == first.case.doctors
    assert isinstance(again.state, CaseState)


def test_matching_doctors_fits_a_few_letters() -> None:
    from secondview.core.model import Item

    def doctor(i: str, name: str, place: str = "") -> Item:
        return Item("doctors", i, {"name": name, "institution": place})

    team = [doctor("1", "Dr. Sarah Lin", "University Cancer Center"),
            doctor("2", "Dr. Marcus Webb", "Riverside Urology"),
            doctor("3", "Linda Park")]
    names = lambda typed: [d.name for d in care_team.matching_doctors(team, typed)]  # noqa: E731
    assert names("") == ["Dr. Marcus Webb", "Dr. Sarah Lin", "Linda Park"]
    assert names("lin") == ["Linda Park", "Dr. Sarah Lin"]  # the start of the text first
    assert names("slin") == ["Dr. Sarah Lin"]  # letters in order
    assert names("river") == ["Dr. Marcus Webb"]  # the institution
    assert names("xyz") == []


def test_the_demo_case_has_its_care_team(tmp_path: Path) -> None:
    from secondview.demo import build_demo
    from secondview.store.care_team_upgrade import UPGRADE_SUMMARY

    repo = repo_for(tmp_path, "desk", DESK, tmp_path / "cases")
    case = repo.open(build_demo(repo).case_id).case
    roles = {d.role for d in case.doctors}
    assert {"first", "second", "primary_care"} <= roles
    assert all(o.doctor_id for o in case.opinions) and all(t.doctor_id for t in case.transfers)
    assert all(care_team.doctor_of(case, o) is not None for o in case.opinions)
    # written linked: opening it has nothing to upgrade
    assert UPGRADE_SUMMARY not in [entry.summary for entry in case.log]


def test_listing_and_checking_cases_write_no_upgrade(tmp_path: Path) -> None:
    """Only opening a case to use it writes the upgrade: the list's refresh, the check and
    the sync status read every case and leave the files as they are (names read through
    the ids they will get meanwhile)."""
    from secondview.store import sync
    from secondview.store.case_check import check

    case_id, cases = _case_on_desk(tmp_path)
    desk = repo_for(tmp_path, "desk", DESK, cases)
    own = cases / case_id / f"{DESK.id}.json"
    before = own.read_bytes()
    desk.refresh()
    check(desk)
    sync.status(desk)
    assert own.read_bytes() == before
    assert len(desk.open(case_id).case.doctors) == 2
    assert own.read_bytes() != before
