"""A sealed cases folder from the command line (cli/seal.py, cli/context.py): ``seal init``,
``seal status``, ``unlock``, ``lock``, ``seal passphrase``, ``seal recover``, ``seal rekey``,
SECONDVIEW_PASSPHRASE_FILE, and the ``age`` command (Debian's package) opening a replica with
the recovery key. Every folder is a tmp folder; scrypt makes each unlock take a second or two.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

import secondview
from secondview.store.folder_key import FolderKey
from secondview.store.key_file import KEY_FILE
from secondview.store.paths import Device, Paths
from secondview.store.repository import CaseRepository
from secondview.store.storage import SEALED_LINE, UnreadableFile

from cli_kit import Cli, run  # noqa: F401 (run is a fixture)

pytestmark = pytest.mark.slow  # scrypt: each unlock or new passphrase takes seconds

TITLE = "Dad - heart valve"


def hashes(root: Path) -> dict[str, str]:
    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def secret(run: Cli, name: str, text: str) -> str:
    path = run.root / "secrets" / name
    path.parent.mkdir(exist_ok=True)
    path.write_text(text + "\n")
    return str(path)


def replicas(run: Cli) -> list[Path]:
    return sorted((run.root / "cases").glob("*/*.json"))


@pytest.fixture
def sealed(run: Cli) -> tuple[Cli, str, Path]:
    """A folder with one case, sealed by ``seal init`` from files; the recovery key file."""
    case_id = run.new(TITLE)
    run("add", TITLE, "checklist", "text=ask about the valve")
    recovery = run.root / "secrets" / "recovery.txt"
    _, out, _ = run("seal", "init", "--passphrase-file", secret(run, "pass", "river stone 42"),
                    "--recovery-key-out", str(recovery), "--remember-in-file")
    assert "1 file(s) sealed now" in out and "remembers the key" in out
    return run, case_id, recovery


def test_seal_init_seals_the_replicas_and_keeps_the_recovery_key_private(sealed) -> None:
    run, case_id, recovery = sealed
    assert stat.S_IMODE(recovery.stat().st_mode) == 0o600
    assert recovery.read_text().startswith("AGE-SECRET-KEY-1")
    assert (run.root / "cases" / KEY_FILE).exists()
    for path in replicas(run):
        assert path.read_bytes().startswith(SEALED_LINE)
    for path in (run.root / "cases").rglob("*"):
        assert not path.is_file() or b"valve" not in path.read_bytes()
    _, out, _ = run("show", TITLE, "--json")  # this device remembers the key
    assert "ask about the valve" in out
    _, out, _ = run("seal", "status")
    assert "unlocked on this device" in out and "Every case file is sealed" in out
    # Run again (as after an interruption): nothing is sealed twice.
    _, out, _ = run("seal", "init", "--passphrase-file", str(run.root / "secrets" / "pass"))
    assert "0 file(s) sealed now, 1 sealed already" in out


def test_locked_wrong_passphrase_and_unlock(sealed, monkeypatch) -> None:
    run, case_id, _ = sealed
    _, out, _ = run("lock")
    assert "no longer remembers" in out
    _, _, err = run("show", TITLE, ok=False)
    assert "locked" in err
    _, _, err = run("new", "A new case", ok=False)
    assert "locked" in err
    assert len(replicas(run)) == 1

    before = hashes(run.root)
    _, _, err = run("unlock", "--passphrase-file", secret(run, "wrong", "not the one"),
                    ok=False)
    assert err.count("\n") == 1 and "not this cases folder's passphrase" in err
    secrets = run.root / "secrets" / "wrong"
    assert {k: v for k, v in hashes(run.root).items() if k != str(secrets)} == {
        k: v for k, v in before.items() if k != str(secrets)}

    monkeypatch.setenv("SECONDVIEW_PASSPHRASE_FILE", str(run.root / "secrets" / "pass"))
    _, out, _ = run("show", TITLE, "--json")  # a script gives the passphrase in a file
    assert "ask about the valve" in out
    monkeypatch.delenv("SECONDVIEW_PASSPHRASE_FILE")
    run("unlock", "--passphrase-file", str(run.root / "secrets" / "pass"), "--remember-in-file")
    run("add", TITLE, "checklist", "text=a second step")
    assert all(p.read_bytes().startswith(SEALED_LINE) for p in replicas(run))


def test_status_lists_a_plain_replica_of_a_device_not_sealed_yet(run: Cli, monkeypatch
                                                                 ) -> None:
    case_id = run.new(TITLE)
    paths = Paths(run.root / "cases", run.root / "old" / "data", run.root / "old" / "cache",
                  run.root / "old" / "config")
    laptop = Device.load_or_create(paths.data_dir, name="old laptop")
    old = CaseRepository(paths, laptop)  # another device, which wrote before the sealing
    old.add(old.open(case_id), "checklist", {"text": "from the old laptop"})
    old.close()
    run("seal", "init", "--passphrase-file", secret(run, "pass", "river stone 42"),
        "--recovery-key-out", str(run.root / "secrets" / "recovery.txt"), "--remember-in-file")
    _, out, _ = run("seal", "status")
    assert "1 file(s) still plain" in out and f"{laptop.id}.json" in out
    _, out, err = run("check", ok=False)
    assert f"{laptop.id}.json: still plain in this sealed folder" in out
    assert "1 problem needs you" in err and "quarantine" not in err
    _, out, _ = run("show", TITLE, "--json")  # merged with the plain file
    assert "from the old laptop" in out
    monkeypatch.setenv("SECONDVIEW_DATA_DIR", str(run.root / "old" / "data"))  # the laptop
    _, out, _ = run("unlock", "--passphrase-file", str(run.root / "secrets" / "pass"),
                    "--remember-in-file")
    assert "1 file(s) of this device sealed" in out
    monkeypatch.setenv("SECONDVIEW_DATA_DIR", str(run.root / "data"))
    _, out, _ = run("seal", "status")
    assert "Every case file is sealed" in out


def test_passphrase_change_recover_and_rekey(sealed) -> None:
    run, case_id, recovery = sealed
    replica = replicas(run)[0]
    first = replica.read_bytes()
    run("seal", "passphrase", "--passphrase-file", str(run.root / "secrets" / "pass"),
        "--new-passphrase-file", secret(run, "new", "a brand new passphrase"))
    assert replica.read_bytes() == first  # only the key file changed
    _, out, _ = run("show", TITLE, "--json")  # still remembered here, from the new key file
    assert "ask about the valve" in out
    run("unlock", "--passphrase-file", str(run.root / "secrets" / "new"), "--remember-in-file")
    _, _, err = run("unlock", "--passphrase-file", str(run.root / "secrets" / "pass"), ok=False)
    assert "not this cases folder's passphrase" in err

    run("seal", "recover", "--recovery-key-file", str(recovery),
        "--new-passphrase-file", secret(run, "recovered", "found it again, phew"))
    run("unlock", "--passphrase-file", str(run.root / "secrets" / "recovered"),
        "--remember-in-file")

    new_recovery = run.root / "secrets" / "recovery-2.txt"
    _, out, _ = run("seal", "rekey", "--passphrase-file",
                    str(run.root / "secrets" / "recovered"), "--recovery-key-out",
                    str(new_recovery), "--remember-in-file")
    assert "1 file(s) of this device resealed" in out
    assert new_recovery.read_text() != recovery.read_text()
    _, out, _ = run("show", TITLE, "--json")
    assert "ask about the valve" in out


def test_after_a_rekey_another_device_reseals_its_own_files_at_its_next_unlock(
        sealed, monkeypatch) -> None:
    run, case_id, _ = sealed
    passphrase = str(run.root / "secrets" / "pass")
    monkeypatch.setenv("SECONDVIEW_DATA_DIR", str(run.root / "laptop"))  # another device
    run("unlock", "--passphrase-file", passphrase, "--remember-in-file")
    run("add", TITLE, "checklist", "text=from the laptop")
    monkeypatch.setenv("SECONDVIEW_DATA_DIR", str(run.root / "data"))
    run("seal", "rekey", "--passphrase-file", passphrase, "--recovery-key-out",
        str(run.root / "secrets" / "recovery-2.txt"))
    newest = FolderKey([(run.root / "secrets" / "recovery-2.txt").read_text().strip()])
    laptop_file = next(p for p in replicas(run) if p.name != f"{run.repo().device.id}.json")
    with pytest.raises(UnreadableFile):
        newest.open(laptop_file, laptop_file.read_bytes())

    monkeypatch.setenv("SECONDVIEW_DATA_DIR", str(run.root / "laptop"))
    run("show", TITLE, ok=False)  # its remembered key came from the old key file
    _, out, _ = run("unlock", "--passphrase-file", passphrase, "--remember-in-file")
    assert "1 file(s) of this device sealed to the newest key" in out
    assert b"from the laptop" in newest.open(laptop_file, laptop_file.read_bytes())
    _, out, _ = run("show", TITLE, "--json")
    assert "from the laptop" in out and "ask about the valve" in out


def test_git_diff_shows_a_sealed_replica_as_plain_text_through_textconv(sealed) -> None:
    run, case_id, _ = sealed
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    cases = run.root / "cases"
    env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(run.root),
           "PYTHONPATH": os.pathsep.join([str(Path(secondview.__file__).parents[1]),
                                          os.environ.get("PYTHONPATH", "")])}

    def git(*words: str) -> str:
        done = subprocess.run(["git", "-C", str(cases), *words], env=env, capture_output=True,
                              text=True, timeout=60, check=True)
        return done.stdout

    git("init", "-q")
    git("config", "user.email", "sam@example.org")
    git("config", "user.name", "Sam")
    git("config", "diff.secondview.textconv", f"{sys.executable} -m secondview git-textconv")
    (cases / ".gitattributes").write_text("*.json diff=secondview\n")
    git("add", "-A")
    git("commit", "-qm", "sealed")
    run("add", TITLE, "checklist", "text=bring the echo results")
    diff = git("diff")
    assert "+" in diff and "bring the echo results" in diff
    assert "cachetextconv" not in git("config", "--list")
    _, out, _ = run("git-textconv", str(replicas(run)[0]))
    assert TITLE in out and "bring the echo results" in out


def _age_tool() -> str:
    found = shutil.which("age")
    if found:
        return found
    from apt_kit import apt_install

    why = apt_install(["age"], lambda: shutil.which("age") is not None, 300)
    if why:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"the age interop test must run on CI: {why}")
        print(f"\nskipping the age interop test: {why}")
        pytest.skip(why)
    return shutil.which("age") or ""


def test_the_age_command_opens_a_replica_with_the_recovery_key(sealed) -> None:
    run, case_id, recovery = sealed
    age = _age_tool()
    (replica,) = replicas(run)
    done = subprocess.run([age, "--decrypt", "-i", str(recovery), str(replica)],
                          capture_output=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert TITLE.encode() in done.stdout and done.stdout.startswith(b"{\n")


def test_seal_off_warns_asks_to_confirm_and_makes_the_folder_plain(sealed) -> None:
    run, case_id, _ = sealed
    passphrase = str(run.root / "secrets" / "pass")
    before = hashes(run.root / "cases")
    _, out, err = run("seal", "off", "--passphrase-file", passphrase, ok=False)
    assert "sync service" in out and "--yes" in err  # no terminal to confirm on
    assert hashes(run.root / "cases") == before
    _, _, err = run("seal", "off", "--yes", "--passphrase-file",
                    secret(run, "wrong", "not the one"), ok=False)
    assert "not this cases folder's passphrase" in err
    assert hashes(run.root / "cases") == before

    _, out, _ = run("seal", "off", "--yes", "--passphrase-file", passphrase)
    assert "sync service" in out and "can read" in out
    assert "1 file(s) written plain" in out and "no longer sealed" in out
    assert not (run.root / "cases" / KEY_FILE).exists()
    for path in replicas(run):
        assert b"ask about the valve" in path.read_bytes()
    _, out, _ = run("show", TITLE, "--json")
    assert "ask about the valve" in out
    _, out, _ = run("seal", "status")
    assert "not sealed" in out
    run("add", TITLE, "checklist", "text=after the seal came off")
    assert all(b"after the seal came off" in p.read_bytes() for p in replicas(run))


def test_seal_off_keeps_the_key_file_while_another_device_has_sealed_files(
        sealed, monkeypatch) -> None:
    run, case_id, _ = sealed
    passphrase = str(run.root / "secrets" / "pass")
    monkeypatch.setenv("SECONDVIEW_DATA_DIR", str(run.root / "laptop"))  # another device
    run("unlock", "--passphrase-file", passphrase, "--remember-in-file")
    run("add", TITLE, "checklist", "text=from the laptop")
    monkeypatch.setenv("SECONDVIEW_DATA_DIR", str(run.root / "data"))

    _, out, _ = run("seal", "off", "--yes", "--passphrase-file", passphrase)
    assert "1 sealed file(s) of other devices" in out and "key file stays" in out
    assert (run.root / "cases" / KEY_FILE).exists()
    desk_file = run.root / "cases" / case_id / f"{run.repo().device.id}.json"
    assert not desk_file.read_bytes().startswith(SEALED_LINE)
    run("add", TITLE, "checklist", "text=the desk writes plain now")  # not sealed again
    assert b"the desk writes plain now" in desk_file.read_bytes()
    _, out, _ = run("show", TITLE, "--json")
    assert "from the laptop" in out
    _, out, _ = run("seal", "status")
    assert "being turned off" in out and "1 file(s) still sealed" in out

    monkeypatch.setenv("SECONDVIEW_DATA_DIR", str(run.root / "laptop"))
    run("show", TITLE, ok=False)  # the key file changed: the laptop asks again
    _, out, _ = run("unlock", "--passphrase-file", passphrase, "--remember-in-file")
    assert "1 file(s) of this device written plain" in out
    assert all(not p.read_bytes().startswith(SEALED_LINE) for p in replicas(run))
    # The last sealed file is gone: the key file goes with it.
    assert "no longer sealed" in out and not (run.root / "cases" / KEY_FILE).exists()

    monkeypatch.setenv("SECONDVIEW_DATA_DIR", str(run.root / "data"))
    _, out, _ = run("seal", "off", "--yes", "--passphrase-file", passphrase)
    assert "not sealed; nothing to turn off" in out
    _, out, _ = run("show", TITLE, "--json")
    assert "from the laptop" in out and "the desk writes plain now" in out


def test_the_case_list_index_of_a_sealed_folder_shows_no_title_in_the_cache(sealed) -> None:
    run, case_id, _ = sealed
    cache = run.root / "cache"
    assert not (cache / "index.sqlite").exists()  # the plain one made before the sealing
    _, out, _ = run("list")
    assert TITLE in out
    assert (cache / "index.sqlite.age").exists()
    for path in cache.rglob("*"):
        assert not path.is_file() or TITLE.encode() not in path.read_bytes(), path
    run("seal", "off", "--yes", "--passphrase-file", str(run.root / "secrets" / "pass"))
    assert not (cache / "index.sqlite.age").exists()
    _, out, _ = run("list")
    assert TITLE in out and (cache / "index.sqlite").exists()


def test_seal_init_while_the_sealing_is_being_turned_off_turns_it_back_on(sealed) -> None:
    run, case_id, recovery = sealed
    passphrase = str(run.root / "secrets" / "pass")
    key = FolderKey([recovery.read_text().strip()])
    # seal off began while another device still had sealed files: the key file says so
    from secondview.store.key_file import write_key_file

    write_key_file(run.root / "cases", key.unsealing(), "river stone 42")
    _, out, _ = run("seal", "init", "--passphrase-file", passphrase, "--remember-in-file")
    assert "back on" in out
    run("add", TITLE, "checklist", "text=sealed again")
    assert all(p.read_bytes().startswith(SEALED_LINE) for p in replicas(run))
    _, out, _ = run("seal", "status")
    assert "Every case file is sealed" in out


def test_lock_removes_the_plain_copies_opened_for_the_viewer(sealed) -> None:
    # A kept file opened with the system's viewer is a plain copy in the cache
    # (store.opener): on a sealed folder it must not outlive the person's use of it.
    run, _, _ = sealed
    opened = run.root / "cache" / "opened" / ("ab" * 32)
    opened.mkdir(parents=True)
    (opened / "pathology.pdf").write_bytes(b"%PDF-1.4 the valve report")
    _, out, _ = run("lock")
    assert "copies opened for viewing" in out
    assert not (run.root / "cache" / "opened").exists()
