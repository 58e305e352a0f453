"""CaseRepository against a real cases folder: bad files, sync tools, two devices, the index.

Every test works in its own tmp folders (cases, data, cache, config): see the ``paths``
fixture. Two devices are two CaseRepository objects with different Device ids over one cases
folder, as two machines look to each other through a sync tool.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import sqlite3
import stat
from pathlib import Path

import pytest

from secondview.core import model
from secondview.store import replica_db as replica_db_module
from secondview.store import repository as repository_module
from secondview.store.case_check import check
from secondview.store.case_index import summarise
from secondview.store.paths import Device, Paths
from secondview.store.repository import (
    CaseError,
    CaseNotFound,
    CaseRepository,
    OpenCase,
    ReadOnlyCase,
)
from secondview.store.storage import Stamp, parse_replica, read_bytes

TODAY = dt.date(2026, 11, 21)
DESK = Device("aaaaaaaaaaaa", "desk")
LAPTOP = Device("bbbbbbbbbbbb", "laptop")
PHONE = Device("cccccccccccc", "phone")


def make_repo(paths: Paths, device: Device) -> CaseRepository:
    return CaseRepository(paths, device, today=TODAY)


@pytest.fixture
def desk(paths: Paths):
    repo = make_repo(paths, DESK)
    yield repo
    repo.close()


def elsewhere(paths: Paths, name: str) -> Paths:
    """Another device's view: the same (synced) cases folder, its own local folders."""
    local = paths.data_dir.parent / name
    return Paths(paths.cases_dir, local / "data", local / "cache", local / "config")


@pytest.fixture
def laptop(paths: Paths):
    repo = make_repo(elsewhere(paths, "laptop"), LAPTOP)
    yield repo
    repo.close()


def new_case(repo: CaseRepository, title: str = "Mum - knee", items: int = 3) -> OpenCase:
    opened = repo.create({"title": title, "condition": "osteoarthritis"})
    for i in range(items):
        opened, _ = repo.add(opened, "checklist", {"text": f"step {i}"})
    return opened


def texts(opened: OpenCase) -> set[str]:
    return {item.text for item in opened.case.checklist}


def fingerprint(path: Path) -> tuple[bytes, int]:
    """What 'left untouched' means: the same bytes and the same modification time."""
    return read_bytes(path), os.stat(path).st_mtime_ns


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def write_file(path: Path, data: bytes, file_mode: int = 0o600) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    os.chmod(path, file_mode)


def replica_json(path: Path) -> dict:
    return json.loads(read_bytes(path))


# ---------------------------------------------------------------------------------------------
# Bad input and faults


def _bad_corrupt(good: bytes, other: bytes) -> bytes:
    return good.replace(b'"tables": {', b'"tables": {,', 1)


def _bad_empty(good: bytes, other: bytes) -> bytes:
    return b""


def _bad_truncated(good: bytes, other: bytes) -> bytes:
    return good[: len(good) // 2]


def _bad_types(good: bytes, other: bytes) -> bytes:
    document = json.loads(good)
    case = document["tables"]["case"]
    title = next(iter(case.values()))["title"]
    title[0]["v"] = 42
    return json.dumps(document).encode()


def _bad_format(good: bytes, other: bytes) -> bytes:
    document = json.loads(good)
    document["format"] = "banana"
    return json.dumps(document).encode()


def _bad_utf8(good: bytes, other: bytes) -> bytes:
    return good.replace(b"osteoarthritis", b"osteo\xff\xfearthritis")


def _bad_not_a_case(good: bytes, other: bytes) -> bytes:
    return b'{"shopping": ["milk", "bread"]}\n'


def _bad_other_case(good: bytes, other: bytes) -> bytes:
    return other


BAD_FILES = {
    "corrupt JSON": (_bad_corrupt, "not valid JSON at line"),
    "0-byte file": (_bad_empty, "empty"),
    "truncated": (_bad_truncated, "ends too early"),
    "wrong types": (_bad_types, "holds int, expected text"),
    "unknown format": (_bad_format, "unknown format 'banana'"),
    "non-UTF-8 bytes": (_bad_utf8, "not UTF-8"),
    "not a case": (_bad_not_a_case, "not a secondview case file"),
    "another case's replica": (_bad_other_case, "holds another case"),
}


@pytest.mark.parametrize("kind", list(BAD_FILES))
def test_bad_file_is_reported_quarantined_and_left_untouched(paths, desk, laptop, kind):
    make_bad, expected = BAD_FILES[kind]
    first = new_case(desk, "First case")
    second = new_case(desk, "Second case")
    laptop_view = laptop.open(first.case_id)
    laptop.update(laptop_view, "case", first.case_id, {"patient": "Mum"})
    good = read_bytes(desk.own_file(first.case_id))
    bad_path = desk.folder(first.case_id) / f"{PHONE.id}.json"
    bad_bytes = make_bad(good, read_bytes(desk.own_file(second.case_id)))
    write_file(bad_path, bad_bytes)
    before = fingerprint(bad_path)

    reader = make_repo(paths, DESK)
    opened = reader.open(first.case_id)

    # One clear problem, naming the file and what is wrong with it.
    assert len(opened.problems) == 1
    problem = opened.problems[0]
    assert problem.path == bad_path
    assert expected in problem.problem
    assert str(bad_path) in problem.message() and expected in problem.message()
    # A copy is kept in quarantine, with the same bytes; the original stays where it was.
    assert problem.quarantined is not None
    assert paths.quarantine_dir in problem.quarantined.parents
    assert read_bytes(problem.quarantined) == bad_bytes
    assert mode(problem.quarantined) == 0o600
    assert fingerprint(bad_path) == before
    # The case itself still opens with every good replica merged, and can be edited.
    assert opened.read_only == ""
    assert opened.case.title == "First case"
    assert opened.case.info.patient == "Mum"
    assert texts(opened) == {"step 0", "step 1", "step 2"}
    edited = reader.update(opened, "case", first.case_id, {"notes": "still works"})
    assert edited.case.info.notes == "still works"
    assert fingerprint(bad_path) == before

    # Every case still lists and opens; check() reports the file.
    rows = {row.id: row for row in reader.list()}
    assert set(rows) == {first.case_id, second.case_id}
    assert rows[first.case_id].title == "First case" and rows[first.case_id].error == ""
    assert reader.open(second.case_id).case.title == "Second case"
    found = [p for p in check(reader) if p.path == bad_path]
    assert len(found) == 1 and expected in found[0].problem
    assert fingerprint(bad_path) == before
    # Opened again and again: one copy per version of the file, not one per read.
    copies = list((paths.quarantine_dir / first.case_id).iterdir())
    assert [c.name for c in copies if not c.name.startswith(".")] == [problem.quarantined.name]
    reader.close()


def test_a_case_whose_only_file_is_unreadable_lists_with_its_problem(paths, desk):
    good = new_case(desk, "Good case")
    broken = new_case(desk, "Broken case")
    own = desk.own_file(broken.case_id)
    write_file(own, read_bytes(own)[:100])
    before = fingerprint(own)

    reader = make_repo(paths, DESK)
    rows = {row.id: row for row in reader.list()}
    assert set(rows) == {good.case_id, broken.case_id}
    assert "ends too early" in rows[broken.case_id].error
    assert rows[good.case_id].error == ""
    with pytest.raises(CaseError, match="cannot be read: the file ends too early"):
        reader.open(broken.case_id)
    problems = check(reader)
    assert [p.path for p in problems] == [own]
    assert fingerprint(own) == before
    assert read_bytes(problems[0].quarantined) == before[0]
    reader.close()


def test_own_unreadable_file_makes_the_case_read_only_and_is_never_overwritten(
    paths, desk, laptop
):
    opened = new_case(desk)
    on_laptop = laptop.open(opened.case_id)
    on_laptop, _ = laptop.add(on_laptop, "checklist", {"text": "from the laptop"})
    own = desk.own_file(opened.case_id)
    write_file(own, b'{"format": "1.0", "tables": {"case": ')
    before = fingerprint(own)

    reader = make_repo(paths, DESK)
    fresh = reader.open(opened.case_id)
    assert own.name in fresh.read_only and "unreadable" in fresh.read_only
    # What the other replica holds is still shown.
    assert texts(fresh) == {"step 0", "step 1", "step 2", "from the laptop"}
    for attempt in (
        lambda: reader.update(fresh, "case", fresh.case_id, {"notes": "x"}),
        lambda: reader.add(fresh, "checklist", {"text": "y"}),
        lambda: reader.set_archived(fresh, True),
    ):
        with pytest.raises(ReadOnlyCase, match="read-only"):
            attempt()
    # A view opened before the file went bad is refused too, when it tries to save.
    with pytest.raises(ReadOnlyCase):
        desk.update(opened, "case", opened.case_id, {"notes": "stale view"})
    assert fingerprint(own) == before
    assert [p.path for p in fresh.problems] == [own]
    reader.close()


def test_a_case_stays_read_only_when_other_files_change(paths, desk, laptop):
    # The app reloads an open case whenever a sync tool brings in another device's edits.
    opened = new_case(desk)
    on_laptop = laptop.open(opened.case_id)
    on_laptop = laptop.update(on_laptop, "case", opened.case_id, {"patient": "Mum"})
    own = desk.own_file(opened.case_id)
    write_file(own, read_bytes(own)[:-40])
    before = fingerprint(own)
    view = make_repo(paths, DESK).open(opened.case_id)
    assert view.read_only

    laptop.update(on_laptop, "case", opened.case_id, {"notes": "the laptop again"})
    view = desk.reload(view)
    assert view.case.info.notes == "the laptop again"
    assert own.name in view.read_only
    assert [p.path for p in view.problems] == [own]
    with pytest.raises(ReadOnlyCase):
        desk.update(view, "case", opened.case_id, {"notes": "from the desk"})
    assert fingerprint(own) == before

    # Moved aside, as the message says: the case can be edited again, the problem is gone.
    os.replace(own, own.with_name("broken.bak"))
    view = desk.reload(view)
    assert view.read_only == "" and view.problems == ()
    saved = desk.update(view, "case", opened.case_id, {"notes": "from the desk"})
    assert saved.case.info.notes == "from the desk"


def test_a_newer_major_format_opens_read_only_and_is_never_rewritten(paths, desk, laptop):
    opened = new_case(desk)
    laptop.update(laptop.open(opened.case_id), "case", opened.case_id, {"patient": "Mum"})
    theirs = laptop.own_file(opened.case_id)
    document = replica_json(theirs)
    document["format"] = "3.0"
    document["tables"]["case"][opened.case_id]["shiny_new_field"] = [
        {"v": 1, "dot": [LAPTOP.id, 9], "seen": {}, "at": "2027-01-01T00:00:00.000Z/0000"}
    ]
    write_file(theirs, json.dumps(document).encode())
    before_theirs = fingerprint(theirs)
    before_own = fingerprint(desk.own_file(opened.case_id))

    reader = make_repo(paths, DESK)
    fresh = reader.open(opened.case_id)
    assert "newer secondview" in fresh.read_only and "3.0" in fresh.read_only
    assert [p.path for p in fresh.problems] == [theirs]
    with pytest.raises(ReadOnlyCase, match="newer secondview"):
        reader.update(fresh, "case", opened.case_id, {"notes": "x"})
    with pytest.raises(ReadOnlyCase):
        desk.update(opened, "case", opened.case_id, {"notes": "stale view"})
    row = next(r for r in reader.list() if r.id == opened.case_id)
    assert "newer secondview" in row.error
    assert any(p.path == theirs and "newer" in p.problem for p in check(reader))
    assert fingerprint(theirs) == before_theirs
    assert fingerprint(desk.own_file(opened.case_id)) == before_own
    reader.close()


def test_a_case_with_only_a_newer_file_says_so(paths, desk):
    opened = new_case(desk)
    own = desk.own_file(opened.case_id)
    document = replica_json(own)
    document["format"] = "3.1"
    write_file(own, json.dumps(document).encode())
    with pytest.raises(CaseError, match="newer secondview"):
        make_repo(paths, DESK).open(opened.case_id)
    assert replica_json(own)["format"] == "3.1"


def test_a_zero_byte_replica_mid_sync_does_not_empty_the_case(paths, desk, laptop):
    opened = new_case(desk, items=5)
    on_laptop = laptop.open(opened.case_id)
    on_laptop, _ = laptop.add(on_laptop, "checklist", {"text": "from the laptop"})
    theirs = laptop.own_file(opened.case_id)
    arrived = read_bytes(theirs)
    write_file(theirs, b"")  # the sync tool has created the file but not filled it yet

    fresh = desk.open(opened.case_id)
    assert len(fresh.case.checklist) == 5  # desk's own replica, in full
    saved = desk.update(fresh, "case", opened.case_id, {"notes": "edited meanwhile"})
    assert len(saved.case.checklist) == 5
    own = parse_replica(desk.own_file(opened.case_id), read_bytes(desk.own_file(opened.case_id)))
    assert len(own[1]["checklist"]) == 5
    assert read_bytes(theirs) == b""

    write_file(theirs, arrived)  # the sync finishes
    assert desk.changed_on_disk(saved)
    merged = desk.reload(saved)
    assert "from the laptop" in texts(merged) and merged.problems == ()
    assert merged.case.info.notes == "edited meanwhile"


def test_a_case_folder_that_cannot_be_listed_is_reported_and_the_rest_still_list(
    paths, desk, monkeypatch
):
    good = new_case(desk, "Good case")
    locked = new_case(desk, "Locked case")
    real_scandir = os.scandir

    def scandir(path):  # as for a folder made unreadable (chmod 000; root ignores modes)
        if Path(path).name == locked.case_id:
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    monkeypatch.setattr(repository_module.os, "scandir", scandir)
    reader = make_repo(paths, DESK)
    rows = {r.id: r for r in reader.list()}
    assert rows[good.case_id].error == ""
    assert "cannot be read (Permission denied)" in rows[locked.case_id].error
    problems = check(reader)
    assert [p.path for p in problems] == [desk.folder(locked.case_id)]
    with pytest.raises(CaseError, match="check its permissions"):
        reader.open(locked.case_id)
    reader.close()


def test_a_cases_folder_that_is_a_file_is_a_clear_error(paths, desk):
    paths.cases_dir.parent.mkdir(parents=True, exist_ok=True)
    paths.cases_dir.write_text("not a folder")
    with pytest.raises(CaseError, match="cases folder .* cannot be read"):
        desk.list()


# ---------------------------------------------------------------------------------------------
# Sync tools' files


def test_sync_tools_files_are_passed_over_quietly(paths, desk):
    opened = new_case(desk)
    cases = paths.cases_dir
    copy_of_case = read_bytes(desk.own_file(opened.case_id))
    (cases / ".stfolder").mkdir()
    write_file(cases / ".stversions" / opened.case_id / f"{DESK.id}~20261120-101010.json",
               copy_of_case)
    write_file(cases / ".stignore", b"(?d).DS_Store\n")
    write_file(cases / ".syncthing.x.json.tmp", b"{half")
    write_file(cases / "~syncthing~x.tmp", b"{half")
    write_file(cases / ".dropbox.cache" / "abc.json", b"{}")
    write_file(cases / ".dropbox", b"")
    write_file(cases / ".git" / "HEAD", b"ref: refs/heads/main\n")
    write_file(cases / ".git" / "objects" / "x.json", b"\x00\x01")
    write_file(cases / "notes" / "todo.json", b'{"todo": 1}')
    write_file(cases / "README.md", b"my cases\n")
    write_file(cases / ".sync_1234.db", b"SQLite format 3\x00")
    # In the case folder: sync tools' and our own temp files, never merged.
    folder = desk.folder(opened.case_id)
    half_written = opened.state.apply(
        [opened.state.prepare("case", opened.case_id, {"title": "NOT MERGED"})],
        PHONE.id,
        desk.clock.now(),
    )
    from secondview.store.storage import replica_bytes

    temp_replica = replica_bytes(half_written.tables, PHONE.id, "phone")
    write_file(folder / f".{DESK.id}.json.k2j3h4.tmp", temp_replica)
    write_file(folder / f".syncthing.{PHONE.id}.json.tmp", temp_replica)
    write_file(folder / f"~syncthing~{PHONE.id}.json.tmp", temp_replica)
    write_file(folder / ".stversions" / f"{PHONE.id}.json", temp_replica)

    reader = make_repo(paths, DESK)
    rows = reader.list()
    assert [r.id for r in rows] == [opened.case_id]
    assert rows[0].title == "Mum - knee" and rows[0].error == ""
    fresh = reader.open(opened.case_id)
    assert fresh.problems == () and fresh.case.title == "Mum - knee"
    assert check(reader) == []
    assert not paths.quarantine_dir.exists()
    reader.close()


CONFLICT_NAMES = {
    "syncthing": "{dev}.sync-conflict-20261121-101010-ABCDEFG.json",
    "dropbox": "{dev} (Someone's conflicted copy 2026-11-21).json",
    "nextcloud": "{dev} (conflicted copy 2026-11-21 101010).json",
}


def test_sync_tools_conflict_copies_are_merged_in(paths, desk, tmp_path):
    opened = new_case(desk)
    case_id = opened.case_id
    folder = desk.folder(case_id)
    original = read_bytes(desk.own_file(case_id))
    # The conflict copy of this device's own file: an edit whose version lost.
    lost = desk.add(opened, "checklist", {"text": "desk's lost version"})[0]
    assert len(lost.case.checklist) == 4
    os.replace(desk.own_file(case_id), folder / CONFLICT_NAMES["dropbox"].format(dev=DESK.id))
    write_file(desk.own_file(case_id), original)
    for tool, pattern in CONFLICT_NAMES.items():
        # Another device edits its copy elsewhere; the sync tool then brings its version in
        # under a conflict name.
        device = Device((tool * 3)[:12], tool)
        scratch = Paths(tmp_path / tool / "cases", *(tmp_path / tool / d for d in "xyz"))
        write_file(scratch.cases_dir / case_id / f"{DESK.id}.json", original)
        other = make_repo(scratch, device)
        other.add(other.open(case_id), "checklist", {"text": f"kept by {tool}"})
        os.replace(other.own_file(case_id), folder / pattern.format(dev=device.id))
        other.close()

    fresh = make_repo(paths, DESK).open(case_id)
    assert fresh.problems == ()
    assert texts(fresh) == {"step 0", "step 1", "step 2", "desk's lost version"} | {
        f"kept by {tool}" for tool in CONFLICT_NAMES
    }
    assert fresh.device_name("nextcloudnex") == "nextcloud"
    # Saving writes this device's file, then moves every copy (merged into it) to the archive
    # in the local data folder: the same bytes, kept (store.foreign_copies;
    # tests/unit/test_sync.py).
    names_before = sorted(os.listdir(folder))
    copies = {n: read_bytes(folder / n) for n in names_before if n != f"{DESK.id}.json"}
    saved = desk.update(fresh, "case", case_id, {"notes": "merged"})
    assert sorted(os.listdir(folder)) == [f"{DESK.id}.json"]
    archived = sorted((paths.foreign_dir / case_id).iterdir())
    assert sorted(read_bytes(p) for p in archived) == sorted(copies.values())
    own = parse_replica(desk.own_file(case_id), read_bytes(desk.own_file(case_id)))[1]
    assert len(own["checklist"]) == 7
    assert saved.case.info.notes == "merged"


# ---------------------------------------------------------------------------------------------
# Two devices


def test_two_devices_editing_in_turns_converge(paths, desk, laptop):
    on_desk = new_case(desk)
    on_laptop = laptop.open(on_desk.case_id)
    on_laptop, laptop_item = laptop.add(on_laptop, "checklist", {"text": "laptop's step"})
    on_laptop = on_laptop_saved = laptop.update(
        on_laptop, "case", on_desk.case_id, {"patient": "Mum"}
    )
    assert desk.changed_on_disk(on_desk)
    on_desk = desk.reload(on_desk)
    assert on_desk.case.info.patient == "Mum" and "laptop's step" in texts(on_desk)
    on_desk = desk.update(on_desk, "checklist", laptop_item, {"done": "yes"})
    on_laptop = laptop.reload(on_laptop)
    assert on_laptop.case.find(laptop_item).done is True
    assert on_desk.state.tables == on_laptop.state.tables
    assert on_desk.case.conflicts == ()
    assert sorted(os.listdir(desk.folder(on_desk.case_id))) == [
        f"{DESK.id}.json",
        f"{LAPTOP.id}.json",
    ]
    # Each file holds what its own device last saved, and says which device wrote it.
    for device, saved in ((DESK, on_desk), (LAPTOP, on_laptop_saved)):
        document = replica_json(desk.folder(on_desk.case_id) / f"{device.id}.json")
        assert document["device"] == {"id": device.id, "name": device.name}
        assert document["tables"] == json.loads(json.dumps(saved.state.tables))
    # The device that made the last change is named in the list.
    assert laptop.list()[0].updated_by == "desk"


def test_two_devices_editing_at_once_keep_both_and_settle(paths, desk, laptop):
    on_desk = new_case(desk)
    on_laptop = laptop.open(on_desk.case_id)
    case_id = on_desk.case_id
    # Both edit from the same version, without seeing each other's edit.
    on_desk = desk.update(on_desk, "case", case_id, {"condition": "knee osteoarthritis"})
    on_laptop = laptop.update(on_laptop, "case", case_id, {"condition": "OA, right knee"})
    on_laptop = laptop.update(on_laptop, "case", case_id, {"patient": "Mum"})
    laptop_file = fingerprint(laptop.own_file(case_id))
    on_desk = desk.update(on_desk, "case", case_id, {"urgency": "soon"})
    assert fingerprint(laptop.own_file(case_id)) == laptop_file  # desk never writes it

    on_desk, on_laptop = desk.reload(on_desk), laptop.reload(on_laptop)
    assert on_desk.state.tables == on_laptop.state.tables
    for opened in (on_desk, on_laptop):
        info = opened.case.info
        assert info.patient == "Mum" and info.urgency == "soon"
        assert opened.case.conflicts == (("case", case_id, "condition"),)
        values = {e["v"] for e in opened.state.register("case", case_id, "condition")}
        assert values == {"knee osteoarthritis", "OA, right knee"}
    assert any("conflicting edits" in p.problem for p in check(desk))

    # Settling on one device supersedes both values everywhere.
    on_laptop = laptop.update(on_laptop, "case", case_id, {"condition": "OA of the right knee"})
    on_desk = desk.reload(on_desk)
    assert on_desk.case.conflicts == () and on_desk.case.info.condition == "OA of the right knee"
    assert check(desk) == []


def test_two_devices_random_interleaving_converges_and_loses_nothing(paths, desk, laptop):
    rng = random.Random(20261121)
    first = new_case(desk, items=0)
    case_id = first.case_id
    views = {"desk": first, "laptop": laptop.open(case_id)}
    repos = {"desk": desk, "laptop": laptop}
    added: set[str] = set()
    folder = desk.folder(case_id)
    files_seen: set[str] = set(os.listdir(folder))
    for step in range(80):
        name = rng.choice(["desk", "laptop"])
        repo, other = repos[name], repos["laptop" if name == "desk" else "desk"]
        view = views[name]
        if rng.random() < 0.3:
            view = repo.reload(view)
        other_file = other.own_file(case_id)
        other_before = fingerprint(other_file) if other_file.exists() else None
        action = rng.random()
        if action < 0.5 or not view.case.checklist:
            view, _ = repo.add(view, "checklist", {"text": f"{name} {step}"})
            added.add(f"{name} {step}")
        elif action < 0.8:
            item = rng.choice(view.case.checklist)
            view = repo.update(view, "checklist", item.id, {"notes": f"{name} {step}"})
        else:
            view = repo.update(view, "case", case_id, {"notes": f"{name} {step}"})
        views[name] = view
        # Each device writes only its own file; no file ever disappears.
        if other_before is not None:
            assert fingerprint(other_file) == other_before
        now = set(os.listdir(folder))
        assert files_seen <= now
        files_seen = now
    final = {name: repos[name].reload(view) for name, view in views.items()}
    assert final["desk"].state.tables == final["laptop"].state.tables
    assert texts(final["desk"]) == added
    assert files_seen == {f"{DESK.id}.json", f"{LAPTOP.id}.json"}


# ---------------------------------------------------------------------------------------------
# Permissions


def test_new_folders_are_0700_and_files_0600(paths, desk):
    opened = new_case(desk)
    desk.list()
    for folder in (paths.cases_dir, desk.folder(opened.case_id), paths.data_dir,
                   paths.locks_dir, paths.cache_dir):
        assert mode(folder) == 0o700, folder
    assert mode(desk.own_file(opened.case_id)) == 0o600
    assert mode(paths.index_file) == 0o600
    assert mode(paths.locks_dir / f"{opened.case_id}.lock") == 0o600


def test_loosened_permissions_are_tightened_again_on_open(paths, desk, laptop):
    opened = new_case(desk)
    laptop.update(laptop.open(opened.case_id), "case", opened.case_id, {"patient": "Mum"})
    folder = desk.folder(opened.case_id)
    # As git or Dropbox leave them.
    os.chmod(paths.cases_dir, 0o755)
    os.chmod(folder, 0o755)
    os.chmod(desk.own_file(opened.case_id), 0o644)
    os.chmod(laptop.own_file(opened.case_id), 0o664)
    make_repo(paths, DESK).open(opened.case_id)
    assert mode(paths.cases_dir) == 0o700
    assert mode(folder) == 0o700
    assert mode(desk.own_file(opened.case_id)) == 0o600
    assert mode(laptop.own_file(opened.case_id)) == 0o600


def test_quarantine_is_private(paths, desk):
    opened = new_case(desk)
    write_file(desk.folder(opened.case_id) / f"{PHONE.id}.json", b"{oops", 0o644)
    problem = desk.open(opened.case_id).problems[0]
    assert mode(problem.quarantined) == 0o600
    assert mode(paths.quarantine_dir) == 0o700
    assert mode(problem.quarantined.parent) == 0o700


# ---------------------------------------------------------------------------------------------
# Archiving and deleting are tombstones


def test_archiving_is_a_register_and_restore_brings_the_case_back(paths, desk, laptop):
    opened = new_case(desk)
    other = new_case(desk, "Other case")
    archived = desk.set_archived(opened, True)
    assert archived.case.archived is True
    register = archived.state.register("case", opened.case_id, "archived")
    assert [e["v"] for e in register] == [True]
    # Nothing is removed: the file still holds the whole case, and list() shows it, marked.
    assert texts(archived) == {"step 0", "step 1", "step 2"}
    rows = {r.id: r for r in laptop.list()}
    assert set(rows) == {opened.case_id, other.case_id}
    assert rows[opened.case_id].archived is True and rows[other.case_id].archived is False
    assert laptop.open(opened.case_id).case.archived is True
    restored = desk.set_archived(archived, False)
    assert restored.case.archived is False
    assert {r.id: r for r in laptop.list()}[opened.case_id].archived is False
    assert os.listdir(desk.folder(opened.case_id)) == [f"{DESK.id}.json"]


def test_deleting_an_item_is_a_tombstone_that_can_be_undone(paths, desk):
    opened = new_case(desk)
    item = opened.case.checklist[0]
    gone = desk.delete(opened, "checklist", item.id)
    assert item.id not in {i.id for i in gone.case.checklist}
    stored = replica_json(desk.own_file(opened.case_id))["tables"]["checklist"][item.id]
    assert stored["deleted"][0]["v"] is True and stored["text"][0]["v"] == item.text
    back = desk.delete(gone, "checklist", item.id, restore=True)
    assert back.case.find(item.id).text == item.text


# ---------------------------------------------------------------------------------------------
# The list index


class ReadCounter:
    """Counts the case files the repository reads (every read goes through read_case_file)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.paths: list[Path] = []
        real = replica_db_module.read_case_file

        def counting(path: Path) -> bytes:
            self.paths.append(Path(path))
            return real(path)

        monkeypatch.setattr(replica_db_module, "read_case_file", counting)

    def folders(self) -> set[str]:
        return {p.parent.name for p in self.paths}


def test_indexed_reads_no_case_file(paths, desk, monkeypatch):
    ids = {new_case(desk, f"Case {i}", items=1).case_id for i in range(5)}
    desk.list()
    desk.close()

    def no_reads(*args, **kwargs):
        raise AssertionError("indexed() touched the cases folder")

    monkeypatch.setattr(replica_db_module, "read_case_file", no_reads)
    monkeypatch.setattr(repository_module.os, "scandir", no_reads)
    monkeypatch.setattr(Path, "read_bytes", no_reads)
    starting = make_repo(paths, DESK)  # as the app does when it starts
    rows = starting.indexed()
    assert {r.id for r in rows} == ids
    assert {r.title for r in rows} == {f"Case {i}" for i in range(5)}
    assert all(r.phase and r.updated_by == "desk" for r in rows)
    # the first screenful: the most recently changed unarchived cases, still no file read
    first = starting.indexed(limit=2)
    assert [r.id for r in first] == [r.id for r in rows[:2]]
    starting.close()


def test_cases_changed_at_the_same_moment_list_in_one_order_with_or_without_a_limit(
        paths, desk):
    # The first frame paints indexed(limit=...), then the full list replaces it keeping the
    # highlighted case: if ties sorted differently, the cursor would jump down the list.
    ids = [new_case(desk, f"Case {i}").case_id for i in range(8)]
    desk.list()
    db = desk.index_db()
    with db:
        db.execute("UPDATE cases SET updated_at = ?", ("2026-09-01T10:00:00.000000Z",))
    full = [r.id for r in desk.indexed()]
    assert sorted(full) == sorted(ids)
    assert full == sorted(ids, reverse=True)  # ties by id, as the index orders them
    plan = " ".join(str(row) for row in db.execute(
        "EXPLAIN QUERY PLAN SELECT id FROM cases WHERE archived = 0 "
        "ORDER BY updated_at DESC, id DESC LIMIT 3"))
    assert "TEMP B-TREE" not in plan  # read in order from the index, never sorted whole
    for limit in (1, 3, 8):
        assert [r.id for r in desk.indexed(limit=limit)] == full[:limit]


def test_the_first_screenful_leaves_archived_cases_out(paths, desk):
    kept = new_case(desk, "Kept")
    gone = new_case(desk, "Archived later")
    desk.set_archived(gone, True)  # the most recent change, yet not on the first screen
    desk.list()
    assert [r.title for r in desk.indexed(limit=5)] == ["Kept"]
    assert {r.title for r in desk.indexed()} == {"Kept", "Archived later"}
    assert kept.case_id in {r.id for r in desk.indexed(limit=1)}


def test_indexed_rows_match_a_full_read(paths, desk):
    opened = new_case(desk)
    opened, record = desk.add(opened, "records", {"title": "MRI", "kind": "imaging_report"})
    opened, _ = desk.add(opened, "transfers", {"record": record, "recipient": "Dr B",
                                               "requested_on": "2026-09-01"})
    (live,) = make_repo(paths, DESK).indexed()
    assert "Dr B" in live.next_step and "after 30 days" in live.next_step
    archived = desk.set_archived(opened, True)
    listed = make_repo(paths, DESK).list()
    desk.close()
    indexed = make_repo(paths, DESK).indexed()
    assert indexed == listed == [summarise(archived, TODAY)]
    row = indexed[0]
    assert row.archived is True and row.records_total == 1 and row.records_confirmed == 0
    assert row.next_step == ""  # an archived case asks nothing (progress.next_steps)


def test_refresh_rereads_only_changed_cases(paths, desk, laptop, monkeypatch):
    cases = [new_case(desk, f"Case {i}", items=1) for i in range(6)]
    desk.list()
    counter = ReadCounter(monkeypatch)
    assert desk.refresh() == []
    assert counter.paths == []  # nothing changed: nothing read

    # This device's own saves keep the index current: still nothing to read.
    desk.update(cases[0], "case", cases[0].case_id, {"notes": "own edit"})
    desk.refresh()
    assert counter.paths == []

    # Another device changes one case: only that case's folder is read.
    laptop.update(laptop.open(cases[3].case_id), "case", cases[3].case_id, {"patient": "Dad"})
    counter.paths.clear()
    desk.refresh()
    assert counter.folders() == {cases[3].case_id}
    rows = {r.id: r for r in desk.indexed()}
    assert rows[cases[3].case_id].updated_by == "laptop"
    assert rows[cases[0].case_id].updated_by == "desk"


def test_refresh_picks_up_cases_added_and_removed_by_another_device(paths, desk, laptop):
    kept = new_case(desk, "Kept")
    leaving = new_case(desk, "Leaving")
    assert len(desk.list()) == 2
    arrived = laptop.create({"title": "Made on the laptop", "urgency": "emergency"})
    desk.refresh()
    rows = {r.id: r for r in desk.indexed()}
    assert rows[arrived.case_id].title == "Made on the laptop"
    assert rows[arrived.case_id].urgency == "emergency"
    assert rows[arrived.case_id].updated_by == "laptop"
    # The sync tool removes a case folder (deleted on another device): it leaves the list.
    import shutil

    shutil.rmtree(desk.folder(leaving.case_id))
    assert {r.id for r in desk.list()} == {kept.case_id, arrived.case_id}


def test_a_damaged_index_is_rebuilt(paths, desk):
    opened = new_case(desk)
    desk.list()
    desk.close()
    for path in paths.cache_dir.iterdir():
        path.write_bytes(b"this is not a database")
    reader = make_repo(paths, DESK)
    assert [r.id for r in reader.list()] == [opened.case_id]
    reader.close()


def test_an_index_of_an_older_layout_is_rebuilt(paths, desk):
    opened = new_case(desk, "Current title")
    desk.close()
    paths.index_file.unlink()
    old = sqlite3.connect(paths.index_file)
    old.execute("CREATE TABLE cases (id TEXT PRIMARY KEY, stamps TEXT, title TEXT)")
    old.execute("INSERT INTO cases VALUES (?, ?, ?)", (opened.case_id, "{}", "Stale title"))
    old.commit()
    old.close()
    reader = make_repo(paths, DESK)
    assert [r.title for r in reader.list()] == ["Current title"]
    reader.close()


# ---------------------------------------------------------------------------------------------
# Finding cases


def test_open_by_id_prefix_or_exact_title(paths, desk):
    first = new_case(desk, "Knee")
    second = new_case(desk, "Heart")
    assert desk.open(first.case_id[:8]).case_id == first.case_id
    assert desk.open("Heart").case_id == second.case_id
    with pytest.raises(CaseNotFound, match="no case matches 'Lung'"):
        desk.open("Lung")
    with pytest.raises(CaseNotFound):
        desk.open("   ")


def test_a_new_case_needs_a_title(desk):
    with pytest.raises(CaseError, match="title"):
        desk.create({"condition": "x"})


def test_bad_values_are_refused_with_the_reason(desk):
    opened = new_case(desk)
    with pytest.raises(model.InvalidValue, match="not one of: routine, soon, emergency"):
        desk.update(opened, "case", opened.case_id, {"urgency": "whenever"})
    with pytest.raises(model.InvalidValue, match="unknown field 'colour'"):
        desk.update(opened, "case", opened.case_id, {"colour": "red"})
    assert desk.open(opened.case_id).case.info.urgency == "routine"


def test_stamps_identify_versions(paths, desk):
    opened = new_case(desk)
    stamp = Stamp.of(desk.own_file(opened.case_id))
    saved = desk.update(opened, "case", opened.case_id, {"notes": "x"})
    assert saved.stamps[f"{DESK.id}.json"] != stamp
    assert not desk.changed_on_disk(saved)
