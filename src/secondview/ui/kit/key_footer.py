"""KeyFooter: the keys that work here, on one line at the bottom of a screen.

A light stand-in for Textual's ``Footer``, which builds a widget for every key shown and
builds them all again whenever the screen's bindings change: on every focus change, so on
every pane switch (most of a key's latency in the case workspace: the figure is in
ui/kit/README.md). This widget draws one line of text, and draws it again only when the keys it
shows have changed.

What it shows follows ``Footer``: the bindings of ``Screen.active_bindings`` marked ``show``,
one per action (the first binding of each), disabled ones dimmed, and the command palette's
key on the right behind a thin rule. A click on a key presses it (``App.simulate_key``).
Keys that do not fit the width are left out whole, never cut in the middle; the keys of
``KEPT_ACTIONS`` (help) are never the ones left out: the others make room for them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from rich.style import Style
from rich.text import Text
from textual import events
from textual.reactive import reactive
from textual.widget import Widget

if TYPE_CHECKING:
    from textual.screen import Screen

RULE = "\u258f"  # ▏ before the palette's key, as Footer draws it
KEPT_ACTIONS = frozenset({"help"})
"""Actions whose key always shows, however narrow the screen: a person lost on a small
screen needs help most."""


class _Key(NamedTuple):
    """One key as shown: what to press, its label, whether it does anything now, and the
    action it runs."""

    key: str
    display: str
    description: str
    enabled: bool
    action: str = ""


class KeyFooter(Widget):
    """The current screen's keys on one line. ``compact`` drops the padding around each key
    so more of them fit (the case list uses it to fit 80 columns)."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES = {
        "key-footer--key",
        "key-footer--description",
        "key-footer--rule",
        "key-footer--hover",
    }
    DEFAULT_CSS = """
    KeyFooter {
        dock: bottom;
        height: 1;
        width: 1fr;
        color: $footer-foreground;
        background: $footer-background;
    }
    KeyFooter > .key-footer--key {
        color: $footer-key-foreground;
        background: $footer-key-background;
        text-style: bold;
    }
    KeyFooter > .key-footer--description {
        color: $footer-description-foreground;
        background: $footer-description-background;
    }
    KeyFooter > .key-footer--rule {
        color: $foreground 20%;
    }
    KeyFooter > .key-footer--hover {
        background: $block-hover-background;
    }
    """

    compact: reactive[bool] = reactive(False)
    _hover: reactive[int | None] = reactive(None)

    def __init__(self, *, compact: bool = False, id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.set_reactive(KeyFooter.compact, compact)
        self.keys: tuple[_Key, ...] = ()
        """The keys shown on the left, in order."""
        self.palette_key: _Key | None = None
        """The command palette's key, shown on the right."""
        self._spans: list[tuple[int, int, _Key]] = []
        """(first cell, cell after the last, key) of each key drawn, for clicks."""

    # -- following the bindings ----------------------------------------------------------------

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self.call_after_refresh(self._bindings_changed, self.screen)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen) -> None:
        """Read the screen's active bindings; redraw only if what is shown has changed."""
        if not self.is_attached or screen is not self.screen:
            return
        keys: list[_Key] = []
        actions: set[str] = set()
        palette: _Key | None = None
        palette_binding = self.app.COMMAND_PALETTE_BINDING
        for key, (_node, binding, enabled, _tooltip) in screen.active_bindings.items():
            if self.app.ENABLE_COMMAND_PALETTE and key == palette_binding:
                palette = _Key(binding.key, self.app.get_key_display(binding),
                              binding.description, enabled)
                continue
            if not binding.show or binding.action in actions:
                continue
            actions.add(binding.action)
            keys.append(_Key(binding.key, self.app.get_key_display(binding),
                            binding.description, enabled, binding.action))
        if (tuple(keys), palette) != (self.keys, self.palette_key):
            self.keys, self.palette_key = tuple(keys), palette
            self.refresh()

    # -- drawing -------------------------------------------------------------------------------

    def _pieces(self, key: _Key, compact: bool) -> list[tuple[str, Style]]:
        """A key as drawn: (text, style) of its key and its description."""
        shown = [(key.display if compact else f" {key.display} ",
                  self.get_component_rich_style("key-footer--key"))]
        if key.description:
            described = f" {key.description}" if compact else f"{key.description} "
            shown.append((described,
                          self.get_component_rich_style("key-footer--description")))
        if not key.enabled:
            dim = Style(dim=True)
            shown = [(t, s + dim) for t, s in shown]
        return shown

    def _drawn(self, key: _Key) -> list[tuple[str, Style]]:
        """A key of the left part as drawn (with its gap after it when compact)."""
        shown = self._pieces(key, self.compact)
        if self.compact:
            shown.append((" ", Style()))
        return shown

    def _fitted(self, room: int) -> list[tuple[_Key, list[tuple[str, Style]]]]:
        """The keys of the left part that fit ``room`` cells, in order, each as drawn. After
        the first key that does not fit, only the kept ones (``KEPT_ACTIONS``) follow, and
        the keys before a kept one leave it room; the last key may lose its padding."""
        sizes = [sum(Text(t).cell_len for t, _ in self._drawn(key)) for key in self.keys]
        kept = [n for n, key in enumerate(self.keys) if key.action in KEPT_ACTIONS]
        fitted: list[tuple[_Key, list[tuple[str, Style]]]] = []
        x = 0
        full = False
        for index, key in enumerate(self.keys):
            if full and index not in kept:
                continue  # after a key that did not fit, only the kept ones
            later = [k for k in kept if k > index] if index not in kept else []
            # a kept key that comes last may lose its padding too
            limit = room - sum(sizes[k] for k in later) + (1 if later else 0)
            shown, cells = self._drawn(key), sizes[index]
            if (x + cells > limit and not later and shown[-1][0].endswith(" ")
                    and x + cells - 1 <= limit):
                shown[-1] = (shown[-1][0][:-1], shown[-1][1])  # the last key's padding goes
                cells -= 1
            if x + cells > limit:
                full = True
                continue
            fitted.append((key, shown))
            x += cells
        return fitted

    def render(self) -> Text:
        width = self.size.width
        hover_style = self.get_component_rich_style("key-footer--hover", partial=True)
        line = Text(no_wrap=True, end="")
        spans: list[tuple[int, int, _Key]] = []
        right: list[tuple[str, Style]] = []
        if self.palette_key is not None:
            right = [(RULE, self.get_component_rich_style("key-footer--rule"))]
            right += self._pieces(self.palette_key, compact=True)
            if not self.compact:
                right.append((" ", Style()))
        x = 0
        for key, shown in self._fitted(width - sum(len(t) for t, _ in right)):
            if len(spans) == self._hover:  # the hover counts the keys drawn
                shown = [(t, s + hover_style) for t, s in shown]
            for t, s in shown:
                line.append(t, s)
            cells = sum(Text(t).cell_len for t, _ in shown)
            spans.append((x, x + cells, key))
            x += cells
        if right:
            line.append(" " * max(0, width - x - sum(Text(t).cell_len for t, _ in right)))
            start = line.cell_len + 1
            for t, s in right:
                line.append(t, s)
            spans.append((start, line.cell_len, self.palette_key))  # type: ignore[arg-type]
        self._spans = spans
        return line

    # -- the mouse -----------------------------------------------------------------------------

    def _key_at(self, x: int) -> tuple[int, _Key] | None:
        for index, (start, end, key) in enumerate(self._spans):
            if start <= x < end:
                return index, key
        return None

    def on_click(self, event: events.Click) -> None:
        """A click on a key presses it (a disabled key rings the bell)."""
        found = self._key_at(event.x)
        if found is None:
            return
        event.stop()
        _, key = found
        if key.enabled:
            self.app.simulate_key(key.key.split(",")[0])
        else:
            self.app.bell()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        found = self._key_at(event.x)
        self._hover = found[0] if found is not None and found[1] in self.keys else None

    def on_leave(self) -> None:
        self._hover = None
