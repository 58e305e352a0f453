"""problems_message: how the app tells the person about files it could not read (the case
list after a refresh, the workspace after opening or re-reading a case)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from . import text

if TYPE_CHECKING:
    from ..store.repository import Problem

MAX_PROBLEMS_SHOWN = 4


def problems_message(problems: Sequence[Problem]) -> str:
    """One message naming every file that could not be read (the first few, then a count)."""
    unique = list(dict.fromkeys(text.clean(p.message()) for p in problems))
    noun = "file" if len(unique) == 1 else "files"
    lines = [f"{len(unique)} {noun} could not be read. Nothing was changed in them, and "
             "every other case still works:"]
    lines += unique[:MAX_PROBLEMS_SHOWN]
    if len(unique) > MAX_PROBLEMS_SHOWN:
        lines.append(f"...and {len(unique) - MAX_PROBLEMS_SHOWN} more.")
    lines.append("Run 'secondview check' for the full list.")
    return "\n".join(lines)
