"""How far ahead "coming up" looks: the agenda, the case list's ``visit`` filter word and the
visits (``core.visits``) count what falls within ``UPCOMING_DAYS`` unless told otherwise.
Pure data.
"""

from __future__ import annotations

UPCOMING_DAYS = 14
"""How far ahead the agenda looks for visits unless told otherwise."""
