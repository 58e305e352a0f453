"""The key contract: quit, help everywhere, the command palette, remappable bindings."""

from __future__ import annotations

import importlib
import pkgutil

from textual.binding import Binding

import secondview.ui.kit
import secondview.ui.screens
import secondview.ui.widgets
from secondview.ui.app import SecondViewApp

from ui_kit import Notes, drive, screen_text, seed_sample, settle


def test_ctrl_q_quits_from_the_list(make_app, world):
    app = make_app()

    async def steps(pilot):
        await pilot.press("ctrl+q")
        await pilot.pause()
        return app.is_running

    assert drive(app, steps) is False
    assert app.return_code == 0


def test_ctrl_q_quits_from_an_open_form(make_app, world):
    app = make_app()

    async def steps(pilot):
        await pilot.press("n", *"typed")
        await pilot.press("ctrl+q")
        await pilot.pause()
        return app.is_running

    assert drive(app, steps) is False


def test_question_mark_opens_help_for_the_list(make_app, world):
    seed_sample(world)
    app = make_app()

    async def steps(pilot):
        await pilot.press("question_mark")
        await pilot.pause()
        assert type(app.screen).__name__ == "HelpScreen"
        shown = screen_text(app)
        assert "Help: The case list" in shown
        for line in ("n        New case", "enter    Open", "/        Filter",
                     "ctrl+q   Quit", "? / f1   Help", "ctrl+p   Command palette"):
            assert line in shown
        assert "marks an emergency" in shown
        await pilot.press("escape")
        await pilot.pause()
        assert type(app.screen).__name__ == "HomeScreen"

    drive(app, steps)


def test_f1_opens_help_for_the_form_and_the_case(make_app, world):
    seed_sample(world)
    app = make_app()

    async def steps(pilot):
        await pilot.press("n")
        await pilot.pause()
        await pilot.press("question_mark")  # typed into the title, not help
        assert app.screen.query_one("#title").value == "?"
        await pilot.press("f1")
        await pilot.pause()
        assert type(app.screen).__name__ == "HelpScreen"
        shown = screen_text(app)
        assert "Help: A new case" in shown
        assert "ctrl+s" in shown and "Save" in shown and "Cancel" in shown
        await pilot.press("f1")  # f1 again closes help
        await pilot.pause()
        assert type(app.screen).__name__ == "NewCaseScreen"
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        await pilot.press("enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "CaseScreen"
        await pilot.press("question_mark")
        await pilot.pause()
        shown = screen_text(app)
        assert "Help: Overview (1 of 9)" in shown and "Back to the list" in shown
        await pilot.press("escape", "escape")
        await pilot.pause()
        assert type(app.screen).__name__ == "HomeScreen"

    drive(app, steps)


def test_palette_offers_new_case_and_open_case(make_app, world):
    seed_sample(world)
    app = make_app()

    async def steps(pilot):
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"open case thyroid")
        await pilot.pause(0.5)
        assert "open case Thyroid nodule" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "CaseScreen"
        assert "Thyroid nodule" in screen_text(app)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"new case")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "NewCaseScreen"
        assert len(app.screen_stack) == 2  # the case was closed first
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"theme")
        await pilot.pause(0.5)
        assert "theme" in screen_text(app).lower()  # Textual's own commands stay

    drive(app, steps)


def _bindings_of_ui() -> list[tuple[str, Binding]]:
    found = [("SecondViewApp", b) for b in SecondViewApp.BINDINGS]
    for package in (secondview.ui.screens, secondview.ui.widgets, secondview.ui.kit):
        for info in pkgutil.iter_modules(package.__path__):
            module = importlib.import_module(f"{package.__name__}.{info.name}")
            for value in vars(module).values():
                if isinstance(value, type) and value.__module__ == module.__name__:
                    found += [(value.__name__, b) for b in getattr(value, "BINDINGS", [])
                              if b in vars(value).get("BINDINGS", [])]
    return found


def test_every_binding_has_an_id_and_modules_hold_one_class_named_after_them():
    bindings = _bindings_of_ui()
    assert len(bindings) >= 10
    assert all(isinstance(b, Binding) and b.id for _, b in bindings), bindings
    for package in (secondview.ui.screens, secondview.ui.widgets, secondview.ui.kit):
        for info in pkgutil.iter_modules(package.__path__):
            module = importlib.import_module(f"{package.__name__}.{info.name}")
            classes = [v.__name__ for v in vars(module).values()
                       if isinstance(v, type) and v.__module__ == module.__name__
                       and not v.__name__.startswith("_")]
            expected = "".join(part.title() for part in info.name.split("_"))
            assert expected in classes, (info.name, classes)
            others = [c for c in classes if c != expected and c != "Column"]
            assert not others, (info.name, others)


def test_config_keys_remap_bindings_by_id(make_app, world):
    app = make_app(config={"keys": {"home.new": "ctrl+n"}})

    async def steps(pilot):
        await pilot.press("n")
        await pilot.pause()
        assert type(app.screen).__name__ == "HomeScreen"
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert type(app.screen).__name__ == "NewCaseScreen"

    drive(app, steps)


def test_unusable_config_is_a_warning_not_a_crash(make_app, world, monkeypatch):
    app = make_app(config={"keys": ["n"], "theme": "no-such-theme"})
    notes = Notes(app, monkeypatch)

    async def steps(pilot):
        assert app.is_running
        return notes.text()

    said = drive(app, steps)
    assert "'keys' should map binding ids to keys" in said
    assert "no theme 'no-such-theme'" in said


def test_config_theme_is_used(make_app, world):
    app = make_app(config={"theme": "textual-light"})

    async def steps(pilot):
        return app.theme

    assert drive(app, steps) == "textual-light"
