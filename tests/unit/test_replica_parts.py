"""Parts of a very large replica (store/replica_parts.py) against a real cases folder.

The threshold is lowered so a case of a few dozen records has parts; the rule is the same at
a megabyte. What a person relies on:
- a large case is saved as a small replica naming parts kept in ``files/``, and reads back
  as the same case, on this device and on another; a small case stays format 1.0;
- another device names the parts it already has instead of writing them again;
- a part not synced yet leaves the replica waiting (reported, not quarantined, read again
  once the part arrives; this device's own file waiting makes the case read-only);
- a part that is someone else's, a crafted list of parts, or a replica read without its
  case folder is refused, never read as a case without its parts' documents;
- parts are sealed in a sealed folder; a version that reads no parts refuses the replica.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import random
import stat
from pathlib import Path

import pytest

from secondview.store import replica_parts
from secondview.store.folder_key import FolderKey, new_identity
from secondview.store.paths import Device, Paths
from secondview.store.replica_transfer import export_replica
from secondview.store.repository import CaseError, CaseRepository, ReadOnlyCase
from secondview.store.storage import SEALED_LINE, UnreadableFile, parse_replica

TODAY = dt.date(2026, 11, 21)
DESK = Device("aaaaaaaaaaaa", "desk", "desk-install")
LAPTOP = Device("bbbbbbbbbbbb", "laptop", "laptop-install")


@pytest.fixture(autouse=True)
def small_threshold(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(replica_parts, "PART_THRESHOLD", 8 * 1024)


def local(root: Path, name: str) -> Paths:
    return Paths(root / "cases", root / name / "data", root / name / "cache", root / name / "cfg")


def repo_for(root: Path, name: str, device: Device, key: FolderKey | None = None
             ) -> CaseRepository:
    return CaseRepository(local(root, name), device, None, TODAY, key=key)


def large_case(repo: CaseRepository, records: int = 60) -> str:
    opened = repo.create({"title": "Bulk export"})
    for n in range(records):
        opened, _ = repo.add(opened, "records", {"title": f"Lab report {n}",
                                                 "notes": "x" * 200})
    return opened.case_id


def document(path: Path) -> dict:
    return json.loads(path.read_bytes())


def kept_files(folder: Path) -> list[Path]:
    files = folder / "files"
    return sorted(files.iterdir()) if files.exists() else []


def test_a_large_case_is_a_small_replica_naming_parts_and_reads_back_whole(tmp_path):
    desk = repo_for(tmp_path, "desk", DESK)
    case_id = large_case(desk)
    own = desk.own_file(case_id)
    written = document(own)
    assert written["format"] == "2.0"
    assert written["parts"] and os.path.getsize(own) < replica_parts.PART_THRESHOLD
    for part in kept_files(desk.folder(case_id)):
        data = part.read_bytes()
        assert part.name == hashlib.sha256(data).hexdigest()  # named by its content
        assert stat.S_IMODE(part.stat().st_mode) == 0o600
    before = desk.open(case_id).state.tables
    fresh = repo_for(tmp_path, "desk2", DESK)
    assert fresh.open(case_id).state.tables == before
    assert len(fresh.open(case_id).case.records) == 60


def test_a_save_after_the_split_writes_the_changed_documents_alone(tmp_path):
    desk = repo_for(tmp_path, "desk", DESK)
    case_id = large_case(desk)
    opened = desk.open(case_id)
    parts = kept_files(desk.folder(case_id))
    held = set(document(desk.own_file(case_id))["tables"]["records"])  # added since the split
    record = next(r for r in opened.case.records if r.id not in held)
    opened = desk.update(opened, "records", record.id, {"title": "Lab report, corrected"})
    written = document(desk.own_file(case_id))
    assert kept_files(desk.folder(case_id)) == parts  # no part written again
    assert set(written["tables"]["records"]) == held | {record.id}
    again = repo_for(tmp_path, "other-install", DESK).open(case_id)
    assert again.state.tables == opened.state.tables
    assert [r.title for r in again.case.records if r.id == record.id] == [
        "Lab report, corrected"]


def test_a_small_case_stays_format_1_0_which_earlier_versions_read(tmp_path):
    desk = repo_for(tmp_path, "desk", DESK)
    opened = desk.create({"title": "Knee"})
    written = document(desk.own_file(opened.case_id))
    assert written["format"] == "1.0" and "parts" not in written
    assert not kept_files(desk.folder(opened.case_id))


def test_another_device_names_the_parts_it_has_instead_of_writing_them_again(tmp_path):
    desk = repo_for(tmp_path, "desk", DESK)
    case_id = large_case(desk)
    parts = kept_files(desk.folder(case_id))
    laptop = repo_for(tmp_path, "laptop", LAPTOP)
    opened = laptop.open(case_id)
    laptop.update(opened, "case", case_id, {"notes": "from the laptop"})
    theirs = document(laptop.own_file(case_id))
    assert theirs["parts"] == document(desk.own_file(case_id))["parts"]
    assert kept_files(desk.folder(case_id)) == parts
    merged = desk.open(case_id)
    assert merged.case.info.values["notes"] == "from the laptop"
    assert len(merged.case.records) == 60


def grown_on_desk(tmp_path: Path) -> tuple[CaseRepository, CaseRepository, str]:
    """A case the laptop saved while it was small, which the desk then filled (its parts)."""
    desk = repo_for(tmp_path, "desk", DESK)
    case_id = desk.create({"title": "Bulk export"}).case_id
    laptop = repo_for(tmp_path, "laptop", LAPTOP)
    laptop.update(laptop.open(case_id), "case", case_id, {"notes": "before the import"})
    opened = desk.open(case_id)
    for n in range(60):
        opened, _ = desk.add(opened, "records", {"title": f"Lab report {n}", "notes": "x" * 200})
    return desk, laptop, case_id


def test_a_part_not_synced_yet_leaves_its_replica_waiting_then_it_is_read(tmp_path):
    desk, laptop, case_id = grown_on_desk(tmp_path)
    folder = desk.folder(case_id)
    parts = kept_files(folder)
    aside = tmp_path / "in-transit"
    aside.mkdir()
    for part in parts:
        part.rename(aside / part.name)
    opened = laptop.open(case_id)
    waiting = [p for p in opened.problems if p.waiting]
    assert [p.path.name for p in waiting] == [desk.own_file(case_id).name]
    assert "waits for its part files/" in waiting[0].problem
    assert "not synced to this device yet" in waiting[0].problem
    assert waiting[0].quarantined is None and not opened.read_only
    assert not any((laptop.paths.data_dir / "quarantine").rglob("*.json"))
    assert not opened.case.records
    for part in parts:
        (aside / part.name).rename(part)
    assert laptop.changed_on_disk(opened)  # the waiting file is looked at again
    again = laptop.reload(opened)
    assert not again.problems
    assert len(again.case.records) == 60


def test_this_device_waiting_for_its_own_part_is_read_only(tmp_path):
    desk, _laptop, case_id = grown_on_desk(tmp_path)
    for part in kept_files(desk.folder(case_id)):
        part.unlink()
    fresh = repo_for(tmp_path, "desk2", DESK)
    opened = fresh.open(case_id)
    assert "waits for its part" in opened.read_only
    with pytest.raises(ReadOnlyCase):
        fresh.update(opened, "case", case_id, {"notes": "lost?"})


def test_a_case_whose_only_replica_waits_for_a_part_says_so(tmp_path):
    desk = repo_for(tmp_path, "desk", DESK)
    case_id = large_case(desk)
    for part in kept_files(desk.folder(case_id)):
        part.unlink()
    with pytest.raises(CaseError, match="waits for its part"):
        repo_for(tmp_path, "laptop", LAPTOP).open(case_id)


def test_a_part_whose_bytes_changed_is_waited_for_never_read(tmp_path):
    desk = repo_for(tmp_path, "desk", DESK)
    case_id = large_case(desk)
    for name in document(desk.own_file(case_id))["parts"]:
        part = desk.folder(case_id) / "files" / name
        part.write_bytes(part.read_bytes() + b" ")
    with pytest.raises(CaseError, match="waits for its part"):
        repo_for(tmp_path, "laptop", LAPTOP).open(case_id)


def test_a_replica_naming_another_cases_part_is_damaged_and_quarantined(tmp_path):
    desk = repo_for(tmp_path, "desk", DESK)
    first = large_case(desk)
    second = large_case(desk, records=1)
    theirs = document(desk.own_file(first))
    folder = desk.folder(second)
    (folder / "files").mkdir(mode=0o700, exist_ok=True)
    for part in kept_files(desk.folder(first)):
        (folder / "files" / part.name).write_bytes(part.read_bytes())
    crafted = document(desk.own_file(second))
    crafted["format"], crafted["parts"] = "2.0", theirs["parts"]
    crafted["device"] = {"id": "cccccccccccc", "name": "crafted"}
    (folder / "cccccccccccc.json").write_text(json.dumps(crafted))
    opened = repo_for(tmp_path, "laptop", LAPTOP).open(second)
    bad = [p for p in opened.problems if p.path.name == "cccccccccccc.json"]
    assert bad and "belongs to another case" in bad[0].problem and bad[0].quarantined
    assert len(opened.case.records) == 1


@pytest.mark.parametrize("named", [
    ["not a digest"],
    ["a" * 64] * 2,
    [f"{n:064x}" for n in range(17)],
    "a" * 64,
])
def test_a_crafted_list_of_parts_is_refused(tmp_path, named):
    desk = repo_for(tmp_path, "desk", DESK)
    crafted = document(desk.own_file(desk.create({"title": "Knee"}).case_id))
    crafted["format"], crafted["parts"] = "2.0", named
    raw = json.dumps(crafted).encode()
    with pytest.raises(UnreadableFile, match="list of parts is damaged"):
        parse_replica(tmp_path / "x.json", raw, lambda *_: {})


def test_a_replica_with_parts_is_never_read_without_them(tmp_path):
    desk = repo_for(tmp_path, "desk", DESK)
    case_id = large_case(desk)
    own = desk.own_file(case_id)
    with pytest.raises(UnreadableFile, match="open it in its case folder"):
        parse_replica(own, own.read_bytes())


def test_an_exported_replica_holds_every_document_in_format_1_0(tmp_path):
    desk = repo_for(tmp_path, "desk", DESK)
    case_id = large_case(desk)
    out = tmp_path / "out.json"
    export_replica(desk, case_id, out)
    meta, tables = parse_replica(out, out.read_bytes())
    assert meta["format"] == "1.0" and len(tables["records"]) == 60


def test_past_the_most_parts_one_part_holds_every_document(tmp_path):
    desk = repo_for(tmp_path, "desk", DESK)
    case_id = large_case(desk, records=40 * replica_parts.MAX_NAMED)
    written = document(desk.own_file(case_id))
    assert 1 <= len(written["parts"]) <= replica_parts.MAX_NAMED
    fresh = repo_for(tmp_path, "desk2", DESK)
    assert len(fresh.open(case_id).case.records) == 40 * replica_parts.MAX_NAMED


def test_parts_of_a_sealed_folder_are_sealed_and_read_with_the_key(tmp_path):
    key = FolderKey([new_identity()])
    desk = repo_for(tmp_path, "desk", DESK, key)
    case_id = large_case(desk)
    parts = kept_files(desk.folder(case_id))
    assert parts and all(p.read_bytes().startswith(SEALED_LINE) for p in parts)
    assert all(b"Lab report" not in p.read_bytes() for p in parts)
    assert len(repo_for(tmp_path, "laptop", LAPTOP, key).open(case_id).case.records) == 60


def test_random_edits_of_a_case_with_parts_read_back_the_same_on_another_device(tmp_path):
    rng = random.Random(12)
    desk = repo_for(tmp_path, "desk", DESK)
    laptop = repo_for(tmp_path, "laptop", LAPTOP)
    case_id = large_case(desk, records=40)
    mine, theirs = desk.open(case_id), laptop.open(case_id)
    for step in range(40):
        repo, opened = (desk, mine) if rng.random() < 0.6 else (laptop, theirs)
        records = opened.case.records
        choice = rng.random()
        if choice < 0.4:
            opened, _ = repo.add(opened, "records", {"title": f"New {step}", "notes": "y" * 300})
        elif choice < 0.8:
            record = rng.choice(records)
            opened = repo.update(opened, "records", record.id, {"title": f"Edited {step}"})
        else:
            opened = repo.delete(opened, "records", rng.choice(records).id)
        if repo is desk:
            mine = opened
        else:
            theirs = opened
        check = repo_for(tmp_path, f"reader{step}", Device("dddddddddddd", "reader"))
        assert check.open(case_id).state.tables == repo.reload(opened).state.tables
    assert desk.open(case_id).state.tables == laptop.open(case_id).state.tables


def test_a_case_whose_parts_the_shelf_forgot_names_them_again_and_writes_no_new_one(tmp_path):
    desk = repo_for(tmp_path, "desk", DESK)
    first = large_case(desk)
    opened = desk.open(first)  # shown in one window while others are read (an agenda)
    for _ in range(replica_parts.SHELVED):  # other large cases push its parts off the shelf
        large_case(desk, records=40)
    parts = kept_files(desk.folder(first))
    named = document(desk.own_file(first))["parts"]
    desk.update(opened, "case", first, {"notes": "back to the first case"})
    assert kept_files(desk.folder(first)) == parts
    assert document(desk.own_file(first))["parts"] == named


def test_sealing_a_plain_folder_seals_a_large_cases_parts_and_it_reads_back_whole(tmp_path):
    from secondview.store import sealing

    plain = repo_for(tmp_path, "desk", DESK)
    case_id = large_case(plain)
    key = FolderKey([new_identity()])
    sealed = repo_for(tmp_path, "desk-sealed", DESK, key)
    done = sealing.seal_own(sealed, key)
    assert done.problems == []
    assert sealing.plain_files(tmp_path / "cases") == []
    for kept in kept_files(plain.folder(case_id)):
        assert kept.read_bytes().startswith(SEALED_LINE)
        assert b"Lab report" not in kept.read_bytes()
    opened = repo_for(tmp_path, "laptop", LAPTOP, key).open(case_id)
    assert opened.problems == () and len(opened.case.records) == 60
    with pytest.raises(CaseError):
        repo_for(tmp_path, "no-key", LAPTOP).open(case_id)  # locked, never read half


def test_a_replica_naming_a_part_of_another_case_read_before_is_still_refused(tmp_path):
    desk = repo_for(tmp_path, "desk", DESK)
    first = large_case(desk)
    desk.open(first)  # its parts are on the shelf now
    second = desk.create({"title": "Knee"}).case_id
    crafted = document(desk.own_file(second))
    crafted["format"], crafted["parts"] = "2.0", document(desk.own_file(first))["parts"]
    crafted["device"] = {"id": "cccccccccccc", "name": "crafted"}
    (desk.folder(second) / "cccccccccccc.json").write_text(json.dumps(crafted))
    opened = desk.open(second)
    assert [p.path.name for p in opened.problems] == ["cccccccccccc.json"]
    assert not opened.case.records  # none of the first case's records


def test_a_part_removed_from_the_folder_after_it_was_read_is_written_again(tmp_path):
    desk = repo_for(tmp_path, "desk", DESK)
    case_id = large_case(desk)
    opened = desk.open(case_id)
    named = document(desk.own_file(case_id))["parts"]
    for name in named:
        (desk.folder(case_id) / "files" / name).unlink()  # a person tidying the folder
    desk.update(opened, "case", case_id, {"notes": "still whole"})
    fresh = repo_for(tmp_path, "laptop", LAPTOP).open(case_id)
    assert not fresh.problems and len(fresh.case.records) == 60
