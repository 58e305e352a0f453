"""The upgrade of a case's typed doctor names to doctor entries, written when the case is
opened (the rule and the writes: ``core.care_team``).

Called from ``CaseRepository.open``, the one path every screen and command opens a case by.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ..core.replica import Write
from .open_case import OpenCase

UPGRADE_SUMMARY = "Doctors named in opinions and record transfers added to the care team"

Apply = Callable[[OpenCase, Sequence[Write], str], OpenCase]


def with_care_team(opened: OpenCase, apply: Apply) -> OpenCase:
    """``opened`` with its typed doctor names made doctor entries and linked by id.

    Side effects: when there is something to upgrade and the case is writable here, one save
    through ``apply`` (the repository's: this device's replica and a log line). A read-only
    case is returned as read: its names are still read through the ids they would get.
    """
    if opened.read_only:
        return opened
    # The rule is imported when a case is first opened, not with the repository: the case
    # list's first frame opens none (core.care_team imports nothing of the store).
    from ..core.care_team import upgrade_writes

    writes = upgrade_writes(opened.state)
    if not writes:
        return opened
    return apply(opened, writes, UPGRADE_SUMMARY)
