"""Items named on the command line: an id or a unique start of one, and a few words for each.

Every command that takes ITEM, RECORD or a REF field (``edit``, ``delete``, ``add``,
``settle``, ``attach``) finds it here, so the same words name the same item everywhere and a
mistake gets the same message.
"""

from __future__ import annotations

from typing import Any

from ..core import model
from ..store.repository import CaseError
from .output import clean, short

LABEL_FIELDS = ("title", "text", "doctor", "recipient", "summary", "choice")
"""The fields whose first non-empty value names an item for people."""


def label(item: model.Item) -> str:
    """A few words that name an item for people (its table's name when it has none)."""
    for name in LABEL_FIELDS:
        value = item.values.get(name)
        if isinstance(value, str) and value.strip():
            return value
    return item.table


def item_words(case: model.Case, table: str, doc_id: str) -> str:
    """An item for people: its table, the start of its id and a few words of it."""
    item = next((i for i in case.table(table) if i.id == doc_id), None)
    named = f" ({short(label(item), 50)})" if item is not None else ""
    return f"{clean(table)} {clean(doc_id[:8])}{named}"


def find_item(case: model.Case, ref: str) -> model.Item:
    """The item meant by an id or a unique start of one; CaseError naming the trouble."""
    ref = ref.strip().lower()
    if not ref:
        raise CaseError("name an item by its id ('secondview show CASE --json' lists them)")
    item = case.find(ref)
    if item is not None:
        return item
    hits = [i for name in model.TABLES for i in case.table(name) if i.id.startswith(ref)]
    if len(hits) > 1:
        raise CaseError(
            f"'{ref}' matches {len(hits)} items "
            f"({', '.join(f'{i.table} {i.id[:8]}' for i in hits[:6])}); use more of the id"
        )
    raise CaseError(
        f"no item '{ref}' in '{clean(case.title)}'; "
        f"'secondview show {case.id[:8]} --json' lists every item with its id"
    )


def resolve_refs(case: model.Case, table: str, values: dict[str, Any]) -> dict[str, Any]:
    """``values`` with each REF value given as a unique start of an id turned into the full
    id; InvalidValue listing the items that fit when it names none or several."""
    resolved = dict(values)
    for f in model.SCHEMA[table]:
        if f.kind is not model.Kind.REF or f.name not in values:
            continue
        ref = str(values[f.name]).strip().lower()
        items = case.table(f.ref_table)
        exact = [i for i in items if i.id == ref]
        hits = exact or [i for i in items if ref and i.id.startswith(ref)]
        if len(hits) == 1:
            resolved[f.name] = hits[0].id
            continue
        listed = ", ".join(f"{i.id[:8]} ({short(label(i), 30)})" for i in items[:12])
        problem = f"'{ref}' matches {len(hits)} of them" if hits else f"no item '{ref}'"
        raise model.InvalidValue(
            f"{f.name}: {problem} in {f.ref_table}. Valid: {listed or 'none yet, add one first'}"
        )
    return resolved


def fields_help(table: str) -> str:
    """The fields of ``table`` with what each takes, for --help and refusals."""
    return ", ".join(f.describe() for f in model.SCHEMA[table])
