import random

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from fangkong.core.phone import _MOBILE, _normalize_slow, normalize_phone


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


def _outcome(normalize, raw):
    try:
        return normalize(raw)
    except ValidationError as exc:
        return exc.code


def test_it_agrees_with_phonenumbers_for_every_mobile_prefix():
    # The fast path may only say "valid" where phonenumbers' metadata says so too.
    rng = random.Random(86)
    fast_prefixes = set()
    for prefix in range(1000, 2000):
        for _ in range(4):
            number = f"{prefix}{rng.randrange(10**7):07d}"
            if _MOBILE.fullmatch(number):
                assert _outcome(_normalize_slow, number) == number, number
                fast_prefixes.add(prefix // 10)
            assert _outcome(normalize_phone, number) == _outcome(_normalize_slow, number)
    # The common prefixes are all on the fast path.
    assert {130, 138, 139, 145, 150, 158, 166, 177, 180, 186, 189, 199} <= fast_prefixes


@given(
    st.one_of(
        st.from_regex(r"1[0-9]{10}", fullmatch=True),
        st.from_regex(r"\s*(\+86)?[0-9 -]{5,15}\s*", fullmatch=True),
        st.text(max_size=20),
    )
)
def test_the_fast_path_agrees_with_the_slow_path(raw):
    assert _outcome(normalize_phone, raw) == _outcome(_normalize_slow, raw.strip())
