"""Sync figures: merging two replicas of a realistic case, and another device's write reaching
the open app.

Merge: the realistic case of ``bench.data`` (about 110 kB per replica) as its own device has
it, and as a second device has it after five edits the first has not seen (``suite.diverged``);
each run merges a freshly parsed pair (no memo, no shared documents), as opening the case does.
Also timed: parsing both files as one reading and merging (what the two-replica part of an
open costs: ``core.replica_json``) and the whole folder read with a third file, a sync tool's
conflict copy.

Live: the app (the real SecondViewApp, headless through Textual's Pilot, ``run_test``) has
the case open on its overview; another device (a second CaseRepository on the same cases
folder, its own local folders) saves a new patient name; the clock runs from just before that
save starts until the overview's text shows the new name. The save is made from a thread, as
another process would, at a random moment of the app's one-second poll. Each sample is
independent of the last (a new name each time).

``python -m bench sync [--quick]``; ``python -m bench`` includes it.

Side effects: writes a case and local folders under a temporary folder, removed afterwards.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

from secondview.core.registers import merge_tables
from secondview.core.replica_json import Reading
from secondview.store.paths import Device, Paths
from secondview.store.repository import CaseRepository
from secondview.store.storage import parse_replica

from . import data, suite
from .timing import Row, median_ms, report

MERGE_BUDGET_MS = 20.0
LIVE_BUDGET_MS = 2000.0


def merge_rows(tpl: data.Template, repeat: int) -> list[Row]:
    """Merging two replicas of the realistic case (merge alone; parse + merge; a folder)."""
    ours = tpl.data
    theirs = suite.diverged(tpl, data.DEVICES[1], edits=5, seed=1)
    pairs = [
        (parse_replica(Path("a.json"), ours)[1], parse_replica(Path("b.json"), theirs)[1])
        for _ in range(repeat + 5)
    ]
    merge_only = median_ms(lambda: merge_tables(*pairs.pop()), repeat)

    def parse_and_merge() -> None:
        reading = Reading()  # the second file read against the first, as opening a case does
        merge_tables(parse_replica(Path("a.json"), ours, reading=reading)[1],
                     parse_replica(Path("b.json"), theirs, reading=reading)[1])

    parsed = median_ms(parse_and_merge, repeat)
    work = Path(tempfile.mkdtemp(prefix="sv-bench-sync-"))
    try:
        paths = suite.local_paths(work)
        folder = paths.cases_dir / tpl.case_id
        folder.mkdir(parents=True, mode=0o700)
        (folder / f"{tpl.device}.json").write_bytes(ours)
        (folder / f"{data.DEVICES[1]}.json").write_bytes(theirs)
        older = suite.diverged(tpl, data.DEVICES[2], edits=3, seed=2)
        (folder / f"{data.DEVICES[2]}.sync-conflict-20261121-101010-ABCDEFG.json"
         ).write_bytes(older)
        repo = CaseRepository(paths, Device(tpl.device, data.DEVICE_NAMES[tpl.device]))
        opened = median_ms(lambda: repo.open(tpl.case_id).case, repeat)
        repo.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    kb = (len(ours) + len(theirs)) // 2000
    runs = f"median of {repeat}"
    return [
        Row(f"merge two replicas of a realistic case (~{kb} kB each, parsed afresh)",
            merge_only, "ms", runs, MERGE_BUDGET_MS),
        Row("parse two replica files and merge them", parsed, "ms", runs),
        Row("open a case: 2 replicas + a sync tool's conflict copy, to the typed view",
            opened, "ms", runs),
    ]


async def _live_samples(tpl: data.Template, work: Path, samples: int) -> list[float]:
    from secondview.ui.app import SecondViewApp

    paths = suite.local_paths(work)
    data.write_cases(tpl, paths.cases_dir, 1)
    (case_id,) = data.case_ids(1)
    repo = CaseRepository(paths, Device(tpl.device, data.DEVICE_NAMES[tpl.device]))
    other_paths = Paths(paths.cases_dir, work / "other" / "data", work / "other" / "cache",
                        work / "other" / "config")
    other = CaseRepository(other_paths, Device(data.DEVICES[1], data.DEVICE_NAMES[data.DEVICES[1]]))
    app = SecondViewApp(repo, content=None, paths=paths)
    rng = random.Random(11)
    results: list[float] = []
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.press("enter")  # the one case in the list
            deadline = time.monotonic() + 30
            while type(app.screen).__name__ != "CaseScreen":
                if time.monotonic() > deadline:
                    raise RuntimeError(f"the case did not open ({type(app.screen).__name__})")
                await pilot.pause(0.05)
            await app.workers.wait_for_complete()
            overview = app.screen.query_one("#overview")

            def shows(name: str) -> bool:
                try:
                    return name in overview.section_text("case")
                except Exception:  # rows being mounted anew
                    return False

            for n in range(samples):
                await asyncio.sleep(rng.uniform(0.0, 1.0))  # any moment of the poll
                name = f"Patient {n} {rng.randrange(10**6)}"
                started = time.perf_counter()
                saved = threading.Event()

                def save(name: str = name, saved: threading.Event = saved) -> None:
                    opened = other.open(case_id)
                    other.update(opened, "case", case_id, {"patient": name})
                    saved.set()

                threading.Thread(target=save, daemon=True).start()
                while not shows(name):
                    if time.perf_counter() - started > 10:
                        raise RuntimeError(f"'{name}' not shown within 10 s")
                    await asyncio.sleep(0.005)
                results.append((time.perf_counter() - started) * 1000)
                while not saved.is_set():
                    await asyncio.sleep(0.005)
            app.exit()
    finally:
        repo.close()
        other.close()
    return results


def live_rows(tpl: data.Template, samples: int) -> list[Row]:
    """Another device's write to the open app showing it (Pilot, headless)."""
    work = Path(tempfile.mkdtemp(prefix="sv-bench-live-"))
    try:
        values = asyncio.run(_live_samples(tpl, work, samples))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    ordered = sorted(values)
    return [Row(
        "another device's save to the open app showing it (overview)",
        statistics.median(values), "ms", f"median of {len(values)}", LIVE_BUDGET_MS,
        note=f"min {ordered[0]:.0f} ms, max {ordered[-1]:.0f} ms; the app polls the folder "
             "once a second",
    )]


def rows(tpl: data.Template, quick: bool = False) -> list[Row]:
    return merge_rows(tpl, 15 if quick else 50) + live_rows(tpl, 5 if quick else 12)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench sync",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    print(f"sync benchmarks: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}\n",
          flush=True)
    report(rows(data.template(), quick=args.quick), started)
    return 0


if __name__ == "__main__":
    sys.exit(main())
