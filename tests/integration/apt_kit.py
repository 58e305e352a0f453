"""Installing Debian packages from a test's set-up, one installer at a time.

Tests run in parallel (pytest-xdist); two workers running apt-get at once would fight over
dpkg's lock, so every install holds a lock file first and looks again for what it needs once
it has the lock (another worker may have installed it meanwhile).
"""

from __future__ import annotations

import fcntl
import os
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

LOCK = Path(tempfile.gettempdir()) / "secondview-tests-apt.lock"


def apt_install(packages: list[str], present: Callable[[], bool], timeout: float) -> str:
    """Install ``packages`` unless ``present()``; "" when they are there, else why not.

    Side effects: as root only, ``apt-get update`` then ``apt-get install -y``.
    """
    if present():
        return ""
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return f"{' '.join(packages)} not installed, and installing needs root"
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    with open(LOCK, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if present():
            return ""
        for argv in (["apt-get", "update"],
                     ["apt-get", "install", "-y", "--no-install-recommends", *packages]):
            try:
                done = subprocess.run(argv, env=env, capture_output=True, text=True,
                                      timeout=timeout, check=False)
            except FileNotFoundError:
                return "there is no apt-get on this machine"
            except subprocess.TimeoutExpired:
                return f"'{' '.join(argv)}' took more than {timeout:.0f} s"
            if done.returncode != 0:
                tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
                return f"'{' '.join(argv)}' failed ({done.returncode}): {' / '.join(tail)}"
    return "" if present() else f"installed {' '.join(packages)}, yet it is still missing"
