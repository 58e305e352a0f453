"""Two processes saving one case at the same moment lose no edit.

Two forked processes start from the same view of the case and save at once, as the app and a
``secondview add`` script would. The same device: they share this device's file and the lock in
the local data folder, so each save re-reads and merges the other's before writing. Two
devices: each writes its own file, and opening the case merges both.

The last test replays, step by step, a race CI caught (``test_sync``'s command-line test lost
one of eight edits about one run in six): a process opening the case outside the case lock
read this install's replica, another process saved, and then the first read this install's
record of the case. The record (written before each replica) was newer than the replica read,
so the first process took its own file for one that had lost a write and wrote what it had
read at once, without reading again under the lock, over a save made meanwhile.
"""

from __future__ import annotations

import datetime as dt
import os

import pytest

from secondview.store import folder_reader
from secondview.store.paths import Device, Paths
from secondview.store.repository import CaseRepository, OpenCase

DESK = Device("aaaaaaaaaaaa", "desk")
LAPTOP = Device("bbbbbbbbbbbb", "laptop")
TODAY = dt.date(2026, 11, 21)
ITEMS = 25  # items each process adds
FIELDS = {0: ("patient", "condition"), 1: ("insurance_plan", "notes")}

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")


def edit(repo: CaseRepository, opened: OpenCase, worker: int) -> None:
    """Add ITEMS checklist items and set this worker's own fields, one save each.

    The view is never reloaded by hand: each save must take in the other process's saves by
    itself, under the lock, or the other's edits would be lost from the file.
    """
    first, second = FIELDS[worker]
    case_id = opened.case_id
    for i in range(ITEMS):
        opened, _ = repo.add(opened, "checklist", {"text": f"worker {worker} item {i}"})
        opened = repo.update(opened, "case", case_id, {first: f"w{worker} {i}"})
        opened = repo.update(opened, "case", case_id, {second: f"w{worker} {i}"})


def run_at_once(paths_of: dict[int, Paths], devices: dict[int, Device], case_id: str) -> None:
    """Fork one process per worker; release them together; fail if either fails."""
    go_read, go_write = os.pipe()
    pids = []
    for worker in (0, 1):
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                os.close(go_write)
                repo = CaseRepository(paths_of[worker], devices[worker], today=TODAY)
                opened = repo.open(case_id)  # both start from the same version
                os.read(go_read, 1)  # wait for the start
                edit(repo, opened, worker)
                repo.close()
                code = 0
            except BaseException as exc:  # report, never fall back into pytest
                os.write(2, f"worker {worker}: {exc!r}\n".encode())
            finally:
                os._exit(code)
        pids.append(pid)
    os.close(go_read)
    os.write(go_write, b"go")
    os.close(go_write)
    for pid in pids:
        _, status = os.waitpid(pid, 0)
        assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0, "a worker failed"


def check_every_edit_is_present(opened: OpenCase) -> None:
    texts = [item.text for item in opened.case.checklist]
    for worker in (0, 1):
        expected = {f"worker {worker} item {i}" for i in range(ITEMS)}
        assert expected <= set(texts), f"lost items of worker {worker}: {expected - set(texts)}"
        for name in FIELDS[worker]:
            assert getattr(opened.case.info, name) == f"w{worker} {ITEMS - 1}", name
    assert len(texts) == 2 * ITEMS
    assert opened.case.conflicts == ()
    logged = [e.summary for e in opened.case.log]
    assert logged.count("Added to checklist") == 2 * ITEMS
    assert len(logged) == 1 + 2 * 3 * ITEMS  # created + every save


def test_two_processes_of_one_device_saving_at_once_lose_no_edit(paths: Paths) -> None:
    repo = CaseRepository(paths, DESK, today=TODAY)
    case_id = repo.create({"title": "Saved from two windows"}).case_id
    repo.close()

    run_at_once({0: paths, 1: paths}, {0: DESK, 1: DESK}, case_id)

    reader = CaseRepository(paths, DESK, today=TODAY)
    opened = reader.open(case_id)
    assert os.listdir(reader.folder(case_id)) == [f"{DESK.id}.json"]
    check_every_edit_is_present(opened)
    # The index was kept current by both processes: listing reads nothing new.
    assert reader.list()[0].title == "Saved from two windows"
    reader.close()


def test_two_devices_saving_at_once_converge(paths: Paths) -> None:
    laptop_paths = Paths(
        paths.cases_dir, paths.data_dir / "laptop", paths.cache_dir / "laptop", paths.config_dir
    )
    repo = CaseRepository(paths, DESK, today=TODAY)
    case_id = repo.create({"title": "Saved from two machines"}).case_id
    repo.close()

    run_at_once({0: paths, 1: laptop_paths}, {0: DESK, 1: LAPTOP}, case_id)

    on_desk = CaseRepository(paths, DESK, today=TODAY).open(case_id)
    on_laptop = CaseRepository(laptop_paths, LAPTOP, today=TODAY).open(case_id)
    assert sorted(os.listdir(paths.cases_dir / case_id)) == [
        f"{DESK.id}.json",
        f"{LAPTOP.id}.json",
    ]
    assert on_desk.state.tables == on_laptop.state.tables
    check_every_edit_is_present(on_desk)


def texts(opened: OpenCase) -> set[str]:
    return {item.text for item in opened.case.checklist}


@pytest.mark.parametrize("path", ["open", "reload"])
def test_a_save_made_while_another_process_reads_is_never_written_over(paths, monkeypatch, path):
    first = CaseRepository(paths, DESK, today=TODAY)
    case_id = first.create({"title": "Mum - knee"}).case_id
    other = CaseRepository(paths, DESK, today=TODAY)  # another process
    stale = first.open(case_id)
    others_view, _ = other.add(other.open(case_id), "checklist", {"text": "saved first"})
    real_read_kept = folder_reader.read_kept
    calls = []

    def other_process_saves_around_the_read(paths_read: Paths, cid: str):
        """The other process saves just before and just after this one reads the record."""
        nonlocal others_view
        calls.append(cid)
        if len(calls) == 1:
            others_view, _ = other.add(others_view, "checklist", {"text": "saved before"})
        kept = real_read_kept(paths_read, cid)
        if len(calls) == 1:
            others_view, _ = other.add(others_view, "checklist", {"text": "saved after"})
        return kept

    monkeypatch.setattr(folder_reader, "read_kept", other_process_saves_around_the_read)
    if path == "open":
        first.open(case_id)
    else:
        first.reload(stale)
    monkeypatch.setattr(folder_reader, "read_kept", real_read_kept)

    assert calls  # the other process did save around this one's read
    reader = CaseRepository(paths, DESK, today=TODAY)
    assert {"saved first", "saved before", "saved after"} <= texts(reader.open(case_id))
