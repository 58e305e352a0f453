"""A sealed folder's key remembered on this device, so the app opens without the passphrase.

Two places, never the synced folder: the OS keyring through the ``keyring`` package where it
is installed and has a working backend, else, only when the person consents, a 0600 file in
the local data folder (``<data>/folder-keys.json``, one entry per cases folder). The file
guards the cases against the sync provider, not against someone holding this disk: the
person is told so when they consent. ``forget`` (``secondview lock``) removes both.

What is remembered is the key's generations and the SHA-256 of the key file they came from.
When the key file changes (another device re-keyed, or set a new passphrase) the remembered
key is no longer used: the folder is locked until the passphrase is typed again, which
brings the new generation, instead of files sealed to it being taken for another folder's.

Side effects are named in each function's docstring; nothing happens at import.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from .folder_key import FolderKey
from .key_file import key_file
from .paths import Paths
from .storage import atomic_write, canonical_bytes, ensure_dir, read_bytes, read_own

FILE_NAME = "folder-keys.json"
SERVICE = "secondview"
KEYRING, FILE = "keyring", "file"


def _file(paths: Paths) -> Path:
    return paths.data_dir / FILE_NAME


def _keyring() -> Any:
    """The keyring module, or None where it is not installed."""
    try:
        import keyring
    except ImportError:
        return None
    return keyring


def _entries(paths: Paths) -> dict[str, Any]:
    try:
        data = json.loads(read_own(_file(paths)))
        return {str(k): v for k, v in dict(data).items()}
    except (OSError, ValueError, TypeError, AttributeError):
        return {}


def _key_file_digest(paths: Paths) -> str:
    try:
        return hashlib.sha256(read_bytes(key_file(paths.cases_dir))).hexdigest()
    except OSError:
        return ""


def _entry(key: FolderKey, paths: Paths) -> dict[str, Any]:
    entry: dict[str, Any] = {"identities": list(key.identities),
                             "key_file": _key_file_digest(paths)}
    if key.plain:
        entry["plain"] = True
    return entry


def _key_of(entry: Any, paths: Paths) -> FolderKey | None:
    """The key of a remembered entry, if it came from the key file as it is now."""
    try:
        identities = [str(i) for i in entry["identities"]]
        made_from = str(entry["key_file"])
        plain = entry.get("plain") is True
    except (KeyError, TypeError, AttributeError):
        return None
    if not identities or made_from != _key_file_digest(paths):
        return None
    return FolderKey(identities, plain=plain)


def recall(paths: Paths) -> FolderKey | None:
    """The key remembered for ``paths.cases_dir`` (keyring first, then the file); None when
    none is, or when the key file changed since (see the module docstring). Only reads (a
    file loosened by a copy is put back to 0600)."""
    folder = str(paths.cases_dir)
    keyring = _keyring()
    if keyring is not None:
        try:
            stored = keyring.get_password(SERVICE, folder)
        except Exception:  # any backend failure: no keyring on this machine
            stored = None
        if stored:
            try:
                return _key_of(json.loads(stored), paths)
            except ValueError:
                return None
    return _key_of(_entries(paths).get(folder), paths)


def remember(paths: Paths, key: FolderKey, consent_to_file: bool = False,
             use_keyring: bool = True) -> str | None:
    """Remember ``key`` for ``paths.cases_dir``: in the keyring if one works (and
    ``use_keyring``), else in the data folder's file only with ``consent_to_file``. Which
    place (KEYRING, FILE), or None when neither was allowed.

    Side effects: a keyring entry, or ``<data>/folder-keys.json`` (0600) rewritten.
    """
    folder = str(paths.cases_dir)
    keyring = _keyring() if use_keyring else None
    if keyring is not None:
        try:
            keyring.set_password(SERVICE, folder, json.dumps(_entry(key, paths)))
            return KEYRING
        except Exception:  # any backend failure: fall back to the file
            pass
    if not consent_to_file:
        return None
    entries = _entries(paths)
    entries[folder] = _entry(key, paths)
    ensure_dir(paths.data_dir)
    atomic_write(_file(paths), canonical_bytes(entries))
    return FILE


def forget(paths: Paths) -> bool:
    """Forget the key remembered for ``paths.cases_dir``; whether one was.

    Side effects: the keyring entry removed; the folder's entry removed from the file.
    """
    folder = str(paths.cases_dir)
    was = False
    keyring = _keyring()
    if keyring is not None:
        try:
            if keyring.get_password(SERVICE, folder):
                keyring.delete_password(SERVICE, folder)
                was = True
        except Exception:  # no working keyring: nothing kept there
            pass
    entries = _entries(paths)
    if folder in entries:
        del entries[folder]
        atomic_write(_file(paths), canonical_bytes(entries))
        was = True
    return was
