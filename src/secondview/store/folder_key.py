"""The folder key of a sealed cases folder, unlocked: it seals and opens the folder's files.

The key is a list of age X25519 identities, one per key generation (re-keying adds one,
newest last). ``seal`` writes to the newest generation only; ``open`` tries every generation,
so a file sealed before a re-key stays readable until its device rewrites it. The identities
live encrypted with the passphrase in the folder's key file (``store.key_file``).

pyrage (age's Python binding, the optional ``seal`` extra) is imported only when a key is
made or used, never at import of this module and never for a plain folder.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .sealed_check import why_not_open
from .storage import UnreadableFile

MISSING = ("this cases folder is sealed and reading it needs pyrage: install secondview with "
           "its seal extra (pip install 'secondview[seal]')")


class SealingUnavailable(Exception):
    """pyrage is not installed, so a sealed folder can be neither read nor written."""


def age() -> Any:
    """The pyrage module; SealingUnavailable when it is not installed."""
    try:
        import pyrage
    except ImportError:
        raise SealingUnavailable(MISSING) from None
    return pyrage


def new_identity() -> str:
    """A new random age X25519 identity, as its text (``AGE-SECRET-KEY-1...``)."""
    return str(age().x25519.Identity.generate())


class FolderKey:
    """Every generation's identity of one sealed folder (texts; newest last)."""

    def __init__(self, identities: Sequence[str]) -> None:
        if not identities:
            raise ValueError("a folder key needs at least one generation")
        pyrage = age()
        self.identities = tuple(identities)
        self._opening = [pyrage.x25519.Identity.from_str(text) for text in self.identities]
        self._recipient = self._opening[-1].to_public()

    @property
    def recovery_key(self) -> str:
        """The newest generation's identity: what the person keeps to recover the folder
        (the ``age`` command opens any file with it)."""
        return self.identities[-1]

    @property
    def recipient(self) -> str:
        """The newest generation's public key (``age1...``)."""
        return str(self._recipient)

    def seal(self, data: bytes) -> bytes:
        """``data`` as one age file to the newest generation. Pure (no files)."""
        return bytes(age().encrypt(data, [self._recipient]))

    def is_current(self, raw: bytes) -> bool:
        """Whether the age file ``raw`` is sealed to the newest generation (so it need not be
        sealed again after a re-key). Decrypts it once more: for a re-key's rewrite only."""
        if len(self._opening) == 1:
            return True
        pyrage = age()
        try:
            pyrage.decrypt(raw, self._opening[-1:])
        except pyrage.DecryptError:
            return False
        return True

    def open(self, path: Path, raw: bytes) -> bytes:
        """The plain bytes of the age file ``raw``; UnreadableFile (naming ``path`` and, from
        age's header, why: ``store.sealed_check``) when no generation opens it."""
        pyrage = age()
        try:
            return bytes(pyrage.decrypt(raw, self._opening))
        except pyrage.DecryptError:
            raise UnreadableFile(path, why_not_open(raw, self.identities)) from None
