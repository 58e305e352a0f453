"""The few pieces of age's cryptography needed to tell why a sealed file does not open.

pyrage (age itself) opens and seals every file; when it refuses one, it says only that it
failed. ``store.sealed_check`` then re-walks the file with these pure-Python pieces to name
the reason (another key, an altered header, a cut or altered body). They are slow and run only
on that failure path: X25519 (RFC 7748), HKDF-SHA256 (RFC 5869), ChaCha20 and Poly1305
(RFC 8439), and the bech32 text of an age identity. Nothing happens at import.
"""

from __future__ import annotations

import hashlib
import hmac
import struct

_P = 2**255 - 19
_A24 = 121665
_MASK32 = 0xFFFFFFFF
_BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"


def identity_scalar(identity: str) -> bytes:
    """The 32 secret bytes of an age identity's text (``AGE-SECRET-KEY-1...``). The text is
    one pyrage accepted, so its checksum is not checked again here."""
    text = identity.strip().lower()
    data = text[text.rindex("1") + 1 : -6]
    acc = bits = 0
    out = bytearray()
    for char in data:
        acc = ((acc << 5) | _BECH32.index(char)) & 0xFFFF
        bits += 5
        while bits >= 8:
            bits -= 8
            out.append((acc >> bits) & 0xFF)
    return bytes(out[:32])


def x25519(scalar: bytes, point: bytes) -> bytes:
    """RFC 7748's X25519 of a 32-byte scalar and a 32-byte u-coordinate."""
    k = bytearray(scalar)
    k[0] &= 248
    k[31] = (k[31] & 127) | 64
    n = int.from_bytes(k, "little")
    x1 = int.from_bytes(point, "little") & ((1 << 255) - 1)
    x2, z2, x3, z3, swap = 1, 0, x1, 1, 0
    for t in reversed(range(255)):
        bit = (n >> t) & 1
        swap ^= bit
        if swap:
            x2, x3, z2, z3 = x3, x2, z3, z2
        swap = bit
        a, b = x2 + z2, x2 - z2
        aa, bb = a * a % _P, b * b % _P
        e = aa - bb
        c, d = x3 + z3, x3 - z3
        da, cb = d * a % _P, c * b % _P
        x3, z3 = (da + cb) ** 2 % _P, x1 * (da - cb) ** 2 % _P
        x2, z2 = aa * bb % _P, e * (aa + _A24 * e) % _P
    if swap:
        x2, z2 = x3, z3
    return (x2 * pow(z2, _P - 2, _P) % _P).to_bytes(32, "little")


def public_of(scalar: bytes) -> bytes:
    """The X25519 public key (u-coordinate) of a secret scalar."""
    return x25519(scalar, (9).to_bytes(32, "little"))


def hkdf(ikm: bytes, salt: bytes, info: bytes, length: int = 32) -> bytes:
    """HKDF-SHA256 (RFC 5869)."""
    prk = hmac.new(salt or bytes(32), ikm, hashlib.sha256).digest()
    out, block, counter = b"", b"", 1
    while len(out) < length:
        block = hmac.new(prk, block + info + bytes([counter]), hashlib.sha256).digest()
        out += block
        counter += 1
    return out[:length]


def _rotl(v: int, c: int) -> int:
    return ((v << c) & _MASK32) | (v >> (32 - c))


def _quarter(s: list[int], a: int, b: int, c: int, d: int) -> None:
    s[a] = (s[a] + s[b]) & _MASK32
    s[d] = _rotl(s[d] ^ s[a], 16)
    s[c] = (s[c] + s[d]) & _MASK32
    s[b] = _rotl(s[b] ^ s[c], 12)
    s[a] = (s[a] + s[b]) & _MASK32
    s[d] = _rotl(s[d] ^ s[a], 8)
    s[c] = (s[c] + s[d]) & _MASK32
    s[b] = _rotl(s[b] ^ s[c], 7)


def chacha20_block(key: bytes, counter: int, nonce: bytes) -> bytes:
    """One 64-byte ChaCha20 block (RFC 8439, 96-bit nonce)."""
    state = [0x61707865, 0x3320646E, 0x79622D32, 0x6B206574,
             *struct.unpack("<8I", key), counter, *struct.unpack("<3I", nonce)]
    w = list(state)
    for _ in range(10):
        _quarter(w, 0, 4, 8, 12)
        _quarter(w, 1, 5, 9, 13)
        _quarter(w, 2, 6, 10, 14)
        _quarter(w, 3, 7, 11, 15)
        _quarter(w, 0, 5, 10, 15)
        _quarter(w, 1, 6, 11, 12)
        _quarter(w, 2, 7, 8, 13)
        _quarter(w, 3, 4, 9, 14)
    return struct.pack("<16I", *((w[i] + state[i]) & _MASK32 for i in range(16)))


def _poly1305(key: bytes, message: bytes) -> bytes:
    r = int.from_bytes(key[:16], "little") & 0x0FFFFFFC0FFFFFFC0FFFFFFC0FFFFFFF
    s = int.from_bytes(key[16:32], "little")
    p = (1 << 130) - 5
    acc = 0
    for i in range(0, len(message), 16):
        acc = (acc + int.from_bytes(message[i : i + 16] + b"\x01", "little")) * r % p
    return ((acc + s) & ((1 << 128) - 1)).to_bytes(16, "little")


def aead_checks(key: bytes, nonce: bytes, sealed: bytes) -> bool:
    """Whether ``sealed`` (ciphertext and its 16-byte tag, no associated data) is intact
    under ChaCha20-Poly1305 with ``key`` and ``nonce``."""
    if len(sealed) < 16:
        return False
    ciphertext, tag = sealed[:-16], sealed[-16:]
    pad = b"\x00" * (-len(ciphertext) % 16)
    mac_data = ciphertext + pad + struct.pack("<QQ", 0, len(ciphertext))
    poly_key = chacha20_block(key, 0, nonce)[:32]
    return hmac.compare_digest(_poly1305(poly_key, mac_data), tag)


def aead_open(key: bytes, nonce: bytes, sealed: bytes) -> bytes | None:
    """The plaintext of ``sealed`` under ChaCha20-Poly1305; None when it does not check."""
    if not aead_checks(key, nonce, sealed):
        return None
    ciphertext = sealed[:-16]
    stream = b"".join(chacha20_block(key, 1 + i, nonce)
                      for i in range((len(ciphertext) + 63) // 64))
    return bytes(a ^ b for a, b in zip(ciphertext, stream, strict=False))
