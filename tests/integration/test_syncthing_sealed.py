"""Proven on real Syncthing, on a sealed cases folder: the sync carries only ciphertext.

The same two real Syncthing instances as ``test_syncthing`` (its fixtures: the Debian package,
loopback only, stopped by process id). The desk seals the folder (a key file under a
passphrase); the laptop, a new device, gets the key file through Syncthing and needs only the
passphrase. Both edit one case while the link is paused (one field on both sides), the link
comes back, and once both folders hold the same bytes each device opens the same merged case,
the shared field in conflict. No file in either cases folder, nor in either device's cache,
holds the title or an edit in plain text; every replica and kept file is an age file, and
the kept file is not named by its SHA-256.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from test_syncthing import pair, repository, syncthing_binary, wait_for_file  # noqa: F401

from secondview.store import key_file
from secondview.store.case_files import digest_of, keep, read_kept
from secondview.store.folder_key import FolderKey, new_identity
from secondview.store.storage import SEALED_LINE

from syncthing_kit import Deadline, Pair, conflict_copies

pytestmark = pytest.mark.slow

TEST_BUDGET = 180.0
"""Seconds from starting Syncthing to the last check (the laptop's unlock runs scrypt)."""

PASSPHRASE = "a long passphrase for both devices"
TITLE = "Zebra knee opinion"
SECRETS = (TITLE, "osteoarthritis", "Ask for the MRI images", "MRI report", "physio first",
           "surgeon suggests", "the radiology letter")


@pytest.fixture
def deadline() -> Deadline:
    return Deadline(TEST_BUDGET)


def plain_text_in(*folders: Path) -> list[str]:
    """Every file under ``folders`` holding one of SECRETS as plain bytes."""
    found = []
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and not path.is_symlink():
                data = path.read_bytes()
                found += [f"{path}: {s}" for s in SECRETS if s.encode() in data]
    return found


def test_edits_made_apart_on_a_sealed_folder_meet_and_no_plain_text_crosses(
    pair: Pair, tmp_path: Path, deadline: Deadline  # noqa: F811
) -> None:
    key = FolderKey([new_identity()])
    key_file.write_key_file(pair.folder_a, key, PASSPHRASE)
    desk = repository(tmp_path, pair.folder_a, "desk")
    desk.key = key
    opened = desk.create({"title": TITLE, "condition": "osteoarthritis", "notes": "first"})
    case_id = opened.case_id
    letter = b"the radiology letter, kept in the case"
    digest = keep(desk.folder(case_id), letter, key)
    desk_file = f"{case_id}/{desk.device.id}.json"
    pair.a.scan()
    wait_for_file(deadline, pair.folder_a / key_file.KEY_FILE, pair.folder_b / key_file.KEY_FILE)
    wait_for_file(deadline, pair.folder_a / desk_file, pair.folder_b / desk_file)
    kept_name = f"{case_id}/files/{key.file_name(digest)}"
    wait_for_file(deadline, pair.folder_a / kept_name, pair.folder_b / kept_name)

    # A new device: the passphrase opens the key file Syncthing brought, nothing else needed.
    laptop = repository(tmp_path, pair.folder_b, "laptop")
    laptop.key = key_file.unlock(pair.folder_b, PASSPHRASE)
    seen = laptop.open(case_id)
    assert seen.case.title == TITLE and seen.problems == ()
    assert read_kept(laptop.folder(case_id), digest, laptop.key) == letter

    pair.pause(deadline)
    on_desk = desk.update(opened, "case", case_id, {"condition": "osteoarthritis, right knee"})
    on_desk, step_id = desk.add(on_desk, "checklist", {"text": "Ask for the MRI images"})
    desk.update(on_desk, "case", case_id, {"notes": "desk: surgeon suggests a new knee"})
    on_laptop = laptop.update(seen, "case", case_id, {"urgency": "soon"})
    on_laptop, record_id = laptop.add(on_laptop, "records",
                                      {"title": "MRI report", "kind": "imaging_report"})
    laptop.update(on_laptop, "case", case_id, {"notes": "laptop: physio first?"})
    pair.a.scan()
    pair.b.scan()
    time.sleep(1.5)  # a watcher's delay: nothing may cross a paused link

    pair.resume(deadline)
    files = pair.wait_same_files(deadline, within=90)
    print(pair.report())  # pytest shows it only if a check below fails
    laptop_file = f"{case_id}/{laptop.device.id}.json"
    assert set(files) == {key_file.KEY_FILE, desk_file, laptop_file, kept_name}
    assert conflict_copies(pair.folder_a) == conflict_copies(pair.folder_b) == []

    a_view, b_view = desk.open(case_id), laptop.open(case_id)
    assert a_view.state.tables == b_view.state.tables
    assert not a_view.problems and not b_view.problems
    for view in (a_view, b_view):
        case = view.case
        assert case.info.condition == "osteoarthritis, right knee"
        assert case.info.urgency == "soon"
        assert [i.text for i in case.checklist if i.id == step_id] == ["Ask for the MRI images"]
        assert [i.title for i in case.records if i.id == record_id] == ["MRI report"]
        assert case.conflicts == (("case", case_id, "notes"),)

    # Only ciphertext on both sides, in the synced folders and in each device's cache.
    assert [r.title for r in desk.list()] == [TITLE] == [r.title for r in laptop.list()]
    desk.close()
    laptop.close()
    for folder in (pair.folder_a, pair.folder_b):
        for rel in (desk_file, laptop_file, kept_name):
            assert (folder / rel).read_bytes().startswith(SEALED_LINE), rel
        assert not (folder / case_id / "files" / digest_of(letter)).exists()
    assert plain_text_in(pair.folder_a, pair.folder_b, desk.paths.cache_dir,
                         laptop.paths.cache_dir) == []
