"""The case list: first run, rows, filtering, archived cases, unreadable files."""

from __future__ import annotations

import json

from ui_kit import (
    Notes,
    case_uuid,
    drive,
    screen_lines,
    screen_text,
    seed_case,
    seed_sample,
    settle,
    table_rows,
)


def test_first_run_shows_the_welcome_with_the_cases_folder(make_app, world):
    app = make_app()

    async def steps(pilot):
        assert app.screen.query_one("#empty").display
        assert not app.screen.query_one("#cases").display
        shown = screen_text(app)
        assert "Welcome to secondview" in shown
        assert "Press n to start your first case" in shown
        assert "secondview --demo" in shown
        assert str(world.paths.cases_dir) in shown
        assert "get care now" in shown

    drive(app, steps)
    assert world.case_ids() == []  # looking writes nothing


def test_list_shows_each_case_with_its_columns(make_app, world):
    ids = seed_sample(world)
    app = make_app()

    async def steps(pilot):
        rows = table_rows(app)
        titles = [r[0].strip() for r in rows]
        # most recently changed first; the archived case is hidden
        assert [t.lstrip("‼! ") for t in titles] == [
            "Thyroid nodule", "Dad - chest pain", "Mum - knee surgery"]
        assert not any("Old shoulder" in t for t in titles)
        knee = rows[2]
        assert knee[0].startswith("! ")  # soon
        assert knee[1] == "osteoarthritis"
        assert knee[2] == "Preparing"
        assert knee[3].startswith("Find a second surgeon")
        assert knee[4] == "1/2"  # records confirmed / total
        assert knee[5] == "1"  # open questions
        assert knee[7] == "today 10:30"
        assert knee[8] == "kitchen-laptop"
        chest = rows[1]
        assert chest[0].startswith("‼ ")  # emergency: a symbol, not colour alone
        assert chest[3].startswith("Emergency: get care now")
        assert app.screen.query_one("#cases").has_focus
        assert "3 cases" in screen_lines(app)[0]

    drive(app, steps, size=(180, 40))
    assert ids["old"] in world.case_ids()


def test_conflicts_are_marked_in_the_list(make_app, world):
    from ui_kit import FIXED_MS, OTHER_DEVICE

    from secondview.core.replica import HybridClock
    from secondview.store.repository import CaseRepository

    seed_case(world, case_uuid(7), {"title": "Shared case"})
    opened = world.repo.open(case_uuid(7))
    a_minute_later = HybridClock(lambda: FIXED_MS + 60_000)
    other = CaseRepository(world.paths, OTHER_DEVICE, a_minute_later, world.repo.today)
    theirs = other.open(case_uuid(7))
    world.repo.update(opened, "case", case_uuid(7), {"condition": "one"})
    other.update(theirs, "case", case_uuid(7), {"condition": "two"})
    other.close()
    app = make_app()

    async def steps(pilot):
        row = table_rows(app)[0]
        assert row[6] == "≠1"
        assert row[8] == "phone"  # the last change came from the other device
        await pilot.press("enter")
        await settle(pilot)
        where = app.screen.query_one("#overview").section_text("progress")
        assert "Conflicting edits  ≠ 1 to settle between devices" in where
        assert "Settle the edits that conflict" in screen_text(app)

    drive(app, steps, size=(160, 40))


def test_slash_filters_as_you_type_and_escape_clears(make_app, world):
    seed_sample(world)
    app = make_app()

    async def steps(pilot):
        await pilot.press("slash")
        assert app.screen.query_one("#filter").has_focus
        await pilot.press("k", "n", "e")
        await pilot.pause()
        assert [r[0].strip(" !") for r in table_rows(app)] == ["Mum - knee surgery"]
        assert "1 of 3 cases" in screen_lines(app)[0]
        await pilot.press("backspace", "backspace", "backspace", *"ANGINA")  # condition
        await pilot.pause()
        assert [r[0].strip(" ‼") for r in table_rows(app)] == ["Dad - chest pain"]
        await pilot.press("x", "y", "z")
        await pilot.pause()
        assert table_rows(app) == []
        assert "No case matches anginaxyz" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert len(table_rows(app)) == 3
        assert not app.screen.query_one("#filter").display
        assert app.screen.query_one("#cases").has_focus

    drive(app, steps)


def test_enter_in_the_filter_goes_to_the_rows_keeping_the_filter(make_app, world):
    seed_sample(world)
    app = make_app()

    async def steps(pilot):
        await pilot.press("slash", *"thyroid", "enter")
        await pilot.pause()
        assert app.screen.query_one("#cases").has_focus
        await pilot.press("enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "CaseScreen"
        assert "Thyroid nodule" in screen_text(app)

    drive(app, steps)


def test_refresh_picks_up_cases_written_meanwhile_and_keeps_the_cursor(make_app, world):
    seed_sample(world)
    app = make_app()

    async def steps(pilot):
        table = app.screen.query_one("#cases")
        await pilot.press("down", "down")
        highlighted = table.current_id()
        # another device's case arrives while the app runs
        seed_case(world, case_uuid(9), {"title": "Arrived by sync"}, index=False)
        app.screen.request_refresh()
        await settle(pilot)
        titles = [r[0] for r in table_rows(app)]
        assert any("Arrived by sync" in t for t in titles)
        assert table.current_id() == highlighted

    drive(app, steps)


def test_an_unreadable_case_is_named_and_the_others_still_list(make_app, world, monkeypatch):
    seed_case(world, case_uuid(1), {"title": "Good case"})
    broken = world.paths.cases_dir / case_uuid(2)
    broken.mkdir(mode=0o700)
    bad_file = broken / "deadbeef0000.json"
    bad_file.write_text('{"format": "1.0", "tables": {"case": ')  # cut off mid-sync
    app = make_app()
    notes = Notes(app, monkeypatch)

    async def steps(pilot):
        await settle(pilot)
        titles = [r[0] for r in table_rows(app)]
        assert any("Good case" in t for t in titles)
        broken_row = next(r for r in table_rows(app) if r[0].startswith("⚠"))
        assert broken_row[2] == "cannot be read"
        warnings = [m for m in notes.messages if m.get("severity") == "warning"]
        assert len(warnings) == 1  # one clear message
        assert str(bad_file) in warnings[0]["message"]
        assert warnings[0]["markup"] is False
        # opening it explains instead of failing
        await pilot.press(*["down"] * titles.index(next(t for t in titles if t.startswith("⚠"))))
        await pilot.press("enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "HomeScreen"
        assert "could not be opened" in notes.text()
        assert "deadbeef0000.json" in notes.text()
        assert app.is_running

    drive(app, steps)
    assert bad_file.read_text() == '{"format": "1.0", "tables": {"case": '  # left untouched


def test_list_fits_80_columns(make_app, world):
    seed_sample(world)
    app = make_app()

    async def steps(pilot):
        lines = screen_lines(app)
        assert all(len(line) <= 80 for line in lines)
        assert "Title" in lines[1] and "Next step" in lines[1] and "Last change" in lines[1]
        assert any("Mum - knee surgery" in line for line in lines)

    drive(app, steps, size=(80, 24))


def test_index_file_is_the_only_read_for_first_paint(make_app, world, monkeypatch):
    """The first paint comes from the index: rows are there before the refresh worker runs."""
    seed_sample(world)
    app = make_app()
    started = []
    original = world.repo.refresh

    def slow_refresh():
        started.append(True)
        return original()

    monkeypatch.setattr(world.repo, "refresh", slow_refresh)

    async def steps(pilot):
        assert len(table_rows(app)) == 3
        assert started == [True]  # the refresh ran too, in its worker

    drive(app, steps)
    assert json.loads((world.paths.cases_dir / case_uuid(1) / "a1b2c3d4e5f6.json").read_text())


def test_a_failing_refresh_is_a_message_not_a_crash(make_app, world, monkeypatch):
    seed_sample(world)

    def refuse():
        raise PermissionError(13, "Permission denied", str(world.paths.cases_dir))

    monkeypatch.setattr(world.repo, "refresh", refuse)
    app = make_app()
    notes = Notes(app, monkeypatch)

    async def steps(pilot):
        await settle(pilot)
        assert app.is_running
        assert len(table_rows(app)) == 3  # what the index knew is still listed
        assert "could not be brought up to date" in notes.text()
        assert "Permission denied" in notes.text()

    drive(app, steps)
