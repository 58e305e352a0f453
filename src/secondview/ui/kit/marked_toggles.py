"""MarkedCheckbox and MarkedRadioButton: Textual's checkbox and radio button, with a mark of
their own for each state.

Textual draws the same mark on and off (``▐X▌`` for a checkbox, ``▐●▌`` for a radio button)
and shows the state by colour alone, which a colour-blind person, a monochrome terminal or a
theme of low contrast loses. These draw a tick or a filled dot when on and an empty box or a
ring when off, through ``ToggleButton.BUTTON_INNER`` (public): the mark is chosen as each
frame is drawn, so it follows the value however it changes. Both marks are one cell wide, so
the layout does not move.
"""

from __future__ import annotations

from typing import ClassVar

from textual.content import Content
from textual.widgets import Checkbox, RadioButton


class _StateMark:
    """Draws ``MARKS[value]`` (off, on) inside the button (a mixin for a ToggleButton)."""

    MARKS: ClassVar[tuple[str, str]]
    BUTTON_INNER: str
    value: bool

    def render(self) -> Content:
        self.BUTTON_INNER = self.MARKS[bool(self.value)]
        return super().render()  # type: ignore[misc,no-any-return]


class MarkedCheckbox(_StateMark, Checkbox):
    """A checkbox: a tick when on, an empty box when off."""

    MARKS = (" ", "\u2714")  # ✔


class MarkedRadioButton(_StateMark, RadioButton):
    """A radio button: a filled dot when on, a ring when off."""

    MARKS = ("\u25cb", "\u25cf")  # ○ ●
