"""User text as Markdown that renders as exactly that text, for the printable documents.

``esc``/``cell``/``paragraphs``/``heading_text``: control and bidi-override characters become
visible placeholders (``core.safe_text``), and every character that could start Markdown
structure (a heading, a list, a quote, a code block, a link, emphasis, a table cell, raw HTML,
an entity) is backslash-escaped, so a title such as ``# x`` or ``[a](javascript:x)`` prints as
those characters. Pure: no I/O.
"""

from __future__ import annotations

import re
from typing import Any

from . import safe_text

_INLINE = re.compile(
    r"[\\`*_\[\]|]"  # escapes, code, emphasis, links and images, table cells
    r"|<(?=[A-Za-z/!?])"  # raw HTML and autolinks
    r"|&(?=#?[A-Za-z0-9]+;)"  # entities (&lt; would print as <)
    r"|~(?=~)"  # strikethrough in the renderers that have it
)
_INLINE_HEADING = re.compile(_INLINE.pattern + r"|#")
"""In a heading every # is escaped too: a trailing run would close the heading and vanish."""
_BLOCK_START = re.compile(r"[#>+=~-]|\d{1,9}(?=[.)])")
"""What may begin a block at the start of a line: a heading, a quote, a list, a setext
underline, a fence, an ordered list (digits then . or ))."""


def clean(value: Any) -> str:
    """User text as safe plain text, line breaks kept (``core.safe_text.clean``, multiline)."""
    return safe_text.clean(value, multiline=True)


def lines(value: Any) -> list[str]:
    """The non-empty lines of user text, cleaned and stripped."""
    return [line.strip() for line in clean(value).split("\n") if line.strip()]


def _escape_line(line: str, pattern: re.Pattern[str] = _INLINE) -> str:
    """One stripped line of cleaned text, escaped so it is only text wherever it starts."""
    line = pattern.sub(lambda m: "\\" + m.group(), line)
    start = _BLOCK_START.match(line)
    if start is None:
        return line
    if start.group()[0].isdigit():
        end = start.end()
        return line[:end] + "\\" + line[end:]
    return "\\" + line


def esc(value: Any, joiner: str = " / ") -> str:
    """User text as one line of Markdown that renders as exactly that text.

    Lines are joined with ``joiner`` (a line break would end a table row or a list item);
    leading and trailing whitespace of each line goes (four spaces would start a code block,
    two at the end a line break)."""
    return joiner.join(_escape_line(line) for line in lines(value))


def heading_text(value: Any) -> str:
    """User text for a heading: ``esc`` with every # escaped too (a trailing run of # would be
    read as the heading's closing sequence and dropped)."""
    return " ".join(_escape_line(line, _INLINE_HEADING) for line in lines(value))


def cell(value: Any) -> str:
    """User text for a table cell (``esc``; a pipe is escaped, so it never splits the cell)."""
    return esc(value)


def paragraphs(value: Any) -> list[str]:
    """User text as Markdown paragraphs, one per non-empty line (its line breaks kept)."""
    return [_escape_line(line) for line in lines(value)]
