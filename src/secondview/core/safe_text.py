"""The one table of characters that must never reach a person as they are, and ``clean``.

Text typed by a person, or read from a case file (which another device, a sync tool or a
stranger may have written), can hold characters that act instead of showing: escape
sequences that clear a terminal or set its title, bidi overrides and isolates that reorder
what is read, zero-width characters that hide text inside text. ``clean`` turns each into a
visible placeholder, so the screen (``ui/text.py``), every line the command line prints
(``cli``) and the exports (``core/export.py``) show the same characters the same way.

Pure functions and constants: no I/O, no state.
"""

from __future__ import annotations

import re
from typing import Any

NEWLINE_MARK = "\u21b5"
"""↵ stands for a line break where text must stay on one line (table cells, labels)."""

BIDI_CONTROLS = frozenset((*range(0x202A, 0x202F), *range(0x2066, 0x206A),
                           0x200E, 0x200F, 0x061C))
"""Embeddings, overrides, isolates and direction marks: they reorder the text around them."""

ZERO_WIDTH = frozenset((0x200B, 0x2060, 0xFEFF))
"""Zero-width space, word joiner, byte-order mark: invisible, they hide text inside text.
(The zero-width joiner and non-joiner stay: scripts and emoji need them.)"""

LINE_BREAKS = re.compile(r"\r\n|[\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
"""Every character that ends a line somewhere; each is one line break to us."""


def placeholder(code: int) -> str:
    """What stands for a character that must not act: ␛ for escape, ⟨U+202E⟩ beyond C0."""
    if code < 0x20:
        return chr(0x2400 + code)  # the Control Pictures block: ␀ ... ␟
    if code == 0x7F:
        return "\u2421"  # ␡
    return f"\u27e8U+{code:04X}\u27e9"


_UNSAFE = {code: placeholder(code) for code in
           (*range(0x20), 0x7F, *range(0x80, 0xA0), *BIDI_CONTROLS, *ZERO_WIDTH)}
_UNSAFE[ord("\t")] = " "
_MULTILINE = {**_UNSAFE, ord("\n"): "\n"}
_ONE_LINE = {**_UNSAFE, ord("\n"): NEWLINE_MARK}


def clean(value: Any, multiline: bool = False) -> str:
    """``value`` as safe plain text: ``None`` is "", every kind of line break one "\\n" (or,
    with ``multiline`` False, the visible ↵ so the text stays on one line), a tab a space,
    and every other control, bidi or zero-width character its visible placeholder.

    Cleaning clean text changes nothing, so a caller may clean again without harm.
    """
    if value is None:
        return ""
    raw = value if isinstance(value, str) else str(value)
    return LINE_BREAKS.sub("\n", raw).translate(_MULTILINE if multiline else _ONE_LINE)
