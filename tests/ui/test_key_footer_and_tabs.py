"""KeyFooter and PaneTabs, each alone in a tiny host app, then the tabs in the workspace.

The footer must show the keys that work where the focus is, follow the focus, leave out
whole keys that do not fit, run a key when it is clicked and refuse a disabled one. The tabs
must light the pane shown, badge a pane holding conflicts, keep the shown name whole on a
narrow terminal, and switch panes when clicked.
"""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from secondview.ui.kit.key_footer import KeyFooter
from secondview.ui.kit.pane_tabs import PaneTabs
from ui_kit import drive, screen_lines, seed_sample, settle


class Pane(Static, can_focus=True):
    def __init__(self, name: str) -> None:
        super().__init__(name, id=name)


class Left(Pane):
    BINDINGS = [Binding("a", "app.note('add')", "Add", id="t.add"),
                Binding("e", "app.note('edit')", "Edit", id="t.edit")]


class Right(Pane):
    BINDINGS = [Binding("w", "note_here('write')", "Write an answer", id="t.write"),
                Binding("x", "note_here('never')", "Off now", id="t.off")]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return None if parameters == ("never",) else True  # x: shown, but disabled

    def action_note_here(self, what: str) -> None:
        self.app.notes.append(what)


class FooterHost(App[None]):
    BINDINGS = [Binding("ctrl+q", "quit", "Quit", id="t.quit"),
                Binding("z", "note('hidden')", "Hidden", show=False, id="t.hidden")]

    def __init__(self, compact: bool = False) -> None:
        super().__init__()
        self.notes: list[str] = []
        self.compact = compact

    def compose(self) -> ComposeResult:
        yield Left("left")
        yield Right("right")
        yield KeyFooter(compact=self.compact)

    def action_note(self, what: str) -> None:  # noqa: D102
        self.notes.append(what)


def _footer(app: App) -> str:
    return screen_lines(app)[-1]


def test_the_footer_shows_the_focused_widgets_keys_and_follows_the_focus() -> None:
    app = FooterHost()

    async def steps(pilot):
        app.query_one("#left").focus()
        await settle(pilot)
        line = _footer(app)
        assert " a Add " in line and " e Edit " in line and "Quit" in line
        assert "Hidden" not in line and "Write" not in line
        assert "^p palette" in line  # the command palette's key, on the right
        app.query_one("#right").focus()
        await settle(pilot)
        line = _footer(app)
        assert "Write an answer" in line and "Off now" in line and " a Add " not in line

    drive(app, steps, size=(100, 10))


def test_a_click_presses_the_key_and_a_disabled_key_does_nothing() -> None:
    app = FooterHost()

    async def steps(pilot):
        app.query_one("#right").focus()
        await settle(pilot)
        footer = app.query_one(KeyFooter)
        line = _footer(app)
        await pilot.click(KeyFooter, offset=(line.index("Write"), 0))
        await settle(pilot)
        assert app.notes == ["write"]
        await pilot.click(KeyFooter, offset=(line.index("Off now"), 0))
        await settle(pilot)
        assert app.notes == ["write"]  # disabled: shown dimmed, not run
        assert [k.enabled for k in footer.keys if k.key == "x"] == [False]

    drive(app, steps, size=(100, 10))


def test_keys_that_do_not_fit_are_left_out_whole() -> None:
    app = FooterHost()

    async def steps(pilot):
        app.query_one("#right").focus()
        await settle(pilot)
        line = _footer(app)
        assert "Write an answer" in line
        assert "Off now" not in line and "Off" not in line  # no key cut in the middle
        assert line.rstrip().endswith("^p palette")

    drive(app, steps, size=(40, 10))


class TabsHost(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.chosen: list[str] = []

    def compose(self) -> ComposeResult:
        yield PaneTabs([("one", "1 Overview"), ("two", "2 Checklist"), ("three", "3 Records"),
                        ("four", "4 Questions")], active="one", id="tabs")

    def on_pane_tabs_chosen(self, event: PaneTabs.Chosen) -> None:
        self.chosen.append(event.name)


def test_tabs_light_the_shown_pane_badge_conflicts_and_report_clicks() -> None:
    app = TabsHost()

    async def steps(pilot):
        tabs = app.query_one(PaneTabs)
        assert screen_lines(app)[0].split() == ["1", "Overview", "2", "Checklist", "3",
                                                "Records", "4", "Questions"]
        tabs.set_badge("three", 2)
        await settle(pilot)
        assert "3 Records \u22602" in screen_lines(app)[0]
        assert tabs.label("three") == "3 Records \u22602"
        await pilot.click(PaneTabs, offset=(screen_lines(app)[0].index("Checklist"), 0))
        await settle(pilot)
        assert app.chosen == ["two"]

    drive(app, steps, size=(80, 4))


def test_on_a_narrow_terminal_the_shown_tab_slides_into_view() -> None:
    app = TabsHost()

    async def steps(pilot):
        tabs = app.query_one(PaneTabs)
        tabs.active = "four"
        await settle(pilot)
        assert screen_lines(app)[0].rstrip().endswith("4 Questions")
        tabs.active = "one"
        await settle(pilot)
        assert screen_lines(app)[0].lstrip().startswith("1 Overview")

    drive(app, steps, size=(30, 4))


def test_clicking_a_tab_in_the_workspace_shows_its_pane(make_app, world) -> None:
    ids = seed_sample(world)
    app = make_app()

    async def steps(pilot):
        app.open_case(next(iter(ids.values())))
        await settle(pilot)
        line = screen_lines(app)[1]
        await pilot.click("#tabs", offset=(line.index("Questions"), 0))
        await settle(pilot)
        assert app.screen.pane == "questions"
        assert app.screen.query_one("#tabs").active == "questions"
        await pilot.press("3")
        await settle(pilot)
        assert app.screen.query_one("#tabs").active == "records"

    drive(app, steps)
