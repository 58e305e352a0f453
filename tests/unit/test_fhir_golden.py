"""Golden titles and kinds of the records a handful of real exports become.

Each input, from ``../shared/fhir`` (HL7's published examples, a Synthea patient, a US Core
patient; never edited), has a golden file beside this test, ``golden/fhir/<name>.json``: the
records its import adds (kind, title, date, the resource types they came from, and the names
of the files kept with them), the counts by kind, and what went into the health summary. A
change in how the importer titles or sorts a record shows here as a diff to read. To accept
one on purpose, regenerate and read the diff:

      UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/unit/test_fhir_golden.py
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from secondview.core import fhir
from secondview.core.fhir.outcome import added_by_kind
from secondview.core.hybrid_clock import HybridClock
from secondview.core.replica import new_case

SHARED_FHIR = Path(__file__).resolve().parents[3] / "shared" / "fhir"
GOLDEN = Path(__file__).parent / "golden" / "fhir"
CASE_ID = "00000000-0000-4000-8000-000000000001"
INPUTS = [
    "hl7-r4-examples/diagnosticreport-example-gingival-mass.json",
    "hl7-r4-examples/diagnosticreport-example-papsmear.json",
    "hl7-r4-examples/diagnosticreport-example-f201-brainct.json",
    "hl7-r4-examples/diagnosticreport-example-lipids.json",
    "hl7-r4-examples/composition-example.json",
    "hl7-r4-examples/documentreference-example.json",
    "hl7-r4-examples/imagingstudy-example.json",
    "hl7-r4-examples/media-example-xray.json",
    "synthea/Assunta351_Dickens475_3d195286-ce77-f5b3-b64f-3eacfb9c273e.json",
    "us-core/uscore_bundle_patient_355.json",
]


def _type(key: str) -> str:
    """The resource type a key names (``Type/id``, or a URL ending in them)."""
    parts = key.split("/")
    return parts[-2] if len(parts) >= 2 else "(a key without a type)"


def outcome(path: Path) -> dict[str, Any]:
    """What the import of ``path`` into a new case adds, as the golden file holds it."""
    state, _ = new_case({"title": "Golden"}, "aaaaaaaaaaaa", HybridClock().now(), CASE_ID)
    plan = fhir.plan(fhir.parse(path.read_bytes()), state)
    assert plan.ok, plan.problems
    kept: dict[str, list[str]] = {}
    for write in plan.writes:
        if write.table == "attachments":
            kept.setdefault(write.values["record"], []).append(write.values["path"])
    records = [{
        "kind": w.values.get("kind"),
        "title": w.values.get("title"),
        "date": w.values.get("date"),
        "from": sorted({_type(key) for key in str(w.values["fhir_id"]).split()}),
        "kept": sorted(kept.get(w.doc_id, [])),
    } for w in plan.record_writes]
    return {
        "by_kind": added_by_kind(plan),
        "records": sorted(records, key=lambda r: (str(r["kind"]), str(r["date"]),
                                                  str(r["title"]))),
        "health_summary": dict(plan.summarised),
        "not_results": dict(plan.other_observations),
    }


@pytest.mark.skipif(not SHARED_FHIR.is_dir(), reason="../shared/fhir is not on this machine")
@pytest.mark.parametrize("name", INPUTS, ids=[Path(n).stem[:40] for n in INPUTS])
def test_titles_and_kinds_match_the_golden_file(name: str) -> None:
    got = json.dumps(outcome(SHARED_FHIR / name), indent=1, ensure_ascii=False,
                     sort_keys=True) + "\n"
    golden = GOLDEN / (Path(name).stem[:60] + ".json")
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(got, encoding="utf-8")
    assert golden.is_file(), f"no {golden.name}: run with UPDATE_GOLDEN=1 and read it"
    assert got == golden.read_text(encoding="utf-8"), (
        f"{name} imports otherwise than {golden.name} says; if on purpose, regenerate with "
        "UPDATE_GOLDEN=1 and read the diff")
