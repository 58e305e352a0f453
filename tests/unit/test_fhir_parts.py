"""The parts of the FHIR import, each on its own: typed readers, reading bytes, keys, kinds,
result lines, references. test_fhir.py covers the whole import through the command line."""

from __future__ import annotations

import json

import pytest

from secondview.core import fhir, replica
from secondview.core.fhir import keys, kinds, observations, reading, references, values


def test_the_package_exports_what_callers_use() -> None:
    for name in fhir.__all__:
        assert getattr(fhir, name) is not None
    assert callable(fhir.plan) and callable(fhir.parse)  # functions, not the modules


# -- values ---------------------------------------------------------------------------------------


def test_typed_readers_name_the_element_and_what_was_found() -> None:
    obj = {"s": " a ", "n": 3, "b": True, "l": [1], "o": {"x": 1}, "f": 2.5}
    assert values.text(obj, "s") == "a"
    assert values.text(obj, "absent") == "" and values.array(obj, "absent") == []
    assert values.element(obj, "absent") == {} and values.number(obj, "absent") is None
    assert values.field(obj, "n", int) == 3 and values.number(obj, "f") == 2.5
    with pytest.raises(values.Malformed, match=r"^content\[0\]\.s should be a list, found text$"):
        values.array(obj, "s", "content[0].")
    with pytest.raises(values.Malformed, match="b should be a whole number, found true/false"):
        values.field(obj, "b", int)
    with pytest.raises(values.Malformed, match="b should be a number, found true/false"):
        values.number(obj, "b")
    with pytest.raises(values.Malformed, match="f should be a whole number, found a number"):
        values.field(obj, "f", int)
    with pytest.raises(values.Malformed, match=r"l\[0\] should be an object, found a number"):
        values.objects(obj, "l")
    with pytest.raises(values.Malformed, match="o should be text, found an object"):
        values.text(obj, "o")


def test_concepts_dates_and_sizes() -> None:
    concept = {"coding": [{"code": "N"}, {"code": "718-7", "display": "Hemoglobin"}]}
    assert values.concept_text(concept, "code.") == "Hemoglobin"
    assert values.concept_text({"coding": [{"code": "N"}]}, "") == "N"
    assert values.codes(concept, "") == {"N", "718-7"}
    assert values.record_date("2026-02-17T08:00:00Z") == ("2026-02-17", "")
    assert values.record_date("2026-02") == ("", "2026-02")
    assert values.record_date("2026-02-30") == ("", "2026-02-30")
    assert [values.byte_size(n) for n in (812, 52_300, 1_200_000_000)] == [
        "812 bytes", "52.3 kB", "1.2 GB"]
    assert values.clip("abcdef", 4) == "abc\u2026"
    assert values.one_line(" a\n b\t c ") == "a b c"


# -- reading --------------------------------------------------------------------------------------


def test_each_form_of_export_is_read() -> None:
    obs = {"resourceType": "Observation", "id": "1"}
    assert reading.parse(json.dumps(obs).encode()).form == "resource"
    assert reading.parse(json.dumps([obs, obs]).encode()).form == "list"
    ndjson = reading.parse(b'{"resourceType": "Patient"}\n\n' + json.dumps(obs).encode())
    assert (ndjson.form, [r.where for r in ndjson.resources]) == ("NDJSON", ["line 1", "line 3"])
    bundle = reading.parse(json.dumps({"resourceType": "Bundle", "entry": [
        {"fullUrl": "urn:uuid:1", "resource": obs}, {"request": {}}]}).encode())
    assert (bundle.form, bundle.empty_entries) == ("Bundle", 1)
    assert bundle.resources[0] == reading.Resource(obs, "entry 1", "urn:uuid:1")
    assert bundle.resources[0].type == "Observation"


def test_what_is_not_an_export_is_a_problem_never_an_exception() -> None:
    assert reading.parse(b"\xff").problems == (
        "not UTF-8 text (byte 1); FHIR JSON is UTF-8",)
    assert reading.parse(b" \n").problems == ("the file is empty",)
    [bad] = reading.parse(b'{"a": ').problems
    assert bad.startswith("not valid JSON at line 1, column 7 (Expecting value)")
    [huge] = reading.parse(b'{"a": ' + b"1" * 5000 + b"}").problems
    assert huge.startswith("not valid JSON (") and " at line" not in huge
    deep: dict[str, object] = {"resourceType": "Observation"}
    for _ in range(reading.MAX_NESTING + 1):
        deep = {"resourceType": "Bundle", "entry": [{"resource": deep}]}
    [nested] = reading.parse(json.dumps(deep).encode()).problems
    assert nested.endswith(f"bundles nested more than {reading.MAX_NESTING} deep")
    listed = reading.parse(json.dumps([3, {"resourceType": "X", "id": 4}]).encode())
    assert listed.problems == ("item 1: expected a FHIR resource (an object), found a number",
                               "item 2 (X): id should be text, found a number")


# -- keys and kinds -------------------------------------------------------------------------------


def test_references_end_in_a_type_and_id() -> None:
    assert keys.type_id("https://x.org/fhir/Patient/p1/_history/3") == "Patient/p1"
    assert keys.type_id("Observation/o1?x=1") == "Observation/o1"
    assert keys.type_id("urn:uuid:1") == "" and keys.type_id("fhir/patient/1") == ""
    r = reading.Resource({"resourceType": "Observation", "id": " o1 "}, "the file")
    assert keys.resource_key(r) == "Observation/o1"
    again = reading.Resource({**r.data, "id": "o2", "meta": {"versionId": "2"}}, "line 2")
    assert keys.fingerprint(r) == keys.fingerprint(again)
    assert keys.record_id("c", ["b", "a"]) == keys.record_id("c", ["a", "b"])
    assert keys.record_id("c", ["a"]) != keys.record_id("d", ["a"])


def test_a_kind_comes_from_a_code_then_from_words() -> None:
    assert kinds.kind_of(["18842-5"], ["anything"], kinds.LOINC_KINDS) == "discharge_summary"
    assert kinds.kind_of(["LAB"], [], kinds.REPORT_KINDS) == "labs"
    assert kinds.kind_of(["LAB"], ["MRI knee"], kinds.LOINC_KINDS) == "imaging_report"
    assert kinds.kind_of([], ["Something else"], kinds.LOINC_KINDS) == "other"


# -- result lines and references ------------------------------------------------------------------


def test_an_observation_becomes_one_result_line() -> None:
    obs = {
        "code": {"text": "Hemoglobin"}, "valueQuantity": {"value": 11.4, "unit": "g/dL"},
        "referenceRange": [{"low": {"value": 12, "unit": "g/dL"},
                            "high": {"value": 16, "unit": "g/dL"}}],
        "interpretation": [{"coding": [{"code": "L", "display": "Low"}]}],
    }
    assert observations.line(obs) == "Hemoglobin: 11.4 g/dL (ref 12\u201316 g/dL) [Low]"
    normal = {**obs, "interpretation": [{"coding": [{"code": "N", "display": "Normal"}]}]}
    assert observations.line(normal).endswith("(ref 12\u201316 g/dL)")
    panel = {"code": {"text": "BP"}, "component": [
        {"code": {"text": "Systolic"}, "valueQuantity": {"value": 138, "unit": "mmHg"}},
        {"code": {"text": "Diastolic"}, "valueInteger": 86}]}
    assert observations.line(panel) == "BP: Systolic 138 mmHg; Diastolic 86"
    assert observations.effective({"effectivePeriod": {"start": "2025-11-03"}}) == "2025-11-03"
    with pytest.raises(values.Malformed, match="valueQuantity.value should be a number"):
        observations.line({"valueQuantity": {"value": "3.8"}})


def test_references_are_followed_inside_the_file_only() -> None:
    org = reading.Resource({"resourceType": "Organization", "id": "o1", "name": "Lakeside"},
                           "entry 1", "https://x.org/fhir/Organization/o1")
    index = references.ResourceIndex([org])
    assert index.resolve("Organization/o1") is org
    assert index.resolve("https://x.org/fhir/Organization/o1") is org
    assert index.resolve("#o1") is None and index.resolve("Organization/o2") is None
    assert index.key_of("https://elsewhere/Patient/p9") == "Patient/p9"
    assert references.who(index, {"reference": "Organization/o1"}, "") == "Lakeside"
    assert references.who(index, {"display": " Dr\nA "}, "") == "Dr A"
    assert references.subject(index, {"patient": {"reference": "Patient/p1"}}) == "Patient/p1"


# -- planning --------------------------------------------------------------------------------------


def _state() -> replica.CaseState:
    state, _ = replica.new_case({"title": "t"}, "aaaaaaaaaaaa", "2026-01-01T00:00:00.000Z/0000")
    return state


@pytest.mark.parametrize("performer", [{"display": 3}, {"reference": ["Practitioner/1"]}])
def test_a_malformed_performer_of_a_grouped_observation_is_a_problem_not_a_crash(
    performer: dict[str, object]
) -> None:
    obs = {"resourceType": "Observation", "id": "o1", "code": {"text": "Glucose"},
           "effectiveDateTime": "2026-01-02", "valueQuantity": {"value": 5},
           "performer": [performer]}
    plan = fhir.plan(fhir.parse(json.dumps(obs).encode()), _state())
    assert plan.writes == ()
    [problem] = plan.problems
    assert problem.startswith("the file (Observation/o1): performer[0].")


def test_a_kind_is_decided_by_the_resources_own_code_before_its_category() -> None:
    # Both codes are in the table: the type (a progress note) decides, not the category
    # (radiology), whatever order a set would give them in this process.
    doc = {"resourceType": "DocumentReference", "id": "d1",
           "type": {"coding": [{"system": "http://loinc.org", "code": "11506-3"}]},
           "category": [{"coding": [{"code": "LP29684-5"}]}],
           "content": [{"attachment": {"url": "Binary/1"}}]}
    rep = {"resourceType": "DiagnosticReport", "id": "r1",
           "code": {"coding": [{"code": "11502-2", "display": "Laboratory report"}]},
           "category": [{"coding": [{"code": "RAD"}, {"code": "CT"}]}]}
    plan = fhir.plan(fhir.parse(json.dumps([doc, rep]).encode()), _state())
    assert sorted(w.values["kind"] for w in plan.record_writes) == ["labs", "physician_notes"]
    assert kinds.kind_of(["11502-2", "RAD"], [], kinds.REPORT_KINDS) == "labs"
    assert kinds.kind_of(["RAD", "11502-2"], [], kinds.REPORT_KINDS) == "imaging_report"


def test_a_narrative_is_read_as_text_only_never_as_markup():
    from secondview.core.fhir.narrative import narrative

    div = ('<div xmlns="http://www.w3.org/1999/xhtml"><script>alert(1)</script><style>p{}'
           '</style><p>Findings: <b>benign</b> &amp; stable<br/>Next line</p>'
           '<table><tr><td>PSA</td><td>4.1</td></tr></table>\x1b[31m</div>')
    said = narrative({"text": {"status": "additional", "div": div}}, nothing_else=False)
    lines = [line for line in said.splitlines() if line]
    assert lines[:3] == ["Findings: benign & stable", "Next line", "PSA 4.1"]
    assert "alert" not in said and "p{}" not in said and "<" not in said
    generated = {"text": {"status": "generated", "div": "<div>made from the elements</div>"}}
    assert narrative(generated, nothing_else=False) == ""
    assert narrative(generated, nothing_else=True) == "made from the elements"


def test_an_export_adds_to_a_health_summary_without_changing_what_the_person_wrote():
    from secondview.core.fhir.health_summary import with_summary

    export = "Problems\n- Prostate cancer (since 2024-03-02)\nMedicines\n- Tamsulosin"
    assert with_summary("", export) == export
    mine = "Problems\n- Prostate cancer (since 2024-03-02)\nDad says: no allergies he knows of"
    merged = with_summary(mine, export)
    assert merged == mine + "\nMedicines\n- Tamsulosin"
    assert with_summary(merged, export) == merged  # the same file again changes nothing


def test_an_export_s_repeated_words_are_held_once():
    """A bulk export repeats the same short values in every resource; decoded, each was a
    string of its own (a sixth of the decoded export): equal ones are one object now, and a
    resource carries no dict of its own attributes."""
    from secondview.core.fhir import parse

    one = {"resourceType": "Observation", "id": "a", "status": "final",
           "code": {"coding": [{"system": "http://loinc.org", "code": "8867-4"}]}}
    bundle = {"resourceType": "Bundle", "type": "collection",
              "entry": [{"resource": one}, {"resource": {**one, "id": "b"}}]}
    for data in (json.dumps(bundle).encode(),
                 (json.dumps(one) + "\n" + json.dumps({**one, "id": "b"})).encode()):
        first, second = parse(data).resources
        assert first.data["status"] is second.data["status"]
        assert first.data["code"]["coding"][0]["system"] is \
            second.data["code"]["coding"][0]["system"]
        assert first.data["id"] == "a" and second.data["id"] == "b"
        assert not hasattr(first, "__dict__")
