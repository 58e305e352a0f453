"""The FHIR import on real exports no one here wrote: ``../shared/fhir/`` (HL7's published R4
examples, three Synthea patients, a US Core test patient), used as they are.

Every file imports or names its one problem; the same file gives the same records under every
hash seed and on two devices (a kind that came from iterating a set gave two devices that
imported one file a conflict on ``kind``); ``--patient`` works on a file of any resource type
that names the patient; numbers JSON does not allow are refused with the line they are on.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from secondview.cli.records import import_lines
from secondview.core import fhir
from secondview.core.hybrid_clock import HybridClock
from secondview.core.replica import new_case

from cli_kit import Cli, run  # noqa: F401 (run is the fixture)

SHARED_FHIR = Path(__file__).resolve().parents[3] / "shared" / "fhir"
FILES = sorted(SHARED_FHIR.rglob("*.json")) if SHARED_FHIR.is_dir() else []
SYNTHEA = sorted((SHARED_FHIR / "synthea").glob("*.json")) if FILES else []
US_CORE = SHARED_FHIR / "us-core" / "uscore_bundle_patient_355.json"
MANY_PATIENTS = "diagnosticreport-examples-general.json"
CASE_ID = "00000000-0000-4000-8000-000000000001"

pytestmark = pytest.mark.skipif(
    not FILES, reason=f"the real FHIR exports are not at {SHARED_FHIR} (the project's shared/)")


def plan_of(path: Path, patient: str = "", other_observations: bool = False) -> fhir.Plan:
    state, _ = new_case({"title": "Real export"}, "aaaaaaaaaaaa", HybridClock().now(), CASE_ID)
    return fhir.plan(fhir.parse(path.read_bytes()), state, patient, other_observations)


def test_the_shared_exports_are_there():
    assert len(FILES) > 600 and len(SYNTHEA) == 3 and US_CORE.is_file()


def test_every_real_file_imports_or_names_its_one_problem():
    imported = 0
    for path in FILES:
        planned = plan_of(path)
        if path.name == MANY_PATIENTS:
            assert len(planned.problems) == 1 and "--patient" in planned.problems[0]
            assert not planned.writes
            planned = plan_of(path, planned.patients[0])
        assert planned.problems == (), (path.name, planned.problems)
        imported += len(planned.record_writes)
    assert imported > 150  # 484 before notes sent twice were merged and noise was counted


DIGEST = """
import hashlib, json, sys
from pathlib import Path
from secondview.cli.records import import_lines
from secondview.core import fhir
from secondview.core.hybrid_clock import HybridClock
from secondview.core.replica import new_case
state, _ = new_case({"title": "Real export"}, "aaaaaaaaaaaa", "STAMP", sys.argv[1])
digest = hashlib.sha256()
for name in sys.argv[2:]:
    planned = fhir.plan(fhir.parse(Path(name).read_bytes()), state)
    for w in planned.writes:
        digest.update(json.dumps([w.table, w.doc_id, w.values], sort_keys=True).encode())
print(digest.hexdigest())
"""


def test_the_same_file_gives_the_same_records_under_every_hash_seed():
    names = [str(p) for p in FILES if p.name != MANY_PATIENTS]
    script = DIGEST.replace("STAMP", HybridClock().now())
    digests = set()
    for seed in ("0", "1", "2", "3", "4"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        out = subprocess.run([sys.executable, "-c", script, CASE_ID, *names], env=env,
                             capture_output=True, text=True, check=True).stdout
        digests.add(out.strip())
    assert len(digests) == 1


def test_two_devices_importing_one_export_under_other_hash_seeds_agree(tmp_path):
    """Each device imports the US Core patient in its own process and hash seed, offline;
    once the folders meet, the case holds one set of records and no conflict."""
    cases = tmp_path / "shared"
    base = {k: v for k, v in os.environ.items() if not k.startswith("SECONDVIEW_")}

    def device(name: str, seed: str) -> dict[str, str]:
        return {**base, "PYTHONHASHSEED": seed,
                "SECONDVIEW_DATA_DIR": str(tmp_path / name / "data"),
                "SECONDVIEW_CACHE_DIR": str(tmp_path / name / "cache"),
                "SECONDVIEW_CONFIG_DIR": str(tmp_path / name / "config"),
                "SECONDVIEW_CASES": str(cases)}

    def secondview(env: dict[str, str], *argv: str) -> str:
        return subprocess.run([sys.executable, "-m", "secondview", *argv], env=env,
                              capture_output=True, text=True, check=True).stdout

    desk, laptop = device("desk", "11"), device("laptop", "12")
    case_id = secondview(desk, "new", "US Core patient").strip()
    secondview(laptop, "show", case_id)
    secondview(desk, "import-fhir", str(US_CORE), "--case", case_id)
    secondview(laptop, "import-fhir", str(US_CORE), "--case", case_id)
    shown = json.loads(secondview(desk, "show", case_id, "--json"))
    assert shown["conflicts"] == []
    planned = plan_of(US_CORE)
    assert len(shown["records"]) == len(planned.record_writes) > 10


def test_patient_works_on_a_file_of_any_type_that_names_the_patient(run: Cli, tmp_path):
    """A bulk export comes one file per resource type: the Encounter file names the patient
    on every line, so choosing that patient must not fail with "none named"."""
    bundle = json.loads(SYNTHEA[0].read_text())
    encounters = [e["resource"] for e in bundle["entry"]
                  if e["resource"]["resourceType"] == "Encounter"]
    patient = next(e["resource"]["id"] for e in bundle["entry"]
                   if e["resource"]["resourceType"] == "Patient")
    ndjson = tmp_path / "Encounter.ndjson"
    ndjson.write_text("".join(json.dumps(r) + "\n" for r in encounters))
    case_id = run.new("Synthea patient")

    _, out, err = run("import-fhir", str(ndjson), "--case", case_id, "--patient", patient)

    assert "none named" not in err
    assert f"{len(encounters)} Encounter" in out  # counted, not imported
    _, _, err = run("import-fhir", str(ndjson), "--case", case_id, "--patient", "someone-else",
                    ok=False)
    assert f"urn:uuid:{patient}" in err  # the patients the file does name


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity", "1e400"])
@pytest.mark.parametrize("form", ["Bundle", "NDJSON"])
def test_numbers_json_does_not_allow_are_refused_with_their_line(run: Cli, tmp_path, number,
                                                                 form):
    observation = ('{"resourceType": "Observation", "id": "o%d", "status": "final", '
                   '"code": {"text": "PSA"}, "effectiveDateTime": "2026-01-02", '
                   '"valueQuantity": {"value": %s, "unit": "ng/mL"}}')
    good, bad = observation % (1, "4.1"), observation % (2, number)
    if form == "NDJSON":
        text = f"{good}\n{bad}\n"
    else:
        text = ('{"resourceType": "Bundle", "type": "collection", "entry": [\n'
                f'  {{"resource": {good}}},\n  {{"resource": {bad}}}\n]}}\n')
    path = tmp_path / "export.json"
    path.write_text(text)
    case_id = run.new("Numbers")

    _, _, err = run("import-fhir", str(path), "--case", case_id, ok=False)

    assert f"line {2 if form == 'NDJSON' else 3}" in err
    assert number.lstrip("-") in err
    assert run.case(case_id).records == ()


@pytest.mark.parametrize("path", SYNTHEA, ids=lambda p: p.name.split("_")[0])
def test_a_note_sent_as_both_a_report_and_a_document_is_one_record(path):
    """Synthea sends each clinical note twice, as a DiagnosticReport and as a DocumentReference
    holding the same base64 text: one record each, keeping both resources' keys."""
    resources = [e["resource"] for e in json.loads(path.read_text())["entry"]]
    notes = sum(1 for r in resources if r["resourceType"] == "DocumentReference")

    planned = plan_of(path)

    both = [w for w in planned.record_writes
            if "DiagnosticReport/" in w.values["fhir_id"]
            and "DocumentReference/" in w.values["fhir_id"]]
    assert len(both) == notes > 0
    dated = [(w.values["date"], w.values["title"]) for w in planned.record_writes]
    assert len(dated) == len(set(dated))
    assert planned.same_document == notes
    assert f"{notes} notes sent both as a report and as a document: kept once" in "\n".join(
        import_lines(planned, "Bundle"))
    again = fhir.plan(fhir.parse(path.read_bytes()), apply_plan(planned))
    assert again.writes == () and again.already > 0


def apply_plan(planned: fhir.Plan):
    state, _ = new_case({"title": "Real export"}, "aaaaaaaaaaaa", HybridClock().now(), CASE_ID)
    return state.apply(list(planned.writes), "aaaaaaaaaaaa", HybridClock().now())


def test_a_report_held_only_as_narrative_keeps_its_text_and_a_readable_title():
    """HL7's Pap smear: a bare LOINC code (no display) and the whole report in ``text.div``
    became a record titled "47527-7", kind other, with no text."""
    planned = plan_of(SHARED_FHIR / "hl7-r4-examples" / "diagnosticreport-example-papsmear.json")

    (write,) = planned.record_writes
    values = write.values
    assert values["title"] == "Cytology report (Pap smear)"
    assert values["kind"] == "pathology_report"
    assert "Diagnostic Interpretation: Epithelial cell abnormality: Atypical squamous cells" in (
        values["notes"])
    assert "<" not in values["notes"] and "Acme Anatomic Pathology Services" in values["notes"]


def test_a_generated_narrative_is_not_repeated_beside_the_elements_it_was_made_from():
    planned = plan_of(SHARED_FHIR / "hl7-r4-examples" / "diagnosticreport-example-lipids.json")
    assert planned.writes and all("<div" not in w.values["notes"] for w in planned.record_writes)
    assert all("Report text" not in w.values["notes"] for w in planned.record_writes)


def test_observations_that_are_not_results_are_counted_not_filed_as_lab_results():
    """Synthea's survey answers and US Core's social history and vital signs were lab
    records titled "Observations (29)"; results are now titled by what they hold."""
    for path in [*SYNTHEA, US_CORE]:
        planned = plan_of(path)
        every_note = "\n".join(w.values["notes"] for w in planned.record_writes)
        titles = [w.values["title"] for w in planned.record_writes]
        assert "Tobacco smoking status" not in every_note, path.name
        assert not any(t.startswith(("Observations (", "Lab results (")) for t in titles)
        assert sum(planned.other_observations.values()) > 25, path.name
    us_core = plan_of(US_CORE)
    assert us_core.other_observations["social history"] >= 96
    assert us_core.other_observations["vital signs"] == 27
    labs = [w.values for w in us_core.record_writes if w.values["kind"] == "labs"]
    assert labs and all(v["title"] and "(" not in v["title"][:1] for v in labs)

    kept = plan_of(US_CORE, other_observations=True)
    other = [w.values for w in kept.record_writes
             if w.values["title"].startswith("Other observations")]
    assert sum(v["notes"].count("\n") + 1 for v in other) == sum(
        kept.other_observations.values())


@pytest.mark.parametrize(("name", "title", "kind", "files"), [
    ("media-example-xray.json", "Skeletal X-ray of wrist and hand", "imaging_images",
     "http://someimagingcenter.org/fhir/Binary/A12345 (image/jpeg)"),
    ("media-example-dicom.json", "Image (US, Lateral projection)", "imaging_images",
     "application/dicom"),
    ("media-example.json", "Image (diagram)", "imaging_images", "kept: Image (diagram).gif"),
    ("binary-example.json", "File (application/pdf)", "other",
     "kept: File (application-pdf).pdf"),
])
def test_images_and_files_become_records(name, title, kind, files):
    """Media and Binary were skipped: an X-ray, an ultrasound image, a PDF arrived as
    nothing at all. What the file carries inside itself is kept with the case."""
    planned = plan_of(SHARED_FHIR / "hl7-r4-examples" / name)
    (write,) = planned.record_writes
    assert (write.values["title"], write.values["kind"]) == (title, kind)
    if files.startswith("kept: "):
        (kept,) = [w.values for w in planned.writes if w.table == "attachments"]
        assert (kept["kind"], kept["path"]) == ("kept", files.removeprefix("kept: "))
        assert kept["sha256"] in planned.files and kept["size"] > 100
    else:
        assert files in write.values["files"] and not planned.files


def test_a_binary_a_document_in_the_file_points_at_is_that_document_s_content():
    document = {"resourceType": "DocumentReference", "id": "d1", "status": "current",
                "subject": {"reference": "Patient/p"}, "description": "Clinic letter",
                "content": [{"attachment": {"contentType": "application/pdf",
                                            "url": "Binary/b1"}}]}
    binary = {"resourceType": "Binary", "id": "b1", "contentType": "application/pdf",
              "data": "JVBERi0xLjUK"}
    bundle = {"resourceType": "Bundle", "type": "collection",
              "entry": [{"resource": document}, {"resource": binary}]}
    state, _ = new_case({"title": "Letter"}, "aaaaaaaaaaaa", HybridClock().now(), CASE_ID)
    planned = fhir.plan(fhir.parse(json.dumps(bundle).encode()), state)
    assert [w.values["title"] for w in planned.record_writes] == ["Clinic letter"]
    assert planned.content_of_others == 1


def test_a_pathology_pdf_carried_in_the_export_is_kept_and_verified_on_another_device(
        run: Cli, tmp_path, monkeypatch):
    """HL7's gingival-mass report carries its PDF inside the file: it was dropped ("inline
    in the imported file, not saved"). It is kept in the case folder, the packet lists its
    SHA-256, and another device that received the folder by sync confirms it."""
    report = SHARED_FHIR / "hl7-r4-examples" / "diagnosticreport-example-gingival-mass.json"
    case_id = run.new("Max - gum biopsy")
    _, out, _ = run("import-fhir", str(report), "--case", case_id)
    assert "1 file carried inside the export: kept in the case folder" in out
    case = run.case(case_id)
    (kept,) = case.attachments
    pdf = (run.root / "cases" / case_id / "files" / kept.sha256).read_bytes()
    assert pdf.startswith(b"%PDF-") and kept.size == len(pdf)
    _, packet, _ = run("export", case_id, "--what", "packet")
    assert kept.sha256 in packet and kept.path in packet

    other = Cli(tmp_path / "laptop", run.capsys)
    shutil.copytree(run.root / "cases", tmp_path / "laptop" / "cases")  # what a sync does
    with monkeypatch.context() as device:
        for name, value in other.env.items():
            device.setenv(name, value)
        _, out, _ = other("verify", case_id)
        assert "1 attachment checked: 1 ok" in out
        pdf_there = tmp_path / "laptop" / "cases" / case_id / "files" / kept.sha256
        pdf_there.write_bytes(pdf[:-10])  # cut in transit
        code, out, _ = other("verify", case_id, ok=None)
        assert code == 1 and "1 changed" in out and "cut or altered in transit" in out


def test_the_us_core_patient_s_history_becomes_a_health_summary():
    """Conditions, medicines, allergies and procedures were counted and dropped; they are
    the first things a new doctor reads."""
    from secondview.core.fhir.health_summary import health_summary

    resources = fhir.parse(US_CORE.read_bytes()).resources
    summary = health_summary(resources)
    titles = [line for line in summary.splitlines() if not line.startswith("- ")]
    assert titles == ["Problems", "Medicines", "Allergies", "Past procedures"]
    problems = summary.split("Medicines")[0].splitlines()[1:]
    current = [p for p in problems if "resolved" not in p]
    assert problems[:len(current)] == current  # current ones first
    assert any("resolved" in p for p in problems)
    assert "Latex allergy (low criticality; inactive)" in summary
    assert health_summary(resources) == summary  # the same text every time
    assert health_summary(fhir.parse(SYNTHEA[0].read_bytes()).resources).startswith("Problems")


def test_the_health_summary_is_on_the_brief_and_the_packet_and_yours_to_edit(run: Cli):
    case_id = run.new("US Core patient")
    run("import-fhir", str(US_CORE), "--case", case_id)
    summary = run.case(case_id).info.values["health_summary"]
    first_problem = summary.splitlines()[1].removeprefix("- ")
    for what in ("brief", "packet"):
        _, document, _ = run("export", case_id, "--what", what)
        assert "Problems" in document and "Latex allergy" in document, what
        assert first_problem.split(" (")[0] in document, what
    edited = summary.replace("Problems", "Problems (checked with Dr Lin)")
    run("set", case_id, f"health_summary={edited}")
    run("import-fhir", str(US_CORE), "--case", case_id)  # again: the person's words stay
    assert run.case(case_id).info.values["health_summary"] == edited


def test_the_packet_lists_only_files_that_exist(run: Cli):
    """A document that only points at a portal's copy (a link, a reference into the export)
    has no file to send: its pointers were listed as attached files, cut at their last slash
    ("html)", "not computed"). The checksum table lists the PDF kept in the case alone; the
    links are named as held elsewhere, to ask the clinic for."""
    report = SHARED_FHIR / "hl7-r4-examples" / "diagnosticreport-example-gingival-mass.json"
    pointer = Path(__file__).resolve().parents[1] / "fixtures" / "fhir" / \
        "document_reference.json"
    case_id = run.new("Max - gum biopsy")
    run("import-fhir", str(report), "--case", case_id)
    run("import-fhir", str(pointer), "--case", case_id)
    (kept,) = run.case(case_id).attachments
    _, packet, _ = run("export", case_id, "--what", "packet")
    table = packet.split("## Attached files and checksums")[1].split("A SHA-256 checksum")[0]
    rows = [line for line in table.splitlines() if line.startswith("| ")][1:]
    assert len(rows) == 1 and kept.sha256 in rows[0] and kept.path in rows[0]
    assert "| html) |" not in packet and "not computed" not in packet
    assert "1 attached file or folder is listed below" in packet
    held = packet.split("## Attached files and checksums")[0]
    assert "https://portal.example.org/fhir/Binary/bin-mri" in held
