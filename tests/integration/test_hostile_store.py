"""Hostile files and failing disks: what an attack on the store and the command line found.

Each test names the hole it closes (issue "Hostile files and failing disks"). The promise
under all of them: bad input gets a clear message and loses nothing; crafted names and links
never lead a write out of the cases folder; a file the app owns is private from its first
byte; a cache that cannot be written never turns a saved edit into a reported failure.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import stat
import subprocess
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from secondview.core.replica import new_case
from secondview.store.storage import replica_bytes

from cli_kit import Cli, run  # noqa: F401 (run is a fixture)

STAMP = "2026-12-01T10:00:00.000Z/0000"


def crafted_replica(case_id: str, title: str = "Crafted", device: str = "0badc0ffee00",
                    name: str = "elsewhere") -> bytes:
    """A well-formed replica file of one case whose id is ``case_id`` (anything at all)."""
    state, _ = new_case({"title": title}, device, STAMP, case_id=case_id)
    return replica_bytes(state.tables, device, name)


def everything_under(folder: Path) -> set[Path]:
    return set(folder.rglob("*")) if folder.exists() else set()


@contextmanager
def read_only(*paths: Path) -> Iterator[None]:
    """Make files and folders unwritable even for root (chattr +i), as a read-only disk or a
    folder owned by someone else would be; undone on exit."""
    if os.geteuid() != 0:
        saved = {p: mode(p) for p in paths}
        for p in paths:
            p.chmod(saved[p] & 0o555)
        try:
            yield
        finally:
            for p, m in saved.items():
                p.chmod(m)
        return
    if shutil.which("chattr") is None:
        pytest.skip("running as root without chattr: no way to make a file unwritable")
    subprocess.run(["chattr", "+i", *map(str, paths)], check=True)
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", *map(str, paths)], check=True)


def mode(path: Path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


# -- 1. case ids from files and folders are the app's ids, and paths stay inside ------------------


@pytest.mark.parametrize("evil", ["../escaped-aaaa-bbbb-cccc-dddddddddd", "absolute"])
def test_import_of_a_case_id_that_is_a_path_writes_nothing_outside(
    run: Cli, tmp_path: Path, evil: str
) -> None:
    if evil == "absolute":
        evil = "/tmp/sv-aaaa-bbbb-cccc-" + uuid.uuid4().hex[:13]
    assert len(evil) == 36 and evil.count("-") == 4
    crafted = tmp_path / "sent.json"
    crafted.write_bytes(crafted_replica(evil))
    cases = run.root / "cases"
    cases.mkdir()
    # where a write would land if the id were taken as a path: the case folder, its lock
    landing = [cases / evil, run.root / "data" / "locks" / f"{evil}.lock"]
    try:
        _, _, err = run("import", str(crafted), ok=False)
        assert "not one secondview makes" in err
        assert [p for p in landing if os.path.lexists(p)] == []
        assert list(cases.iterdir()) == []
        assert not os.path.lexists(Path(evil).parent / Path(evil).name)
    finally:
        if evil.startswith("/tmp/"):
            shutil.rmtree(evil, ignore_errors=True)


def test_a_folder_named_almost_like_a_case_is_not_a_case(run: Cli) -> None:
    real = run.new("Real")
    cases = run.root / "cases"
    # 36 characters and four dashes, but not an id secondview makes (upper case, not hex)
    for name in ("ABCDEFAB-0000-4000-8000-000000000000", "zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz"):
        (cases / name).mkdir()
        (cases / name / "x.json").write_bytes(crafted_replica(name))
    _, out, _ = run("list", "--json")
    assert [row["id"] for row in json.loads(out)] == [real]
    run("show", "ABCDEFAB-0000-4000-8000-000000000000", ok=False)


# -- 2. the command line cleans everything it prints --------------------------------------------


def test_no_escape_from_a_file_reaches_the_terminal(run: Cli, tmp_path: Path) -> None:
    case_id = str(uuid.uuid4())
    hostile = "Dad \x1b[2J\x1b]0;owned\x07 \u202eevil"
    crafted = tmp_path / "sent.json"
    crafted.write_bytes(crafted_replica(case_id, title=hostile, name="ph\x1b[31mone"))
    outputs = [run("import", str(crafted))]
    outputs += [run(*argv) for argv in (
        ("show", case_id), ("list",), ("archive", case_id), ("restore", case_id),
        ("sync", "status"), ("sync", "status", case_id), ("check",),
    )]
    for _, out, err in outputs:
        for text in (out, err):
            assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text
    assert "\u241b[2J" in outputs[1][1]  # shown, as a visible ␛, not acted on


def test_one_cleaning_function_serves_screen_command_line_and_exports() -> None:
    from secondview.cli import output
    from secondview.core import markdown_escape, safe_text
    from secondview.ui import text

    hostile = "a\x1b[2Jb\u202ec\u2067d\x9be\u200ef"
    assert text.clean(hostile) == safe_text.clean(hostile)
    assert markdown_escape.clean(hostile) == safe_text.clean(hostile, multiline=True)
    assert output.clean(hostile) == safe_text.clean(hostile)
    for code in (0x1B, 0x7, 0x9B, 0x202E, 0x2067, 0x200E, 0x200F, 0x61C, 0x200B):
        assert chr(code) not in safe_text.clean(f"x{chr(code)}y")


# -- 4. numbers read from a file are bounded ----------------------------------------------------


def _rewrite(path: Path, change) -> None:  # type: ignore[no-untyped-def]
    data = json.loads(path.read_text())
    change(data)
    path.write_text(json.dumps(data))


def test_a_format_of_thousands_of_digits_is_one_quarantined_file(run: Cli) -> None:
    bad = run.new("Bad format")
    good = run.new("Good")
    (replica,) = (run.root / "cases" / bad).iterdir()
    _rewrite(replica, lambda d: d.update(format="1" + "0" * 5000 + ".0"))
    _, out, err = run("list")
    assert "Good" in out and "unexpected" not in err
    _, out, _ = run("show", good)
    assert "Good" in out
    _, out, err = run("check", ok=False)
    assert "unknown format" in out and "quarantine" in err
    assert "unexpected" not in err


def test_a_version_counter_past_two_to_the_53_is_quarantined(run: Cli) -> None:
    case_id = run.new("Huge counter")
    (replica,) = (run.root / "cases" / case_id).iterdir()
    original = replica.read_text()
    huge = "9" * 4300
    replica.write_text(original.replace('"seen": {}', '"seen": {"ffffffffffff": ' + huge + "}", 1))
    _, out, err = run("check", ok=False)
    assert replica.name in out and "unexpected" not in err
    run("set", case_id, "notes=x", ok=False)
    assert replica.read_text().count(huge) == 1  # never overwritten


# -- 5. a failed new leaves nothing behind ------------------------------------------------------


@contextmanager
def small_disk(folder: Path, size: str = "64k") -> Iterator[Path]:
    """``folder`` on a real file system of its own, ``size`` big (a tmpfs, mounted as root
    here and on CI), so writes there fail with ENOSPC as on a full disk; unmounted on exit."""
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("a full disk is made with a small tmpfs, which needs root and mount")
    folder.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs",
                           str(folder)], capture_output=True, text=True)
    if done.returncode:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=True)


def fill(folder: Path) -> Path:
    """Fill the file system under ``folder`` with one hidden file; returns it."""
    filler = folder / ".filler"
    with open(filler, "wb", buffering=0) as handle:
        try:
            while True:
                handle.write(b"\0" * 4096)
                handle.flush()
        except OSError as exc:
            assert exc.errno == errno.ENOSPC
    return filler


def test_a_new_case_on_a_full_disk_leaves_no_folder(run: Cli) -> None:
    cases = run.root / "cases"
    with small_disk(cases, "256k"):
        run.new("First")
        before = sorted(cases.iterdir())
        filler = fill(cases)
        _, _, err = run("new", "Second", ok=False)
        assert "no space left" in err.lower()
        assert sorted(cases.iterdir()) == sorted([*before, filler])  # nothing half made
        _, out, _ = run("list")
        assert "unreadable" not in out
        run("check")
        filler.unlink()
        run.new("Third")
        _, out, _ = run("list")
        assert "First" in out and "Third" in out


# -- 6. quarantine copies are private from the first byte; check says what happened --------------


def test_a_quarantine_copy_cut_short_by_a_full_disk_is_never_readable_by_others(
    run: Cli,
) -> None:
    case_id = run.new("Damaged")
    (replica,) = (run.root / "cases" / case_id).iterdir()
    replica.write_bytes(b'{"format": "1.0", "tables": ' + b"x" * 200_000)
    quarantine = run.root / "data" / "quarantine"
    old_umask = os.umask(0o022)
    try:
        with small_disk(quarantine, "64k"):
            _, out, err = run("check", ok=False)
            for path in everything_under(quarantine):
                assert mode(path) & 0o077 == 0, path
            assert [p for p in everything_under(quarantine) if p.is_file()] == []  # no part left
            assert "copied to" not in err  # nothing was copied, so it is not said
            assert replica.name in out
    finally:
        os.umask(old_umask)
    _, out, err = run("check", ok=False)  # the disk has room again
    copies = [p for p in everything_under(quarantine) if p.is_file()]
    assert len(copies) == 1 and mode(copies[0]) == 0o600
    assert copies[0].read_bytes() == replica.read_bytes()
    assert "copied to" in err


def test_check_does_not_claim_a_quarantine_copy_for_a_conflict(run: Cli) -> None:
    from secondview.store.paths import Device
    from secondview.store.repository import CaseRepository

    case_id = run.new("Two devices")
    repo = run.repo()
    other = CaseRepository(repo.paths, Device("feedfacecafe", "tablet", "n0nce"))
    a, b = repo.open(case_id), other.open(case_id)
    repo.update(a, "case", case_id, {"condition": "one"})
    other.update(b, "case", case_id, {"condition": "two"})
    repo.close()
    other.close()
    _, out, err = run("check", ok=False)
    assert "condition" in out
    assert "quarantine" not in err


# -- 7. the cache is a cache ---------------------------------------------------------------------


def test_an_edit_saved_with_the_cache_folder_read_only_is_a_success(run: Cli) -> None:
    case_id = run.new("Cache")
    cache = run.root / "cache"
    with read_only(cache, *cache.iterdir()):
        code, out, err = run("add", case_id, "question", "text=Is surgery needed?", ok=None)
        assert code == 0, err
        assert "warning" in err and "index" in err
        question_id = out.strip()
        assert any(q.id == question_id for q in run.case(case_id).questions)
        code, out, err = run("list", ok=None)
        assert code == 0, err
        assert "Cache" in out
        run.new("Another")
        _, out, _ = run("list")
        assert "Cache" in out and "Another" in out


def test_a_read_only_index_file_is_read_around(run: Cli) -> None:
    run.new("Listed")
    index = run.root / "cache" / "index.sqlite"
    with read_only(*index.parent.glob("index.sqlite*")):
        code, out, err = run("list", ok=None)
        assert code == 0, err
        assert "Listed" in out


# -- 8. links, FIFOs and folders named like replicas -------------------------------------------


def test_links_fifos_and_folders_in_a_case_folder_are_reported_by_name(
    run: Cli, tmp_path: Path
) -> None:
    case_id = run.new("Odd entries")
    folder = run.root / "cases" / case_id
    (own,) = folder.iterdir()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    peer = elsewhere / "feedfacecafe.json"
    peer.write_bytes(own.read_bytes().replace(b"Odd entries", b"Edited elsewhere"))
    (folder / "feedfacecafe.json").symlink_to(peer)
    os.mkfifo(folder / "pipe.json")
    (folder / "folder.json").mkdir()
    code, out, err = run("check", ok=False)
    for name in ("feedfacecafe.json", "pipe.json", "folder.json"):
        assert name in out, out
    assert "link" in out and "not a regular file" in out
    assert run.case(case_id).title == "Odd entries"  # nothing behind the link was merged
    run("set", case_id, "notes=still editable")
    assert peer.read_bytes().count(b"Edited elsewhere") == 1  # nor written


def test_a_linked_case_folder_is_reported_and_never_written_through(
    run: Cli, tmp_path: Path
) -> None:
    run.new("Plain")
    real = tmp_path / "outside" / str(uuid.uuid4())
    real.mkdir(parents=True)
    case_id = real.name
    (real / "feedfacecafe.json").write_bytes(crafted_replica(case_id, "Behind a link",
                                                             device="feedfacecafe"))
    (run.root / "cases" / case_id).symlink_to(real)
    before = {p: p.read_bytes() for p in real.iterdir()}
    _, out, _ = run("list")
    assert "Behind a link" not in out
    _, _, err = run("set", case_id, "notes=through the link", ok=False)
    assert "link" in err
    assert {p: p.read_bytes() for p in real.iterdir()} == before
    _, out, _ = run("check", ok=False)
    assert case_id in out and "link" in out


# -- 9. modes -------------------------------------------------------------------------------------


def test_every_file_the_app_owns_is_put_back_to_0600(run: Cli) -> None:
    case_id = run.new("Modes")
    data = run.root / "data"
    (data / "device.json").chmod(0o644)
    for lock in (data / "locks").iterdir():
        lock.chmod(0o644)
    run("show", case_id)
    run("set", case_id, "notes=x")
    assert mode(data / "device.json") == 0o600
    for lock in (data / "locks").iterdir():
        assert mode(lock) == 0o600, lock


def test_a_folder_the_user_made_read_only_stays_so_and_is_reported(run: Cli) -> None:
    case_id = run.new("Read only")
    folder = run.root / "cases" / case_id
    folder.chmod(0o555)
    try:
        _, out, _ = run("show", case_id)
        assert "READ-ONLY" in out and "read-only" in out
        _, _, err = run("set", case_id, "notes=x", ok=False)
        assert "read-only" in err
        _, out, _ = run("check", ok=False)
        assert "read-only" in out
        assert mode(folder) == 0o500  # private, and still read-only
        assert "notes" not in run.case(case_id).info.values
    finally:
        folder.chmod(0o700)


def test_names_read_from_a_file_are_bounded(run: Cli) -> None:
    """A peer's file naming its device in 100,000 characters, under an id that is not one (a
    path of 10,000 characters): the name is cut to 100 wherever it is shown, and the id is not
    taken for a writer's (the file is merged as a copy, not as that device's own)."""
    case_id = run.new("Bounded")
    folder = run.root / "cases" / case_id
    (own,) = folder.iterdir()
    data = json.loads(own.read_text())
    data["device"] = {"id": "../" + "x" * 10_000, "name": "N" * 100_000}
    (folder / "0badc0ffee00.json").write_text(json.dumps(data))
    data["device"] = {"id": "0badc0ffee00", "name": "M" * 100_000}
    (folder / "0badc0ffee01.json").write_text(json.dumps(data))
    _, out, _ = run("show", case_id, "--json")
    names = json.loads(out)["devices"]
    assert all(len(n) <= 100 for n in names.values()) and all(len(d) <= 64 for d in names)
    _, out, _ = run("sync", "status", case_id)
    assert "N" * 101 not in out and "M" * 101 not in out and "x" * 100 not in out
