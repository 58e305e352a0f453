"""Registers with version dots, and the merge of registers, documents and whole case states.

A case is a dict of tables; a table maps document ids (UUID strings) to documents; a document
maps field names to *registers*. A register is a list of entries::

    {"v": value, "dot": [device, n], "seen": {device: n, ...}, "at": stamp}

``dot`` names the write that made the entry (the n-th write of that device to this case).
``seen`` is the causal context of the writer: everything it replaced. Entry ``y`` *covers*
entry ``x`` when ``y.seen[x.device] >= x.n``. A merge keeps the union of two registers minus the
covered entries, so it is commutative, associative and idempotent. One entry left: the value.
Two or more: the writes were concurrent, and the user settles the conflict with a local write
whose context covers them all.

A document is deleted by a ``deleted`` register holding ``True``, whose context covers every
entry of the document at the time of deletion. An entry the tombstone does not cover was
written concurrently with the deletion: the document stays visible and is reported as a race.
Nothing is ever removed from a document, so a deletion is undone by writing ``deleted=False``.

``at`` is a hybrid logical clock stamp (``core.hybrid_clock``), for display and ordering only.

Pure functions and data: no I/O.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

Entry = dict[str, Any]
Register = list[Entry]
Document = dict[str, Register]
Table = dict[str, Document]
Tables = dict[str, Table]

DELETED = "deleted"


class ReplicaError(ValueError):
    """A replica's content is not a valid case. The message names what is wrong."""



def case_id_of(tables: Mapping[str, Mapping[str, Any]]) -> str:
    """The id of the case a state describes (the key of its one ``case`` document)."""
    return next(iter(tables["case"]))


def dot_of(entry: Entry) -> tuple[str, int]:
    """The dot of an entry as a (device, n) pair: the canonical order of a register."""
    dev, n = entry["dot"]
    return dev, n


def covers(y: Entry, x: Entry) -> bool:
    """Whether ``y`` was written by someone who had seen ``x`` (so ``x`` is superseded)."""
    dev, n = dot_of(x)
    seen: dict[str, int] = y["seen"]
    return seen.get(dev, 0) >= n


def _canonical(entry: Entry) -> str:
    return json.dumps(entry, sort_keys=True, ensure_ascii=False)


def merge_registers(a: Register, b: Register) -> Register:
    """The union of two registers minus covered entries, in canonical (dot) order."""
    if a is b or a == b:
        return a
    by_dot: dict[tuple[str, int], Entry] = {}
    for entry in (*a, *b):
        key = dot_of(entry)
        other = by_dot.get(key)
        # The same dot with different content only happens when one device id is used on two
        # machines; keep a deterministic one so the merge stays commutative.
        if other is None or (other != entry and _canonical(entry) > _canonical(other)):
            by_dot[key] = entry
    entries = list(by_dot.values())
    if len(entries) > 1:
        entries = [x for x in entries if not any(y is not x and covers(y, x) for y in entries)]
    entries.sort(key=dot_of)
    return entries


def context_of(register: Iterable[Entry]) -> dict[str, int]:
    """Everything a writer who sees ``register`` has seen: dots and their contexts."""
    seen: dict[str, int] = {}
    for entry in register:
        for dev, n in entry["seen"].items():
            if n > seen.get(dev, 0):
                seen[dev] = n
        dev, n = entry["dot"]
        if n > seen.get(dev, 0):
            seen[dev] = n
    return seen


def document_context(doc: Document) -> dict[str, int]:
    """The context of every register of a document together."""
    return context_of(entry for register in doc.values() for entry in register)


def pick(register: Register) -> Entry:
    """The entry shown while a conflict is unsettled: the latest stamp, then the highest dot."""
    return max(register, key=lambda e: (e["at"], dot_of(e)))


def merge_tables(a: Tables, b: Tables) -> Tables:
    """Merge two case states. Neither argument is modified; unchanged parts are shared: where
    both hold equal tables or documents, the result holds ``a``'s objects (so what is memoized
    for them stays valid, see ``CaseState.memo``)."""
    if a is b:
        return a
    out: Tables = dict(a)
    for name, tb in b.items():
        ta = out.get(name)
        if ta is None:
            out[name] = tb
        elif ta is not tb and ta != tb:  # most tables of two replicas are equal: compared in C
            out[name] = _merge_table(ta, tb)
    return out


def _merge_table(ta: Table, tb: Table) -> Table:
    table: Table = dict(ta)
    for doc_id, db in tb.items():
        da = table.get(doc_id)
        if da is None:
            table[doc_id] = db
        elif da is not db and da != db:  # most documents of two replicas are equal
            doc: Document = dict(da)
            for fname, rb in db.items():
                ra = doc.get(fname)
                doc[fname] = rb if ra is None else merge_registers(ra, rb)
            # Keep the identity of a document the merge did not change: views and serialized
            # text memoized for it stay valid (see CaseState.memo).
            same = len(doc) == len(da) and all(doc[f] is da[f] for f in da)
            if not same:
                table[doc_id] = doc
    return table
