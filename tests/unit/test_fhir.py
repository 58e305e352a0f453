"""FHIR import: portal exports (Bundle, single resource, NDJSON) become records of a case.

Hand-written fixtures in tests/fixtures/fhir cover each resource type, a malformed bundle and
NDJSON file, unknown types and a file about two patients; bundles made by a generator no one
here wrote (the PyPI package carebundle, US Core R4) are imported too. Imports go through the
``import-fhir`` handler on a real repository in tmp folders, and the case is read back from
disk: a user relies on what was saved, not on what the planner returned.
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

import pytest

from secondview import cli
from secondview.cli import records as records_cmd
from secondview.cli.context import Env
from secondview.core import fhir, field_spec, model, replica
from secondview.store.case_files import read_kept
from secondview.store.config import Config
from secondview.store.paths import Device, Paths
from secondview.store.repository import CaseError, CaseRepository

FIXTURES = Path(__file__).parent.parent / "fixtures" / "fhir"
DESK = Device("aaaaaaaaaaaa", "desk")
LAPTOP = Device("bbbbbbbbbbbb", "laptop")


# -- helpers ---------------------------------------------------------------------------------------


@pytest.fixture
def repo(paths: Paths):
    repository = CaseRepository(paths, DESK)
    yield repository
    repository.close()


@pytest.fixture
def case_id(repo: CaseRepository) -> str:
    return repo.create({"title": "Ada - right knee", "condition": "knee pain"}).case_id


def parse_args(*argv: str) -> argparse.Namespace:
    """The arguments as the real parser takes them (records.register on a bare parser)."""
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command")

    def add(name: str, summary: str, *, json: bool = False, epilog: str = ""):
        p = sub.add_parser(name, help=summary, epilog=epilog)
        if json:
            p.add_argument("--json", action="store_true")
        return p

    records_cmd.register(add, "the case")
    return parser.parse_args(list(argv))


def run(repo: CaseRepository, capsys, *argv: str) -> tuple[int, str, str]:
    args = parse_args(*argv)
    env = Env(repo.paths, Config(), repo, lambda: None)
    capsys.readouterr()
    code = args.handler(args, env)
    out, err = capsys.readouterr()
    return code, out, err


def import_file(repo, capsys, case_id: str, path: Path | str, *more: str):
    return run(repo, capsys, "import-fhir", str(path), "--case", case_id, *more)


def records_of(repo: CaseRepository, case_id: str) -> list[model.Item]:
    return sorted(repo.open(case_id).case.records, key=lambda r: (r.date, r.title))


def by_title(repo: CaseRepository, case_id: str) -> dict[str, model.Item]:
    return {r.title: r for r in repo.open(case_id).case.records}


def replica_bytes(repo: CaseRepository, case_id: str) -> bytes:
    return repo.own_file(case_id).read_bytes()


# -- hand-written fixtures -----------------------------------------------------------------------


def test_a_portal_bundle_becomes_records_of_each_kind(repo, case_id, capsys) -> None:
    code, out, err = import_file(repo, capsys, case_id, FIXTURES / "portal_bundle.json")
    assert code == 0, err
    records = by_title(repo, case_id)
    assert set(records) == {
        "Discharge summary after knee arthroscopy",
        "Surgical pathology report",
        "Complete blood count",
        "CT of the right knee without contrast",
        "Hemoglobin A1c",
        "C-reactive protein",
    }
    discharge = records["Discharge summary after knee arthroscopy"]
    assert (discharge.kind, discharge.date, discharge.source) == (
        "discharge_summary", "2026-02-18", "Lakeside General Hospital")  # custodian, resolved
    assert "Binary/bin-discharge-pdf" in discharge.files and "application/pdf" in discharge.files
    assert "Author: Dr Ngozi Okafor" in discharge.notes
    assert discharge.fhir_id == "DocumentReference/doc-discharge"

    pathology = records["Surgical pathology report"]
    assert pathology.kind == "pathology_report"
    case = repo.open(case_id).case
    (kept,) = case.attachments_for(pathology.id)
    assert (kept.kind, kept.path) == ("kept", "Pathology report.txt")
    text = b"Specimen: synovium, right knee. Diagnosis: benign."
    assert read_kept(repo.folder(case_id), kept.sha256) == text and kept.size == len(text)

    cbc = records["Complete blood count"]
    assert (cbc.kind, cbc.date) == ("labs", "2026-02-17")
    assert "Hemoglobin [Mass/volume] in Blood: 11.4 g/dL (ref 12\u201316 g/dL) [Low]" in cbc.notes
    assert "White blood cells: 6.1 10*3/uL" in cbc.notes
    assert "(1 more listed, not in the imported file)" in cbc.notes
    assert "Conclusion: Mild anaemia" in cbc.notes

    ct = records["CT of the right knee without contrast"]
    assert (ct.kind, ct.date, ct.source) == ("imaging_images", "2026-01-30",
                                             "Lakeside Imaging Centre")
    assert "Series: 2, images: 412" in ct.notes
    assert "Study UID: 2.25.123456789012345678901234567890" in ct.notes

    # Results without a report, one record per date, titled by what they hold; those in the
    # report stay there; the one entered in error is left out; the vital signs are counted.
    grouped = records["C-reactive protein"]
    assert (grouped.kind, grouped.date) == ("labs", "2026-02-18")
    assert "C-reactive protein: <4 mg/L" in grouped.notes
    assert grouped.fhir_id == "Observation/obs-crp"
    assert records["Hemoglobin A1c"].date == "2025-11-03"  # from effectivePeriod.start
    every_note = " ".join(r.notes for r in records.values())
    assert "Potassium" not in every_note and "9.9" not in every_note
    assert "Blood pressure" not in every_note
    assert "Hemoglobin [Mass" not in grouped.notes

    assert "Imported 6 records into 'Ada - right knee'" in out
    assert "2 observations listed in a report are shown under it" in out
    assert "1 resource marked entered-in-error or cancelled" in out
    assert "1 Organization, 1 Patient, 1 Practitioner" in out
    assert "Health summary (1 Condition): added to the case's summary" in out
    assert "1 entry of the Bundle held no resource" in out
    assert ("Not results (1 vital signs): counted, not imported; --other-observations "
            "keeps them.") in out
    log = repo.open(case_id).state.log_sorted()
    assert log[-1].summary == "Imported 6 records from portal_bundle.json (FHIR)"

    code, out, err = import_file(repo, capsys, case_id, FIXTURES / "portal_bundle.json",
                                 "--other-observations")
    assert code == 0, err
    other = by_title(repo, case_id)["Other observations: vital signs"]
    assert (other.kind, other.date, other.fhir_id) == ("other", "2026-02-18", "Observation/obs-bp")
    assert "2026-02-18  Blood pressure panel: Systolic 138 mmHg; Diastolic 86 mmHg" in other.notes
    assert "kept as records of their own" in out and "Imported 1 record" in out


@pytest.mark.parametrize(
    ("name", "title", "kind", "date", "source"),
    [
        ("document_reference.json", "MRI right knee report", "imaging_report", "2026-01-12",
         "Northside Imaging"),
        ("diagnostic_report.json", "Synovial biopsy, right knee", "pathology_report",
         "2026-02-24", "Riverbend Pathology Associates"),
        ("imaging_study.json", "Imaging study (DX, Knee)", "imaging_images", "2025-12-01",
         "Dr Hana Berg"),
        ("observation.json", "Erythrocyte sedimentation rate", "labs", "2026-02-10",
         "Lakeside General Hospital Laboratory"),
    ],
)
def test_a_single_resource_of_each_type_becomes_one_record(
    repo, case_id, capsys, name, title, kind, date, source
) -> None:
    code, out, err = import_file(repo, capsys, case_id, FIXTURES / name)
    assert code == 0, err
    [record] = records_of(repo, case_id)
    assert (record.title, record.kind, record.date, record.source) == (title, kind, date, source)
    assert "(a FHIR resource)" in out


def test_attachment_references_and_result_lines_of_single_resources(repo, case_id, capsys):
    import_file(repo, capsys, case_id, FIXTURES / "document_reference.json")
    import_file(repo, capsys, case_id, FIXTURES / "observation.json")
    import_file(repo, capsys, case_id, FIXTURES / "imaging_study.json")
    records = by_title(repo, case_id)
    files = records["MRI right knee report"].files
    assert files == ("mri-knee.pdf https://portal.example.org/fhir/Binary/bin-mri "
                     "(application/pdf, 52.3 kB); Binary/bin-mri-html (text/html)")
    assert records["Erythrocyte sedimentation rate"].notes == (
        "08:00  Erythrocyte sedimentation rate: 32 mm/h (ref \u2264 20 mm/h) [High]")
    assert "Series: 1, images: 2" in records["Imaging study (DX, Knee)"].notes


def test_an_ndjson_bulk_export(repo, case_id, capsys) -> None:
    code, out, err = import_file(repo, capsys, case_id, FIXTURES / "bulk_export.ndjson")
    assert code == 0, err
    records = by_title(repo, case_id)
    assert set(records) == {"Lipid panel", "Referral letter"}
    lipids = records["Lipid panel"]
    assert "Cholesterol: 212 mg/dL" in lipids.notes and "HDL cholesterol: 48 mg/dL" in lipids.notes
    assert lipids.fhir_id == "DiagnosticReport/rep-lipids"
    assert records["Referral letter"].kind == "physician_notes"
    assert "Body weight" not in " ".join(r.notes for r in records.values())
    assert "Not results (1 vital signs, 1 social history)" in out
    assert "(a FHIR NDJSON)" in out and "1 Encounter, 1 Patient" in out


def test_importing_the_same_file_again_adds_nothing(repo, case_id, capsys) -> None:
    import_file(repo, capsys, case_id, FIXTURES / "portal_bundle.json")
    first = records_of(repo, case_id)
    before = replica_bytes(repo, case_id)
    code, out, _ = import_file(repo, capsys, case_id, FIXTURES / "portal_bundle.json")
    assert code == 0
    assert "Nothing new to import" in out
    assert "6 resources already in the case (imported before): not added again" in out
    assert "Not results (1 vital signs): counted, not imported" in out
    assert replica_bytes(repo, case_id) == before  # not even a log line
    assert [r.id for r in records_of(repo, case_id)] == [r.id for r in first]


def test_a_later_export_adds_only_what_is_new(repo, case_id, capsys, tmp_path) -> None:
    bundle = json.loads((FIXTURES / "portal_bundle.json").read_text())
    bundle["entry"] = [e for e in bundle["entry"]
                       if e.get("resource", {}).get("id") != "doc-path"]
    earlier = tmp_path / "earlier.json"
    earlier.write_text(json.dumps(bundle))
    import_file(repo, capsys, case_id, earlier)
    assert len(records_of(repo, case_id)) == 5
    code, out, _ = import_file(repo, capsys, case_id, FIXTURES / "portal_bundle.json")
    assert code == 0 and "Imported 1 record " in out
    assert len(records_of(repo, case_id)) == 6


def test_a_record_deleted_after_import_stays_deleted(repo, case_id, capsys) -> None:
    import_file(repo, capsys, case_id, FIXTURES / "portal_bundle.json")
    opened = repo.open(case_id)
    ct = next(r for r in opened.case.records if r.kind == "imaging_images")
    repo.delete(opened, "records", ct.id)
    code, out, _ = import_file(repo, capsys, case_id, FIXTURES / "portal_bundle.json")
    assert code == 0
    assert "1 resource whose record you deleted: left deleted" in out
    assert len(records_of(repo, case_id)) == 5


def test_two_devices_importing_the_same_file_make_one_set_of_records(
    paths, repo, case_id, capsys
) -> None:
    laptop = CaseRepository(paths, LAPTOP)
    try:
        seen_by_laptop = laptop.open(case_id)  # before the desk's import reaches it
        import_file(repo, capsys, case_id, FIXTURES / "portal_bundle.json")
        plan = fhir.plan(fhir.parse((FIXTURES / "portal_bundle.json").read_bytes()),
                         seen_by_laptop.state)
        laptop.apply(seen_by_laptop, list(plan.writes), "import on the laptop")
        merged = laptop.open(case_id).case
    finally:
        laptop.close()
    assert len(merged.records) == 6
    assert merged.conflicts == ()


def test_a_malformed_bundle_imports_nothing_and_names_each_problem(
    repo, case_id, capsys
) -> None:
    before = replica_bytes(repo, case_id)
    code, out, err = import_file(repo, capsys, case_id, FIXTURES / "malformed.json")
    assert code == 1
    assert out == ""
    assert "4 problems found, so nothing was imported into 'Ada - right knee'" in err
    assert "entry 2 (DocumentReference/doc-bad): content should be a list, found an object" in err
    assert ("entry 3 (Observation/obs-bad): valueQuantity.value should be a number, found text"
            in err)
    assert "entry 4 (DiagnosticReport/rep-nocode): code is missing" in err
    assert "entry 5: not a FHIR resource (no resourceType)" in err
    assert "run the command again" in err
    assert replica_bytes(repo, case_id) == before
    assert records_of(repo, case_id) == []  # not even the good document


def test_malformed_ndjson_lines_are_named_and_nothing_is_imported(repo, case_id, capsys):
    code, _, err = import_file(repo, capsys, case_id, FIXTURES / "malformed.ndjson")
    assert code == 1
    assert "line 2: not valid JSON" in err
    assert "line 3: expected a FHIR resource (an object), found a list" in err
    assert records_of(repo, case_id) == []


def test_unknown_types_are_counted_not_imported(repo, case_id, capsys) -> None:
    code, out, _ = import_file(repo, capsys, case_id, FIXTURES / "unknown_types.json")
    assert code == 0
    assert "Added the health summary of" in out and "no new records" in out
    assert "1 Encounter, 1 OperationOutcome, 1 Patient" in out
    assert "Health summary (2 Condition, 1 MedicationRequest)" in out
    assert records_of(repo, case_id) == []
    summary = repo.open(case_id).case.info.values["health_summary"]
    assert summary.startswith("Problems\n- ")
    code, out, _ = import_file(repo, capsys, case_id, FIXTURES / "unknown_types.json")
    assert "Nothing new to import" in out and "the case's summary holds them already" in out


def test_a_file_about_two_patients_needs_a_choice(repo, case_id, capsys) -> None:
    path = FIXTURES / "two_patients.ndjson"
    code, _, err = import_file(repo, capsys, case_id, path)
    assert code == 1
    assert "records of 2 patients (Patient/ada, Patient/ben)" in err
    assert "--patient" in err and records_of(repo, case_id) == []
    code, out, err = import_file(repo, capsys, case_id, path, "--patient", "ada")
    assert code == 0, err
    [record] = records_of(repo, case_id)
    assert "Glucose: 92 mg/dL" in record.notes and "Sodium" in record.notes
    assert "131" not in record.notes
    assert "Skipped: 1 resource about other patients." in out
    code, _, err = import_file(repo, capsys, case_id, path, "--patient", "zed")
    assert code == 1 and "no records about patient 'zed'" in err


def test_dry_run_saves_nothing(repo, case_id, capsys) -> None:
    before = replica_bytes(repo, case_id)
    code, out, _ = import_file(repo, capsys, case_id, FIXTURES / "portal_bundle.json",
                               "--dry-run")
    assert code == 0 and "Would import 6 records" in out
    assert replica_bytes(repo, case_id) == before


def test_json_output_for_scripts(repo, case_id, capsys) -> None:
    code, out, _ = import_file(repo, capsys, case_id, FIXTURES / "bulk_export.ndjson", "--json")
    assert code == 0
    report = json.loads(out)
    assert report["saved"] is True and report["records"] == 2
    assert report["added"] == {"DiagnosticReport": 1, "DocumentReference": 1}
    assert report["other_observations"] == {"social history": 1, "vital signs": 1}
    saved = {r.id for r in records_of(repo, case_id)}
    assert set(report["record_ids"]) == saved


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty"),
        (b"\xff\xfe\x00garbage", "not UTF-8 text"),
        (b"<Bundle xmlns='http://hl7.org/fhir'/>", "not valid JSON at line 1, column 1"),
        (b'{"resourceType": "Bundle", "entry": {"resource": {}}}',
         "entry should be a list, found an object"),
        (b'{"name": "not fhir"}', "not a FHIR resource (no resourceType)"),
        (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
    ],
)
def test_files_that_are_not_fhir_get_a_clear_message(
    repo, case_id, capsys, tmp_path, content, message
) -> None:
    path = tmp_path / "export.json"
    path.write_bytes(content)
    code, _, err = import_file(repo, capsys, case_id, path)
    assert code == 1
    assert message in err
    assert records_of(repo, case_id) == []


def test_a_missing_file_or_a_folder_is_named(repo, case_id, capsys, tmp_path) -> None:
    with pytest.raises(CaseError, match="no such file; check the path"):
        import_file(repo, capsys, case_id, tmp_path / "nope.json")
    with pytest.raises(CaseError, match="a folder; name the exported file"):
        import_file(repo, capsys, case_id, tmp_path)


def test_hostile_text_is_stored_as_given_and_never_reaches_the_terminal(
    repo, case_id, capsys, tmp_path
) -> None:
    evil = "\x1b]0;owned\x07[@click=app.quit]\u202e"
    bundle = {"resourceType": "Bundle", "entry": [
        {"resource": {"resourceType": "DocumentReference", "id": "d1", "description": evil,
                      "content": [{"attachment": {"url": f"file:///etc/{evil}"}}]}},
        {"resource": {"resourceType": f"Evil{evil}"}},
    ]}
    path = tmp_path / "evil.json"
    path.write_text(json.dumps(bundle))
    code, out, err = import_file(repo, capsys, case_id, path)
    assert code == 0
    assert "\x1b" not in out + err and "\u202e" not in out + err
    [record] = records_of(repo, case_id)
    assert record.title == " ".join(evil.split())  # kept; the UI and exports escape it


def test_nested_bundles_are_opened() -> None:
    inner = json.loads((FIXTURES / "portal_bundle.json").read_text())
    outer = {"resourceType": "Bundle", "type": "collection",
             "entry": [{"resource": inner}]}
    parsed = fhir.parse(json.dumps(outer).encode())
    assert parsed.problems == ()
    assert len(parsed.resources) == 14
    assert parsed.resources[3].where == "entry 1, entry 4"


def test_resources_without_an_id_are_keyed_by_full_url_or_content() -> None:
    state, _ = replica.new_case({"title": "t"}, DESK.id, "2026-01-01T00:00:00.000Z/0000")
    doc = {"resourceType": "DocumentReference", "description": "A letter",
           "content": [{"attachment": {"url": "Binary/x"}}]}
    bundle = {"resourceType": "Bundle", "entry": [
        {"fullUrl": "urn:uuid:11111111-2222-4333-8444-555555555555", "resource": doc},
        {"resource": {**doc, "description": "Another letter"}},
    ]}
    plan = fhir.plan(fhir.parse(json.dumps(bundle).encode()), state)
    keys = sorted(w.values["fhir_id"] for w in plan.record_writes)
    assert keys[0].startswith("DocumentReference#")
    assert len(keys[0]) == len("DocumentReference#") + 32
    assert keys[1] == "urn:uuid:11111111-2222-4333-8444-555555555555"
    again = fhir.plan(fhir.parse(json.dumps(bundle).encode()), state)
    assert [w.doc_id for w in again.writes] == [w.doc_id for w in plan.writes]


def test_many_observations_of_one_day_are_split_to_fit_a_field() -> None:
    state, _ = replica.new_case({"title": "t"}, DESK.id, "2026-01-01T00:00:00.000Z/0000")
    lines = [json.dumps({"resourceType": "Observation", "id": f"o-{n:04d}-" + "x" * 50,
                         "status": "final", "code": {"text": f"Analyte {n}"},
                         "effectiveDateTime": "2026-02-01T08:00:00Z",
                         "valueQuantity": {"value": n, "unit": "U"}})
             for n in range(400)]
    plan = fhir.plan(fhir.parse("\n".join(lines).encode()), state)
    assert plan.ok and plan.grouped == 400
    assert [len(w.values["fhir_id"].split()) for w in plan.record_writes] == [150, 150, 100]
    assert all(len(w.values["fhir_id"]) <= field_spec.MAX_TEXT for w in plan.record_writes)


# -- bundles from a generator no one here wrote (carebundle, US Core R4) -------------------------

if os.environ.get("CI"):
    import carebundle  # a test extra (pyproject): on CI its absence is a failure, not a skip
else:
    carebundle = pytest.importorskip("carebundle")


@pytest.mark.parametrize("profile", list(carebundle.PROFILES))
def test_generated_bundles_import_every_report_and_observation_once(
    repo, case_id, capsys, tmp_path, profile
) -> None:
    for seed in (1, 2):
        text = carebundle.to_json(carebundle.generate_bundle(profile=profile, seed=seed))
        bundle = json.loads(text)
        kinds = [e["resource"]["resourceType"] for e in bundle["entry"]]
        reported = {r["reference"] for e in bundle["entry"]
                    if e["resource"]["resourceType"] == "DiagnosticReport"
                    for r in e["resource"].get("result", [])}
        loose = [e for e in bundle["entry"] if e["resource"]["resourceType"] == "Observation"
                 and e["fullUrl"] not in reported]
        path = tmp_path / f"{profile}-{seed}.json"
        path.write_text(text)
        before = len(records_of(repo, case_id))
        code, out, err = import_file(repo, capsys, case_id, path, "--json")
        assert code == 0, err
        report = json.loads(out)
        assert report["added"].get("DiagnosticReport", 0) == kinds.count("DiagnosticReport")
        others = sum(report["other_observations"].values())
        assert report["observations_grouped"] + others == len(loose)
        assert report["observations_in_reports"] == kinds.count("Observation") - len(loose)
        assert len(records_of(repo, case_id)) == before + report["records"]
        code, out, _ = import_file(repo, capsys, case_id, path, "--json")
        assert code == 0 and json.loads(out)["records"] == 0  # a re-import adds nothing
    case = repo.open(case_id).case
    for record in case.records:
        assert model.parse_fields("records", dict(record.values)) == dict(record.values)
        assert record.date and record.kind == "labs"


def test_generated_bulk_ndjson_of_a_cohort_one_patient_at_a_time(
    repo, case_id, capsys, tmp_path
) -> None:
    cohort = carebundle.generate_cohort(count=3, seed=7)
    files = carebundle.to_ndjson(cohort)
    path = tmp_path / "export.ndjson"
    path.write_text("".join(files.values()))
    code, _, err = import_file(repo, capsys, case_id, path)
    assert code == 1 and "records of 3 patients" in err
    patient_ids = [json.loads(line)["id"] for line in files["Patient"].splitlines()]
    reports = [json.loads(line) for line in files["DiagnosticReport"].splitlines()]
    mine = [r for r in reports if r["subject"]["reference"] == f"Patient/{patient_ids[0]}"]
    code, out, err = import_file(repo, capsys, case_id, path, "--patient", patient_ids[0],
                                 "--json")
    assert code == 0, err
    report = json.loads(out)
    assert report["added"]["DiagnosticReport"] == len(mine)
    assert report["other_patients"] > 0
    titles = {r.title for r in records_of(repo, case_id)}
    assert {r["code"]["text"] for r in mine} <= titles


def test_generated_bundles_with_real_world_defects_still_import(
    repo, case_id, capsys, tmp_path
) -> None:
    clean = json.loads(carebundle.to_json(carebundle.generate_bundle(profile="ckd_stage3",
                                                                     seed=11)))
    dirty, defects = carebundle.inject_defects(
        clean,
        carebundle.Imperfection(missing_field=0.3, unparseable_value=0.3, duplicate_entry=0.2),
        seed=3,
    )
    assert {d.kind for d in defects} >= {"missing_field", "unparseable_value",
                                         "duplicate_entry"}
    path = tmp_path / "dirty.json"
    path.write_text(json.dumps(dirty))
    code, out, err = import_file(repo, capsys, case_id, path, "--json")
    assert code == 0, err
    report = json.loads(out)
    duplicated = sum(1 for d in defects if d.kind == "duplicate_entry"
                     and d.resource_type in fhir.IMPORTED_TYPES)
    assert report["duplicates_in_file"] == duplicated
    notes = " ".join(r.notes for r in records_of(repo, case_id))
    unparseable = [d for d in defects if d.kind == "unparseable_value"]
    for d in unparseable:  # "valueQuantity 3.8 replaced by valueString 'see comment'"
        assert d.detail.rsplit("'", 2)[1] in notes


def test_the_command_line_imports_reports_and_refuses_with_one_line(
    paths, capsys, tmp_path
) -> None:
    assert cli.main(["new", "Ada - right knee"]) == 0
    capsys.readouterr()
    assert cli.main(["import-fhir", str(FIXTURES / "portal_bundle.json"),
                     "--case", "Ada - right knee"]) == 0
    out, err = capsys.readouterr()
    assert "Imported 6 records into 'Ada - right knee'" in out and err == ""
    assert cli.main(["import-fhir", str(FIXTURES / "malformed.json"),
                     "--case", "Ada - right knee"]) == 1
    out, err = capsys.readouterr()
    assert err.startswith("secondview: ") and "nothing was imported" in err
    assert cli.main(["import-fhir", str(tmp_path / "nope.json"), "--case", "Ada"]) == 1
    out, err = capsys.readouterr()
    assert err == f"secondview: {tmp_path / 'nope.json'}: no such file; check the path of the " \
        "exported file\n"
    assert cli.main(["import-fhir", str(FIXTURES / "observation.json")]) == 1
    assert "--case" in capsys.readouterr().err
    assert cli.main(["import-fhir", "--help"]) == 0
    assert "Importing the same file again adds nothing twice" in capsys.readouterr().out


def test_the_json_of_a_dry_run_counts_the_records_by_kind(repo, case_id, capsys) -> None:
    assert cli.main(["import-fhir", str(FIXTURES / "portal_bundle.json"), "--case", case_id,
                     "--dry-run", "--json"]) == 0
    said = json.loads(capsys.readouterr().out)
    assert said["added_by_kind"] == {"labs": 3, "pathology_report": 1, "imaging_images": 1,
                                     "discharge_summary": 1}
    assert sum(said["added_by_kind"].values()) == said["records"] and not said["saved"]
