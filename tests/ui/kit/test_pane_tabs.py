"""PaneTabs alone in a tiny host app, then in the workspace.

The tabs must light the pane shown, badge a pane holding conflicts, keep the shown name whole
on a narrow terminal, and switch panes when clicked.
"""

from __future__ import annotations

from textual.app import App, ComposeResult

from secondview.ui.kit.pane_tabs import PaneTabs

from ui_kit import drive, screen_lines, seed_sample, settle


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
