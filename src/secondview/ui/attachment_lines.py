"""The files attached to a record as lines of the records pane's detail: path (as text),
kind, size, file count, the start of the SHA-256 and when it was hashed.

Pure functions of the attachments: no I/O (the app never opens an attached file).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from textual.content import Content

from ..core.sizes import human_size
from . import text

if TYPE_CHECKING:
    from ..core.model import Item

ATTACHED_MARK = "\u25a4"
"""After the title of a record with attached files (a page with lines)."""


def _bytes(n: Any) -> str:
    """A size for people (core.sizes.human_size: 812 bytes, 4.2 MB); a value that is not a
    number (a file from elsewhere) says so."""
    try:
        return human_size(int(n))
    except (TypeError, ValueError):
        return "size unknown"


def attachment_lines(attached: Sequence[Item], most: int, short: bool) -> list[Content]:
    """One line per attachment, ``most`` at most (then "and N more attached"); ``short``: no
    hashing time, so each stays on one line in a short terminal."""
    lines = []
    for a in attached[:most]:
        facts = [str(a.kind or "file"), _bytes(a.size)]
        if a.kind == "folder":
            count = int(a.file_count or 0)
            facts.append(f"{count} file{'' if count == 1 else 's'}")
        facts.append(f"sha256 {str(a.sha256)[:12]}{text.ELLIPSIS}" if a.sha256
                     else "no checksum")
        if a.hashed_at and not short:
            facts.append(f"hashed {str(a.hashed_at).replace('T', ' ').rstrip('Z')} UTC")
        lines.append(Content.assemble(
            (f"{ATTACHED_MARK} ", "bold"), text.content(a.path),
            ("  " + " \u00b7 ".join(text.clean(f) for f in facts), "dim"),
        ))
    if len(attached) > most:
        lines.append(Content.styled(f"  and {len(attached) - most} more attached", "dim"))
    return lines
