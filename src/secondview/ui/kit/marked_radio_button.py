"""MarkedRadioButton: Textual's radio button with a filled dot when on and a ring when off,
not the same dot in two colours (``kit.state_mark``)."""

from __future__ import annotations

from textual.widgets import RadioButton

from .state_mark import StateMark


class MarkedRadioButton(StateMark, RadioButton):
    """A radio button: ● when on, ○ when off."""

    MARKS = ("\u25cb", "\u25cf")  # ○ ●
