"""GuideScreen: the guides (when to seek a second opinion, emergencies, insurance, preparing,
conflicting opinions, drawbacks), a list to pick from beside the one being read.

A guide is Markdown shown with Textual's ``Markdown`` widget. Our own guides ship with the
app; a user's guides (``<config>/content/guides``) are user text, so every guide is treated
as such: control and bidi characters are made visible first (``ui/text.py``), raw HTML is
shown as text, and a link never opens anything. A link to another guide (``emergencies.md``)
shows that guide, a link to ``#a-heading`` scrolls to it, and any other link only shows its
address in a notification: the app never starts a browser or touches the network.

Side effects: none. The guides are given to the screen already loaded; nothing is read or
written here.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from markdown_it import MarkdownIt
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Markdown, OptionList, Static
from textual.widgets.option_list import Option

from ...core.content import GUIDE_ORDER_PREFIX
from .. import text
from ..kit.key_footer import KeyFooter

if TYPE_CHECKING:
    from ...core.content_items import Guide

NO_GUIDES = "No guides were found. Reinstalling secondview brings its own guides back."
LINK_NOTICE = "secondview does not open links. The address is:"


def guide_parser() -> MarkdownIt:
    """Textual's usual Markdown flavour with raw HTML off: HTML in a guide shows as text."""
    return MarkdownIt("gfm-like", {"html": False})


def local_guide_name(href: str) -> str | None:
    """The guide id a link names (``emergencies.md``, ``./02-emergencies.md``), or None.

    Only a bare file name counts: anything with a scheme (``https:``, ``file:``) or a folder
    is an address, never a file to read.
    """
    name = href.strip()
    if name.startswith("./"):
        name = name[2:]
    if not name or ":" in name or "/" in name or "\\" in name or name.startswith("#"):
        return None
    name = name.split("#", 1)[0].removesuffix(".md")
    return GUIDE_ORDER_PREFIX.sub("", name, count=1) or None


class GuideScreen(Screen[None]):
    """The list of guides and the one being read; escape goes back to where it was opened."""

    HELP_TITLE = "Guides"
    GUIDANCE = (
        "The guides explain each part of a second opinion in plain words: when to seek one "
        "and when not to, emergencies, insurance and Medicare, preparing for the visit, what "
        "to do when the opinions differ, and the drawbacks.",
        "They describe the process. They are not medical advice: your doctors know your case.",
        "Up and down pick a guide from the list; enter or tab moves to the text, where the "
        "arrow and page keys scroll. [ and ] go to the previous and next guide.",
        "Links never open a browser: a link to another guide opens it here, and any other "
        "link shows its address.",
    )
    CSS_PATH = Path(__file__).with_name("guide_screen.tcss")
    BINDINGS = [
        Binding("escape", "back", "Back", id="guide.back"),
        Binding("left_square_bracket", "step(-1)", "Previous guide", id="guide.previous"),
        Binding("right_square_bracket", "step(1)", "Next guide", id="guide.next"),
    ]

    def __init__(self, guides: Sequence[Guide], guide_id: str | None = None) -> None:
        """``guides`` in the order to list them; ``guide_id`` is shown first (else the first
        guide), with the text focused when it is given and the list focused when not."""
        super().__init__()
        self.guides = list(guides)
        self.start_id = guide_id
        self.current: Guide | None = None

    # -- layout --------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static(id="guide-title")
        with Horizontal(id="guide-layout"):
            yield OptionList(
                *(Option(text.content(g.title), id=g.id) for g in self.guides),
                id="guide-list",
            )
            with VerticalScroll(id="guide-scroll"):
                yield Markdown(id="guide-body", open_links=False, parser_factory=guide_parser)
        yield KeyFooter()

    def on_mount(self) -> None:
        if not self.guides:
            self.query_one("#guide-title", Static).update(text.content("Guides"))
            self.query_one("#guide-list", OptionList).display = False
            self.query_one("#guide-body", Markdown).update(NO_GUIDES)
            return
        start = self.index_of(self.start_id) if self.start_id else None
        self.query_one("#guide-list", OptionList).highlighted = start or 0
        if start is not None:
            self.query_one("#guide-scroll").focus()
        else:
            self.query_one("#guide-list").focus()

    # -- showing a guide -----------------------------------------------------------------------

    def index_of(self, guide_id: str | None) -> int | None:
        return next((i for i, g in enumerate(self.guides) if g.id == guide_id), None)

    async def show(self, index: int) -> None:
        """Show the guide at ``index`` in the list (title, text, scrolled to the top)."""
        guide = self.guides[index]
        if guide is self.current:
            return
        self.current = guide
        self.query_one("#guide-title", Static).update(text.content(f"Guide: {guide.title}"))
        await self.query_one("#guide-body", Markdown).update(text.clean(guide.text, True))
        self.query_one("#guide-scroll", VerticalScroll).scroll_home(animate=False)

    async def on_option_list_option_highlighted(
        self, event: OptionList.OptionHighlighted
    ) -> None:
        await self.show(event.option_index)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.query_one("#guide-scroll").focus()

    def open_guide(self, guide_id: str) -> bool:
        """Show the guide with this id (by highlighting it in the list); False if none."""
        index = self.index_of(guide_id)
        if index is None:
            return False
        self.query_one("#guide-list", OptionList).highlighted = index
        return True

    def action_step(self, delta: int) -> None:
        """Show the previous (-1) or next (+1) guide, stopping at either end."""
        if not self.guides:
            return
        option_list = self.query_one("#guide-list", OptionList)
        current = option_list.highlighted or 0
        option_list.highlighted = max(0, min(len(self.guides) - 1, current + delta))

    # -- links ---------------------------------------------------------------------------------

    def on_markdown_link_clicked(self, event: Markdown.LinkClicked) -> None:
        """Follow a link to another guide or a heading; show any other address, open nothing."""
        event.stop()
        href = event.href
        if href.startswith("#"):
            event.markdown.goto_anchor(href[1:])
            return
        name = local_guide_name(href)
        if name is not None and self.open_guide(name):
            return
        self.notify(
            f"{LINK_NOTICE}\n{text.clean(href)}", title="Link", timeout=10, markup=False
        )

    def action_back(self) -> None:
        self.dismiss(None)
