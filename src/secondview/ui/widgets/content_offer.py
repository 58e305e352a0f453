"""ContentOffer: one line in a pane offering the steps or questions the case does not have yet.

The content set (``app.content``) may be newer than the case: a later version of the app, or
the user's own checklist, brings steps the case never had. ``Content.missing_items`` knows
which (never a step the user deleted or edited); this line says how many there are and which
key adds them. The pane that holds it asks ``writes`` for what to save and posts it up.

Only newer content is offered as new. Steps the case's own answers call for are added by the
save that changes the answer (``store.editing``); if an answer changed without them (an older
version of the app on another device), the checklist's line offers them as what fits the
answers, never as new content. Questions are offered only for newer content.

Reads the raw state of the case shown from its ``editable`` reactive (bound from the pane,
which has it from the case screen: None while the case cannot be edited here); never writes,
never touches files.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.content import Content
from textual.reactive import var
from textual.widgets import Static

if TYPE_CHECKING:
    from ...core.replica import CaseState, Write


class ContentOffer(Static):
    """'N new checklist steps are available: press u to add them', or nothing (hidden)."""

    DEFAULT_CSS = """
    ContentOffer {
        height: auto;
        padding: 0 1;
        text-style: bold;
        color: $text-accent;
    }
    """

    editable: var[CaseState | None] = var(None, init=False)
    """The raw state of the case shown, while it may be edited here; else None."""

    def __init__(self, table: str, one: str, many: str, key: str = "u", **kwargs: Any) -> None:
        """``table``: checklist or questions; ``one``/``many``: what an item is called."""
        super().__init__(**kwargs)
        self.table = table
        self.one = one
        self.many = many
        self.key = key
        self._seen: Any = None
        self._writes: list[Write] = []
        self.newer = False
        """Whether the content set is newer than the case's record of it (set by ``writes``)."""
        self.display = False

    def writes(self) -> list[Write]:
        """What adding the new items saves: one write per new item of ``table``, then the
        case's record of the content version (only if something is new). [] when up to date,
        when there is no content set, or when the case cannot be edited here."""
        state = self.editable
        content = getattr(self.app, "content", None)
        if state is None or content is None:
            return []
        if state is not self._seen:  # the state of a case is never changed, only replaced
            self._seen = state
            found = content.missing_items(state)
            # missing_items records the content version only when the case's is behind
            self.newer = any(w.table == "case" for w in found)
            mine = [w for w in found if w.table == self.table]
            if not self.newer and self.table != "checklist":
                mine = []
            self._writes = [*mine, *(w for w in found if w.table == "case")] if mine else []
        return self._writes

    def count(self) -> int:
        """How many new items there are to add."""
        return sum(1 for w in self.writes() if w.table == self.table)

    def refresh_offer(self) -> int:
        """Show or hide the line for the case as it is now; returns the count.

        When the line appears or goes, the footer's keys are refreshed too: the pane shows
        its add key ("u") only while there is something to add.
        """
        shown = self.display
        count = self.count()
        self.display = bool(count)
        if self.display != shown:
            self.refresh_bindings()
        if count:
            noun = self.one if count == 1 else self.many
            verb = "is" if count == 1 else "are"
            them = "it" if count == 1 else "them"
            if self.newer:
                said = f"{count} new {noun} {verb} available"
            else:
                said = f"{count} {noun} {'fits' if count == 1 else 'fit'} this case's answers"
            self.update(Content(f"\u2605 {said}: press {self.key} to add {them}."))
        return count
