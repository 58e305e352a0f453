"""Attached files: the size and SHA-256 of a file or a folder, taken now and checked later.

A record points at files on this device (a PDF, an image, a folder of imaging copied from a
CD). The ``attachments`` table keeps, per record and path, the path exactly as typed (``~`` is
expanded only when reading, so one path works on devices whose home folders differ), whether
it is a file or a folder, its size, how many files it held, and its SHA-256:

- of a file: the SHA-256 of its bytes (what ``sha256sum FILE`` prints);
- of a folder: the SHA-256 of its manifest, every regular file under it, one
  ``<sha256>  ./<relative path>`` line each, sorted by the path's bytes: exactly what
  ``cd FOLDER && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum``
  prints, so the office that receives a copy can check it with standard tools. Symbolic links
  and special files inside the folder are not followed and not hashed (``find -type f`` leaves
  them out too); they are listed in ``Digest.skipped``.

Reading is the only thing done to the files: they are never opened in another program,
never run, never written, moved or deleted, and nothing is written outside the app's folders.
On request a file is also copied into the case (``keep_in_case``: ``store.case_files``, the
way an import keeps what an export carries), so the packet and the person's other devices
have it; the attachment is then of kind "kept" and names the file, not a path on this device.
A FIFO or a device named as a path is refused before it is read (reading one could block or
never end). Hashing reports its progress through a callback and can be cancelled between
chunks, so the app can hash a large folder in a worker thread behind a progress bar.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import os
import re
import stat
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..core import model
from ..core.attached_files import attached_files
from ..core.registers import DELETED
from ..core.replica import CaseState, Write
from .case_files import (
    CaseFileError,
    KeepCancelled,
    KeptFileChanged,
    KeptFileMissing,
    keep_copy,
    read_kept,
)
from .storage import Sealer

CHUNK = 1 << 20
"""Bytes read at a time (and the step between progress reports within a file)."""
NAMESPACE = uuid.UUID("8a4c7f0e-2b1d-4e55-9c3a-1f6d2e8b9a70")
"""For attachment ids derived from the record id and the path (uuid5)."""

Progress = Callable[[int, int, str], None]
"""progress(bytes done, bytes in all, the file being read): called per chunk and per file."""


class AttachmentError(Exception):
    """A path that cannot be hashed; the message names it and says what to do."""


class MissingPath(AttachmentError):
    """Nothing is at the path (moved, deleted, or a disc or drive not connected)."""


class HashCancelled(Exception):
    """``cancelled()`` said stop before the hash was finished."""


@dataclass(frozen=True)
class Digest:
    """What a path held when it was hashed."""

    kind: str
    """"file" or "folder"."""
    size: int
    """Bytes: of the file, or of every file hashed in the folder together."""
    file_count: int
    sha256: str
    skipped: tuple[str, ...] = ()
    """Inside a folder: links and special files left out (relative paths)."""


def resolve(given: str) -> Path:
    """The path to read for ``given`` (as typed): ``~`` expanded; AttachmentError if relative.

    A relative path would mean something else in every folder the app is started from, so a
    full path (starting with / or ~) is required.
    """
    text = given.strip()
    if not text:
        raise AttachmentError("no path given: type the full path of a file or folder")
    if "\0" in text:
        raise AttachmentError("the path holds a NUL character; no file can have that name")
    path = Path(os.path.expanduser(text))
    if not path.is_absolute():
        raise AttachmentError(
            f"'{given}' is not a full path; write it from the top, starting with / or ~ "
            "(for example ~/Documents/scan.pdf)"
        )
    return path


def manifest_line(sha256: str, relative: bytes) -> bytes:
    """One line of a folder's manifest, as ``sha256sum`` writes it for ``./relative``.

    Like sha256sum, a name holding a backslash, a newline or a carriage return is written
    escaped, with a backslash before the line.
    """
    name = b"./" + relative
    if b"\\" in name or b"\n" in name or b"\r" in name:
        name = name.replace(b"\\", b"\\\\").replace(b"\n", b"\\n").replace(b"\r", b"\\r")
        return b"\\" + sha256.encode() + b"  " + name + b"\n"
    return sha256.encode() + b"  " + name + b"\n"


def _stat(path: Path, given: str) -> os.stat_result:
    try:
        return os.stat(path)  # the path itself may be a link the user chose: followed
    except FileNotFoundError:
        raise MissingPath(
            f"{given}: nothing is there (moved, deleted, or a drive or disc not connected)"
        ) from None
    except NotADirectoryError:
        raise MissingPath(f"{given}: a part of the path is a file, not a folder") from None
    except PermissionError:
        raise AttachmentError(f"{given}: not allowed to read it; check its permissions") from None
    except OSError as exc:
        raise AttachmentError(f"{given}: cannot be read ({exc.strerror or exc})") from None


def _walk(top: bytes, rel: bytes, files: list[tuple[bytes, int]], skipped: list[str]) -> None:
    """Collect (relative path, size) of every regular file under ``top``; no link is followed."""
    here = os.path.join(top, rel) if rel else top
    with os.scandir(here) as entries:
        for entry in entries:
            name = os.path.join(rel, entry.name) if rel else entry.name
            if entry.is_symlink():
                skipped.append(os.fsdecode(name))
            elif entry.is_dir(follow_symlinks=False):
                _walk(top, name, files, skipped)
            elif entry.is_file(follow_symlinks=False):
                files.append((name, entry.stat(follow_symlinks=False).st_size))
            else:
                skipped.append(os.fsdecode(name))


def _hash_file(
    path: bytes | Path,
    shown: str,
    done: int,
    total: int,
    progress: Progress | None,
    cancelled: Callable[[], bool] | None,
    follow: bool,
) -> tuple[str, int]:
    """(sha256 hex, bytes read) of one regular file; never blocks on a FIFO or a device."""
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    if not follow:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(path, flags)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise AttachmentError(f"{shown}: not a regular file (a device or a pipe); not read")
        digest = hashlib.sha256()
        buffer = bytearray(CHUNK)
        view = memoryview(buffer)
        read = 0
        while True:
            if cancelled is not None and cancelled():
                raise HashCancelled()
            n = os.readv(fd, [buffer])
            if not n:
                break
            digest.update(view[:n])
            read += n
            if progress is not None:
                progress(done + read, max(total, done + read), shown)
        return digest.hexdigest(), read
    finally:
        os.close(fd)


def hash_path(
    given: str,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> Digest:
    """Hash the file or folder at ``given`` (see the module docstring). Only reads.

    Raises MissingPath when nothing is there, AttachmentError when it cannot be read (the
    message names the file), HashCancelled when ``cancelled()`` turns true.
    """
    path = resolve(given)
    st = _stat(path, given)
    if stat.S_ISREG(st.st_mode):
        if progress is not None:
            progress(0, st.st_size, given)
        try:
            sha, size = _hash_file(path, given, 0, st.st_size, progress, cancelled, True)
        except PermissionError:
            raise AttachmentError(f"{given}: not allowed to read it; check its permissions") \
                from None
        except FileNotFoundError:
            raise MissingPath(f"{given}: it went away while it was being read") from None
        except OSError as exc:
            raise AttachmentError(f"{given}: cannot be read ({exc.strerror or exc})") from None
        return Digest("file", size, 1, sha)
    if not stat.S_ISDIR(st.st_mode):
        raise AttachmentError(
            f"{given}: not a file or a folder (a device, a pipe or a socket); attach a file or "
            "a folder"
        )
    top = os.fsencode(path)
    files: list[tuple[bytes, int]] = []
    skipped: list[str] = []
    try:
        _walk(top, b"", files, skipped)
    except PermissionError as exc:
        where = os.fsdecode(exc.filename) if exc.filename else given
        raise AttachmentError(f"{where}: not allowed to list this folder; check its "
                              "permissions") from None
    except OSError as exc:
        where = os.fsdecode(exc.filename) if exc.filename else given
        raise AttachmentError(f"{where}: cannot be listed ({exc.strerror or exc})") from None
    files.sort(key=lambda f: b"./" + f[0])
    total = sum(size for _, size in files)
    manifest = hashlib.sha256()
    done = 0
    if progress is not None:
        progress(0, total, given)
    for rel, _size in files:
        shown = os.fsdecode(os.path.join(top, rel))
        try:
            sha, read = _hash_file(
                os.path.join(top, rel), shown, done, total, progress, cancelled, False
            )
        except PermissionError:
            raise AttachmentError(f"{shown}: not allowed to read it; check its permissions") \
                from None
        except FileNotFoundError:
            raise AttachmentError(f"{shown}: went away while the folder was being read; "
                                  "try again when nothing is copying into it") from None
        except OSError as exc:
            raise AttachmentError(f"{shown}: cannot be read ({exc.strerror or exc})") from None
        done += read
        manifest.update(manifest_line(sha, rel))
        if progress is not None:
            progress(done, max(total, done), shown)
    return Digest("folder", done, len(files), manifest.hexdigest(), tuple(sorted(skipped)))


def keep_in_case(
    given: str,
    case_folder: Path,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    key: Sealer | None = None,
) -> Digest:
    """Copy the file at ``given`` into the case folder (``store.case_files``; sealed with
    ``key`` in a sealed folder), hashing it as it is copied; its digest, of kind "kept".
    Reads the file once.

    Side effects: ``<case_folder>/files/<sha256>`` (0600), written atomically and fsynced,
    never rewritten. A folder is refused (AttachmentError says to attach it without a copy);
    MissingPath when nothing is there; HashCancelled when ``cancelled()`` turns true."""
    path = resolve(given)
    st = _stat(path, given)
    if stat.S_ISDIR(st.st_mode):
        raise AttachmentError(
            f"{given} is a folder: a folder cannot be kept in the case, only a file. Attach it "
            "without the copy (its checksum is still taken), or pick one file in it")
    if not stat.S_ISREG(st.st_mode):
        raise AttachmentError(f"{given}: not a regular file (a device or a pipe); not read")
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise MissingPath(f"{given}: it went away before it could be read") from None
    except OSError as exc:
        raise AttachmentError(f"{given}: cannot be read ({exc.strerror or exc})") from None
    try:
        def step(done: int, total: int) -> None:
            if progress is not None:
                progress(done, total, given)

        sha, size = keep_copy(case_folder, fd, given, step, cancelled, key)
    except KeepCancelled:
        raise HashCancelled() from None
    except CaseFileError as exc:
        raise AttachmentError(str(exc)) from None
    finally:
        os.close(fd)
    return Digest("kept", size, 1, sha)


def on_this_device(given: str) -> bool:
    """Whether a file or a folder is at ``given`` (as the case holds it) on this device now:
    the one rule for it (the packet sends only these). Looks at the entry alone, never opens
    or lists it: a link the person chose is taken for what it points at, as ``hash_path``
    reads it; a relative path, a pipe, a device, a socket or nothing at all is not here."""
    try:
        path = resolve(given)
        found = os.lstat(path)
        if stat.S_ISLNK(found.st_mode):
            found = os.stat(path)
    except (AttachmentError, OSError, ValueError):
        return False
    return stat.S_ISREG(found.st_mode) or stat.S_ISDIR(found.st_mode)


def present_paths(case: model.Case) -> frozenset[str]:
    """The paths of the files and folders the case's records point at that are on this
    device now (``on_this_device``), as ``core.export_packet.packet`` takes them. Files kept
    in the case and links to a portal's copy are not looked up: they are not paths here."""
    return frozenset(
        entry.path for record in case.records for entry in attached_files(case, record)
        if entry.is_file and not entry.kept and on_this_device(entry.path))


# -- the attachments table ------------------------------------------------------------------------


def attachment_id(record_id: str, given: str) -> str:
    """The id of the attachment of ``given`` (as typed) to a record: the same on every device,
    so attaching the same path again re-hashes the one attachment instead of adding another."""
    return str(uuid.uuid5(NAMESPACE, f"{record_id}\0{given.strip()}"))


def hashed_at(moment: _dt.datetime) -> str:
    """A moment as the ``hashed_at`` text: UTC, ISO 8601, to the second."""
    return moment.astimezone(_dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def attachment_values(
    record_id: str, given: str, digest: Digest, at: _dt.datetime
) -> dict[str, Any]:
    """The stored values of an attachment (validated as a form's would be). A file kept in the
    case is named by its own name: the path it came from is this device's, and the name is
    what the packet and the other devices show."""
    path = given.strip()
    if digest.kind == "kept":
        path = [p for p in re.split(r"[\\/]", path) if p][-1]
    return model.parse_fields("attachments", {
        "record": record_id,
        "path": path,
        "kind": digest.kind,
        "size": digest.size,
        "file_count": digest.file_count,
        "sha256": digest.sha256,
        "hashed_at": hashed_at(at),
    })


def attachment_writes(
    state: CaseState, record_id: str, given: str, digest: Digest, at: _dt.datetime
) -> list[Write]:
    """The writes that attach ``given`` to a record (or re-hash it, or bring back one deleted).

    Pure: prepared against ``state`` (CaseRepository.apply saves them).
    """
    if not any(r.id == record_id for r in state.case().records):
        raise model.InvalidValue(f"record: no record {record_id} in this case")
    doc_id = attachment_id(record_id, given)
    values = attachment_values(record_id, given, digest, at)
    writes = [state.prepare("attachments", doc_id, values, summary="Attached a file")]
    tomb = state.tables.get("attachments", {}).get(doc_id, {}).get(DELETED)
    if tomb and any(e["v"] is True for e in tomb):
        writes.append(state.prepare("attachments", doc_id, delete=False))
    return writes


# -- checking ------------------------------------------------------------------------------------

OK, CHANGED, MISSING, UNREADABLE = "ok", "changed", "missing", "unreadable"


@dataclass(frozen=True)
class Check:
    """The outcome of hashing one attachment again."""

    attachment: model.Item
    record: model.Item | None
    status: str
    """ok, changed, missing or unreadable."""
    detail: str = ""
    digest: Digest | None = None

    @property
    def needs_attention(self) -> bool:
        return self.status != OK


def _size(n: int) -> str:
    return f"{n:,} bytes"


def compare(item: model.Item, digest: Digest) -> tuple[str, str]:
    """(status, what differs) of a stored attachment against a new digest."""
    if digest.kind != item.kind:
        return CHANGED, f"was a {item.kind}, now a {digest.kind}"
    if digest.sha256 == item.sha256 and digest.size == item.size:
        return OK, ""
    changes = []
    if digest.kind == "folder" and digest.file_count != item.file_count:
        changes.append(f"{item.file_count:,} files, now {digest.file_count:,}")
    if digest.size != item.size:
        changes.append(f"{_size(item.size)}, now {_size(digest.size)}")
    if not changes:
        changes.append("same size, different content")
    return CHANGED, "; ".join(changes)


def check(
    item: model.Item,
    record: model.Item | None = None,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    case_folder: Path | None = None,
    key: Sealer | None = None,
) -> Check:
    """Hash one attachment again and compare (only reads the file or folder). A file kept
    in the case (kind "kept") is read from ``case_folder``'s ``files/`` (opened with ``key``
    when sealed) and checked against its name (``store.case_files``)."""
    if item.kind == "kept":
        return _check_kept(item, record, case_folder, key)
    try:
        digest = hash_path(item.path, progress, cancelled)
    except MissingPath as exc:
        return Check(item, record, MISSING, str(exc))
    except AttachmentError as exc:
        return Check(item, record, UNREADABLE, str(exc))
    status, detail = compare(item, digest)
    return Check(item, record, status, detail, digest)


def _check_kept(item: model.Item, record: model.Item | None, case_folder: Path | None,
                key: Sealer | None) -> Check:
    if case_folder is None:
        return Check(item, record, UNREADABLE, "kept in the case folder, which was not given")
    try:
        data = read_kept(case_folder, str(item.sha256), key)
    except KeptFileMissing as exc:
        return Check(item, record, MISSING, str(exc))
    except KeptFileChanged as exc:
        return Check(item, record, CHANGED, str(exc))
    except CaseFileError as exc:
        return Check(item, record, UNREADABLE, str(exc))
    digest = Digest("kept", len(data), 1, str(item.sha256))
    status, detail = compare(item, digest)
    return Check(item, record, status, detail, digest)


def verify(
    case: model.Case,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    case_folder: Path | None = None,
    key: Sealer | None = None,
) -> list[Check]:
    """Check every attachment of the case's records (those of deleted records are passed
    over), in record then path order; files kept in the case are read from
    ``case_folder``. Only reads the attached files."""
    records = {r.id: r for r in case.records}
    items: Sequence[model.Item] = sorted(
        (a for a in case.attachments if a.record in records),
        key=lambda a: (records[a.record].title, a.path),
    )
    return [check(a, records[a.record], progress, cancelled, case_folder, key) for a in items]
