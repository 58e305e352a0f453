"""The record-request clock (core/record_requests.py, asked through progress): the law's 30
days only for a person's own access request (and, for electronic records, one sent where they
name), 60 at most with a written extension, no legal deadline office to office or for slides,
and transfers written before the kind was recorded still counted, without a legal claim."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from secondview.core import model, progress, record_requests
from secondview.core.model import Case, Item

TODAY = dt.date(2026, 12, 6)


def _ago(days: int) -> str:
    return (TODAY - dt.timedelta(days=days)).isoformat()


def _case(record_kind: str = "imaging_report", **transfer: Any) -> Case:
    values = {"record": "rec-1", "recipient": "Dr Park", "state": "requested",
              "from_provider": True, **transfer}
    return Case(
        "case-1",
        Item("case", "case-1", {"title": "Knee"}),
        records=(Item("records", "rec-1", {"title": "MRI report", "kind": record_kind}),),
        transfers=(Item("transfers", "tr-1", values),),
    )


def test_an_office_to_office_request_is_never_past_a_legal_window() -> None:
    for waited in (20, 31, 45, 61, 200):
        case = _case(request_kind="office", requested_on=_ago(waited))
        late = progress.overdue_transfers(case, TODAY)
        assert all(not o.legal and "legal deadline" in o.rule and "law allows" not in o.rule
                   for o in late)
        steps = progress.next_steps(case, TODAY)
        assert not any("law" in s and "no legal" not in s for s in steps), steps
        assert not any("30-day response window" in s for s in steps), steps


def test_an_office_to_office_request_gets_a_reminder_after_the_typical_time() -> None:
    assert progress.overdue_transfers(_case(request_kind="office", requested_on=_ago(30)),
                                      TODAY) == []
    late = progress.overdue_transfers(_case(request_kind="office", requested_on=_ago(31)),
                                      TODAY)
    assert [o.days_waiting for o in late] == [31]
    assert late[0].rule == "no legal deadline; the app reminds you after 30 days"


def test_an_access_request_is_late_after_30_days() -> None:
    assert progress.overdue_transfers(_case(request_kind="access", requested_on=_ago(30)),
                                      TODAY) == []
    late = progress.overdue_transfers(_case(request_kind="access", requested_on=_ago(31)),
                                      TODAY)
    assert len(late) == 1 and late[0].legal
    assert late[0].rule == "past the 30 days the law allows"


def test_an_access_request_with_a_written_extension_is_late_after_60_days_at_most() -> None:
    asked = TODAY - dt.timedelta(days=45)
    extended = (asked + dt.timedelta(days=60)).isoformat()
    case = _case(request_kind="access", requested_on=asked.isoformat(), extended_to=extended)
    assert progress.overdue_transfers(case, TODAY) == []
    assert progress.overdue_transfers(case, asked + dt.timedelta(days=60)) == []
    late = progress.overdue_transfers(case, asked + dt.timedelta(days=61))
    assert len(late) == 1 and late[0].legal and "in writing" in late[0].rule
    # An office's date later than the law allows counts only up to 60 days.
    far = (asked + dt.timedelta(days=90)).isoformat()
    case = _case(request_kind="access", requested_on=asked.isoformat(), extended_to=far)
    assert len(progress.overdue_transfers(case, asked + dt.timedelta(days=61))) == 1


def test_a_request_to_send_where_the_person_names_has_the_legal_clock_for_ehr_records() -> None:
    late = progress.overdue_transfers(
        _case(request_kind="third_party", requested_on=_ago(40)), TODAY)
    assert len(late) == 1 and late[0].legal and "electronic records" in late[0].rule


def test_slides_and_blocks_have_no_legal_deadline_even_on_an_access_request() -> None:
    late = progress.overdue_transfers(
        _case("pathology_slides", request_kind="access", requested_on=_ago(40)), TODAY)
    assert len(late) == 1 and not late[0].legal


def test_an_older_transfer_without_a_kind_still_counts_but_makes_no_legal_claim() -> None:
    late = progress.overdue_transfers(_case(requested_on=_ago(44)), TODAY)
    assert [o.days_waiting for o in late] == [44] and not late[0].legal
    assert record_requests.request_kind(late[0].transfer) == "not_said"
    handed_over = _case(requested_on=_ago(44), from_provider=False)
    assert progress.overdue_transfers(handed_over, TODAY) == []


@pytest.mark.parametrize("kind, step", [("access", progress.LATE_LEGAL_STEP),
                                        ("office", progress.LATE_STEP)])
def test_a_late_request_brings_the_steps_for_late_records(kind: str, step: str) -> None:
    case = _case(request_kind=kind, requested_on=_ago(44))
    steps = progress.next_steps(case, TODAY)
    assert steps[0].startswith("Chase 'MRI report' for Dr Park: requested 44 days ago")
    assert steps[1] == step
    on_time = progress.next_steps(_case(request_kind=kind, requested_on=_ago(10)), TODAY)
    assert step not in on_time


def test_the_clock_shown_is_the_one_that_applies() -> None:
    access = _case(request_kind="access", requested_on=_ago(12)).transfers[0]
    assert record_requests.day_count(access, "labs", TODAY) == (12, 30)
    extended = _case(request_kind="access", requested_on=_ago(12),
                     extended_to=_ago(-40)).transfers[0]
    assert record_requests.day_count(extended, "labs", TODAY) == (12, 52)
    mine = _case(requested_on=_ago(12), from_provider=False).transfers[0]
    assert record_requests.day_count(mine, "labs", TODAY) is None


def test_the_request_kind_is_a_choice_older_files_read_as_not_said() -> None:
    spec = model.spec("transfers", "request_kind")
    assert spec.choices == ("not_said", "access", "third_party", "office")
    assert model.defaults("transfers")["request_kind"] == "not_said"
    assert "When records are late" in spec.help and "30 days" in spec.help
    assert model.spec("transfers", "extended_to").kind is model.Kind.DATE
