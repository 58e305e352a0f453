"""The one edit path (store/editing.py): each change saved, and taken back by its undo, without
a screen. What ctrl+z does in the case screen and the case list is exactly this."""

from __future__ import annotations

import datetime as dt

import pytest

from secondview.store.editing import UNDO_DEPTH, Editor, Undo, UndoStack
from secondview.store.paths import Device, Paths
from secondview.store.repository import CaseRepository, OpenCase

TODAY = dt.date(2026, 12, 6)


@pytest.fixture
def desk(paths: Paths) -> CaseRepository:
    repo = CaseRepository(paths, Device("aaaaaaaaaaaa", "desk", "n1"), today=TODAY)
    yield repo
    repo.close()


@pytest.fixture
def laptop(paths: Paths) -> CaseRepository:
    repo = CaseRepository(paths, Device("bbbbbbbbbbbb", "laptop", "n2"), today=TODAY)
    yield repo
    repo.close()


def new_case(repo: CaseRepository) -> OpenCase:
    return repo.create({"title": "Dad - prostate", "condition": "prostate cancer"})


def questions(opened: OpenCase) -> list[str]:
    return [q.text for q in opened.case.questions]


def test_an_added_item_is_deleted_by_its_undo(desk: CaseRepository) -> None:
    editor = Editor(desk)
    edit = editor.add(new_case(desk), "questions", {"text": "Is surgery needed?"}, "Added")
    assert questions(edit.saved) == ["Is surgery needed?"]
    assert edit.undo is not None and edit.undo.delete == (("questions", edit.item_id),)
    undone = editor.undo(edit.saved, edit.undo)
    assert questions(undone) == []
    assert questions(desk.open(undone.case_id)) == []  # on disk, not only in memory


def test_an_edit_is_taken_back_to_the_values_it_replaced(desk: CaseRepository) -> None:
    editor = Editor(desk)
    opened = new_case(desk)
    edit = editor.update(opened, "case", opened.case_id,
                         {"condition": "prostate cancer, Gleason 7", "patient": "Dad"})
    assert edit.saved.case.info.condition == "prostate cancer, Gleason 7"
    undone = editor.undo(edit.saved, edit.undo)
    assert undone.case.info.condition == "prostate cancer"
    assert undone.case.info.patient == ""
    assert [entry.summary for entry in undone.case.log][-1].startswith("Undid")


def test_an_item_new_under_its_own_id_is_deleted_by_its_undo(desk: CaseRepository) -> None:
    editor = Editor(desk)
    opened = new_case(desk)
    edit = editor.update(opened, "checklist", "3f2a0000-0000-4000-8000-000000000001",
                         {"text": "Ask for the slides", "phase": "preparing"})
    assert [i.text for i in edit.saved.case.checklist] == ["Ask for the slides"]
    assert editor.undo(edit.saved, edit.undo).case.checklist == ()


def test_a_delete_takes_its_dependants_and_one_undo_brings_all_back(
    desk: CaseRepository,
) -> None:
    editor = Editor(desk)
    opened = new_case(desk)
    question = editor.add(opened, "questions", {"text": "Is surgery needed?"})
    opinion = editor.add(question.saved, "opinions", {"doctor": "Dr Okafor"})
    answer = editor.add(opinion.saved, "answers", {"question": question.item_id,
                                                    "opinion": opinion.item_id, "text": "No"})
    edit = editor.delete(answer.saved, "questions", question.item_id, label="Is surgery needed?")
    assert edit.saved.case.questions == () and edit.saved.case.answers == ()
    assert edit.undo.label == "Deleted 'Is surgery needed?' and its 1 answer"
    undone = editor.undo(edit.saved, edit.undo)
    assert questions(undone) == ["Is surgery needed?"]
    assert [a.text for a in undone.case.answers] == ["No"]


def test_several_items_are_one_change_and_one_undo(desk: CaseRepository) -> None:
    editor = Editor(desk)
    opened = new_case(desk)
    first = editor.add(opened, "questions", {"text": "First"})
    second_id = "3f2a0000-0000-4000-8000-000000000002"
    edit = editor.change_many(first.saved, [
        ("questions", first.item_id, {"text": "First, reworded"}),
        ("questions", second_id, {"text": "Second"}),
    ], "Two questions")
    assert sorted(questions(edit.saved)) == ["First, reworded", "Second"]
    assert len([e for e in edit.saved.case.log if e.summary == "Two questions"]) == 1
    undone = editor.undo(edit.saved, edit.undo)
    assert questions(undone) == ["First"]


def test_an_undo_keeps_what_another_device_changed_meanwhile(
    desk: CaseRepository, laptop: CaseRepository
) -> None:
    editor = Editor(desk)
    opened = new_case(desk)
    edit = editor.update(opened, "case", opened.case_id, {"condition": "Gleason 7"})
    theirs = laptop.open(opened.case_id)
    laptop.update(theirs, "case", opened.case_id, {"insurance_plan": "Acme PPO"})
    undone = editor.undo(edit.saved, edit.undo)
    assert undone.case.info.condition == "prostate cancer"
    assert undone.case.info.insurance_plan == "Acme PPO"


def test_archiving_is_undone_by_restoring(desk: CaseRepository) -> None:
    editor = Editor(desk)
    opened = new_case(desk)
    edit = editor.set_archived(opened, True)
    assert edit.saved.case.archived and edit.undo.archived is False
    assert editor.set_archived(edit.saved, True).undo is None  # nothing changed
    assert not editor.undo(edit.saved, edit.undo).case.archived


def test_the_stack_keeps_the_newest_changes_only() -> None:
    stack = UndoStack()
    for n in range(UNDO_DEPTH + 5):
        stack.push(Undo(f"change {n}"))
    stack.push(None)  # a change that changed nothing is not remembered
    assert len(stack) == UNDO_DEPTH
    assert stack.pop().label == f"change {UNDO_DEPTH + 4}"
    assert stack.labels()[0] == "change 5"
    while stack.pop() is not None:
        pass
    assert stack.pop() is None


# -- answers and the steps they call for (issue 14) -------------------------------------------


@pytest.fixture(scope="module")
def content():
    from secondview.store.content_files import load_content
    return load_content()


def _keys(opened: OpenCase) -> set[str]:
    return {i.template_id for i in opened.case.checklist}


def test_an_answer_adds_the_steps_it_calls_for_in_the_same_save(desk, content) -> None:
    editor = Editor(desk, content)
    opened = editor.create_case({"title": "Dad", "condition": "prostate"}, content)
    before, logged = _keys(opened), len(opened.case.log)
    called_for = {i.key for i in content.applicable_items({"cancer": True})} - before
    assert called_for
    edit = editor.update(opened, "case", opened.case_id, {"cancer": "yes"}, "Cancer: yes")
    assert _keys(edit.saved) == before | called_for
    assert len(edit.saved.case.log) == logged + 1  # one save, one log line
    assert _keys(desk.open(opened.case_id)) == before | called_for  # on disk
    undone = editor.undo(edit.saved, edit.undo)
    assert undone.case.info.cancer is False
    assert _keys(undone) == before | called_for  # kept, and now not needed


def test_other_changes_and_an_editor_without_content_add_no_steps(desk, content) -> None:
    opened = Editor(desk, content).create_case({"title": "Dad"}, content)
    before = _keys(opened)
    opened = Editor(desk, content).update(opened, "case", opened.case_id,
                                          {"condition": "prostate cancer"}).saved
    opened = Editor(desk).update(opened, "case", opened.case_id, {"surgery": True}).saved
    assert _keys(opened) == before


def test_a_step_the_person_deleted_is_not_added_back_by_an_answer(desk, content) -> None:
    editor = Editor(desk, content)
    opened = editor.create_case({"title": "Dad"}, content)
    opened = editor.update(opened, "case", opened.case_id, {"cancer": True}).saved
    board = next(i for i in opened.case.checklist
                 if i.template_id == "general/cancer-tumour-board")
    opened = editor.delete(opened, "checklist", board.id).saved
    opened = editor.update(opened, "case", opened.case_id, {"cancer": False}).saved
    opened = editor.update(opened, "case", opened.case_id, {"cancer": True}).saved
    assert "general/cancer-tumour-board" not in _keys(opened)


def test_an_answer_gives_older_steps_their_rule(desk, content) -> None:
    from secondview.core import content_rules

    opened = desk.create({"title": "Old"}, extra=[
        w for w in content.starter_writes({}) if w.table == "checklist"])
    # steps made before they kept their rule: the rule is dropped here by hand
    opened = desk.apply(opened, [opened.state.prepare("checklist", i.id, {"applies_when": ""})
                                 for i in opened.case.checklist])
    network = next(i for i in opened.case.checklist
                   if i.template_id == "general/insurance-network")
    assert content_rules.applies(network, opened.case)
    opened = Editor(desk, lambda: content).update(opened, "case", opened.case_id,
                                                  {"in_network_only": "no"}).saved
    network = next(i for i in opened.case.checklist if i.id == network.id)
    assert not content_rules.applies(network, opened.case)
