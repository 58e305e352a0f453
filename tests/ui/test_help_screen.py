"""The help screen shows, on request (i), each binding's id: the name config.yaml's ``keys:``
takes to give that binding another key."""

from __future__ import annotations

from secondview.ui.screens.help_screen import FOOT, id_list

from ui_kit import drive, screen_text, seed_sample


def test_id_list_names_a_run_of_ids_by_its_ends():
    assert id_list([]) == ""
    assert id_list(["home.new"]) == "home.new"
    assert id_list(["a.one", "a.two"]) == "a.one, a.two"
    assert id_list([f"home.sort_{n}" for n in range(1, 10)]) == "home.sort_1 \u2026 home.sort_9"


def _line(shown: str, *words: str) -> str:
    """The one line of ``shown`` holding every word, in that order."""
    for line in shown.splitlines():
        at = 0
        for word in words:
            at = line.find(word, at)
            if at < 0:
                break
            at += len(word)
        else:
            return line
    raise AssertionError(f"no line with {words} in:\n{shown}")


def test_i_shows_each_bindings_id_and_hides_them_again(make_app, world):
    seed_sample(world)
    app = make_app()

    async def steps(pilot):
        await pilot.press("question_mark")
        await pilot.pause()
        shown = screen_text(app)
        assert type(app.screen).__name__ == "HelpScreen"
        assert "home.new" not in shown and "app.quit" not in shown
        assert FOOT[:40] in shown
        await pilot.press("i")
        await pilot.pause()
        shown = screen_text(app)
        _line(shown, "n ", "home.new", "New case")
        _line(shown, "ctrl+q", "app.quit", "Quit")
        _line(shown, "? / f1", "app.help", "Help")
        _line(shown, "1-9", "home.sort_1 \u2026 home.sort_9", "Sort by the column")
        await pilot.press("i")
        await pilot.pause()
        shown = screen_text(app)
        assert "home.new" not in shown and "n        New case" in shown
        assert type(app.screen).__name__ == "HelpScreen"

    drive(app, steps)


def test_a_remapped_key_shows_beside_the_id_config_yaml_named(make_app, world):
    app = make_app(config={"keys": {"home.new": "ctrl+n", "app.help": "f2"}})

    async def steps(pilot):
        await pilot.press("f2")
        await pilot.pause()
        assert type(app.screen).__name__ == "HelpScreen"
        await pilot.press("i")
        await pilot.pause()
        shown = screen_text(app)
        _line(shown, "ctrl+n", "home.new", "New case")
        _line(shown, "f2", "app.help", "Help")

    drive(app, steps)
