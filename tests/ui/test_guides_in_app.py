"""The guides from anywhere in the app: the g key and the palette's 'read guide' commands."""

from __future__ import annotations

from secondview.store.content_files import load_content

from ui_kit import drive, screen_text, seed_sample, settle


def test_g_opens_the_guides_from_the_list_and_from_a_pane_and_escape_goes_back(make_app, world):
    seed_sample(world)
    content = load_content()
    app = make_app(content=content)

    async def steps(pilot):
        await pilot.press("g")
        await pilot.pause()
        assert type(app.screen).__name__ == "GuideScreen"
        assert content.guides[0].title in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert type(app.screen).__name__ == "HomeScreen"
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("2")  # a pane with a list: g is not taken by it
        await pilot.pause()
        await pilot.press("g")
        await pilot.pause()
        assert type(app.screen).__name__ == "GuideScreen"
        await pilot.press("escape")
        await pilot.pause()
        assert type(app.screen).__name__ == "CaseScreen" and app.screen.pane == "checklist"

    drive(app, steps)


def test_the_palette_offers_each_guide_by_title(make_app, world):
    content = load_content()
    guide = content.guides[-1]
    app = make_app(content=content)

    async def steps(pilot):
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"read guide")
        await pilot.pause(0.3)
        shown = screen_text(app)
        assert all(f"read guide: {g.title}"[:60] in shown for g in content.guides[:3])
        await pilot.press(*f": {guide.title}")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert type(app.screen).__name__ == "GuideScreen"
        assert app.screen.current.id == guide.id

    drive(app, steps)
