"""How urgent a case is now: the one rule the case list, its filter, the command line and
the next steps share. Pure: no I/O.
"""

from __future__ import annotations


def urgency_now(urgency: str, archived: bool) -> str:
    """How urgent a case is now: its urgency, or "routine" once it is archived. An archived
    case asks nothing of anyone (``progress.next_steps`` has none for it), whatever it was
    archived with; its urgency field keeps the value for when it is restored."""
    return "routine" if archived else urgency
