"""Who an item waits on (core/waiting.py), and the advocate's own to-do that fell through:
"an advocate's own to-do, due three days ago, appeared in no list and in no next step"."""

from __future__ import annotations

import datetime as dt

import pytest

from secondview.core import agenda, progress, waiting
from secondview.core.case_summary import late_for_me, overdue_count
from secondview.core.content_rules import steps_that_apply
from secondview.store.case_index import summarise
from secondview.store.content_files import load_content
from secondview.store.editing import Editor
from secondview.store.paths import Device, Paths
from secondview.store.repository import CaseRepository, OpenCase

TODAY = dt.date(2026, 12, 6)
OWN_TODO = "Call Maria about the MRI"


@pytest.fixture
def repo(paths: Paths) -> CaseRepository:
    made = CaseRepository(paths, Device("aaaaaaaaaaaa", "desk", "n1"), today=TODAY)
    yield made
    made.close()


@pytest.fixture(scope="module")
def content():
    return load_content()


def _advocates_case(repo: CaseRepository, content) -> OpenCase:
    """A new case from the template (its deciding steps open), plus the advocate's own to-do
    due three days ago."""
    opened = Editor(repo).create_case(
        {"title": "Garcia, Maria", "condition": "stenosis", "kept_by": "advocate"}, content)
    return Editor(repo).add(opened, "checklist", {"text": OWN_TODO, "due": "2026-12-03"}).saved


def test_an_own_todo_past_due_is_the_next_step(repo, content) -> None:
    opened = _advocates_case(repo, content)
    steps = progress.next_steps(opened.case, TODAY)
    assert any(OWN_TODO in s and "overdue" in s for s in steps), steps
    assert OWN_TODO in progress.next_steps(opened.case, TODAY, limit=1)[0]


def test_an_own_todo_past_due_shows_in_the_list_row(repo, content) -> None:
    opened = _advocates_case(repo, content)
    row = summarise(opened, TODAY)
    assert OWN_TODO in row.next_step
    assert row.waiting_me >= 1
    assert late_for_me(row, TODAY) == 1
    assert late_for_me(row, TODAY - dt.timedelta(days=3)) == 0  # due that day: not late yet
    assert overdue_count(row, TODAY) == 0  # no record request is late


def test_agenda_entries_say_who_they_wait_on(repo, content) -> None:
    opened = _advocates_case(repo, content)
    entries = [e for e in agenda.entries(opened.case, TODAY) if OWN_TODO in e.words]
    assert [e.waiting_on for e in entries] == ["me"]


def test_who_an_item_waits_on_when_nobody_said(repo, content) -> None:
    opened = Editor(repo).create_case({"title": "Mum"}, content)
    editor = Editor(repo)
    opened = editor.add(opened, "records", {"title": "MRI", "kind": "imaging_report"}).saved
    record = opened.case.records[0].id
    for values in ({"recipient": "Dr Patel", "from_provider": True},
                   {"recipient": "Dr Lind", "from_provider": False},
                   {"recipient": "Dr Roe", "from_provider": True, "state": "received"},
                   {"recipient": "Dr Kim", "from_provider": True, "waiting_on": "doctor"}):
        opened = editor.add(opened, "transfers", {"record": record, **values}).saved
    by_recipient = {str(t.recipient): waiting.waits_on(t) for t in opened.case.transfers}
    assert by_recipient == {"Dr Patel": "office", "Dr Lind": "me", "Dr Roe": "",
                            "Dr Kim": "doctor"}
    step = opened.case.checklist[0]
    assert waiting.waits_on(step) == "me"
    opened = editor.update(opened, "checklist", step.id, {"waiting_on": "patient"}).saved
    assert waiting.waits_on(opened.case.find(step.id)) == "patient"
    opened = editor.update(opened, "checklist", step.id, {"done": True}).saved
    assert waiting.waits_on(opened.case.find(step.id)) == ""  # done: waits on no one


def test_counts_cover_every_choice_and_only_open_items(repo, content) -> None:
    opened = _advocates_case(repo, content)
    counts = waiting.counts(opened.case)
    assert set(counts) == set(waiting.WHO)
    open_steps = [i for i in steps_that_apply(opened.case) if not i.done]
    assert len(open_steps) > 30  # the template's steps: the process, not anyone's to-do
    assert counts["me"] == 1  # the own to-do alone
    template_step = next(i for i in open_steps if i.values.get("template_id"))
    editor = Editor(repo)
    opened = editor.update(opened, "checklist", template_step.id, {"due": "2026-12-20"}).saved
    assert waiting.counts(opened.case)["me"] == 2  # a step given a due date is asked for
    other = next(i for i in open_steps if i.values.get("template_id") and i != template_step)
    opened = editor.update(opened, "checklist", other.id, {"waiting_on": "patient"}).saved
    assert waiting.counts(opened.case)["patient"] == 1  # and one that says who
