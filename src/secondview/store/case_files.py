"""Files kept inside a case folder, named by their content: ``<case>/files/<sha256>``.

What an import carries inside the exported file (a clinical note's text, a pathology PDF) is
kept here, so it syncs with the case and every device reads the same bytes. A kept file is
named by the SHA-256 of its bytes (64 lower-case hex digits), written once (a temp file,
fsynced, renamed; 0600 in a 0700 folder) and never rewritten: the same content twice is one
file, and two devices that keep it write the same name with the same bytes. Reading checks
the bytes against the name, so a file changed or cut in transit is reported, never shown
as the document. Neither the case folder nor ``files/`` is followed when it is a link, and
nothing here runs or opens what it keeps.

In a sealed folder (a ``key`` that seals) a kept file is written sealed and named by
``name_of``: an HMAC of its SHA-256 under a key derived from the folder key
(``FolderKey.file_name``), so whoever holds a document cannot confirm the folder keeps it.
Records still store the plain SHA-256 (inside the sealed replicas), and reading checks the
opened bytes against it. A file kept under its SHA-256 before the folder was sealed, or
under an older key generation's name, is still found (``names_of``); sealing renames it.

Side effects are named in each function's docstring; nothing happens at import.
"""

from __future__ import annotations

import hashlib
import os
import stat
import tempfile
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

from ..core.attached_files import MAX_KEPT_BYTES
from .case_folder import KEPT_FOLDER, LINK, is_link
from .storage import (
    FILE_MODE,
    LOCKED,
    SEALED_LINE,
    Sealer,
    UnreadableFile,
    atomic_write,
    ensure_dir,
    fsync_folder,
    is_digest,
    is_sealed,
    sealed,
    unsealed,
)

FILES_DIR = KEPT_FOLDER
"""The folder of kept files inside a case folder (``store.case_folder.KEPT_FOLDER``)."""



class CaseFileError(Exception):
    """A kept file is missing, changed, or cannot be read or written; says which and why."""


class KeptFileMissing(CaseFileError):
    """The kept file is not in the case folder (not synced to this device yet, or removed)."""


class KeptFileChanged(CaseFileError):
    """The kept file's bytes are not the ones its name says."""


class KeepCancelled(Exception):
    """``cancelled()`` said stop before a copy was finished (nothing was kept)."""


CHUNK = 1 << 20
"""Bytes copied at a time by ``keep_copy`` (and the step between its progress reports)."""


def digest_of(data: bytes) -> str:
    """The name a kept file of ``data`` has: its SHA-256, lower-case hex."""
    return hashlib.sha256(data).hexdigest()


def name_of(digest: str, key: Sealer | None) -> str:
    """The name the kept file of SHA-256 ``digest`` is written under: the digest itself in
    a plain folder, ``key``'s HMAC name for it when the key seals. Pure."""
    return key.file_names(digest)[0] if key is not None and key.seals else digest


def names_of(digest: str, key: Sealer | None) -> list[str]:
    """Every name the kept file of ``digest`` may have, the one ``name_of`` gives first
    (the others: the plain digest and older key generations' names). Pure."""
    found = [name_of(digest, key)]
    if key is not None:
        found += [n for n in (*key.file_names(digest), digest) if n not in found]
    return found


def kept_path(case_folder: Path, digest: str, key: Sealer | None = None) -> Path:
    """Where the kept file of ``digest`` is written (``name_of``); CaseFileError for a
    digest that is not one."""
    if not is_digest(digest):
        raise CaseFileError(f"'{digest[:80]}' is not the SHA-256 of a kept file")
    return case_folder / FILES_DIR / name_of(digest, key)


def keep(case_folder: Path, data: bytes, key: Sealer | None = None) -> str:
    """Keep ``data`` in the case folder; its digest. A file of that digest already there is
    left as it is (never rewritten), unless its bytes do not match its name: then it is
    replaced by the right bytes.

    Side effects: ``files/`` (0700) and the file (0600), written atomically and fsynced.
    CaseFileError when the content is too large, a link stands in the way, or the disk
    refuses (the message names the file).
    """
    if len(data) > MAX_KEPT_BYTES:
        raise CaseFileError(f"a file of {len(data):,} bytes is larger than the "
                            f"{MAX_KEPT_BYTES:,} bytes a case keeps")
    digest = digest_of(data)
    folder = case_folder / FILES_DIR
    for place in (case_folder, folder):
        if is_link(place):
            raise CaseFileError(f"{place} {LINK.format(what='folder')}")
    path = kept_path(case_folder, digest, key)
    try:
        if _read_named(case_folder, digest, path, key) == data:
            return digest
    except CaseFileError:
        pass  # absent, or not what its name says: write it
    try:
        ensure_dir(folder)
        atomic_write(path, sealed(data, key))
    except OSError as exc:
        raise CaseFileError(f"{path} could not be written ({exc.strerror or exc}); "
                            "free some space or check the folder's permissions") from None
    return digest


def read_kept(case_folder: Path, digest: str, key: Sealer | None = None) -> bytes:
    """The (plain) bytes of the kept file of ``digest``, found under any of its names
    (``names_of``), opened with ``key`` when sealed, checked against ``digest``. Only reads.

    CaseFileError: missing (not synced yet, or removed), not a regular file (never
    followed), changed (its bytes do not match its digest), sealed and not openable (the
    folder locked, or the reason from its header), or unreadable.
    """
    first = kept_path(case_folder, digest, key)
    try:
        return _read_named(case_folder, digest, first, key)
    except KeptFileMissing:
        for name in names_of(digest, key)[1:]:
            try:
                return _read_named(case_folder, digest, first.parent / name, key)
            except KeptFileMissing:
                continue
        if key is None and _holds_sealed(first.parent):
            # A sealed folder's kept files are named under its key: without it, locked.
            raise CaseFileError(f"{first}: {LOCKED}") from None
        raise


def _holds_sealed(folder: Path) -> bool:
    """Whether any kept file in ``folder`` is sealed (reads first lines until one is)."""
    try:
        names = [n for n in os.listdir(folder) if is_digest(n)]
    except OSError:
        return False
    for name in names:
        try:
            fd = os.open(folder / name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        except OSError:
            continue
        try:
            if is_sealed(os.read(fd, len(SEALED_LINE))):
                return True
        except OSError:
            continue
        finally:
            os.close(fd)
    return False


def _read_named(case_folder: Path, digest: str, path: Path, key: Sealer | None) -> bytes:
    """``read_kept`` of the file at ``path`` (one of the digest's names)."""
    if is_link(case_folder) or is_link(case_folder / FILES_DIR):
        raise CaseFileError(f"{path.parent} {LINK.format(what='folder')}")
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise KeptFileMissing(f"{path} is missing (not synced to this device yet?)") from None
    except OSError as exc:
        problem = LINK.format(what="kept file") if is_link(path) else (exc.strerror or exc)
        raise CaseFileError(f"{path}: {problem}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise CaseFileError(f"{path} is not a regular file; it is never read")
        if info.st_size > MAX_KEPT_BYTES:
            raise CaseFileError(f"{path} is larger than any file a case keeps")
        chunks = []
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
    except OSError as exc:
        raise CaseFileError(f"{path} cannot be read ({exc.strerror or exc})") from None
    finally:
        os.close(fd)
    data = b"".join(chunks)
    if is_sealed(data):
        try:
            data = unsealed(path, data, key)
        except UnreadableFile as exc:
            raise CaseFileError(f"{path}: {exc.problem}") from None
    if digest_of(data) != digest:
        raise KeptFileChanged(f"{path} has changed: its bytes are not the ones kept under "
                              "that name (cut or altered in transit)")
    return data


def keep_all(case_folder: Path, files: Mapping[str, bytes], key: Sealer | None = None
             ) -> None:
    """Keep each of ``files`` (SHA-256 -> bytes, as an import's plan lists them) before the
    save whose attachments point at them: a crash between the two leaves a kept file no
    record names yet (harmless), never a record naming a file that is not there.

    Each file is written and fsynced under a temp name and renamed into place; the folder is
    fsynced once at the end, before this returns (an import keeps hundreds of notes).
    Sealed with ``key`` as ``keep``. Side effects: ``files/`` (0700) and the files (0600).
    CaseFileError as ``keep`` (a digest
    that does not match its bytes is a caller's bug, refused the same way)."""
    folder = case_folder / FILES_DIR
    for place in (case_folder, folder):
        if is_link(place):
            raise CaseFileError(f"{place} {LINK.format(what='folder')}")
    wrote = False
    for digest, data in files.items():
        if len(data) > MAX_KEPT_BYTES:
            raise CaseFileError(f"a file of {len(data):,} bytes is larger than the "
                                f"{MAX_KEPT_BYTES:,} bytes a case keeps")
        if digest_of(data) != digest:
            raise CaseFileError(f"the content listed as {digest[:12]}... is not what it says")
        path = kept_path(case_folder, digest, key)
        try:
            if _read_named(case_folder, digest, path, key) == data:
                continue
        except CaseFileError:
            pass  # absent, or not what its name says: write it
        try:
            ensure_dir(folder)
            atomic_write(path, sealed(data, key), sync_folder=False)
        except OSError as exc:
            raise CaseFileError(f"{path} could not be written "
                                f"({exc.strerror or exc}); free some space or check the "
                                "folder's permissions") from None
        wrote = True
    if wrote:
        fsync_folder(folder)


def keep_copy(case_folder: Path, fd: int, shown: str,
              progress: Callable[[int, int], None] | None = None,
              cancelled: Callable[[], bool] | None = None,
              key: Sealer | None = None) -> tuple[str, int]:
    """Keep a copy of the regular file open on ``fd`` (named ``shown`` in messages) in the case
    folder, read once: hashed while it is copied, so a large file is not read twice. Returns
    (its SHA-256, its size). A kept file of that digest already there is left as it is.

    Side effects: ``files/`` (0700), a temp file there (0600, fsynced) renamed to the digest
    (or removed when the same content is already kept), the folder fsynced. ``progress(done,
    total)`` per chunk; KeepCancelled when ``cancelled()`` turns true (the temp file removed).
    CaseFileError: not a regular file, larger than a case keeps, a link in the way, or the
    disk refuses. ``fd`` is left open (the caller's). In a sealed folder (``key``) the file is
    read into memory instead (a case keeps files of a bounded size) and kept sealed by
    ``keep``: no plain byte of it is ever written into the synced folder, not even a temp."""
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        raise CaseFileError(f"{shown} is not a file; only files are kept in the case")
    if info.st_size > MAX_KEPT_BYTES:
        raise CaseFileError(f"{shown} has {info.st_size:,} bytes, more than the "
                            f"{MAX_KEPT_BYTES:,} a case keeps; attach it without a copy")
    if key is not None and key.seals:
        data = _read_all(fd, shown, info.st_size, progress, cancelled)
        return keep(case_folder, data, key), len(data)
    folder = case_folder / FILES_DIR
    for place in (case_folder, folder):
        if is_link(place):
            raise CaseFileError(f"{place} {LINK.format(what='folder')}")
    try:
        ensure_dir(folder)
        out, tmp = tempfile.mkstemp(prefix=".keep.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise CaseFileError(f"{folder} could not be written ({exc.strerror or exc})") from None
    try:
        digest, size = _copy(fd, out, shown, info.st_size, progress, cancelled)
        if _already_kept(case_folder, digest):
            os.unlink(tmp)
        else:
            os.replace(tmp, folder / digest)
        fsync_folder(folder)
    except OSError as exc:
        _remove(tmp)
        raise CaseFileError(f"{shown} could not be copied into {folder} "
                            f"({exc.strerror or exc}); free some space or check the folder's "
                            "permissions") from None
    except BaseException:
        _remove(tmp)
        raise
    return digest, size


def _chunks(fd: int, shown: str, total: int,
            progress: Callable[[int, int], None] | None,
            cancelled: Callable[[], bool] | None) -> Iterator[bytes]:
    """The bytes of ``fd`` chunk by chunk, ``progress(done, total)`` after each; KeepCancelled
    when ``cancelled()`` turns true, CaseFileError when the file grows past what a case
    keeps while it is read."""
    done = 0
    while chunk := os.read(fd, CHUNK):
        if cancelled is not None and cancelled():
            raise KeepCancelled()
        done += len(chunk)
        if done > MAX_KEPT_BYTES:  # it grew while it was read
            raise CaseFileError(f"{shown} is larger than the {MAX_KEPT_BYTES:,} bytes a "
                                "case keeps")
        yield chunk
        if progress is not None:
            progress(done, max(total, done))


def _copy(fd: int, out: int, shown: str, total: int,
          progress: Callable[[int, int], None] | None,
          cancelled: Callable[[], bool] | None) -> tuple[str, int]:
    """Copy ``fd`` to ``out`` (then fsynced and closed); (SHA-256, bytes copied)."""
    sha = hashlib.sha256()
    done = 0
    try:
        os.fchmod(out, FILE_MODE)
        for chunk in _chunks(fd, shown, total, progress, cancelled):
            done += len(chunk)
            sha.update(chunk)
            view = memoryview(chunk)
            while view:
                view = view[os.write(out, view):]
        os.fsync(out)
    finally:
        os.close(out)
    return sha.hexdigest(), done


def _read_all(fd: int, shown: str, total: int,
              progress: Callable[[int, int], None] | None,
              cancelled: Callable[[], bool] | None) -> bytes:
    """The bytes of ``fd``, read as ``_copy`` reads them (``_chunks``)."""
    try:
        return b"".join(_chunks(fd, shown, total, progress, cancelled))
    except OSError as exc:
        raise CaseFileError(f"{shown} could not be read ({exc.strerror or exc})") from None


def is_kept(case_folder: Path, digest: str, key: Sealer | None = None) -> bool:
    """Whether a regular file stands under one of the names of ``digest`` (``names_of``) in
    the case folder's kept folder. Only looks (an lstat a name): its bytes are checked when
    it is read."""
    folder = case_folder / FILES_DIR
    for name in names_of(digest, key):
        try:
            if stat.S_ISREG(os.lstat(folder / name).st_mode):
                return True
        except OSError:
            continue
    return False


def _already_kept(case_folder: Path, digest: str) -> bool:
    try:
        read_kept(case_folder, digest)
    except CaseFileError:
        return False  # absent, or not what its name says: the copy replaces it
    return True


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
