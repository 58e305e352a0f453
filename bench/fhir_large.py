"""Importing a patient portal's bulk export of 100,000 entries, and using the case afterwards.

The export is generated, shaped like the years of a long illness that a real bulk export holds
(the numbers the issue "Records from the patient portal" names): 700 clinical notes sent twice
(a DiagnosticReport and a DocumentReference carrying the same base64 text, as Synthea writes
them), 500 lab reports of 8 results, 15,000 lab results without a report over 1,500 days,
65,000 vital signs, survey answers and social-history entries, and about 19,000 encounters,
claims and immunizations; every resource distinct. Budgets: the whole ``import-fhir`` under
10 s and 300 MB peak memory (a process of its own, measured with ``wait4``); the replica grows
by what is kept (its settled documents in a part, store/replica_parts.py); a later save of the
case within the save budget (5 ms, DESIGN.md). A row gives the index's share of such a save
alone (the case list row, agenda and search rows of one edit of the case's notes).

Run: ``python -m bench fhir --large``. Side effects: a temporary folder (removed).
"""

from __future__ import annotations

import base64
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from secondview.store.paths import Device, Paths
from secondview.store.repository import CaseRepository

from .timing import Row, median_ms

ENTRIES = 100_000
IMPORT_BUDGET_MS = 10_000.0
MEMORY_BUDGET_MB = 300.0
SAVE_BUDGET_MS = 5.0


def large_bundle(entries: int = ENTRIES, seed: int = 1) -> dict:
    """The generated export (see the module docstring)."""
    rnd = random.Random(seed)
    out: list[dict] = []

    def add(resource: dict) -> dict:
        out.append({"fullUrl": f"urn:uuid:{resource['resourceType']}-{resource['id']}",
                    "resource": resource})
        return resource

    patient = {"reference": "urn:uuid:Patient-p1"}
    add({"resourceType": "Patient", "id": "p1", "name": [{"family": "Quill", "given": ["Ada"]}]})

    def day(i: int) -> str:
        return f"{2010 + i // 365}-{1 + i % 365 // 31 % 12:02d}-{1 + i % 28:02d}"

    words = ["pain", "stable", "plan", "review", "knee", "follow", "up", "labs", "imaging"]
    for k in range(700):
        note = f"Visit note {k}\n" + " ".join(rnd.choice(words) for _ in range(250))
        data = base64.b64encode(note.encode()).decode()
        when = day(k * 5) + "T10:00:00Z"
        code = {"coding": [{"system": "http://loinc.org", "code": "11506-3",
                            "display": "Progress note"}]}
        add({"resourceType": "DiagnosticReport", "id": f"n{k}", "status": "final",
             "subject": patient, "code": code, "effectiveDateTime": when,
             "presentedForm": [{"contentType": "text/plain", "data": data}]})
        add({"resourceType": "DocumentReference", "id": f"dn{k}", "status": "current",
             "subject": patient, "type": code, "date": when,
             "content": [{"attachment": {"contentType": "text/plain", "data": data}}]})
    serial = 0

    def observation(category: str, name: str, when: str, value: float, unit: str) -> dict:
        nonlocal serial
        serial += 1
        return add({"resourceType": "Observation", "id": f"o{serial}", "status": "final",
                    "subject": patient, "category": [{"coding": [{"code": category}]}],
                    "code": {"text": name}, "effectiveDateTime": when + "T08:00:00Z",
                    "valueQuantity": {"value": value, "unit": unit}})

    for k in range(500):
        when = day(k * 7)
        results = [observation("laboratory", f"Analyte {j}", when,
                               round(rnd.uniform(1, 9), 2), "mmol/L") for j in range(8)]
        add({"resourceType": "DiagnosticReport", "id": f"r{k}", "status": "final",
             "subject": patient, "category": [{"coding": [{"code": "LAB"}]}],
             "code": {"text": f"Panel {k % 12}"}, "effectiveDateTime": when + "T08:00:00Z",
             "result": [{"reference": f"urn:uuid:Observation-{r['id']}"} for r in results]})
    for k in range(15_000):
        observation("laboratory", f"Test {k % 10}", day(k // 10), round(rnd.uniform(1, 99), 1),
                    "mg/dL")
    for category, count in (("vital-signs", 40_000), ("survey", 20_000),
                            ("social-history", 5_000)):
        for k in range(count):
            observation(category, f"{category} {k % 7}", day(k % 5_000),
                        rnd.randint(1, 10_000), "1")
    k = 0
    while len(out) < entries:
        kind = ("Encounter", "Claim", "ExplanationOfBenefit", "Immunization")[k % 4]
        add({"resourceType": kind, "id": f"x{k}", "status": "finished", "subject": patient})
        k += 1
    return {"resourceType": "Bundle", "type": "collection", "entry": out}


def _run(env: dict[str, str], *argv: str) -> tuple[str, float, float, float]:
    """Run ``secondview argv`` in a process of its own: (stdout, seconds, peak RSS in MB,
    CPU seconds: user and system, what the wall time would be on an idle machine)."""
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "secondview", *argv], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out = proc.stdout.read() if proc.stdout else b""
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        err = proc.stderr.read().decode() if proc.stderr else ""
        raise RuntimeError(f"secondview {' '.join(argv[:1])} failed: {err}")
    return out.decode(), seconds, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


def _cpu_ms(run: Callable[[], object]) -> float:
    """The CPU time (user and system) of one ``run()`` in milliseconds: a save without its
    waits for the disk, which other work on the machine lengthens."""
    start = time.process_time()
    run()
    return (time.process_time() - start) * 1000


def rows(work: Path | None = None, repeat: int = 20) -> list[Row]:
    root = Path(tempfile.mkdtemp(prefix="fhir-large-", dir=work))
    try:
        env = {k: v for k, v in os.environ.items() if not k.startswith("SECONDVIEW_")}
        env.update({"SECONDVIEW_DATA_DIR": str(root / "data"),
                    "SECONDVIEW_CACHE_DIR": str(root / "cache"),
                    "SECONDVIEW_CONFIG_DIR": str(root / "config"),
                    "SECONDVIEW_CASES": str(root / "cases")})
        export = root / "export.json"
        export.write_bytes(json.dumps(large_bundle()).encode())
        case_id = _run(env, "new", "Bulk export")[0].strip()
        _, seconds, peak, cpu = _run(env, "import-fhir", str(export), "--case", case_id)
        paths = Paths(root / "cases", root / "data", root / "cache", root / "config")
        repo = CaseRepository(paths, Device.load_or_create(paths.data_dir))
        try:
            opened = repo.open(case_id)
            records = len(opened.case.records)
            own = repo.own_file(case_id)
            replica_mb = own.stat().st_size / 1e6
            named = set(json.loads(own.read_bytes()).get("parts", ()))
            kept = list((root / "cases" / case_id / "files").iterdir())
            parts_mb = sum(f.stat().st_size for f in kept if f.name in named) / 1e6
            kept_mb = sum(f.stat().st_size for f in kept if f.name not in named) / 1e6
            open_ms = median_ms(lambda: repo.open(case_id), max(3, repeat // 4), warmup=1)

            def open_cold() -> None:
                fresh = CaseRepository(paths, repo.device)
                try:
                    fresh.open(case_id)
                finally:
                    fresh.close()

            cold_ms = median_ms(open_cold, max(3, repeat // 4), warmup=1)
            state = {"opened": opened, "n": 0}

            def save() -> None:
                state["n"] += 1
                state["opened"] = repo.update(state["opened"], "case", case_id,
                                              {"notes": f"note {state['n']}"})

            save_ms = median_ms(save, repeat, warmup=2)
            cpu_ms = statistics.median(_cpu_ms(save) for _ in range(repeat))
            save()
            edits = [state["opened"]]
            save()
            edits.append(state["opened"])

            def index_one_edit() -> None:  # two saved states in turn: the notes differ
                edits.reverse()
                repo.index.put_case(edits[0], repo.today)

            index_ms = median_ms(index_one_edit, repeat, warmup=2)
        finally:
            repo.close()
        size = f"{export.stat().st_size / 1e6:.0f} MB file"
        return [
            Row(f"FHIR import, {ENTRIES:,} entries: import-fhir, whole command", seconds * 1000,
                "ms", f"1 run, own process ({cpu:.1f} s of CPU); {size}; {records:,} records",
                IMPORT_BUDGET_MS),
            Row(f"FHIR import, {ENTRIES:,} entries: peak memory of that process", round(peak), "MB",
                "1 run (wait4 ru_maxrss)", MEMORY_BUDGET_MB),
            Row("  the case after it: replica size", round(replica_mb * 1000), "kB",
                f"naming {len(named)} part(s) of {parts_mb:.1f} MB (store/replica_parts.py); "
                f"plus {kept_mb:.1f} MB of notes kept in files/"),
            Row("  the case after it: open", open_ms, "ms", f"{max(3, repeat // 4)} runs"),
            Row("  the case after it: open in a new process (its parts read and parsed)",
                cold_ms, "ms", f"{max(3, repeat // 4)} runs"),
            Row("  the case after it: save one edit", save_ms, "ms", f"{repeat} runs",
                SAVE_BUDGET_MS),
            Row("  the case after it: save one edit, CPU time", cpu_ms, "ms",
                f"{repeat} runs; the rest is waiting for the disk (the replica and this "
                "install's copy of it, each fsynced)"),
            Row("  the case after it: index one edit (list row, agenda, search rows)",
                index_ms, "ms", f"{repeat} runs; part of the save above"),
        ]
    finally:
        shutil.rmtree(root, ignore_errors=True)
