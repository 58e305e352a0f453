"""EmergencyBanner: the line every view of an emergency case shows, in words and a symbol."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from ...core.progress import EMERGENCY_CALL, EMERGENCY_STEP

EMERGENCY_MARK = "\u203c"  # ‼


class EmergencyBanner(Static):
    """'Emergency: get care now. Do not wait for a second opinion.' and how: call 911 or the
    local emergency number. Hidden until ``show``."""

    def __init__(self, id: str | None = None) -> None:
        super().__init__(Content(f"{EMERGENCY_MARK} {EMERGENCY_STEP} {EMERGENCY_CALL}"), id=id)
        self.display = False

    def show(self, emergency: bool) -> None:
        """Show the banner when the case is an emergency, hide it otherwise."""
        self.display = emergency
