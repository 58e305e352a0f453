"""The hybrid logical clock and its stamps: when each entry of a replica was written.

A stamp is ``<UTC wall time to the millisecond>Z/<logical counter>``, for display and for
ordering the entries the user sees. Causality comes from version dots (``core.registers``),
never from stamps, so devices whose clocks are hours apart still merge correctly.

Pure functions and one small class: no I/O (the default wall clock reads the system time).
"""

from __future__ import annotations

import datetime as _dt
import re
import time
from collections.abc import Callable

from .registers import ReplicaError

MAX_DRIFT_MS = 7 * 24 * 3600 * 1000
"""Stamps further ahead of this device's wall clock are kept but not followed: a corrupt or
hostile stamp far in the future must not freeze this device's clock."""


_EPOCH = _dt.datetime(1970, 1, 1, tzinfo=_dt.UTC)
_MS = _dt.timedelta(milliseconds=1)


def format_stamp(ms: int, logical: int) -> str:
    # Integer arithmetic throughout: going through float seconds loses a millisecond for
    # some moments, and a stamp must parse back to exactly what was formatted.
    moment = _EPOCH + ms * _MS
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{ms % 1000:03d}Z/{logical:04d}"


_CANONICAL_WALL = re.compile(r"(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)\.(\d{1,6})Z", re.ASCII)
"""The wall part as ``format_stamp`` writes it (every stamp the app makes)."""


def parse_stamp(stamp: str) -> tuple[int, int]:
    """(milliseconds since the epoch, logical counter) of a stamp; ReplicaError if malformed.

    The canonical form is read field by field (``strptime`` costs far more, its first call
    most: the case list parses a stamp per row on its first frame); anything else goes
    through ``strptime``, which decides what is accepted.
    """
    try:
        wall, _, logical = stamp.partition("/")
        found = _CANONICAL_WALL.fullmatch(wall)
        if found is not None:
            y, mo, d, h, mi, s, fraction = found.groups()
            moment = _dt.datetime(int(y), int(mo), int(d), int(h), int(mi), int(s),
                                  int(fraction.ljust(6, "0")), tzinfo=_dt.UTC)
        else:
            moment = _dt.datetime.strptime(wall, "%Y-%m-%dT%H:%M:%S.%fZ").replace(
                tzinfo=_dt.UTC)
        return (moment - _EPOCH) // _MS, int(logical or 0)
    except (ValueError, AttributeError, OverflowError, TypeError):
        raise ReplicaError(f"'{stamp}' is not a clock stamp") from None


def stamp_to_datetime(stamp: str) -> _dt.datetime | None:
    """The wall-clock moment of a stamp, in UTC, for display; None if it is not a stamp."""
    try:
        ms, _ = parse_stamp(stamp)
    except ReplicaError:
        return None
    return _EPOCH + ms * _MS


class HybridClock:
    """A hybrid logical clock: never goes backwards, follows stamps it observes.

    ``wall`` returns milliseconds since the epoch; tests inject a fake one.
    """

    def __init__(self, wall: Callable[[], int] | None = None) -> None:
        self._wall = wall or (lambda: time.time_ns() // 1_000_000)
        self._ms = 0
        self._logical = 0

    def observe(self, stamp: str) -> None:
        """Move past a stamp read from a replica (unless it is implausibly far ahead)."""
        try:
            ms, logical = parse_stamp(stamp)
        except ReplicaError:
            return
        if ms - self._wall() > MAX_DRIFT_MS:
            return
        if (ms, logical) > (self._ms, self._logical):
            self._ms, self._logical = ms, logical

    def now(self) -> str:
        """A stamp later than every stamp this clock has issued or observed."""
        wall = self._wall()
        if wall > self._ms:
            self._ms, self._logical = wall, 0
        else:
            self._logical += 1
            if self._logical > 9999:
                self._ms, self._logical = self._ms + 1, 0
        return format_stamp(self._ms, self._logical)
