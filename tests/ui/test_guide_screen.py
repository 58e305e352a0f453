"""GuideScreen on its own, in a tiny host app driven with Pilot: it opens on a guide, lists them
all, renders every bundled guide with the Markdown widget, moves between guides by key and by
link, goes back on escape, and a link to anywhere else opens nothing (no browser, no network):
it only shows the address."""

from __future__ import annotations

import webbrowser
from pathlib import Path

import pytest
from textual.app import App
from textual.widgets import Markdown, OptionList, Static
from textual.widgets._markdown import MarkdownH1, MarkdownH2, MarkdownParagraph

from secondview.core.content_items import Guide
from secondview.store.content_files import load_content
from secondview.ui.screens.guide_screen import LINK_NOTICE, NO_GUIDES, GuideScreen
from secondview.ui.screens.help_screen import HelpScreen

from ui_kit import drive, screen_text

HOSTILE_GUIDE = """# Hostile [@click=app.quit]title[/]

[Click here](https://tracker.example/collect?who=me) to see where this goes.

[A command](app.quit) and a bare https://example.org.

[A file](file:///etc/passwd) stays text: the parser refuses file links.

Text with [@click=app.quit]markup[/] and [bold]tags[/bold] and <script>alert(1)</script>.

Escape \x1b[31m and bidi \u202eevil\u202c.
"""


class GuideHost(App[None]):
    """A bare app under the screen, which records any attempt to open a URL."""

    def __init__(self, guides: list[Guide], guide_id: str | None = None) -> None:
        super().__init__()
        self.guides = guides
        self.guide_id = guide_id
        self.opened_urls: list[str] = []

    def on_mount(self) -> None:
        self.push_screen(GuideScreen(self.guides, self.guide_id))

    def open_url(self, url: str, *, new_tab: bool = True) -> None:
        self.opened_urls.append(url)


@pytest.fixture(scope="module")
def guides() -> list[Guide]:
    content = load_content()
    assert content.guides and not content.problems
    return content.guides


@pytest.fixture(autouse=True)
def no_browser(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError(f"a browser was asked to open {args}")

    for name in ("open", "open_new", "open_new_tab"):
        monkeypatch.setattr(webbrowser, name, refuse)


def title_bar(app) -> str:
    return str(app.screen.query_one("#guide-title", Static).render())


def shown_h1(app) -> str:
    return app.screen.query_one(MarkdownH1)._content.plain


def listed(app) -> list[str]:
    option_list = app.screen.query_one("#guide-list", OptionList)
    return [str(option_list.get_option_at_index(i).prompt) for i in range(option_list.option_count)]


def user_guide(tmp_path: Path, body: str, guide_id: str = "mine") -> Guide:
    return Guide(guide_id, body.splitlines()[0][2:], body, tmp_path / f"{guide_id}.md", False)


def test_opens_on_the_first_guide_and_lists_them_all(guides):
    app = GuideHost(guides)

    async def steps(pilot):
        assert isinstance(app.screen, GuideScreen)
        assert title_bar(app) == f"Guide: {guides[0].title}"
        assert shown_h1(app) == guides[0].title
        assert listed(app) == [g.title for g in guides]
        assert app.focused is app.screen.query_one("#guide-list")
        shown = screen_text(app)
        for guide in guides:
            assert guide.title[:30] in shown  # the list is on screen, not only in the DOM

    drive(app, steps)


def test_every_bundled_guide_renders_in_the_markdown_widget(guides):
    app = GuideHost(guides)

    async def steps(pilot):
        for index, guide in enumerate(guides):
            if index:
                await pilot.press("down")
                await pilot.pause()
            body = app.screen.query_one("#guide-body", Markdown)
            assert title_bar(app) == f"Guide: {guide.title}"
            assert shown_h1(app) == guide.title
            sections = [h._content.plain for h in body.query(MarkdownH2)]
            assert sections[-1] == "Sources", guide.id
            assert len(body.query(MarkdownParagraph)) >= 3, guide.id
            assert "](" not in " ".join(p._content.plain for p in body.query(MarkdownParagraph))

    drive(app, steps)


def test_keys_move_between_guides_and_escape_goes_back(guides):
    app = GuideHost(guides, guide_id="emergencies")

    async def steps(pilot):
        base = app.screen_stack[0]
        assert shown_h1(app) == app.screen.guides[1].title  # opened where it was asked
        assert app.focused is app.screen.query_one("#guide-scroll")  # ready to read
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert shown_h1(app) == guides[2].title
        await pilot.press("left_square_bracket", "left_square_bracket", "left_square_bracket")
        await pilot.pause()
        assert shown_h1(app) == guides[0].title  # stops at the first
        await pilot.press("shift+tab")  # back to the list
        await pilot.press("down", "down", "enter")
        await pilot.pause()
        assert shown_h1(app) == guides[2].title
        assert app.focused is app.screen.query_one("#guide-scroll")
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is base

    drive(app, steps)


def test_help_names_the_keys_and_says_it_is_not_advice(guides):
    app = GuideHost(guides)

    async def steps(pilot):
        app.push_screen(HelpScreen.for_screen(app.screen))
        await pilot.pause()
        shown = screen_text(app)
        assert "Help: Guides" in shown
        assert "escape" in shown and "Back" in shown
        assert "Previous guide" in shown and "Next guide" in shown
        assert "not medical advice" in shown

    drive(app, steps)


def click_target(app, words: str):
    """The paragraph whose text starts with ``words`` (links sit at its start)."""
    for paragraph in app.screen.query(MarkdownParagraph):
        if paragraph._content.plain.startswith(words):
            return paragraph
    raise AssertionError(f"no paragraph starts with {words!r}")


def test_a_link_click_opens_nothing_and_shows_the_address(tmp_path, guides):
    hostile = user_guide(tmp_path, HOSTILE_GUIDE)
    app = GuideHost([*guides, hostile], guide_id="mine")

    async def steps(pilot):
        assert "[@click=app.quit]title[/]" in title_bar(app)  # shown, not run
        await pilot.click(click_target(app, "Click here"), offset=(2, 0))
        await pilot.pause()
        assert app.is_running
        assert app.opened_urls == []
        notes = [n.message for n in app._notifications]
        assert notes == [f"{LINK_NOTICE}\nhttps://tracker.example/collect?who=me"]
        assert shown_h1(app).startswith("Hostile")  # still the same guide
        # A link to an action name is an address too: shown, never run.
        await pilot.click(click_target(app, "A command"), offset=(1, 0))
        await pilot.pause()
        assert app.is_running and app.opened_urls == []
        assert [n.message for n in app._notifications][-1] == f"{LINK_NOTICE}\napp.quit"
        shown = screen_text(app)
        assert "[A file](file:///etc/passwd)" in shown
        assert "[@click=app.quit]markup[/]" in shown and "[bold]tags[/bold]" in shown
        assert "<script>alert(1)</script>" in shown  # raw HTML is text
        assert "\x1b" not in shown and "\u202e" not in shown
        assert "\u241b[31m" in shown  # the escape shows as a visible mark

    drive(app, steps)


def test_a_link_to_another_guide_opens_it_here(tmp_path, guides):
    linking = user_guide(
        tmp_path,
        "# Linking\n\n[Emergencies](02-emergencies.md) first.\n\n"
        "[Nowhere](no-such-guide.md) next.\n\n[Down](#far-below) last.\n\n"
        + "Filler.\n\n" * 60 + "## Far below\n\nThe end.\n",
    )
    app = GuideHost([*guides, linking], guide_id="mine")

    async def steps(pilot):
        await pilot.click(click_target(app, "Nowhere"), offset=(1, 0))
        await pilot.pause()
        assert [n.message for n in app._notifications] == [f"{LINK_NOTICE}\nno-such-guide.md"]
        scroll = app.screen.query_one("#guide-scroll")
        await pilot.click(click_target(app, "Down"), offset=(1, 0))
        await pilot.pause()
        assert scroll.scroll_y > 0  # jumped to the heading
        scroll.scroll_home(animate=False)
        await pilot.pause()
        await pilot.click(click_target(app, "Emergencies"), offset=(1, 0))
        await pilot.pause()
        assert shown_h1(app) == next(g.title for g in guides if g.id == "emergencies")
        assert app.opened_urls == []

    drive(app, steps)


def test_no_guides_says_so():
    app = GuideHost([])

    async def steps(pilot):
        await pilot.press("right_square_bracket")
        assert NO_GUIDES in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, GuideScreen)

    drive(app, steps)
