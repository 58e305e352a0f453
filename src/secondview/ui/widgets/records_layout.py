"""The records pane's columns for a width: which columns its two tables show, and how wide
their flexible column (the record's title, the transfer's doctor) may be. Pure."""

from __future__ import annotations

from dataclasses import dataclass

WIDE = 100
"""From this many columns on, the tables show every column; below, a compact set."""

Columns = list[tuple[str, int]]


@dataclass(frozen=True)
class RecordsLayout:
    """The columns of the records and transfers tables for one width."""

    wide: bool
    records: Columns
    transfers: Columns
    title_width: int
    to_width: int

    @classmethod
    def for_width(cls, width: int) -> RecordsLayout:
        wide = width >= WIDE
        if wide:
            records = [("Kind", 20), ("Date", 10), ("Held by", 20), ("Transfers", 13),
                       ("Late", 9), ("", 1)]
            transfers = [("State", 11), ("Requested", 10), ("Sent", 10), ("Received", 10),
                         ("Confirmed", 10), ("Release", 7), ("Provider", 8), ("Response", 12),
                         ("", 1)]
        else:
            records = [("Kind", 14), ("Date", 10), ("Confirmed", 9), ("Late", 5), ("", 1)]
            transfers = [("State", 11), ("Since", 10), ("Release", 7), ("Response", 12),
                         ("", 1)]
        spare = width - 4  # the flexible column's own padding and a vertical scrollbar
        return cls(wide, records, transfers,
                   max(10, spare - sum(w + 2 for _, w in records)),
                   max(10, spare - sum(w + 2 for _, w in transfers)))
