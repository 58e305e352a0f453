"""The command line of the benchmarks measured at several case counts (the agenda, search):
``python -m bench NAME [N ...] [--repeat R] [--keep] [--data DIR]``.

Each generates its cases under a fresh folder of ``--data`` (removed afterwards unless
``--keep``), measures each count in turn with its own ``rows`` and prints one table.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from . import data, suite
from .timing import Row, report

Rows = Callable[[data.Template, Path, int, int], list[Row]]
"""``rows(template, work folder, case count, repeat)``: one benchmark's rows at one count."""


def main_per_count(name: str, doc: str, rows: Rows, argv: list[str]) -> int:
    """Parse ``argv``, measure ``rows`` at each count asked (1,000 and 10,000 by default),
    print the table. ``doc``'s first paragraph is the help's description."""
    parser = argparse.ArgumentParser(prog=f"python -m bench {name}",
                                     description=doc.split("\n\n")[0])
    parser.add_argument("counts", nargs="*", type=int, help="cases (default 1000 10000)")
    parser.add_argument("--repeat", type=int, default=15, help="timed runs (median)")
    parser.add_argument("--keep", action="store_true", help="keep the generated data")
    parser.add_argument("--data", type=Path, default=suite.ROOT / "bench" / ".data",
                        help="where to generate the data (default: bench/.data)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    tpl = data.template()
    args.data.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f"{name}-", dir=args.data))
    found: list[Row] = []
    try:
        for count in args.counts or [1_000, 10_000]:
            print(f"{name} of {count:,} cases...", file=sys.stderr, flush=True)
            found += rows(tpl, work, count, args.repeat)
    finally:
        if args.keep:
            print(f"data kept in {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)
    report(found, started, load=True)
    return 0
