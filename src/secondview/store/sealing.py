"""Sealing a cases folder's files, and finding the ones still plain.

``seal_own`` rewrites this device's replica of every case, and every kept file under
``files/``, as sealed files (each write atomic and fsynced, each case under its lock). It
skips what is sealed already, so a run cut short (a crash, a full disk) is completed by
running it again. Other devices' replicas are theirs to rewrite: until they do, they stay
plain and ``plain_files`` lists them (``secondview seal status``); they are read and merged
as before. ``unseal_own`` is the way back (``secondview seal off``): the same rewrite with a
key that writes plain, then the key file removed once no sealed file is left. Kept files
are renamed as they are sealed or opened (``case_files.name_of``). Side effects are named in
each function's docstring; nothing happens at import.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..core.replica import CaseState
from .case_files import FILES_DIR, digest_of, name_of, names_of
from .case_folder import is_replica_name, read_case_file, scan_cases_folder
from .folder_key import FolderKey
from .key_file import remove_key_files
from .open_case import Problem
from .replica_writer import write_replica
from .repository import CaseRepository
from .storage import (
    SEALED_LINE,
    Sealer,
    UnreadableFile,
    atomic_write,
    fsync_folder,
    is_digest,
    is_sealed,
    parse_replica,
    unsealed,
)

PLAIN = ("still plain in this sealed folder: its device seals it when it runs 'secondview "
         "seal init' (with a version that seals); until then the sync service can read it")


Reseal = Callable[[bytes], bool] | None
"""Which sealed files to seal again (None: none)."""


@dataclass
class Sealed:
    """What ``seal_own`` did: files sealed now, files found sealed, and problems (named)."""

    sealed: list[Path] = field(default_factory=list)
    already: int = 0
    problems: list[str] = field(default_factory=list)


def _seal_kept_files(folder: Path, key: Sealer, done: Sealed, reseal: Reseal) -> None:
    """Each kept file not sealed as ``key`` writes (or picked by ``reseal``) written again
    under its name for ``key`` (``case_files.name_of``), then its old name removed: a crash
    between the two leaves both, which read the same, and the next run removes the old."""
    files = folder / FILES_DIR
    if not files.is_dir() or files.is_symlink():
        return
    moved = False
    for path in sorted(files.iterdir()):
        if not is_digest(path.name):
            continue
        try:
            raw = read_case_file(path)
        except FileNotFoundError:
            continue  # renamed by this run already
        except (OSError, UnreadableFile) as exc:
            done.problems.append(f"{path}: {exc}")
            continue
        if is_sealed(raw) and not (reseal is not None and reseal(raw)):
            done.already += 1
            continue
        data = raw
        if is_sealed(raw):
            try:
                data = key.open(path, raw)
            except UnreadableFile as exc:
                done.problems.append(f"{path}: {exc.problem}")
                continue
        elif not key.seals:
            done.already += 1  # plain, and to stay plain
            continue
        digest = digest_of(data)
        if path.name not in names_of(digest, key):
            done.problems.append(f"{path} has changed since it was kept; left as it is")
            continue
        target = files / name_of(digest, key)
        if target == path or not _written_as(target, key):
            atomic_write(target, key.seal(data))
            done.sealed.append(target)
        if target != path:
            path.unlink(missing_ok=True)
            moved = True
    if moved:
        fsync_folder(files)


def _written_as(path: Path, key: Sealer) -> bool:
    """Whether ``path`` exists and is sealed exactly when ``key`` seals: a run cut short
    after writing a kept file under its new name (it is counted there) and before removing
    the old one. Reads the first line only."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(len(SEALED_LINE))
    except OSError:
        return False
    return bool(head) and is_sealed(head) == key.seals


def seal_own(repo: CaseRepository, key: Sealer, reseal: Reseal = None) -> Sealed:
    """Seal this device's replica of every case and every kept file, skipping sealed ones
    but those ``reseal`` picks (after a re-key: the ones not sealed to the newest key
    generation, ``FolderKey.is_current``; or all).

    A replica that cannot be read is named in ``problems`` and left as it is. Side effects:
    each replica rewritten sealed through ``store.replica_writer.write_replica`` (under the
    case lock, after this install's record); each plain kept file rewritten sealed under
    its own name (atomic, fsynced).
    """
    done = Sealed()
    ids, _odd = scan_cases_folder(repo.paths.cases_dir)
    for case_id in ids:
        own = repo.own_file(case_id)
        with repo.locks.hold(case_id):
            try:
                raw = read_case_file(own)
            except FileNotFoundError:
                raw = None
            except (OSError, UnreadableFile) as exc:
                done.problems.append(f"{own}: {exc}")
                raw = None
            if raw is not None and is_sealed(raw) and (reseal is None or not reseal(raw)):
                done.already += 1
            elif raw is not None and not is_sealed(raw) and not key.seals:
                done.already += 1  # plain, and to stay plain
            elif raw is not None:
                try:
                    _meta, tables = parse_replica(
                        own, unsealed(own, raw, key),
                        repo.parts.resolver(repo.folder(case_id), case_id, key, own=True))
                except UnreadableFile as exc:
                    done.problems.append(f"{own}: {exc.problem}; left as it is")
                else:
                    write_replica(repo.paths, repo.device, case_id, own, CaseState(tables),
                                  key=key, shelf=repo.parts)
                    done.sealed.append(own)
            _seal_kept_files(repo.folder(case_id), key, done, reseal)
    return done


def seal_at_unlock(repo: CaseRepository, key: FolderKey) -> Sealed:
    """At this device's unlock: seal its files still plain (a device new to the sealed
    folder needs nothing but the passphrase), and after a re-key (more than one generation)
    seal again, to the newest one, those sealed to an older one. While the sealing is being
    turned off (a ``plain`` key) write them plain instead: ``unseal_own``. Side effects:
    those of ``seal_own`` (or ``unseal_own``)."""
    if key.plain:
        return unseal_own(repo, key).done
    stale = None if len(key.identities) < 2 else (lambda raw: not key.is_current(raw))
    return seal_own(repo, key, reseal=stale)


@dataclass
class Unsealed:
    """What ``unseal_own`` did: this device's files written plain (``done``), the sealed
    files left (other devices'), and whether the key file was removed (none were left)."""

    done: Sealed
    remaining: list[Path]
    key_file_removed: bool


def unseal_own(repo: CaseRepository, key: FolderKey) -> Unsealed:
    """Write this device's replicas and every kept file plain again (the folder's sealing
    being turned off: the key file says so already, see ``store.key_file``), then remove
    the key file if no sealed file is left in the folder; other devices' sealed replicas
    still need it, so it stays until each of them has written its own plain (at its next
    unlock). A run cut short is completed by running it again.

    Side effects: ``repo.key`` set to ``key.unsealing()`` (its later saves are plain);
    those of ``seal_own`` with it (each file rewritten plain, atomic, fsynced; kept files
    renamed back to their SHA-256); the key file and its conflict copies removed when
    nothing sealed is left.
    """
    plain = key if key.plain else key.unsealing()
    repo.key = plain
    done = seal_own(repo, plain, reseal=lambda raw: True)
    remaining = sealed_files(repo.paths.cases_dir)
    removed = not remaining and bool(remove_key_files(repo.paths.cases_dir))
    return Unsealed(done, remaining, removed)


def plain_files(cases_dir: Path) -> list[Path]:
    """Every replica and kept file in the cases folder that is not sealed (sorted). Reads
    only each file's first line."""
    return _files_where(cases_dir, sealed=False)


def sealed_files(cases_dir: Path) -> list[Path]:
    """Every replica (conflict copies included) and kept file in the cases folder that is
    sealed (sorted). Reads only each file's first line."""
    return _files_where(cases_dir, sealed=True)


def _files_where(cases_dir: Path, sealed: bool) -> list[Path]:
    found: list[Path] = []
    ids, _odd = scan_cases_folder(cases_dir)
    for case_id in ids:
        folder = cases_dir / case_id
        names = [n for n in _names(folder) if is_replica_name(n)]
        paths = [folder / n for n in names]
        paths += [folder / FILES_DIR / n for n in _names(folder / FILES_DIR) if is_digest(n)]
        for path in paths:
            try:
                with open(path, "rb") as handle:
                    head = handle.read(len(SEALED_LINE))
            except OSError:
                continue
            if head and is_sealed(head) == sealed:
                found.append(path)
    return sorted(found)


def plain_problems(cases_dir: Path, key: Sealer | None = None) -> list[Problem]:
    """A Problem (``PLAIN``) for every file ``plain_files`` finds; none while the sealing is
    being turned off (``key`` does not seal). Reads first lines only."""
    if key is not None and not key.seals:
        return []
    out = []
    for path in plain_files(cases_dir):
        case_id = path.relative_to(cases_dir).parts[0]
        out.append(Problem(path, PLAIN, None, case_id, entry=True))
    return out


def _names(folder: Path) -> list[str]:
    try:
        return sorted(entry.name for entry in folder.iterdir()
                      if entry.is_file() and not entry.is_symlink())
    except OSError:
        return []
