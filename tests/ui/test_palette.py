"""The command palette: Textual's own commands stay; ours open and start cases, move between
the panes of the open case, open a pane's add form, and switch the theme. And help (? or
f1), which in a case follows the pane in front."""

from __future__ import annotations

import json

from ui_kit import case_uuid, drive, screen_text, seed_sample, settle


async def _palette(pilot, typed: str) -> str:
    """Open the palette, type ``typed``, and return what the screen shows."""
    await pilot.press("ctrl+p")
    await pilot.pause()
    await pilot.press(*typed)
    await pilot.pause(0.5)
    return screen_text(pilot.app)


async def _open_knee(pilot):
    await pilot.press("down", "down", "enter")  # Mum - knee surgery
    await settle(pilot)
    assert type(pilot.app.screen).__name__ == "CaseScreen"


def test_textual_commands_stay_beside_ours(make_app, world):
    seed_sample(world)
    app = make_app()

    async def steps(pilot):
        shown = await _palette(pilot, "")
        assert "new case" in shown and "switch theme" in shown
        assert "open case Thyroid nodule" in shown
        await pilot.press("escape")
        await pilot.pause()
        shown = await _palette(pilot, "quit")
        assert "Quit the application" in shown  # Textual's own
        await pilot.press("escape")
        await pilot.pause()
        shown = await _palette(pilot, "keys")
        assert "Keys" in shown

    drive(app, steps)


def test_pane_commands_are_offered_only_with_a_case_open(make_app, world):
    seed_sample(world)
    app = make_app()

    async def steps(pilot):
        shown = await _palette(pilot, "go to pane")
        assert "go to pane records" not in shown
        await pilot.press("escape")
        await pilot.pause()
        await _open_knee(pilot)
        shown = await _palette(pilot, "go to pane")
        for pane in ("overview", "checklist", "records", "questions", "opinions", "compare",
                     "decision"):
            assert f"go to pane {pane}" in shown

    drive(app, steps)


def test_go_to_pane_shows_that_pane(make_app, world):
    seed_sample(world)
    app = make_app()

    async def steps(pilot):
        await _open_knee(pilot)
        await _palette(pilot, "go to pane records")
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert type(screen).__name__ == "CaseScreen"
        assert screen.pane == "records"
        assert screen.query_one("#tabs").active == "records"
        assert screen.current_pane().id == "records"
        await _palette(pilot, "go to pane decision")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.pane == "decision"

    drive(app, steps)


def test_add_question_opens_the_pane_and_its_form_and_saves(make_app, world):
    ids = seed_sample(world)
    app = make_app()

    async def steps(pilot):
        await _open_knee(pilot)
        shown = await _palette(pilot, "add item")
        for where in ("checklist", "record", "question", "opinion"):
            assert f"add item: {where}" in shown
        await pilot.press("escape")
        await pilot.pause()
        await _palette(pilot, "add question")
        await pilot.press("enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "ItemFormScreen"
        assert app.screen.form_title == "New question"
        assert app.screen_stack[-2].pane == "questions"
        await pilot.press(*"Who will do the surgery?")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert type(app.screen).__name__ == "CaseScreen"
        assert app.screen.pane == "questions"

    drive(app, steps)
    texts = [q.text for q in world.repo.open(ids["knee"]).case.questions]
    assert "Who will do the surgery?" in texts


def test_add_checklist_item_opens_the_checklist_form(make_app, world):
    seed_sample(world)
    app = make_app()

    async def steps(pilot):
        await _open_knee(pilot)
        await _palette(pilot, "add checklist")
        await pilot.press("enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "ItemFormScreen"
        assert app.screen.form_title == "New checklist item"
        assert app.screen_stack[-2].pane == "checklist"
        await pilot.press("escape")  # nothing typed: closes without asking
        await settle(pilot)
        assert type(app.screen).__name__ == "CaseScreen"

    drive(app, steps)


def test_open_case_from_a_case_goes_to_the_other_case(make_app, world):
    seed_sample(world)
    app = make_app()

    async def steps(pilot):
        await _open_knee(pilot)
        await _palette(pilot, "open case thyroid")
        await pilot.press("enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "CaseScreen"
        assert app.screen.case_id == case_uuid(3)
        assert len(app.screen_stack) == 2  # the knee case was closed, not stacked

    drive(app, steps)


def test_switch_theme_lists_our_themes_and_the_choice_is_remembered(make_app, world):
    app = make_app()

    async def steps(pilot):
        assert app.theme == "secondview-dark"
        await _palette(pilot, "switch theme")
        await pilot.press("enter")
        await pilot.pause(0.5)
        shown = screen_text(app)  # the theme picker: ours
        for name in ("secondview-light", "secondview-contrast", "secondview-blue-orange"):
            assert name in shown
        await pilot.press(*"secondview-light")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await settle(pilot)
        assert app.theme == "secondview-light"
        assert type(app.screen).__name__ == "HomeScreen"

    drive(app, steps)
    state = json.loads(world.paths.state_file.read_text(encoding="utf-8"))
    assert state["theme"] == "secondview-light"


def test_one_theme_command_and_it_lists_the_apps_themes_only(make_app, world):
    app = make_app()

    async def steps(pilot):
        shown = await _palette(pilot, "theme")
        assert "switch theme" in shown
        assert "Change the current theme" not in shown  # Textual's own "Theme" is not offered
        await pilot.press("enter")
        await pilot.pause(0.5)
        picker = screen_text(app)
        for name in ("secondview-dark", "secondview-light", "secondview-contrast",
                     "secondview-blue-orange"):
            assert name in picker
        for name in ("textual-dark", "nord", "gruvbox", "dracula"):
            assert name not in picker  # Textual's two dozen stay out of the list
        await pilot.press("escape")
        await pilot.pause()
        shown = await _palette(pilot, "theme nord")
        assert "switch theme to nord" not in shown

    drive(app, steps)


def test_theme_and_a_name_switches_at_once(make_app, world):
    app = make_app()

    async def steps(pilot):
        shown = await _palette(pilot, "theme contrast")
        assert "switch theme to secondview-contrast" in shown
        await pilot.press("enter")
        await settle(pilot)
        return app.theme

    assert drive(app, steps) == "secondview-contrast"


def test_theme_alone_does_not_list_every_theme(make_app, world):
    app = make_app()

    async def steps(pilot):
        return await _palette(pilot, "switch theme")

    shown = drive(app, steps)
    assert "switch theme to" not in shown


def test_help_in_a_case_follows_the_pane(make_app, world):
    from secondview.ui.case_panes import PANES, pane_class

    seed_sample(world)
    app = make_app()

    async def steps(pilot):
        await _open_knee(pilot)
        for name, key, label, _, _ in PANES:
            await pilot.press(key)
            await settle(pilot)
            await pilot.press("question_mark")
            await pilot.pause()
            assert type(app.screen).__name__ == "HelpScreen"
            # the guidance follows a key per pane: scrolled to, as a person would
            app.screen.query_one("#help-body").scroll_to_widget(
                app.screen.query(".help-guidance").first(), animate=False, top=True)
            await pilot.pause()
            shown = " ".join(screen_text(app).split())
            assert f"Help: {label} ({key} of {PANES[-1][1]})" in shown
            guidance = " ".join(pane_class(name).GUIDANCE[0].split())
            assert guidance[:40] in shown, name
            assert any("Keys 1 to 7 switch panes" in line for line in app.screen.guidance)
            await pilot.press("question_mark")  # ? again closes it
            await pilot.pause()
            assert app.screen.pane == name

    drive(app, steps, size=(120, 50))


def test_a_screenshot_from_the_palette_is_private_in_a_folder_made_for_it(
    make_app, world, tmp_path, monkeypatch
):
    """The palette's "Screenshot" (Textual's command) saves 0600 in the downloads folder,
    made 0700 when missing: a screenshot shows a case's health information."""
    import os
    import stat

    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.delenv("XDG_DOWNLOAD_DIR", raising=False)
    old_umask = os.umask(0o022)
    seed_sample(world)
    app = make_app()

    async def steps(pilot):
        await _palette(pilot, "screenshot")
        await pilot.press("enter")
        await pilot.pause(0.4)
        await settle(pilot)

    try:
        drive(app, steps)
    finally:
        os.umask(old_umask)
    downloads = home / "Downloads"
    (saved,) = downloads.iterdir()
    assert saved.suffix == ".svg" and "Thyroid" in saved.read_text()
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600
    assert stat.S_IMODE(downloads.stat().st_mode) == 0o700
