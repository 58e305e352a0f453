"""Who an item waits on, set in the real forms: the checklist step's form and the transfer's
form both offer "Waiting on" (from the table's fields), and what is picked is on disk."""

from __future__ import annotations

from typing import Any

from textual.widgets import Select

from secondview.core.replica import HybridClock
from secondview.store.repository import CaseRepository

from ui_kit import DEVICE, TODAY, case_uuid, drive, screen_text, seed_sample, settle


def _on_disk(world: Any, case_id: str) -> Any:
    repo = CaseRepository(world.paths, DEVICE, HybridClock(), TODAY)
    try:
        return repo.open(case_id).case
    finally:
        repo.close()


async def choose(pilot: Any, name: str, value: str) -> None:
    """Pick ``value`` in the form's Select ``name`` with the keys (it starts on its first
    choice, "not said")."""
    select = pilot.app.screen.query_one(f"#f-{name}", Select)
    select.focus()
    await pilot.pause()
    from secondview.core.choices import WAITING_ON

    await pilot.press("enter", *["down"] * WAITING_ON.index(value), "enter")
    await pilot.pause()
    assert select.value == value


async def _open_knee(pilot: Any, app: Any) -> None:
    table = app.screen.query_one("#cases")
    titles = [table.row_at(i).title for i in range(table.row_count)]
    table.move_cursor(titles.index("Mum - knee surgery"))
    await pilot.press("enter")
    await settle(pilot)


def test_the_checklist_form_sets_who_a_step_waits_on(make_app, world):
    ids = seed_sample(world)
    app = make_app()

    async def steps(pilot):
        await _open_knee(pilot, app)
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("down", "e")
        await settle(pilot)
        await choose(pilot, "waiting_on", "patient")
        assert "Waiting on" in screen_text(app)  # focused: scrolled into view
        await pilot.press("ctrl+s")
        await settle(pilot)
        step = _on_disk(world, ids["knee"]).find(case_uuid(502))
        assert step.waiting_on == "patient"

    drive(app, steps)


def test_the_transfer_form_sets_who_a_transfer_waits_on(make_app, world):
    ids = seed_sample(world)
    app = make_app()

    async def steps(pilot):
        await _open_knee(pilot, app)
        await pilot.press("3")
        await settle(pilot)
        records = app.screen.query_one("#records")
        names = [records.table.get_row_at(i)[1].plain.strip()
                 for i in range(records.table.row_count)]
        records.table.focus()
        records.table.move_cursor(row=names.index("MRI report"))
        await settle(pilot)
        await pilot.press("tab")
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        await choose(pilot, "waiting_on", "doctor")
        assert "Waiting on" in screen_text(app)  # focused: scrolled into view
        await pilot.press("ctrl+s")
        await settle(pilot)
        transfer = _on_disk(world, ids["knee"]).find(case_uuid(301))
        assert transfer.waiting_on == "doctor"

    drive(app, steps)
