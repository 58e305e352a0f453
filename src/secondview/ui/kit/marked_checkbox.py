"""MarkedCheckbox: Textual's checkbox with a tick when on and an empty box when off, not the
same mark in two colours (``kit.state_mark``)."""

from __future__ import annotations

from textual.widgets import Checkbox

from .state_mark import StateMark


class MarkedCheckbox(StateMark, Checkbox):
    """A checkbox: ✔ when on, a blank when off."""

    MARKS = (" ", "\u2714")  # ✔
