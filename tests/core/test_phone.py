import pytest
from django.core.exceptions import ValidationError

from fangkong.core.phone import normalize_phone


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("13812345678", "13812345678"),
        ("+86 138 1234 5678", "13812345678"),
        ("0533-7123456", "05337123456"),
    ],
)
def test_it_normalises(raw, expected):
    assert normalize_phone(raw) == expected


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("1381234567a", "phone_letters"),
        ("phone", "phone_letters"),
        ("12345678901", "phone_invalid"),
        ("138", "phone_invalid"),
        ("", "phone_empty"),
        ("+1 202 555 0143", "phone_invalid"),
    ],
)
def test_it_rejects(raw, code):
    with pytest.raises(ValidationError) as exc:
        normalize_phone(raw)
    assert exc.value.code == code
