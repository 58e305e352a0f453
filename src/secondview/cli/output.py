"""What the command line prints, and how: every line goes through ``out`` or ``warn``.

Both clean what they print with ``clean`` (``core.safe_text.clean``, the one table of unsafe
characters the screen and the exports use too): control characters (terminal escape
sequences), bidi overrides and zero-width characters written by another device or a stranger
show as visible placeholders (␛, ⟨U+202E⟩) instead of acting on the terminal. ``out_json``
escapes every character outside ASCII instead.

Lines are cut to fit only on a terminal (``terminal_width``, the one place that decides):
output piped to another program or written to a file carries every character.
"""

from __future__ import annotations

import json
import shutil
import sys
from collections.abc import Sequence
from typing import Any

from ..core.hybrid_clock import stamp_to_datetime
from ..core.safe_text import clean

__all__ = ["PROG", "clean", "confirm", "cut", "out", "out_json", "short", "table_lines",
           "terminal_width", "warn", "when"]

PROG = "secondview"
"""The command's name, which starts every message on stderr."""


def out(*lines: str) -> None:
    """Print lines on stdout, each cleaned (``clean``): nothing printed acts on the terminal."""
    for line in lines:
        print(clean(line, multiline=True), file=sys.stdout)


def warn(message: str) -> None:
    """Print ``secondview: message`` on stderr, cleaned to one line."""
    print(f"{PROG}: {clean(message)}", file=sys.stderr)


def confirm(question: str) -> bool:
    """Ask ``question`` on stderr (cleaned) and read one line from stdin: True for y or yes
    (any letter case), False for anything else or nothing. The caller checks that stdin is a
    terminal first."""
    print(clean(question), end="", file=sys.stderr, flush=True)
    answer = sys.stdin.readline()
    if not answer.endswith("\n"):
        print(file=sys.stderr)  # end of input: the next message starts on its own line
    return answer.strip().casefold() in ("y", "yes")


def out_json(data: Any) -> None:
    """Print ``data`` as indented JSON on stdout for scripts."""
    # ensure_ascii: every control or bidi character reaches the terminal escaped
    print(json.dumps(data, indent=2, ensure_ascii=True), file=sys.stdout)


def when(stamp: str) -> str:
    """A clock stamp as local date and time, for people ("" for a stamp that is not one)."""
    moment = stamp_to_datetime(stamp)
    return moment.astimezone().strftime("%Y-%m-%d %H:%M") if moment else ""


MIN_WIDTH = 40
"""The narrowest terminal lines are fitted to: on a narrower one they wrap instead."""


def terminal_width() -> int | None:
    """How many columns a line may take: the terminal's width when stdout is a terminal
    (``COLUMNS`` first, as ``shutil.get_terminal_size`` reads it), None when stdout is a
    pipe or a file: then nothing is cut."""
    if not sys.stdout.isatty():
        return None
    return max(shutil.get_terminal_size((120, 24)).columns, MIN_WIDTH)


def cut(text: str, width: int | None) -> str:
    """``text`` cleaned, on one line, cut to ``width`` characters with an ellipsis (None:
    whole), wherever it goes: for a line that must stay one line, such as a progress line
    rewritten in place on stderr. Everything else goes through ``short``."""
    text = " ".join(clean(text).split())
    if width is None or len(text) <= width:
        return text
    return text[: max(width - 1, 0)] + "\u2026"


def short(text: str, width: int) -> str:
    """``text`` cleaned and on one line; on a terminal cut to ``width`` characters with an
    ellipsis, whole when stdout is not a terminal (``terminal_width``)."""
    return cut(text, width if terminal_width() is not None else None)


def table_lines(rows: Sequence[Sequence[str]], caps: Sequence[int],
                last_min: int = 20) -> list[str]:
    """``rows`` (the heading first; each row one cell more than ``caps``, the last column) as
    aligned lines, each cell cleaned and on one line.

    Every column but the last is as wide as its widest cell; on a terminal that width is at
    most its cap in ``caps`` and the last column is cut to what the terminal's width leaves
    (at least ``last_min``). Piped, no cell is cut.
    """
    width = terminal_width()
    limits: list[int | None] = [cap if width is not None else None for cap in caps]
    widths = [max(len(cut(row[i], limit)) for row in rows) for i, limit in enumerate(limits)]
    rest = max(width - sum(widths) - 2 * len(widths), last_min) if width is not None else None
    return [
        "  ".join([*(cut(row[i], limits[i]).ljust(widths[i]) for i in range(len(widths))),
                   cut(row[len(widths)], rest)]).rstrip()
        for row in rows
    ]
