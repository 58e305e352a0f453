"""ConflictSettling: how the case screen settles edits two devices made at once.

``c`` opens the conflict screen over the open case (with none to settle, it says so); the
settlement it returns (a value kept, a merged text, or a raced item kept or deleted) is saved
through the edit path (``store.editing``, so ctrl+z undoes it), and the conflict screen opens
again while conflicts remain. Mixed into the case screen, whose ``opened``, ``case``, ``editor``,
``writable()``, ``_save`` and ``_delete_now`` it uses.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual.binding import Binding

if TYPE_CHECKING:
    from textual.app import App

    from ...core.model import Case
    from ...store.editing import Edit, Editor
    from ...store.repository import OpenCase


CONFLICT_BINDINGS = [
    Binding("c", "conflicts", "Settle conflicts", id="case.conflicts"),
    # The same key (and id, so a remap moves both) when nothing is in conflict: the footer
    # leaves it out, and the key says why nothing opens.
    Binding("c", "no_conflicts", "Settle conflicts", show=False, id="case.conflicts"),
]
"""The case screen's ``c``: the first works while there is a conflict (the screen's
``check_action`` says when), the second otherwise."""

NOTHING_TO_SETTLE = ("Nothing to settle: no two devices have saved different values in this "
                     "case. When they do, the tab of the pane shows \u2260 and c opens them.")


class ConflictSettling:
    """The case screen's ``c`` key and what it saves."""

    if TYPE_CHECKING:  # provided by the screen this is mixed into
        app: App[Any]
        opened: OpenCase | None
        case: Case | None
        editor: Editor

        def writable(self) -> OpenCase | None: ...

        def _save(self, what: Callable[[OpenCase], Edit], done: str = "") -> Edit | None: ...

        def _delete_now(self, table: str, doc_id: str, label: str = "",
                        raced: bool = False) -> bool: ...

        def call_after_refresh(self, callback: Callable[[], Any]) -> bool: ...

    def action_conflicts(self) -> None:
        """Open the conflict screen; the settlement it returns is saved here (ctrl+z undoes
        it), then the screen opens again while conflicts remain."""
        if self.opened is None or not (self.opened.case.conflicts or self.opened.case.races):
            return
        if self.writable() is None:
            return
        from .conflict_screen import ConflictScreen

        self.app.push_screen(ConflictScreen(self.opened), self._settled)

    def action_no_conflicts(self) -> None:
        """Say why ``c`` opens nothing: no edits are in conflict."""
        self.app.notify(NOTHING_TO_SETTLE, timeout=5)

    def _settled(self, settlement: tuple[str, str, str, dict[str, Any]] | None) -> None:
        """Save one settlement from the conflict screen (see its module docstring) through
        the edit path, against the current state; ctrl+z undoes it."""
        if settlement is None:
            return
        action, table, doc_id, values = settlement
        if action in ("pick", "merge"):
            ((field, value),) = values.items()
            saved = self._save(lambda o: self.editor.settle_value(
                o, table, doc_id, field, value, merged=action == "merge")) is not None
        elif action == "keep":
            saved = self._save(lambda o: self.editor.settle_race(o, table, doc_id, keep=True),
                               done="Kept the item.") is not None
        else:
            saved = self._delete_now(table, doc_id, "the item", raced=True)
        if saved and self.case is not None and (self.case.conflicts or self.case.races):
            self.call_after_refresh(self.action_conflicts)
