"""Saving a large case (store/replica_writer.py, core.replica's memos): an edit after an import
of thousands of records works on what it changed, and the file is still exactly the
canonical bytes of the state.

- A save of one field of a case of 400 records computes neither the text nor the item of
  any record again (counted through ``CaseState.memoized``, the one door to that work).
- After edits of every kind (the case, a record, a deletion, another device's file merged),
  the file written holds exactly ``replica_bytes`` of the state, made from nothing cached.
- The state remembers one table object per name: a table edited again and again is not
  kept over and over in memory.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from secondview.core import model
from secondview.core.replica import CaseState, Write
from secondview.store.paths import Device, Paths
from secondview.store.repository import CaseRepository, OpenCase
from secondview.store.storage import replica_bytes

DESK = Device("aaaaaaaaaaaa", "desk", "1111")
LAPTOP = Device("bbbbbbbbbbbb", "laptop", "2222")
RECORDS = 400


@pytest.fixture
def repo(paths: Paths):
    repository = CaseRepository(paths, DESK)
    yield repository
    repository.close()


def _bulk(repo: CaseRepository) -> OpenCase:
    writes = [Write("records", f"rec-{n:04d}", {"title": f"Lab {n}", "kind": "labs",
                                                "date": "2026-01-02", "notes": "x " * n})
              for n in range(RECORDS)]
    opened = repo.create({"title": "Bulk export"}, extra=writes)
    return repo.update(opened, "case", opened.case_id, {"notes": "first edit"})


def _counting(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []
    real = CaseState.memoized

    def counted(self: CaseState, doc: Any, slot: int, make: Any) -> Any:
        calls.append(slot)
        return real(self, doc, slot, make)

    monkeypatch.setattr(CaseState, "memoized", counted)
    return calls


def test_a_save_works_on_what_it_changed_not_on_every_record(
        repo: CaseRepository, monkeypatch: pytest.MonkeyPatch) -> None:
    opened = _bulk(repo)
    calls = _counting(monkeypatch)
    opened = repo.update(opened, "case", opened.case_id, {"notes": "second edit"})
    assert opened.case.info.values["notes"] == "second edit"
    assert len(opened.case.records) == RECORDS
    # the case document and the log (one new line each save): a handful, not 2 x 400
    assert len(calls) < 40, len(calls)
    calls.clear()
    opened = repo.update(opened, "records", "rec-0007", {"title": "Lab seven"})
    assert [r.title for r in opened.case.records if r.id == "rec-0007"] == ["Lab seven"]
    # an edited table is written again whole (its documents' texts are remembered)
    assert calls.count(2) <= RECORDS + 40 and calls.count(1) <= RECORDS + 40


def _file_is_the_state(repo: CaseRepository, opened: OpenCase) -> None:
    fresh = CaseState(opened.state.tables)  # nothing remembered: every byte made anew
    expected = replica_bytes(fresh.tables, DESK.id, DESK.name, install=DESK.install)
    assert repo.own_file(opened.case_id).read_bytes() == expected
    assert fresh.case() == opened.case


def test_the_file_is_the_canonical_bytes_after_every_kind_of_edit(
        repo: CaseRepository, paths: Paths, tmp_path: Path) -> None:
    opened = _bulk(repo)
    _file_is_the_state(repo, opened)
    opened = repo.update(opened, "records", "rec-0003", {"title": "Lipid panel"})
    _file_is_the_state(repo, opened)
    opened = repo.delete(opened, "records", "rec-0004")
    _file_is_the_state(repo, opened)
    opened, _ = repo.add(opened, "questions", {"text": "Is this urgent?"})
    _file_is_the_state(repo, opened)
    # another device's edit arrives by sync: merged, and the next save writes it in
    laptop_paths = Paths(tmp_path / "laptop-cases", tmp_path / "laptop-data",
                         tmp_path / "laptop-cache", tmp_path / "laptop-config")
    shutil.copytree(paths.cases_dir, laptop_paths.cases_dir)
    laptop = CaseRepository(laptop_paths, LAPTOP)
    try:
        theirs = laptop.open(opened.case_id)
        laptop.update(theirs, "records", "rec-0005", {"title": "CBC"})
    finally:
        laptop.close()
    shutil.copy(laptop_paths.cases_dir / opened.case_id / f"{LAPTOP.id}.json",
                paths.cases_dir / opened.case_id)
    opened = repo.update(opened, "case", opened.case_id, {"notes": "after the sync"})
    assert {r.id: r.title for r in opened.case.records}["rec-0005"] == "CBC"
    _file_is_the_state(repo, opened)


def test_one_table_object_per_name_is_remembered(repo: CaseRepository) -> None:
    opened = _bulk(repo)
    for n in range(5):
        opened = repo.update(opened, "records", f"rec-{n:04d}", {"title": f"Panel {n}"})
    memo = opened.state.table_memo
    assert set(memo) <= set(model.TABLES)
    assert memo["records"][0] is opened.state.tables["records"]


def test_a_save_does_not_read_back_the_kept_copy_it_replaces(
        repo: CaseRepository, paths: Paths, monkeypatch: pytest.MonkeyPatch) -> None:
    """This install's record (``store.twin_installs``) keeps a copy of the replica after a
    line of journals; a save that adds a write needs the journals alone."""
    from secondview.store import twin_installs

    opened = _bulk(repo)
    reads: list[Path] = []
    real = twin_installs.read_bytes
    monkeypatch.setattr(twin_installs, "read_bytes", lambda p: reads.append(p) or real(p))
    opened = repo.update(opened, "case", opened.case_id, {"notes": "one more"})
    assert reads == []
    kept = twin_installs.read_kept(paths, opened.case_id)
    assert kept is not None and kept.raw == repo.own_file(opened.case_id).read_bytes()
    number = opened.state.counter(DESK.id)
    assert set(kept.journals[DESK.id].logs) >= {number - 1, number}
    # a save that adds no write and keeps the same bytes leaves the record as it is
    record = twin_installs.kept_path(paths, opened.case_id)
    before = record.stat()
    reads.clear()
    twin_installs.record(paths, opened.case_id, kept.raw, DESK.id, 0, opened.state.tables)
    assert record.stat().st_ino == before.st_ino and reads == [record]
