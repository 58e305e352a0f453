"""Setting up: ``make run`` installs what running needs, ``make test`` the test tools too, and
``make install`` puts the ``secondview`` command on the PATH, as the README says.

The Makefile is read with ``make -n`` (what it would run) against a venv folder of the test's
own, so nothing is installed; ``make install`` runs for real against a stand-in venv.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="needs make")


def make(*args: str, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(["make", "--no-print-directory", "-C", str(ROOT), *args],
                            capture_output=True, text=True, timeout=60,
                            env={**os.environ, **(env or {})})
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_make_run_installs_what_running_needs_and_not_the_test_tools(tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    run = make("-n", "run", f"VENV={venv}")
    assert "pip install --quiet -e .\n" in run
    assert "[test]" not in run
    assert f"{venv}/bin/secondview" in run
    test = make("-n", "test", f"VENV={venv}")
    assert ".[test]" in test


def test_make_install_puts_the_command_on_the_path(tmp_path: Path) -> None:
    # a stand-in for the venv `make run` made: its command, and a stamp newer than pyproject
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    command = venv / "bin" / "secondview"
    command.write_text("#!/bin/sh\necho secondview ran \"$@\"\n")
    command.chmod(0o755)
    (venv / "bin" / "python").symlink_to(shutil.which("python3") or "/usr/bin/python3")
    stamp = venv / ".installed"
    stamp.touch()
    os.utime(stamp, (ROOT.joinpath("pyproject.toml").stat().st_mtime + 10,) * 2)
    bindir = tmp_path / "home" / ".local" / "bin"
    out = make("install", f"VENV={venv}", f"BINDIR={bindir}")
    link = bindir / "secondview"
    assert link.is_symlink() and link.resolve() == command.resolve()
    ran = subprocess.run([str(link), "list"], capture_output=True, text=True, check=True)
    assert ran.stdout == "secondview ran list\n"
    assert str(link) in out
    # on a PATH without that folder, it says how to add it
    assert "PATH" in make("install", f"VENV={venv}", f"BINDIR={bindir}",
                          env={"PATH": "/usr/bin:/bin"})
    make("uninstall", f"VENV={venv}", f"BINDIR={bindir}")
    assert not link.exists() and not link.is_symlink()


def test_the_readme_says_how_to_run_the_command_line() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    setup = readme[readme.index("## Set-up"):readme.index("## Keys")]
    assert "make install" in setup and ".venv/bin/secondview" in setup
    assert "pipx install ." in setup
