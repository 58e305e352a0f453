"""The measurements: one realistic case (open, save, merge) and case lists (cold and warm).

Side effects: writes generated cases under the work folder it is given (see ``bench.data``).
"""

from __future__ import annotations

import cProfile
import io
import json
import os
import pstats
import random
import subprocess
import sys
import time
from pathlib import Path

from secondview.core.hybrid_clock import HybridClock
from secondview.core.ids import new_id
from secondview.core.registers import merge_tables
from secondview.core.replica import Write
from secondview.store.paths import Device, Paths
from secondview.store.repository import CaseRepository
from secondview.store.storage import parse_replica, replica_bytes

from . import data
from .timing import Row, median_ms

ROOT = Path(__file__).resolve().parent.parent
OPEN_BUDGET_MS = 5.0
SAVE_BUDGET_MS = 5.0
LIST_WARM_BUDGET_MS = 50.0
LIST_WARM_BUDGET_CASES = 10_000
MEMORY_BUDGET_MIB = 80.0
FILTER_KEY_BUDGET_MS = 16.0
"""DESIGN: filtering 10,000 cases as you type, per key."""


def local_paths(root: Path) -> Paths:
    return Paths(root / "cases", root / "local" / "data", root / "local" / "cache",
                 root / "local" / "config")


def diverged(tpl: data.Template, device: str, edits: int, seed: int) -> bytes:
    """The template as ``device`` has it after ``edits`` edits the template's device has not
    seen (each with its log entry, as the app saves them)."""
    rng = random.Random(seed)
    clock = HybridClock()
    clock.observe(tpl.state.max_at)
    state = tpl.state
    items = sorted(state.tables["checklist"])
    for i in range(edits):
        item = rng.choice(items)
        writes = [
            state.prepare("checklist", item, {"notes": f"edit {i} on {device}"}),
            Write("log", new_id(), {"action": "edit", "summary": f"edit {i}"}),
        ]
        state = state.apply(writes, device, clock.now())
    return replica_bytes(state.tables, device, data.DEVICE_NAMES[device])


class CaseBench:
    """Open, save and merge on one realistic case, with one and with two replicas."""

    def __init__(self, tpl: data.Template, work: Path, repeat: int) -> None:
        self.tpl = tpl
        self.repeat = repeat
        self.paths = local_paths(work / "case")
        self.one, self.two = data.write_cases(tpl, self.paths.cases_dir, 2)
        # The second case also has the laptop's replica, with edits the desktop has not seen.
        laptop = data.DEVICES[1]
        # It is the same case as ours, copy 1 of the template: its id and its title (as
        # data.copy_bytes gives them), so one write has one content under one dot in both.
        theirs = diverged(tpl, laptop, edits=5, seed=1).replace(
            tpl.case_id.encode(), self.two.encode()
        ).replace(data.TITLE_MARK.encode(), b"Bench case #000001")
        path = self.paths.cases_dir / self.two / f"{laptop}.json"
        path.write_bytes(theirs)
        os.chmod(path, 0o600)
        self.ours_bytes = data.copy_bytes(tpl, self.two, 1)
        self.theirs_bytes = theirs
        self.repo = CaseRepository(self.paths, Device(tpl.device, data.DEVICE_NAMES[tpl.device]))
        self.repo.list()  # the index exists, as it does for a user who opens a case from it
        self.opened = self.repo.open(self.two)
        self.item = self.opened.case.checklist[0].id
        self.saves = 0

    def save(self) -> None:
        self.saves += 1
        self.opened = self.repo.update(
            self.opened, "checklist", self.item, {"done": "yes" if self.saves % 2 else "no"}
        )

    def merge_ms(self, repeat: int) -> float:
        """Median time of merge_tables on two replicas parsed afresh (as on opening a case)."""
        pairs = [
            (parse_replica(Path("a.json"), self.ours_bytes)[1],
             parse_replica(Path("b.json"), self.theirs_bytes)[1])
            for _ in range(repeat + 10)  # one fresh pair per run, warm-up runs included
        ]
        return median_ms(lambda: merge_tables(*pairs.pop()), repeat)

    def rows(self) -> list[Row]:
        n, repo = self.repeat, self.repo
        runs = f"median of {n}"
        return [
            Row("open a case: read + merge (1 replica)", median_ms(lambda: repo.open(self.one), n),
                "ms", runs),
            Row("open a case, ready to show (1 replica, + typed view)",
                median_ms(lambda: repo.open(self.one).case, n), "ms", runs, OPEN_BUDGET_MS),
            Row("open a case, ready to show (2 replicas)",
                median_ms(lambda: repo.open(self.two).case, n), "ms", runs, OPEN_BUDGET_MS),
            Row("save one edit (repo.update: lock, re-check, atomic fsynced write, index)",
                median_ms(self.save, n), "ms", runs, SAVE_BUDGET_MS),
            Row("merge two replicas (merge_tables, parsed afresh)", self.merge_ms(n), "ms", runs),
        ]

    def profile(self) -> str:
        out = io.StringIO()
        for label, run in (
            ("open, ready to show (2 replicas)", lambda: self.repo.open(self.two).case),
            ("save one edit", self.save),
        ):
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(20):
                run()
            profiler.disable()
            out.write(f"\n== cProfile: {label}, 20 runs ==\n")
            pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(12)
        return out.getvalue()

    def close(self) -> None:
        self.repo.close()


def run_listing(root: Path, mode: str, repeat: int) -> dict[str, float]:
    """Run ``bench.listing`` in a fresh interpreter; its JSON result."""
    done = subprocess.run(
        [sys.executable, "-m", "bench.listing", str(root / "cases"), str(root / "local"), mode,
         str(repeat)],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"bench.listing {mode} failed:\n{done.stderr}")
    return json.loads(done.stdout)


def list_rows(tpl: data.Template, work: Path, count: int, repeat: int) -> list[Row]:
    """Cold and warm listing of ``count`` cases, each in a fresh interpreter."""
    root = work / f"list-{count}"
    start = time.perf_counter()
    data.write_cases(tpl, root / "cases", count)
    made_s = time.perf_counter() - start
    cold = run_listing(root, "cold", 1)
    warm = run_listing(root, "warm", repeat)
    for result in (cold, warm):
        if result["rows"] != count or result["errors"]:
            raise RuntimeError(f"listing {count} cases gave {result}")
    label = f"{count:,}"
    budget = LIST_WARM_BUDGET_MS if count >= LIST_WARM_BUDGET_CASES else None
    rows = [
        Row(f"list {label} cases cold (no index: list() reads every case)", cold["list_ms"],
            "ms", "1 run", note=f"generated in {made_s:.1f} s"),
        Row(f"list {label} cases warm: indexed() (first paint)", warm["indexed_ms"], "ms",
            f"median of {repeat}", budget),
        Row(f"list {label} cases warm: list() (index + stamp check)", warm["list_ms"], "ms",
            f"median of {repeat}"),
    ]
    memory_budget = MEMORY_BUDGET_MIB if count >= LIST_WARM_BUDGET_CASES else None
    rows += [
        Row(f"peak memory, list {label} cold (process peak RSS)", cold["maxrss_mib"], "MiB",
            "1 run", memory_budget, note=f"{cold['baseline_mib']:.1f} MiB before listing"),
        Row(f"peak memory, list {label} warm (process peak RSS)", warm["maxrss_mib"], "MiB",
            "1 run", memory_budget, note=f"{warm['baseline_mib']:.1f} MiB before listing"),
        Row(f"memory of the {label} rows of indexed() (tracemalloc peak)",
            warm["indexed_peak_mib"], "MiB", "1 run"),
    ]
    # the columns decided on the day shown (bench.listing._day_columns): sorts and filter words
    rows += [Row(f"list {label} cases: {name[:-3].replace('_', ' ')}", value, "ms",
                 f"median of {repeat}", FILTER_KEY_BUDGET_MS if name.startswith("filter") and
                 count >= LIST_WARM_BUDGET_CASES else None)
             for name, value in warm.items() if name.startswith(("sort_", "filter_"))]
    return rows
