"""The one way user text reaches the screen.

Anything a person typed, and anything read from a case file (which another device, a sync
tool or a stranger may have written), is shown through this module. Every function here
builds plain text: nothing is ever parsed as Textual or Rich markup, so ``[@click=app.quit]``
shows as those characters and does nothing when clicked. Control characters (escape
sequences included) and bidi overrides, which could hide or reorder what is on screen, are
replaced by visible placeholders.

Pure functions of their arguments: no I/O, no state.
"""

from __future__ import annotations

from typing import Any, Sequence

from rich.text import Text
from textual.content import Content
from textual.style import Style

NEWLINE_MARK = "\u21b5"  # ↵ stands for a line break in one-line places (table cells, labels)
ELLIPSIS = "\u2026"

BIDI_CONTROLS = (*range(0x202A, 0x202F), *range(0x2066, 0x206A))
"""Embeddings, overrides and isolates: they reorder the text around them."""


def _placeholder(code: int) -> str:
    if code < 0x20:
        return chr(0x2400 + code)  # the Control Pictures block: ␀ ... ␟ (␛ for escape)
    if code == 0x7F:
        return "\u2421"  # ␡
    return f"\u27e8U+{code:04X}\u27e9"  # ⟨U+202E⟩


def _table(multiline: bool) -> dict[int, str]:
    table = {code: _placeholder(code) for code in range(0x20)}
    table[0x7F] = _placeholder(0x7F)
    for code in range(0x80, 0xA0):  # C1 controls (0x9B is a one-byte escape sequence start)
        table[code] = _placeholder(code)
    for code in BIDI_CONTROLS:
        table[code] = _placeholder(code)
    if multiline:
        table[ord("\n")] = "\n"
        table[ord("\t")] = "    "
    else:
        table[ord("\n")] = NEWLINE_MARK
        table[ord("\t")] = " "
    return table


_ONE_LINE = _table(multiline=False)
_MULTILINE = _table(multiline=True)


def clean(value: Any, multiline: bool = False) -> str:
    """``value`` as safe plain text: controls and bidi overrides made visible.

    ``None`` becomes "". With ``multiline`` False, line breaks become a visible mark so the
    text stays on one line; with it True they are kept (tabs become spaces either way).
    """
    if value is None:
        return ""
    raw = value if isinstance(value, str) else str(value)
    raw = raw.replace("\r\n", "\n")
    return raw.translate(_MULTILINE if multiline else _ONE_LINE)


def content(value: Any, style: str = "", multiline: bool = False) -> Content:
    """A Content object showing ``value`` literally (never parsed as markup)."""
    return Content.styled(clean(value, multiline), style)


def labelled(label: str, value: Any, width: int = 0, multiline: bool = False) -> Content:
    """``label`` (bold, padded to ``width``) followed by ``value`` shown literally.

    ``label`` is the program's own words; it is still treated as plain text.
    """
    shown = clean(value, multiline)
    if multiline and width:
        shown = shown.replace("\n", "\n" + " " * width)  # continuation lines under the value
    return Content.assemble(
        (label.ljust(width) if width else label, "bold"),
        shown if shown else ("-", "dim"),
    )


def cell(value: Any, width: int | None = None, style: str = "") -> Text:
    """A one-line rich Text for a table cell, cut to ``width`` cells with an ellipsis.

    Rich Text: a Text is shown as is (a table that took plain ``str`` cells might parse them
    as markup, as Textual's DataTable does); ItemTable draws these cells.
    """
    shown = Text(clean(value), style=style, no_wrap=True, overflow="ellipsis", end="")
    if width is not None and shown.cell_len > width:
        shown.truncate(width, overflow="ellipsis")
    return shown


def highlight(candidate: str, offsets: Sequence[int], style: Style | str) -> Content:
    """``candidate`` (already cleaned) with the characters at ``offsets`` styled.

    Textual's own ``Matcher.highlight`` parses its candidate as markup; this does not.
    """
    shown = Content(candidate)
    for offset in offsets:
        if 0 <= offset < len(candidate) and not candidate[offset].isspace():
            shown = shown.stylize(style, offset, offset + 1)
    return shown
