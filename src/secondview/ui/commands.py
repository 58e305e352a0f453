"""CaseCommands: the command palette's "new case" and "open case <title>" commands.

Titles come from the case list already on screen (no file is read) and are shown through
``text`` (never parsed as markup), with the matched letters highlighted. Titles are matched
in linear time (Textual's fuzzy matcher tries every combination of letter positions, which a
long title of repeated letters, synced from anywhere, could turn into a freeze).
"""

from __future__ import annotations

from functools import partial
from typing import Any

from textual.command import DiscoveryHit, Hit, Hits, Provider

from . import text

NEW_CASE = "new case"
NEW_CASE_HELP = "Start a new case: a title now, the rest when you have it"
OPEN_HELP = "Open this case"
DISCOVER_LIMIT = 10
TITLE_LIMIT = 80
"""Characters of a title shown (and matched) in the palette."""


def quick_match(query: str, candidate: str) -> tuple[float, list[int]]:
    """(score, offsets of the matched characters) of ``query`` in ``candidate``; score 0 when
    the query's letters do not all appear in order. Linear in the candidate's length."""
    wanted = query.lower().strip()
    target = candidate.lower()
    if not wanted:
        return 0.0, []
    at = target.find(wanted)
    if at >= 0:
        return 1.5 * 2 * len(wanted), list(range(at, at + len(wanted)))
    offsets: list[int] = []
    index = 0
    for letter in wanted:
        if letter.isspace():
            continue
        index = target.find(letter, index)
        if index < 0:
            return 0.0, []
        offsets.append(index)
        index += 1
    groups = 1 + sum(1 for a, b in zip(offsets, offsets[1:]) if b != a + 1)
    together = (len(offsets) - (groups - 1)) / len(offsets)
    return len(offsets) * (1 + together * together), offsets


class CaseCommands(Provider):
    """Commands about cases: start a new one, open one by its title."""

    def _cases(self) -> list[tuple[str, str]]:
        """(command text, case id) for every listed case, most recently changed first."""
        app: Any = self.app
        return [
            (f"open case {text.clean(s.title)[:TITLE_LIMIT]}", s.id)
            for s in app.known_cases()
            if not s.error
        ]

    async def discover(self) -> Hits:
        app: Any = self.app
        yield DiscoveryHit(
            text.content(NEW_CASE), app.action_new_case, text=NEW_CASE, help=NEW_CASE_HELP
        )
        for command, case_id in self._cases()[:DISCOVER_LIMIT]:
            yield DiscoveryHit(
                text.content(command), partial(app.open_case, case_id), text=command,
                help=OPEN_HELP,
            )

    async def search(self, query: str) -> Hits:
        app: Any = self.app
        style = self.matcher(query).match_style
        for command, action, help_text in (
            (NEW_CASE, app.action_new_case, NEW_CASE_HELP),
            *((c, partial(app.open_case, i), OPEN_HELP) for c, i in self._cases()),
        ):
            score, offsets = quick_match(query, command)
            if score > 0:
                yield Hit(
                    score, text.highlight(command, offsets, style), action, text=command,
                    help=help_text,
                )
