"""Sync across devices at the folder level (store/foreign_copies.py, sync_status.py,
replica_transfer.py, core/separation.py; cli/sync.py).

- Foreign copies (sync tools' conflict copies in several tools' and languages' names, a
  OneDrive host-name copy, a replica restored from a backup, a file under a misleading name)
  are merged by the case id inside; a save archives each in the local data folder (same
  bytes) and only then removes it; a device's own file is never touched.
- A device id in use by two installs (a copied home folder) is noticed; the device takes a
  new id and no edit is lost, whether the other install's file arrived at once, after both
  edited offline (with or without a conflict copy, with different or identical install
  nonces), or while the case was open.
- Clocks hours apart still merge by causality; the times shown are hybrid-clock stamps.
- The command line: ``sync status``, ``sync tidy``, ``import`` and ``export --replica``;
  two devices on one folder through the command line, in turns and at once.

Every folder is a tmp folder; devices are CaseRepository objects with their own local folders
over one cases folder (or over copies of it, where a sync tool is played by the test).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from secondview import cli
from secondview.core.hybrid_clock import HybridClock, format_stamp
from secondview.store import sync
from secondview.store.paths import Device, Paths
from secondview.store.repository import CaseError, CaseRepository, OpenCase
from secondview.store.storage import Stamp, parse_replica, read_bytes

TODAY = dt.date(2026, 11, 21)
DESK = Device("aaaaaaaaaaaa", "desk", "desk-install")
LAPTOP = Device("bbbbbbbbbbbb", "laptop", "laptop-install")
HOUR = 3_600_000
T0 = 1_795_000_000_000  # November 2026, in ms


def local(root: Path, name: str, cases: Path) -> Paths:
    """A device's view: the cases folder given, its own local folders under root/name."""
    return Paths(cases, root / name / "data", root / name / "cache", root / name / "config")


def repo_for(root: Path, name: str, device: Device, cases: Path | None = None,
             clock: HybridClock | None = None) -> CaseRepository:
    return CaseRepository(local(root, name, cases or root / "cases"), device, clock, TODAY)


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith("SECONDVIEW_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("SECONDVIEW_DATA_DIR", str(tmp_path / "env" / "data"))
    monkeypatch.setenv("SECONDVIEW_CACHE_DIR", str(tmp_path / "env" / "cache"))
    monkeypatch.setenv("SECONDVIEW_CONFIG_DIR", str(tmp_path / "env" / "config"))
    monkeypatch.setenv("SECONDVIEW_CASES", str(tmp_path / "cases"))


def fingerprint(path: Path) -> tuple[bytes, int, int]:
    """What 'left untouched' means: the same bytes, modification time and inode."""
    st = os.stat(path)
    return read_bytes(path), st.st_mtime_ns, st.st_ino


def texts(opened: OpenCase) -> set[str]:
    return {i.text for i in opened.case.checklist}


def values(opened: OpenCase, table: str, doc_id: str, fname: str) -> set:
    return {e["v"] for e in opened.state.register(table, doc_id, fname)}


# ---------------------------------------------------------------------------------------------
# Foreign copies


FOREIGN_NAMES = {
    "syncthing": "{dev}.sync-conflict-20261121-101010-ABCDEFG.json",
    "dropbox": "{dev} (Someone's conflicted copy 2026-11-21).json",
    "nextcloud in French": "{dev} (copie en conflit 2026-11-21 101010).json",
    "nextcloud in German": "{dev} (Konflikt-Kopie 2026-11-21 101010).json",
    "onedrive host-name copy": "{dev}-KITCHEN-PC.json",
    "restored from a backup": "restored from backup 2026-10-01.json",
    "a device's name on another's replica": "cccccccccccc.json",
}


def _edited_elsewhere(tmp_path: Path, original_folder: Path, case_id: str, tag: str,
                      device: Device) -> bytes:
    """The replica ``device`` writes after adding an item to its own copy of the folder."""
    scratch = tmp_path / "elsewhere" / tag
    shutil.copytree(original_folder, scratch / "cases" / case_id)
    other = repo_for(scratch, "local", device, scratch / "cases")
    other.add(other.open(case_id), "checklist", {"text": f"kept by {tag}"})
    data = read_bytes(other.own_file(case_id))
    other.close()
    return data


def test_every_kind_of_foreign_copy_is_merged_by_its_content_then_archived_on_save(tmp_path):
    desk = repo_for(tmp_path, "desk", DESK)
    laptop = repo_for(tmp_path, "laptop", LAPTOP)
    opened = desk.create({"title": "Mum - knee"})
    case_id = opened.case_id
    folder = desk.folder(case_id)
    laptop.add(laptop.open(case_id), "checklist", {"text": "laptop's own step"})
    laptop_file = laptop.own_file(case_id)
    laptop_before = fingerprint(laptop_file)
    copies: dict[str, bytes] = {}
    for tag, pattern in FOREIGN_NAMES.items():
        writer = LAPTOP if "{dev}" in pattern else Device("dddddddddddd", "old phone")
        data = _edited_elsewhere(tmp_path, folder, case_id, tag, writer)
        name = pattern.format(dev=writer.id)
        (folder / name).write_bytes(data)
        os.chmod(folder / name, 0o600)
        copies[name] = data

    # Opening merges every copy, whatever its name says: it is the case id inside that counts.
    fresh = desk.open(case_id)
    assert fresh.problems == ()
    assert texts(fresh) == {"laptop's own step"} | {f"kept by {t}" for t in FOREIGN_NAMES}
    assert sorted(sync.foreign_copies(fresh)) == sorted(copies)
    status = sync.case_status(desk, fresh)
    assert sorted(status.foreign) == sorted(copies)
    assert {d.name for d in status.devices} >= {"desk", "laptop", "old phone"}

    # A save writes this device's file, then moves each copy to the archive, bytes intact.
    saved = desk.update(fresh, "case", case_id, {"notes": "after the copies"})
    assert sorted(os.listdir(folder)) == sorted([f"{DESK.id}.json", f"{LAPTOP.id}.json"])
    archive = desk.paths.foreign_dir / case_id
    archived = {p.name: read_bytes(p) for p in archive.iterdir()}
    assert len(archived) == len(copies)
    for name, data in copies.items():
        (kept,) = [a for a in archived if a.startswith(name + ".")]
        assert archived[kept] == data
        assert stat.S_IMODE(os.stat(archive / kept).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(archive).st_mode) == 0o700
    # Everything the copies held is in this device's own file, read on its own.
    own = parse_replica(desk.own_file(case_id), read_bytes(desk.own_file(case_id)))[1]
    assert {d["text"][0]["v"] for d in own["checklist"].values()} == texts(fresh)
    # The other device's own file was never touched.
    assert fingerprint(laptop_file) == laptop_before
    assert sync.foreign_copies(saved) == []
    assert texts(desk.open(case_id)) == texts(fresh)


def test_nothing_is_removed_unless_this_device_file_holds_it_and_the_archive_copy_is_written(
    tmp_path, monkeypatch
):
    desk = repo_for(tmp_path, "desk", DESK)
    opened = desk.create({"title": "Mum - knee"})
    case_id = opened.case_id
    folder = desk.folder(case_id)
    copy = folder / f"{LAPTOP.id}.sync-conflict-20261121-101010-LAPTOPX.json"
    copy.write_bytes(_edited_elsewhere(tmp_path, folder, case_id, "laptop", LAPTOP))
    opened = desk.open(case_id)

    # This device's file cannot be written: the save fails and the copy stays.
    def refuse(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(desk, "_write_own", refuse)
    with pytest.raises(OSError):
        desk.update(opened, "case", case_id, {"notes": "x"})
    assert copy.exists()
    monkeypatch.undo()

    # The archive cannot be written (a file where its folder should be): the save succeeds,
    # the copy stays, and the next save archives it once the archive can be written.
    desk.paths.foreign_dir.parent.mkdir(parents=True, exist_ok=True)
    desk.paths.foreign_dir.write_text("in the way")
    saved = desk.update(opened, "case", case_id, {"notes": "first"})
    assert copy.exists() and saved.case.info.notes == "first"
    assert "kept by laptop" in texts(desk.open(case_id))
    desk.paths.foreign_dir.unlink()
    desk.update(saved, "case", case_id, {"notes": "second"})
    assert not copy.exists()
    assert len(list((desk.paths.foreign_dir / case_id).iterdir())) == 1


def test_a_copy_changed_after_it_was_merged_stays_for_next_time(tmp_path):
    desk = repo_for(tmp_path, "desk", DESK)
    opened = desk.create({"title": "Mum - knee"})
    case_id = opened.case_id
    folder = desk.folder(case_id)
    copy = folder / f"{LAPTOP.id} (conflicted copy 2026-11-21 101010).json"
    copy.write_bytes(_edited_elsewhere(tmp_path, folder, case_id, "laptop", LAPTOP))
    opened = desk.open(case_id)
    stale = {copy.name: Stamp(1, 1, 1)}  # as if read before the sync tool replaced it
    assert sync.archive_foreign(desk.paths, desk.device.id, case_id, stale,
                               opened.origins) == []
    assert copy.exists() and not (desk.paths.foreign_dir / case_id).exists()


def test_tidy_archives_copies_without_an_edit_and_a_read_only_case_keeps_them(tmp_path):
    desk = repo_for(tmp_path, "desk", DESK)
    opened = desk.create({"title": "Mum - knee"})
    case_id = opened.case_id
    folder = desk.folder(case_id)
    copy = folder / f"{DESK.id}.sync-conflict-20261121-101010-DESKDES.json"
    copy.write_bytes(_edited_elsewhere(tmp_path, folder, case_id, "desk-copy", DESK))
    desk_file = desk.own_file(case_id)
    # A read-only case (this device's own file unreadable) is left exactly as it is.
    good = read_bytes(desk_file)
    desk_file.write_bytes(b"{broken")
    _, removed = sync.tidy(desk, case_id)
    assert removed == [] and copy.exists() and read_bytes(desk_file) == b"{broken"
    desk_file.write_bytes(good)
    saved, removed = sync.tidy(desk, case_id)
    assert removed == [copy.name] and not copy.exists()
    assert "kept by desk-copy" in texts(saved) and "kept by desk-copy" in texts(desk.open(case_id))
    assert sync.tidy(desk, case_id)[1] == []


# ---------------------------------------------------------------------------------------------
# One device id, two installs


def test_a_device_json_copied_to_another_machine_takes_a_new_id(tmp_path):
    home = tmp_path / "home" / "data"
    first = Device.load_or_create(home, machine="machine-one")
    assert first.install and Device.load_or_create(home, machine="machine-one") == first
    copied = tmp_path / "copied-home" / "data"
    shutil.copytree(home, copied)
    other = Device.load_or_create(copied, machine="machine-two")
    assert other.id != first.id and other.install != first.install
    assert other.name == first.name
    assert Device.load_or_create(copied, machine="machine-two") == other  # stable from now on
    assert Device.load_or_create(home, machine="machine-one") == first  # the original keeps it
    # A device.json from before install nonces keeps its id and gains a nonce.
    older = tmp_path / "older" / "data"
    older.mkdir(parents=True)
    (older / "device.json").write_text('{"id": "abcdef123456", "name": "den"}')
    upgraded = Device.load_or_create(older, machine="machine-three")
    assert upgraded.id == "abcdef123456" and upgraded.install
    assert json.loads((older / "device.json").read_text())["install"] == upgraded.install


def test_another_install_under_this_id_is_noticed_at_once_and_nothing_is_written_under_it(
    tmp_path,
):
    """Two repositories share a Device id, with their own data folders: the second one's
    first look at the shared folder shows the first one's nonce in the file under its id."""
    first = repo_for(tmp_path, "first", Device("abababababab", "desk", "install-1"))
    second = repo_for(tmp_path, "second", Device("abababababab", "desk", "install-2"))
    opened = first.create({"title": "Mum - knee"})
    case_id = opened.case_id
    opened, _ = first.add(opened, "checklist", {"text": "first's step"})
    old_file = first.own_file(case_id)
    before = fingerprint(old_file)

    theirs = second.open(case_id)
    assert second.device.id != "abababababab"
    assert second.device.retired == ("abababababab",)
    stored = json.loads((second.paths.data_dir / "device.json").read_text())
    assert stored["id"] == second.device.id and stored["retired"] == ["abababababab"]
    theirs, _ = second.add(theirs, "checklist", {"text": "second's step"})
    assert fingerprint(old_file) == before  # the other install's file is never written
    assert second.own_file(case_id).name == f"{second.device.id}.json"
    mine = first.reload(opened)
    assert first.device.id == "abababababab"  # the first install keeps its id
    assert texts(mine) == texts(second.reload(theirs)) == {"first's step", "second's step"}
    # Both now edit the same field at once: an ordinary conflict between two devices.
    case_id = mine.case_id
    mine = first.update(mine, "case", case_id, {"condition": "OA"})
    theirs = second.update(theirs, "case", case_id, {"condition": "arthrosis"})
    mine, theirs = first.reload(mine), second.reload(theirs)
    assert mine.case.conflicts == theirs.case.conflicts == (("case", case_id, "condition"),)


def _diverge(tmp_path: Path, same_nonce: bool):
    """Two installs of one id edit one case offline, each in its own copy of the folder.

    The shared history was written before install nonces existed, so neither notices the
    other until a sync brings the files together."""
    old = Device("abababababab", "desk")
    one = Device("abababababab", "desk", "install-1")
    two = one if same_nonce else Device("abababababab", "desk", "install-2")
    start = repo_for(tmp_path, "m1", old, tmp_path / "c1")
    opened = start.create({"title": "Mum - knee"})
    opened, shared_item = start.add(opened, "checklist", {"text": "shared step"})
    case_id = opened.case_id
    shutil.copytree(tmp_path / "c1", tmp_path / "c2")
    m1 = repo_for(tmp_path, "m1", one, tmp_path / "c1")
    m2 = repo_for(tmp_path, "m2", two, tmp_path / "c2")
    o1 = m1.update(m1.open(case_id), "case", case_id, {"condition": "from m1"})
    o1, _ = m1.add(o1, "checklist", {"text": "m1 step"})
    o2 = m2.update(m2.open(case_id), "case", case_id, {"condition": "from m2"})
    o2, _ = m2.add(o2, "checklist", {"text": "m2 step"})
    o2 = m2.update(o2, "checklist", shared_item, {"notes": "m2 note"})
    assert m1.device.id == m2.device.id == "abababababab"  # nothing noticed yet
    return m1, m2, o1, case_id, shared_item


def _sync_both_ways(tmp_path: Path, case_id: str) -> None:
    """The sync tool: every file one folder has and the other lacks is copied over."""
    for a, b in (("c1", "c2"), ("c2", "c1")):
        for name in os.listdir(tmp_path / a / case_id):
            if not (tmp_path / b / case_id / name).exists():
                shutil.copy2(tmp_path / a / case_id / name, tmp_path / b / case_id / name)


@pytest.mark.parametrize("same_nonce", [False, True], ids=["two nonces", "one nonce"])
@pytest.mark.parametrize("tool", ["conflict copy", "overwrite while open"])
def test_two_installs_that_edited_offline_under_one_id_lose_no_edit(tmp_path, same_nonce, tool):
    m1, m2, o1, case_id, shared_item = _diverge(tmp_path, same_nonce)
    own = f"{m1.device.id}.json"
    m1_version = read_bytes(tmp_path / "c1" / case_id / own)
    m2_version = read_bytes(tmp_path / "c2" / case_id / own)
    # The sync tool: m2's version wins the file name on both sides; m1's becomes a conflict
    # copy (Syncthing), or is simply replaced under m1's open case (a tool without copies).
    for side in ("c1", "c2"):
        (tmp_path / side / case_id / own).write_bytes(m2_version)
        if tool == "conflict copy":
            copy = f"{m1.device.id}.sync-conflict-20261121-101010-MONEMON.json"
            (tmp_path / side / case_id / copy).write_bytes(m1_version)
    if tool == "conflict copy":
        m1 = repo_for(tmp_path, "m1", m1.device, tmp_path / "c1")  # a fresh start
        r1 = m1.open(case_id)
        m1_device = json.loads((tmp_path / "m1" / "data" / "device.json").read_text())["id"]
        assert m1_device == m1.device.id
    else:
        r1 = m1.reload(o1)  # the app on m1 still has its edits in memory
    assert m1.device.id != "abababababab"
    assert m1.device.retired == ("abababababab",)
    assert texts(r1) == {"shared step", "m1 step", "m2 step"}
    assert values(r1, "case", case_id, "condition") == {"from m1", "from m2"}
    m2 = repo_for(tmp_path, "m2", m2.device, tmp_path / "c2")
    m2.open(case_id)
    _sync_both_ways(tmp_path, case_id)
    for side, repo in (("c1", m1), ("c2", m2)):
        opened = repo.open(case_id)
        assert texts(opened) == {"shared step", "m1 step", "m2 step"}, side
        assert values(opened, "case", case_id, "condition") == {"from m1", "from m2"}, side
        assert opened.case.conflicts == (("case", case_id, "condition"),), side
        assert opened.case.find(shared_item).notes == "m2 note", side
    # Each install now writes under an id of its own (m2 learnt it from m1's file if it had
    # no other sign), and the old id's file is no one's to write any more.
    assert m2.device.id not in (m1.device.id, "abababababab")
    # Settling the conflict on one side settles it on the other.
    settled = m1.update(m1.open(case_id), "case", case_id, {"condition": "knee OA"})
    m2.update(m2.open(case_id), "case", case_id, {"patient": "Mum"})
    _sync_both_ways(tmp_path, case_id)
    shutil.copy2(m1.own_file(case_id), tmp_path / "c2" / case_id)
    shutil.copy2(m2.own_file(case_id), tmp_path / "c1" / case_id)
    for repo in (m1, m2):
        final = repo.open(case_id)
        # Once told apart, reading writes nothing more.
        own_file = fingerprint(repo.own_file(case_id))
        assert repo.open(case_id).state.tables == final.state.tables
        assert fingerprint(repo.own_file(case_id)) == own_file
        assert final.case.conflicts == (), repo.device
        assert (final.case.info.condition, final.case.info.patient) == ("knee OA", "Mum")
        assert texts(final) == {"shared step", "m1 step", "m2 step"}
    assert settled.case.conflicts == ()


# ---------------------------------------------------------------------------------------------
# Clocks


def test_clocks_hours_apart_merge_by_causality_and_show_hybrid_clock_times(tmp_path):
    behind = [T0 - 6 * HOUR]  # the desk's clock is six hours slow
    ahead = [T0 + 3 * HOUR]  # the laptop's three hours fast
    desk = repo_for(tmp_path, "desk", DESK, clock=HybridClock(lambda: behind[0]))
    laptop = repo_for(tmp_path, "laptop", LAPTOP, clock=HybridClock(lambda: ahead[0]))
    on_desk = desk.create({"title": "Mum - knee", "condition": "knee pain"})
    case_id = on_desk.case_id
    on_laptop = laptop.update(laptop.open(case_id), "case", case_id, {"condition": "OA"})
    # The desk sees the laptop's edit, then replaces it: its write wins though its wall clock
    # says it happened nine hours earlier.
    on_desk = desk.update(desk.reload(on_desk), "case", case_id, {"condition": "knee OA"})
    on_laptop = laptop.reload(on_laptop)
    assert on_laptop.case.info.condition == on_desk.case.info.condition == "knee OA"
    assert on_laptop.case.conflicts == ()
    desk_at = on_desk.case.info.changed_at
    assert desk_at > format_stamp(ahead[0], 0)  # the hybrid clock moved past the laptop's
    # Edits made without seeing each other conflict, whatever the clocks say.
    behind[0] += 1000
    ahead[0] += 1000
    on_desk = desk.update(on_desk, "case", case_id, {"patient": "Mum"})
    on_laptop = laptop.update(on_laptop, "case", case_id, {"patient": "Ada"})
    on_desk, on_laptop = desk.reload(on_desk), laptop.reload(on_laptop)
    assert on_desk.case.conflicts == on_laptop.case.conflicts == (("case", case_id, "patient"),)
    # Status shows each device's last write from the stamps, the slow desk's after the
    # laptop's first edit.
    seen = {d.name: d for d in sync.case_status(desk, on_desk).devices}
    assert seen["desk"].this_device and not seen["laptop"].this_device
    assert seen["desk"].last_wrote == max(
        e["at"] for e in on_desk.state.register("case", case_id, "patient")
        if e["dot"][0] == DESK.id
    )
    assert seen["laptop"].last_wrote > format_stamp(ahead[0] - 1000, 0)
    assert seen["desk"].last_wrote > format_stamp(behind[0] + 8 * HOUR, 0)


# ---------------------------------------------------------------------------------------------
# The command line


class Cli:
    """``cli.main`` in-process as one device: its own local folders, the shared cases folder."""

    def __init__(self, root: Path, name: str, cases: Path, capsys, monkeypatch) -> None:
        self.env = {
            "SECONDVIEW_DATA_DIR": str(root / name / "data"),
            "SECONDVIEW_CACHE_DIR": str(root / name / "cache"),
            "SECONDVIEW_CONFIG_DIR": str(root / name / "config"),
            "SECONDVIEW_CASES": str(cases),
        }
        self.capsys, self.monkeypatch = capsys, monkeypatch
        (root / name / "config").mkdir(parents=True, exist_ok=True)
        (root / name / "config" / "config.yaml").write_text(f"device_name: {name}\n")

    def __call__(self, *argv: str, ok: bool = True) -> tuple[str, str]:
        with self.monkeypatch.context() as m:
            for key, value in self.env.items():
                m.setenv(key, value)
            self.capsys.readouterr()
            code = cli.main(list(argv))
            out, err = self.capsys.readouterr()
        assert "Traceback" not in out + err
        assert code == (0 if ok else 1), (out, err)
        return out, err

    def repo(self) -> CaseRepository:
        paths, _ = Paths.resolve(env=self.env)
        return CaseRepository(paths, Device.load_or_create(paths.data_dir))


@pytest.fixture
def two(tmp_path, capsys, monkeypatch) -> tuple[Cli, Cli]:
    cases = tmp_path / "shared"
    return (Cli(tmp_path, "desk", cases, capsys, monkeypatch),
            Cli(tmp_path, "laptop", cases, capsys, monkeypatch))


def test_sync_status_names_devices_last_writes_conflicts_and_copies(two, tmp_path):
    desk, laptop = two
    case_id = desk("new", "Mum - knee").__getitem__(0).strip()
    laptop("set", case_id, "condition=OA")
    desk("set", case_id, "patient=Mum")
    laptop("set", case_id, "patient=Ada")  # laptop saw desk's write: no conflict
    # A conflict: both set the notes without seeing the other (the laptop's file held back).
    folder = tmp_path / "shared" / case_id
    held = {n: read_bytes(folder / n) for n in os.listdir(folder)}
    desk("set", case_id, "notes=desk's")
    desk_file = next(n for n in os.listdir(folder) if read_bytes(folder / n) != held.get(n))
    aside = read_bytes(folder / desk_file)
    (folder / desk_file).write_bytes(held[desk_file])
    laptop("set", case_id, "notes=laptop's")
    (folder / desk_file).write_bytes(aside)
    copy = folder / f"{desk_file[:-5]}.sync-conflict-20261121-101010-ABCDEFG.json"
    copy.write_bytes(held[desk_file])

    out, _ = desk("sync", "status")
    assert "Mum - knee" in out and "2 devices" in out and "1 unsettled" in out
    assert "1 copy waiting" in out
    lines = out.splitlines()
    assert any("desk" in line and "(this device)" in line and "last wrote" in line
               for line in lines)
    assert any("laptop" in line and "last wrote" in line and "this device" not in line
               for line in lines)
    assert "field 'notes'" in out and copy.name in out
    out, _ = desk("sync", "status", case_id[:8], "--json")
    data = json.loads(out)
    (row,) = data["cases"]
    assert {d["name"] for d in row["devices"]} == {"desk", "laptop"}
    assert all(d["last_wrote"] for d in row["devices"])
    assert row["conflicts"] == [{"table": "case", "id": case_id, "field": "notes"}]
    assert row["foreign_copies"] == [copy.name]
    # Tidy archives the copy; status then has none waiting.
    out, _ = desk("sync", "tidy")
    assert copy.name in out and not copy.exists()
    out, _ = desk("sync", "status", "--json")
    assert json.loads(out)["cases"][0]["foreign_copies"] == []
    out, _ = desk("sync", "status", "no such case", ok=False)


def test_export_replica_then_import_on_another_device_never_overwrites(
    tmp_path, capsys, monkeypatch
):
    sender = Cli(tmp_path, "sender", tmp_path / "sender-cases", capsys, monkeypatch)
    receiver = Cli(tmp_path, "receiver", tmp_path / "receiver-cases", capsys, monkeypatch)
    case_id = sender("new", "Dad - back")[0].strip()
    sender("set", case_id, "condition=disc herniation")
    out_file = tmp_path / "dad.json"
    out, _ = sender("export", case_id, "--replica", str(out_file))
    assert str(out_file) in out
    assert stat.S_IMODE(os.stat(out_file).st_mode) == 0o600
    meta, tables = parse_replica(out_file, read_bytes(out_file))
    assert meta["device"]["name"] == "sender" and "install" not in meta["device"]
    exported = read_bytes(out_file)
    # An export never replaces a file.
    _, err = sender("export", case_id, "--replica", str(out_file), ok=False)
    assert "already exists" in err and read_bytes(out_file) == exported

    out, _ = receiver("import", str(out_file))
    assert "as a new case" in out
    assert read_bytes(out_file) == exported  # left where it was, as it was
    repo = receiver.repo()
    case = repo.open(case_id)
    assert case.case.info.condition == "disc herniation"
    assert os.listdir(repo.folder(case_id)) == [f"{repo.device.id}.json"]
    status = sync.case_status(repo, case)
    assert {d.name for d in status.devices} == {"sender", "receiver"}
    # Both edit; the receiver imports a new export: merged, nothing overwritten.
    receiver("set", case_id, "patient=Dad")
    sender("set", case_id, "urgency=soon")
    second = tmp_path / "dad-2.json"
    sender("export", case_id, "--replica", str(second))
    before = fingerprint(repo.own_file(case_id))
    out, _ = receiver("import", str(second))
    assert "Merged" in out
    merged = repo.open(case_id).case.info
    assert (merged.patient, merged.urgency, merged.condition) == ("Dad", "soon", "disc herniation")
    assert fingerprint(repo.own_file(case_id)) != before
    out, _ = receiver("import", str(second), "--json")
    assert json.loads(out) == {"case_id": case_id, "title": "Dad - back", "created": False,
                               "changed": False}
    # The sender takes the receiver's edits back the same way.
    back = tmp_path / "back.json"
    receiver("export", case_id, "--replica", str(back))
    sender("import", str(back))
    assert sender.repo().open(case_id).case.info.patient == "Dad"
    repo.close()


@pytest.mark.parametrize("content, message", [
    (b"{not json", "not valid JSON"),
    (b"", "empty"),
    (b'{"format": "9.0", "tables": {}}', "newer secondview"),
    (b'{"shopping": 1}', "not a secondview case file"),
])
def test_import_of_a_bad_file_says_why_and_writes_nothing(two, tmp_path, content, message):
    desk, _ = two
    bad = tmp_path / "bad.json"
    bad.write_bytes(content)
    _, err = desk("import", str(bad), ok=False)
    assert message in err and str(bad) in err
    assert not (tmp_path / "shared").exists() or not os.listdir(tmp_path / "shared")
    _, err = desk("import", str(tmp_path / "missing.json"), ok=False)
    assert "no such file" in err


def test_two_devices_on_one_folder_through_the_command_line_in_turns(two, tmp_path):
    desk, laptop = two
    case_id = desk("new", "Mum - knee")[0].strip()
    laptop("add", case_id, "record", "title=MRI report", "kind=imaging_report")
    desk("set", case_id, "condition=OA")
    out, _ = laptop("show", case_id, "--json")
    shown = json.loads(out)
    assert shown["case"]["values"]["condition"] == "OA"
    assert [r["values"]["title"] for r in shown["records"]] == ["MRI report"]
    assert set(shown["devices"].values()) == {"desk", "laptop"}
    out_desk, _ = desk("show", case_id, "--json")
    assert json.loads(out_desk)["records"] == shown["records"]
    assert sorted(os.listdir(tmp_path / "shared" / case_id)) == sorted(
        f"{json.loads((tmp_path / n / 'data' / 'device.json').read_text())['id']}.json"
        for n in ("desk", "laptop")
    )


def test_two_devices_on_one_folder_through_the_command_line_at_once(two, tmp_path):
    """Two devices' commands run as processes at the same moment: every edit survives."""
    desk, laptop = two
    case_id = desk("new", "Mum - knee")[0].strip()
    laptop("show", case_id)  # the laptop's device.json exists before the race
    base = {k: v for k, v in os.environ.items() if not k.startswith("SECONDVIEW_")}
    procs = []
    for runner, name in ((desk, "desk"), (laptop, "laptop")):
        for i in range(4):
            procs.append(subprocess.Popen(
                [sys.executable, "-m", "secondview", "add", case_id, "checklist",
                 f"text={name} {i}"],
                env={**base, **runner.env}, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            ))
    for proc in procs:
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
    expected = {f"{n} {i}" for n in ("desk", "laptop") for i in range(4)}
    for runner in (desk, laptop):
        repo = runner.repo()
        assert expected <= texts(repo.open(case_id))
        repo.close()


def test_a_case_id_that_is_not_ours_is_refused_on_import(two, tmp_path):
    desk, _ = two
    case_id = desk("new", "Mum - knee")[0].strip()
    repo = desk.repo()
    data = read_bytes(repo.own_file(case_id)).replace(case_id.encode(), b"../../evil")
    (tmp_path / "evil.json").write_bytes(data)
    _, err = desk("import", str(tmp_path / "evil.json"), ok=False)
    assert "is not one secondview makes" in err
    assert not (tmp_path / "evil").exists()
    with pytest.raises(CaseError):
        sync.import_replica(repo, tmp_path / "evil.json")
    repo.close()


def test_sync_status_answers_unchanged_cases_from_the_index_and_reopens_changed_ones(
    two, tmp_path, monkeypatch
):
    desk, laptop = two
    first = desk("new", "Mum - knee")[0].strip()
    second = desk("new", "Dad - back")[0].strip()
    laptop("set", first, "condition=OA")
    opened: list[str] = []
    real_open = CaseRepository.open

    def counting_open(self, case_ref, **how):
        opened.append(case_ref)
        return real_open(self, case_ref, **how)

    monkeypatch.setattr(CaseRepository, "open", counting_open)
    cold, _ = desk("sync", "status", "--json")
    assert sorted(opened) == sorted([first, second])  # nothing cached yet: every case read

    opened.clear()
    warm, _ = desk("sync", "status", "--json")
    assert opened == [] and warm == cold  # unchanged files: all from the index, same answer

    laptop("set", second, "condition=disc")  # the laptop writes to one case
    opened.clear()
    out, _ = desk("sync", "status", "--json")
    assert opened == [second]
    row = next(r for r in json.loads(out)["cases"] if r["id"] == second)
    assert {d["name"] for d in row["devices"]} == {"desk", "laptop"}

    # A case with a problem is never answered from the index: read again every time, so
    # the problem is named every time, until the file is gone.
    folder = tmp_path / "shared" / first
    (folder / "ffffffffffff.json").write_bytes(b"{not json")
    opened.clear()
    for _ in range(2):
        out, _ = desk("sync", "status")
        assert "problem:" in out and "ffffffffffff.json" in out
    assert opened == [first, first]
    (folder / "ffffffffffff.json").unlink()
    opened.clear()
    desk("sync", "status", "--json")
    assert opened == []  # the folder holds the files of the cached status again
