"""Replica files as bytes: atomic writes, private folders, the canonical format, parsing.

TinyDB's own JSONStorage keeps a file handle open and writes in place; a sync tool that
replaces the file underneath then swallows every later write. Every file the app writes goes
through ``atomic_write`` instead: a dot-prefixed temp file in the same folder (0600), fsynced
and renamed over the old one, then the folder fsynced. A crash at any moment leaves either
the old file or the new one, never a torn one. Reads open, read and close: no handle is held.

A replica file looks like::

    {"device": {"id": ..., "name": ..., "install": ...}, "format": "1.0",
     "tables": {"case": {...}, ...}}

``parse_replica`` gives (meta, tables) or raises UnreadableFile (NewerFormat for a newer major
version) naming the problem; ``replica_bytes`` writes the canonical form. The TinyDB database
over such a file is ``store.replica_db``.

In a sealed cases folder every replica and kept file is one age file under its usual name,
recognised by age's first line (``is_sealed``). ``unsealed`` and ``sealed`` are the one seam
where a folder key (any ``Sealer``: ``store.folder_key.FolderKey``) is applied: a file is read
either way (a folder may hold plain files of a device not sealed yet) and written sealed
when a key is given. Nothing happens when this module is imported.
"""

from __future__ import annotations

import json
import math
import os
import stat
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from ..core import model
from ..core.registers import ReplicaError
from ..core.replica_json import Reading
from ..core.replica_validation import validate_tables

FILE_MODE = 0o600
DIR_MODE = 0o700
FORMAT_LIMIT = 20
"""The longest ``format`` a replica may name ("1.0" today); a longer one is damaged."""


class UnreadableFile(Exception):
    """A file that cannot be taken as a replica. ``problem`` says why, for the user."""

    def __init__(self, path: Path, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem


class NewerFormat(UnreadableFile):
    """A replica written by a newer major version of secondview: readable by it, not by us."""


class Locked(UnreadableFile):
    """A sealed file read without the folder key: the folder is locked, the file is fine."""


SEALED_LINE = b"age-encryption.org/v1\n"
"""The first line of every sealed file (an age file)."""

LOCKED = "sealed, and the cases folder is locked: unlock it (secondview unlock) to read it"
NOT_SEALED = ("sealed (an age file), but this cases folder is not sealed, so no key here opens "
              "it: a file from another folder?")


class Sealer(Protocol):
    """What seals and opens a sealed folder's files (``store.folder_key.FolderKey``)."""

    @property
    def seals(self) -> bool:
        """Whether ``seal`` seals (False while the folder's sealing is being turned off)."""
        ...

    def seal(self, data: bytes) -> bytes:
        """``data`` as one sealed (age) file (as it is when not ``seals``)."""
        ...

    def file_names(self, digest: str) -> list[str]:
        """The names a kept file of SHA-256 ``digest`` may be sealed under, newest first."""
        ...

    def open(self, path: Path, raw: bytes) -> bytes:
        """The plain bytes of the sealed file ``raw``; UnreadableFile naming why not."""
        ...


def is_sealed(raw: bytes) -> bool:
    """Whether a file's bytes are a sealed (age) file, by age's first line."""
    return raw.startswith(SEALED_LINE)


def unsealed(path: Path, raw: bytes, key: Sealer | None) -> bytes:
    """The plain bytes of a file read from the cases folder: ``raw`` itself when it is not
    sealed, else opened with ``key``. Locked (no key) or UnreadableFile naming why not."""
    if not is_sealed(raw):
        return raw
    if key is None:
        raise Locked(path, LOCKED)
    return key.open(path, raw)


def sealed(data: bytes, key: Sealer | None) -> bytes:
    """The bytes to write for ``data``: sealed with ``key`` when the folder is sealed."""
    return data if key is None else key.seal(data)


@dataclass(frozen=True)
class Stamp:
    """What identifies one version of a file on disk."""

    mtime_ns: int
    size: int
    ino: int

    @classmethod
    def of(cls, path: Path) -> Stamp | None:
        try:
            st = os.stat(path)
        except FileNotFoundError:
            return None
        return cls(st.st_mtime_ns, st.st_size, st.st_ino)


def _utf8(text: str) -> bytes:
    # A lone surrogate (from a file's "\udcff" escape, or undecodable command-line bytes)
    # has no UTF-8 form; in JSON text it can only stand inside a string, where
    # backslashreplace writes it as the same JSON escape, so the file stays UTF-8 and loads
    # back to the same value instead of failing to save.
    return text.encode("utf-8", "backslashreplace")


def canonical_bytes(document: dict[str, Any]) -> bytes:
    """Sorted keys, one-space indent, UTF-8, trailing newline: equal states, equal bytes."""
    return _utf8(
        json.dumps(document, sort_keys=True, indent=1, ensure_ascii=False, allow_nan=False) + "\n"
    )


def ensure_dir(path: Path) -> None:
    """Create ``path`` and any missing parents as 0700, or tighten ``path`` to 0700 if looser.

    ``mkdir(parents=True)`` would create the parents with the default mode (0755 under the
    usual umask), so a fresh data folder would be readable by everyone: each missing folder is
    made here with DIR_MODE instead. Existing parents are left as they are.
    """
    missing = []
    folder = path
    while not folder.exists() and folder != folder.parent:
        missing.append(folder)
        folder = folder.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=DIR_MODE)
        except FileExistsError:
            if not folder.is_dir():
                raise
    if not path.is_dir():
        raise FileExistsError(f"{path} exists and is not a folder")
    tighten(path)


def tighten(path: Path) -> None:
    """Remove group and other permissions from ``path`` if it has any; never add one.

    A file or folder the person made read-only (0444, 0555) stays read-only: the app does
    not take a permission its owner took away (``store.case_folder.read_only_reason`` reports
    it instead). A link is left alone: changing its mode would change what it points to.
    """
    try:
        current = stat.S_IMODE(os.lstat(path).st_mode)
        if current & 0o077 and not stat.S_ISLNK(os.lstat(path).st_mode):
            os.chmod(path, current & ~0o077)
    except (FileNotFoundError, PermissionError):
        pass


def atomic_write(path: Path, data: bytes, sync_folder: bool = True) -> Stamp:
    """Write ``data`` to ``path`` so that a crash leaves the old or the new file, never half.

    Side effects: creates a dot-prefixed temp file in the same folder (0600), fsyncs it,
    renames it over ``path``, fsyncs the folder (unless ``sync_folder`` is False: a caller
    writing many files to one folder fsyncs it once, ``fsync_folder``, before relying on
    them). Returns the new file's stamp.
    """
    folder = path.parent
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        try:
            os.fchmod(fd, FILE_MODE)
            view = memoryview(data)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        # The old file is untouched; leave no temp file behind either.
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    if sync_folder:
        fsync_folder(folder)
    stamp = Stamp.of(path)
    assert stamp is not None
    return stamp


def fsync_folder(folder: Path) -> None:
    """Make a folder's entries (a rename, a new or removed file) durable."""
    dir_fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def read_bytes(path: Path) -> bytes:
    """Open, read, close. No handle outlives the call."""
    with open(path, "rb") as handle:
        return handle.read()


def read_own(path: Path) -> bytes:
    """The bytes of a file the app owns (device.json, state.json), put back to private
    first if a copy, a sync or a person loosened its mode (see ``tighten``)."""
    tighten(path)
    return read_bytes(path)


class _NotJsonNumber(ValueError):
    pass


def _no_constant(name: str) -> Any:
    raise _NotJsonNumber(name)  # NaN, Infinity, -Infinity: Python reads them, JSON has none


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _NotJsonNumber(text)  # 1e400: it could never be written back
    return value


PartResolver = Callable[[Path, list[str], dict[str, Any]], dict[str, Any]]
"""(replica path, the parts it names, its own tables) -> the tables with its parts' documents
under its own (``store.replica_parts``: reads the parts kept in the case folder)."""

MAX_PARTS = 16
"""The most parts a replica may name (``store.replica_parts`` names a few; more is damage)."""


def _json_document(path: Path, text: str, reading: Reading | None) -> Any:
    """A replica file's text as JSON (through ``reading`` when given: see ``parse_replica``);
    UnreadableFile naming why it is not JSON."""
    try:
        if reading is None:
            return json.loads(text, parse_constant=_no_constant, parse_float=_finite_float)
        return reading.loads(text, json.JSONDecoder(parse_constant=_no_constant,
                                                    parse_float=_finite_float))
    except json.JSONDecodeError as exc:
        # A string can only run to the end of the text unterminated: the file was cut short.
        ended = exc.pos >= len(text.rstrip()) or exc.msg.startswith("Unterminated string")
        problem = "the file ends too early (truncated?)" if ended else (
            f"not valid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
        )
        raise UnreadableFile(path, problem) from None
    except _NotJsonNumber as exc:
        raise UnreadableFile(path, f"not valid JSON: {exc} is not a number JSON allows") from None
    except RecursionError:
        raise UnreadableFile(path, "not a secondview case file (nested too deeply)") from None
    except ValueError as exc:  # e.g. an integer with thousands of digits
        raise UnreadableFile(path, f"not valid JSON: {exc}") from None


def parse_replica(path: Path, raw: bytes, parts: PartResolver | None = None, *,
                  reading: Reading | None = None) -> tuple[dict[str, Any], dict[str, Any]]:
    """(meta, tables) of a replica file's bytes; UnreadableFile naming the problem.

    With ``reading``, the files of one case read one after another: a table written as in
    the first file read is that file's (``core.replica_json``; side effect: the first file
    that passes is kept in ``reading``, its own tables, before any part is folded in).

    A replica that names parts (format 2, ``store.replica_parts``) is read whole only with
    ``parts``, which folds their documents in: without it, it is UnreadableFile, never its
    own tables alone (writing those back would drop every document its parts hold).
    """
    if not raw:
        raise UnreadableFile(path, "the file is empty (it may still be syncing)")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UnreadableFile(path, f"not UTF-8 text (byte {exc.start})") from None
    document = _json_document(path, text, reading)
    if not isinstance(document, dict) or "tables" not in document or "format" not in document:
        raise UnreadableFile(path, "not a secondview case file")
    version = document["format"]
    if not isinstance(version, str):
        raise UnreadableFile(path, "its format version is not text")
    major, _, _minor = version.partition(".")
    if not (major.isascii() and major.isdigit()) or len(version) > FORMAT_LIMIT:
        shown = version if len(version) <= FORMAT_LIMIT else version[:FORMAT_LIMIT] + "..."
        raise UnreadableFile(path, f"unknown format '{shown}'")
    if int(major) > model.FORMAT_MAJOR:
        raise NewerFormat(
            path,
            f"written by a newer secondview (format {version}; this one reads "
            f"{model.FORMAT_MAJOR}.x): update secondview to edit it",
        )
    try:
        tables = validate_tables(document["tables"],
                                 known=reading.known if reading is not None else None)
    except ReplicaError as exc:
        raise UnreadableFile(path, str(exc)) from None
    if reading is not None:
        reading.keep(text, tables)
    meta = {k: v for k, v in document.items() if k != "tables"}
    if "parts" in meta:
        named = part_names(path, meta["parts"])
        if parts is None:
            raise UnreadableFile(path, "it keeps part of the case in files beside it (format "
                                       "2): open it in its case folder")
        tables = parts(path, named, tables)
    return meta, tables


def part_names(path: Path, named: Any) -> list[str]:
    """The parts a replica names (SHA-256 digests, at most MAX_PARTS, each once);
    UnreadableFile when they are not that."""
    if (not isinstance(named, list) or len(named) > MAX_PARTS or len(set(map(str, named)))
            != len(named) or not all(isinstance(n, str) and is_digest(n) for n in named)):
        raise UnreadableFile(path, "its list of parts is damaged")
    return named


def is_digest(name: str) -> bool:
    """Whether ``name`` is a SHA-256 as the app writes one (64 lower-case hex digits): the
    name of a kept file (``store.case_files``) and of a part a replica names."""
    return len(name) == 64 and all(c in "0123456789abcdef" for c in name)


def _dump(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, allow_nan=False)


def document_text(doc: dict[str, Any]) -> str:
    """A document's lines in a replica file: one register per line, fields sorted."""
    if not doc:
        return "{}"
    lines = ",\n".join(f"    {_dump(name)}: {_dump(doc[name])}" for name in sorted(doc))
    return "{\n" + lines + "\n   }"


def table_part(name: str, docs: dict[str, Any],
               text_of: Callable[[dict[str, Any]], str] = document_text) -> bytes:
    """One table as a replica file holds it (its name and documents, sorted), in UTF-8:
    the parts ``replica_bytes`` joins."""
    if not docs:
        return _utf8(f"  {_dump(name)}: {{}}")
    body = ",\n".join(f"   {_dump(doc_id)}: {text_of(docs[doc_id])}" for doc_id in sorted(docs))
    return _utf8(f"  {_dump(name)}: {{\n{body}\n  }}")


def replica_bytes(
    tables: dict[str, Any],
    device_id: str,
    device_name: str,
    text_of: Callable[[dict[str, Any]], str] = document_text,
    install: str = "",
    part_of: Callable[[str, dict[str, Any]], bytes] | None = None,
    parts: Sequence[str] = (),
) -> bytes:
    """A replica file's canonical bytes: equal states give equal bytes on every device.

    Sorted keys at every level, one register per line (so a git diff shows the fields that
    changed), UTF-8, a trailing newline. ``text_of`` may memoize ``document_text`` per document,
    ``part_of`` ``table_part`` per table. ``install`` (the writer's install nonce, see
    paths.Device) goes into ``device`` if given. ``parts``: the parts the replica names
    (``store.replica_parts``); a replica that names none is format 1, as before parts.
    """
    device = {"id": device_id, "name": device_name}
    if install:
        device["install"] = install
    named = f' "parts": {_dump(list(parts))},\n' if parts else ""
    head = _utf8(f'{{\n "device": {_dump(device)},\n '
                 f'"format": {_dump(model.PARTS_FORMAT if parts else model.FORMAT)},\n'
                 f'{named} "tables": {{')
    pieces = [head]
    for name in sorted(tables):
        pieces.append(b",\n" if len(pieces) > 1 else b"\n")
        pieces.append(part_of(name, tables[name]) if part_of is not None
                      else table_part(name, tables[name], text_of))
    pieces.append(b"\n }\n}\n")
    return b"".join(pieces)  # one copy of the whole, however large the tables are
