"""A document of each of several cases, written into one folder (store/export_many.py): one
file per case named from its title, two cases of one title apart, nothing replaced without
being asked, a case that cannot be exported named while the others are written."""

from __future__ import annotations

import datetime as dt
import stat

import pytest

from secondview.store.export_many import export_many
from secondview.store.paths import Device, Paths
from secondview.store.repository import CaseRepository

TODAY = dt.date(2026, 12, 6)


@pytest.fixture
def desk(paths: Paths) -> CaseRepository:
    repo = CaseRepository(paths, Device("aaaaaaaaaaaa", "desk", "n1"), today=TODAY)
    yield repo
    repo.close()


def _cases(repo, *titles):
    return [(repo.create({"title": t, "condition": "c"}).case_id, t) for t in titles]


def test_one_file_per_case_named_from_its_title_0600_in_a_new_0700_folder(desk, tmp_path):
    cases = _cases(desk, "Mum - knee surgery", "Dad: chest/pain")
    folder = tmp_path / "out" / "briefs"
    seen = []
    result = export_many(desk, cases, TODAY, "brief", "md", folder,
                         progress=lambda done, total: seen.append((done, total)))
    assert sorted(p.name for p in result.written) == ["dad-chest-pain-brief.md",
                                                       "mum-knee-surgery-brief.md"]
    assert not result.failed and not result.there
    for path in result.written:
        assert path.parent == folder
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert "Mum - knee surgery" in (folder / "mum-knee-surgery-brief.md").read_text()
    assert seen[-1] == (2, 2)


def test_two_cases_of_one_title_get_two_files(desk, tmp_path):
    cases = _cases(desk, "Knee", "Knee")
    result = export_many(desk, cases, TODAY, "brief", "html", tmp_path)
    assert len({p.name for p in result.written}) == 2
    assert all(p.exists() for p in result.written)


def test_files_that_are_there_are_kept_unless_replace_is_asked(desk, tmp_path):
    cases = _cases(desk, "Knee", "Hip")
    (tmp_path / "knee-brief.md").write_text("mine")
    result = export_many(desk, cases, TODAY, "brief", "md", tmp_path)
    assert [p.name for p in result.there] == ["knee-brief.md"]
    assert result.written == []
    assert (tmp_path / "knee-brief.md").read_text() == "mine"
    assert not (tmp_path / "hip-brief.md").exists()  # nothing written while one is there
    result = export_many(desk, cases, TODAY, "brief", "md", tmp_path, replace=True)
    assert len(result.written) == 2
    assert (tmp_path / "knee-brief.md").read_text() != "mine"


def test_a_case_that_cannot_be_exported_is_named_and_the_others_are_written(desk, tmp_path):
    cases = _cases(desk, "Knee", "Hip") + [("00000000-0000-4000-8000-000000000999", "Gone")]
    result = export_many(desk, cases, TODAY, "comparison", "md", tmp_path)
    assert result.written == []  # a comparison needs two opinions: no case has them
    assert [title for title, _ in result.failed] == ["Knee", "Hip", "Gone"]
    result = export_many(desk, cases, TODAY, "brief", "md", tmp_path)
    assert len(result.written) == 2
    assert [title for title, _ in result.failed] == ["Gone"]


def test_all_writes_every_document_each_case_has(desk, tmp_path):
    cases = _cases(desk, "Knee", "Hip")
    result = export_many(desk, cases, TODAY, "all", "md", tmp_path)
    names = {p.name for p in result.written}
    assert {"knee-brief.md", "hip-brief.md", "knee-decision.md"} <= names
    assert any("comparison" in note for _, note in result.skipped)


def test_a_file_where_the_folder_should_be_is_refused(desk, tmp_path):
    cases = _cases(desk, "Knee")
    (tmp_path / "file").write_text("x")
    with pytest.raises(NotADirectoryError):
        export_many(desk, cases, TODAY, "brief", "md", tmp_path / "file")


def test_the_packets_send_only_the_files_on_this_device(desk, tmp_path):
    # the packet of each case goes through the same check as one case's export
    # (store.exports.build_documents): a file attached on another device is not listed to send
    from secondview.store.editing import Editor

    [(case_id, _)] = _cases(desk, "Knee")
    editor = Editor(desk)
    opened = editor.add(desk.open(case_id), "records",
                        {"title": "MRI report", "kind": "imaging_report"}).saved
    record = opened.case.records[0].id
    (tmp_path / "here.pdf").write_bytes(b"%PDF-1")
    for name, sha in (("here.pdf", "a" * 64), ("gone.pdf", "b" * 64)):
        opened = editor.add(opened, "attachments", {
            "record": record, "path": str(tmp_path / name), "kind": "file", "size": 6,
            "file_count": 1, "sha256": sha}).saved
    out = tmp_path / "packets"
    result = export_many(desk, [(case_id, "Knee")], TODAY, "packet", "md", out)
    packet = result.written[0].read_text()
    assert "a" * 64 in packet
    assert "b" * 64 not in packet and "Not on this device" in packet
