"""Deleting a question or an opinion takes its answers with it, in the same save, and one
restore brings them all back (issue 5): checked on the files, and across two devices."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from secondview.store.paths import Device, Paths
from secondview.store.repository import CaseRepository, OpenCase
from secondview.store.storage import read_bytes

TODAY = dt.date(2026, 11, 21)
DESK = Device("aaaaaaaaaaaa", "desk")
LAPTOP = Device("bbbbbbbbbbbb", "laptop")


@pytest.fixture
def desk(paths: Paths):
    repo = CaseRepository(paths, DESK, today=TODAY)
    yield repo
    repo.close()


def answered_case(repo: CaseRepository) -> tuple[OpenCase, dict[str, str]]:
    """Two questions, two opinions, four answers (each question answered by each doctor), a
    transfer of a record to the second doctor and an option recommended by them."""
    opened = repo.create({"title": "Mum - knee"})
    ids: dict[str, str] = {}
    for name, table, values in (
        ("wait", "questions", {"text": "What if we wait?"}),
        ("other", "questions", {"text": "Other options?"}),
        ("okafor", "opinions", {"doctor": "Dr Okafor", "order": 1}),
        ("lind", "opinions", {"doctor": "Dr Lind", "order": 2}),
        ("mri", "records", {"title": "MRI report"}),
    ):
        opened, ids[name] = repo.add(opened, table, values)
    for q in ("wait", "other"):
        for o in ("okafor", "lind"):
            opened, ids[f"{q}/{o}"] = repo.add(opened, "answers", {
                "question": ids[q], "opinion": ids[o], "text": f"{q} by {o}"})
    opened, ids["transfer"] = repo.add(opened, "transfers", {"record": ids["mri"],
                                                              "recipient": "Dr Lind"})
    opened, ids["physio"] = repo.add(opened, "options", {"title": "Physio", "source": "opinion",
                                                          "opinion": ids["lind"]})
    return opened, ids


def stored(repo: CaseRepository, opened: OpenCase) -> dict:
    return json.loads(read_bytes(repo.own_file(opened.case_id)))["tables"]


def live_answers(opened: OpenCase) -> set[str]:
    return {a.text for a in opened.case.answers}


def test_deleting_a_question_tombstones_its_answers_in_one_save_and_restore_undoes_it(desk):
    opened, ids = answered_case(desk)
    assert sorted(desk.dependants(opened, "questions", ids["wait"])) == sorted(
        [("answers", ids["wait/okafor"]), ("answers", ids["wait/lind"])])
    gone = desk.delete(opened, "questions", ids["wait"])
    assert live_answers(gone) == {"other by okafor", "other by lind"}
    tables = stored(desk, gone)
    tomb = tables["questions"][ids["wait"]]["deleted"]
    for key in ("wait/okafor", "wait/lind"):
        answer = tables["answers"][ids[key]]
        assert answer["deleted"][0]["v"] is True
        assert answer["deleted"][0]["dot"] == tomb[0]["dot"]  # the same save
        assert answer["text"][0]["v"] == key.replace("/", " by ")  # nothing erased
    assert "deleted" not in tables["answers"][ids["other/okafor"]]
    assert gone.case.log[-1].summary == "Deleted an item of questions and 2 answers"

    back = desk.delete(gone, "questions", ids["wait"], restore=True)
    assert live_answers(back) == live_answers(opened)
    assert back.case.answers_for(ids["wait"])[ids["lind"]].text == "wait by lind"


def test_deleting_an_opinion_takes_its_answers_and_keeps_transfers_and_options(desk):
    opened, ids = answered_case(desk)
    gone = desk.delete(opened, "opinions", ids["lind"])
    assert live_answers(gone) == {"wait by okafor", "other by okafor"}
    assert [t.recipient for t in gone.case.transfers] == ["Dr Lind"]  # kept: a fact
    assert [(o.title, o.opinion) for o in gone.case.options] == [("Physio", ids["lind"])]
    back = desk.delete(gone, "opinions", ids["lind"], restore=True)
    assert live_answers(back) == live_answers(opened)


def test_deleting_an_option_takes_its_benefits_and_risks_and_keeps_the_leanings(desk):
    opened, ids = answered_case(desk)
    for kind, what in (("benefit", "Walks the dog again"), ("risk", "Three more months")):
        opened, ids[what] = desk.add(opened, "factors", {"option": ids["physio"], "kind": kind,
                                                         "text": what, "importance": 4})
    opened, _ = desk.add(opened, "leanings", {"date": "2026-11-01", "option": ids["physio"]})
    assert sorted(desk.dependants(opened, "options", ids["physio"])) == sorted(
        [("factors", ids["Walks the dog again"]), ("factors", ids["Three more months"])])
    gone = desk.delete(opened, "options", ids["physio"])
    assert gone.case.options == () and gone.case.factors == ()
    assert [lean.option for lean in gone.case.leanings] == [ids["physio"]]  # the past stays
    assert gone.case.log[-1].summary == "Deleted an item of options and 2 benefits and risks"
    back = desk.delete(gone, "options", ids["physio"], restore=True)
    assert sorted(f.text for f in back.case.factors) == ["Three more months",
                                                          "Walks the dog again"]


def test_restore_brings_back_only_the_answers_deleted_with_it(desk):
    opened, ids = answered_case(desk)
    # one answer deleted on its own first (the command line can): it stays deleted
    opened = desk.delete(opened, "answers", ids["wait/okafor"])
    gone = desk.delete(opened, "questions", ids["wait"])
    assert live_answers(gone) == {"other by okafor", "other by lind"}
    back = desk.delete(gone, "questions", ids["wait"], restore=True)
    assert live_answers(back) == {"wait by lind", "other by okafor", "other by lind"}


def test_old_answers_of_a_question_deleted_before_this_rule_come_back_with_it(desk):
    # a file written before: the question has a tombstone, its answers none (hidden only)
    opened, ids = answered_case(desk)
    write = opened.state.prepare("questions", ids["wait"], delete=True)
    gone = desk.apply(opened, [write], "Deleted an item of questions")
    assert "wait by lind" in live_answers(gone)  # still live on disk, shown with nothing
    back = desk.delete(gone, "questions", ids["wait"], restore=True)
    assert live_answers(back) == live_answers(opened)


def test_another_device_sees_the_answers_go_and_come_back(paths, desk):
    opened, ids = answered_case(desk)
    laptop = CaseRepository(paths, LAPTOP, today=TODAY)
    try:
        gone = desk.delete(opened, "opinions", ids["okafor"])
        assert live_answers(laptop.open(opened.case_id)) == {"wait by lind", "other by lind"}
        # the laptop restores it (the conflict screen's "keep", or its own undo): the answers
        # deleted with it come back too, found by the tombstone's dot
        there = laptop.open(opened.case_id)
        laptop.delete(there, "opinions", ids["okafor"], restore=True)
        assert live_answers(desk.reload(gone)) == live_answers(opened)
    finally:
        laptop.close()
