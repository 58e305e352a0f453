"""A sealed cases folder at the store level (store/storage.py's seam, store/folder_key.py,
store/sealed_check.py, store/key_file.py, store/sealing.py, store/remembered_key.py).

- Every replica and kept file a keyed repository writes is one age file; two devices sharing
  the key merge each other's edits; no title can be found in the cases folder, quarantine/
  or foreign/; conflict copies of sealed files merge and are archived as their raw bytes.
- A mixed folder (a device not sealed yet) merges, and its plain files are listed.
- Without the key a sealed file is reported (locked), never quarantined, and nothing plain is
  written into a sealed folder.
- A file sealed to another key, cut, bit-flipped or empty is named with its own reason (from
  age's header) and quarantined as its raw bytes.
- The key file: a wrong passphrase changes nothing; a conflict copy's generations are merged;
  sealing a plain folder skips what is sealed, so a rerun completes a cut-short run.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import time
from pathlib import Path

import pytest

from secondview.store import attachments, key_file, remembered_key, sealed_check, sealing
from secondview.store.case_files import keep, read_kept
from secondview.store.errors import CaseError, ReadOnlyCase
from secondview.store.folder_key import FolderKey, new_identity
from secondview.store.paths import Device, Paths
from secondview.store.repository import CaseRepository
from secondview.store.storage import SEALED_LINE, UnreadableFile, read_bytes

TODAY = dt.date(2026, 11, 21)
DESK = Device("aaaaaaaaaaaa", "desk", "desk-install")
LAPTOP = Device("bbbbbbbbbbbb", "laptop", "laptop-install")
TITLE = "Mum - knee replacement"
STEP = "ask about the cartilage scan"
PASSPHRASE = "correct horse battery staple"


@pytest.fixture(scope="module")
def key() -> FolderKey:
    return FolderKey([new_identity()])


def local(root: Path, name: str) -> Paths:
    return Paths(root / "cases", root / name / "data", root / name / "cache", root / name / "cfg")


def repo_for(root: Path, name: str, device: Device, key: FolderKey | None) -> CaseRepository:
    return CaseRepository(local(root, name), device, None, TODAY, key=key)


def every_file(*folders: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for f in folders if f.exists() for p in sorted(f.rglob("*"))
            if p.is_file()}


def hashes(root: Path) -> dict[str, str]:
    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(root.rglob("*"))
            if p.is_file()}


def test_two_devices_on_a_sealed_folder_merge_and_no_title_is_readable_anywhere(tmp_path, key):
    desk = repo_for(tmp_path, "desk", DESK, key)
    laptop = repo_for(tmp_path, "laptop", LAPTOP, key)
    case_id = desk.create({"title": TITLE}).case_id
    laptop.add(laptop.open(case_id), "checklist", {"text": STEP})
    desk.update(desk.open(case_id), "case", case_id, {"notes": "from the desk"})
    digest = keep(desk.folder(case_id), f"{TITLE}: the report".encode(), key)

    merged = laptop.open(case_id)
    assert merged.problems == ()
    assert {i.text for i in merged.case.checklist} == {STEP}
    assert merged.case.title == TITLE and desk.open(case_id).case.info.notes == "from the desk"
    assert read_kept(desk.folder(case_id), digest, key) == f"{TITLE}: the report".encode()

    replicas = sorted(desk.folder(case_id).glob("*.json"))
    assert [p.name for p in replicas] == [f"{DESK.id}.json", f"{LAPTOP.id}.json"]
    files = every_file(tmp_path / "cases", desk.paths.quarantine_dir, desk.paths.foreign_dir,
                       laptop.paths.quarantine_dir, laptop.paths.foreign_dir)
    assert all(data.startswith(SEALED_LINE) for data in files.values())
    for needle in (TITLE, "Mum", STEP, "cartilage"):
        assert not [p for p, data in files.items() if needle.encode() in data]
    assert sealing.plain_files(tmp_path / "cases") == []


@pytest.mark.parametrize("pattern", [
    "{dev}.sync-conflict-20261121-101010-ABCDEFG.json",
    "{dev} (Someone's conflicted copy 2026-11-21).json",
])
def test_conflict_copies_of_sealed_files_merge_and_are_archived_raw(tmp_path, key, pattern):
    desk = repo_for(tmp_path, "desk", DESK, key)
    laptop = repo_for(tmp_path, "laptop", LAPTOP, key)
    case_id = desk.create({"title": TITLE}).case_id
    laptop.add(laptop.open(case_id), "checklist", {"text": "the first version"})
    own = laptop.own_file(case_id)
    first = read_bytes(own)
    laptop.add(laptop.open(case_id), "checklist", {"text": "the second version"})
    copy = own.parent / pattern.format(dev=LAPTOP.id)
    copy.write_bytes(first)  # the sync tool kept the older version beside the newer one

    opened = desk.open(case_id)
    assert {i.text for i in opened.case.checklist} == {"the first version", "the second version"}
    desk.update(opened, "case", case_id, {"notes": "tidied"})
    assert not copy.exists()
    archived = list((desk.paths.foreign_dir / case_id).iterdir())
    assert [read_bytes(p) for p in archived] == [first]  # the raw, sealed bytes
    assert first.startswith(SEALED_LINE)


def test_a_mixed_folder_merges_and_lists_its_plain_files(tmp_path, key):
    old = repo_for(tmp_path, "laptop", LAPTOP, None)  # a device on a version before sealing
    case_id = old.create({"title": TITLE}).case_id
    old.add(old.open(case_id), "checklist", {"text": STEP})
    key_file.write_key_file(tmp_path / "cases", key, PASSPHRASE)  # the desk sealed the folder
    desk = repo_for(tmp_path, "desk", DESK, key)
    opened = desk.open(case_id)
    assert opened.problems == () and {i.text for i in opened.case.checklist} == {STEP}
    desk.update(opened, "case", case_id, {"notes": "sealed now"})
    assert read_bytes(desk.own_file(case_id)).startswith(SEALED_LINE)
    assert sealing.plain_files(tmp_path / "cases") == [old.own_file(case_id)]
    assert old.open(case_id).problems  # the old device cannot read a sealed file...
    assert not old.paths.quarantine_dir.exists()  # ...and does not take it for a bad one


def test_without_the_key_a_sealed_folder_is_reported_locked_and_never_written(tmp_path, key):
    desk = repo_for(tmp_path, "desk", DESK, key)
    case_id = desk.create({"title": TITLE}).case_id
    (tmp_path / "cases" / key_file.KEY_FILE).write_bytes(SEALED_LINE + b"stands for the key")
    before = hashes(tmp_path / "cases")

    locked = repo_for(tmp_path, "laptop", LAPTOP, None)
    with pytest.raises(CaseError, match="sealed, and the cases folder is locked"):
        locked.open(case_id)
    assert not locked.paths.quarantine_dir.exists()
    with pytest.raises(ReadOnlyCase, match="locked"):
        locked.create({"title": "a new case"})
    assert hashes(tmp_path / "cases") == before


def _sealed_replica(tmp_path: Path, key: FolderKey) -> tuple[CaseRepository, str, Path]:
    desk = repo_for(tmp_path, "desk", DESK, key)
    case_id = desk.create({"title": TITLE}).case_id
    desk.add(desk.open(case_id), "checklist", {"text": STEP * 40})
    laptop = repo_for(tmp_path, "laptop", LAPTOP, key)
    laptop.add(laptop.open(case_id), "checklist", {"text": "laptop"})
    return desk, case_id, laptop.own_file(case_id)


def _cut(raw: bytes, _key: FolderKey) -> bytes:
    return raw[:60]  # inside the header


def _flip_header(raw: bytes, _key: FolderKey) -> bytes:
    at = raw.index(b"\n-> X25519 ") + 15
    flipped = b"B" if raw[at:at + 1] != b"B" else b"C"
    return raw[:at] + flipped + raw[at + 1:]


def _flip_body(raw: bytes, _key: FolderKey) -> bytes:
    data = bytearray(raw)
    data[-40] ^= 0x01
    return bytes(data)


def _other_key(raw: bytes, key: FolderKey) -> bytes:
    return FolderKey([new_identity()]).seal(key.open(Path("x"), raw))


def _passphrase(raw: bytes, key: FolderKey) -> bytes:
    from secondview.store.folder_key import age

    return bytes(age().passphrase.encrypt(key.open(Path("x"), raw), "another"))


@pytest.mark.parametrize(("damage", "reason"), [
    (_other_key, sealed_check.OTHER_KEY),
    (_cut, sealed_check.CUT_HEADER),
    (_flip_header, sealed_check.OTHER_KEY),  # the share no longer meets our key
    (_flip_body, sealed_check.BAD_BODY),
    (lambda raw, key: raw[:-7], sealed_check.BAD_BODY),
    (lambda raw, key: b"", "the file is empty (it may still be syncing)"),
    (lambda raw, key: SEALED_LINE, sealed_check.CUT_HEADER),
])
def test_a_bad_sealed_file_is_named_by_its_reason_and_quarantined_raw(tmp_path, key, damage,
                                                                     reason):
    desk, case_id, laptop_file = _sealed_replica(tmp_path, key)
    bad = damage(read_bytes(laptop_file), key)
    laptop_file.write_bytes(bad)
    opened = desk.open(case_id)
    (problem,) = opened.problems
    assert problem.path == laptop_file and problem.problem == reason
    assert problem.quarantined is not None and read_bytes(problem.quarantined) == bad
    assert not opened.read_only and opened.case.title == TITLE


def test_an_altered_header_mac_and_a_passphrase_file_have_their_own_reasons(key):
    raw = key.seal(b"{}\n")
    at = raw.index(b"\n--- ") + 6
    altered = raw[:at] + (b"A" if raw[at:at + 1] != b"A" else b"B") + raw[at + 1:]
    assert sealed_check.why_not_open(altered, key.identities) == sealed_check.ALTERED_HEADER
    assert sealed_check.why_not_open(_passphrase(raw, key), key.identities) == (
        sealed_check.NOT_FOLDER_KEY)


def test_a_wrong_passphrase_changes_nothing_and_a_conflict_copy_adds_its_generation(tmp_path):
    cases = tmp_path / "cases"
    first = FolderKey([new_identity()])
    key_file.write_key_file(cases, first, PASSPHRASE)
    second = FolderKey([*first.identities, new_identity()])
    copy = cases / "secondview-key.sync-conflict-20261121-101010-ABCDEFG.age"
    copy.write_bytes(key_file.key_file_bytes(second.identities, PASSPHRASE))
    before = hashes(tmp_path)

    with pytest.raises(key_file.WrongPassphrase, match="nothing was changed"):
        key_file.unlock(cases, "not it")
    assert hashes(tmp_path) == before

    unlocked = key_file.unlock(cases, PASSPHRASE)
    assert unlocked.identities == tuple(sorted(second.identities, key=second.identities.index))
    assert unlocked.recovery_key == second.recovery_key
    sealed_by_first = first.seal(b"old generation")
    assert unlocked.open(Path("x"), sealed_by_first) == b"old generation"
    assert second.open(Path("x"), unlocked.seal(b"new")) == b"new"
    assert hashes(tmp_path) == before


def test_a_damaged_or_missing_key_file_is_named_not_taken_for_a_wrong_passphrase(tmp_path):
    cases = tmp_path / "cases"
    cases.mkdir()
    with pytest.raises(key_file.KeyFileError, match="missing"):
        key_file.unlock(cases, PASSPHRASE)
    (cases / key_file.KEY_FILE).write_bytes(b"")
    with pytest.raises(key_file.KeyFileError, match="empty") as caught:
        key_file.unlock(cases, PASSPHRASE)
    assert not isinstance(caught.value, key_file.WrongPassphrase)
    (cases / key_file.KEY_FILE).write_bytes(FolderKey([new_identity()]).seal(b"{}"))
    with pytest.raises(key_file.KeyFileError, match="not sealed with a passphrase"):
        key_file.unlock(cases, PASSPHRASE)


def test_sealing_a_plain_folder_seals_this_device_files_and_a_rerun_completes(tmp_path, key):
    plain = repo_for(tmp_path, "desk", DESK, None)
    ids = [plain.create({"title": f"{TITLE} {n}"}).case_id for n in range(3)]
    digest = keep(plain.folder(ids[0]), b"a note")
    other = repo_for(tmp_path, "laptop", LAPTOP, None)
    other.add(other.open(ids[1]), "checklist", {"text": STEP})

    # A run cut short after the first case: the rerun seals the rest and nothing twice.
    first_own = plain.own_file(ids[0])
    sealed_key = repo_for(tmp_path, "desk", DESK, key)
    first_own.write_bytes(key.seal(read_bytes(first_own)))
    done = sealing.seal_own(sealed_key, key)
    assert sorted(done.sealed) == sorted([plain.own_file(i) for i in ids[1:]]
                                         + [plain.folder(ids[0]) / "files" / key.file_name(digest)])
    assert done.already == 1 and done.problems == []
    again = sealing.seal_own(sealed_key, key)
    assert again.sealed == [] and again.already == 4
    assert sealing.plain_files(tmp_path / "cases") == [other.own_file(ids[1])]
    assert read_kept(plain.folder(ids[0]), digest, key) == b"a note"
    for case_id in ids:
        opened = sealed_key.open(case_id)
        assert opened.problems == () and not opened.read_only
    assert {i.text for i in sealed_key.open(ids[1]).case.checklist} == {STEP}


def test_a_sealed_kept_file_verifies_with_the_key_and_is_unreadable_without(tmp_path, key):
    repo = repo_for(tmp_path, "desk", DESK, key)
    opened = repo.create({"title": TITLE})
    note = b"the pathology report"
    digest = keep(repo.folder(opened.case_id), note, key)
    opened, record = repo.add(opened, "records", {"title": "Pathology", "kind": "pathology_report"})
    repo.add(opened, "attachments", {"record": record, "path": "report.txt", "kind": "kept",
                                     "size": len(note), "file_count": 1, "sha256": digest})
    case = repo.open(opened.case_id).case
    (check,) = attachments.verify(case, case_folder=repo.folder(case.id), key=key)
    assert check.status == attachments.OK, check.detail
    (locked,) = attachments.verify(case, case_folder=repo.folder(case.id))
    assert locked.status == attachments.UNREADABLE and "locked" in locked.detail


def test_a_copy_kept_in_a_sealed_case_is_sealed_and_no_plain_byte_reaches_the_folder(
        tmp_path, key):
    """Keep a copy (f, the box ticked) and open it with the viewer (o) in a sealed folder."""
    from secondview.store.opener import Opener, open_kept

    repo = repo_for(tmp_path, "desk", DESK, key)
    opened = repo.create({"title": TITLE})
    folder = repo.folder(opened.case_id)
    report = tmp_path / "biopsy-report.pdf"
    report.write_bytes(b"%PDF-1.4 " + b"Gleason score 7 " * 5000)
    digest = attachments.keep_in_case(str(report), folder, key=key)
    assert digest.kind == "kept"
    assert digest.sha256 == hashlib.sha256(report.read_bytes()).hexdigest()
    for path in folder.rglob("*"):
        if path.is_file():
            raw = path.read_bytes()
            assert raw.startswith(SEALED_LINE) and b"Gleason" not in raw, path
    assert read_kept(folder, digest.sha256, key) == report.read_bytes()

    handed = tmp_path / "handed"
    viewer = tmp_path / "viewer"
    viewer.write_text(f'#!/bin/sh\nprintf "%s" "$1" > {handed}\n')
    viewer.chmod(0o700)
    copy = open_kept(folder, digest.sha256, "biopsy-report.pdf", tmp_path / "cache",
                     Opener((str(viewer),)), key)
    assert copy.read_bytes() == report.read_bytes()
    for _ in range(100):  # the viewer runs on its own
        if handed.exists() and handed.read_text():
            break
        time.sleep(0.05)
    assert handed.read_text() == str(copy.absolute())


def test_a_remembered_key_lives_in_a_private_file_only_with_consent(tmp_path, key):
    paths = local(tmp_path, "desk")
    (tmp_path / "cases").mkdir()
    (tmp_path / "cases" / key_file.KEY_FILE).write_bytes(SEALED_LINE + b"the key file")
    assert remembered_key.remember(paths, key, use_keyring=False) is None
    assert remembered_key.recall(paths) is None
    assert remembered_key.remember(paths, key, consent_to_file=True,
                                   use_keyring=False) == remembered_key.FILE
    stored = paths.data_dir / remembered_key.FILE_NAME
    assert os.stat(stored).st_mode & 0o777 == 0o600
    recalled = remembered_key.recall(paths)
    assert recalled is not None and recalled.identities == key.identities
    assert remembered_key.forget(paths) and remembered_key.recall(paths) is None


def test_a_remembered_key_is_not_used_once_the_key_file_changed(tmp_path, key):
    paths = local(tmp_path, "desk")
    (tmp_path / "cases").mkdir()
    (tmp_path / "cases" / key_file.KEY_FILE).write_bytes(SEALED_LINE + b"generation one")
    remembered_key.remember(paths, key, consent_to_file=True, use_keyring=False)
    assert remembered_key.recall(paths) is not None
    # another device re-keyed: its new files are sealed to a generation this key lacks
    (tmp_path / "cases" / key_file.KEY_FILE).write_bytes(SEALED_LINE + b"generation two")
    assert remembered_key.recall(paths) is None


def test_a_sealed_folder_names_kept_files_by_hmac_not_by_their_sha256(tmp_path, key):
    from secondview.core.export_packet import packet

    desk = repo_for(tmp_path, "desk", DESK, key)
    opened = desk.create({"title": TITLE})
    before = b"kept before the sealing"
    plain_digest = keep(desk.folder(opened.case_id), before)  # no key: a plain folder then
    note = b"the pathology report, sealed"
    digest = keep(desk.folder(opened.case_id), note, key)
    opened, record = desk.add(opened, "records", {"title": "Pathology",
                                                  "kind": "pathology_report"})
    desk.add(opened, "attachments", {"record": record, "path": "report.txt", "kind": "kept",
                                     "size": len(note), "file_count": 1, "sha256": digest})
    files = desk.folder(opened.case_id) / "files"
    assert digest not in {p.name for p in files.iterdir()}
    assert (files / key.file_name(digest)).exists()
    assert read_kept(desk.folder(opened.case_id), plain_digest, key) == before  # mixed

    laptop = repo_for(tmp_path, "laptop", LAPTOP, key)  # a second device, same folder
    case = laptop.open(opened.case_id).case
    (check,) = attachments.verify(case, case_folder=laptop.folder(case.id), key=key)
    assert check.status == attachments.OK and check.digest is not None
    assert check.digest.sha256 == digest
    assert read_kept(laptop.folder(case.id), digest, key) == note
    assert digest in packet(case, TODAY).render("md")

    sealing.seal_own(desk, key)  # the file kept before the sealing gets its sealed name
    names = {p.name for p in files.iterdir()}
    assert names == {key.file_name(digest), key.file_name(plain_digest)}
    assert all(p.read_bytes().startswith(SEALED_LINE) for p in files.iterdir())
    assert read_kept(laptop.folder(case.id), plain_digest, key) == before


def test_a_file_name_key_is_derived_once_per_use_from_the_identity(key):
    from secondview.store.folder_key import FILES_LABEL, derived_key

    identity = key.identities[-1]
    assert derived_key(identity, FILES_LABEL) == derived_key(identity, FILES_LABEL)
    assert derived_key(identity, FILES_LABEL) != derived_key(identity, b"secondview index v1")
    other = FolderKey([new_identity()])
    assert other.file_name("0" * 64) != key.file_name("0" * 64)
    assert key.file_name("0" * 64) != "0" * 64 and len(key.file_name("0" * 64)) == 64


def test_a_sealed_folders_index_is_kept_sealed_and_rebuilt_under_another_key(
        tmp_path, key, monkeypatch):
    from secondview.store import sealed_index

    title = "Zebra-title-xyz"
    cache = tmp_path / "desk" / "cache"
    cache.mkdir(parents=True)
    (cache / "index.sqlite").write_bytes(b"an index left from before the sealing")
    desk = repo_for(tmp_path, "desk", DESK, key)
    desk.create({"title": title})
    assert [s.title for s in desk.list()] == [title]
    desk.close()
    files = [p for p in cache.rglob("*") if p.is_file()]
    assert sealed_index.sealed_index_file(desk.paths.index_file) in files
    assert not desk.paths.index_file.exists()
    for path in files:
        assert title.encode() not in path.read_bytes(), path

    again = repo_for(tmp_path, "desk", DESK, key)

    def no_case_file(*args, **kwargs):
        raise AssertionError("a case file was read")

    monkeypatch.setattr(CaseRepository, "_read_files", no_case_file)
    assert [s.title for s in again.indexed()] == [title]  # from the sealed cache alone
    again.close()
    monkeypatch.undo()

    stranger = repo_for(tmp_path, "desk", DESK, FolderKey([new_identity()]))
    assert stranger.indexed() == []  # another key: an index to rebuild, not a crash
    stranger.close()
    locked = CaseRepository(local(tmp_path, "desk"), DESK, None, TODAY)
    key_file.write_key_file(tmp_path / "cases", key, PASSPHRASE)
    assert locked.indexed() == []  # locked: nothing read, nothing written
    locked.close()
    assert not desk.paths.index_file.exists()


def test_the_sealed_index_is_saved_every_few_seconds_after_writes(tmp_path, key):
    import sqlite3

    from secondview.store.sealed_index import SAVE_EVERY, SealedIndex

    now = [0.0]
    index = SealedIndex(tmp_path / "index.sqlite", key, clock=lambda: now[0])
    db = index.load(sqlite3.connect)
    db.execute("CREATE TABLE t (x TEXT)")
    db.execute("INSERT INTO t VALUES ('a row')")
    index.written(db)
    assert not index.path.exists()  # too soon
    now[0] += SAVE_EVERY
    index.written(db)  # sealed and written in a thread: the write that triggers it goes on
    index.finish()
    assert index.path.read_bytes().startswith(SEALED_LINE)
    db.execute("INSERT INTO t VALUES ('a second row')")
    now[0] += SAVE_EVERY
    index.written(db)
    index.save(db)  # at close: waits for the periodic save before its own, so they land in order
    again = SealedIndex(tmp_path / "index.sqlite", key).load(sqlite3.connect)
    assert again.execute("SELECT x FROM t").fetchall() == [("a row",), ("a second row",)]
    index.path.write_bytes(index.path.read_bytes()[:200])  # cut: rebuilt, not a crash
    empty = SealedIndex(tmp_path / "index.sqlite", key).load(sqlite3.connect)
    assert empty.execute("SELECT name FROM sqlite_master").fetchall() == []


def test_a_file_just_sealed_or_opened_is_not_decrypted_again(monkeypatch):
    import pyrage

    key = FolderKey([new_identity()])  # its own: the module's key remembers other files
    calls = []
    decrypt = pyrage.decrypt
    monkeypatch.setattr(pyrage, "decrypt", lambda *a: calls.append(1) or decrypt(*a))
    written = key.seal(b"a replica just written")
    assert key.open(Path("own.json"), written) == b"a replica just written"
    assert calls == []
    other = FolderKey(key.identities).seal(b"a replica of another device")
    assert key.open(Path("other.json"), other) == b"a replica of another device"
    assert key.open(Path("other.json"), bytes(other)) == b"a replica of another device"
    assert calls == [1]  # opened once, then known
    flipped = bytearray(other)
    flipped[-1] ^= 1
    with pytest.raises(UnreadableFile):
        key.open(Path("other.json"), bytes(flipped))  # never taken for the one it knew


def test_an_unlock_while_the_sealing_is_turned_off_writes_plain_and_the_last_removes_the_key(
        tmp_path, key):
    desk = repo_for(tmp_path, "desk", DESK, key)
    case_id = desk.create({"title": TITLE}).case_id
    keep(desk.folder(case_id), b"a note", key)
    key_file.write_key_file(tmp_path / "cases", key.unsealing(), PASSPHRASE)
    opened = key_file.unlock(tmp_path / "cases", PASSPHRASE)
    assert opened.plain and not opened.seals
    done = sealing.seal_at_unlock(desk, opened)  # what the app's unlock screen runs
    assert len(done.sealed) == 2 and done.problems == []
    assert sealing.sealed_files(tmp_path / "cases") == []
    assert not key_file.is_sealed_folder(tmp_path / "cases")
    assert TITLE.encode() in desk.own_file(case_id).read_bytes()


def test_a_sealed_file_in_a_plain_folder_is_named_and_quarantined_not_called_locked(tmp_path,
                                                                                     key):
    desk = repo_for(tmp_path, "desk", DESK, None)
    case_id = desk.create({"title": TITLE}).case_id
    stray = desk.folder(case_id) / f"{LAPTOP.id}.json"
    stray.write_bytes(key.seal(b"{}"))  # sealed, in a folder that is not
    opened = desk.open(case_id)
    (problem,) = [p for p in opened.problems if p.path == stray]
    assert "not sealed" in problem.problem and "unlock" not in problem.problem
    assert problem.quarantined is not None
    assert problem.quarantined.read_bytes() == stray.read_bytes()
    assert not opened.read_only


def test_an_index_opened_while_locked_is_opened_again_sealed_once_unlocked(tmp_path, key):
    from secondview.store.sealed_index import sealed_index_file

    desk = repo_for(tmp_path, "desk", DESK, key)
    case_id = desk.create({"title": TITLE}).case_id
    desk.close()
    key_file.write_key_file(tmp_path / "cases", key, PASSPHRASE)
    app = repo_for(tmp_path, "laptop", LAPTOP, None)  # the app starts locked...
    assert app.indexed() == []
    app.key = key  # ...and its unlock screen gives the repository the key
    assert [s.id for s in app.list()] == [case_id]
    app.close()
    assert sealed_index_file(app.paths.index_file).exists()
    assert not app.paths.index_file.exists()


def test_a_large_file_is_not_remembered_in_memory(monkeypatch):
    # the sealed index of a large folder carries the search text: its plain and sealed bytes
    # must not stay in memory after it is written
    import pyrage

    from secondview.store.folder_key import RECENT_MOST_BYTES

    key = FolderKey([new_identity()])
    calls = []
    decrypt = pyrage.decrypt
    monkeypatch.setattr(pyrage, "decrypt", lambda *a: calls.append(1) or decrypt(*a))
    large = b"x" * (RECENT_MOST_BYTES + 1)
    assert key.open(Path("index.sqlite.age"), key.seal(large)) == large
    assert calls == [1]  # decrypted: it was not remembered
    small = key.seal(b"a replica")
    assert key.open(Path("own.json"), small) == b"a replica" and calls == [1]
