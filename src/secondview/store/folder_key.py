"""The folder key of a sealed cases folder, unlocked: it seals and opens the folder's files.

The key is a list of age X25519 identities, one per key generation (re-keying adds one,
newest last). ``seal`` writes to the newest generation only; ``open`` tries every generation,
so a file sealed before a re-key stays readable until its device rewrites it. The identities
live encrypted with the passphrase in the folder's key file (``store.key_file``).

While the folder's sealing is being turned off (``secondview seal off``, the key file says
so) the key is ``plain``: ``seal`` gives the bytes as they are, so every device writes plain
text, and ``open`` still opens the sealed files not rewritten yet.

The last files sealed or opened are remembered (``RECENT`` of them, sealed bytes with their
plain ones, in memory only): reading back a file just written, or one not changed since it
was last read (a case opened again), then costs a comparison of bytes instead of a
decryption.

Keys for other uses than age (the names of kept files: ``file_name``) are derived from the
newest identity by ``derived_key``, one label per use.

pyrage (age's Python binding, the optional ``seal`` extra) is imported only when a key is
made or used, never at import of this module and never for a plain folder.
"""

from __future__ import annotations

import hashlib
import hmac
import threading
from collections import deque
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .age_primitives import hkdf
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


RECENT = 8
"""How many (sealed, plain) pairs a FolderKey remembers (see the module docstring)."""
RECENT_MOST_BYTES = 8 * 1024 * 1024
"""Files larger than this are not remembered: a replica is far smaller, and the sealed case
list index of a large folder (which carries the search text) would hold its plain and
sealed bytes in memory for nothing (it is read once per start)."""

FILES_LABEL = b"secondview files v1"
"""The label of the key that names a sealed folder's kept files."""


def derived_key(identity: str, label: bytes) -> bytes:
    """A 32-byte key for one use (``label``) derived from an age identity's text by HKDF
    (SHA-256, ``store.age_primitives.hkdf``) with a fixed salt. Pure."""
    return hkdf(identity.encode("ascii"), b"secondview folder key", label)


class FolderKey:
    """Every generation's identity of one sealed folder (texts; newest last); ``plain`` while
    the folder's sealing is being turned off (see the module docstring)."""

    def __init__(self, identities: Sequence[str], plain: bool = False) -> None:
        if not identities:
            raise ValueError("a folder key needs at least one generation")
        pyrage = age()
        self.identities = tuple(identities)
        self.plain = plain
        self._names = [derived_key(text, FILES_LABEL) for text in reversed(self.identities)]
        self._recent: deque[tuple[bytes, bytes]] = deque(maxlen=RECENT)
        self._recent_lock = threading.Lock()
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

    @property
    def seals(self) -> bool:
        """Whether what this key writes is sealed (False while sealing is turned off)."""
        return not self.plain

    def unsealing(self) -> FolderKey:
        """The same generations as a ``plain`` key: for turning the folder's sealing off."""
        return FolderKey(self.identities, plain=True)

    def seal(self, data: bytes) -> bytes:
        """The bytes to write for ``data``: one age file to the newest generation, or
        ``data`` itself when the key is ``plain``. Pure (no files)."""
        if self.plain:
            return data
        raw = bytes(age().encrypt(data, [self._recipient]))
        self._remember(raw, data)
        return raw

    def _remember(self, raw: bytes, data: bytes) -> None:
        if len(data) > RECENT_MOST_BYTES:
            return
        with self._recent_lock:
            self._recent.append((raw, data))

    def _recalled(self, raw: bytes) -> bytes | None:
        with self._recent_lock:
            recent = tuple(self._recent)
        for known, data in reversed(recent):
            # age's header starts with a random key per file: two sealed files differ in
            # their first hundred bytes, so a miss costs next to nothing
            if len(known) == len(raw) and known == raw:
                return data
        return None

    def file_name(self, digest: str) -> str:
        """The name a kept file of SHA-256 ``digest`` has in the sealed folder: the
        HMAC-SHA256 of the digest under the newest generation's files key, so holding a
        document does not tell whether the folder keeps it. Pure."""
        return self.file_names(digest)[0]

    def file_names(self, digest: str) -> list[str]:
        """Every name a kept file of ``digest`` may have been sealed under, the newest
        generation's first (a file kept before a re-key keeps its name until resealed)."""
        return [hmac.new(k, digest.encode("ascii"), hashlib.sha256).hexdigest()
                for k in self._names]

    def is_current(self, raw: bytes) -> bool:
        """Whether the age file ``raw`` is sealed to the newest generation (so it need not be
        sealed again after a re-key); never while the key is ``plain`` (every sealed file is
        to be written plain). Decrypts it once more: for a re-key's rewrite only."""
        if self.plain:
            return False
        if len(self._opening) == 1:
            return True
        pyrage = age()
        try:
            pyrage.decrypt(raw, self._opening[-1:])
        except pyrage.DecryptError:
            return False
        return True

    def open(self, path: Path, raw: bytes) -> bytes:
        """The plain bytes of the age file ``raw`` (remembered when it was one of the last
        sealed or opened); UnreadableFile (naming ``path`` and, from age's header, why:
        ``store.sealed_check``) when no generation opens it."""
        known = self._recalled(raw)
        if known is not None:
            return known
        pyrage = age()
        try:
            data = bytes(pyrage.decrypt(raw, self._opening))
        except pyrage.DecryptError:
            raise UnreadableFile(path, why_not_open(raw, self.identities)) from None
        self._remember(raw, data)
        return data
