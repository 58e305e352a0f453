"""SearchCommands: the command palette finds text in every case, archived ones included.

Typed text of three letters or more is looked up in the full-text index
(``store.search_index``: no case file is read); each hit is offered as "what matched: where
- case" (an archived case says so) and opens the case on the pane that holds it, its row
highlighted (``SecondViewApp.open_case_at``), from any screen. User text reaches the palette
through ``ui.text``, never as markup.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from textual.command import Hit, Hits, Provider

from ..core.search_text import Hit as SearchHit
from ..store import search_index
from . import text

PALETTE_HITS = 30
"""Hits offered at most (the palette shows a screenful)."""
SHOWN = 40
"""Characters of the matched text and of a case title in a palette line."""
HELP = "Open this case where the text was found"
ARCHIVED_HELP = "Open this archived case where the text was found (it stays archived)"


def hit_words(hit: SearchHit) -> str:
    """The palette line of a hit: "Dr. Patel: Transfer to Dr. Patel ... - Garcia, Maria"."""
    found = hit.snippet if len(hit.snippet) <= SHOWN else hit.snippet[:SHOWN - 1] + "\u2026"
    title = hit.case_title[:SHOWN]
    return f"{found}: {hit.where} - {title}" + (" (archived)" if hit.archived else "")


class SearchCommands(Provider):
    """Search hits across every case (see the module docstring)."""

    async def search(self, query: str) -> Hits:
        wanted = " ".join(query.split())
        if len(wanted) < search_index.MIN_TRIGRAM:
            return
        app: Any = self.app
        try:
            hits = app.repo.index.search.search(wanted, include_archived=True,
                                       limit=PALETTE_HITS)
        except Exception:  # a broken cache: the other commands still answer
            return
        for n, hit in enumerate(hits):
            words = text.clean(hit_words(hit))
            yield Hit(
                # below an exact command of the same words; earlier hits first
                1.0 - n / (10 * PALETTE_HITS), text.content(words),
                partial(app.open_case_at, hit.case_id, hit.pane, hit.item_id), text=words,
                help=ARCHIVED_HELP if hit.archived else HELP,
            )
