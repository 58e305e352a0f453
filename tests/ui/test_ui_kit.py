"""The helpers themselves: the screen reader cannot let a test pass on a blank screen."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult
from textual.widgets import Static

from ui_kit import drive, screen_lines, screen_text


class Blank(App[None]):
    def compose(self) -> ComposeResult:
        yield Static("")


class Hello(App[None]):
    def compose(self) -> ComposeResult:
        yield Static("hello there")


def test_the_screen_reader_fails_on_a_screen_with_no_text() -> None:
    app = Blank()

    async def steps(pilot):
        with pytest.raises(AssertionError, match="read no text"):
            screen_lines(app)
        with pytest.raises(AssertionError, match="read no text"):
            screen_text(app)

    drive(app, steps, size=(30, 5))


def test_the_screen_reader_reads_text_where_it_shows() -> None:
    app = Hello()

    async def steps(pilot):
        assert screen_lines(app)[0].rstrip() == "hello there"
        assert screen_text(app).strip() == "hello there"

    drive(app, steps, size=(30, 5))
