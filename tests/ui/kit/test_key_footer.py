"""KeyFooter alone in a tiny host app.

The footer must show the keys that work where the focus is, follow the focus, leave out
whole keys that do not fit, run a key when it is clicked and refuse a disabled one.
"""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from secondview.ui.kit.key_footer import KeyFooter

from ui_kit import drive, screen_lines, settle


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
                Binding("z", "note('hidden')", "Hidden", show=False, id="t.hidden"),
                Binding("question_mark", "help", "Help", id="t.help")]

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

    def action_help(self) -> None:  # noqa: D102
        self.notes.append("help")


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


def test_help_is_never_the_key_left_out() -> None:
    app = FooterHost()

    async def steps(pilot):
        app.query_one("#right").focus()
        await settle(pilot)
        line = _footer(app)
        assert "? Help" in line  # the others make room for it
        assert "Write an answer" in line and "Quit" not in line
        await pilot.click(KeyFooter, offset=(line.index("Help"), 0))
        await settle(pilot)
        assert app.notes == ["help"]

    drive(app, steps, size=(48, 10))
