"""Start to first painted case list, side by side with a bare Textual app, in a pseudo-terminal.

Each app runs as the user runs it: a fresh process whose stdin, stdout and stderr are the slave
side of a pseudo-terminal (its controlling terminal, 120x40, TERM=xterm-256color), so Textual
uses its real Linux driver and writes real escape sequences. The clock starts just before the
process is spawned and stops when the master side has received output containing the expected
text: for the bare app, its Static's text; for secondview, a case title ("Bench case #...",
only drawn in the case list's rows). Both are measured by the same code, so what the ratio
compares is the apps, not the method. Then ctrl+q is typed and the process is waited for.

secondview is started through its console script (``.venv/bin/secondview --cases DIR``) with
SECONDVIEW_DATA_DIR, _CACHE_DIR and _CONFIG_DIR set to folders of the benchmark's own.

Warm: the index exists (``secondview list`` was run once). Cold: the index is deleted first,
so nothing is known until every case file has been read.

Side effects: writes generated cases and local folders under the work folder it is given;
spawns processes (each ended before the next starts).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from secondview.store.paths import Paths

from . import data
from .pty_run import PtyRun, child_env, run_in_pty
from .timing import Row

BARE_TEXT = "Bare Textual app, first frame"
BARE_APP = f"""
from textual.app import App
from textual.widgets import Static


class Bare(App):
    def compose(self):
        yield Static({BARE_TEXT!r})


Bare().run()
"""
CASE_MARK = b"Bench case #"
"""In every generated title (bench.data), drawn only in the rows of the case list."""
HOME_MARK = b"this device"
"""In the case list's title line, drawn with the list's first frame even when it is empty."""
RATIO_BUDGETS = {1_000: 1.3, 10_000: 1.5}
def console_script() -> Path:
    """The installed ``secondview`` command beside this interpreter."""
    script = Path(sys.executable).parent / "secondview"
    if not script.exists():
        raise RuntimeError(f"{script} not found: install the project first (make, or "
                           "pip install -e .)")
    return script


def bare_command() -> list[str]:
    return [sys.executable, "-c", BARE_APP]


@dataclass(frozen=True)
class CaseSet:
    """A cases folder of ``count`` generated cases with local folders of its own."""

    count: int
    root: Path

    @property
    def paths(self) -> Paths:
        return Paths(self.root / "cases", self.root / "local" / "data",
                     self.root / "local" / "cache", self.root / "local" / "config")

    def env(self) -> dict[str, str]:
        p = self.paths
        return child_env({
            "SECONDVIEW_DATA_DIR": str(p.data_dir),
            "SECONDVIEW_CACHE_DIR": str(p.cache_dir),
            "SECONDVIEW_CONFIG_DIR": str(p.config_dir),
        })

    def command(self, *args: str) -> list[str]:
        return [str(console_script()), "--cases", str(self.paths.cases_dir), *args]

    def warm(self) -> float:
        """Run ``secondview list`` once (builds or refreshes the index); seconds taken."""
        start = time.perf_counter()
        done = subprocess.run(self.command("list"), env=self.env(), stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"secondview list failed:\n{done.stderr}")
        return time.perf_counter() - start

    def forget_index(self) -> None:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{self.paths.index_file}{suffix}").unlink(missing_ok=True)


def case_set(tpl: data.Template, work: Path, count: int) -> CaseSet:
    """``count`` generated cases under ``work/list-<count>`` (kept files are reused)."""
    cases = CaseSet(count, work / f"list-{count}")
    data.write_cases(tpl, cases.paths.cases_dir, count)
    for folder in (cases.paths.data_dir, cases.paths.cache_dir, cases.paths.config_dir):
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return cases


def run_bare() -> PtyRun:
    return run_in_pty(bare_command(), child_env(), [BARE_TEXT.encode()])


def run_ours(cases: CaseSet, markers: Sequence[bytes] = (CASE_MARK,), timeout: float = 60.0,
             settle: Callable[[int, int], None] | None = None) -> PtyRun:
    return run_in_pty(cases.command(), cases.env(), markers, timeout=timeout, settle=settle)


# -- the measurement ----------------------------------------------------------------------------


@dataclass
class StartupResult:
    rows: list[Row]
    cold: dict[int, PtyRun]
    """count -> the cold run (for its peak memory)."""


def _ms(seconds: Sequence[float]) -> float:
    return statistics.median(seconds) * 1000


def measure(sets: Sequence[CaseSet], rounds: int, cold: bool = True,
            cold_settle: Callable[[int, int], None] | None = None,
            log: Callable[[str], None] = lambda s: None) -> StartupResult:
    """Warm: ``rounds`` interleaved rounds (bare, then each case set), after one warm-up round
    that is not counted. Cold: one run per case set, the index deleted first."""
    for cases in sets:
        log(f"warming the index of {cases.count:,} cases (secondview list)...")
        cases.warm()
    bare: list[float] = []
    ours: dict[int, list[float]] = {c.count: [] for c in sets}
    bare_cpu: list[float] = []
    ours_cpu: dict[int, list[float]] = {c.count: [] for c in sets}
    for round_ in range(rounds + 1):
        log(f"startup round {round_}/{rounds}" + (" (warm-up, not counted)" if not round_ else ""))
        b = run_bare()
        o = {c.count: run_ours(c) for c in sets}
        if round_:
            bare.append(b.seen[BARE_TEXT.encode()])
            bare_cpu.append(b.cpu[BARE_TEXT.encode()])
            for count, run in o.items():
                ours[count].append(run.seen[CASE_MARK])
                ours_cpu[count].append(run.cpu[CASE_MARK])
    runs = f"median of {rounds}, interleaved"
    rows = [Row("first frame: bare Textual app, one Static (pty, spawn to text)", _ms(bare),
                "ms", runs)]
    for cases in sets:
        n = cases.count
        rows.append(Row(f"first painted case list, {n:,} cases, warm index", _ms(ours[n]), "ms",
                        runs))
    for cases in sets:
        n = cases.count
        ratios = sorted(o / b for o, b in zip(ours[n], bare, strict=True))
        rows.append(Row(
            f"  ratio to the bare app, {n:,} cases (warm)", round(_ms(ours[n]) / _ms(bare), 2),
            "x", "ratio of medians", RATIO_BUDGETS.get(n),
            note=f"per round {ratios[0]:.2f}-{ratios[-1]:.2f}; in CPU time "
                 f"{_ms(ours_cpu[n]):.0f} / {_ms(bare_cpu):.0f} ms = "
                 f"{_ms(ours_cpu[n]) / _ms(bare_cpu):.2f}x",
        ))
    cold_runs: dict[int, PtyRun] = {}
    if cold:
        for cases in sets:
            log(f"cold start, {cases.count:,} cases (the index deleted: every case is read)...")
            cases.forget_index()
            run = run_ours(cases, (HOME_MARK, CASE_MARK), timeout=1800, settle=cold_settle)
            cold_runs[cases.count] = run
            n = cases.count
            rows.append(Row(f"cold start, {n:,} cases: first frame (title, no rows yet)",
                            run.seen[HOME_MARK] * 1000, "ms", "1 run"))
            rows.append(Row(f"cold start, {n:,} cases: first case row painted",
                            run.seen[CASE_MARK] * 1000, "ms", "1 run",
                            note="rows show as cases are read (every half second)"))
    return StartupResult(rows, cold_runs)


# -- where the first frame's time goes (python -m bench breakdown) -------------------------------

BREAKDOWN_CHILD = r"""
import json, os, sys, time
cpu = time.process_time  # all threads: the refresh worker's share counts too
marks = [("interpreter start-up (site, .pth)", cpu())]
out, mark = os.environ["BENCH_OUT"], os.environ["BENCH_MARK"]

class FirstFrame:  # Textual's driver writes its frames to sys.__stderr__
    def __init__(self, inner):
        self._inner, self._done = inner, False
    def write(self, text):
        if not self._done and mark in text:
            self._done = True
            marks.append(("run: mount, CSS, compose, first frame", cpu()))
            with open(out, "w") as handle:
                json.dump(marks, handle)
        return self._inner.write(text)
    def __getattr__(self, name):
        return getattr(self._inner, name)

sys.__stderr__ = FirstFrame(sys.__stderr__)
import textual.app
marks.append(("import textual.app", cpu()))
if sys.argv[1] == "bare":
    import textual.widgets
    marks.append(("import textual.widgets (Static)", cpu()))
    exec(os.environ["BENCH_BARE"])
else:
    from secondview import cli
    marks.append(("import secondview.cli (the store comes with main)", cpu()))
    from secondview.ui import app as ui_app
    from secondview.ui.screens import home_screen
    marks.append(("import secondview.ui.app, home_screen", cpu()))
    original = ui_app.SecondViewApp.__init__
    def init(self, *args, **kwargs):
        marks.append(("command line: store and core, paths, device, repo", cpu()))
        original(self, *args, **kwargs)
        marks.append(("SecondViewApp.__init__ (config, themes)", cpu()))
    ui_app.SecondViewApp.__init__ = init
    sys.argv = ["secondview", "--cases", sys.argv[2]]
    sys.exit(cli.main())
"""


def breakdown(sets: Sequence[CaseSet], runs: int, log: Callable[[str], None] = lambda s: None
              ) -> str:
    """CPU time (process_time, all threads) of each start-up phase until the first frame is
    written, bare app against ours, medians of ``runs`` interleaved runs; a text table.

    Diagnostics, not a budget: the child wraps ``sys.__stderr__`` to see the first frame
    written and wraps ``SecondViewApp.__init__`` to mark the phases around it.
    """
    import json
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "marks.json"
        columns: dict[str, dict[str, list[float]]] = {}
        subjects = [("bare app", None)] + [(f"{c.count:,} cases", c) for c in sets]
        for run in range(runs + 1):
            log(f"breakdown run {run}/{runs}" + (" (warm-up, not counted)" if not run else ""))
            for label, cases in subjects:
                if cases is None:
                    env, marker, extra = child_env(), BARE_TEXT.encode(), ["bare"]
                else:
                    env, marker = cases.env(), CASE_MARK
                    extra = ["ours", str(cases.paths.cases_dir)]
                env.update(BENCH_OUT=str(out), BENCH_MARK=marker.decode(), BENCH_BARE=BARE_APP)
                out.unlink(missing_ok=True)
                run_in_pty([sys.executable, "-c", BREAKDOWN_CHILD, *extra], env, [marker])
                if run:
                    marks = json.loads(out.read_text())
                    phases = columns.setdefault(label, {})
                    previous = 0.0
                    for name, at in marks:
                        phases.setdefault(name, []).append((at - previous) * 1000)
                        previous = at
                    phases.setdefault("total CPU to the first frame", []).append(previous * 1000)
    # phases in the order they happen: the longest list, then each other one's own phases
    # right after the phase they follow
    lists = sorted((list(p) for p in columns.values()), key=len, reverse=True)
    names = list(lists[0])
    for other in lists[1:]:
        # each name with the one before it (None for the first)
        for before, name in zip([None, *other], other, strict=False):
            if name not in names:
                names.insert(names.index(before) + 1 if before in names else 0, name)
    names.remove("total CPU to the first frame")
    names.append("total CPU to the first frame")
    width = max(len(n) for n in names)
    lines = [f"{'phase (CPU ms, median of ' + str(runs) + ')':<{width}}"
             + "".join(f"  {label:>13}" for label in columns)]
    for name in names:
        cells = [statistics.median(p[name]) if name in p else None for p in columns.values()]
        lines.append(f"{name:<{width}}"
                     + "".join(f"  {c:13.1f}" if c is not None else f"  {'':>13}" for c in cells))
    return "\n".join(lines)


# -- the app's benchmarks together (python -m bench, python -m bench startup|ui|memory) ---------

APP_BENCHES = ("startup", "ui", "memory", "breakdown")


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def app_rows(tpl: data.Template, work: Path, quick: bool = False, only: str | None = None,
             rounds: int | None = None, log: Callable[[str], None] = _log,
             cold: bool = True) -> tuple[list[Row], list[str]]:
    """The app's figures (first paint, key to repaint, peak memory) and notes on the way.

    Full: 1,000 and 10,000 cases, 9 interleaved rounds, cold starts too (the cold 10,000
    start reads every case: about a minute). Quick: 1,000 cases, 3 rounds, no cold start.
    ``only`` runs one of APP_BENCHES ("breakdown" is not part of the full run: it prints
    where the first frame's CPU time goes). Case sets are made under ``work`` (reused if there).
    ``cold`` False skips the cold starts, in a full run too.
    """
    from . import memory, ui_latency  # they import this module

    counts = [1_000] if quick else [1_000, 10_000]
    rows: list[Row] = []
    notes: list[str] = []
    sets = [case_set(tpl, work, n) for n in counts] if only != "ui" else []
    cold_runs: dict[int, PtyRun] = {}
    if only == "breakdown":
        for cases in sets:
            cases.warm()
        notes.append("where the first frame's time goes:\n" + breakdown(sets, rounds or 9, log))
    if only in (None, "startup"):
        result = measure(sets, rounds or (3 if quick else 9), cold=cold and not quick,
                         cold_settle=memory.settle, log=log)
        rows += result.rows
        cold_runs = result.cold
        notes.append("first paint: wall time from spawn to the text arriving in the "
                     "pseudo-terminal; the ratio divides by the bare app's median of the same "
                     "rounds")
    if only in (None, "ui"):
        ui_rows, ui_notes = ui_latency.measure(tpl, work, log)
        rows += ui_rows
        notes += ui_notes
    if only in (None, "memory"):
        biggest = sets[-1]
        rows += memory.measure(biggest, cold_run=cold_runs.get(biggest.count),
                               cold=cold and not quick, log=log)
    return rows, notes


def main_only(what: str, quick: bool, keep: bool, data_dir: Path, rounds: int | None,
              cold: bool = True, work: Path | None = None) -> int:
    """``python -m bench startup|ui|memory``: one of the app's benchmarks, with its table.
    With ``work``, the cases are generated there and kept (a later run reuses them)."""
    import platform
    import shutil
    import tempfile

    from .timing import report

    started = time.perf_counter()
    print(f"secondview app benchmarks ({what}): Python {platform.python_version()}, "
          f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs, load average "
          f"{os.getloadavg()[0]:.2f} (other work on the machine skews every figure)\n",
          flush=True)
    if work is not None:
        keep = True
        work.mkdir(parents=True, exist_ok=True)
    else:
        data_dir.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix="run-", dir=data_dir))
    try:
        rows, notes = app_rows(data.template(), work, quick=quick, only=what, rounds=rounds,
                               cold=cold)
    finally:
        if keep:
            _log(f"data kept in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    report(rows, started, notes, load=True)
    return 0
