"""Importing a FHIR bundle of 1,000 resources, and hashing a 100 MB folder of attachments.

- FHIR: a generated Bundle of 1,000 resources, shaped like a portal's export of a long
  illness: 80 documents, 100 reports listing 5 results each, 40 imaging studies, 250
  observations without a report over 25 days, and 30 resources of other types (patient,
  practitioners, organisations, conditions). Timed two ways: ``core.fhir`` alone (parse and
  plan, in memory), and the whole ``secondview import-fhir`` handler on a realistic case
  (read the file, open the case, plan, save every record in one fsynced write). Budget:
  under 1 second.
- Hashing: a folder of 200 files of 512 kB (100 MiB in all, like a CD of imaging series),
  hashed as ``secondview attach`` and ``verify`` do (store.attachments.hash_path). The files
  were just written, so they are read from the page cache: this is the hashing cost, a lower
  bound for a real CD or a USB drive, which read at their own speed.

Run alone: ``python -m bench fhir [--quick]``; ``--large``: only the import of a 100,000-entry
bulk export and the case after it (bench/fhir_large.py). Side effects: a temporary folder (removed).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

from secondview.cli import records
from secondview.cli.context import Env
from secondview.core import fhir
from secondview.store import attachments
from secondview.store.config import Config
from secondview.store.paths import Device, Paths
from secondview.store.repository import CaseRepository

from .timing import Row, median_ms, table

IMPORT_BUDGET_MS = 1000.0
RESOURCES = 1_000
HASH_FILES = 200
HASH_FILE_BYTES = 512 * 1024


def bundle(n: int = RESOURCES) -> dict:
    """A Bundle of ``n`` resources (see the module docstring for the mix)."""
    entries: list[dict] = []

    def add(resource: dict) -> None:
        rid = f"{resource['resourceType']}/{resource['id']}"
        entries.append({"fullUrl": f"https://portal.example.org/fhir/{rid}",
                        "resource": resource})

    patient = {"reference": "Patient/p1"}
    add({"resourceType": "Patient", "id": "p1", "name": [{"family": "Quill", "given": ["Ada"]}]})
    for k in range(9):
        add({"resourceType": "Practitioner", "id": f"pr{k}",
             "name": [{"prefix": ["Dr"], "given": [f"Given{k}"], "family": f"Family{k}"}]})
        add({"resourceType": "Organization", "id": f"org{k}", "name": f"Clinic number {k}"})
    for k in range(11):
        add({"resourceType": "Condition", "id": f"c{k}", "subject": patient,
             "code": {"text": f"Condition {k}"}})
    for k in range(80):
        add({"resourceType": "DocumentReference", "id": f"d{k}", "status": "current",
             "type": {"coding": [{"system": "http://loinc.org", "code": "11506-3",
                                  "display": "Progress note"}]},
             "subject": patient, "date": f"2025-{1 + k % 12:02d}-{1 + k % 28:02d}T10:00:00Z",
             "custodian": {"reference": f"Organization/org{k % 9}"},
             "author": [{"reference": f"Practitioner/pr{k % 9}"}],
             "description": f"Clinic letter {k}",
             "content": [{"attachment": {"contentType": "application/pdf",
                                         "url": f"Binary/b{k}", "size": 100_000 + k}}]})
    for k in range(100):
        results = []
        for j in range(5):
            oid = f"r{k}-{j}"
            add({"resourceType": "Observation", "id": oid, "status": "final",
                 "category": [{"coding": [{"code": "laboratory"}]}],
                 "code": {"coding": [{"system": "http://loinc.org", "code": f"{1000 + j}-{j}",
                                      "display": f"Analyte {j} in Serum"}]},
                 "subject": patient, "effectiveDateTime": f"2025-06-{1 + k % 28:02d}T08:00:00Z",
                 "valueQuantity": {"value": 4.2 + j, "unit": "mmol/L"},
                 "referenceRange": [{"low": {"value": 3, "unit": "mmol/L"},
                                     "high": {"value": 9, "unit": "mmol/L"}}]})
            results.append({"reference": f"Observation/{oid}"})
        add({"resourceType": "DiagnosticReport", "id": f"rep{k}", "status": "final",
             "category": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v2-0074",
                                       "code": "LAB"}]}],
             "code": {"text": f"Panel {k}"}, "subject": patient,
             "effectiveDateTime": f"2025-06-{1 + k % 28:02d}T08:00:00Z",
             "performer": [{"reference": f"Organization/org{k % 9}"}], "result": results})
    for k in range(40):
        add({"resourceType": "ImagingStudy", "id": f"img{k}", "status": "available",
             "subject": patient, "started": f"2025-{1 + k % 12:02d}-15T09:00:00Z",
             "modality": [{"code": "CT"}], "numberOfSeries": 2, "numberOfInstances": 300,
             "description": f"CT study {k}", "location": {"display": "Imaging centre"}})
    k = 0
    while len(entries) < n:
        add({"resourceType": "Observation", "id": f"o{k}", "status": "final",
             "category": [{"coding": [{"code": "vital-signs"}]}],
             "code": {"text": f"Vital sign {k % 6}"}, "subject": patient,
             "effectiveDateTime": f"2025-03-{1 + k % 25:02d}T09:{k % 60:02d}:00Z",
             "valueQuantity": {"value": 60 + k % 40, "unit": "/min"}})
        k += 1
    return {"resourceType": "Bundle", "type": "collection", "entry": entries}


def _repo(root: Path) -> CaseRepository:
    paths = Paths(root / "cases", root / "data", root / "cache", root / "config")
    return CaseRepository(paths, Device("bench0000001", "bench"))


def import_rows(work: Path, repeat: int) -> list[Row]:
    data = json.dumps(bundle()).encode()
    path = work / "portal-export.json"
    path.write_bytes(data)
    from . import data as bench_data

    tpl = bench_data.template()
    parsed = fhir.parse(data)
    assert not parsed.problems and len(parsed.resources) == RESOURCES
    repo = _repo(work / "fhir")
    try:
        opened = repo.create({"title": "bench import"})
        state = opened.state

        def plan_only() -> None:
            fhir.plan(fhir.parse(data), state)

        plan_ms = median_ms(plan_only, repeat, warmup=2)
        records_made = fhir.plan(parsed, state).records

        # The whole command on a realistic case: a fresh copy each time (a second import
        # of the same file adds nothing, by design).
        env = Env(repo.paths, Config(), repo, lambda: None)
        times = []
        devnull = open(os.devnull, "w")
        for case_id in bench_data.write_cases(tpl, repo.paths.cases_dir, max(5, repeat // 3)):
            args = SimpleNamespace(file=str(path), case=case_id, patient="", dry_run=False,
                                   json=False, other_observations=False)
            stdout, sys.stdout = sys.stdout, devnull
            try:
                start = time.perf_counter()
                code = records.cmd_import_fhir(args, env)
                times.append(time.perf_counter() - start)
            finally:
                sys.stdout = stdout
            assert code == 0
        devnull.close()
        full_ms = statistics.median(times) * 1000
    finally:
        repo.close()
    size = f"{len(data) / 1e6:.1f} MB file"
    return [
        Row(f"FHIR import, {RESOURCES:,} resources: parse + plan (core)", plan_ms, "ms",
            f"{repeat} runs; {records_made} records; {size}"),
        Row(f"FHIR import, {RESOURCES:,} resources: import-fhir on a realistic case",
            full_ms, "ms", f"{len(times)} runs; read, open, plan, one fsynced save",
            IMPORT_BUDGET_MS),
    ]


def hash_rows(work: Path, repeat: int) -> list[Row]:
    folder = work / "cd" / "DICOM"
    folder.mkdir(parents=True)
    for k in range(HASH_FILES):
        series = folder / f"S{k // 50:04d}"
        series.mkdir(exist_ok=True)
        (series / f"I{k:04d}").write_bytes(os.urandom(HASH_FILE_BYTES))
    total = HASH_FILES * HASH_FILE_BYTES
    calls = 0

    def progress(done: int, all_: int, path: str) -> None:
        nonlocal calls
        calls += 1

    def run() -> None:
        attachments.hash_path(str(folder), progress)

    ms = median_ms(run, max(3, repeat // 5), warmup=1)
    rate = total / (1 << 20) / (ms / 1000)
    return [Row(f"hash a folder of {HASH_FILES} files, {total >> 20} MiB (page cache)", ms,
                "ms", f"{max(3, repeat // 5)} runs; {rate:,.0f} MiB/s; progress calls per run: "
                f"{calls // (max(3, repeat // 5) + 1)}")]


def rows(repeat: int, work: Path | None = None) -> list[Row]:
    """Both benchmarks, in a temporary folder inside ``work`` (removed afterwards)."""
    root = Path(tempfile.mkdtemp(prefix="fhir-", dir=work))
    try:
        return import_rows(root, repeat) + hash_rows(root, repeat)
    finally:
        shutil.rmtree(root, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench fhir",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    parser.add_argument("--large", action="store_true",
                        help="only the import of a 100,000-entry bulk export (bench/fhir_large.py)")
    args = parser.parse_args(argv)
    if args.large:
        from . import fhir_large

        print(table(fhir_large.rows(repeat=8 if args.quick else 20)))
        return 0
    print(table(rows(9 if args.quick else 30)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
