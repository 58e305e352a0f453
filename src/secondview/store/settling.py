"""Settling conflicts: the one rule the conflict screen and ``secondview settle`` share.

Two devices that wrote one field before their files met leave a register holding both
entries (see core/registers.py); an item edited on one device while deleted on another is a
*race*. Settling is a local save whose write covers every entry it replaces, so once the
files are merged the conflict is gone on every device:

- keep one of the values (``keep_value``): written again exactly as that device wrote it;
- write a merged value (``merge_value``): typed in, validated like any edit of the field;
- keep or delete a raced item (``settle_race``): a restore or a deletion whose context covers
  the tombstone and the edit made meanwhile.

The values of a conflict are numbered by ``conflict_values`` (1 is the latest): the conflict
screen and ``secondview show`` number them so, and ``settle --keep N`` takes that N.

Errors are CaseError with a message for the person (no such conflict, no such value); a
read-only case raises ReadOnlyCase from ``CaseRepository.apply``. No module state.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..core import model
from .errors import CaseError

if TYPE_CHECKING:
    from ..core.registers import Entry
    from ..core.replica import CaseState
    from .repository import CaseRepository, OpenCase

SETTLED = "Settled a conflict"
"""The log line of a settled field."""


def conflict_values(state: CaseState, table: str, doc_id: str, field: str) -> list[Entry]:
    """Every entry of one field, the latest first (clock stamp, then dot): the numbering of
    the conflict screen and of ``secondview show``, value 1 being the latest."""
    register = state.register(table, doc_id, field)
    return sorted(register, key=lambda e: (e["at"], tuple(e["dot"])), reverse=True)


def other_values(state: CaseState, table: str, doc_id: str, field: str, shown: Any
                 ) -> list[Any]:
    """The values of a field other than ``shown`` (the one a form shows while the field is in
    conflict): what the other devices wrote, latest first."""
    return [e["v"] for e in conflict_values(state, table, doc_id, field) if e["v"] != shown]


def shown_value(value: Any) -> str:
    """A stored value in words: "(empty)" for nothing, yes/no for true/false."""
    if value is None or value == "":
        return "(empty)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def where(table: str, doc_id: str, field: str = "") -> str:
    """How a conflict is named in messages: "the case's field 'x'", "records 1a2b3c4d field 'x'"."""
    item = "the case" if table == "case" else "the decision" if table == "decision" else (
        f"{table} {doc_id[:8]}")
    if not field:
        return item
    return f"{item}'s field '{field}'" if table in ("case", "decision") else (
        f"{item} field '{field}'")


def item_ref(case: model.Case, table: str, doc_id: str) -> str:
    """The ITEM word ``secondview settle`` (and ``edit``) takes for an item: "" for the case
    itself, "decision" for the decision, else the shortest start of its id (8 characters at
    least) that no other item of the case shares."""
    if table == "case":
        return ""
    if table == "decision":
        return "decision"
    others = [i.id for name in model.TABLES for i in case.table(name) if i.id != doc_id]
    for length in range(8, len(doc_id)):
        prefix = doc_id[:length]
        if not any(o.startswith(prefix) for o in others):
            return prefix
    return doc_id


def settle_words(case: model.Case, table: str, doc_id: str, field: str = "") -> str:
    """The command that settles one conflict (with ``field``) or raced deletion (without),
    for hints: ``secondview settle 1a2b3c4d 9f8e7d6c title --keep N``."""
    words = ["secondview settle", case.id[:8], item_ref(case, table, doc_id)]
    words.append(f"{field} --keep N" if field else "--keep-item (or --delete-item)")
    return " ".join(w for w in words if w)


def _check_conflict(opened: OpenCase, table: str, doc_id: str, field: str) -> None:
    case = opened.case
    if (table, doc_id, field) in case.conflicts:
        return
    if not case.conflicts and not case.races:
        raise CaseError(f"'{case.title}' has no unsettled conflicts; nothing to settle")
    in_conflict = sorted(f for t, d, f in case.conflicts if (t, d) == (table, doc_id))
    elsewhere = [where(t, d, f) for t, d, f in case.conflicts if f == field]
    if in_conflict:
        also = f" (its fields in conflict: {', '.join(in_conflict)})"
    elif (table, doc_id) in case.races:
        also = "; it was deleted on one device while edited on another: keep or delete it"
    elif elsewhere:
        also = f"; in conflict: {', '.join(elsewhere)} (name the item)"
    else:
        also = ""
    raise CaseError(f"{where(table, doc_id, field)} has no conflict to settle{also}")


def choose(opened: OpenCase, table: str, doc_id: str, field: str, n: int) -> Any:
    """The ``n``-th value (1 is the latest, see ``conflict_values``) of a field in conflict.

    CaseError if the field is not in conflict or there is no value ``n``.
    """
    _check_conflict(opened, table, doc_id, field)
    values = conflict_values(opened.state, table, doc_id, field)
    if not 1 <= n <= len(values):
        raise CaseError(
            f"{where(table, doc_id, field)} has {len(values)} values; "
            f"keep one of 1 to {len(values)}, not {n}"
        )
    return values[n - 1]["v"]


def _save(repo: CaseRepository, opened: OpenCase, table: str, doc_id: str, field: str,
          value: Any) -> OpenCase:
    """Write ``value`` with a context covering every entry ``opened`` holds of the field."""
    write = opened.state.prepare(table, doc_id, {field: value}, summary=SETTLED)
    return repo.apply(opened, [write], f"{SETTLED}: {field} of {table}")


def keep_value(repo: CaseRepository, opened: OpenCase, table: str, doc_id: str, field: str,
               value: Any) -> OpenCase:
    """Settle a field by keeping ``value``, one of the values devices wrote to it (written
    again as it is, not re-validated: a value another version wrote stays keepable).

    Side effects: this device's replica written (one log line). CaseError if the field is not
    in conflict or ``value`` is not one of its values; ReadOnlyCase if the case is read-only.
    """
    _check_conflict(opened, table, doc_id, field)
    if not any(e["v"] == value for e in conflict_values(opened.state, table, doc_id, field)):
        raise CaseError(f"{where(table, doc_id, field)} holds no such value to keep")
    return _save(repo, opened, table, doc_id, field, value)


def merge_value(repo: CaseRepository, opened: OpenCase, table: str, doc_id: str, field: str,
                raw: Any) -> OpenCase:
    """Settle a field with a value typed in (a merged text), validated for the field's kind
    like any edit (``model.parse_fields``).

    Side effects: this device's replica written (one log line). InvalidValue if ``raw`` does
    not fit the field; CaseError if it is not in conflict; ReadOnlyCase if read-only.
    """
    _check_conflict(opened, table, doc_id, field)
    value = model.parse_fields(table, {field: raw})[field]
    return _save(repo, opened, table, doc_id, field, value)


def settle_race(repo: CaseRepository, opened: OpenCase, table: str, doc_id: str,
                keep: bool) -> OpenCase:
    """Settle an item edited on one device while deleted on another: keep it (the deletion
    undone, with the dependants deleted in that same operation) or delete it (the edit
    with it, and its dependants: ``CaseRepository.delete``).

    Side effects: this device's replica written (one log line). CaseError if the item is not
    in such a race; ReadOnlyCase if the case is read-only.
    """
    case = opened.case
    if (table, doc_id) not in case.races:
        raise CaseError(
            f"{where(table, doc_id)} was not deleted on one device while edited on another; "
            "there is no deletion to keep or undo"
        )
    return repo.delete(opened, table, doc_id, restore=keep)
