"""Files kept inside a case folder, named by their content (store/case_files.py)."""

from __future__ import annotations

import os
import stat

import pytest

from secondview.store.case_files import (
    MAX_KEPT_BYTES,
    CaseFileError,
    digest_of,
    keep,
    kept_path,
    read_kept,
)

NOTE = b"# Chief Complaint\nKnee pain after a fall.\n"


@pytest.fixture
def case_folder(tmp_path):
    folder = tmp_path / "cases" / "0b6f3f0e-7c1a-4f55-9d3a-1f6d2e8b9a70"
    folder.mkdir(parents=True)
    return folder


def test_a_kept_file_is_named_by_its_content_private_and_read_back_checked(case_folder):
    digest = keep(case_folder, NOTE)
    path = kept_path(case_folder, digest)
    assert digest == digest_of(NOTE) and path == case_folder / "files" / digest
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert read_kept(case_folder, digest) == NOTE
    assert [p.name for p in path.parent.iterdir()] == [digest]  # no temp file left


def test_the_same_content_twice_is_one_file_never_rewritten(case_folder):
    digest = keep(case_folder, NOTE)
    before = os.stat(kept_path(case_folder, digest))
    assert keep(case_folder, NOTE) == digest
    after = os.stat(kept_path(case_folder, digest))
    assert (before.st_ino, before.st_mtime_ns) == (after.st_ino, after.st_mtime_ns)


def test_a_changed_or_missing_file_is_reported_never_shown(case_folder):
    digest = keep(case_folder, NOTE)
    kept_path(case_folder, digest).write_bytes(NOTE[:-5])
    with pytest.raises(CaseFileError, match="has changed"):
        read_kept(case_folder, digest)
    assert keep(case_folder, NOTE) == digest  # keeping it again puts the right bytes back
    assert read_kept(case_folder, digest) == NOTE
    with pytest.raises(CaseFileError, match="missing"):
        read_kept(case_folder, digest_of(b"never kept"))
    with pytest.raises(CaseFileError, match="not the SHA-256"):
        read_kept(case_folder, "../../../etc/passwd")


def test_links_are_never_followed_out_of_the_case_folder(case_folder, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (case_folder / "files").symlink_to(outside)
    with pytest.raises(CaseFileError, match="link"):
        keep(case_folder, NOTE)
    assert list(outside.iterdir()) == []
    (case_folder / "files").unlink()
    (case_folder / "files").mkdir()
    secret = outside / "secret"
    secret.write_bytes(NOTE)
    (case_folder / "files" / digest_of(NOTE)).symlink_to(secret)
    with pytest.raises(CaseFileError, match="link"):
        read_kept(case_folder, digest_of(NOTE))


def test_a_file_too_large_to_keep_is_refused_with_its_size(case_folder):
    with pytest.raises(CaseFileError, match="larger than"):
        keep(case_folder, bytes(MAX_KEPT_BYTES + 1))
    assert not (case_folder / "files").exists()
