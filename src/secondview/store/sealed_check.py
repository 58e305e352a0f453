"""Why a sealed file does not open: named from age's header, never from a library's message.

A sealed file is one age file (``age-encryption.org/v1``): a header of recipient stanzas
(``-> X25519 <share>`` and a wrapped file key), a ``--- <mac>`` line, then the body (a
16-byte nonce and chunks of at most 64 KiB, each with its tag). When age refuses a file,
``why_not_open`` walks it again with ``store.age_primitives`` and names the first thing that
fails: the header is cut short or malformed; no stanza is for a folder key (sealed with a
passphrase); no X25519 stanza opens with any of the folder's keys (sealed to another key);
the header's MAC does not check (altered); the body does not check (cut short or altered).
Only reads bytes given to it; nothing happens at import.
"""

from __future__ import annotations

import base64
import binascii
import hmac
from collections.abc import Sequence
from dataclasses import dataclass

from .age_primitives import aead_checks, aead_open, hkdf, identity_scalar, public_of, x25519

AGE_LINE = b"age-encryption.org/v1"
_COLUMNS = 64
_CHUNK = 64 * 1024 + 16
_X25519_INFO = b"age-encryption.org/v1/X25519"

CUT_HEADER = "sealed, but cut short inside its header (still syncing, or truncated?)"
BAD_HEADER = "sealed, but its header is damaged (not the form age writes)"
NOT_FOLDER_KEY = ("sealed with a passphrase or another kind of key, not with a cases folder's "
                  "key, so secondview cannot open it")
OTHER_KEY = ("sealed to a key this device does not hold: if another device re-keyed the "
             "folder, unlock it again (secondview unlock); else it comes from another "
             "sealed folder")
ALTERED_HEADER = "sealed, but its header was altered after sealing (it does not check)"
CUT_BODY = "sealed, but cut short (it ends where a piece of it ends; still syncing?)"
BAD_BODY = "sealed, but its content does not check: cut short or altered after sealing"


def _b64(text: bytes) -> bytes:
    return base64.b64decode(text + b"=" * (-len(text) % 4), validate=True)


@dataclass(frozen=True)
class Stanza:
    kind: str
    args: tuple[str, ...]
    body: bytes


@dataclass(frozen=True)
class Header:
    stanzas: tuple[Stanza, ...]
    mac: bytes
    signed: bytes
    """The header's bytes up to and including ``---``: what the MAC covers."""
    body: bytes
    """Everything after the header: the nonce and the chunks."""


class HeaderProblem(Exception):
    """The header is cut short or malformed; ``problem`` says which."""

    def __init__(self, problem: str) -> None:
        super().__init__(problem)
        self.problem = problem


def _next_line(raw: bytes, start: int) -> tuple[bytes, int]:
    end = raw.find(b"\n", start)
    if end < 0:
        raise HeaderProblem(CUT_HEADER)
    return raw[start:end], end + 1


def parse_header(raw: bytes) -> Header:
    """The header of an age file; HeaderProblem when it is cut short or malformed."""
    line, pos = _next_line(raw, 0)
    if line != AGE_LINE:
        raise HeaderProblem(BAD_HEADER)
    stanzas: list[Stanza] = []
    while True:
        line_start = pos
        line, pos = _next_line(raw, pos)
        if line.startswith(b"--- "):
            try:
                mac = _b64(line[4:])
            except (binascii.Error, ValueError):
                raise HeaderProblem(BAD_HEADER) from None
            return Header(tuple(stanzas), mac, raw[: line_start + 3], raw[pos:])
        if not line.startswith(b"-> "):
            raise HeaderProblem(BAD_HEADER)
        words = line[3:].decode("ascii", "replace").split(" ")
        body = b""
        while True:
            part, pos = _next_line(raw, pos)
            body += part
            if len(part) < _COLUMNS:
                break
        try:
            stanzas.append(Stanza(words[0], tuple(words[1:]), _b64(body)))
        except (binascii.Error, ValueError):
            raise HeaderProblem(BAD_HEADER) from None


def _file_key(stanza: Stanza, scalar: bytes) -> bytes | None:
    """The file key an X25519 stanza wraps for ``scalar``; None when it is not for it."""
    if len(stanza.args) != 1 or len(stanza.body) != 32:
        return None
    try:
        share = _b64(stanza.args[0].encode("ascii"))
    except (binascii.Error, ValueError):
        return None
    if len(share) != 32:
        return None
    shared = x25519(scalar, share)
    if shared == bytes(32):
        return None
    wrap = hkdf(shared, share + public_of(scalar), _X25519_INFO)
    return aead_open(wrap, bytes(12), stanza.body)


def _body_problem(file_key: bytes, body: bytes) -> str:
    if len(body) < 16 + 16:
        return CUT_BODY if len(body) <= 16 else BAD_BODY
    key = hkdf(file_key, body[:16], b"payload")
    chunks = [body[i : i + _CHUNK] for i in range(16, len(body), _CHUNK)]
    for index, chunk in enumerate(chunks):
        last = index == len(chunks) - 1
        nonce = index.to_bytes(11, "big") + (b"\x01" if last else b"\x00")
        if aead_checks(key, nonce, chunk):
            continue
        if last and aead_checks(key, index.to_bytes(11, "big") + b"\x00", chunk):
            return CUT_BODY
        return BAD_BODY
    return BAD_BODY


def why_not_open(raw: bytes, identities: Sequence[str]) -> str:
    """Why the age file ``raw`` does not open with any of ``identities`` (age identity
    texts): one of this module's reasons. Pure: reads only its arguments."""
    if not raw:
        return "the file is empty (it may still be syncing)"
    try:
        header = parse_header(raw)
    except HeaderProblem as exc:
        return exc.problem
    x_stanzas = [s for s in header.stanzas if s.kind == "X25519"]
    if not x_stanzas:
        return NOT_FOLDER_KEY
    for identity in identities:
        scalar = identity_scalar(identity)
        for stanza in x_stanzas:
            file_key = _file_key(stanza, scalar)
            if file_key is None:
                continue
            mac_key = hkdf(file_key, b"", b"header")
            expected = hmac.new(mac_key, header.signed, "sha256").digest()
            if not hmac.compare_digest(expected, header.mac):
                return ALTERED_HEADER
            return _body_problem(file_key, header.body)
    return OTHER_KEY
