"""HelpScreen: the keys of the screen it was opened from, and a few lines about that screen.

``i`` shows each key's binding id beside it: the name to put under ``keys:`` in config.yaml
to give that binding another key.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.keys import key_to_character
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

FOOT = "escape closes this help; i shows each binding's id, for keys: in config.yaml"
PALETTE_KEY = "ctrl+p"
PALETTE_HELP = "Command palette: open a case, go to a pane, add an item, theme"
KEY_WORDS = {"question_mark": "?", "slash": "/", "space": "space"}


def key_words(key: str) -> str:
    """A key as a person would write it: '?', '/', 'enter', 'ctrl+q'."""
    key = key.strip()
    if key in KEY_WORDS:
        return KEY_WORDS[key]
    character = key_to_character(key)
    return character if character and character.isprintable() else key


def id_list(ids: Sequence[str]) -> str:
    """The binding ids of one row of help: 'a, b', or the first and the last of three or
    more ('home.sort_1 … home.sort_9')."""
    if len(ids) > 2:
        return f"{ids[0]} \u2026 {ids[-1]}"
    return ", ".join(ids)


def key_list(keys: Sequence[str]) -> str:
    """Keys for one row of help: 'a / b', with a run of three or more digits as '1-9'."""
    shown: list[str] = []
    run: list[int] = []

    def close_run() -> None:
        if len(run) >= 3:
            shown.append(f"{run[0]}-{run[-1]}")
        else:
            shown.extend(str(d) for d in run)
        run.clear()

    for key in keys:
        if len(key) == 1 and key.isdigit() and (not run or int(key) == run[-1] + 1):
            run.append(int(key))
            continue
        close_run()
        if len(key) == 1 and key.isdigit():
            run.append(int(key))
        else:
            shown.append(key)
    close_run()
    return " / ".join(shown)


class HelpScreen(ModalScreen[None]):
    """A modal list of keys with guidance; escape (or ?, f1, q) closes it, i shows or hides
    the binding ids."""

    CSS_PATH = Path(__file__).with_name("forms.tcss")  # read when first shown, not at start

    HELP_TITLE = "Help"
    BINDINGS = [
        Binding("escape,q", "close", "Close", id="help.close"),
        Binding("i", "toggle_ids", "Show the binding ids", id="help.ids"),
    ]

    def __init__(
        self, title: str, guidance: Sequence[str], keys: Sequence[tuple[str, ...]]
    ) -> None:
        """``keys``: rows of (keys, what they do) or (keys, what they do, binding ids)."""
        super().__init__()
        self.title_text = title
        self.guidance = list(guidance)
        self.keys = [(row[0], row[1], row[2] if len(row) > 2 else "") for row in keys]
        self.showing_ids = False
        """Whether each row shows its binding ids (``i`` switches)."""

    @classmethod
    def for_screen(cls, screen: Screen) -> HelpScreen:
        """Help for ``screen``: its bindings (and the app's) that carry an id, and its
        ``GUIDANCE`` lines. Bindings that do the same thing to different keys (the same
        description) share one row: '1-9  Sort by the column of that number'."""
        app = screen.app
        found: dict[str, list[str]] = {}
        """description -> keys, in the order the bindings come."""
        found_ids: dict[str, list[str]] = {}
        """description -> binding ids, in the same order."""
        ids: set[str] = set()
        for active in screen.active_bindings.values():
            binding = active.binding
            if not binding.id or not binding.description or binding.system:
                continue
            if binding.id not in ids:
                found_ids.setdefault(binding.description, []).append(binding.id)
            ids.add(binding.id)
            keys = found.setdefault(binding.description, [])
            for key in binding.key.split(","):
                shown = key_words(key)
                if shown not in keys:
                    keys.append(shown)
        # A modal screen hides the app's own bindings from its chain; they still work
        # (quit is a priority binding, help too), so list them all the same.
        keymap = getattr(app, "user_keymap", {})
        for binding in getattr(type(app), "BINDINGS", ()):
            if isinstance(binding, Binding) and binding.id and binding.id not in ids:
                ids.add(binding.id)
                found_ids.setdefault(binding.description, []).append(binding.id)
                keys = found.setdefault(binding.description, [])
                for key in keymap.get(binding.id, binding.key).split(","):
                    if key_words(key) not in keys:
                        keys.append(key_words(key))
        rows = [
            (key_list(keys), description, id_list(found_ids.get(description, ())))
            for description, keys in found.items()
        ]
        rows.append((PALETTE_KEY, PALETTE_HELP, ""))
        title = getattr(screen, "HELP_TITLE", "secondview")
        guidance = getattr(screen, "GUIDANCE", ())
        return cls(title, guidance, rows)

    def compose(self) -> ComposeResult:
        with Vertical(id="help", classes="dialog"):
            yield Static(Content.styled(f"Help: {self.title_text}", "bold"), classes="form-title")
            with VerticalScroll(id="help-body"):
                yield Static(self.key_rows(), id="help-keys")
                for line in self.guidance:
                    yield Static(Content(line), classes="help-guidance")
            yield Static(Content.styled(FOOT, "dim"), classes="help-foot")

    def key_rows(self, room: int = 0) -> Content:
        """The rows of keys, each with its binding ids when ``showing_ids``. With ``room``
        (the columns the rows have), a description too long for the rest of its line goes
        on under itself, not under the keys."""
        width = max((len(keys) for keys, _, _ in self.keys), default=0) + 3
        id_width = max((len(ids) for _, _, ids in self.keys), default=0) + 3 \
            if self.showing_ids else 0
        left = width + id_width
        rows = []
        for keys, description, ids in self.keys:
            lines = [description]
            if room - left >= 20:
                lines = textwrap.wrap(description, room - left) or [""]
            rows.append(Content.assemble(
                (keys.ljust(width), "bold"),
                (ids.ljust(id_width), "dim") if self.showing_ids else "",
                "\n".join([lines[0], *(" " * left + line for line in lines[1:])]),
            ))
        return Content("\n").join(rows)

    def action_toggle_ids(self) -> None:
        """Show (or hide again) each row's binding ids."""
        self.showing_ids = not self.showing_ids
        keys = self.query_one("#help-keys", Static)
        keys.update(self.key_rows(keys.content_size.width))

    def action_close(self) -> None:
        self.dismiss(None)
