"""A process killed (SIGKILL) at a random moment while sealing a plain folder, or while
rewriting the key file, leaves every file readable, and a rerun completes.

Sealing (``store.sealing.seal_own``): the parent makes a plain folder of cases (with a kept
file each) once, and per round copies it, forks a child that seals it, and kills the child
0-``window`` s after it is ready. Then every replica and kept file is either plain and valid
or sealed and opens with the key, the cases open, and sealing again finishes the job.
The key file (``store.key_file.write_key_file``): a child rewrites it under a new passphrase
in a loop; after the kill the key file opens with the old passphrase or the new one.
Turning the sealing off (``store.sealing.unseal_own``, what ``seal off`` runs after writing
the key file that says so): killed the same way, every file still opens and a rerun writes
the rest plain and removes the key file.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import shutil
import signal
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from secondview.store import key_file, sealing
from secondview.store.case_files import keep, read_kept
from secondview.store.folder_key import FolderKey, new_identity
from secondview.store.paths import Device, Paths
from secondview.store.repository import CaseRepository
from secondview.store.storage import is_sealed, parse_replica, read_bytes, unsealed

DEVICE = Device("aaaaaaaaaaaa", "desk")
TODAY = dt.date(2026, 11, 21)
CASES = 30
ROUNDS = 12

pytestmark = [
    pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork"),
    pytest.mark.slow,  # scrypt in the key file rounds: about 15 seconds
]


def local(root: Path) -> Paths:
    return Paths(root / "cases", root / "data", root / "cache", root / "config")


def killed_after(work: Callable[[], None], delay: float) -> None:
    """Fork a child that runs ``work`` (after saying it is ready); SIGKILL it ``delay`` s
    after that."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        try:
            os.close(read_end)
            os.write(write_end, b"r")
            work()
            while True:
                time.sleep(1)  # finished before the kill: wait for it
        finally:
            os._exit(1)
    os.close(write_end)
    assert os.read(read_end, 1) == b"r"
    time.sleep(delay)
    os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    os.close(read_end)
    assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL


def test_sigkill_while_sealing_leaves_every_file_readable_and_a_rerun_completes(tmp_path):
    rng = random.Random(os.environ.get("CRASH_SEED", "20261206"))
    template = tmp_path / "template"
    repo = CaseRepository(local(template), DEVICE, today=TODAY)
    notes = {}
    for n in range(CASES):
        case_id = repo.create({"title": f"Case {n}"}).case_id
        notes[case_id] = keep(repo.folder(case_id), f"note {n}".encode())
    repo.close()
    key = FolderKey([new_identity()])

    began = time.perf_counter()
    timing = tmp_path / "timing"
    shutil.copytree(template, timing)
    sealing.seal_own(CaseRepository(local(timing), DEVICE, today=TODAY), key)
    window = max(0.02, time.perf_counter() - began)

    partly = 0
    for round_ in range(ROUNDS):
        root = tmp_path / f"round-{round_}"
        shutil.copytree(template, root)
        paths = local(root)

        def seal(paths: Paths = paths) -> None:
            sealing.seal_own(CaseRepository(paths, DEVICE, today=TODAY), key)

        killed_after(seal, rng.uniform(0, window))
        sealed_now = 0
        for case_id, digest in notes.items():
            own = paths.cases_dir / case_id / f"{DEVICE.id}.json"
            raw = read_bytes(own)
            sealed_now += is_sealed(raw)
            parse_replica(own, unsealed(own, raw, key))
            assert read_kept(paths.cases_dir / case_id, digest, key).startswith(b"note ")
        partly += 0 < sealed_now < CASES
        repo = CaseRepository(paths, DEVICE, today=TODAY, key=key)
        done = sealing.seal_own(repo, key)
        assert done.problems == [] and len(done.sealed) + done.already == 2 * CASES
        assert sealing.plain_files(paths.cases_dir) == []
        for case_id in notes:
            opened = repo.open(case_id)
            assert opened.problems == () and not opened.read_only
        repo.close()
    assert partly, "no kill landed in the middle of the sealing: widen the window"


def test_sigkill_while_unsealing_leaves_every_file_readable_and_a_rerun_completes(tmp_path):
    rng = random.Random(os.environ.get("CRASH_SEED", "20261206"))
    key = FolderKey([new_identity()])
    template = tmp_path / "template"
    repo = CaseRepository(local(template), DEVICE, today=TODAY)
    notes = {}
    for n in range(CASES):
        case_id = repo.create({"title": f"Case {n}"}).case_id
        notes[case_id] = keep(repo.folder(case_id), f"note {n}".encode())
    repo.close()
    sealing.seal_own(CaseRepository(local(template), DEVICE, today=TODAY), key)
    key_file.write_key_file(local(template).cases_dir, key.unsealing(), "a passphrase here")
    assert len(sealing.sealed_files(local(template).cases_dir)) == 2 * CASES

    began = time.perf_counter()
    timing = tmp_path / "timing"
    shutil.copytree(template, timing)
    sealing.unseal_own(CaseRepository(local(timing), DEVICE, today=TODAY, key=key), key)
    window = max(0.02, time.perf_counter() - began)

    partly = 0
    for round_ in range(ROUNDS):
        root = tmp_path / f"round-{round_}"
        shutil.copytree(template, root)
        paths = local(root)

        def unseal(paths: Paths = paths) -> None:
            sealing.unseal_own(CaseRepository(paths, DEVICE, today=TODAY, key=key), key)

        killed_after(unseal, rng.uniform(0, window))
        plain_now = 0
        for case_id, digest in notes.items():
            own = paths.cases_dir / case_id / f"{DEVICE.id}.json"
            raw = read_bytes(own)
            plain_now += not is_sealed(raw)
            parse_replica(own, unsealed(own, raw, key))
            assert read_kept(paths.cases_dir / case_id, digest, key).startswith(b"note ")
        partly += 0 < plain_now < CASES
        repo = CaseRepository(paths, DEVICE, today=TODAY, key=key)
        off = sealing.unseal_own(repo, key)
        assert off.done.problems == [] and off.remaining == []
        assert not key_file.key_file(paths.cases_dir).exists()
        assert len(sealing.plain_files(paths.cases_dir)) == 2 * CASES
        for case_id, digest in notes.items():
            assert (paths.cases_dir / case_id / "files" / digest).exists()
            opened = repo.open(case_id)
            assert opened.problems == () and not opened.read_only
        repo.close()
    assert partly, "no kill landed in the middle of the unsealing: widen the window"


def test_sigkill_while_rewriting_the_key_file_leaves_the_old_or_the_new_one(tmp_path):
    rng = random.Random(os.environ.get("CRASH_SEED", "20261206"))
    cases = tmp_path / "cases"
    key = FolderKey([new_identity()])
    current = "passphrase number 0"
    key_file.write_key_file(cases, key, current)
    outcomes = set()
    for n in range(1, 4):
        new = f"passphrase number {n}"

        def rewrite(new: str = new) -> None:
            key_file.write_key_file(cases, key, new)

        killed_after(rewrite, rng.uniform(0, 4.0))
        opens = []
        for passphrase in (current, new):
            try:
                assert key_file.unlock(cases, passphrase).identities == key.identities
                opens.append(passphrase)
            except key_file.WrongPassphrase:
                pass
        assert len(opens) == 1, "the key file opens with the old or the new passphrase"
        outcomes.add(opens[0] == new)
        current = opens[0]
    print(f"\nkey file rounds: new passphrase in place after the kill: {sorted(outcomes)}")
