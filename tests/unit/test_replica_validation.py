"""Validation of a replica read after another one of the same case (``known``).

Opening a case reads one replica per device; most of their documents are equal. Each file is
still checked whole, but a document equal to one of a replica already checked is taken as that
replica's object: it needs no second check, and the merge then finds the two sides identical.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from secondview.core.registers import ReplicaError, merge_tables
from secondview.core.replica import CaseState, Write, new_case
from secondview.core.replica_validation import validate_tables

CASE = "0f0e0d0c-0b0a-4908-8706-050403020100"
LAPTOP, PHONE = "aaaaaaaaaaaa", "bbbbbbbbbbbb"
AT = "2026-12-01T10:00:00.000Z/0000"
LATER = "2026-12-01T10:05:00.000Z/0000"
STEP, OTHER = "11111111-1111-4111-8111-111111111111", "22222222-2222-4222-8222-222222222222"
NOTE = "33333333-3333-4333-8333-333333333333"


def _laptop() -> CaseState:
    state, _ = new_case({"title": "Knee", "condition": "meniscus"}, LAPTOP, AT, CASE)
    return state.apply([Write("checklist", STEP, {"title": "Ask for the MRI", "done": False}),
                        Write("checklist", OTHER, {"title": "Call the insurer"}),
                        Write("records", STEP, {"title": "MRI", "kind": "imaging"})],
                       LAPTOP, AT)


def _read(state: CaseState) -> dict[str, Any]:
    """The tables as a file read afresh gives them (no object shared with ``state``)."""
    return json.loads(json.dumps(state.tables))


LAPTOP_STATE = _laptop()
PHONE_STATE = LAPTOP_STATE.apply(
    [LAPTOP_STATE.prepare("checklist", STEP, {"done": True}),
     Write("log", NOTE, {"action": "edit", "summary": "Ticked a step"})], PHONE, LATER)


def _phone() -> dict[str, Any]:
    """The phone's replica as read from its file: the laptop's, with one step done."""
    return _read(PHONE_STATE)


def test_a_table_that_is_the_known_replicas_object_passes_as_it_did() -> None:
    known = validate_tables(_read(LAPTOP_STATE))
    phone = _phone()
    phone["records"] = known["records"]  # what core.replica_json gives for a table alike
    assert validate_tables(phone, known=known) is phone
    assert phone["records"] is known["records"]


def test_a_counter_written_true_is_refused_though_python_finds_it_equal_to_a_known_one() -> None:
    # True == 1 in Python: a document equal to the known one's was taken as it, so a file
    # that JSON and the check tell apart passed (Hypothesis found it in
    # test_a_replica_is_judged_alike_with_or_without_a_known_one)
    known = validate_tables(_read(LAPTOP_STATE))
    phone = _phone()
    (entry,) = phone["checklist"][OTHER]["title"]
    entry["dot"][1] = True if entry["dot"][1] == 1 else float(entry["dot"][1])
    assert phone["checklist"][OTHER] == known["checklist"][OTHER]
    with pytest.raises(ReplicaError, match=f"checklist/{OTHER}/title has a malformed entry"):
        validate_tables(phone, known=known)


def test_merging_replicas_checked_one_after_the_other_keeps_the_first_ones_documents() -> None:
    known = validate_tables(_read(LAPTOP_STATE))
    phone = validate_tables(_phone(), known=known)
    merged = merge_tables(known, phone)
    assert merged == merge_tables(_read(LAPTOP_STATE), _phone())  # the same state as before
    assert merged["checklist"][OTHER] is known["checklist"][OTHER]
    assert merged["records"] is known["records"]
    for table in ("case", "checklist", "records", "log"):
        for doc_id, doc in merged[table].items():
            if doc == known[table].get(doc_id):
                assert doc is known[table][doc_id], (table, doc_id)
    # so the typed items made for one replica's documents serve the merged state too
    one = CaseState(known)
    one.case()
    both = CaseState(merged, one.memo)
    assert both.case().info is one.case().info


def test_a_damaged_document_is_refused_though_the_known_replica_holds_a_good_one() -> None:
    known = validate_tables(_read(LAPTOP_STATE))
    phone = _phone()
    phone["checklist"][OTHER]["title"][0]["dot"][1] = 0
    with pytest.raises(ReplicaError, match=f"checklist/{OTHER}/title has a malformed entry"):
        validate_tables(phone, known=known)


def test_the_known_replica_does_not_stand_in_for_a_missing_case_document() -> None:
    known = validate_tables(_read(LAPTOP_STATE))
    phone = _phone()
    phone["case"] = {}
    with pytest.raises(ReplicaError, match="no case document"):
        validate_tables(phone, known=known)


def _places(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            found += _places(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _places(value, (*prefix, index))
    return found


PHONE_PLACES = _places(_phone())[1:]
json_leaf = st.one_of(st.none(), st.booleans(), st.text(max_size=4), st.integers(-3, 2**54),
                      st.floats(allow_nan=False, allow_infinity=False))
json_value = st.recursive(json_leaf, lambda inner: st.one_of(
    st.lists(inner, max_size=2), st.dictionaries(st.text(max_size=4), inner, max_size=2)),
    max_leaves=5)


def _verdict(tables: dict[str, Any], known: dict[str, Any] | None) -> tuple[str, Any]:
    try:
        return "ok", validate_tables(tables, known=known)
    except ReplicaError as exc:
        return "refused", str(exc)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(where=st.sampled_from(PHONE_PLACES), value=json_value)
def test_a_replica_is_judged_alike_with_or_without_a_known_one(where: tuple[Any, ...],
                                                               value: Any) -> None:
    damaged = _phone()
    node = damaged
    for key in where[:-1]:
        node = node[key]
    node[where[-1]] = value
    alone = _verdict(copy.deepcopy(damaged), None)
    with_known = _verdict(damaged, validate_tables(_read(LAPTOP_STATE)))
    assert with_known == alone
