"""UnlockScreen: the passphrase of a sealed cases folder, asked before the case list.

Shown in place of the case list when the cases folder is sealed and this device does not
remember its key. The passphrase is typed into a password Input (shown as dots, never
echoed) and checked in a worker thread (scrypt takes a second or two); a wrong one is
said in one line and the box is emptied. Once the key opens, it is given to the
repository, remembered if the person ticked the box, and the case list replaces this
screen. Side effects: reads the key file; with the box ticked, the keyring entry or the
private file of ``store.remembered_key``; this device's files still plain, or sealed to an
older key generation, sealed to the newest (``store.sealing.seal_at_unlock``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Checkbox, Input, Static

from .. import text
from ..kit.key_footer import KeyFooter

if TYPE_CHECKING:
    from ...store.folder_key import FolderKey
    from ...store.repository import CaseRepository

EXPLAIN = ("This cases folder is sealed: its files can be read only with the folder's "
           "passphrase. Type it to open your cases.")
REMEMBER = "Remember the key on this device"
REMEMBER_HINT = ("In the system keyring; where there is none, in a private file here, which "
                 "keeps the sync service out but not someone holding this disk.")
CHECKING = "Checking the passphrase\u2026"
CASES_MODE = "cases"


class UnlockScreen(Screen[None]):
    """Asks the passphrase of ``repo``'s sealed cases folder; see the module docstring."""

    # The app's first screen when the folder is locked: its look is its own, so no
    # stylesheet of the forms is read for it.
    DEFAULT_CSS = """
    UnlockScreen {
        align: center middle;
    }
    UnlockScreen #unlock {
        width: 76;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        border: thick $primary;
        background: $surface;
        padding: 0 1;
    }
    UnlockScreen .form-title {
        margin: 1 0;
        text-style: bold;
    }
    UnlockScreen #unlock-folder, UnlockScreen #remember-hint {
        color: $text-muted;
    }
    UnlockScreen Input {
        margin: 1 0;
        background: $boost;
    }
    UnlockScreen #unlock-message {
        height: auto;
        margin-bottom: 1;
    }
    """
    HELP_TITLE = "Unlock the cases folder"
    GUIDANCE = (
        "Type the passphrase and press enter. It shows as dots and is never kept unless "
        "you tick the box: then this device opens the folder by itself until "
        "'secondview lock'.",
        "Lost it? 'secondview seal recover' sets a new one from the recovery key.",
    )

    def __init__(self, repo: CaseRepository) -> None:
        super().__init__()
        self.repo = repo

    def compose(self) -> ComposeResult:
        with Vertical(id="unlock", classes="dialog"):
            yield Static(Content("Unlock the cases folder"), classes="form-title")
            yield Static(Content(EXPLAIN))
            yield Static(text.content(str(self.repo.paths.cases_dir)), id="unlock-folder")
            yield Input(password=True, placeholder="passphrase", id="passphrase")
            yield Checkbox(Content(REMEMBER), id="remember")
            yield Static(Content(REMEMBER_HINT), id="remember-hint")
            yield Static("", id="unlock-message")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#passphrase", Input).focus()

    @on(Input.Submitted, "#passphrase")
    def _submitted(self, event: Input.Submitted) -> None:
        if not event.value or self.query_one("#passphrase", Input).disabled:
            return
        self._say(CHECKING)
        self.query_one("#passphrase", Input).disabled = True
        self._unlock(event.value, self.query_one("#remember", Checkbox).value)

    def _say(self, message: str) -> None:
        self.query_one("#unlock-message", Static).update(text.content(message))

    @work(thread=True, exclusive=True, group="unlock", exit_on_error=False)
    def _unlock(self, passphrase: str, remember: bool) -> None:
        """Open the key file (scrypt) off the event loop; the result goes back to it."""
        from ...store.folder_key import SealingUnavailable
        from ...store.key_file import KeyFileError, unlock
        from ...store.remembered_key import remember as keep
        from ...store.sealing import seal_at_unlock

        try:
            key = unlock(self.repo.paths.cases_dir, passphrase)
        except (KeyFileError, SealingUnavailable) as exc:
            self.app.call_from_thread(self._refused, str(exc))
            return
        if remember:
            keep(self.repo.paths, key, consent_to_file=True)
        self.repo.key = key
        seal_at_unlock(self.repo, key)  # only this device's own files
        self.app.call_from_thread(self._opened, key)

    def _refused(self, message: str) -> None:
        box = self.query_one("#passphrase", Input)
        box.value = ""
        box.disabled = False
        box.focus()
        self._say(message[:1].upper() + message[1:] + ".")

    def _opened(self, key: FolderKey) -> None:
        from .home_screen import HomeScreen

        self.repo.key = key
        # The case list is the bottom of its own stack (the app's ``home``): a mode of its own,
        # this screen's stack left behind.
        self.app.add_mode(CASES_MODE, lambda: HomeScreen(self.repo, self.app.paths))
        self.app.switch_mode(CASES_MODE)
