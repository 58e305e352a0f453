"""secondview benchmarks: open, save, merge and list generated cases; medians beside budgets.

Full run: one realistic case, then 1,000 and 10,000 cases (about 2 GB of generated files under
bench/.data/, removed afterwards unless --keep; the cold 10,000 listing alone takes about a
minute). --quick: fewer repetitions and 1,000 cases only. ``python -m bench compare``: only
the compare engine and the compare pane in the app (bench/compare.py, compare_app.py);
``python -m bench export``: only the exports (bench/export.py); ``python -m bench fhir``: only
the FHIR import and the hashing of attached files (bench/fhir.py); ``python -m bench agenda``:
only the agenda of every case from the index (bench/agenda.py); ``python -m bench search``:
only full-text search of every case (bench/search.py); ``python -m bench case``:
only the realistic case (open, save, merge); ``python -m bench sealed``: the realistic case
on a sealed folder beside a plain one, and unlocking once (bench/sealed.py);
``python -m bench sync``: only the sync figures (bench/sync.py: merging two replicas, another
device's write reaching the open app).

Then the app's benchmarks (bench/startup.py, ui_latency.py, memory.py): first painted case
list against a bare Textual app, key to repaint, peak memory; ``python -m bench startup``,
``ui`` or ``memory`` runs one of them alone.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path

from . import agenda as agenda_bench
from . import compare, compare_app, data, fhir, sealed, suite
from . import export as export_bench
from . import search as search_bench
from . import sync as sync_bench
from .startup import APP_BENCHES, app_rows, main_only
from .timing import Row, report


def main(argv: list[str] | None = None) -> int:
    words = sys.argv[1:] if argv is None else argv
    # The app as a person runs it has its bytecode cached; with PYTHONDONTWRITEBYTECODE set
    # (as on some machines) every changed module would be compiled again at each start the
    # benchmarks time, and the first-paint figure would measure the compiler.
    import compileall

    compileall.compile_dir(suite.ROOT / "src", quiet=1)
    if words[:1] == ["compare"]:
        return compare.main(words[1:])
    if words[:1] == ["sync"]:
        return sync_bench.main(words[1:])
    if words[:1] == ["sealed"]:
        return sealed.main(words[1:])
    if words[:1] == ["export"]:
        return export_bench.main(words[1:])
    if words[:1] == ["fhir"]:
        return fhir.main(words[1:])
    if words[:1] == ["agenda"]:
        return agenda_bench.main(words[1:])
    if words[:1] == ["search"]:
        return search_bench.main(words[1:])
    if words[:1] == ["case"]:
        return case_only(repeat=int(words[1]) if words[1:] else 50)
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a smaller, faster run")
    parser.add_argument("--keep", action="store_true", help="keep the generated data")
    parser.add_argument("--profile", action="store_true",
                        help="also print cProfile output for open and save")
    parser.add_argument("--cases", type=int, action="append",
                        help="list this many cases (repeatable; default 1000 and 10000)")
    parser.add_argument("--data", type=Path, default=suite.ROOT / "bench" / ".data",
                        help="where to generate the data (default: bench/.data)")
    parser.add_argument("only", nargs="?", choices=APP_BENCHES,
                        help="run only this one of the app's benchmarks")
    parser.add_argument("--rounds", type=int,
                        help="interleaved rounds of the first-paint benchmark (default 9)")
    parser.add_argument("--no-cold", action="store_true",
                        help="skip the cold starts (the index deleted; the cold 10,000 cases "
                             "read every case file)")
    parser.add_argument("--work", type=Path,
                        help="with one of the app's benchmarks: generate the cases in this "
                             "folder and keep them, so the next run reuses them and their index")
    args = parser.parse_args(argv)
    if args.only:
        return main_only(args.only, args.quick, args.keep, args.data, args.rounds,
                         cold=not args.no_cold, work=args.work)
    counts = args.cases or ([1_000] if args.quick else [1_000, 10_000])
    repeat = 15 if args.quick else 50
    list_repeat = 5 if args.quick else 15

    started = time.perf_counter()
    tpl = data.template()
    counts_by_table = {t: len(d) for t, d in tpl.state.tables.items() if d}
    print(
        f"secondview benchmarks: Python {platform.python_version()}, {platform.system()} "
        f"{platform.machine()}, {os.cpu_count()} CPUs, load average "
        f"{os.getloadavg()[0]:.2f} (other work on the machine skews every figure)\n"
        f"one case = {len(tpl.data) / 1000:.0f} kB per replica: "
        + ", ".join(f"{n} {t}" for t, n in counts_by_table.items())
        + "\n",
        flush=True,
    )
    args.data.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="run-", dir=args.data))
    rows: list[Row] = compare.rows(repeat)
    print("compare pane: the app in a pseudo-terminal, driven by Pilot...", file=sys.stderr,
          flush=True)
    rows += compare_app.rows(8 if args.quick else 20)
    rows += export_bench.rows(repeat)
    rows += fhir.rows(repeat, work)
    try:
        case = suite.CaseBench(tpl, work, repeat)
        rows += case.rows()
        profile = case.profile() if args.profile else ""
        case.close()
        rows += sealed.rows(tpl, work, repeat)
        print("sync: merging, another device's write reaching the open app...",
              file=sys.stderr, flush=True)
        rows += sync_bench.rows(tpl, quick=args.quick)
        for count in counts:
            print(f"listing {count:,} cases...", file=sys.stderr, flush=True)
            rows += suite.list_rows(tpl, work, count, list_repeat)
            rows += agenda_bench.rows(tpl, work, count, list_repeat, listed=True)
        more, notes = app_rows(tpl, work, quick=args.quick, rounds=args.rounds,
                               cold=not args.no_cold)
        rows += more
    finally:
        if args.keep:
            print(f"data kept in {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)
    report(rows, started, notes)
    if profile:
        print(profile)
    return 0


def case_only(repeat: int) -> int:
    """``python -m bench case [N]``: only the realistic case (open, save, merge), N runs each."""
    started = time.perf_counter()
    tpl = data.template()
    work = Path(tempfile.mkdtemp(prefix="secondview-case-"))
    try:
        case = suite.CaseBench(tpl, work, repeat)
        rows = case.rows()
        case.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    report(rows, started, [])
    return 0


if __name__ == "__main__":
    sys.exit(main())
