"""Conflicts in the workspace: two devices wrote one field at once (or one deleted an item the
other edited). The tab, the header and the form say so; c opens the conflict screen listing
every value with its device; picking one, writing a merged text, keeping or deleting is saved
on disk and settles it for the other device too."""

from __future__ import annotations

from secondview.core.replica import HybridClock
from secondview.store.repository import CaseRepository

from ui_kit import FIXED_MS, OTHER_DEVICE, case_uuid, drive, screen_text, seed_case, settle

CASE = case_uuid(1)
RECORD = case_uuid(201)


def other_repo(world) -> CaseRepository:
    """The same cases folder as another device ("phone"), its clock a minute ahead."""
    return CaseRepository(world.paths, OTHER_DEVICE, HybridClock(lambda: FIXED_MS + 60_000),
                          world.repo.today)


def seed(world) -> None:
    seed_case(world, CASE, {"title": "Mum - knee", "condition": "osteoarthritis"},
              [("records", RECORD, {"title": "MRI report", "kind": "imaging_report"})])


def make_conflict(world, table="records", doc_id=RECORD, field="title",
                  mine="MRI report (knee)", theirs="MRI of the left knee") -> None:
    """This device and the phone write ``field`` from the same version."""
    other = other_repo(world)
    on_phone = other.open(CASE)
    here = world.repo.open(CASE)
    world.repo.update(here, table, doc_id, {field: mine})
    other.update(on_phone, table, doc_id, {field: theirs})
    other.close()
    assert world.repo.open(CASE).case.conflicts == ((table, doc_id, field),)


def make_race(world) -> None:
    """The phone deletes the record while this device edits it."""
    other = other_repo(world)
    on_phone = other.open(CASE)
    here = world.repo.open(CASE)
    world.repo.update(here, "records", RECORD, {"title": "MRI report, both pages"})
    other.delete(on_phone, "records", RECORD)
    other.close()
    assert world.repo.open(CASE).case.races == (("records", RECORD),)


async def open_case(pilot) -> None:
    await pilot.press("enter")
    await settle(pilot)
    assert type(pilot.app.screen).__name__ == "CaseScreen"


def test_no_conflict_no_badge_and_no_c_key(make_app, world):
    seed(world)
    app = make_app()

    async def steps(pilot):
        await open_case(pilot)
        text = screen_text(app)
        assert "\u2260" not in text and "to settle" not in text
        assert app.screen.check_action("conflicts", ()) is False
        assert "Settle conflicts" not in screen_text(app)
        await pilot.press("c")
        await settle(pilot)
        assert type(app.screen).__name__ == "CaseScreen"

    drive(app, steps)


def test_badges_then_pick_a_value_settles_for_the_other_device(make_app, world):
    seed(world)
    make_conflict(world)
    app = make_app()

    async def steps(pilot):
        await open_case(pilot)
        text = screen_text(app)
        assert "3 Records \u22601" in text
        assert "\u2260 1 edit to settle: press c" in text
        assert "2 Checklist \u2260" not in text
        assert "c Settle conflicts" in text
        await pilot.press("c")
        await settle(pilot)
        assert type(app.screen).__name__ == "ConflictScreen"
        text = screen_text(app)
        assert "Records: MRI" in text and "Title" in text
        assert "MRI of the left knee" in text and "MRI report (knee)" in text
        assert "phone, 2026-09-14 10:31" in text  # the latest first, with its device
        assert "kitchen-laptop, 2026-09-14 10:30" in text
        await pilot.press("2")  # the second value: this device's
        await settle(pilot)
        assert type(app.screen).__name__ == "CaseScreen"
        assert "to settle" not in screen_text(app)
        assert "\u2260" not in screen_text(app)

    drive(app, steps)
    on_disk = world.repo.open(CASE)
    register = on_disk.state.register("records", RECORD, "title")
    assert [e["v"] for e in register] == ["MRI report (knee)"]
    other = other_repo(world)
    seen = other.open(CASE)
    assert seen.case.conflicts == ()
    assert seen.case.find(RECORD).title == "MRI report (knee)"
    other.close()


def test_a_merged_text(make_app, world):
    seed(world)
    make_conflict(world)
    app = make_app()

    async def steps(pilot):
        await open_case(pilot)
        await pilot.press("c")
        await settle(pilot)
        await pilot.press("m")
        await settle(pilot)
        area = app.screen.query_one("#merge-text")
        assert area.text == "MRI of the left knee\n\nMRI report (knee)"
        area.load_text("")
        await pilot.press(*"MRI, left knee")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert type(app.screen).__name__ == "CaseScreen"

    drive(app, steps)
    other = other_repo(world)
    seen = other.open(CASE)
    assert seen.case.conflicts == ()
    assert [e["v"] for e in seen.state.register("records", RECORD, "title")] == [
        "MRI, left knee"]
    other.close()


def test_an_edit_raced_a_deletion_keep(make_app, world):
    seed(world)
    make_race(world)
    app = make_app()

    async def steps(pilot):
        await open_case(pilot)
        assert "3 Records \u22601" in screen_text(app)
        await pilot.press("c")
        await settle(pilot)
        assert "deleted on one device while edited on another" in screen_text(app)
        await pilot.press("k")
        await settle(pilot)
        assert type(app.screen).__name__ == "CaseScreen"

    drive(app, steps)
    other = other_repo(world)
    seen = other.open(CASE)
    assert seen.case.races == ()
    assert seen.case.find(RECORD).title == "MRI report, both pages"
    other.close()


def test_an_edit_raced_a_deletion_delete(make_app, world):
    seed(world)
    make_race(world)
    app = make_app()

    async def steps(pilot):
        await open_case(pilot)
        await pilot.press("c")
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        assert type(app.screen).__name__ == "CaseScreen"
        assert "\u2260" not in screen_text(app)

    drive(app, steps)
    other = other_repo(world)
    seen = other.open(CASE)
    assert seen.case.races == ()
    assert all(r.id != RECORD for r in seen.case.records)
    other.close()


def test_the_form_shows_the_other_value_under_the_field(make_app, world):
    seed(world)
    make_conflict(world, "case", CASE, "condition", "knee osteoarthritis", "OA, right knee")
    app = make_app()

    async def steps(pilot):
        await open_case(pilot)
        assert "1 Overview \u22601" in screen_text(app)
        app.screen.open_form("case", CASE, title="the case")
        await settle(pilot)
        assert type(app.screen).__name__ == "ItemFormScreen"
        text = screen_text(app)
        # the phone wrote last, so its value shows in the box; ours is the badge
        assert "\u2260 another device wrote: knee osteoarthritis" in text
        assert "another device wrote: OA, right knee" not in text

    drive(app, steps)


def test_c_with_nothing_to_settle_says_so(make_app, world, monkeypatch):
    # issue 14: c with no conflicts did nothing and said nothing
    from ui_kit import Notes

    seed(world)
    app = make_app()
    notes = Notes(app, monkeypatch)

    async def steps(pilot):
        await open_case(pilot)
        for pane in ("1", "6", "7"):
            await pilot.press(pane)
            await settle(pilot)
            notes.messages.clear()
            await pilot.press("c")
            await settle(pilot)
            assert type(app.screen).__name__ == "CaseScreen"
            assert "Nothing to settle" in notes.text()
        assert "Settle conflicts" not in screen_text(app)  # the footer still leaves it out

    drive(app, steps)
