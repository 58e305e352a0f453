"""PaneTabs: the workspace's seven pane names on one line, the one shown lit and underlined.

Drawn as one widget, two lines of text: Textual's ``Tabs`` is a widget per tab plus an
animated underline, restyled on every switch and then animated for a third of a second
(about twenty frames), which cost more than the switch itself. The keys 1 to 7 switch panes;
a click on a name posts ``PaneTabs.Chosen``. A pane holding conflicts shows a badge ("≠2")
after its name. When the names do not fit the width, one space parts them instead of two;
if they still do not fit, the panes not shown drop their key and keep their name (nine panes
fit 80 columns so: the keys are in the help and on the shown pane); then the panes not shown
keep only their key; and last, the line slides so the shown pane's name is whole.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.style import Style
from rich.text import Text
from textual import events
from textual.message import Message
from textual.reactive import reactive
from textual.renderables.bar import Bar
from textual.strip import Strip
from textual.widget import Widget

BADGE = "\u2260"  # ≠
KEPT_STATES = 64
"""Drawn states kept (7 panes, each hovered or not, a few badge counts)."""
Drawn = tuple[tuple[Strip, Strip], list[tuple[int, int, str]]]
"""A state as drawn: the names' line and the bar's, and (first cell, cell after the last,
name) of each tab, for clicks."""


class PaneTabs(Widget):
    """``tabs``: (name, label) of each pane in order; ``active``: the name shown."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES = {
        "pane-tabs--tab",
        "pane-tabs--active",
        "pane-tabs--hover",
        "pane-tabs--bar",
    }
    DEFAULT_CSS = """
    PaneTabs {
        width: 1fr;
        height: 2;
    }
    PaneTabs > .pane-tabs--tab {
        color: $foreground 50%;
    }
    PaneTabs > .pane-tabs--active {
        color: $foreground;
    }
    PaneTabs > .pane-tabs--hover {
        color: $foreground;
    }
    PaneTabs > .pane-tabs--bar {
        color: $block-cursor-background;
        background: $foreground 10%;
    }
    """

    active: reactive[str] = reactive("")
    _hover: reactive[str | None] = reactive(None)

    class Chosen(Message):
        """The pane ``name`` was clicked."""

        def __init__(self, tabs: PaneTabs, name: str) -> None:
            super().__init__()
            self.tabs = tabs
            self.name = name

        @property
        def control(self) -> PaneTabs:
            return self.tabs

    def __init__(self, tabs: Sequence[tuple[str, str]], active: str = "", *,
                 id: str | None = None) -> None:
        super().__init__(id=id)
        self.tabs = tuple(tabs)
        self.set_reactive(PaneTabs.active, active or (self.tabs[0][0] if self.tabs else ""))
        self._badges: dict[str, int] = {}
        self._spans: list[tuple[int, int, str]] = []
        """(first cell, cell after the last, name) of each tab as drawn, for clicks."""
        self._drawn: dict[tuple[object, ...], Drawn] = {}
        """(shown pane, hover, badges, width) -> its two lines and its spans."""

    def set_badge(self, name: str, count: int) -> None:
        """Show ``count`` (conflicts waiting) after the name of pane ``name``; 0 hides it."""
        if self._badges.get(name, 0) != count:
            self._badges[name] = count
            self.refresh()

    def label(self, name: str) -> str:
        """The tab of pane ``name`` as shown, badge included ("3 Records ≠1")."""
        label = dict(self.tabs)[name]
        count = self._badges.get(name, 0)
        return f"{label} {BADGE}{count}" if count else label

    # -- drawing -------------------------------------------------------------------------------

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._drawn.clear()  # the theme or a rule changed: draw again with the new styles

    def render_line(self, y: int) -> Strip:
        """Line 0: the names; line 1: the bar under them. Each state (shown pane, hover,
        badges, width) is drawn once and kept, so a pane switch draws nothing new after the
        first round (Textual's render pipeline redrew them on every switch: see
        ui/kit/README.md)."""
        width = self.size.width
        key = (self.active, self._hover, tuple(self._badges.items()), width)
        drawn = self._drawn.get(key)
        if drawn is None:
            if len(self._drawn) >= KEPT_STATES:
                self._drawn.clear()
            drawn = self._drawn[key] = self._draw(width)
        lines, self._spans = drawn
        return lines[y] if 0 <= y < len(lines) else Strip.blank(width)

    def _names(self, styles: dict[str, Style], pad: str, shorten: str
               ) -> tuple[Text, list[tuple[int, int, str]], tuple[int, int]]:
        """The names' line with ``pad`` each side of a name, each tab's span, and the shown
        name's span. ``shorten`` says what the panes not shown keep of "3 Records": "" all of
        it, "name" the name ("Records"), "key" the key ("3")."""
        line = Text(no_wrap=True, overflow="crop", end="")
        spans: list[tuple[int, int, str]] = []
        active_span = (0, 0)
        if not pad and shorten != "name":
            line.append(" ")
        for name, label in self.tabs:
            kind = "active" if name == self.active else "hover" if name == self._hover else "tab"
            if shorten and name != self.active:
                key, _, rest = label.partition(" ")
                label = (rest or key) if shorten == "name" else key
            start = line.cell_len
            line.append(pad)
            line.append(label, styles[kind])
            count = self._badges.get(name, 0)
            if count:
                line.append(f" {BADGE}{count}", styles[kind] + Style(bold=True))
            line.append(pad or " ")
            spans.append((start, line.cell_len, name))
            if name == self.active:
                # the name, not its padding
                active_span = (start + len(pad), line.cell_len - 1)
        return line, spans, active_span

    def _draw(self, width: int) -> Drawn:
        """The two lines for the state as it is, and where each name is on them."""
        styles = {
            kind: self.get_component_rich_style(f"pane-tabs--{kind}")
            for kind in ("tab", "active", "hover", "bar")
        }
        for pad, shorten in ((" ", ""), ("", ""), ("", "name"), ("", "key")):
            line, spans, active_span = self._names(styles, pad, shorten)
            if not width or line.cell_len <= width:
                break
        shift = max(0, active_span[1] + 1 - width) if width else 0
        if shift:
            line = line[shift:]
        bar = styles["bar"]
        console = self.app.console
        options = console.options.update_width(max(1, width))
        bar_line = Bar(
            highlight_range=(active_span[0] - shift, active_span[1] - shift),
            highlight_style=Style.from_color(bar.color),
            background_style=Style.from_color(bar.bgcolor),
        )
        base = self.rich_style  # the widget's colours under each cell (as render() had)
        names, under = (
            Strip(console.render_lines(renderable, options, pad=False)[0])
            .apply_style(base).crop_extend(0, width, base)
            for renderable in (line, bar_line)
        )
        return (names, under), [(a - shift, b - shift, name) for a, b, name in spans]

    # -- the mouse -----------------------------------------------------------------------------

    def _name_at(self, x: int) -> str | None:
        return next((name for start, end, name in self._spans if start <= x < end), None)

    def on_click(self, event: events.Click) -> None:
        name = self._name_at(event.x)
        if name is not None:
            event.stop()
            self.post_message(self.Chosen(self, name))

    def on_mouse_move(self, event: events.MouseMove) -> None:
        self._hover = self._name_at(event.x) if event.y == 0 else None

    def on_leave(self) -> None:
        self._hover = None
