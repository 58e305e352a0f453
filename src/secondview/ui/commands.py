"""CaseCommands: the command palette's "new case" and "open case <title>" commands.

Titles come from the case list already on screen (no file is read) and are shown through
``text`` (never parsed as markup), with the matched letters highlighted.
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


class CaseCommands(Provider):
    """Commands about cases: start a new one, open one by its title."""

    def _cases(self) -> list[tuple[str, str]]:
        """(command text, case id) for every listed case, most recently changed first."""
        app: Any = self.app
        return [
            (f"open case {text.clean(s.title)}", s.id)
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
        matcher = self.matcher(query)
        score = matcher.match(NEW_CASE)
        if score > 0:
            yield Hit(
                score, text.highlight(NEW_CASE, matcher), app.action_new_case,
                text=NEW_CASE, help=NEW_CASE_HELP,
            )
        for command, case_id in self._cases():
            score = matcher.match(command)
            if score > 0:
                yield Hit(
                    score, text.highlight(command, matcher), partial(app.open_case, case_id),
                    text=command, help=OPEN_HELP,
                )
