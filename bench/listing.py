"""List a cases folder in a fresh interpreter and print figures as JSON.

Run by ``bench.suite`` as ``python -m bench.listing CASES LOCAL cold|warm|agenda REPEAT``, so the
peak memory it reports (ru_maxrss) belongs to listing alone, not to the benchmark's own data.

cold: removes the index first, then times one ``repo.list()`` (every case read in full).
agenda: times ``repo.index.agenda`` (every case's agenda from the index: bench/agenda.py),
whole and as the agenda screen reads it (the first entries, and how many there are).
warm: times ``repo.indexed()`` (first paint: the index only) and ``repo.list()`` (the index
plus a stamp check of every case folder, what the app does next in a worker), then measures
the Python memory ``indexed()`` allocates with tracemalloc; and the list's columns that are
decided on the day shown (overdue requests, the next visit, what waits on me): every row
sorted by each of them, and the filter words ``overdue`` and ``waiting:me late`` over every
row (what one key typed into the filter costs).
"""

from __future__ import annotations

import datetime as dt
import json
import resource
import sys
import time
import tracemalloc
from pathlib import Path
from typing import Any

from secondview.core import agenda, list_filter
from secondview.store.paths import Device, Paths
from secondview.store.repository import CaseRepository

from .data import DEVICE_NAMES, DEVICES
from .timing import median_ms


def _reset_peak() -> None:
    """Start the peak-memory count afresh (Linux).

    A process started by another inherits that process's peak (ru_maxrss and VmHWM survive
    fork and exec), which here would be the benchmark's own memory, not the listing's.
    """
    try:
        with open("/proc/self/clear_refs", "w") as handle:
            handle.write("5")
    except OSError:
        pass


def _maxrss_mib() -> float:
    """The peak resident memory since _reset_peak (VmHWM), else the process's ru_maxrss."""
    try:
        with open("/proc/self/status") as handle:
            for line in handle:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kB


def _day_columns(rows: list[Any], today: dt.date, repeat: int) -> dict[str, float]:
    """Medians (ms) of sorting every row by each column decided on the day shown, and of
    filtering every row by the words about them."""
    from secondview.ui.case_columns import BY_KEY, sorted_rows

    found: dict[str, float] = {}
    for key in (k for k, c in BY_KEY.items() if c.by_day):
        found[f"sort_{key}_ms"] = median_ms(lambda k=key: sorted_rows(rows, k, True, today),
                                            repeat)
    for typed in ("overdue", "waiting:me late"):
        query = list_filter.parse(typed, today=today)
        found[f"filter_{typed.replace(':', '_').replace(' ', '_')}_ms"] = median_ms(
            lambda q=query: [r for r in rows if list_filter.keeps(r, q)], repeat)
    return found


def main(argv: list[str]) -> int:
    cases, local, mode, repeat = Path(argv[0]), Path(argv[1]), argv[2], int(argv[3])
    paths = Paths(cases, local / "data", local / "cache", local / "config")
    repo = CaseRepository(paths, Device(DEVICES[0], DEVICE_NAMES[DEVICES[0]]))
    _reset_peak()
    result: dict[str, float] = {"baseline_mib": _maxrss_mib()}
    if mode == "cold":
        for suffix in ("", "-wal", "-shm"):
            Path(f"{paths.index_file}{suffix}").unlink(missing_ok=True)
        start = time.perf_counter()
        rows = repo.list()
        result["list_ms"] = (time.perf_counter() - start) * 1000
        result["maxrss_mib"] = _maxrss_mib()
    elif mode == "agenda":
        today = repo.today
        entries = repo.index.agenda(today, 14)  # the connection opened outside the timings
        result["agenda_ms"] = median_ms(lambda: repo.index.agenda(today, 14), repeat)
        result["entries"] = len(entries)

        def screenful() -> None:  # what the agenda screen reads
            repo.index.agenda(today, 14, limit=agenda.SHOWN_AT_MOST)
            repo.index.agenda_count(today, 14)

        result["agenda_screen_ms"] = median_ms(screenful, repeat)
        rows = repo.indexed()
    else:
        repo.indexed()  # open the index connection outside the timings
        result["indexed_ms"] = median_ms(repo.indexed, repeat)
        result["list_ms"] = median_ms(repo.list, repeat)
        result["maxrss_mib"] = _maxrss_mib()
        tracemalloc.start()
        rows = repo.indexed()
        result["indexed_peak_mib"] = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
        result.update(_day_columns(rows, repo.today, repeat))
    result["rows"] = len(rows)
    result["errors"] = sum(1 for r in rows if r.error)
    repo.close()
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
