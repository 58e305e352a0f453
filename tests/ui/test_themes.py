"""Themes: ours load cleanly and are readable; the user's load beside them; a broken theme file
is a notification, never a crash; the choice made in the app is remembered; the theme cache
saves the YAML work on a start where nothing changed and is rebuilt when something did.
"""

from __future__ import annotations

import colorsys
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from textual.color import Color
from textual.command import CommandPalette
from textual.theme import Theme

from secondview.ui.themes import DEFAULT_THEME, bundled_themes_dir, load_themes

from ui_kit import Notes, drive, settle

OURS = ["secondview-blue-orange", "secondview-contrast", "secondview-dark", "secondview-light"]

SEPIA = """\
name: my-sepia
description: brown on cream
dark: false
primary: "#7a4f2a"
foreground: "#3b2a1a"
background: "#f3e9d2"
variables:
  footer-key-foreground: "#7a4f2a"
  block-cursor-text-style: bold underline
"""


def user_theme_dir(world) -> Path:
    folder = world.paths.config_dir / "themes"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def write_theme(folder: Path, name: str, body: str) -> Path:
    path = folder / name
    path.write_text(body, encoding="utf-8")
    return path


def bundled_files() -> list[Path]:
    folder = bundled_themes_dir()
    assert folder is not None and folder.name == "themes"
    return sorted(folder.glob("*.yaml"))


# -- our own themes --------------------------------------------------------------------------


def test_every_bundled_theme_loads_without_a_warning():
    loaded, warnings = load_themes([bundled_themes_dir()])
    assert warnings == []
    assert sorted(t.name for t in loaded) == OURS
    assert len(bundled_files()) == len(OURS)  # one theme per file, none skipped
    assert DEFAULT_THEME in OURS
    assert {t.dark for t in loaded} == {True, False}


def test_every_bundled_theme_is_registered_and_can_be_shown(make_app, world):
    app = make_app()

    async def steps(pilot):
        assert app.theme == DEFAULT_THEME  # nothing chosen, nothing configured
        seen = {}
        for name in OURS:
            assert isinstance(app.get_theme(name), Theme)
            app.theme = name
            await settle(pilot)
            seen[name] = app.screen.styles.background
        assert "textual-dark" in app.available_themes  # Textual's own stay available
        return seen

    backgrounds = drive(app, steps)
    for name, shown in backgrounds.items():
        wanted = Color.parse(themes_by_name()[name].background)
        assert shown.rgb == wanted.rgb, name


def themes_by_name() -> dict[str, Theme]:
    return {t.name: t for t in load_themes([bundled_themes_dir()])[0]}


def _luminance(colour: str) -> float:
    def channel(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = Color.parse(colour).rgb
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    """WCAG 2 contrast ratio of two colours, 1 to 21."""
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_contrast_helper_matches_known_ratios():
    assert contrast("#ffffff", "#000000") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert contrast("#123456", "#123456") == pytest.approx(1.0)


@pytest.mark.parametrize("name", OURS)
def test_text_is_readable_on_every_background(name):
    theme = themes_by_name()[name]
    needed = 7.0 if name == "secondview-contrast" else 4.5  # WCAG AAA / AA for body text
    assert theme.foreground and theme.background and theme.surface and theme.panel
    for where in ("background", "surface", "panel"):
        ratio = contrast(theme.foreground, getattr(theme, where))
        assert ratio >= needed, f"{name}: foreground on {where} is {ratio:.2f}:1"
    for status in ("success", "warning", "error", "primary", "accent"):
        ratio = contrast(getattr(theme, status), theme.background)
        assert ratio >= 3.0, f"{name}: {status} on the background is {ratio:.2f}:1"


def test_blue_orange_theme_keeps_success_and_error_off_the_red_green_axis():
    theme = themes_by_name()["secondview-blue-orange"]

    def hue(colour: str) -> float:
        r, g, b = Color.parse(colour).normalized
        return colorsys.rgb_to_hls(r, g, b)[0] * 360

    assert 190 <= hue(theme.success) <= 240  # blue
    assert 20 <= hue(theme.error) <= 45  # orange
    path = bundled_themes_dir() / "secondview-blue-orange.yaml"
    assert "symbol" in path.read_text(encoding="utf-8")  # says meaning never rests on colour


# -- the user's themes -----------------------------------------------------------------------


def test_a_user_theme_loads_beside_ours_and_can_be_configured(make_app, world, monkeypatch):
    write_theme(user_theme_dir(world), "sepia.yaml", SEPIA)
    app = make_app(config={"theme": "my-sepia"})
    notes = Notes(app, monkeypatch)

    async def steps(pilot):
        theme = app.current_theme
        return app.theme, theme.dark, theme.variables, app.screen.styles.background.rgb

    name, dark, variables, background = drive(app, steps)
    assert name == "my-sepia" and dark is False
    assert variables == {
        "footer-key-foreground": "#7a4f2a", "block-cursor-text-style": "bold underline"
    }
    assert background == Color.parse("#f3e9d2").rgb
    assert notes.messages == []  # a good theme file says nothing


BROKEN = {
    "bad-yaml.yaml": ("name: x\nprimary: [unclosed\n", "not valid YAML"),
    "bad-colour.yaml": ('name: bad-colour\nprimary: "#4a90d9"\nbackground: "blu"\n',
                        "background: 'blu' is not a color"),
    "no-name.yaml": ('primary: "#4a90d9"\n', "name: missing"),
    "a-list.yaml": ("- name: x\n- primary: red\n", "expected a theme"),
    "unquoted.yaml": ("name: unquoted\nprimary: #4a90d9\n", "primary: empty"),
}


@pytest.mark.parametrize("filename", sorted(BROKEN))
def test_a_broken_user_theme_is_a_notification_and_the_default_theme(
    filename, make_app, world, monkeypatch
):
    body, problem = BROKEN[filename]
    path = write_theme(user_theme_dir(world), filename, body)
    app = make_app()
    notes = Notes(app, monkeypatch)

    async def steps(pilot):
        assert app.is_running
        return app.theme, notes.text()

    theme, said = drive(app, steps)
    assert theme == DEFAULT_THEME
    assert str(path) in said and problem in said and "skipped" in said


def test_a_configured_theme_from_a_broken_file_falls_back_to_the_default(
    make_app, world, monkeypatch
):
    write_theme(user_theme_dir(world), "mine.yaml", 'name: mine\nprimary: "nope"\n')
    app = make_app(config={"theme": "mine"})
    notes = Notes(app, monkeypatch)

    async def steps(pilot):
        return app.theme, notes.text()

    theme, said = drive(app, steps)
    assert theme == DEFAULT_THEME
    assert "primary: 'nope' is not a color" in said
    assert "config.yaml: there is no theme 'mine'" in said and "secondview-light" in said


def test_a_user_theme_with_our_name_replaces_ours_and_says_so(world):
    folder = user_theme_dir(world)
    path = write_theme(
        folder, "dark.yaml", 'name: secondview-dark\nprimary: "#ff00ff"\nbackground: "#000000"\n'
    )
    loaded, warnings = load_themes([bundled_themes_dir(), folder])
    dark = [t for t in loaded if t.name == "secondview-dark"]
    assert len(dark) == 1 and dark[0].primary == "#ff00ff"
    assert warnings == [
        f"{path}: the theme 'secondview-dark' replaces the one from themes/secondview-dark.yaml"
    ]


def test_unknown_keys_and_bad_variables_are_left_out_with_a_warning(world):
    folder = user_theme_dir(world)
    path = write_theme(
        folder,
        "mine.yaml",
        'name: mine\nprimary: "#336699"\nbackgound: "#000000"\nvariables:\n'
        '  footer-key-foreground: "#ffaa00 50%"\n'
        '  block-cursor-text-style: "#ff0000"\n'
        '  border: "red; } Screen { display: none"\n'
        '  text: auto 90%\n',
    )
    loaded, warnings = load_themes([folder])
    assert [t.name for t in loaded] == ["mine"]
    assert loaded[0].variables == {"footer-key-foreground": "#ffaa00 50%", "text": "auto 90%"}
    said = "\n".join(warnings)
    assert f"{path}: 'backgound' is not a theme setting (ignored)" in said
    assert "variables.block-cursor-text-style: '#ff0000' should be text-style words" in said
    assert "variables.border: 'red; } Screen { display: none' is neither a color" in said


@pytest.mark.parametrize(
    "body, problem",
    [
        ("name: has space\nprimary: red\n", "name: 'has space' is not usable"),
        ("name: x\nprimary: red\ndark: maybe\n", "dark: 'maybe' should be true or false"),
        ("name: x\n", "primary: missing"),
        ("name: x\nprimary: red\ntext_alpha: 3\n", "text_alpha: 3 should be a number from 0"),
        ("name: x\nprimary: 12\n", "primary: 12 is not a color"),
    ],
)
def test_each_field_problem_names_the_field(world, body, problem):
    folder = user_theme_dir(world)
    path = write_theme(folder, "t.yaml", body)
    loaded, warnings = load_themes([folder])
    assert loaded == []
    assert len(warnings) == 1 and warnings[0].startswith(f"{path}: {problem}"), warnings


def test_files_starting_with_a_dot_and_other_suffixes_are_ignored(world):
    folder = user_theme_dir(world)
    write_theme(folder, ".sync-tmp.yaml", "garbage: [")
    write_theme(folder, "notes.txt", "garbage: [")
    write_theme(folder, "ok.yml", "name: ok\nprimary: red\n")
    loaded, warnings = load_themes([folder, folder.parent / "missing"])
    assert [t.name for t in loaded] == ["ok"] and warnings == []


# -- the choice is remembered ----------------------------------------------------------------


async def choose_theme_in_palette(pilot, name: str) -> None:
    """ctrl+p, 'theme', enter (Textual's own theme command), then the theme's name, enter."""
    await pilot.press("ctrl+p")
    await pilot.pause()
    await pilot.press(*"theme")
    await pilot.pause(0.5)
    await pilot.press("enter")
    await pilot.pause(0.3)
    assert isinstance(pilot.app.screen, CommandPalette)  # now the list of themes
    await pilot.press(*name)
    await pilot.pause(0.5)
    await pilot.press("enter")
    await settle(pilot)


def test_a_theme_chosen_in_the_palette_is_remembered_for_the_next_start(make_app, world):
    write_theme(user_theme_dir(world), "sepia.yaml", SEPIA)
    state_file = world.paths.state_file
    app = make_app(config={"theme": "secondview-contrast"})

    async def steps(pilot):
        assert app.theme == "secondview-contrast"
        assert not state_file.exists()  # starting writes nothing
        await choose_theme_in_palette(pilot, "secondview-light")
        assert app.theme == "secondview-light"
        saved = json.loads(state_file.read_text())
        await choose_theme_in_palette(pilot, "my-sepia")
        return saved

    first = drive(app, steps)
    assert first["theme"] == "secondview-light"
    assert json.loads(state_file.read_text())["theme"] == "my-sepia"
    assert stat.S_IMODE(state_file.stat().st_mode) == 0o600

    # the next start: the last choice wins over config.yaml
    again = make_app(config={"theme": "secondview-contrast"})

    async def theme_now(pilot):
        return again.theme

    assert drive(again, theme_now) == "my-sepia"


def test_a_theme_set_any_other_way_is_remembered_too(make_app, world):
    app = make_app()

    async def steps(pilot):
        app.theme = "secondview-blue-orange"
        await settle(pilot)

    drive(app, steps)
    assert json.loads(world.paths.state_file.read_text())["theme"] == "secondview-blue-orange"


def test_a_remembered_theme_that_is_gone_is_a_notification_and_the_default(
    make_app, world, monkeypatch
):
    world.paths.data_dir.mkdir(parents=True, exist_ok=True)
    world.paths.state_file.write_text('{"theme": "deleted-theme", "last_case": null}')
    app = make_app()
    notes = Notes(app, monkeypatch)

    async def steps(pilot):
        return app.theme, notes.text()

    theme, said = drive(app, steps)
    assert theme == DEFAULT_THEME
    assert "the theme chosen last, 'deleted-theme', is no longer there" in said
    assert str(world.paths.state_file) in said


def test_a_broken_state_file_is_a_warning_and_the_default(make_app, world, monkeypatch):
    world.paths.data_dir.mkdir(parents=True, exist_ok=True)
    world.paths.state_file.write_text('{"theme": "secondview-li')
    app = make_app()
    notes = Notes(app, monkeypatch)

    async def steps(pilot):
        theme = app.theme
        app.theme = "secondview-light"  # the next change replaces the broken file
        await settle(pilot)
        return theme, notes.text()

    theme, said = drive(app, steps)
    assert theme == DEFAULT_THEME
    assert f"{world.paths.state_file}: is not valid JSON" in said
    assert json.loads(world.paths.state_file.read_text())["theme"] == "secondview-light"


# -- the cache -------------------------------------------------------------------------------

PROBE = r"""
import json, sys, time
from pathlib import Path
from secondview.ui.themes import load_themes, theme_dirs
start = time.perf_counter()
loaded, warnings = load_themes(theme_dirs(Path(sys.argv[1])), Path(sys.argv[2]))
ms = (time.perf_counter() - start) * 1000
print(json.dumps({"yaml": "yaml" in sys.modules, "names": sorted(t.name for t in loaded),
                  "warnings": warnings, "ms": ms,
                  "primary": {t.name: t.primary for t in loaded}}))
"""


def probe(world) -> dict:
    """Load the themes in a fresh interpreter (this one has imported yaml long ago)."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(world.paths.config_dir),
         str(world.paths.cache_dir / "themes.json")],
        capture_output=True, text=True, check=True, env={**os.environ},
    )
    return json.loads(done.stdout)


def test_the_cache_skips_yaml_when_nothing_changed_and_is_rebuilt_when_a_file_did(world):
    folder = user_theme_dir(world)
    sepia = write_theme(folder, "sepia.yaml", SEPIA)
    write_theme(folder, "broken.yaml", "name: broken\nprimary: nope\n")
    cache = world.paths.cache_dir / "themes.json"

    cold = probe(world)
    assert cold["yaml"] is True  # nothing cached yet: the files were read
    assert cold["names"] == sorted([*OURS, "my-sepia"])
    assert stat.S_IMODE(cache.stat().st_mode) == 0o600

    warm = probe(world)
    assert warm["yaml"] is False  # every file unchanged: the cache, no YAML
    assert warm["names"] == cold["names"]
    assert warm["warnings"] == cold["warnings"] and "broken.yaml" in warm["warnings"][0]

    sepia.write_text(SEPIA.replace("#7a4f2a", "#123456"), encoding="utf-8")
    changed = probe(world)
    assert changed["yaml"] is True and changed["primary"]["my-sepia"] == "#123456"
    assert probe(world)["yaml"] is False

    write_theme(folder, "extra.yaml", "name: extra\nprimary: teal\n")  # a new file
    assert "extra" in probe(world)["names"]
    (folder / "extra.yaml").unlink()  # a removed one
    gone = probe(world)
    assert gone["yaml"] is True and "extra" not in gone["names"]

    cache.write_text("{not json")  # a damaged cache is rebuilt, not trusted
    damaged = probe(world)
    assert damaged["yaml"] is True and damaged["names"] == cold["names"]
    assert probe(world)["yaml"] is False


def test_an_unwritable_cache_folder_still_loads_the_themes(world, tmp_path):
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("")
    loaded, warnings = load_themes([bundled_themes_dir()], blocked / "themes.json")
    assert sorted(t.name for t in loaded) == OURS and warnings == []

