"""Archived rows, shown with ``a``, carry no emergency first step and no emergency mark
(issue 18)."""

from __future__ import annotations

from secondview.core.case_summary import CaseSummary
from secondview.core.progress import EMERGENCY_STEP
from secondview.ui.widgets.case_table import EMERGENCY_MARK, urgency_mark

from ui_kit import case_uuid, drive, screen_text, seed_case, seed_sample, settle, table_rows


def test_a_shows_an_archived_emergency_without_its_emergency_step_or_mark(make_app, world):
    seed_sample(world)  # 'Dad - chest pain' is a live emergency
    seed_case(world, case_uuid(9), {"title": "Gran - old stroke", "urgency": "emergency",
                                    "archived": True})
    app = make_app()

    async def steps(pilot):
        await pilot.press("a")
        await settle(pilot)
        rows = table_rows(app)
        gran = next(r for r in rows if "Gran - old stroke" in r[0])
        dad = next(r for r in rows if "Dad - chest pain" in r[0])
        assert EMERGENCY_MARK not in gran[0] and EMERGENCY_MARK in dad[0]
        assert not any(EMERGENCY_STEP[:9] in cell for cell in gran)
        assert any(EMERGENCY_STEP[:9] in cell for cell in dad)
        gran_line = next(line for line in screen_text(app).splitlines()
                         if "Gran - old stroke" in line)
        assert EMERGENCY_MARK not in gran_line and "Emergency" not in gran_line

    drive(app, steps)


def test_an_archived_row_shows_no_urgency_mark() -> None:
    live = CaseSummary("a1", "Dad", urgency="emergency", phase="deciding")
    assert urgency_mark(live)[0] == EMERGENCY_MARK
    assert urgency_mark(CaseSummary("a1", "Dad", urgency="emergency", phase="deciding",
                                    archived=True)) == (" ", "")
    assert urgency_mark(CaseSummary("a1", "Dad", urgency="soon", archived=True)) == (" ", "")
