"""Validation of a case state read from a file: every register well formed, every known field of
its kind, exactly one case document. Pure: the caller reads the file.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from . import model
from .ids import DEVICE_ID_LIMIT
from .registers import DELETED, ReplicaError, Tables

STAMP_LIMIT = 40
"""A clock stamp is 29 characters ("2026-12-01T10:00:00.000Z/0000"); longer is not one."""


def _is_str(value: Any) -> bool:
    return type(value) is str


COUNTER_LIMIT = 2**53
"""Write numbers (a dot's n, the counts in ``seen``) and whole-number field values stay below
this (the largest integer every JSON reader keeps exact). A file holding more is damaged or
crafted: with thousands of digits it could be read but never written back."""


def _bounded_int(value: Any) -> bool:
    return type(value) is int and -COUNTER_LIMIT < value < COUNTER_LIMIT


_STORED_TYPE_CHECKS: dict[model.Kind, Callable[[Any], bool]] = {
    model.Kind.BOOL: lambda v: type(v) is bool,
    model.Kind.INT: _bounded_int,
    model.Kind.NUMBER: lambda v: _bounded_int(v) or type(v) is float,
}
def _is_str_or_bool(value: Any) -> bool:
    return type(value) is str or type(value) is bool


_FIELD_CHECKS = {
    table: {f.name: _is_str_or_bool if f.was_bool else _STORED_TYPE_CHECKS.get(f.kind, _is_str)
            for f in fields}
    for table, fields in model.SCHEMA.items()
}
"""Per field, FieldSpec.accepts_stored as a plain type test (json.loads makes exact types)."""


def _is_bool(value: Any) -> bool:
    return type(value) is bool


def validate_tables(data: Any, where: str = "", known: Tables | None = None) -> Tables:
    """Check that ``data`` is a well-formed case state; ReplicaError naming the first fault.

    Known fields must hold values of their kind; unknown tables and fields (from a newer
    minor version) are kept as they are, so merging never drops them. Runs on every file a
    case is opened from, so the per-entry test is kept to plain type checks.

    ``known``: another replica of the case that passed this check (the file read before this
    one). A table of ``data`` that IS the one ``known`` holds under its name (the same
    object: ``core.replica_json`` gives it for a table written as the known file's) passes
    as that one did. Every other table is checked as without ``known``, document by
    document: the verdict and the fault named are the same either way. Equal is not enough:
    Python takes ``True == 1 == 1.0``, which JSON and this check tell apart. Returns
    ``data``.
    """
    if not isinstance(data, dict):
        raise ReplicaError(f"{where}expected an object of tables, found {type(data).__name__}")
    for tname, table in data.items():
        if not isinstance(table, dict):
            raise ReplicaError(f"{where}table '{tname}' is not an object")
        if known is not None and known.get(tname) is table:
            continue
        checks = _FIELD_CHECKS.get(tname, {})
        for doc_id, doc in table.items():
            _check_document(tname, doc_id, doc, checks, where)
    case = data.get("case")
    if not case or len(case) != 1:
        raise ReplicaError(f"{where}no case document (table 'case' must hold exactly one)")
    return data


def _check_document(tname: str, doc_id: str, doc: Any, checks: dict[str, Callable[[Any], bool]],
                    where: str) -> None:
    """ReplicaError naming the first fault of one document (``checks``: its table's fields)."""
    if not isinstance(doc, dict):
        raise ReplicaError(f"{where}{tname}/{doc_id} is not an object")
    for fname, register in doc.items():
        if type(register) is not list or not register:
            raise ReplicaError(f"{where}{tname}/{doc_id}/{fname} is not a register")
        check = _is_bool if fname == DELETED else checks.get(fname)
        for entry in register:
            try:
                dot, seen, value = entry["dot"], entry["seen"], entry["v"]
                well_formed = (
                    type(dot) is list
                    and len(dot) == 2
                    and type(dot[0]) is str
                    and len(dot[0]) <= DEVICE_ID_LIMIT
                    and type(dot[1]) is int
                    and 0 < dot[1] < COUNTER_LIMIT
                    and type(seen) is dict
                    and type(entry["at"]) is str
                    and len(entry["at"]) <= STAMP_LIMIT
                    # most entries replaced nothing: their empty context needs no loop
                    and (not seen or all(type(n) is int and 0 <= n < COUNTER_LIMIT
                                         and len(d) <= DEVICE_ID_LIMIT
                                         for d, n in seen.items()))
                )
            except (KeyError, TypeError):  # not an object, or a key missing
                well_formed = False
            if not well_formed:
                raise ReplicaError(f"{where}{tname}/{doc_id}/{fname} has a malformed entry")
            if check is not None and not check(value):
                if fname == DELETED:
                    raise ReplicaError(f"{where}{tname}/{doc_id}/deleted is not true/false")
                kind = model.specs_by_name(tname)[fname].kind.value
                raise ReplicaError(
                    f"{where}{tname}/{doc_id}/{fname} holds {type(value).__name__}, "
                    f"expected {kind}"
                )
