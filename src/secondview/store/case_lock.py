"""The per-case lock: one save of a case at a time among this device's processes and threads.

A lock file per case in the local data folder (``locks/<case-id>.lock``, 0600), held with
``flock`` for the whole of a save (re-read, write, archive), so two saves of this device never
interleave; other devices never share it (they write only their own file). Side effects are
named in the docstring; nothing happens at import.
"""

from __future__ import annotations

import fcntl
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .storage import FILE_MODE, ensure_dir, tighten


class CaseLocks:
    """The case locks of one repository, in ``locks_dir``."""

    def __init__(self, locks_dir: Path) -> None:
        self.locks_dir = locks_dir
        self._held: set[tuple[str, int]] = set()

    def holds(self, case_id: str) -> bool:
        """Whether this thread holds the lock on ``case_id`` now."""
        return (case_id, threading.get_ident()) in self._held

    @contextmanager
    def hold(self, case_id: str) -> Iterator[None]:
        """An exclusive lock on one case (``case_id`` already checked to be a case id).

        Re-entrant within one thread (a save that re-reads may take a new device id and
        write under the lock it already holds). Side effects: creates the locks folder (0700)
        and the case's lock file (0600) if missing.
        """
        key = (case_id, threading.get_ident())
        if key in self._held:
            yield
            return
        ensure_dir(self.locks_dir)
        lock = self.locks_dir / f"{case_id}.lock"
        fd = os.open(lock, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, FILE_MODE)
        tighten(lock)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            self._held.add(key)
            yield
        finally:
            self._held.discard(key)
            os.close(fd)  # closing releases the lock
