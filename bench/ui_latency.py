"""Key to repaint: moving the cursor in a 200-row case list, and switching the case panes.

The app runs for real in a child process whose terminal is a pseudo-terminal (120x40), with
Textual's own Linux driver writing escape sequences to it, exactly as when a user runs it.
Textual's Pilot drives it in-process (``App.run(auto_pilot=...)``, Textual's public hook for
scripted runs, the same Pilot as ``run_test`` gives tests).

How one figure is timed: the clock starts just before ``pilot.press(key)`` sends the key event
and stops when the next frame leaves the app for the terminal. Textual's driver writes every
frame to ``sys.__stderr__`` (from its writer thread) and flushes it when its queue is empty;
before the app starts, the child replaces ``sys.__stderr__`` with a thin wrapper that passes
everything through and notes the time of each flush that follows a write. That is a public
seam (the standard stream Textual is documented to write to, no Textual internals), and it
stops the clock at the moment a real terminal would receive the frame, so the figure holds
everything: the key's dispatch, the binding, the widgets' work, Textual's wait for its next
60 Hz refresh tick (0 to 16.7 ms, 8 on average), the compositor and the escape sequences.
``pilot.press`` itself returns much later (Pilot waits twice for 20 ms of idleness), which is
why its duration is not the figure. A press that changed nothing (no frame followed within
a second) is not counted.

Run by ``bench.__main__`` through ``measure``; the child is ``python -m bench.ui_latency
child RESULT.json`` with the SECONDVIEW_* variables set.

Side effects: writes 200 generated cases and local folders under the work folder; the
child writes its figures to the result file.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import sys
import threading
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from . import data
from .pty_run import run_in_pty
from .startup import CaseSet, case_set
from .timing import Row

ROOT = Path(__file__).resolve().parent.parent
ROWS = 200
BUDGET_MS = 16.0
PANE_KEYS = [str(k) for k in range(1, 8)]
MOVES = 100  # down this many times (the last 64 scroll the list), then up as many


class FlushClock:
    """Stands in for ``sys.__stderr__``: passes everything through, and notes when written
    text is flushed to the terminal (Textual's writer thread flushes after each frame)."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner
        self._pending = False
        self._lock = threading.Lock()
        self.flushes: list[float] = []

    def write(self, text: str) -> int:
        with self._lock:
            self._pending = self._pending or bool(text)
        return self._inner.write(text)

    def flush(self) -> None:
        self._inner.flush()
        with self._lock:
            if self._pending:
                self.flushes.append(time.perf_counter())
                self._pending = False

    def __getattr__(self, name: str) -> Any:  # fileno, isatty, encoding...
        return getattr(self._inner, name)

    def first_after(self, moment: float) -> float | None:
        with self._lock:
            return next((t for t in self.flushes if t > moment), None)


async def _timed_press(pilot: Any, clock: FlushClock, key: str) -> float | None:
    """Milliseconds from pressing ``key`` to the next frame flushed; None if none came."""
    start = time.perf_counter()
    await pilot.press(key)
    deadline = time.perf_counter() + 1.0
    while (flushed := clock.first_after(start)) is None and time.perf_counter() < deadline:
        await asyncio.sleep(0.005)
    await pilot.pause()  # let everything settle before the next key
    return None if flushed is None else (flushed - start) * 1000


def _summary(samples: list[float]) -> dict[str, Any]:
    ordered = sorted(samples)
    return {
        "n": len(ordered),
        "median": statistics.median(ordered) if ordered else None,
        "p90": ordered[int(0.9 * (len(ordered) - 1))] if ordered else None,
        "max": ordered[-1] if ordered else None,
    }


def child(result_file: Path) -> int:
    """Start the app on the SECONDVIEW_* folders, drive it, write the figures as JSON."""
    clock = FlushClock(sys.__stderr__)
    sys.__stderr__ = clock  # type: ignore[misc]  # before the driver takes it (see above)
    return run_child_app(result_file, lambda pilot, figures: _drive(pilot, clock, figures))


def run_child_app(result_file: Path, drive: Callable[[Any, dict[str, Any]], Awaitable[None]]
                  ) -> int:
    """The app on the SECONDVIEW_* folders (with the content set loaded before it starts),
    Pilot running ``drive(pilot, figures)``; then the figures are written to ``result_file``
    as JSON (an exception goes in as ``figures["error"]``, for the parent to report). The
    caller puts its clock in place of ``sys.__stderr__`` first."""
    from secondview.store.content_files import load_content
    from secondview.store.paths import Device, Paths
    from secondview.store.repository import CaseRepository
    from secondview.ui.app import SecondViewApp

    paths, config = Paths.resolve()
    repo = CaseRepository(paths, Device.load_or_create(paths.data_dir))
    app = SecondViewApp(repo, content=load_content([paths.config_dir / "content"]),
                        config=config, paths=paths)
    figures: dict[str, Any] = {}

    async def auto_pilot(pilot: Any) -> None:
        try:
            await drive(pilot, figures)
        except Exception as exc:  # reported by the parent, with what the app showed
            figures["error"] = f"{type(exc).__name__}: {exc}"
        finally:
            app.exit()

    try:
        app.run(auto_pilot=auto_pilot)
    finally:
        repo.close()
        result_file.write_text(json.dumps(figures))
    return 0


async def _drive(pilot: Any, clock: FlushClock, figures: dict[str, Any]) -> None:
    app = pilot.app
    await app.workers.wait_for_complete()  # the list's refresh worker
    await pilot.pause()
    table = app.screen.query_one("#cases")
    shown = len(getattr(app.screen, "summaries", ()))
    if shown != ROWS:
        raise RuntimeError(f"the case list shows {shown} cases, expected {ROWS}")
    await pilot.press("home")
    await pilot.pause()
    idle_from = time.perf_counter()
    await asyncio.sleep(2.0)
    figures["idle_frames"] = sum(1 for t in clock.flushes if t > idle_from)
    moves: list[float] = []
    unchanged = 0
    for key in ["down"] * MOVES + ["up"] * MOVES:
        before = table.cursor_row
        ms = await _timed_press(pilot, clock, key)
        if ms is None or table.cursor_row == before:
            unchanged += 1
        else:
            moves.append(ms)
    figures["list"] = _summary(moves) | {"unchanged": unchanged}
    if figures["idle_frames"]:
        figures["list"]["warning"] = (
            f"{figures['idle_frames']} frames in 2 s without a key: some may have been "
            "counted as a key's repaint"
        )

    await pilot.press("home", "enter")
    await app.workers.wait_for_complete()  # the case is read in a worker
    await pilot.pause()
    bound = app.active_bindings
    missing = [k for k in PANE_KEYS if k not in bound]
    if missing:
        figures["panes"] = {"skipped": (
            f"the case screen ({type(app.screen).__name__}) binds no key "
            f"{', '.join(missing)}: the workspace with panes on keys 1-7 is not built yet"
        )}
        return
    first: list[float] = []
    again: list[float] = []
    by_key: dict[str, list[float]] = {}
    visited = {"1"}  # the workspace opens on the overview
    for _cycle in range(8):
        for key in PANE_KEYS[1:] + PANE_KEYS[:1]:
            ms = await _timed_press(pilot, clock, key)
            await app.workers.wait_for_complete()  # a pane may load in a worker
            if ms is None:
                continue
            (again if key in visited else first).append(ms)
            if key in visited:
                by_key.setdefault(key, []).append(ms)
            visited.add(key)
    figures["panes"] = {"first": _summary(first), "again": _summary(again),
                        "by_key": {k: _summary(v) for k, v in sorted(by_key.items())}}


def measure(tpl: data.Template, work: Path, log: Any = lambda s: None
            ) -> tuple[list[Row], list[str]]:
    """Rows for the table, and notes (a skipped measure says why)."""
    cases: CaseSet = case_set(tpl, work, ROWS)
    cases.warm()
    result = work / "ui-latency.json"
    result.unlink(missing_ok=True)
    env = cases.env()
    env["SECONDVIEW_CASES"] = str(cases.paths.cases_dir)
    log("key to repaint: the app in a pseudo-terminal, driven by Pilot...")
    run = run_in_pty([sys.executable, "-m", "bench.ui_latency", "child", str(result)], env,
                     markers=(), timeout=600, quit_after=False, cwd=ROOT)
    if not result.exists():
        raise RuntimeError(f"bench.ui_latency child wrote no result (exit status "
                           f"{run.returncode}); the end of its output:\n{run.tail()}")
    figures = json.loads(result.read_text())
    if "error" in figures or "list" not in figures:
        raise RuntimeError(f"bench.ui_latency child: {figures.get('error', 'no figures')}\n"
                           f"{run.tail()}")
    rows: list[Row] = []
    notes: list[str] = []
    moves = figures["list"]
    rows.append(Row(
        f"key to repaint: cursor down/up in a {ROWS}-row case list", moves["median"], "ms",
        f"median of {moves['n']}", BUDGET_MS,
        note=f"p90 {moves['p90']:.1f} ms, max {moves['max']:.1f} ms; includes the wait for "
             "the next 60 Hz tick",
    ))
    if moves.get("warning"):
        notes.append(f"key to repaint in the list: {moves['warning']}")
    if moves["unchanged"]:
        notes.append(f"key to repaint in the list: {moves['unchanged']} presses moved nothing "
                     "or brought no frame within a second, and were not counted")
    panes = figures["panes"]
    if "skipped" in panes:
        notes.append(f"pane switching: skipped, {panes['skipped']}")
        return rows, notes
    for label, key in (("switching panes 1-7 (seen before)", "again"),
                       ("a pane's first showing", "first")):
        s = panes[key]
        if not s["n"]:
            continue
        rows.append(Row(
            f"key to repaint: {label}", s["median"], "ms", f"median of {s['n']}",
            BUDGET_MS if key == "again" else None,
            note=f"p90 {s['p90']:.1f} ms, max {s['max']:.1f} ms",
        ))
    if panes.get("by_key"):
        notes.append("switching panes, median (max) per key: " + ", ".join(
            f"{k}: {s['median']:.0f} ({s['max']:.0f}) ms" for k, s in panes["by_key"].items()))
    return rows, notes


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "child":
        sys.exit(child(Path(sys.argv[2])))
    sys.exit("usage: python -m bench.ui_latency child RESULT.json (run by python -m bench)")
