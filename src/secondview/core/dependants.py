"""The cascade of a delete: which items go with another, and how that is said.

An answer means nothing without its question or its opinion; a benefit or risk nothing
without its option. Deleting one of those items tombstones its dependants in the same write
(one version dot), so restoring it brings back exactly those, never ones deleted on their own.

Kept on purpose (not dependants): record transfers (they name the recipient in words, and a
request sent is a fact whether or not the opinion is recorded), options recommended by a
doctor (your own weighing: the decision pane says "doctor removed") and leanings towards a
deleted option (a record of the past: "an option since deleted").

Pure functions and data: no I/O.
"""

from __future__ import annotations

from collections.abc import Sequence

from .model import Case
from .registers import DELETED
from .replica import CaseState

DEPENDANTS = {
    "questions": ("answers", "question"),
    "opinions": ("answers", "opinion"),
    "options": ("factors", "option"),
}
"""The tables whose items take others with them when deleted: (the table of those, and
their field that points to the item)."""

DEPENDANT_NOUNS = {"answers": ("answer", "answers"), "factors": ("benefit or risk",
                                                                 "benefits and risks")}


def dependants_words(dependants: Sequence[tuple[str, str]]) -> str:
    """'its 2 answers', 'its 1 benefit or risk': what goes with a deleted item ("" if none)."""
    if not dependants:
        return ""
    one, many = DEPENDANT_NOUNS.get(dependants[0][0], ("item", "items"))
    count = len(dependants)
    return f"its {count} {one if count == 1 else many}"


def dependants_of(case: Case, table: str, doc_id: str) -> list[tuple[str, str]]:
    """(table, id) of the shown items of ``case`` that go when this one is deleted."""
    if table not in DEPENDANTS:
        return []
    dependant_table, field = DEPENDANTS[table]
    return [(dependant_table, i.id) for i in case.table(dependant_table)
            if i.values.get(field) == doc_id]


def deleted_with(state: CaseState, table: str, doc_id: str) -> list[tuple[str, str]]:
    """(table, id) of the dependants (``DEPENDANTS``) deleted in the same operation as this
    (deleted) item: their tombstones carry the dot of its tombstone."""
    if table not in DEPENDANTS:
        return []
    dependant_table, field = DEPENDANTS[table]
    dots = {tuple(e["dot"]) for e in state.register(table, doc_id, DELETED) if e["v"] is True}
    if not dots:
        return []
    found = []
    for other_id, doc in state.tables.get(dependant_table, {}).items():
        points = {e["v"] for e in doc.get(field, ())}
        tomb = doc.get(DELETED) or ()
        if doc_id in points and any(e["v"] is True and tuple(e["dot"]) in dots for e in tomb):
            found.append((dependant_table, other_id))
    return sorted(found)
