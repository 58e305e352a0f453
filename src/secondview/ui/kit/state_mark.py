"""StateMark: a toggle (Textual's checkbox or radio button) that draws a mark of its own for
each state.

Textual draws the same mark on and off (``▐X▌`` for a checkbox, ``▐●▌`` for a radio button)
and shows the state by colour alone, which a colour-blind person, a monochrome terminal or a
theme of low contrast loses. A class that mixes this in before the toggle draws
``MARKS[value]`` through ``ToggleButton.BUTTON_INNER`` (public), chosen as each frame is
drawn, so the mark follows the value however it changes. Both marks must be one cell wide, so
the layout does not move. Used by ``MarkedCheckbox`` and ``MarkedRadioButton``.
"""

from __future__ import annotations

from typing import ClassVar

from textual.content import Content


class StateMark:
    """Draws ``MARKS[value]`` (off, on) inside the button: mix in before a ToggleButton."""

    MARKS: ClassVar[tuple[str, str]]
    BUTTON_INNER: str
    value: bool

    def render(self) -> Content:
        self.BUTTON_INNER = self.MARKS[bool(self.value)]
        return super().render()  # type: ignore[misc,no-any-return]
