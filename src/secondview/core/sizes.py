"""Sizes for people, as file managers show them: one function, imported by the exports, the
command line and the records pane (cheap to import: the standard library only)."""

from __future__ import annotations


def human_size(size: int | None) -> str:
    """A byte count for people: 940 bytes, 12.5 kB, 2.4 MB, 1.1 GB (powers of 1,000)."""
    if size is None:
        return ""
    if size < 1000:
        return f"{size} byte{'' if size == 1 else 's'}"
    value = float(size)
    for unit in ("kB", "MB", "GB", "TB"):
        value /= 1000
        if value < 1000 or unit == "TB":
            return f"{value:.1f} {unit}"
    return f"{size} bytes"  # pragma: no cover (the loop always returns)
