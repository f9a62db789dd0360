import pytest

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
