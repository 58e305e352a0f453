"""Search across every case (store.search_index, core.search_text): the index is written
with the case list's, on every save and every merge from another device, and rebuilt with
it; never in the cases folder."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from secondview.core import fhir
from secondview.core.search_text import MAX_PIECES, MAX_TEXT, PANE_ORDER, searchable, snippet
from secondview.store.case_files import keep_all
from secondview.store.paths import Device, Paths
from secondview.store.repository import CaseRepository, OpenCase

TODAY = dt.date(2026, 12, 6)
DESK = Device("aaaaaaaaaaaa", "desk")
LAPTOP = Device("bbbbbbbbbbbb", "laptop")
SYNTHEA = Path("/work/shared/fhir/synthea")


@pytest.fixture
def desk(paths: Paths):
    repo = CaseRepository(paths, DESK, today=TODAY)
    yield repo
    repo.close()


def _laptop(paths: Paths) -> CaseRepository:
    local = paths.data_dir.parent / "laptop"
    return CaseRepository(Paths(paths.cases_dir, local / "data", local / "cache",
                                local / "config"), LAPTOP, today=TODAY)


def _garcia(repo: CaseRepository, title: str = "Garcia, Maria") -> tuple[OpenCase, str]:
    opened = repo.create({"title": title, "condition": "Lumbar stenosis"})
    opened, record = repo.add(opened, "records", {"title": "MRI lumbar spine",
                                                  "source": "Valley Imaging"})
    opened, _ = repo.add(opened, "transfers", {"record": record, "recipient": "Dr. Patel",
                                               "requested_on": "2026-10-27"})
    return opened, record


def _search(repo: CaseRepository, text: str, archived: bool = False):
    return repo.index.search.search(text, archived)


def test_a_transfer_recipient_is_found_by_part_of_a_word(desk):
    opened, record = _garcia(desk)
    desk.create({"title": "Lee, Ann", "condition": "Asthma"})
    [hit] = _search(desk, "Pat")
    [transfer] = [t for t in opened.case.transfers if t.record == record]
    assert (hit.case_id, hit.case_title, hit.pane, hit.item_id) == (
        opened.case_id, "Garcia, Maria", "records", transfer.id)  # its row, under the record
    assert hit.where == "Transfer to Dr. Patel (MRI lumbar spine)"
    assert "Patel" in hit.snippet
    assert [h.where for h in _search(desk, "mri")] == ["Records: MRI lumbar spine"]
    assert desk.index.search.case_ids("patel") == {opened.case_id}


def test_short_queries_use_like_and_blank_finds_nothing(desk):
    _garcia(desk)
    assert {h.where for h in _search(desk, "Dr")} == {"Transfer to Dr. Patel (MRI lumbar spine)"}
    assert _search(desk, "  ") == []
    assert _search(desk, '"%_') == []


def test_the_index_follows_every_save(desk):
    opened, record = _garcia(desk)
    opened = desk.update(opened, "records", record, {"title": "CT chest"})
    assert _search(desk, "MRI") == []
    assert [h.where for h in _search(desk, "CT chest")] == ["Records: CT chest"]
    desk.delete(opened, "records", record)
    assert _search(desk, "chest") == [] and _search(desk, "Patel") == []


def test_archived_cases_only_on_request(desk):
    opened, _ = _garcia(desk)
    desk.set_archived(opened, True)
    assert _search(desk, "Patel") == []
    [hit] = _search(desk, "Patel", archived=True)
    assert hit.archived


def test_a_merge_from_another_device_reaches_the_index_on_refresh(paths, desk):
    opened, record = _garcia(desk)
    desk.list()
    laptop = _laptop(paths)
    there = laptop.open(opened.case_id)
    laptop.add(there, "doctors", {"name": "Dr. Okafor", "institution": "Mercy Spine Center"})
    laptop.close()
    assert _search(desk, "Okafor") == []
    desk.refresh()
    [hit] = _search(desk, "mercy")
    assert (hit.pane, hit.where) == ("doctors", "Doctors: Dr. Okafor")
    # every word must be in the case; each text holding one of them is a hit
    assert [h.where for h in _search(desk, "spine mercy")] == [
        "Records: MRI lumbar spine", "Doctors: Dr. Okafor"]
    assert _search(desk, "spine asthma") == []


def test_rebuilt_when_deleted_and_never_written_in_the_cases_folder(paths, desk):
    _garcia(desk)
    desk.close()
    for name in list(paths.cache_dir.iterdir()):
        if name.name.startswith(paths.index_file.name):
            name.unlink()
    again = CaseRepository(paths, DESK, today=TODAY)
    assert _search(again, "Patel") == []
    again.refresh()
    assert [h.case_title for h in _search(again, "Patel")] == ["Garcia, Maria"]
    again.close()
    inside = [p for p in paths.cases_dir.rglob("*") if p.is_file()]
    assert inside and all(p.suffix == ".json" for p in inside)


def test_one_edit_rewrites_one_row(desk):
    opened, record = _garcia(desk)
    db = desk.index_db()
    before = dict(db.execute("SELECT id, text FROM search_rows").fetchall())
    desk.update(opened, "records", record, {"notes": "Ask for the disc"})
    after = dict(db.execute("SELECT id, text FROM search_rows").fetchall())
    assert set(before) <= set(after) and len(after) == len(before) + 1


@pytest.mark.skipif(not SYNTHEA.is_dir(), reason="the shared FHIR files are not here")
def test_an_imported_notes_text_is_found(desk):
    opened = desk.create({"title": "Jacobs, Aurore"})
    source = sorted(SYNTHEA.glob("Aurore*.json"))[0]
    plan = fhir.plan(fhir.parse(source.read_bytes()), opened.state)
    keep_all(desk.folder(opened.case_id), plan.files, desk.key)
    desk.apply(opened, list(plan.writes), "Imported")
    hits = [h for h in _search(desk, "non-hispanic white female")
            if h.where.startswith("Imported note: ")]
    assert hits and all(h.pane == "records" for h in hits)
    # kept notes are read once: their text is remembered by name
    assert desk.index_db().execute("SELECT COUNT(*) FROM search_kept").fetchone()[0] > 0


def test_searchable_text_is_bounded_and_in_pane_order(desk):
    from dataclasses import replace

    from secondview.core.model import Item

    opened, _ = _garcia(desk)
    opened, _ = desk.add(opened, "questions", {"text": "Is surgery needed?"})
    hostile = Item("checklist", "c" * 36, {"text": "y" * 500, "notes": "x" * 900_000})
    case = replace(opened.case, checklist=(hostile,) * (MAX_PIECES + 10))
    found = searchable(case)
    assert len(found) == MAX_PIECES
    assert all(len(p.text) <= MAX_TEXT and len(p.where) <= 80 for p in found)
    found = searchable(opened.case)
    assert [PANE_ORDER.index(p.pane) for p in found] == sorted(
        PANE_ORDER.index(p.pane) for p in found)
    assert MAX_PIECES >= 1000


def test_pane_order_is_the_workspaces():
    from secondview.ui.case_panes import PANE_NAMES

    assert PANE_ORDER == PANE_NAMES


def test_snippet_shows_the_match():
    text = "word " * 40 + "Patel sent the films" + " more" * 40
    shown = snippet(text, "patel", 40)
    assert "Patel" in shown and shown.startswith("\u2026") and len(shown) <= 42


def test_letters_beyond_ascii_and_like_wildcards(desk):
    desk.create({"title": "García, Ana", "condition": "50% stenosis"})
    desk.create({"title": "Other", "condition": "500 mg"})
    assert [h.case_title for h in _search(desk, "GARCÍA")] == ["García, Ana"]
    assert [h.where for h in _search(desk, "50%")] == ["Condition"]
    assert _search(desk, "5_0") == []


def test_a_write_by_another_process_is_seen(paths, desk):
    opened, _ = _garcia(desk)
    assert desk.index.search.case_ids("patel") == {opened.case_id}
    other = CaseRepository(paths, DESK, today=TODAY)  # the command line, say
    other.update(other.open(opened.case_id), "case", opened.case_id, {"title": "Garcia, M."})
    other.set_archived(other.open(opened.case_id), True)
    other.close()
    assert desk.index.search.case_ids("patel", include_archived=False) == set()
    [hit] = [h for h in _search(desk, "patel", archived=True) if h.pane == "records"]
    assert (hit.case_title, hit.archived) == ("Garcia, M.", True)


def test_pieces_remembered_between_saves_are_those_made_afresh(desk):
    opened, record = _garcia(desk)
    opened, question = desk.add(opened, "questions", {"text": "Is surgery needed?"})
    opened, opinion = desk.add(opened, "opinions", {"doctor": "Dr. Lin"})
    opened, _ = desk.add(opened, "answers", {"question": question, "opinion": opinion,
                                             "text": "Not yet"})
    memo: dict = {}
    assert searchable(opened.case, memo=memo) == searchable(opened.case)
    for table, item, values in (("questions", question, {"text": "Is it urgent?"}),
                                ("opinions", opinion, {"doctor": "Dr. Lin Wei"}),
                                ("records", record, {"title": "CT spine"})):
        opened = desk.update(opened, table, item, values)
        assert searchable(opened.case, memo=memo) == searchable(opened.case)
    assert any(p.where == "Answer to: Is it urgent? (Dr. Lin Wei)" for p in
               searchable(opened.case, memo=memo))
    assert [h.where for h in _search(desk, "CT spine")][:1] == ["Records: CT spine"]


@pytest.mark.skipif(not SYNTHEA.is_dir(), reason="the shared FHIR files are not here")
def test_a_note_synced_after_its_case_is_found_at_the_next_refresh(desk, paths):
    opened = desk.create({"title": "Jacobs, Aurore"})
    source = sorted(SYNTHEA.glob("Aurore*.json"))[0]
    plan = fhir.plan(fhir.parse(source.read_bytes()), opened.state)
    keep_all(desk.folder(opened.case_id), plan.files, desk.key)
    desk.apply(opened, list(plan.writes), "Imported")
    kept = desk.folder(opened.case_id) / "files"
    in_transit = paths.data_dir.parent / "in-transit"
    in_transit.mkdir()
    for note in list(kept.iterdir()):  # the replica synced to the laptop before its notes
        note.rename(in_transit / note.name)
    laptop = _laptop(paths)
    laptop.refresh()
    assert not _search(laptop, "non-hispanic white female")
    for note in list(in_transit.iterdir()):
        note.rename(kept / note.name)
    laptop.refresh()
    hits = _search(laptop, "non-hispanic white female")
    assert hits and all(h.where.startswith("Imported note: ") for h in hits)
    laptop.close()
