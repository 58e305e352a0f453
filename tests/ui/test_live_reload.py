"""Another device's edits arrive while the app runs: the open case shows them within two
seconds, a form being typed in is left alone (and its save keeps their edit), and the case
list picks up new cases by itself."""

from __future__ import annotations

import time

from secondview.core.replica import HybridClock
from secondview.store.repository import CaseRepository

from ui_kit import (
    FIXED_MS,
    OTHER_DEVICE,
    case_uuid,
    drive,
    seed_sample,
    settle,
    table_cells,
    table_rows,
)

WITHIN_SECONDS = 2.0


def _other_device(world) -> CaseRepository:
    """The same cases folder as another device (a minute ahead, as a phone's clock may be)."""
    return CaseRepository(world.paths, OTHER_DEVICE, HybridClock(lambda: FIXED_MS + 60_000),
                          world.repo.today)


async def _until(pilot, seen, seconds: float = WITHIN_SECONDS) -> float:
    """Pause until ``seen()`` is true; how long it took (fails after ``seconds``)."""
    start = time.monotonic()
    while not seen():
        assert time.monotonic() - start < seconds, f"not seen within {seconds} s"
        await pilot.pause(0.05)
    return time.monotonic() - start


def _section(overview, key: str) -> str:
    """A section of the overview as text; "" while its rows are being mounted anew."""
    try:
        return overview.section_text(key)
    except ValueError:  # a row whose label and value are not mounted yet
        return ""


def test_an_edit_from_another_device_shows_while_a_form_is_typed_in(make_app, world):
    ids = seed_sample(world)
    knee = ids["knee"]
    app = make_app()

    async def steps(pilot):
        await pilot.press("down", "down", "enter")
        await settle(pilot)
        case_screen = app.screen
        assert case_screen.case_id == knee
        await pilot.press("e")  # the case form: title, patient, condition, ...
        await settle(pilot)
        form = app.screen
        assert type(form).__name__ == "ItemFormScreen"
        await pilot.press("end", *" (left)")
        assert form.raw("title") == "Mum - knee surgery (left)"

        other = _other_device(world)
        theirs = other.open(knee)
        other.update(theirs, "case", knee, {"patient": "Ada", "insurance_plan": "Acme Gold"})
        other.close()

        overview = case_screen.query_one("#overview")
        await _until(pilot, lambda: "Acme Gold" in _section(overview, "insurance"))
        await pilot.pause()
        assert "Ada" in overview.section_text("case")
        # the form is untouched: still in front, what was typed still there, focus kept
        assert app.screen is form
        assert form.raw("title") == "Mum - knee surgery (left)"
        assert form.raw("patient") == "Mum"  # as it was when the form opened
        assert app.focused is form.query_one("#f-title")
        await pilot.press(*" knee")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is case_screen
        assert "Mum - knee surgery (left) knee" in overview.section_text("case")
        assert "Ada" in overview.section_text("case")

    drive(app, steps)
    case = world.repo.open(knee).case
    assert case.title == "Mum - knee surgery (left) knee"
    assert case.info.patient == "Ada"  # their edit, not the form's old value
    assert case.info.insurance_plan == "Acme Gold"
    assert not case.conflicts


def test_a_list_pane_keeps_its_cursor_when_another_device_adds_an_item(make_app, world):
    ids = seed_sample(world)
    knee = ids["knee"]
    app = make_app()

    async def steps(pilot):
        await pilot.press("down", "down", "enter")
        await settle(pilot)
        await pilot.press("2")  # checklist
        await settle(pilot)
        pane = app.screen.query_one("#checklist")
        await pilot.press("down")
        highlighted = pane.highlighted_id
        assert highlighted == case_uuid(502)

        other = _other_device(world)
        theirs = other.open(knee)
        other.add(theirs, "checklist", {"text": "Ask about physiotherapy",
                                        "phase": "preparing", "order": 3})
        other.close()

        await _until(pilot, lambda: any(
            "Ask about physiotherapy" in str(pane.table.get_row_at(r)[2])
            for r in range(pane.table.row_count)))
        assert pane.highlighted_id == highlighted
        assert app.screen.pane == "checklist"

    drive(app, steps)


def test_the_list_shows_a_case_another_device_wrote_meanwhile(make_app, world, monkeypatch):
    from secondview.ui.screens import home_screen

    monkeypatch.setattr(home_screen, "REFRESH_SECONDS", 0.5)
    seed_sample(world)
    app = make_app()

    async def steps(pilot):
        other = _other_device(world)
        other.create({"title": "Gran - cataract", "condition": "cataract"})
        other.close()
        await _until(pilot, lambda: any("Gran - cataract" in r[0] for r in table_rows(app)),
                     seconds=3.0)
        row = next(r for r in table_cells(app) if "Gran - cataract" in r["title"])
        assert row["condition"] == "cataract" and row["by"] == "phone"

    drive(app, steps, size=(160, 40))


def test_the_list_catches_up_on_return_from_a_case(make_app, world):
    ids = seed_sample(world)
    app = make_app()

    async def steps(pilot):
        await pilot.press("enter")  # Thyroid nodule
        await settle(pilot)
        other = _other_device(world)
        theirs = other.open(ids["chest"])
        other.update(theirs, "case", ids["chest"], {"condition": "unstable angina"})
        other.close()
        await pilot.press("escape")
        await settle(pilot)
        row = next(r for r in table_cells(app) if "Dad - chest pain" in r["title"])
        assert row["condition"] == "unstable angina"
        assert row["by"] == "phone"

    drive(app, steps, size=(180, 40))  # the list with its Decision column
