"""CaseCommands: the command palette's own commands, beside Textual's (which stay).

- "new case", "agenda", "open case <title>" everywhere;
- "go to pane <name>" and "add item: checklist / record / question / opinion" while a case
  is open (the palette opened from its workspace): the pane shows and, for an add, its form;
  also "attach a file to the highlighted record" and "import records from a FHIR file"
  (the Records pane shows, then its dialog);
- "read guide: <title>" for each guide;
- "switch theme" (the theme picker, listing the app's themes: ``App.theme_choices``; it
  stands in for Textual's own "Theme", which the app leaves out) and, when more is typed
  ("theme light"), "switch theme to <name>" directly.

Titles come from the case list already on screen (no file is read) and are shown through
``text`` (never parsed as markup), with the matched letters highlighted. Titles are matched
in linear time (Textual's fuzzy matcher tries every combination of letter positions, which a
long title of repeated letters, synced from anywhere, could turn into a freeze).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from typing import Any

from textual.command import DiscoveryHit, Hit, Hits, Provider

from . import text

NEW_CASE = "new case"
NEW_CASE_HELP = "Start a new case: a title now, the rest when you have it"
AGENDA = "agenda"
AGENDA_HELP = "What is due across every case, by date (d on the case list)"
OPEN_HELP = "Open this case"
GUIDE_HELP = "Read this guide (g opens the guides from anywhere)"
SWITCH_THEME = "switch theme"
SWITCH_THEME_HELP = "Choose how secondview looks: light, dark, high contrast, and more"
THEME_WORDS = {"switch", "theme", "to"}
ADD_ITEMS = (
    # (where it is added, what is added, pane)
    ("checklist", "checklist item", "checklist"),
    ("record", "record", "records"),
    ("question", "question", "questions"),
    ("opinion", "opinion", "opinions"),
)
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
    groups = 1 + sum(1 for a, b in zip(offsets, offsets[1:], strict=False) if b != a + 1)
    together = (len(offsets) - (groups - 1)) / len(offsets)
    return len(offsets) * (1 + together * together), offsets


Command = tuple[str, Callable[[], Any], str]
"""(command text, what it does, help line)."""


def show_pane(screen: Any, pane: str) -> None:
    """Show ``pane`` in the case workspace ``screen``."""
    screen.action_show_pane(pane)


def add_item(screen: Any, pane: str) -> None:
    """Show ``pane`` in the case workspace ``screen`` and open its form for a new item."""
    screen.action_show_pane(pane)
    screen.query_one(f"#{pane}").action_add()


def records_action(screen: Any, action: str) -> None:
    """Show the Records pane of the case workspace ``screen`` and run one of its actions
    (``attach``: the highlighted record; ``import_fhir``)."""
    screen.action_show_pane("records")
    getattr(screen.query_one("#records"), f"action_{action}")()


class CaseCommands(Provider):
    """Commands about cases (start, open), the open case (panes, adding) and themes."""

    def _cases(self) -> list[tuple[str, str]]:
        """(command text, case id) for every listed case, most recently changed first."""
        app: Any = self.app
        return [
            (f"open case {text.clean(s.title)[:TITLE_LIMIT]}", s.id)
            for s in app.known_cases()
            if not s.error
        ]

    def _case_screen(self) -> Any:
        """The case workspace the palette was opened from, or None (the list, a form...)."""
        from .screens.case_screen import CaseScreen

        return self.screen if isinstance(self.screen, CaseScreen) else None

    def _workspace_commands(self) -> Iterator[Command]:
        """Go to a pane, add an item: only while a case is open."""
        screen = self._case_screen()
        if screen is None:
            return
        from .case_panes import PANES

        for name, key, label, _, _ in PANES:
            yield (f"go to pane {label.lower()}", partial(show_pane, screen, name),
                   f"Show the {label} pane (key {key})")
        for word, noun, pane in ADD_ITEMS:
            yield (f"add item: {word}", partial(add_item, screen, pane),
                   f"Open the form for a new {noun} in this case")
        yield ("export a document", screen.action_export,
               "Print or send the brief, questions, records packet, comparison or decision (x)")
        yield ("attach a file to the highlighted record", partial(records_action, screen, "attach"),
               "Note a file's or folder's size and checksum on the record (f in Records)")
        yield ("import records from a FHIR file", partial(records_action, screen, "import_fhir"),
               "Add the records of a patient portal's FHIR export (i in Records)")

    def _theme_commands(self, query: str) -> Iterator[Command]:
        """Every theme by name, once the query says more than 'switch theme'."""
        if not set(query.lower().split()) - THEME_WORDS:
            return
        app: Any = self.app

        def switch(name: str) -> None:
            app.theme = name

        for name in app.theme_choices():
            yield (f"{SWITCH_THEME} to {name}", partial(switch, name),
                   "Use this theme (remembered for next time)")

    def _fixed_commands(self) -> list[Command]:
        app: Any = self.app
        return [
            (NEW_CASE, app.action_new_case, NEW_CASE_HELP),
            (AGENDA, app.action_agenda, AGENDA_HELP),
            (SWITCH_THEME, app.action_change_theme, SWITCH_THEME_HELP),
        ]

    def _guide_commands(self) -> Iterator[Command]:
        """'read guide: <title>' for each guide of the content set (once it is loaded)."""
        app: Any = self.app
        content = getattr(app, "content", None)
        for guide in getattr(content, "guides", ()) or ():
            yield (f"read guide: {text.clean(guide.title)[:TITLE_LIMIT]}",
                   partial(app.action_guides, guide.id), GUIDE_HELP)

    async def discover(self) -> Hits:
        app: Any = self.app
        new_case, agenda, switch_theme = self._fixed_commands()
        for command, action, help_text in (new_case, agenda, *self._workspace_commands()):
            yield DiscoveryHit(text.content(command), action, text=command, help=help_text)
        for command, case_id in self._cases()[:DISCOVER_LIMIT]:
            yield DiscoveryHit(
                text.content(command), partial(app.open_case, case_id), text=command,
                help=OPEN_HELP,
            )
        command, action, help_text = switch_theme
        yield DiscoveryHit(text.content(command), action, text=command, help=help_text)

    async def search(self, query: str) -> Hits:
        app: Any = self.app
        style = self.matcher(query).match_style
        for command, action, help_text in (
            *self._fixed_commands(),
            *self._workspace_commands(),
            *self._theme_commands(query),
            *self._guide_commands(),
            *((c, partial(app.open_case, i), OPEN_HELP) for c, i in self._cases()),
        ):
            score, offsets = quick_match(query, command)
            if score > 0:
                yield Hit(
                    score, text.highlight(command, offsets, style), action, text=command,
                    help=help_text,
                )
