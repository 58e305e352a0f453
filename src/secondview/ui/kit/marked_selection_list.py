"""MarkedSelectionList: Textual's selection list with a tick beside each item picked and a
blank beside the others, not one mark in two colours (as ``kit.state_mark`` does for a
checkbox).

Textual draws every item's box with ``Checkbox.BUTTON_INNER`` and tells picked from not picked
by colour alone. This draws the line as Textual does (``render_line``, public), then puts the
item's own mark in the box's one cell; the item on a line is found as Textual finds it (the
scroll offset plus the line: one line per item).
"""

from __future__ import annotations

from typing import ClassVar, TypeVar

from rich.segment import Segment
from textual.strip import Strip
from textual.widgets import Checkbox, SelectionList
from textual.widgets.option_list import OptionDoesNotExist

T = TypeVar("T")


class MarkedSelectionList(SelectionList[T]):
    """A selection list: ✔ beside a picked item, a blank beside the others."""

    MARKS: ClassVar[tuple[str, str]] = (" ", "\u2714")  # ✔

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        _, scroll_y = self.scroll_offset
        try:
            option = self.get_option_at_index(scroll_y + y)
        except OptionDoesNotExist:
            return strip
        segments = list(strip)
        if len(segments) < 2 or segments[1].text != Checkbox.BUTTON_INNER:
            return strip
        mark = self.MARKS[option.value in self.selected]  # type: ignore[attr-defined]
        segments[1] = Segment(mark, segments[1].style)
        return Strip(segments, strip.cell_length)
