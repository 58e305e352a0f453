"""A step over several cases (the case list archiving a selection) is one entry on the undo
stack: one ctrl+z takes every case's part back (store/editing.py, ``undo_group``)."""

from __future__ import annotations

import datetime as dt

import pytest

from secondview.store.editing import Editor, Undo, UndoStack, undo_group
from secondview.store.paths import Device, Paths
from secondview.store.repository import CaseRepository

TODAY = dt.date(2026, 12, 6)


@pytest.fixture
def desk(paths: Paths) -> CaseRepository:
    repo = CaseRepository(paths, Device("aaaaaaaaaaaa", "desk", "n1"), today=TODAY)
    yield repo
    repo.close()


def test_a_group_is_one_entry_and_its_parts_bring_every_case_back(desk) -> None:
    editor = Editor(desk)
    cases = [desk.create({"title": f"Case {n}"}) for n in range(3)]
    undos = [editor.set_archived(opened, True).undo for opened in cases]
    stack = UndoStack()
    stack.push(Undo("Edited case", case_id=cases[0].case_id))
    stack.push(undo_group("Archived 3 cases", undos))
    assert len(stack) == 2
    assert stack.labels() == ["Edited case", "Archived 3 cases"]
    group = stack.pop()
    assert group is not None and len(group.parts) == 3
    assert [part.case_id for part in group.parts] == [c.case_id for c in cases]
    assert all(desk.open(c.case_id).case.archived for c in cases)
    for part in group.parts:
        editor.undo(desk.open(part.case_id), part)
    assert not any(desk.open(c.case_id).case.archived for c in cases)
    assert len(stack) == 1  # the earlier change is still there to undo


def test_a_group_of_one_is_that_undo_and_of_none_is_nothing() -> None:
    one = Undo("Archived", archived=False, case_id="c1")
    assert undo_group("Archived 1 case", [one]) is one
    assert undo_group("Archived 0 cases", [None]) is None
    assert one.parts == (one,)
    stack = UndoStack()
    stack.push(undo_group("nothing", []))
    assert len(stack) == 0


def test_a_group_counts_once_against_the_depth() -> None:
    stack = UndoStack(depth=2)
    parts = [Undo("Archived", archived=False, case_id=f"c{n}") for n in range(5)]
    stack.push(Undo("first", case_id="x"))
    stack.push(undo_group("Archived 5 cases", parts))
    assert len(stack) == 2
    assert stack.labels() == ["first", "Archived 5 cases"]


def test_the_editor_takes_back_a_group_only_part_by_part(desk) -> None:
    editor = Editor(desk)
    cases = [desk.create({"title": f"Case {n}"}) for n in range(2)]
    group = undo_group("Archived 2 cases",
                       [editor.set_archived(opened, True).undo for opened in cases])
    assert group is not None
    with pytest.raises(ValueError):
        editor.undo(desk.open(cases[0].case_id), group)
