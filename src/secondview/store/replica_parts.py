"""Parts of a very large replica: its settled documents kept apart, named by their content.

A case that an import filled with a whole portal export has a replica of megabytes, and a
replica is written whole (atomic, fsynced) at every save. So once the documents a replica
holds itself pass ``PART_THRESHOLD`` bytes, the writer moves them into a *part*: a file kept
in the case folder as an import's notes are (``store.case_files``: named by its SHA-256,
written once, never rewritten, verified when read, sealed in a sealed folder), and the
replica names its parts and holds only what differs from them::

    {"device": ..., "format": "2.0", "parts": ["<sha256>", ...], "tables": {...}}

A part is ``{"format": "2.0", "part_of": "<case id>", "tables": {...}}``, in the canonical
form of a replica's tables; it holds the case document too, so it is checked as a replica
is. Reading folds a replica's parts in the order it names them, each over the earlier, then
its own tables over them (``fold``); documents are never removed from a case (a deletion is
a tombstone), so "the latest version of each document" is the whole rule. A save then
writes the small replica alone; a part is written only when the replica grows past the
threshold again.

A replica that names no parts is format 1.0, as before, so a case that never grew this
large stays readable by earlier versions; one that names parts is 2.0, which earlier
versions open read-only (a newer major format is never rewritten). Two devices share parts:
a device whose state holds another device's part's documents names that part too, instead
of writing the same documents again.

``PartShelf`` (one per ``CaseRepository``) keeps the parts read, so opening a case again or
reading another device's new replica does not parse the same megabytes twice, and what each
of its tables held at the last save, so a save compares only the tables it changed.

A part that is not in the case folder yet (synced after the replica naming it), or whose
bytes do not match its name, is ``PartMissing``: the replica is reported and read again at
the next look, never quarantined. Side effects are named in each function's docstring;
nothing happens at import.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..core import model
from ..core.registers import Document, Tables
from .case_files import FILES_DIR, CaseFileError, KeptFileMissing, is_kept, keep, read_kept
from .storage import (
    Sealer,
    UnreadableFile,
    document_text,
    parse_replica,
    table_part,
)

PART_THRESHOLD = 1024 * 1024
"""Bytes of documents a replica holds itself beyond which its settled documents go into a
part (a realistic case is a tenth of this: only an import of a large export gets parts)."""
MAX_NAMED = 4
"""Parts a replica names at most: one more is made by writing one part of every document."""
SHELVED = MAX_NAMED + 1
"""Parts the shelf keeps parsed: those one save names and the one it may make (the parts
of the case open share their documents with its state; others are read again when needed)."""
INLINE_TABLES = frozenset({"case"})
"""Tables a replica always holds itself (the case document names the case: a replica is
recognised by it before any part is read)."""


class PartMissing(UnreadableFile):
    """A part a replica names is not in the case folder (not synced yet) or not the bytes
    its name says: the replica waits for it; it is not damaged."""


def _part_text(case_id: str, tables: Mapping[str, Mapping[str, Document]],
               text_of: Callable[[dict[str, Any]], str]) -> bytes:
    """A part's canonical bytes (its tables sorted, one register per line, as a replica's)."""
    head = json.dumps({"format": model.PARTS_FORMAT, "part_of": case_id}, sort_keys=True,
                      ensure_ascii=False)[1:-1]
    body = b",\n".join(table_part(name, dict(tables[name]), text_of)
                       for name in sorted(tables))
    return b"{" + head.encode("utf-8") + b',\n "tables": {\n' + body + b"\n }\n}\n"


def _parse_part(where: Path, digest: str, case_id: str, data: bytes) -> Tables:
    """The tables of a part's bytes; UnreadableFile when they are not a part of this case."""
    meta, tables = parse_replica(where, data)
    if meta.get("part_of") != case_id or case_id not in tables["case"]:
        raise UnreadableFile(where, f"its part {digest[:12]}… belongs to another case")
    return tables


def fold(parts: Sequence[Mapping[str, Mapping[str, Document]]],
         own: Mapping[str, Mapping[str, Document]]) -> Tables:
    """A replica's tables whole: its parts' documents in order, each over the earlier, then
    its own over them. A table no part holds is the replica's own object. Pure."""
    if not parts:
        return dict(own)  # type: ignore[arg-type]
    names = set(own).union(*(p.keys() for p in parts))
    out: Tables = {}
    for name in names:
        layers = [p[name] for p in parts if p.get(name)]
        mine = own.get(name, {})
        if not layers:
            out[name] = dict(mine)
            continue
        table: dict[str, Document] = {}
        for layer in layers:
            table.update(layer)
        table.update(mine)
        out[name] = table
    return out


@dataclass
class _Seen:
    """What a table held at the last save of a case, against one set of parts."""

    parts: tuple[str, ...]
    table: Mapping[str, Document]
    inline: set[str]
    """Ids of its documents that differ from the parts' (written in the replica itself)."""
    stale: int
    """How many of those are in a part in an older version."""
    covered: int
    """How many of its documents the parts hold (current or not)."""


@dataclass(frozen=True)
class Layout:
    """How a state is written: the parts named, and the documents the replica holds itself."""

    parts: tuple[str, ...]
    own: Tables


class PartShelf:
    """The parts read and written by one repository, and what each case's tables held at its
    last save (see the module docstring). Keeps at most ``SHELVED`` parts parsed."""

    def __init__(self) -> None:
        self._parts: OrderedDict[str, Tables] = OrderedDict()
        self._own: dict[str, tuple[str, ...]] = {}
        """case id -> the parts this device's replica names (as last read or written)."""
        self._others: dict[str, tuple[str, ...]] = {}
        """case id -> the parts another device's replica named (the last one read)."""
        self._covered: dict[tuple[str, ...], Tables] = {}
        self._seen: dict[tuple[str, str], _Seen] = {}

    # -- reading ----------------------------------------------------------------------------

    def part(self, case_folder: Path, case_id: str, digest: str, key: Sealer | None
             ) -> Tables:
        """The tables of the part ``digest`` of the case in ``case_folder`` (read, checked
        and parsed once). PartMissing when it is not there or not its bytes; UnreadableFile
        when it is not a part of this case. Only reads."""
        found = self._parts.get(digest)
        if found is not None and case_id in found.get("case", {}):  # a part of this case
            self._parts.move_to_end(digest)
            return found
        where = case_folder / FILES_DIR / digest
        try:
            data = read_kept(case_folder, digest, key)
        except KeptFileMissing:
            raise PartMissing(where, f"it waits for its part {FILES_DIR}/{digest[:12]}…, not "
                                     "synced to this device yet: the case reads it when it "
                                     "arrives") from None
        except CaseFileError as exc:
            raise PartMissing(where, f"it waits for its part {FILES_DIR}/{digest[:12]}…, "
                                     f"which cannot be read here yet ({exc})") from None
        found = _parse_part(where, digest, case_id, data)
        self._keep(digest, found)
        return found

    def _keep(self, digest: str, tables: Tables) -> None:
        self._parts[digest] = tables
        while len(self._parts) > SHELVED:
            gone, _ = self._parts.popitem(last=False)
            self._covered = {k: v for k, v in self._covered.items() if gone not in k}

    def resolver(self, case_folder: Path, case_id: str, key: Sealer | None, own: bool = False
                 ) -> Callable[[Path, list[str], dict[str, Any]], dict[str, Any]]:
        """The ``parts`` argument of ``store.storage.parse_replica`` for the replicas of the
        case ``case_id`` in ``case_folder``; ``own``: this device's replica (the parts its
        next save names)."""
        def resolve(_path: Path, named: list[str], tables: dict[str, Any]) -> dict[str, Any]:
            found = [self.part(case_folder, case_id, d, key) for d in named]
            (self._own if own else self._others)[case_id] = tuple(named)
            return fold(found, tables)

        return resolve

    # -- writing ----------------------------------------------------------------------------

    def layout(self, case_folder: Path, case_id: str, tables: Tables, key: Sealer | None,
               size_of: Callable[[Tables], int],
               text_of: Callable[[dict[str, Any]], str] = document_text) -> Layout:
        """How to write ``tables`` as this device's replica of case ``case_id`` (in
        ``case_folder``): the parts to name (this device's, or before it has any another
        device's, while they still hold most of the case's documents as they are), and the
        documents the replica holds itself. When those pass ``PART_THRESHOLD`` bytes
        (``size_of``), they become a new part; past ``MAX_NAMED`` parts, every document does.

        Side effects: a new part kept in the case folder (``store.case_files.keep``:
        atomic, fsynced, 0600; sealed with ``key``), before the replica naming it is written.
        """
        parts = self._usable(case_folder, case_id, tables, key)
        own = self._held(case_id, parts, tables)
        if size_of(own) <= PART_THRESHOLD:
            return Layout(parts, own)
        # A part holds the case document as well (its replica's own copy is read over it),
        # so it is checked as any replica is: one case document, this case's.
        settled = {n: t for n, t in own.items() if t}
        if len(parts) >= MAX_NAMED:
            settled = {n: t for n, t in tables.items() if t}
            parts = ()
        data = _part_text(case_id, settled, text_of)
        try:
            digest = keep(case_folder, data, key)
        except CaseFileError as exc:
            raise OSError(f"{case_folder}: the case could not keep a part of itself: "
                          f"{exc}") from None
        self._keep(digest, {n: dict(t) for n, t in settled.items()})
        parts = (*parts, digest)
        return Layout(parts, self._held(case_id, parts, tables))

    def wrote(self, case_id: str, layout: Layout) -> None:
        """Note that this device's replica of the case now names ``layout.parts``."""
        self._own[case_id] = layout.parts

    def _usable(self, case_folder: Path, case_id: str, tables: Tables, key: Sealer | None
                ) -> tuple[str, ...]:
        """The parts this save names: this device's (or, before it has any, the last other
        replica's read), while each can be read (from the shelf, or the case folder again)
        and holds no document the state lacks, and while most of the documents they hold
        are current. Only reads."""
        parts = self._own.get(case_id) or self._others.get(case_id, ())
        try:
            for digest in parts:  # the latest used: a part kept next never pushes them out
                self.part(case_folder, case_id, digest, key)
        except UnreadableFile:
            return ()  # not readable: its documents are written anew
        if not parts or not all(is_kept(case_folder, d, key) for d in parts):
            return ()  # removed since it was read: its documents are written anew
        seen = [self._compare(case_id, parts, n, t) for n, t in tables.items()
                if n not in INLINE_TABLES]
        covered = self._covering(parts)
        held = sum(len(t) for n, t in covered.items() if n not in INLINE_TABLES)
        if sum(s.covered for s in seen) < held:
            return ()  # a document of a part is not in the state: naming it would revive it
        if 2 * sum(s.stale for s in seen) > held:
            return ()  # mostly outdated: write afresh
        return parts

    def _covering(self, parts: tuple[str, ...]) -> Tables:
        found = self._covered.get(parts)
        if found is None:
            found = fold([self._parts[d] for d in parts], {})
            self._covered[parts] = found
        return found

    def _compare(self, case_id: str, parts: tuple[str, ...], name: str,
                 table: Mapping[str, Document]) -> _Seen:
        """How ``table`` stands against the parts' version of it: only the documents that
        are not the very objects compared at the last save are compared again."""
        last = self._seen.get((case_id, name))
        if last is not None and last.parts == parts and last.table is table:
            return last
        theirs = self._covering(parts).get(name, {})
        before = last if last is not None and last.parts == parts else None
        inline: set[str] = set()
        stale = covered = 0
        for doc_id, doc in table.items():
            held = theirs.get(doc_id)
            if held is not None:
                covered += 1
            if before is not None and before.table.get(doc_id) is doc:
                if doc_id in before.inline:
                    inline.add(doc_id)
                    stale += held is not None
                continue
            if held is None:
                inline.add(doc_id)
            elif held is not doc and held != doc:
                inline.add(doc_id)
                stale += 1
        seen = _Seen(parts, table, inline, stale, covered)
        self._seen[(case_id, name)] = seen
        return seen

    def _held(self, case_id: str, parts: tuple[str, ...], tables: Tables) -> Tables:
        """The documents of ``tables`` the replica holds itself, naming ``parts``: a table
        none of whose documents a part holds is passed on as the same object (its bytes
        stay memoized)."""
        if not parts:
            return tables
        own: Tables = {}
        for name, table in tables.items():
            if name in INLINE_TABLES:
                own[name] = table
                continue
            seen = self._compare(case_id, parts, name, table)
            if not seen.covered:
                own[name] = table
            elif seen.inline:
                own[name] = {d: table[d] for d in seen.inline}
            else:
                own[name] = {}
        return own


__all__ = ["MAX_NAMED", "PART_THRESHOLD", "Layout", "PartMissing", "PartShelf", "fold"]
