"""Timing helpers and the result table."""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass


def median_ms(run: Callable[[], object], repeat: int, warmup: int = 5) -> float:
    """Median wall time of ``run()`` in milliseconds (garbage collection on, as in the app)."""
    for _ in range(warmup):
        run()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    gc.collect()
    return statistics.median(times) * 1000


@dataclass(frozen=True)
class Row:
    """One line of the table: a figure, its unit, and the budget it must meet (if any)."""

    what: str
    value: float
    unit: str
    runs: str
    budget: float | None = None
    note: str = ""

    @property
    def verdict(self) -> str:
        if self.budget is None:
            return ""
        return "ok" if self.value < self.budget else "OVER BUDGET"


def fmt(value: float, unit: str) -> str:
    if unit == "ms" and value >= 10_000:
        return f"{value / 1000:.1f} s"
    if unit == "ms":
        return f"{value:.2f} ms" if value < 10 else f"{value:.0f} ms"
    if unit == "MiB":
        return f"{value:.1f} MiB"
    return f"{value:g} {unit}"


def table(rows: list[Row]) -> str:
    """The rows as an aligned text table."""
    header = ("measure", "median", "budget", "", "runs")
    lines = [
        (
            r.what,
            fmt(r.value, r.unit),
            f"< {fmt(r.budget, r.unit)}" if r.budget is not None else "-",
            r.verdict,
            r.runs + (f"; {r.note}" if r.note else ""),
        )
        for r in rows
    ]
    widths = [max(len(str(line[i])) for line in [header, *lines]) for i in range(4)]
    out = []
    for i, line in enumerate([header, *lines]):
        out.append(
            f"{line[0]:<{widths[0]}}  {line[1]:>{widths[1]}}  {line[2]:>{widths[2]}}  "
            f"{line[3]:<{widths[3]}}  {line[4]}".rstrip()
        )
        if i == 0:
            out.append("-" * len(out[0]))
    return "\n".join(out)


def report(rows: list[Row], started: float, notes: list[str] = (), load: bool = False) -> None:
    """Print the table, the notes, and how many figures are over budget and how long the run
    took (``started``: a perf_counter reading; ``load``: add the load average)."""
    import os

    if rows:
        print(table(rows))
    for note in notes:
        print(f"\nnote: {note}")
    over = [r for r in rows if r.verdict == "OVER BUDGET"]
    tail = f"; load average now {os.getloadavg()[0]:.2f}" if load else ""
    took = time.perf_counter() - started
    print(f"\n{len(over)} figure(s) over budget; {took:.0f} s in all{tail}.")
