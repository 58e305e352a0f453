"""An archived case asks nothing now (issue 18): no next step (so no emergency first step in
its list row) and no urgency mark, whatever urgency it was archived with."""

from __future__ import annotations

import datetime as dt

from secondview.core import progress
from secondview.core.urgency import urgency_now
from secondview.store.case_index import summarise
from secondview.store.editing import Editor
from secondview.store.paths import Device, Paths
from secondview.store.repository import CaseRepository

TODAY = dt.date(2026, 12, 6)


def test_an_archived_emergency_has_no_next_step_and_its_row_none(paths: Paths) -> None:
    repo = CaseRepository(paths, Device("aaaaaaaaaaaa", "desk", "n1"), today=TODAY)
    try:
        opened = Editor(repo).create_case({"title": "Dad - chest pain",
                                           "urgency": "emergency"}, None)
        assert progress.next_steps(opened.case, TODAY)[0] == progress.EMERGENCY_STEP
        Editor(repo).set_archived(opened, True)
        archived = repo.open(opened.case_id)
        assert archived.case.archived and archived.case.info.urgency == "emergency"
        assert progress.next_steps(archived.case, TODAY) == []
        row = summarise(archived, TODAY)
        assert row.next_step == "" and row.urgency == "emergency"  # the field keeps its value
        (listed,) = repo.list()
        assert listed.next_step == ""
    finally:
        repo.close()


def test_an_archived_case_is_no_longer_urgent() -> None:
    assert urgency_now("emergency", archived=True) == "routine"
    assert urgency_now("soon", archived=True) == "routine"
    assert urgency_now("soon", archived=False) == "soon"


def test_show_says_why_an_archived_case_has_no_next_step(paths: Paths) -> None:
    from secondview.cli.case_view import overview_lines

    repo = CaseRepository(paths, Device("aaaaaaaaaaaa", "desk", "n1"), today=TODAY)
    try:
        opened = Editor(repo).create_case({"title": "Dad", "urgency": "emergency"}, None)
        assert f"!! {progress.EMERGENCY_STEP}" in overview_lines(opened, TODAY)
        Editor(repo).set_archived(opened, True)
        lines = overview_lines(repo.open(opened.case_id), TODAY)
        assert not any(progress.EMERGENCY_STEP in line for line in lines)
        after = lines[lines.index("Next steps") + 1]
        assert "archived" in after and f"secondview restore {opened.case_id[:8]}" in after
    finally:
        repo.close()
