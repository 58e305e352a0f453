"""The unlock screen of a sealed cases folder (ui/screens/unlock_screen.py), driven with key
presses: it comes before the case list when the folder is locked; the passphrase never shows;
a wrong one is said in one line and changes no file; the right one (with "remember" ticked)
opens the case list and this device remembers the key."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from textual.widgets import Input

from secondview.store import key_file, remembered_key
from secondview.store.folder_key import FolderKey, new_identity
from secondview.ui.app import SecondViewApp
from secondview.ui.screens.home_screen import HomeScreen
from secondview.ui.screens.unlock_screen import UnlockScreen

from ui_kit import drive, screen_text, settle

PASSPHRASE = "blue heron at dawn"
WRONG = "grey heron at dusk"
TITLE = "Mum - knee surgery"


def hashes(root: Path) -> dict[str, str]:
    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture
def sealed_world(world):
    key = FolderKey([new_identity()])
    world.repo.key = key
    world.repo.create({"title": TITLE})
    key_file.write_key_file(world.paths.cases_dir, key, PASSPHRASE)
    world.repo.key = None
    return world


def test_a_locked_folder_asks_the_passphrase_first_and_never_shows_it(sealed_world):
    world = sealed_world
    app = SecondViewApp(world.repo, paths=world.paths, locked=True)

    async def steps(pilot):
        assert isinstance(app.screen, UnlockScreen)
        box = app.screen.query_one("#passphrase", Input)
        assert box.password and box.has_focus
        assert TITLE not in screen_text(app)
        before = hashes(world.tmp)

        await pilot.press(*WRONG)
        assert WRONG not in screen_text(app) and "heron" not in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        shown = screen_text(app)
        assert "not this cases folder's passphrase" in shown
        assert isinstance(app.screen, UnlockScreen) and box.value == "" and box.has_focus
        assert hashes(world.tmp) == before
        assert world.repo.key is None

        await pilot.press(*PASSPHRASE)
        await pilot.press("tab", "space")  # tick "remember on this device"
        await pilot.press("shift+tab", "enter")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        await settle(pilot)
        assert TITLE in screen_text(app)
        assert world.repo.key is not None
        remembered = remembered_key.recall(world.paths)
        assert remembered is not None and remembered.identities == world.repo.key.identities

    drive(app, steps)


def test_after_unlocking_in_the_app_the_cache_shows_no_title(sealed_world):
    world = sealed_world
    world.repo.close()  # the fixture's own writes: as if the app started afresh
    app = SecondViewApp(world.repo, paths=world.paths, locked=True)

    async def steps(pilot):
        await pilot.press(*PASSPHRASE)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        await settle(pilot)
        assert TITLE in screen_text(app)

    drive(app, steps)
    world.repo.close()  # what the command line does when the app ends
    cache = world.paths.cache_dir
    assert (cache / "index.sqlite.age").exists() and not (cache / "index.sqlite").exists()
    for path in cache.rglob("*"):
        assert not path.is_file() or TITLE.encode() not in path.read_bytes(), path
