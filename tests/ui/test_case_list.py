"""The case list: first run, rows, filtering, archived cases, unreadable files."""

from __future__ import annotations

import json
from pathlib import Path

from ui_kit import (
    Notes,
    case_uuid,
    drive,
    screen_lines,
    screen_text,
    seed_case,
    seed_sample,
    settle,
    static_text,
    table_cells,
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
        # the folder is named in full (on screen it may wrap: pytest's tmp paths are long)
        welcome = " ".join(str(w.content) for w in app.screen.query("#empty Static"))
        assert str(world.paths.cases_dir) in welcome
        assert str(world.paths.cases_dir)[:30] in shown
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
        knee = table_cells(app)[2]
        assert knee["title"].startswith("! ")  # soon
        assert knee["condition"] == "osteoarthritis"
        assert knee["phase"] == "Preparing"
        assert knee["next"].startswith("Find a second surgeon")
        assert knee["records"] == "1/2"  # records confirmed / total
        assert knee["questions"] == "1"  # open questions
        assert knee["changed"] == "today 10:30"
        assert knee["by"] == "kitchen-laptop"
        chest = table_cells(app)[1]
        assert chest["title"].startswith("‼ ")  # emergency: a symbol, not colour alone
        assert chest["next"].startswith("Emergency: get care now")
        assert app.screen.query_one("#cases").has_focus
        assert "3 cases" in screen_lines(app)[0]

    drive(app, steps, size=(180, 40))
    assert ids["old"] in world.case_ids()


def test_conflicts_are_marked_in_the_list(make_app, world):
    from secondview.core.replica import HybridClock
    from secondview.store.repository import CaseRepository

    from ui_kit import FIXED_MS, OTHER_DEVICE

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
        row = table_cells(app)[0]
        assert row["conflicts"] == "≠1"
        assert row["by"] == "phone"  # the last change came from the other device
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
        assert "No case matches ANGINAxyz" in screen_text(app)  # as typed
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

    def slow_refresh(progress=None):
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

    def refuse(progress=None):
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


# -- sorting -----------------------------------------------------------------------------------


def _titles(app):
    return [r[0].strip(" !‼") for r in table_rows(app)]


def _header(app):
    return screen_lines(app)[1]


def test_digits_sort_by_that_column_and_again_reverse(make_app, world):
    seed_sample(world)
    app = make_app()

    async def steps(pilot):
        table = app.screen.query_one("#cases")
        assert _titles(app) == ["Thyroid nodule", "Dad - chest pain", "Mum - knee surgery"]
        assert "Last change▼" in _header(app)  # newest first to start with
        await pilot.press("down")  # Dad
        await pilot.press("1")
        await pilot.pause()
        assert _titles(app) == ["Dad - chest pain", "Mum - knee surgery", "Thyroid nodule"]
        assert "Title▲" in _header(app) and "Last change▼" not in _header(app)
        assert table.current_id() == case_uuid(2)  # the cursor stayed on the same case
        await pilot.press("1")
        await pilot.pause()
        assert _titles(app) == ["Thyroid nodule", "Mum - knee surgery", "Dad - chest pain"]
        assert "Title▼" in _header(app)
        await pilot.press("8")  # records (after the overdue, visit and for-me columns)
        await pilot.pause()
        assert _titles(app)[0] == "Mum - knee surgery"  # the most confirmed first
        assert "Records▼" in _header(app)
        await pilot.press("3")  # phase, in the order of the phases
        await pilot.pause()
        assert _titles(app)[-1] == "Mum - knee surgery"  # preparing comes after deciding
        await pilot.press("9")  # the ninth column at this width is the open questions
        await pilot.pause()
        assert "Open Q▼" in _header(app)
        assert table.current_id() == case_uuid(2)

    drive(app, steps, size=(160, 40))


def test_s_cycles_the_sort_column_and_r_reverses(make_app, world):
    seed_sample(world)
    app = make_app()

    async def steps(pilot):
        await pilot.press("s")  # after the last column (last change) comes the device
        await pilot.pause()
        assert "Device▲" in _header(app)
        await pilot.press("s")  # then the decision (the list is wide enough to show it)
        await pilot.pause()
        assert "Decision▲" in _header(app)
        await pilot.press("s", "s", "s")  # the urgency (the title's mark), title, condition
        await pilot.pause()
        assert "Condition▲" in _header(app)
        assert _titles(app) == ["Dad - chest pain", "Thyroid nodule", "Mum - knee surgery"]
        await pilot.press("r")
        await pilot.pause()
        assert "Condition▼" in _header(app)
        assert _titles(app) == ["Mum - knee surgery", "Thyroid nodule", "Dad - chest pain"]
        # the filter keeps the order
        await pilot.press("slash", *"u")
        await pilot.pause()
        assert _titles(app) == ["Mum - knee surgery", "Thyroid nodule"]

    drive(app, steps, size=(160, 40))


def test_a_click_on_a_column_name_sorts_by_it(make_app, world):
    seed_sample(world)
    app = make_app()

    async def steps(pilot):
        table = app.screen.query_one("#cases")
        highlighted = table.current_id()
        x = _header(app).index("Condition")
        await pilot.click("#cases", offset=(x + 2, 0))
        await pilot.pause()
        assert "Condition▲" in _header(app)
        assert _titles(app)[0] == "Dad - chest pain"
        await pilot.click("#cases", offset=(x + 2, 0))
        await pilot.pause()
        assert "Condition▼" in _header(app)
        assert _titles(app)[0] == "Mum - knee surgery"
        assert table.current_id() == highlighted  # the same case, wherever it moved

    drive(app, steps, size=(160, 40))


# -- archiving ---------------------------------------------------------------------------------


def _archived_on_disk(world, case_id):
    return world.repo.open(case_id).case.archived


def test_delete_asks_then_archives_and_ctrl_z_brings_the_case_back(make_app, world):
    ids = seed_sample(world)
    app = make_app()

    async def steps(pilot):
        table = app.screen.query_one("#cases")
        await pilot.press("down")  # Dad - chest pain
        assert table.current_id() == ids["chest"]
        await pilot.press("delete")
        await pilot.pause()
        assert type(app.screen).__name__ == "ConfirmScreen"
        assert "Archive 'Dad - chest pain'?" in screen_text(app)
        await pilot.press("n")  # no: nothing happens
        await settle(pilot)
        assert type(app.screen).__name__ == "HomeScreen"
        assert not _archived_on_disk(world, ids["chest"])
        assert len(table_rows(app)) == 3
        await pilot.press("delete")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        assert _archived_on_disk(world, ids["chest"])
        assert _titles(app) == ["Thyroid nodule", "Mum - knee surgery"]
        assert table.current_id() == ids["knee"]  # the cursor moved on to the next case
        assert "2 cases" in screen_lines(app)[0]
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert not _archived_on_disk(world, ids["chest"])
        assert "Dad - chest pain" in _titles(app)
        assert table.current_id() == ids["chest"]
        await pilot.press("ctrl+z")  # nothing more to undo
        await settle(pilot)
        assert not _archived_on_disk(world, ids["chest"])

    drive(app, steps)


def test_a_shows_archived_cases_and_delete_restores_one(make_app, world, monkeypatch):
    ids = seed_sample(world)
    app = make_app()
    notes = Notes(app, monkeypatch)

    async def steps(pilot):
        table = app.screen.query_one("#cases")
        assert "Show archived" in screen_lines(app)[-1]
        await pilot.press("a")
        await pilot.pause()
        rows = table_rows(app)
        assert len(rows) == 4
        old = next(r for r in rows if "Old shoulder" in r[0])
        assert old[2] == "Archived"  # in the phase column
        assert "3 cases and 1 archived" in screen_lines(app)[0]
        assert "Hide archived" in screen_lines(app)[-1]
        await pilot.press("end")
        assert table.current_id() == ids["old"]
        await pilot.press("delete")  # an archived case is restored, no question asked
        await settle(pilot)
        assert type(app.screen).__name__ == "HomeScreen"
        assert not _archived_on_disk(world, ids["old"])
        assert "Restored 'Old shoulder'" in notes.text()
        await pilot.press("a")  # hidden again: the restored case stays listed
        await pilot.pause()
        assert "Old shoulder" in _titles(app)
        assert len(table_rows(app)) == 4
        await pilot.press("ctrl+z")  # undo the restore: archived again, so hidden
        await settle(pilot)
        assert _archived_on_disk(world, ids["old"])
        assert "Old shoulder" not in _titles(app)

    drive(app, steps)


def test_when_every_case_is_archived_the_list_says_how_to_see_them(make_app, world):
    seed_case(world, case_uuid(5), {"title": "Done and dusted", "archived": True})
    app = make_app()

    async def steps(pilot):
        shown = screen_text(app)
        assert "The one case is archived. Press a to show archived cases" in shown
        assert "Welcome to secondview" not in shown
        await pilot.press("a")
        await pilot.pause()
        assert _titles(app) == ["Done and dusted"]
        assert table_rows(app)[0][2] == "Archived"

    drive(app, steps)


def test_archiving_a_read_only_case_says_why_and_changes_nothing(make_app, world, monkeypatch):
    from secondview.store.repository import ReadOnlyCase

    ids = seed_sample(world)

    def refuse(opened, archived):
        raise ReadOnlyCase("this case is read-only: it comes from a newer secondview")

    monkeypatch.setattr(world.repo, "set_archived", refuse)
    app = make_app()
    notes = Notes(app, monkeypatch)

    async def steps(pilot):
        await pilot.press("delete", "y")
        await settle(pilot)
        assert app.is_running
        assert "The case was not archived" in notes.text()
        assert "newer secondview" in notes.text()
        assert len(table_rows(app)) == 3

    drive(app, steps)
    assert not _archived_on_disk(world, ids["thyroid"])


# -- other devices -----------------------------------------------------------------------------


def test_a_case_another_device_writes_appears_while_the_list_is_shown(make_app, world,
                                                                      monkeypatch):

    from secondview.store.repository import CaseRepository
    from secondview.ui.screens import home_screen

    from ui_kit import OTHER_DEVICE

    monkeypatch.setattr(home_screen, "REFRESH_SECONDS", 0.5)
    seed_sample(world)
    app = make_app()

    async def steps(pilot):
        table = app.screen.query_one("#cases")
        await pilot.press("down")
        highlighted = table.current_id()
        other = CaseRepository(world.paths, OTHER_DEVICE, today=world.repo.today)
        other.create({"title": "Written on the phone"})
        other.close()
        for _ in range(100):  # at most 10 seconds (the budget, 2 s, is measured in bench/)
            await pilot.pause(0.1)
            if any("Written on the phone" in r[0] for r in table_rows(app)):
                break
        row = next(r for r in table_cells(app) if "Written on the phone" in r["title"])
        assert row["by"] == "phone"
        assert table.current_id() == highlighted
        assert "4 cases" in screen_lines(app)[0]

    drive(app, steps, size=(160, 40))


def test_polling_tells_about_a_problem_once(make_app, world, monkeypatch):
    from secondview.store.repository import Problem
    from secondview.ui.screens import home_screen

    monkeypatch.setattr(home_screen, "REFRESH_SECONDS", 0.2)
    seed_sample(world)
    problem = Problem(world.paths.cases_dir / case_uuid(8), "cannot be listed", None,
                      case_uuid(8))
    calls = []

    def refresh(progress=None):
        calls.append(True)
        return [problem]

    monkeypatch.setattr(world.repo, "refresh", refresh)
    app = make_app()
    notes = Notes(app, monkeypatch)

    async def steps(pilot):
        for _ in range(20):
            await pilot.pause(0.1)
            if len(calls) >= 3:
                break
        assert len(calls) >= 3  # the poll ran again and again
        told = [m for m in notes.messages if "cannot be listed" in m["message"]]
        assert len(told) == 1

    drive(app, steps)


def test_help_lists_the_keys_of_the_list(make_app, world):
    seed_sample(world)
    app = make_app()

    async def steps(pilot):
        await pilot.press("f1")
        await pilot.pause()
        shown = screen_text(app)
        assert "Help: The case list" in shown
        for line in ("s        Sort", "r        Reverse", "a        Show archived",
                     "delete   Archive", "ctrl+z   Undo",
                     "1-9      Sort by the column of that number (again: reverse)"):
            assert line in shown, line
        assert "ctrl+z brings it back" in shown
        await pilot.press("escape", "a", "f1")  # the other half of the toggle is offered
        await pilot.pause()
        assert "a        Hide archived" in screen_text(app)
        await pilot.press("escape", "delete", "f1")  # help over the question, too
        await pilot.pause()
        assert "Help: A question" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert type(app.screen).__name__ == "ConfirmScreen"

    drive(app, steps)


def test_a_slow_check_of_the_folder_is_repeated_less_often(make_app, world, monkeypatch):
    import time

    from secondview.ui.screens import home_screen

    monkeypatch.setattr(home_screen, "REFRESH_SECONDS", 0.1)
    seed_sample(world)
    calls = []

    def slow_refresh(progress=None):  # as with a great many cases
        calls.append(time.monotonic())
        time.sleep(0.1)
        return []

    monkeypatch.setattr(world.repo, "refresh", slow_refresh)
    app = make_app()

    async def steps(pilot):
        await pilot.pause(1.5)
        assert len(calls) == 1  # the next check waits 20 times as long as this one took
        assert len(table_rows(app)) == 3

    drive(app, steps)


def test_a_first_start_on_a_full_folder_says_how_far_reading_has_come(make_app, world,
                                                                     monkeypatch):
    # A new device whose sync tool brought cases it has never read: no index yet, so every
    # case file is read. The list says how far it has come (never the first-run welcome)
    # and shows the cases read so far.
    import asyncio
    import time as _time

    from secondview.ui.screens import home_screen

    ids = seed_sample(world)
    world.repo.close()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{world.paths.index_file}{suffix}").unlink(missing_ok=True)
    monkeypatch.setattr(home_screen, "READING_SECONDS", 0.0)
    opened = world.repo.open

    def slow_open(case_id, *args, **kwargs):
        _time.sleep(0.3)  # a big folder on a slow disk
        return opened(case_id, *args, **kwargs)

    monkeypatch.setattr(world.repo, "open", slow_open)
    app = make_app()

    async def steps(pilot):
        seen_reading = seen_partial = False
        for _ in range(60):
            await pilot.pause(0.05)
            text = screen_text(app)
            assert "Press n to start your first case" not in text
            if "Reading the cases folder:" in text and "cases read" in text:
                seen_reading = True
            if "reading " in screen_lines(app)[0] and table_rows(app):
                seen_partial = True
            # rows arriving do not drag the cursor along with the first case read
            assert app.screen.query_one("#cases").cursor_row == 0
            if len(table_rows(app)) == 3 and "reading" not in screen_lines(app)[0]:
                break
        assert seen_reading and seen_partial
        assert len(table_rows(app)) == 3  # the three cases not archived
        assert "Reading the cases folder" not in screen_text(app)
        return ids

    async def main():  # not drive(): it waits for the reading to end before the steps
        async with app.run_test(size=(120, 40)) as pilot:
            return await steps(pilot)

    asyncio.run(main())


def test_a_cache_folder_that_cannot_be_written_is_said_and_the_list_still_works(
    make_app, world, monkeypatch
):
    """The index is a cache: with its folder unwritable the list is read from the cases, an
    edit saves, and a notification says why listing is slower."""
    import os
    import shutil
    import subprocess

    import pytest

    seed_sample(world)
    world.repo.close()
    cache = world.paths.cache_dir
    frozen = [cache, *cache.iterdir()]
    if os.geteuid() == 0:
        if shutil.which("chattr") is None:
            pytest.skip("root without chattr: no way to make the cache unwritable")
        subprocess.run(["chattr", "+i", *map(str, frozen)], check=True)
    else:
        for path in frozen:
            path.chmod(0o500 if path.is_dir() else 0o400)
    try:
        app = make_app()
        notes = Notes(app, monkeypatch)

        async def steps(pilot):
            await settle(pilot)
            assert len(table_rows(app)) == 3
            assert "cannot be written" in notes.text() and "index" in notes.text()

        drive(app, steps)
    finally:
        if os.geteuid() == 0:
            subprocess.run(["chattr", "-i", *map(str, frozen)], check=True)
        else:
            for path in frozen:
                path.chmod(0o700 if path.is_dir() else 0o600)


def test_the_title_counts_every_case_from_the_first_frame(make_app, world, monkeypatch):
    """The first frame holds a screenful of rows; its title already counts them all."""
    import asyncio
    import threading

    for n in range(60):
        seed_case(world, case_uuid(900 + n), {"title": f"Case {n:02d}"}, index=False)
    world.repo.refresh()
    original = world.repo.indexed
    release = threading.Event()

    def indexed(limit=None):
        if limit is None:  # the rest of the list, after the first frame: held back here
            release.wait(10)
        return original(limit)

    monkeypatch.setattr(world.repo, "indexed", indexed)
    app = make_app()

    async def main():
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            assert app.screen.table.row_count < 60  # one screenful so far
            assert "60 cases" in static_text(app, "#home-title")
            release.set()
            await settle(pilot)
            assert app.screen.table.row_count == 60
            assert "60 cases" in static_text(app, "#home-title")

    asyncio.run(main())
