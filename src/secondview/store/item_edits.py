"""Validated edits of one item, on top of a repository's one save path (``apply``).

``ItemEdits`` is what ``CaseRepository`` offers the screens and the command line for the
common edits: update one item's fields from typed-in values, add one, delete or restore one
with its dependants, archive the case. Each builds the writes and saves them through
``apply`` (under the case lock, one file write, one log line); nothing here touches a file
itself. Nothing happens at import.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..core import model
from ..core.dependants import deleted_with, dependants_of, dependants_words
from ..core.ids import new_id
from ..core.registers import Tables
from ..core.replica import Write
from .open_case import OpenCase


class ItemEdits:
    """The edits of one item; ``apply`` is the repository's save (see the module docstring)."""

    def apply(self, opened: OpenCase, writes: Sequence[Write], summary: str = "",
              merge: Tables | None = None) -> OpenCase:
        raise NotImplementedError  # CaseRepository.apply

    def update(
        self, opened: OpenCase, table: str, doc_id: str, raw: Mapping[str, Any], summary: str = ""
    ) -> OpenCase:
        """Validate typed-in ``raw`` values for one document and save them."""
        values = model.parse_fields(table, raw)
        write = opened.state.prepare(table, doc_id, values, summary=summary)
        return self.apply(opened, [write], summary)

    def add(
        self, opened: OpenCase, table: str, raw: Mapping[str, Any], summary: str = ""
    ) -> tuple[OpenCase, str]:
        """Validate and add a new item to ``table``; returns the saved case and the new id."""
        values = model.parse_fields(table, raw)
        missing = model.missing_required(table, values)
        if missing:
            raise model.InvalidValue(f"required: {', '.join(missing)}")
        for name, fspec in ((f.name, f) for f in model.SCHEMA[table]):
            if fspec.kind is model.Kind.REF and name in values:
                if not any(i.id == values[name] for i in opened.case.table(fspec.ref_table)):
                    raise model.InvalidValue(f"{name}: no {fspec.ref_table} item {values[name]}")
        doc_id = new_id()
        defaults = model.defaults(table)
        write = Write(table, doc_id, {**defaults, **values}, summary=summary)
        return self.apply(opened, [write], summary or f"Added to {table}"), doc_id

    def dependants(self, opened: OpenCase, table: str, doc_id: str) -> list[tuple[str, str]]:
        """(table, id) of the shown items that go when this one is deleted: a question's or
        an opinion's answers, an option's benefits and risks (``core.dependants``)."""
        return dependants_of(opened.case, table, doc_id)

    def delete(self, opened: OpenCase, table: str, doc_id: str, restore: bool = False) -> OpenCase:
        """Delete (a tombstone) or restore one item, with its dependants, in one save (one
        file write, one log line); nothing is removed from the file.

        Deleting a question or an opinion tombstones its answers too, an option its benefits
        and risks (``dependants``). Restoring it brings back those deleted in that same
        operation (their tombstone carries the same dot), never ones deleted on their own.
        """
        if restore:
            others = deleted_with(opened.state, table, doc_id)
        else:
            others = self.dependants(opened, table, doc_id)
        writes = [opened.state.prepare(table, doc_id, delete=not restore)]
        writes += [opened.state.prepare(t, d, delete=not restore) for t, d in others]
        verb = "Restored" if restore else "Deleted"
        summary = f"{verb} an item of {table}"
        if others:
            summary += " and " + dependants_words(others).removeprefix("its ")
        return self.apply(opened, writes, summary)

    def set_archived(self, opened: OpenCase, archived: bool) -> OpenCase:
        write = opened.state.prepare("case", opened.case_id, {"archived": archived})
        return self.apply(opened, [write], "Archived" if archived else "Restored from archive")
