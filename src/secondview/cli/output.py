"""What the command line prints, and how: every line goes through ``out`` or ``warn``.

Both clean what they print with ``clean`` (``core.safe_text.clean``, the one table of unsafe
characters the screen and the exports use too): control characters (terminal escape
sequences), bidi overrides and zero-width characters written by another device or a stranger
show as visible placeholders (␛, ⟨U+202E⟩) instead of acting on the terminal. ``out_json``
escapes every character outside ASCII instead.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from ..core.hybrid_clock import stamp_to_datetime
from ..core.safe_text import clean

__all__ = ["PROG", "clean", "out", "out_json", "short", "warn", "when"]

PROG = "secondview"
"""The command's name, which starts every message on stderr."""


def out(*lines: str) -> None:
    """Print lines on stdout, each cleaned (``clean``): nothing printed acts on the terminal."""
    for line in lines:
        print(clean(line, multiline=True), file=sys.stdout)


def warn(message: str) -> None:
    """Print ``secondview: message`` on stderr, cleaned to one line."""
    print(f"{PROG}: {clean(message)}", file=sys.stderr)


def out_json(data: Any) -> None:
    """Print ``data`` as indented JSON on stdout for scripts."""
    # ensure_ascii: every control or bidi character reaches the terminal escaped
    print(json.dumps(data, indent=2, ensure_ascii=True), file=sys.stdout)


def when(stamp: str) -> str:
    """A clock stamp as local date and time, for people ("" for a stamp that is not one)."""
    moment = stamp_to_datetime(stamp)
    return moment.astimezone().strftime("%Y-%m-%d %H:%M") if moment else ""


def short(text: str, width: int) -> str:
    """``text`` cleaned, on one line, cut to ``width`` characters with an ellipsis."""
    text = " ".join(clean(text).split())
    return text if len(text) <= width else text[: max(width - 1, 0)] + "\u2026"
