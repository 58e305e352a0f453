"""The key file of a sealed cases folder: ``<cases>/secondview-key.age``.

It holds the folder key's generations (age X25519 identities, ``store.folder_key``) as one
age file encrypted with the folder's passphrase (age's scrypt recipient), so a new device
needs only the cases folder and the passphrase. Inside, canonical JSON::

    {"format": 1, "generations": [{"n": 1, "identity": "AGE-SECRET-KEY-1..."}, ...]}

plus ``"sealing": "off"`` once ``secondview seal off`` began turning the sealing off while
sealed files remain (every device unlocking then gets a ``plain`` key: it writes plain and
rewrites its own files plain); the key file is removed when no sealed file remains.

Re-keying adds a generation (the highest ``n`` seals; every one still opens). A sync tool's
conflict copy of the key file (``secondview-key.sync-conflict-....age``, ``secondview-key
(... conflicted copy ...).age``) is read too and its generations merged in, so two devices
that re-keyed apart keep every key. scrypt runs once per key file read, at unlock only.

A wrong passphrase is told apart from a damaged key file by age's header (a well-formed
scrypt header that does not open is a wrong passphrase), never by a library's message: it
raises WrongPassphrase and changes nothing. Side effects are named in each function's
docstring; nothing happens at import.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from .folder_key import FolderKey, age
from .paths import KEY_FILE
from .sealed_check import HeaderProblem, parse_header
from .storage import (
    atomic_write,
    canonical_bytes,
    ensure_dir,
    fsync_folder,
    is_sealed,
    read_bytes,
)

_STEM, _SUFFIX = "secondview-key", ".age"
FORMAT = 1
OFF = "off"


class KeyFileError(Exception):
    """The key file is missing, damaged, or does not open; the message says which."""


class WrongPassphrase(KeyFileError):
    """No key file opens with the passphrase given. Nothing was read or changed."""


WRONG = "that is not this cases folder's passphrase; nothing was changed"
LOCKED_FOLDER = ("this cases folder is sealed and locked on this device, so nothing is written: "
                 "unlock it first (secondview unlock)")


def key_file(cases_dir: Path) -> Path:
    return cases_dir / KEY_FILE


def key_files(cases_dir: Path) -> list[Path]:
    """The key file and any sync tool's conflict copy of it, the key file first. Only lists."""
    try:
        names = sorted(
            entry.name for entry in cases_dir.iterdir()
            if entry.name.startswith(_STEM) and entry.name.endswith(_SUFFIX)
            and entry.is_file() and not entry.is_symlink()
        )
    except OSError:
        return []
    names.sort(key=lambda name: name != KEY_FILE)
    return [cases_dir / name for name in names]


def is_sealed_folder(cases_dir: Path) -> bool:
    """Whether the cases folder is sealed: it holds the key file. One ``stat``, so every save
    can ask (a folder holding only a conflict copy of it gets the key file back at the
    next unlock of a device that has it)."""
    return key_file(cases_dir).exists()


def _generations(plain: bytes, path: Path) -> tuple[list[tuple[int, str]], bool]:
    """The generations in a key file's plain bytes, and whether it says the sealing is off."""
    try:
        document = json.loads(plain)
        found = [(int(g["n"]), str(g["identity"])) for g in document["generations"]]
        off = document.get("sealing") == OFF
    except (ValueError, KeyError, TypeError, AttributeError):
        raise KeyFileError(f"{path} opened but holds no folder key (damaged?)") from None
    if not found or any(not identity.startswith("AGE-SECRET-KEY-1") for _, identity in found):
        raise KeyFileError(f"{path} opened but holds no folder key (damaged?)")
    return found, off


def _merged(found: Iterable[tuple[int, str]]) -> list[str]:
    """Every generation once, oldest first; two made apart under one number both kept, in
    an order every device agrees on, so all of them seal to the same newest one."""
    return [identity for _, identity in sorted(set(found))]


def _problem(path: Path, raw: bytes) -> str | None:
    """Why ``raw`` cannot be a key file (None: a well-formed passphrase-sealed file)."""
    if not raw:
        return f"{path} is empty (it may still be syncing)"
    if not is_sealed(raw):
        return f"{path} is not a sealed key file"
    try:
        header = parse_header(raw)
    except HeaderProblem as exc:
        return f"{path}: {exc.problem}"
    if [s.kind for s in header.stanzas if s.kind in ("scrypt", "X25519")] != ["scrypt"]:
        return f"{path} is not sealed with a passphrase, so it is not a key file"
    return None


def unlock(cases_dir: Path, passphrase: str) -> FolderKey:
    """The folder key, from the key file and its conflict copies, opened with ``passphrase``.

    WrongPassphrase when none opens though one is well-formed; KeyFileError when there is
    no key file or none is well-formed (each named with why). Only reads.
    """
    pyrage = age()
    found: list[tuple[int, str]] = []
    problems: list[str] = []
    well_formed = 0
    off = False
    for path in key_files(cases_dir):
        try:
            raw = read_bytes(path)
        except OSError as exc:
            problems.append(f"{path} cannot be read ({exc.strerror or exc})")
            continue
        problem = _problem(path, raw)
        if problem:
            problems.append(problem)
            continue
        well_formed += 1
        try:
            plain = pyrage.passphrase.decrypt(raw, passphrase)
        except pyrage.DecryptError:
            continue
        generations, said_off = _generations(bytes(plain), path)
        found.extend(generations)
        off = off or said_off
    if found:
        return FolderKey(_merged(found), plain=off)
    if well_formed:
        raise WrongPassphrase(WRONG)
    if not problems:
        raise KeyFileError(f"{key_file(cases_dir)} is missing: this cases folder is not sealed")
    raise KeyFileError("; ".join(problems))


def key_file_bytes(identities: Sequence[str], passphrase: str, off: bool = False) -> bytes:
    """The key file's bytes for ``identities`` (oldest first) under ``passphrase``, saying
    the sealing is being turned off when ``off``. Runs scrypt once (seconds); no files."""
    generations: list[dict[str, Any]] = [
        {"n": n, "identity": identity} for n, identity in enumerate(identities, start=1)
    ]
    document: dict[str, Any] = {"format": FORMAT, "generations": generations}
    if off:
        document["sealing"] = OFF
    plain = canonical_bytes(document)
    return bytes(age().passphrase.encrypt(plain, passphrase))


def write_key_file(cases_dir: Path, key: FolderKey, passphrase: str) -> Path:
    """Write the key file for ``key`` under ``passphrase`` (atomic, 0600, fsynced); its path.
    A ``plain`` key's file says the sealing is being turned off.

    Side effects: the cases folder (0700) if missing, and the key file replaced whole.
    """
    ensure_dir(cases_dir)
    path = key_file(cases_dir)
    atomic_write(path, key_file_bytes(key.identities, passphrase, off=key.plain))
    return path


def remove_key_files(cases_dir: Path) -> list[Path]:
    """Remove the key file and its conflict copies (the folder is no longer sealed); the
    paths removed. Side effects: those files deleted, the cases folder fsynced."""
    removed = []
    for path in key_files(cases_dir):
        try:
            path.unlink()
        except FileNotFoundError:
            continue
        removed.append(path)
    if removed:
        fsync_folder(cases_dir)
    return removed
