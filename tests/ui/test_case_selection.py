"""Many cases at once in the case list: space selects (a mark in the row, the count in the
title), ctrl+a selects every case shown, escape clears; delete archives (or restores) the
selection in one step after one question, and one ctrl+z takes the whole step back. What is
archived is read back from the replicas on disk, not from the screen."""

from __future__ import annotations

from secondview.ui.widgets.case_table import SELECTED_MARK

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

MIGRAINE = case_uuid(6)


def _archived_on_disk(world, case_id):
    return world.repo.open(case_id).case.archived


def _titles(app):
    return [r[0].strip(" !‼") for r in table_rows(app)]


def _marked_titles(app):
    """The titles of the rows drawn with the selection mark (read from the screen)."""
    return sorted(line.split(SELECTED_MARK, 1)[1].strip(" !‼").split("  ")[0]
                  for line in screen_lines(app) if SELECTED_MARK in line)


async def _go_to(pilot, case_id):
    table = pilot.app.screen.query_one("#cases")
    await pilot.press("home")
    while table.current_id() != case_id:
        before = table.cursor_row
        await pilot.press("down")
        assert table.cursor_row != before, f"{case_id} is not in the list"


def _world(world):
    ids = seed_sample(world)
    seed_case(world, MIGRAINE, {"title": "Sister - migraine", "condition": "migraine"})
    return ids


def test_three_selected_one_with_a_filter_archive_in_one_step_and_one_undo(make_app, world):
    ids = _world(world)
    app = make_app()

    async def steps(pilot):
        table = app.screen.query_one("#cases")
        await _go_to(pilot, MIGRAINE)
        await pilot.press("space")
        assert "1 selected" in screen_lines(app)[0]
        await pilot.press("slash", *"knee", "enter")  # a filter on: select what it shows
        await pilot.pause()
        assert _titles(app) == ["Mum - knee surgery"]
        await pilot.press("space")
        await pilot.press("escape")  # the filter goes, the selection stays
        await pilot.pause()
        assert len(table_rows(app)) == 4
        assert "2 selected" in screen_lines(app)[0]
        await _go_to(pilot, ids["chest"])
        await pilot.press("space")
        await pilot.pause()
        assert "3 selected" in screen_lines(app)[0]
        assert _marked_titles(app) == ["Dad - chest pain", "Mum - knee surgery",
                                       "Sister - migraine"]
        await pilot.press("delete")
        await pilot.pause()
        assert type(app.screen).__name__ == "ConfirmScreen"
        question = screen_text(app)
        assert "Archive 3 cases:" in question
        for title in ("Dad - chest pain", "Mum - knee surgery", "Sister - migraine"):
            assert title in question
        await pilot.press("y")
        await settle(pilot)
        for case_id in (ids["chest"], ids["knee"], MIGRAINE):
            assert _archived_on_disk(world, case_id)
        assert not _archived_on_disk(world, ids["thyroid"])
        assert _titles(app) == ["Thyroid nodule"]
        assert "selected" not in screen_lines(app)[0]  # archived cases left the selection
        await pilot.press("ctrl+z")  # one undo: the whole step
        await settle(pilot)
        for case_id in (ids["chest"], ids["knee"], MIGRAINE):
            assert not _archived_on_disk(world, case_id)
        assert len(table_rows(app)) == 4
        assert table.has_focus
        await pilot.press("ctrl+z")  # nothing more: the single archive was never done
        await settle(pilot)
        assert not _archived_on_disk(world, ids["thyroid"])

    drive(app, steps)


def test_two_archived_cases_are_restored_in_one_step_and_archived_again_by_one_undo(
        make_app, world, monkeypatch):
    ids = _world(world)
    seed_case(world, case_uuid(7), {"title": "Old hip", "archived": True})
    app = make_app()
    notes = Notes(app, monkeypatch)

    async def steps(pilot):
        await pilot.press("a")
        await pilot.pause()
        await _go_to(pilot, ids["old"])
        await pilot.press("space")
        await _go_to(pilot, case_uuid(7))
        await pilot.press("space")
        await pilot.pause()
        assert "2 selected" in screen_lines(app)[0]
        await pilot.press("delete")  # restoring asks nothing, as for one case
        await settle(pilot)
        assert type(app.screen).__name__ == "HomeScreen"
        assert not _archived_on_disk(world, ids["old"])
        assert not _archived_on_disk(world, case_uuid(7))
        assert "Restored 2 cases" in notes.text()
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert _archived_on_disk(world, ids["old"])
        assert _archived_on_disk(world, case_uuid(7))

    drive(app, steps)


def test_one_case_that_cannot_be_archived_is_named_and_the_others_are_archived(
        make_app, world, monkeypatch):
    from secondview.store.repository import ReadOnlyCase

    ids = _world(world)
    real = world.repo.set_archived

    def refuse_knee(opened, archived):
        if opened.case_id == ids["knee"]:
            raise ReadOnlyCase("this case is read-only: it comes from a newer secondview")
        return real(opened, archived)

    monkeypatch.setattr(world.repo, "set_archived", refuse_knee)
    app = make_app()
    notes = Notes(app, monkeypatch)

    async def steps(pilot):
        for case_id in (ids["knee"], ids["chest"], MIGRAINE):
            await _go_to(pilot, case_id)
            await pilot.press("space")
        await pilot.press("delete", "y")
        await settle(pilot)
        assert "Mum - knee surgery" in notes.text()
        assert "newer secondview" in notes.text()
        assert "Archived 2 cases" in notes.text()
        assert _archived_on_disk(world, ids["chest"]) and _archived_on_disk(world, MIGRAINE)
        assert not _archived_on_disk(world, ids["knee"])
        assert "1 selected" in screen_lines(app)[0]  # what failed stays selected
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert not _archived_on_disk(world, ids["chest"])
        assert not _archived_on_disk(world, MIGRAINE)

    drive(app, steps)


def test_the_selection_stays_on_its_cases_across_a_sort_and_a_refresh(make_app, world):
    ids = _world(world)
    app = make_app()

    async def steps(pilot):
        await _go_to(pilot, ids["chest"])
        await pilot.press("space")
        await _go_to(pilot, ids["thyroid"])
        await pilot.press("space")
        before = _titles(app)
        await pilot.press("1")  # by title
        await pilot.pause()
        assert _titles(app) != before
        assert _marked_titles(app) == ["Dad - chest pain", "Thyroid nodule"]
        assert "2 selected" in screen_lines(app)[0]
        app.screen.request_refresh()
        await settle(pilot)
        assert _marked_titles(app) == ["Dad - chest pain", "Thyroid nodule"]
        await pilot.press("space")  # space again on a selected case takes it out
        await pilot.pause()
        assert len(_marked_titles(app)) == 1

    drive(app, steps)


def test_a_case_that_disappears_drops_out_of_the_selection(make_app, world):
    import shutil

    ids = _world(world)
    app = make_app()

    async def steps(pilot):
        await _go_to(pilot, ids["chest"])
        await pilot.press("space")
        await _go_to(pilot, MIGRAINE)
        await pilot.press("space")
        shutil.rmtree(world.repo.folder(MIGRAINE))  # a sync tool took it away
        app.screen.request_refresh()
        await settle(pilot)
        assert "Sister - migraine" not in _titles(app)
        assert "1 selected" in screen_lines(app)[0]
        assert _marked_titles(app) == ["Dad - chest pain"]

    drive(app, steps)


def test_ctrl_a_selects_what_is_shown_and_escape_clears_the_filter_then_the_selection(
        make_app, world):
    _world(world)
    app = make_app()

    async def steps(pilot):
        await pilot.press("slash", *"m", "enter")  # Mum, Sister - migraine (and Thyroid nodule)
        await pilot.pause()
        shown = len(table_rows(app))
        assert 0 < shown < 4
        await pilot.press("ctrl+a")
        await pilot.pause()
        assert f"{shown} selected" in screen_lines(app)[0]
        await pilot.press("escape")  # first the filter
        await pilot.pause()
        assert len(table_rows(app)) == 4
        assert f"{shown} selected" in screen_lines(app)[0]
        await pilot.press("escape")  # then the selection
        await pilot.pause()
        assert "selected" not in screen_lines(app)[0]
        assert _marked_titles(app) == []
        await pilot.press("ctrl+a")
        await pilot.pause()
        assert "4 selected" in screen_lines(app)[0]

    drive(app, steps)


def test_the_mark_shows_at_80_columns(make_app, world):
    ids = _world(world)
    app = make_app()

    async def steps(pilot):
        await _go_to(pilot, ids["knee"])
        await pilot.press("space")
        await pilot.pause()
        assert _marked_titles(app) == ["Mum - knee surgery"]
        assert "1 selected" in screen_lines(app)[0]

    drive(app, steps, size=(80, 24))


def test_help_explains_selecting(make_app, world):
    _world(world)
    app = make_app()

    async def steps(pilot):
        await pilot.press("f1")
        await pilot.pause()
        shown = screen_text(app)
        assert "space    Select" in shown
        assert "ctrl+a" in shown
        # the guidance under the keys (the help scrolls to it)
        guidance = " ".join(str(s.content) for s in app.screen.query(".help-guidance"))
        assert "one ctrl+z undoes the whole step" in guidance
        assert "escape clears the filter first, then the selection" in guidance

    drive(app, steps)


def test_a_long_step_says_how_far_it_is_and_takes_no_other_step_meanwhile(
        make_app, world, monkeypatch):
    import threading

    from secondview.ui.screens import case_archiving

    ids = _world(world)
    monkeypatch.setattr(case_archiving, "PROGRESS_SECONDS", 0)
    real = world.repo.set_archived
    gate = threading.Event()

    def slow(opened, archived):
        gate.wait(10)  # the test says when each case may go on
        return real(opened, archived)

    monkeypatch.setattr(world.repo, "set_archived", slow)
    app = make_app()

    async def steps(pilot):
        await pilot.press("ctrl+a", "delete", "y")
        await pilot.pause()
        assert "(archiving 0 of 4…)" in screen_lines(app)[0]
        await pilot.press("ctrl+z", "delete")  # nothing else starts while it runs
        await pilot.pause()
        assert type(app.screen).__name__ == "HomeScreen"
        gate.set()
        await settle(pilot)
        assert "archiving" not in screen_lines(app)[0]
        assert all(_archived_on_disk(world, case_id)
                   for case_id in (*ids.values(), MIGRAINE))
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert not any(_archived_on_disk(world, case_id)
                       for case_id in (ids["chest"], ids["knee"], ids["thyroid"], MIGRAINE))

    drive(app, steps)


def test_cases_the_undo_cannot_bring_back_stay_on_the_stack_for_another_ctrl_z(
        make_app, world, monkeypatch):
    from secondview.store.repository import ReadOnlyCase

    ids = _world(world)
    real = world.repo.set_archived
    refusing = {ids["knee"], ids["chest"]}

    def refuse(opened, archived):
        if not archived and opened.case_id in refusing:
            raise ReadOnlyCase("the case is locked by another secondview")
        return real(opened, archived)

    monkeypatch.setattr(world.repo, "set_archived", refuse)
    app = make_app()
    notes = Notes(app, monkeypatch)

    async def steps(pilot):
        for case_id in (ids["knee"], ids["chest"], MIGRAINE):
            await _go_to(pilot, case_id)
            await pilot.press("space")
        await pilot.press("delete", "y")
        await settle(pilot)
        assert all(_archived_on_disk(world, c) for c in (ids["knee"], ids["chest"], MIGRAINE))
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert not _archived_on_disk(world, MIGRAINE)
        assert _archived_on_disk(world, ids["knee"]) and _archived_on_disk(world, ids["chest"])
        assert "Not restored:" in notes.text() and "Mum - knee surgery" in notes.text()
        assert app.screen.editing[1].labels() == ["Archived 2 cases"]  # what is left of it
        refusing.clear()
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert not _archived_on_disk(world, ids["knee"])
        assert not _archived_on_disk(world, ids["chest"])

    drive(app, steps)
