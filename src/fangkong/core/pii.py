"""Encryption at rest and keyed hashing of personal identifiers (DESIGN §4.3).

The ciphertext is what the database holds; the HMAC digest beside it allows exact search and
uniqueness without decrypting; the masked form is what lists and exports show.
"""

import hashlib
import hmac
from functools import cache

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings


@cache
def _fernet(key: str) -> Fernet:
    return Fernet(key.encode())


@cache
def _hash_key(key: str) -> bytes:
    return bytes.fromhex(key) if len(key) == 64 else key.encode()


def encrypt(value: str) -> str:
    if not value:
        return ""
    return _fernet(settings.FIELD_ENCRYPTION_KEY).encrypt(value.encode()).decode()


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
    key = _hash_key(settings.FIELD_HASH_KEY)
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


def mask_id_number(value: str) -> str:
    if len(value) <= 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def mask_phone(value: str) -> str:
    if len(value) <= 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]
