"""Exporting the packet of a realistic case: the median time, Markdown and HTML.

The case is bench/data.py's realistic one (40 checklist steps, 30 records, 10 transfers, 3
opinions with long text, 25 questions answered by 3 doctors), typed view built once as the
app has it after opening, with two attached files on every record (60 files, each with a
size and a SHA-256), so the records index and the checksum table are full. Measured:
``core.export.packet`` to Markdown, and the same to the self-contained HTML page
(markdown-it-py parse and render included, a new parser each time as the command makes it).
The issue's budget: under 50 ms median. Also shown, without a budget: all five documents.

Run alone: ``python -m bench export [--quick]``. Side effects: none (all in memory).
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import hashlib
import statistics
import sys
import time
from typing import Any

from secondview.core import export, model

from . import data
from .timing import Row, median_ms, report

PACKET_BUDGET_MS = 50.0
FILES_PER_RECORD = 2
TODAY = dt.date(2026, 6, 1)


def realistic_case() -> model.Case:
    """bench/data.py's case with FILES_PER_RECORD attached files on each record."""
    case = data.template().state.case()
    files = []
    for n, record in enumerate(case.records):
        for k in range(FILES_PER_RECORD):
            files.append({
                "record": record.id,
                "path": f"/home/alex/records/{n:02d}/scan-{k}.pdf",
                "kind": "file",
                "size": 250_000 + 7_919 * (n * FILES_PER_RECORD + k),
                "file_count": 1,
                "sha256": hashlib.sha256(f"{n}-{k}".encode()).hexdigest(),
            })
    if "attachments" in {f.name for f in dataclasses.fields(model.Case)}:
        items = tuple(model.Item("attachments", f"att-{i:03d}", values)
                      for i, values in enumerate(files))
        return dataclasses.replace(case, attachments=items)  # type: ignore[call-arg]
    # Before the attachments table: the same files on the records themselves.
    by_record: dict[str, list[dict[str, Any]]] = {}
    for values in files:
        by_record.setdefault(values["record"], []).append(values)
    records = tuple(
        dataclasses.replace(r, values={**r.values, "files": by_record.get(r.id, [])})
        for r in case.records
    )
    return dataclasses.replace(case, records=records)


def cpu_ms(run: Any, repeat: int) -> float:
    """Median CPU time of ``run()`` in this process, in ms: on a busy machine the wall clock
    also counts the time other processes held the CPU."""
    for _ in range(3):
        run()
    times = []
    for _ in range(repeat):
        start = time.process_time()
        run()
        times.append(time.process_time() - start)
    return statistics.median(times) * 1000


def rows(repeat: int) -> list[Row]:
    case = realistic_case()
    packet = export.packet(case, TODAY)
    files = packet.markdown.count("` |")  # one checksum cell per file
    assert files == len(case.records) * FILES_PER_RECORD, files
    what = (f"{len(case.records)} records, {files} files, {len(case.transfers)} transfers")
    runs = f"median of {repeat}"
    def markdown() -> str:
        return export.packet(case, TODAY).markdown

    def page() -> str:
        return export.packet(case, TODAY).html()

    def everything() -> list[str]:
        return [d.html() for d in export.build_many("all", case, TODAY)[0]]

    few = max(repeat // 3, 5)
    return [
        Row(f"export the packet, Markdown ({what})", median_ms(markdown, repeat), "ms", runs,
            PACKET_BUDGET_MS, note=f"CPU {cpu_ms(markdown, repeat):.1f} ms"),
        Row("export the packet, one HTML page (markdown-it-py included)",
            median_ms(page, repeat), "ms", runs, PACKET_BUDGET_MS,
            note=f"CPU {cpu_ms(page, repeat):.0f} ms; {len(packet.html()) / 1000:.0f} kB"),
        Row("export all five documents, HTML", median_ms(everything, few), "ms",
            f"median of {few}",
            note=f"CPU {cpu_ms(everything, few):.0f} ms; the comparison of 3 long opinions is "
                 "most of it"),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench export",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    report(rows(15 if args.quick else 50), started)
    return 0


if __name__ == "__main__":
    sys.exit(main())
