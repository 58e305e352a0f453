"""A sealed folder's key remembered on this device, so the app opens without the passphrase.

Two places, never the synced folder: the OS keyring through the ``keyring`` package where it
is installed and has a working backend, else, only when the person consents, a 0600 file in
the local data folder (``<data>/folder-keys.json``, one entry per cases folder). The file
guards the cases against the sync provider, not against someone holding this disk: the
person is told so when they consent. ``forget`` (``secondview lock``) removes both.

Side effects are named in each function's docstring; nothing happens at import.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .folder_key import FolderKey
from .paths import Paths
from .storage import atomic_write, canonical_bytes, ensure_dir, read_own

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


def _entries(paths: Paths) -> dict[str, list[str]]:
    try:
        data = json.loads(read_own(_file(paths)))
        return {str(k): [str(i) for i in v] for k, v in dict(data).items()}
    except (OSError, ValueError, TypeError, AttributeError):
        return {}


def recall(paths: Paths) -> FolderKey | None:
    """The key remembered for ``paths.cases_dir`` (keyring first, then the file); None when
    none is. Only reads (a file loosened by a copy is put back to 0600)."""
    folder = str(paths.cases_dir)
    keyring = _keyring()
    if keyring is not None:
        try:
            stored = keyring.get_password(SERVICE, folder)
        except Exception:  # any backend failure: no keyring on this machine
            stored = None
        if stored:
            return FolderKey(json.loads(stored))
    identities = _entries(paths).get(folder)
    return FolderKey(identities) if identities else None


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
            keyring.set_password(SERVICE, folder, json.dumps(list(key.identities)))
            return KEYRING
        except Exception:  # any backend failure: fall back to the file
            pass
    if not consent_to_file:
        return None
    entries = _entries(paths)
    entries[folder] = list(key.identities)
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
