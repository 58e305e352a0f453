"""core.replica_json: a case's replica files read one after another (``Reading``).

Each file's text gives exactly what ``json.loads`` gives (value or error); a table written as
in the first file kept is that file's table object, parsed and checked once.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from secondview.core.replica import CaseState, Write, new_case
from secondview.core.replica_json import Reading
from secondview.store.storage import (
    UnreadableFile,
    _finite_float,
    _no_constant,
    parse_replica,
    replica_bytes,
)

CASE = "0f0e0d0c-0b0a-4908-8706-050403020100"
DESK, PHONE = "aaaaaaaaaaaa", "bbbbbbbbbbbb"
STEP = "11111111-1111-4111-8111-111111111111"
NOTE = "33333333-3333-4333-8333-333333333333"


def _desk() -> CaseState:
    state, _ = new_case({"title": "Knee", "condition": "meniscus"}, DESK,
                        "2026-12-01T10:00:00.000Z/0000", CASE)
    return state.apply([Write("checklist", STEP, {"title": "Ask for the MRI"}),
                        Write("records", STEP, {"title": "MRI", "kind": "imaging"})],
                       DESK, "2026-12-01T10:01:00.000Z/0000")


DESK_STATE = _desk()
PHONE_STATE = DESK_STATE.apply(
    [DESK_STATE.prepare("checklist", STEP, {"done": True}),
     Write("log", NOTE, {"action": "edit", "summary": "Ticked a step"})],
    PHONE, "2026-12-01T10:02:00.000Z/0000")
DESK_TEXT = replica_bytes(DESK_STATE.tables, DESK, "desk").decode()
PHONE_TEXT = replica_bytes(PHONE_STATE.tables, PHONE, "phone").decode()


def _decoder() -> json.JSONDecoder:
    return json.JSONDecoder(parse_constant=_no_constant, parse_float=_finite_float)


def _loads(text: str) -> Any:
    return json.loads(text, parse_constant=_no_constant, parse_float=_finite_float)


def _kept_desk() -> tuple[Reading, Any]:
    reading = Reading()
    desk = reading.loads(DESK_TEXT, _decoder())
    reading.keep(DESK_TEXT, desk["tables"])
    return reading, desk


def test_a_table_written_alike_is_the_first_files_object() -> None:
    reading, desk = _kept_desk()
    assert desk == _loads(DESK_TEXT)
    phone = reading.loads(PHONE_TEXT, _decoder())
    assert phone == _loads(PHONE_TEXT)
    assert phone["tables"]["records"] is desk["tables"]["records"]
    assert phone["tables"]["case"] is desk["tables"]["case"]
    assert phone["tables"]["checklist"] is not desk["tables"]["checklist"]  # edited
    assert phone["tables"]["log"] is not desk["tables"]["log"]
    assert phone["tables"]["log"][NOTE] == PHONE_STATE.tables["log"][NOTE]
    assert phone["device"] == {"id": PHONE, "name": "phone"}


def test_only_the_first_file_kept_is_read_against() -> None:
    reading, desk = _kept_desk()
    phone = reading.loads(PHONE_TEXT, _decoder())
    reading.keep(PHONE_TEXT, phone["tables"])
    assert reading.known is desk["tables"]


def test_a_file_written_another_way_is_read_as_json_reads_it() -> None:
    reading, desk = _kept_desk()
    compact = json.dumps(json.loads(PHONE_TEXT), separators=(",", ":"))
    phone = reading.loads(compact, _decoder())
    assert phone == _loads(PHONE_TEXT)
    assert phone["tables"]["records"] is not desk["tables"]["records"]  # other text: parsed


def test_parse_replica_keeps_a_file_only_once_it_passed_its_check(tmp_path: Any) -> None:
    reading = Reading()
    damaged = json.loads(DESK_TEXT)
    damaged["tables"]["checklist"][STEP]["title"][0]["dot"][1] = 0
    with pytest.raises(UnreadableFile, match="malformed entry"):
        parse_replica(tmp_path / "a.json", json.dumps(damaged).encode(), reading=reading)
    assert reading.known is None
    _, tables = parse_replica(tmp_path / "b.json", PHONE_TEXT.encode(), reading=reading)
    assert reading.known is tables
    _, desk = parse_replica(tmp_path / "c.json", DESK_TEXT.encode(), reading=reading)
    assert desk["records"] is tables["records"]


def test_a_table_named_twice_is_read_against_its_last_text() -> None:
    # JSON keeps the last value of a name given twice: only that one's text is shared
    other = '{"x-1": {"v": [1]}}'
    twice = DESK_TEXT.replace('"log": ', f'"log": {other}, "log": ', 1)
    reading = Reading()
    first = reading.loads(twice, _decoder())
    assert first == _loads(twice)
    reading.keep(twice, first["tables"])
    for later in ('{"tables": {"log": ' + other + '}}', DESK_TEXT):
        assert reading.loads(later, _decoder()) == _loads(later)
    assert reading.loads(DESK_TEXT, _decoder())["tables"]["log"] is first["tables"]["log"]


def _verdict(read: Any, text: str) -> tuple[str, Any]:
    try:
        return "value", read(text)
    except (ValueError, RecursionError) as exc:
        return type(exc).__name__, str(exc)


@st.composite
def changed_text(draw: st.DrawFn) -> str:
    """The phone's file with a few characters cut, changed or added anywhere."""
    text = list(PHONE_TEXT)
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(text)))
        action = draw(st.sampled_from(["cut", "change", "add"]))
        char = draw(st.sampled_from(list('{}[]",: \n\t0123456789.eE-truefalsnNI\\x\ufeff')))
        if action == "cut":
            del text[at:at + draw(st.integers(1, 40))]
        elif action == "change" and at < len(text):
            text[at] = char
        else:
            text.insert(at, char)
    return "".join(text)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.one_of(changed_text(), st.just(PHONE_TEXT), st.just(DESK_TEXT),
                      st.just(PHONE_TEXT + " x"), st.just("\ufeff" + PHONE_TEXT)))
def test_any_text_gives_what_json_loads_gives(text: str) -> None:
    reading, _ = _kept_desk()
    assert _verdict(lambda t: reading.loads(t, _decoder()), text) == _verdict(_loads, text)
