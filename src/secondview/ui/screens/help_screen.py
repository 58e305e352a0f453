"""HelpScreen: the keys of the screen it was opened from, and a few lines about that screen."""

from __future__ import annotations

from typing import Sequence

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.keys import key_to_character
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

PALETTE_KEY = "ctrl+p"
PALETTE_HELP = "Command palette: open or start a case, change the theme"
KEY_WORDS = {"question_mark": "?", "slash": "/", "space": "space"}


def key_words(key: str) -> str:
    """A key as a person would write it: '?', '/', 'enter', 'ctrl+q'."""
    key = key.strip()
    if key in KEY_WORDS:
        return KEY_WORDS[key]
    character = key_to_character(key)
    return character if character and character.isprintable() else key


class HelpScreen(ModalScreen[None]):
    """A modal list of keys with guidance; escape (or ?, f1, q) closes it."""

    HELP_TITLE = "Help"
    BINDINGS = [Binding("escape,q", "close", "Close", id="help.close")]

    def __init__(
        self, title: str, guidance: Sequence[str], keys: Sequence[tuple[str, str]]
    ) -> None:
        super().__init__()
        self.title_text = title
        self.guidance = list(guidance)
        self.keys = list(keys)

    @classmethod
    def for_screen(cls, screen: Screen) -> "HelpScreen":
        """Help for ``screen``: its bindings (and the app's) that carry an id, and its
        ``GUIDANCE`` lines."""
        app = screen.app
        found: dict[str, tuple[str, list[str]]] = {}
        for active in screen.active_bindings.values():
            binding = active.binding
            if not binding.id or not binding.description or binding.system:
                continue
            description, keys = found.setdefault(binding.id, (binding.description, []))
            for key in binding.key.split(","):
                shown = key_words(key)
                if shown not in keys:
                    keys.append(shown)
        # A modal screen hides the app's own bindings from its chain; they still work
        # (quit is a priority binding, help too), so list them all the same.
        keymap = getattr(app, "user_keymap", {})
        for binding in getattr(type(app), "BINDINGS", ()):
            if isinstance(binding, Binding) and binding.id and binding.id not in found:
                keys = keymap.get(binding.id, binding.key).split(",")
                found[binding.id] = (binding.description, [key_words(k) for k in keys])
        rows = [(" / ".join(keys), description) for description, keys in found.values()]
        rows.append((PALETTE_KEY, PALETTE_HELP))
        title = getattr(screen, "HELP_TITLE", "secondview")
        guidance = getattr(screen, "GUIDANCE", ())
        return cls(title, guidance, rows)

    def compose(self) -> ComposeResult:
        width = max((len(k) for k, _ in self.keys), default=0) + 3
        with Vertical(id="help", classes="dialog"):
            yield Static(Content.styled(f"Help: {self.title_text}", "bold"), classes="form-title")
            with VerticalScroll(id="help-body"):
                keys = Content("\n").join(
                    Content.assemble((key.ljust(width), "bold"), description)
                    for key, description in self.keys
                )
                yield Static(keys, id="help-keys")
                for line in self.guidance:
                    yield Static(Content(line), classes="help-guidance")
            yield Static(Content.styled("escape closes this help", "dim"), classes="help-foot")

    def action_close(self) -> None:
        self.dismiss(None)
