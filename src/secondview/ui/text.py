"""The one way user text reaches the screen.

Anything a person typed, and anything read from a case file (which another device, a sync
tool or a stranger may have written), is shown through this module. Every function here
builds plain text: nothing is ever parsed as Textual or Rich markup, so ``[@click=app.quit]``
shows as those characters and does nothing when clicked. Control characters (escape
sequences included), bidi overrides and zero-width characters, which could hide or reorder
what is on screen, are replaced by visible placeholders: ``clean`` is ``core.safe_text``'s,
the same the command line and the exports use.

Pure functions of their arguments: no I/O, no state.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.text import Text
from textual.content import Content
from textual.style import Style

from ..core.safe_text import NEWLINE_MARK, clean

__all__ = ["ELLIPSIS", "NEWLINE_MARK", "cell", "clean", "content", "highlight", "labelled"]

ELLIPSIS = "\u2026"


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
