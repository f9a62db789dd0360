import base64
import hashlib
import hmac
import threading
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fangkong.core import pii


def test_it_round_trips_and_never_stores_clear_text():
    token = pii.encrypt("370305198506151237")
    assert "370305198506151237" not in token
    assert pii.decrypt(token) == "370305198506151237"


def test_it_hashes_deterministically_with_the_key(settings):
    first = pii.digest("13812345678")
    assert first == pii.digest("13812345678")
    assert first != pii.digest("13812345679")
    settings.FIELD_HASH_KEY = "00" * 32
    assert pii.digest("13812345678") != first


def test_it_refuses_to_decrypt_with_another_key(settings):
    from cryptography.fernet import Fernet

    token = pii.encrypt("13812345678")
    settings.FIELD_ENCRYPTION_KEY = Fernet.generate_key().decode()
    with pytest.raises(ValueError, match="FANGKONG_FIELD_KEY"):
        pii.decrypt(token)


def test_it_masks_like_the_ledgers_do():
    assert pii.mask_id_number("370305198506151237") == "3703**********1237"
    assert pii.mask_phone("13812345678") == "138****5678"
    assert pii.mask_phone("123") == "***"


def test_it_keeps_empty_values_empty():
    assert pii.encrypt("") == "" and pii.decrypt("") == "" and pii.digest("") == ""


@pytest.mark.parametrize(
    "value", ["1", "13812345678", "370305198506151237", "x" * 16, "张三" * 40, "a" * 31]
)
def test_its_tokens_are_fernet_tokens(settings, value):
    from cryptography.fernet import Fernet

    fernet = Fernet(settings.FIELD_ENCRYPTION_KEY.encode())
    token = pii.encrypt(value).encode()
    assert fernet.decrypt(token).decode() == value
    assert abs(fernet.extract_timestamp(token) - time.time()) < 5


def test_every_token_has_its_own_random_iv():
    tokens = [pii.encrypt("13812345678") for _ in range(2000)]
    raw = [base64.urlsafe_b64decode(token) for token in tokens]
    ivs = {r[9:25] for r in raw}
    assert len(ivs) == len(tokens)
    assert len({r[25:-32] for r in raw}) == len(tokens)
    assert {pii.decrypt(token) for token in tokens} == {"13812345678"}


@pytest.mark.parametrize("position", [0, 5, 12, 30, -1])
def test_a_tampered_token_is_refused(position):
    raw = bytearray(base64.urlsafe_b64decode(pii.encrypt("370305198506151237")))
    raw[position] ^= 1
    with pytest.raises(ValueError):
        pii.decrypt(base64.urlsafe_b64encode(bytes(raw)).decode())


def test_it_encrypts_from_several_threads_at_once():
    values = [f"1381234{i:04d}" for i in range(400)]
    results: dict[int, list[str]] = {}

    def work(n):
        results[n] = [pii.encrypt(v) for v in values]

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for tokens in results.values():
        assert [pii.decrypt(t) for t in tokens] == values


def test_it_follows_a_key_change(settings):
    from cryptography.fernet import Fernet

    settings.FIELD_ENCRYPTION_KEY = Fernet.generate_key().decode()
    token = pii.encrypt("13812345678")
    assert Fernet(settings.FIELD_ENCRYPTION_KEY.encode()).decrypt(token.encode()) == b"13812345678"


@given(st.binary(max_size=200), st.binary(max_size=200))
def test_its_hmac_is_the_hmac_of_the_standard_library(key, message):
    expected = hmac.new(key, message, hashlib.sha256).digest()
    assert pii._HmacSha256(key).digest(message) == expected


def test_the_digest_is_hmac_sha256_of_the_hash_key(settings):
    settings.FIELD_HASH_KEY = "ab" * 32
    expected = hmac.new(bytes.fromhex("ab" * 32), b"13812345678", hashlib.sha256).hexdigest()
    assert pii.digest("13812345678") == expected
    settings.FIELD_HASH_KEY = "a passphrase, not hex"
    expected = hmac.new(b"a passphrase, not hex", b"13812345678", hashlib.sha256).hexdigest()
    assert pii.digest("13812345678") == expected
