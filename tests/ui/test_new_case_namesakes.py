"""The new-case form says when its title is already used (issue 18), and still saves."""

from __future__ import annotations

from ui_kit import case_uuid, drive, screen_text, seed_case, seed_sample, settle, static_text


def test_a_title_already_used_is_said_in_the_form_and_the_case_still_saves(make_app, world):
    ids = seed_sample(world)  # 'Old shoulder' is archived
    app = make_app()

    async def steps(pilot):
        await pilot.press("n")
        await pilot.pause()
        warning = app.screen.query_one("#title-namesakes")
        assert not warning.display
        await pilot.press(*"old  SHOULDER")
        await settle(pilot)
        assert warning.display
        said = static_text(app, "#title-namesakes")
        assert "'Old shoulder' (archived)" in said and "tells them apart" in said
        assert "already has this" in screen_text(app)
        await pilot.press(*" 2")  # 'old SHOULDER 2': no longer the same title
        await pilot.pause()
        assert not warning.display
        await pilot.press("backspace", "backspace")
        await pilot.pause()
        assert warning.display
        await pilot.press("ctrl+s")  # a warning, not a refusal
        await settle(pilot)
        assert type(app.screen).__name__ == "HomeScreen"

    drive(app, steps)
    titles = sorted(s.title for s in world.repo.list())
    assert titles.count("Old shoulder") == 1 and "old  SHOULDER" in titles
    assert len(titles) == len(ids) + 1


def test_a_long_used_title_is_cut_in_the_warning(make_app, world):
    long_title = "Gran " + "cataract " * 40
    seed_case(world, case_uuid(7), {"title": long_title})
    app = make_app()

    async def steps(pilot):
        await pilot.press("n")
        await pilot.pause()
        app.screen.query_one("#title").value = long_title.upper()
        await settle(pilot)
        said = static_text(app, "#title-namesakes")
        assert "already has this title" in said and "\u2026" in said
        assert len(said) < 200

    drive(app, steps)
