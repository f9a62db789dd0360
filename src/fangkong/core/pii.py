"""Encryption at rest and keyed hashing of personal identifiers (DESIGN §4.3).

The ciphertext is what the database holds; the HMAC digest beside it allows exact search and
uniqueness without decrypting; the masked form is what lists and exports show.

Values are encrypted as Fernet tokens (AES-128-CBC with a random IV, HMAC-SHA256 over the
whole token) and read back with cryptography's `Fernet`. They are written by `_TokenWriter`
rather than `Fernet.encrypt`, which builds a cipher, a padder and a MAC object for every value
(about 25 µs; an import of 100 000 persons encrypts 200 000 values). See `_TokenWriter` for
why its tokens are the same thing.
"""

import base64
import binascii
import hashlib
import os
import threading
import time
from functools import cache

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.conf import settings

_BLOCK = 16
_PADDING = [b""] + [bytes((n,)) * n for n in range(1, _BLOCK + 1)]
_URLSAFE = bytes.maketrans(b"+/", b"-_")
_IPAD = bytes(x ^ 0x36 for x in range(256))
_OPAD = bytes(x ^ 0x5C for x in range(256))
_local = threading.local()


@cache
def _fernet(key: str) -> Fernet:
    return Fernet(key.encode())


class _HmacSha256:
    """HMAC-SHA256 (RFC 2104) with the keyed inner and outer hashes computed once.

    Each message then costs two hash copies, in C (hmac.new builds the pads again, and
    copying an hmac.HMAC runs Python code): a third of the time, and the same digest, which
    the tests check against the hmac module.
    """

    __slots__ = ("_inner", "_outer")

    def __init__(self, key: bytes):
        if len(key) > 64:
            key = hashlib.sha256(key).digest()
        key = key.ljust(64, b"\0")
        self._inner = hashlib.sha256(key.translate(_IPAD))
        self._outer = hashlib.sha256(key.translate(_OPAD))

    def digest(self, message: bytes) -> bytes:
        inner = self._inner.copy()
        inner.update(message)
        outer = self._outer.copy()
        outer.update(inner.digest())
        return outer.digest()

    def hexdigest(self, message: bytes) -> str:
        return self.digest(message).hex()


@cache
def _hash_mac(key: str) -> _HmacSha256:
    return _HmacSha256(bytes.fromhex(key) if len(key) == 64 else key.encode())


class _TokenWriter:
    """Fernet tokens from one long-lived AES-CBC encryptor.

    CBC encrypts each block as E(previous ciphertext block XOR plaintext block). Feeding the
    encryptor a fresh random block R (os.urandom) and then the padded value yields
    C_R = E(C_prev XOR R), uniformly random and unpredictable because R is, followed by the
    value's blocks chained from C_R: exactly the CBC encryption of the value under the IV C_R.
    So `C_R || ciphertext` is a Fernet IV and ciphertext, MAC'd and encoded as the Fernet spec
    says (version 0x80, big-endian timestamp, IV, ciphertext, HMAC-SHA256 with the signing
    half of the key); `Fernet.decrypt` verifies and reads them, and the tests check it does.
    An encryptor is not thread-safe, so each thread has its own.
    """

    def __init__(self, key: str):
        raw = base64.urlsafe_b64decode(key.encode())
        if len(raw) != 32:
            raise ValueError("FANGKONG_FIELD_KEY must be a Fernet key (32 url-safe base64 bytes)")
        self._mac = _HmacSha256(raw[:16])
        self._cbc = Cipher(algorithms.AES(raw[16:]), modes.CBC(os.urandom(_BLOCK))).encryptor()

    def encrypt(self, data: bytes) -> bytes:
        padding = _PADDING[_BLOCK - len(data) % _BLOCK]
        iv_and_ciphertext = self._cbc.update(os.urandom(_BLOCK) + data + padding)
        parts = b"\x80" + int(time.time()).to_bytes(8, "big") + iv_and_ciphertext
        token = binascii.b2a_base64(parts + self._mac.digest(parts), newline=False)
        return token.translate(_URLSAFE)


def _writer(key: str) -> _TokenWriter:
    writers = getattr(_local, "writers", None)
    if writers is None:
        writers = _local.writers = {}
    writer = writers.get(key)
    if writer is None:
        writer = writers[key] = _TokenWriter(key)
    return writer


def encrypt(value: str) -> str:
    if not value:
        return ""
    return _writer(settings.FIELD_ENCRYPTION_KEY).encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    if not token:
        return ""
    try:
        return _fernet(settings.FIELD_ENCRYPTION_KEY).decrypt(token.encode()).decode()
    except InvalidToken:
        # A key mismatch must not masquerade as an empty value: it means lost data.
        raise ValueError("cannot decrypt a protected field: wrong FANGKONG_FIELD_KEY?") from None


def digest(value: str) -> str:
    if not value:
        return ""
    return _hash_mac(settings.FIELD_HASH_KEY).hexdigest(value.encode())


def mask_id_number(value: str) -> str:
    if len(value) <= 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def mask_phone(value: str) -> str:
    if len(value) <= 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]
