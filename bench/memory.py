"""Peak memory of the real app with 10,000 cases: started as the user starts it, the list
painted, the index refreshed, the list paged through to the end and back.

The app runs in a pseudo-terminal (``bench.pty_run.run_in_pty``). Once the case list has been
painted, the benchmark waits until the app is idle (its refresh worker done: under 5% of a CPU
for half a second), types page-down five times, end and home as a user would, waits for idle
again, and reads the process's VmHWM from /proc: the peak resident set size of the app's
program since it started (exec starts the count afresh, so the benchmark's own memory is not
in it). Warm: the index exists. Cold: the index is deleted first, so every case file is read
and summarised once.

Side effects: those of ``bench.startup`` (generated cases, local folders, processes).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable

from .pty_run import PtyRun, child_env, cpu_seconds, drain, run_in_pty
from .startup import BARE_TEXT, CASE_MARK, HOME_MARK, CaseSet, bare_command, run_ours
from .timing import Row

BUDGET_MIB = 80.0
KEYS = [b"\x1b[6~"] * 5 + [b"\x1b[F", b"\x1b[H"]  # page down x5, end, home (xterm)


def wait_idle(pid: int, master: int, quiet: float = 0.5, limit: float = 600.0) -> float:
    """Wait until the process uses under 5% of a CPU for ``quiet`` seconds (reading its
    output meanwhile); the seconds waited. Gives up after ``limit`` seconds."""
    start = time.perf_counter()
    used = cpu_seconds(pid)
    while time.perf_counter() - start < limit:
        drain(master, quiet)
        now = cpu_seconds(pid)
        if now - used < 0.05 * quiet:
            break
        used = now
    return time.perf_counter() - start


def settle(pid: int, master: int) -> None:
    """Let the app finish its start-up work, page through the list, let it settle again."""
    wait_idle(pid, master)
    for key in KEYS:
        os.write(master, key)
        drain(master, 0.2)
    wait_idle(pid, master)


def session(cases: CaseSet, cold: bool) -> PtyRun:
    """One run of the app on ``cases`` (cold: the index deleted first), settled as above."""
    if cold:
        cases.forget_index()
        return run_ours(cases, (HOME_MARK, CASE_MARK), timeout=1800, settle=settle)
    return run_ours(cases, (CASE_MARK,), timeout=600, settle=settle)


def measure(cases: CaseSet, cold_run: PtyRun | None = None, cold: bool = True,
            log: Callable[[str], None] = lambda s: None) -> list[Row]:
    """Peak memory rows: a warm session, and a cold one (``cold_run`` if already made, e.g.
    by ``bench.startup.measure`` with ``cold_settle=settle``)."""
    label = f"{cases.count:,}"
    log("peak memory, the bare Textual app (for scale)...")
    bare = run_in_pty(bare_command(), child_env(), [BARE_TEXT.encode()], settle=settle)
    log(f"peak memory, {label} cases, warm index...")
    cases.warm()
    warm = session(cases, cold=False)
    budget = BUDGET_MIB if cases.count >= 10_000 else None
    rows = [Row("peak memory: bare Textual app, one Static (VmHWM, for scale)",
                bare.peak_mib or 0.0, "MiB", "1 run"),
            Row(f"peak memory: the app, {label} cases, warm index (VmHWM)", warm.peak_mib or 0.0,
                "MiB", "1 run", budget,
                note=f"{warm.rss_mib or 0:.1f} MiB resident when it quit")]
    if cold and cold_run is None:
        log(f"peak memory, {label} cases, cold (every case read)...")
        cold_run = session(cases, cold=True)
    if cold_run is not None:
        rows.append(Row(f"peak memory: the app, {label} cases, cold (VmHWM)",
                        cold_run.peak_mib or 0.0, "MiB", "1 run", budget,
                        note=f"{cold_run.rss_mib or 0:.1f} MiB resident when it quit"))
    return rows
